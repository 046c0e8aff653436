"""One websocket's life: greeted, live, closed; what it reads and what it is sent.

Frames are encoded (and framed) before they reach a connection, so one encoding serves every
connection that receives the same frame. They are written straight to the socket's transport
(`server.transport`), whose buffer is the outbox, or, on another websocket stack, queued for a
writer task. Either way the outbox is bounded: a client that stops reading is dropped rather
than letting a worker's memory grow; it resumes from its last event number when it comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
from collections import deque
from collections.abc import Callable

from starlette.websockets import WebSocket, WebSocketDisconnect

from server import transport, wire
from server.auth import Role
from server.protocol import ServerMessage
from server.transport import DirectWriter

TOO_SLOW = 1013  # "try again later": the client stopped reading and its outbox filled


class Stage(enum.Enum):
    GREETING = "greeting"
    LIVE = "live"
    CLOSED = "closed"


_CLOSED = Stage.CLOSED  # read on every frame sent: a module name is cheaper than an enum's member


class Connection:
    """A client connected to a game: who it is, what it has been sent, and its outbox."""

    def __init__(
        self,
        socket: WebSocket,
        protocol: str,
        address: str,
        max_frames: int,
        max_bytes: int,
        writer: DirectWriter | None = None,
    ) -> None:
        self.socket = socket
        self.writer = writer
        self.inbox = writer.inbox if writer is not None else None
        self.protocol = protocol
        self.address = address
        self.stage = Stage.GREETING
        self.game = ""
        self.role = Role("spectator")
        self.token = ""
        self.seq = 0  # the newest event number this client has been sent (or chose to skip)
        self.bots_clock = False  # a game on the bots clock: its requests have the bots' rate
        self.close_code = 0  # when set, the socket is closed with it once the outbox is sent
        self.close_reason = ""
        self._max_frames, self._max_bytes = max_frames, max_bytes
        self._outbox: deque[bytes | str] = deque()
        self._queued_bytes = 0
        self._wake = asyncio.Event()
        self.on_drop: Callable[[], object] | None = None  # how the session ends a dropped client

    @property
    def viewer(self) -> str:
        return self.role.viewer

    @property
    def limit_key(self) -> str:
        """What this greeted connection's requests count against: its token."""
        return f"t:{self.role.token_hash}"

    def go_live(self, game: str, role: Role, seq: int) -> None:
        if self.stage is not Stage.GREETING:
            raise RuntimeError(f"a connection goes live once, not from {self.stage}")
        self.game, self.role, self.seq, self.stage = game, role, seq, Stage.LIVE

    async def receive(self) -> bytes | str:
        """The client's next message; raises `WebSocketDisconnect` once it has gone."""
        if self.inbox is not None:
            return await self.inbox.receive()
        message = await self.socket.receive()
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        raw = message.get("bytes")
        return raw if raw is not None else str(message.get("text") or "")

    def send(self, message: ServerMessage) -> None:
        """Encode and send one message to this connection alone."""
        self.send_frame(wire.encode(self.protocol, message))

    def send_frame(self, frame: bytes | str, framed: bytes | None = None) -> None:
        """Send an encoded message (`framed`: the same, as websocket frame bytes, if already made);
        a client too slow to keep its outbox from filling is dropped."""
        if self.stage is _CLOSED:
            return
        if self.writer is not None:
            buffered = self.writer.write(framed or transport.frame(frame))
            if buffered == transport.CLOSED:
                self.close()  # the client went away; its session ends on its own
            elif buffered > self._max_bytes:
                self.close(TOO_SLOW, "too slow: the send queue filled up")
            return
        size = len(frame)
        # An empty outbox takes any one frame: a welcome may be bigger than the byte budget (it
        # carries every event missed since `last_seq`), and a client that reads is not too slow.
        full = len(self._outbox) >= self._max_frames or self._queued_bytes + size > self._max_bytes
        if full and self._outbox:
            self.close(TOO_SLOW, "too slow: the send queue filled up")
            return
        self._outbox.append(frame)
        self._queued_bytes += size
        self._wake.set()

    def close(self, code: int = 0, reason: str = "") -> None:
        """Stop sending; with a code, the server closes the socket after what is queued (a client
        that was too slow loses its queue: it resumes from its number)."""
        if self.stage is Stage.CLOSED:
            return
        self.stage = Stage.CLOSED
        self.close_code, self.close_reason = code, reason
        if code == TOO_SLOW:
            self._outbox.clear()
            self._queued_bytes = 0
            if self.writer is not None:
                self.writer.abort()
        # With a direct writer no pump task is there to close the socket, and the session sits
        # waiting for the client's next frame: end it now (a re-issued seat is cut off at once).
        if self.on_drop is not None and (code == TOO_SLOW or self.writer is not None):
            self.on_drop()
        self._wake.set()

    async def pump(self) -> None:
        """Send queued frames until the connection closes and its outbox is empty."""
        try:
            while True:
                while self._outbox:
                    frame = self._outbox.popleft()
                    self._queued_bytes -= len(frame)
                    if isinstance(frame, bytes):
                        await self.socket.send_bytes(frame)
                    else:
                        await self.socket.send_text(frame)
                if self.stage is Stage.CLOSED:
                    break
                self._wake.clear()
                await self._wake.wait()
        except (WebSocketDisconnect, OSError, RuntimeError):
            self.stage = Stage.CLOSED  # the client went away: nothing more to send
            return
        if self.close_code:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.socket.close(code=self.close_code, reason=self.close_reason), 1.0)
