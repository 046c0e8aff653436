"""The benchmark's game client: hello, act and ack, and a record of when each marked
message event arrived. It never reads the view (or a v2 patch): it finds the event it waits
for by its kind and the marker at the start of the message's text, so the same client
measures the v1 wire and the v2 one alike. Frames are read as they arrive, on the benchmark's
own websocket client (`bench.websocket`), so that reading them costs the shared cores little.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

import msgpack

from bench.websocket import ConnectionClosed, HandshakeError, Message, WebSocket

# The one place the wire's version is named.
PROTOCOL = "normarena.v2.msgpack"
MARK = "~"  # a marked message's text starts with "~tag.n~"
ANSWERS = frozenset(("ack", "turn", "pong", "error"))
# Parts of a server message the benchmark never needs; skipped unread to keep clients cheap.
UNREAD = frozenset(("view", "patch", "missed", "legal"))
RETRY_CODES = frozenset(("rate_limited", "busy"))  # not applied: the protocol says send it again
RETRY_PAUSE = 0.25
ANSWER_TIMEOUT = 60.0


class ClientError(Exception):
    """The server refused a hello, or a connection could not be opened."""


@dataclass(frozen=True)
class Ticket:
    """One connection to open: where, into which game, as whom (`seat` is "" for a spectator)."""

    key: str
    url: str
    game: str
    token: str
    seat: str


@dataclass(frozen=True)
class Answer:
    """What an action got back: its ack's event number, or the error code; when, and retries."""

    seq: int
    error: str
    answered_at: float
    retries: int


def read_frame(frame: bytes | str) -> dict[str, Any]:
    """A server message as a map, without the parts the benchmark never reads."""
    if isinstance(frame, str):
        decoded: dict[str, Any] = json.loads(frame)
        return {k: v for k, v in decoded.items() if k not in UNREAD}
    unpacker = msgpack.Unpacker(raw=False)
    unpacker.feed(frame)
    message: dict[str, Any] = {}
    for _ in range(unpacker.read_map_header()):
        key = unpacker.unpack()
        if key in UNREAD:
            unpacker.skip()
        else:
            message[key] = unpacker.unpack()
    return message


def marker_of(event: dict[str, Any]) -> str:
    """The marker of a marked message event, or ""."""
    if event.get("kind") != "message":
        return ""
    detail = event.get("detail") or {}
    text = str(detail.get("text", "")) if isinstance(detail, dict) else ""
    if not text.startswith(MARK):
        return ""
    return text.split(" ", 1)[0]


@dataclass
class BenchConnection:
    """One open connection: its answers by id, and every marked event it received, when."""

    ticket: Ticket
    socket: WebSocket | None = None
    receipts: list[tuple[str, int, float]] = field(default_factory=list)  # (marker, seq, monotonic)
    last_seq: int = 0
    out_of_order: int = 0  # events whose number was not above the last one this client saw
    frames: int = 0
    last_frame_at: float = 0.0
    statuses: int = 0  # v2 `status` notices (the store unreachable, or back)
    dropped: int = 0  # close code when the server closed us (1006 when the socket just broke)
    closing: bool = False
    _waiting: dict[str, asyncio.Future[tuple[dict[str, Any], float]]] = field(default_factory=dict)
    _watching: dict[str, asyncio.Future[float]] = field(default_factory=dict)

    async def open(self, timeout: float = 60.0) -> None:
        """Connect, say hello, await the welcome; then every frame is read as it arrives."""
        try:
            self.socket = await WebSocket.connect(self.ticket.url, [PROTOCOL], timeout)
            self._send({"type": "hello", "game": self.ticket.game, "token": self.ticket.token, "last_seq": 0})
            welcome = read_frame(await asyncio.wait_for(self.socket.recv(), timeout))
        except (OSError, TimeoutError, HandshakeError, ConnectionClosed) as error:
            raise ClientError(f"{self.ticket.key}: {type(error).__name__}: {error}") from error
        if welcome.get("type") != "welcome":
            raise ClientError(f"{self.ticket.key}: {welcome.get('code')}: {welcome.get('message')}")
        self.last_seq = int(welcome.get("seq", 0))
        self.last_frame_at = time.monotonic()
        self.socket.listen(self._read, self._lost)

    def _send(self, message: dict[str, Any]) -> None:
        assert self.socket is not None
        if PROTOCOL.endswith(".json"):
            self.socket.send(json.dumps(message))
        else:
            self.socket.send(msgpack.packb(message, use_bin_type=True))

    def _read(self, frame: Message) -> None:
        arrived = time.monotonic()
        self.frames += 1
        self.last_frame_at = arrived
        self._take(read_frame(frame), arrived)

    def _lost(self, code: int) -> None:
        if not self.closing:
            self.dropped = code
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(ConnectionError("the connection dropped"))

    def _take(self, message: dict[str, Any], arrived: float) -> None:
        kind = message.get("type")
        if kind in ANSWERS:
            future = self._waiting.pop(str(message.get("id", "")), None)
            if future is not None and not future.done():
                future.set_result((message, arrived))
        elif kind == "events":
            for event in message.get("events") or ():
                seq = int(event.get("seq", 0))
                if seq <= self.last_seq:
                    self.out_of_order += 1
                else:
                    self.last_seq = seq
                marker = marker_of(event)
                if marker:
                    self.receipts.append((marker, seq, arrived))
                    watcher = self._watching.pop(marker, None)
                    if watcher is not None and not watcher.done():
                        watcher.set_result(arrived)
        elif kind == "status":
            self.statuses += 1

    async def request(self, message: dict[str, Any]) -> tuple[dict[str, Any], float]:
        """Send a request with an id and wait for its answer; the answer and when it came."""
        future: asyncio.Future[tuple[dict[str, Any], float]] = asyncio.get_running_loop().create_future()
        self._waiting[str(message["id"])] = future
        self._send(message)
        return await asyncio.wait_for(future, ANSWER_TIMEOUT)

    async def act(self, action: dict[str, Any], action_id: str, own_copy: bool = False) -> Answer:
        """Send an action; resend it on `rate_limited` or `busy` (the protocol says it was not
        applied); with `own_copy`, also wait until this connection receives its own event (the
        action's id is its marker)."""
        watcher: asyncio.Future[float] | None = None
        if own_copy:
            watcher = asyncio.get_running_loop().create_future()
            self._watching[action_id] = watcher
        retries = 0
        try:
            while True:
                answer, answered_at = await self.request({"type": "act", "id": action_id, "action": action})
                code = str(answer.get("code", "")) if answer.get("type") == "error" else ""
                if code in RETRY_CODES:
                    retries += 1
                    await asyncio.sleep(RETRY_PAUSE)
                    continue
                if watcher is not None and not code:
                    await asyncio.wait_for(watcher, ANSWER_TIMEOUT)
                return Answer(int(answer.get("seq", 0) or 0), code, answered_at, retries)
        except (ConnectionError, ConnectionClosed, TimeoutError) as error:
            return Answer(0, "dropped" if not isinstance(error, TimeoutError) else "timeout", time.monotonic(), retries)
        finally:
            self._watching.pop(action_id, None)  # a refused action's event never comes

    async def close(self) -> None:
        self.closing = True
        if self.socket is not None:
            with contextlib.suppress(Exception):
                await self.socket.close(5)
