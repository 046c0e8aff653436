"""What the reliability tests run against: real Redis servers, real `normarena serve` processes,
and a player client that records everything it is sent.

The client resumes after a dropped connection (on the same worker or the next one), sends a
request again with the same id after a drop or an `unavailable`, `busy` or `rate_limited`
refusal, and keeps every event it received, so a test can check that each client's sequence
has no gap and no duplicate, and that each acknowledged action is in the action log once.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import msgpack
import psutil
import websockets
from websockets.typing import Subprotocol

from game_rules import Event, from_plain, visible_events
from server import keys, wire
from server.embedded_redis import EmbeddedRedis, end_process, free_port

ROOT = Path(__file__).resolve().parents[2]
RETRIED = ("unavailable", "busy", "rate_limited")


# --- processes -------------------------------------------------------------------------------


@contextlib.contextmanager
def redis_server(fsync: str = "everysec") -> Iterator[EmbeddedRedis]:
    """A real redis-server of the test's own on a loopback port, append-only, removed after."""
    server = EmbeddedRedis(fsync=fsync).start()
    try:
        yield server
    finally:
        server.stop()


class ServerProcess:
    """A server in a process of its own (`serve` with these settings), on a free port."""

    def __init__(self, **settings: Any) -> None:
        self.port = int(settings.pop("port", 0)) or free_port()
        self.settings = {"port": self.port, "deadline_poll_seconds": 0.05, **settings}
        self.address = f"127.0.0.1:{self.port}"
        self.log = ROOT / ".pytest_cache" / f"serve-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> ServerProcess:
        self.log.parent.mkdir(exist_ok=True)
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.reliability.serve_process", json.dumps(self.settings)],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)},
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.output()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://{self.address}/readyz", timeout=1).status_code == 200:
                    return self
            time.sleep(0.05)
        raise RuntimeError(f"the server did not become ready: {self.output()}")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def rss(self) -> int:
        """The server process's resident memory, in bytes."""
        return int(psutil.Process(self.pid).memory_info().rss)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """kill -9, as a crash would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None:
            end_process(self.process)

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- HTTP --------------------------------------------------------------------------------------


async def create_game(address: str, scenario: str = "classroom-quick", seed: int = 1, **body: Any) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            f"http://{address}/api/games", json={"scenario": scenario, "seed": seed, "clock": "bots", **body}
        )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def join(address: str, code: str, name: str = "") -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(f"http://{address}/api/join", json={"code": code, "name": name})
    assert response.status_code == 200, response.text
    joined: dict[str, Any] = response.json()
    return joined


def say(text: str, to: str = "public") -> dict[str, Any]:
    """A `send_message` action in wire form."""
    return {"type": "send_message", "to": to, "text": text}


# --- the player --------------------------------------------------------------------------------


@dataclass
class Player:
    """One client of one game, that survives drops and records what it was sent."""

    addresses: list[str]
    game: str
    token: str
    protocol: str = wire.MSGPACK
    seq: int = 0
    view: dict[str, Any] = field(default_factory=dict)
    seen: list[int] = field(default_factory=list)  # every event number received, in order
    frames: list[dict[str, Any]] = field(default_factory=list)  # every frame received, in order
    statuses: list[tuple[float, str]] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)  # when each events frame came
    received_bytes: int = 0
    closed_with: int | None = None  # the close code of the last drop
    reconnects: int = 0
    _socket: Any = None
    _reader: asyncio.Task[None] | None = None
    _waiting: dict[str, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _where: int = 0
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def connect(self, patience: float = 30.0) -> dict[str, Any]:
        """Open a connection and say hello with the last number seen; try each worker in turn."""
        deadline = time.monotonic() + patience
        while True:
            address = self.addresses[self._where % len(self.addresses)]
            try:
                self._socket = await websockets.connect(
                    f"ws://{address}/ws",
                    subprotocols=[Subprotocol(self.protocol)],
                    max_size=2**24,
                    open_timeout=5,
                )
                await self._send({"type": "hello", "game": self.game, "token": self.token, "last_seq": self.seq})
                first = self._decode(await asyncio.wait_for(self._socket.recv(), 10))
                self.frames.append(first)
                if first["type"] == "error" and first["code"] in RETRIED:
                    raise ConnectionError(first["code"])
                if first["type"] != "welcome":
                    return first
                self.view = first["view"]
                self._record([e["seq"] for e in first["missed"]], first["seq"])
                self._reader = asyncio.create_task(self._read())
                return first
            except (OSError, ConnectionError, TimeoutError, websockets.WebSocketException):
                if self._socket is not None:
                    with contextlib.suppress(Exception):
                        await self._socket.close()
                if time.monotonic() > deadline:
                    raise
                self._where += 1
                await asyncio.sleep(0.1)

    def _record(self, numbers: list[int], seq: int) -> None:
        self.seen.extend(numbers)
        self.seq = max(self.seq, seq)
        self._changed.set()

    def _decode(self, frame: bytes | str) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(frame) if isinstance(frame, str) else msgpack.unpackb(frame, raw=False)
        return message

    async def _send(self, message: dict[str, Any]) -> None:
        json_wire = self.protocol == wire.JSON
        await self._socket.send(json.dumps(message) if json_wire else msgpack.packb(message, use_bin_type=True))

    async def _read(self) -> None:
        try:
            async for frame in self._socket:
                self.received_bytes += len(frame)
                message = self._decode(frame)
                self.frames.append(message)
                kind = message["type"]
                if kind == "events":
                    self.arrivals.append(time.monotonic())
                    self._follow(message)
                    self._record([e["seq"] for e in message["events"]], message["seq"])
                elif kind == "view":
                    self.view = message["view"]
                    self._record([], message["seq"])
                elif kind == "status":
                    self.statuses.append((time.monotonic(), message["state"]))
                future = self._waiting.get(str(message.get("id", "")))
                if kind in ("ack", "turn", "pong", "error") and future is not None and not future.done():
                    future.set_result(message)
        except websockets.ConnectionClosed as closed:
            self.closed_with = closed.rcvd.code if closed.rcvd is not None else 1006
        except Exception:
            self.closed_with = 1006
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(ConnectionError("dropped"))

    def _follow(self, message: dict[str, Any]) -> None:
        """The view after an events frame: a patch of the one held (v2), or a whole view (v1)."""
        if "view" in message:
            self.view = message["view"]
            return
        from arena_client.patch import PatchError, apply_patch

        try:
            apply_patch(self.view, message["patch"])
        except PatchError:
            self.view = {}  # the next ask brings the whole view

    async def request(self, message: dict[str, Any], timeout: float = 60.0) -> dict[str, Any]:
        """Send a request (again with the same id after a drop or a retryable refusal) and
        return its answer: ack, turn, pong or a final error."""
        request_id = str(message.get("id") or f"r{next(self._ids)}")
        message = {**message, "id": request_id}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
            self._waiting[request_id] = future
            try:
                await self._send(message)
                answer = await asyncio.wait_for(future, max(0.1, deadline - time.monotonic()))
            except (ConnectionError, websockets.ConnectionClosed):
                await self.reconnect()
                continue
            finally:
                self._waiting.pop(request_id, None)
            if answer["type"] == "error" and answer["code"] in RETRIED:
                await asyncio.sleep(0.1)
                continue
            return answer
        raise TimeoutError(f"no answer to {message['type']} in {timeout} s")

    async def reconnect(self) -> None:
        await self.close()
        self.reconnects += 1
        await asyncio.sleep(0.05)
        await self.connect()

    async def wait_for_change(self, timeout: float) -> None:
        self._changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
            self._reader = None
        if self._socket is not None:
            with contextlib.suppress(Exception):
                await self._socket.close()


# --- what Redis holds ----------------------------------------------------------------------------


def stored_events(client: Any, game: str) -> list[tuple[int, Event]]:
    """Every event of a game as its stream holds it, numbered."""
    out = []
    for entry_id, fields in client.xrange(keys.events(game)):
        number = int(entry_id.decode().split("-")[0])
        out.append((number, from_plain(Event, msgpack.unpackb(fields[b"event"], raw=False))))
    return out


def visible_numbers(client: Any, game: str, viewer: str) -> list[int]:
    """The event numbers a viewer should have received, in order."""
    numbered = stored_events(client, game)
    shown = {id(e) for e in visible_events([e for _, e in numbered], viewer)}
    return [n for n, e in numbered if id(e) in shown]


def action_log(client: Any, game: str) -> list[tuple[str, dict[str, Any]]]:
    """The game's action log: (actor, action in wire form), in order."""
    return [
        (fields[b"actor"].decode(), msgpack.unpackb(fields[b"action"], raw=False))
        for _, fields in client.xrange(keys.actions(game))
    ]


# --- bots -------------------------------------------------------------------------------------


@dataclass
class Ledger:
    """What the server acknowledged: (actor, action in wire form) once per action id."""

    acked: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def note(self, actor: str, action: dict[str, Any], answer: dict[str, Any]) -> bool:
        if answer["type"] == "ack":
            self.acked.append((actor, action))
            return True
        return False


async def play_bot(player: Player, seat: str, strategy: str, seed: int, ledger: Ledger, steps: int = 3000) -> None:
    """Play a seat with a reference bot until the game ends."""
    from bots import make_bot
    from game_rules import LegalAction, SeatAction, to_plain
    from game_rules.orders import Cost

    bot = make_bot(strategy, seed, seat)
    for step in range(steps):
        turn = await player.request({"type": "ask"})
        assert turn["type"] == "turn", turn
        if turn["view"]["phase"] == "ended":
            return
        legal = [LegalAction(from_plain(SeatAction, e["action"]), Cost(**e["cost"])) for e in turn["legal"]]
        if not legal:
            await player.wait_for_change(1.0)
            continue
        action: dict[str, Any] = to_plain(bot.act(turn["view"], legal))
        answer = await player.request({"type": "act", "id": f"{seat}-{step}", "action": action})
        ledger.note(seat, action, answer)
    raise AssertionError(f"{seat} never saw its game end")


async def drain(player: Player, timeout: float = 20.0) -> None:
    """Wait until a player has been sent every event up to the game's newest number."""
    newest = (await player.request({"type": "ask"}))["seq"]
    deadline = time.monotonic() + timeout
    while player.seq < newest and time.monotonic() < deadline:
        await player.wait_for_change(0.5)
    assert player.seq >= newest, f"the client stopped at {player.seq} of {newest}"


async def seated(address: str, created: dict[str, Any], seat: str, protocol: str = wire.JSON) -> Player:
    """A player who joined a seat with its code and said hello."""
    joined = await join(address, created["join_codes"][seat], seat)
    player = Player([address], created["game"], joined["token"], protocol)
    welcome = await player.connect()
    assert welcome["type"] == "welcome", welcome
    return player


async def started(address: str, created: dict[str, Any]) -> Player:
    """The facilitator, connected, having started the game."""
    facilitator = Player([address], created["game"], created["facilitator_token"], wire.JSON)
    await facilitator.connect()
    answer = await facilitator.request({"type": "control", "command": "start"})
    assert answer["type"] == "ack", answer
    return facilitator
