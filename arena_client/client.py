"""The connection: hello, requests matched to answers by id, events as they come, resuming.

One task reads the socket and routes each frame: answers (ack, turn, pong, error) to the
request waiting for them, events to a queue. If the connection drops, the client says hello
again with the last event number it saw and sends its pending request again; actions carry
ids, so a resent action is acknowledged, not applied twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import os
from dataclasses import dataclass
from typing import Any

import httpx
import msgpack
import websockets

from arena_client.patch import PatchError, apply_patch
from game_rules import LegalAction, SeatAction, from_plain, to_plain
from game_rules.actions import Action
from game_rules.orders import Cost

MSGPACK = "normarena.v2.msgpack"
JSON = "normarena.v2.json"
ANSWERS = ("ack", "turn", "pong", "error")
RATE_LIMIT_PAUSE = 0.25


class ServerError(Exception):
    """A refusal from the server: its stable `code` and its sentence."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Turn:
    """What a seat sees and may do now."""

    view: dict[str, Any]
    legal: list[LegalAction]
    version: int
    seq: int

    @property
    def is_over(self) -> bool:
        return self.view.get("phase") == "ended"


def _ws_url(base: str) -> str:
    if base.startswith(("ws://", "wss://")):
        return base.rstrip("/") + ("" if base.rstrip("/").endswith("/ws") else "/ws")
    return base.replace("http://", "ws://", 1).replace("https://", "wss://", 1).rstrip("/") + "/ws"


def _http_url(base: str) -> str:
    return base.replace("ws://", "http://", 1).replace("wss://", "https://", 1).removesuffix("/ws").rstrip("/")


async def _post(base: str, path: str, body: dict[str, Any], bearer: str = "") -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(_http_url(base) + path, json=body, headers=headers)
    answer: dict[str, Any] = response.json()
    if response.status_code >= 400:
        raise ServerError(answer.get("error", "http_error"), answer.get("message", response.text))
    return answer


async def create_game(
    base: str, scenario: str, seed: int, clock: str = "bots", scenario_toml: str = "", operator: str = ""
) -> dict[str, Any]:
    """A new game: its id, the facilitator's and spectator's tokens, a join code per seat. With
    `scenario_toml`, the game plays that scenario file (the server checks and keeps it). A server
    off loopback wants its operator token: given here, or in $NORMARENA_OPERATOR_TOKEN."""
    body: dict[str, Any] = {"scenario": scenario, "seed": seed, "clock": clock}
    if scenario_toml:
        body["scenario_toml"] = scenario_toml
    return await _post(base, "/api/games", body, operator or os.environ.get("NORMARENA_OPERATOR_TOKEN", ""))


async def join(base: str, code: str, name: str = "") -> tuple[str, str, str]:
    """Exchange a join code for (game id, seat, token)."""
    answer = await _post(base, "/api/join", {"code": code, "name": name})
    return answer["game"], answer["seat"], answer["token"]


async def export_game(base: str, game: str, facilitator_token: str) -> dict[str, Any]:
    """A game's export (the facilitator's token only)."""
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.get(
            f"{_http_url(base)}/api/games/{game}/export", headers={"Authorization": f"Bearer {facilitator_token}"}
        )
    answer: dict[str, Any] = response.json()
    if response.status_code >= 400:
        raise ServerError(answer.get("error", "http_error"), answer.get("message", response.text))
    return answer


class GameClient:
    """One seat's (or the facilitator's, or a spectator's) connection to a game."""

    def __init__(self, base: str, game: str, token: str, protocol: str = MSGPACK) -> None:
        self.base, self.game, self.token, self.protocol = base, game, token, protocol
        self.seq = 0  # the newest event number received
        self.view: dict[str, Any] = {}  # kept current: the welcome's view, then every patch
        self.healthy = True  # False while the server says the game's store is unreachable
        self.welcome: dict[str, Any] = {}
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._ids = itertools.count(1)
        self._waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._socket: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._closed = False

    @classmethod
    async def connect(cls, base: str, game: str, token: str, protocol: str = MSGPACK) -> GameClient:
        """Open the connection and say hello; raises ServerError if the token does not open the game."""
        client = cls(base, game, token, protocol)
        await client._open()
        return client

    async def __aenter__(self) -> GameClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _open(self) -> None:
        self._socket = await websockets.connect(_ws_url(self.base), subprotocols=[self.protocol], max_size=2**24)  # type: ignore[list-item]
        await self._send({"type": "hello", "game": self.game, "token": self.token, "last_seq": self.seq})
        first = self._decode(await self._socket.recv())
        if first["type"] == "error":
            raise ServerError(first["code"], first["message"])
        self.welcome = first
        self.view = first["view"]
        for event in first.get("missed", []):
            self.events.put_nowait(event)
        self.seq = max(self.seq, int(first["seq"]))
        self._reader = asyncio.create_task(self._read())

    def _decode(self, frame: bytes | str) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(frame) if isinstance(frame, str) else msgpack.unpackb(frame, raw=False)
        return message

    async def _send(self, message: dict[str, Any]) -> None:
        frame = json.dumps(message) if self.protocol == JSON else msgpack.packb(message, use_bin_type=True)
        await self._socket.send(frame)

    async def _read(self) -> None:
        try:
            async for frame in self._socket:
                message = self._decode(frame)
                kind = message["type"]
                if kind in ANSWERS and message.get("id") in self._waiting:
                    future = self._waiting.pop(message["id"])
                    if not future.done():
                        future.set_result(message)
                elif kind == "error" and message.get("code") == "rate_limited":
                    # Refused before it was read: every request waiting is sent again after a pause.
                    for future in self._waiting.values():
                        if not future.done():
                            future.set_result(message)
                    self._waiting.clear()
                elif kind == "events":
                    self._follow(message)
                    self.events.put_nowait(message)
                elif kind == "view":
                    self.view = message["view"]
                    self.seq = max(self.seq, int(message["seq"]))
                elif kind == "status":
                    self.healthy = message["state"] == "ok"
        except websockets.ConnectionClosed:
            pass
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(ConnectionError("the connection dropped"))
        self._waiting.clear()

    def _follow(self, message: dict[str, Any]) -> None:
        """Apply an events frame's patch to the view; a patch that does not fit means the view
        must be fetched whole (the next `ask` brings it)."""
        self.seq = max(self.seq, int(message["seq"]))
        try:
            apply_patch(self.view, message["patch"])
        except PatchError:
            self.view = {}

    async def request(self, message: dict[str, Any], timeout: float = 60.0) -> dict[str, Any]:
        """Send a request and return its answer; resumes and resends once if the connection drops,
        and waits out rate limits."""
        request_id = str(message.get("id") or f"r{next(self._ids)}")
        message = {**message, "id": request_id}
        for attempt in range(50):
            future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
            self._waiting[request_id] = future
            try:
                await self._send(message)
                answer = await asyncio.wait_for(future, timeout)
            except (ConnectionError, websockets.ConnectionClosed):
                if self._closed or attempt > 3:
                    raise
                await self._resume()
                continue
            if answer["type"] == "error" and answer["code"] in ("rate_limited", "unavailable", "busy"):
                await asyncio.sleep(RATE_LIMIT_PAUSE)
                continue
            if answer["type"] == "error":
                raise ServerError(answer["code"], answer["message"])
            return answer
        raise ServerError("rate_limited", "The server kept asking us to slow down.")

    async def _resume(self) -> None:
        """Reconnect and say hello with the last event number: the server sends what was missed."""
        await self._disconnect()
        await self._open()

    async def _disconnect(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        with contextlib.suppress(Exception):
            await self._socket.close()

    async def ask(self) -> Turn:
        """The view now, its version, and the legal actions with their costs."""
        answer = await self.request({"type": "ask"})
        if not self.view:  # lost track (a patch that did not fit): start again from this one
            self.view = copy.deepcopy(answer["view"])
        legal = [LegalAction(from_plain(SeatAction, e["action"]), Cost(**e["cost"])) for e in answer["legal"]]
        return Turn(view=answer["view"], legal=legal, version=answer["version"], seq=answer["seq"])

    async def act(self, action: Action | dict[str, Any], action_id: str = "") -> dict[str, Any]:
        """Apply an action; its acknowledgement, or ServerError with the server's code."""
        plain = action if isinstance(action, dict) else to_plain(action)
        return await self.request({"type": "act", "id": action_id or f"a{next(self._ids)}", "action": plain})

    async def control(self, command: str, **arguments: Any) -> dict[str, Any]:
        """A facilitator's control (start, skip, pause, bot, rollback, ...)."""
        return await self.request({"type": "control", "command": command, **arguments})

    async def next_events(self, timeout: float = 30.0) -> dict[str, Any]:
        """The next batch of events (and the view after them)."""
        return await asyncio.wait_for(self.events.get(), timeout)

    async def drop(self) -> None:
        """Break the connection as a network failure would (for tests of resuming)."""
        await self._socket.close()

    async def close(self) -> None:
        """Close the connection for good."""
        self._closed = True
        await self._disconnect()
