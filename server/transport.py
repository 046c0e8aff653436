"""The websocket stack under the app: uvicorn's `websockets` protocol, with a way to write
frames straight to a socket and to read clients' messages straight from it (`server.inbox`).

A change of a game sends the same frame to many sockets. Server frames are not masked, so the
bytes on the wire are the same for every recipient: they are framed once and written to each
socket's transport, instead of passing each copy through the ASGI and websockets layers. The
transport's buffer is the outbox: a client whose buffer grows past its limit is too slow and
is dropped. The handshake, pings, pongs and closing stay with the protocol.
"""

from __future__ import annotations

import warnings
from collections.abc import MutableMapping
from typing import Any

import uvicorn
from starlette.types import ASGIApp
from uvicorn.config import UvicornDeprecationWarning

with warnings.catch_warnings():
    # We build on this protocol on purpose (frames go straight to the transport); uvicorn 0.54
    # announces that `--ws websockets` will mean another one, which every start would print.
    warnings.simplefilter("ignore", UvicornDeprecationWarning)
    from uvicorn.protocols.websockets.websockets_impl import WebSocketProtocol
from websockets.protocol import State

from server.inbox import Inbox
from server.settings import Settings

EXTENSION = "normarena.websocket"
_OPEN = State.OPEN  # read on every frame written: a module name is cheaper than an enum's member
TEXT, BINARY = 0x1, 0x2
CLOSED = -1  # what `DirectWriter.write` answers for a websocket no longer open


class FramingProtocol(WebSocketProtocol):
    """uvicorn's protocol, handing itself to the app in the scope's extensions, and its data
    frames to an `Inbox` once the handshake is done."""

    inbox: Inbox | None = None

    async def run_asgi(self) -> None:
        extensions: dict[str, Any] = self.scope["extensions"]
        extensions[EXTENSION] = self
        await super().run_asgi()

    def connection_open(self) -> None:
        super().connection_open()
        # From the handshake's answer on, the bytes are frames. A client that sent frames before
        # that answer (they wait in the protocol's reader) or an extension that changes frames
        # is left to the protocol's own reading. (asyncio's StreamReader keeps its unread bytes
        # in `_buffer`; were that to change, the protocol would go on reading.)
        unread = getattr(self.reader, "_buffer", None)
        if not self.extensions and unread is not None and not unread:
            unlimited = 1 << 63  # the protocol's None: no limit
            self.inbox = Inbox(self, self.max_size or unlimited, self.max_queue or unlimited)

    def data_received(self, data: bytes) -> None:
        inbox = self.inbox
        if inbox is None:
            super().data_received(data)
        else:
            inbox.feed(data)

    def read_control_frame(self, frame: bytes) -> None:
        """A whole ping, pong or close frame, for the protocol to answer as it always does."""
        super().data_received(frame)

    def reader_paused(self) -> bool:
        """Whether the protocol's reader stopped the socket's reading (its buffer is full)."""
        paused: bool = getattr(self.reader, "_paused", False)  # asyncio's StreamReader's own flag
        return paused

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        if self.inbox is not None:
            self.inbox.end(self.close_code or 1006)


def frame(payload: bytes | str) -> bytes:
    """One final, unmasked websocket frame (RFC 6455 §5.2): text for str, binary for bytes."""
    if isinstance(payload, str):
        data, opcode = payload.encode(), TEXT
    else:
        data, opcode = payload, BINARY
    size = len(data)
    if size < 126:
        header = bytes((0x80 | opcode, size))
    elif size < 65_536:
        header = bytes((0x80 | opcode, 126)) + size.to_bytes(2, "big")
    else:
        header = bytes((0x80 | opcode, 127)) + size.to_bytes(8, "big")
    return header + data


class DirectWriter:
    """Writes framed bytes to one websocket's transport."""

    def __init__(self, protocol: Any) -> None:
        self.protocol = protocol

    @property
    def inbox(self) -> Inbox | None:
        """The websocket's messages, read straight from it (None: read them through ASGI)."""
        inbox: Inbox | None = self.protocol.inbox
        return inbox

    async def ready(self) -> None:
        """Wait until the handshake's answer is out: frames may follow it."""
        await self.protocol.handshake_completed_event.wait()

    def write(self, framed: bytes) -> int:
        """Write a frame; the bytes now waiting in the transport's buffer, or CLOSED (and nothing
        written) if the websocket is no longer open. One call per frame and recipient: the
        check and the write are made together."""
        protocol = self.protocol
        transport = protocol.transport
        if protocol.state is not _OPEN or transport is None or transport.is_closing():
            return CLOSED
        transport.write(framed)
        buffered: int = transport.get_write_buffer_size()
        return buffered

    def abort(self) -> None:
        """Drop the connection at once, with whatever its buffer holds (a client too slow to read)."""
        transport = self.protocol.transport
        if transport is not None:
            transport.abort()


def writer_for(scope: MutableMapping[str, Any]) -> DirectWriter | None:
    """The direct writer of a websocket served by `FramingProtocol`, if it is."""
    protocol = scope.get("extensions", {}).get(EXTENSION)
    return DirectWriter(protocol) if protocol is not None else None


def uvicorn_config(app: ASGIApp, settings: Settings, **options: Any) -> uvicorn.Config:
    """The server's uvicorn settings, for `serve` and the tests alike."""
    return uvicorn.Config(
        app,
        ws=FramingProtocol,
        ws_max_size=settings.hard_frame_bytes,
        # Frames are patches of a few hundred bytes: compressing them costs more CPU than it
        # saves bytes (bench/README.md), and each compressor holds ~300 KB per connection.
        ws_per_message_deflate=False,
        loop="auto",  # uvloop where it is installed (not on Windows)
        http="auto",  # httptools
        log_level="warning",
        **{"timeout_graceful_shutdown": 5, **options},  # a stop waits for sessions, not for ever
    )
