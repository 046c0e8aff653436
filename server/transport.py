"""The websocket stack under the app: uvicorn's `websockets` protocol, with a way to write
frames straight to a socket.

A change of a game sends the same frame to many sockets. Server frames are not masked, so the
bytes on the wire are the same for every recipient: they are framed once and written to each
socket's transport, instead of passing each copy through the ASGI and websockets layers. The
transport's buffer is the outbox: a client whose buffer grows past its limit is too slow and
is dropped. Everything else (the handshake, pings, closing, reading) stays with the protocol.
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

from server.settings import Settings

EXTENSION = "normarena.websocket"
_OPEN = State.OPEN  # read on every frame written: a module name is cheaper than an enum's member
TEXT, BINARY = 0x1, 0x2
CLOSED = -1  # what `DirectWriter.write` answers for a websocket no longer open


class FramingProtocol(WebSocketProtocol):
    """uvicorn's protocol, handing itself to the app in the scope's extensions."""

    async def run_asgi(self) -> None:
        extensions: dict[str, Any] = self.scope["extensions"]
        extensions[EXTENSION] = self
        await super().run_asgi()


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
        **options,
    )
