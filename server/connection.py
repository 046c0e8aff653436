"""One websocket's life: greeted, authenticated, live, closed; its send queue and rate limit.

The queue is bounded: a client that stops reading is dropped rather than letting a worker's
memory grow. The rate limit is a token bucket per connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import time
from dataclasses import dataclass, field

from starlette.websockets import WebSocket

from server import wire
from server.auth import Role
from server.protocol import ServerMessage


class Stage(enum.Enum):
    GREETING = "greeting"
    LIVE = "live"
    CLOSED = "closed"


@dataclass
class RateLimit:
    """A token bucket: `rate` per second, up to `burst` at once."""

    rate: float
    burst: int
    tokens: float = 0.0
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = float(self.burst)

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class Connection:
    """A client connected to a game: what it may see, what it has seen, and its outbox."""

    def __init__(self, socket: WebSocket, protocol: str, queue_size: int, rate: RateLimit) -> None:
        self.socket = socket
        self.protocol = protocol
        self.stage = Stage.GREETING
        self.game = ""
        self.role = Role("spectator")
        self.token = ""
        self.seq = 0  # the newest event this client has been sent
        self.rate = rate
        self.outbox: asyncio.Queue[ServerMessage | None] = asyncio.Queue(maxsize=queue_size)
        self.close_reason = ""
        self.writer: asyncio.Task[None] | None = None
        self.close_code = 0  # when set, the socket is closed with it once the outbox is sent

    def go_live(self, game: str, role: Role, seq: int) -> None:
        if self.stage is not Stage.GREETING:
            raise RuntimeError(f"a connection goes live once, not from {self.stage}")
        self.game, self.role, self.seq, self.stage = game, role, seq, Stage.LIVE

    def send(self, message: ServerMessage) -> None:
        """Queue a message; a client too slow to keep its queue from filling is dropped."""
        if self.stage is Stage.CLOSED:
            return
        try:
            self.outbox.put_nowait(message)
        except asyncio.QueueFull:
            self.close(1013, "too slow: the send queue filled up")
            if self.writer is not None:
                self.writer.cancel()  # it may be stuck writing to a client that does not read

    def close(self, code: int = 0, reason: str = "") -> None:
        """Stop sending; with a code, the server closes the socket after what is queued."""
        if self.stage is not Stage.CLOSED:
            self.stage = Stage.CLOSED
            self.close_code, self.close_reason = code, reason
            with contextlib.suppress(asyncio.QueueFull):
                self.outbox.put_nowait(None)
            if code == 1013:
                # The queue is full: drop what is in it, the client will resume from its number.
                while not self.outbox.empty():
                    self.outbox.get_nowait()
                self.outbox.put_nowait(None)

    async def pump(self) -> None:
        """Send queued messages until the connection closes."""
        while True:
            message = await self.outbox.get()
            if message is None:
                break
            frame = wire.encode(self.protocol, message)
            if isinstance(frame, bytes):
                await self.socket.send_bytes(frame)
            else:
                await self.socket.send_text(frame)
        if self.close_code and self.close_code != 1013:
            await self.socket.close(code=self.close_code, reason=self.close_reason)
