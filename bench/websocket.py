"""The benchmark's own websocket client: the handshake, masked frames out, and each whole
message handed over as its bytes arrive.

The clients share the machine's two cores with the server they measure. A general client
(the `websockets` library's, which `arena_client` uses) spends a coroutine switch and several
objects on every frame it reads, and one client process reads the frames of many sockets in a
row; at saturation that made the clients, not the server, set the pace, and it made every
fan-out's last arrival wait behind the client's own reading. This one is a plain
`asyncio.Protocol`: a frame is parsed in `data_received` and given to a callback, with no task,
queue or future per frame. It speaks RFC 6455 as a client must (masked frames, the accept key
checked, pings answered, the closing handshake), without extensions: the server offers none.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import contextlib
import hashlib
import os
import struct
from collections.abc import Callable
from typing import cast
from urllib.parse import urlsplit

from websockets.speedups import apply_mask

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
NO_STATUS, ABNORMAL = 1005, 1006
MAX_HEADER_BYTES = 65_536


class HandshakeError(Exception):
    """The server did not upgrade the connection (its status line says why), or broke it."""


class ConnectionClosed(Exception):
    """The connection is closed; `code` is the close code the server sent (1006 if none)."""

    def __init__(self, code: int) -> None:
        super().__init__(f"the connection is closed ({code})")
        self.code = code


Message = bytes | str


class WebSocket(asyncio.Protocol):
    """One client connection. Messages go to `on_message(message)` when it is set, else they
    wait for `recv`; `on_close(code)` hears when the connection is gone."""

    def __init__(self, on_message: Callable[[Message], None] | None = None) -> None:
        self.on_message = on_message
        self.on_close: Callable[[int], None] | None = None
        self.transport: asyncio.Transport | None = None
        self.subprotocol = ""
        self.close_code = 0  # 0 while open
        self._buffer = bytearray()
        self._upgraded = False
        self._close_sent = False
        self._gone = False  # connection_lost has come
        self._key = ""
        self._handshake: asyncio.Future[None] | None = None
        self._closed: asyncio.Future[None] | None = None
        self._fragments: list[bytes] = []
        self._fragment_opcode = 0
        self._inbox: collections.deque[Message] = collections.deque()
        self._waiter: asyncio.Future[None] | None = None

    # --- opening --------------------------------------------------------------------------

    @classmethod
    async def connect(
        cls, url: str, subprotocols: list[str], timeout: float, on_message: Callable[[Message], None] | None = None
    ) -> WebSocket:
        """Open a connection to a `ws://` URL and finish the handshake (or raise `HandshakeError`,
        `OSError` or `TimeoutError`)."""
        parts = urlsplit(url)
        loop = asyncio.get_running_loop()
        socket = cls(on_message)
        socket._handshake = loop.create_future()
        socket._closed = loop.create_future()
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host, port = parts.hostname or "127.0.0.1", parts.port or 80

        async def opening() -> None:
            await loop.create_connection(lambda: socket, host, port)
            socket._request(f"{host}:{port}", target, subprotocols)
            assert socket._handshake is not None
            await socket._handshake

        try:
            await asyncio.wait_for(opening(), timeout)
        except BaseException:
            socket.abort()
            raise
        return socket

    def _request(self, host: str, target: str, subprotocols: list[str]) -> None:
        self._key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            f"GET {target} HTTP/1.1",
            f"Host: {host}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {self._key}",
            "Sec-WebSocket-Version: 13",
        ]
        if subprotocols:
            lines.append(f"Sec-WebSocket-Protocol: {', '.join(subprotocols)}")
        assert self.transport is not None
        self.transport.write(("\r\n".join(lines) + "\r\n\r\n").encode())

    def _read_response(self) -> bool:
        """Take the handshake's answer from the buffer, if it is all there."""
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self._buffer) > MAX_HEADER_BYTES:
                self._fail_handshake("the handshake's answer is too long")
            return False
        head = bytes(self._buffer[:end]).decode("latin-1").split("\r\n")
        del self._buffer[: end + 4]
        status = head[0].split(" ", 2)
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if len(status) < 2 or status[1] != "101":
            self._fail_handshake(f"the server answered {head[0]!r}, not 101")
            return False
        expected = base64.b64encode(hashlib.sha1(self._key.encode() + GUID).digest()).decode()
        if headers.get("sec-websocket-accept") != expected:
            self._fail_handshake("the server's Sec-WebSocket-Accept does not match the key")
            return False
        self.subprotocol = headers.get("sec-websocket-protocol", "")
        self._upgraded = True
        if self._handshake is not None and not self._handshake.done():
            self._handshake.set_result(None)
        return True

    def _fail_handshake(self, reason: str) -> None:
        if self._handshake is not None and not self._handshake.done():
            self._handshake.set_exception(HandshakeError(reason))
        self.abort()

    # --- asyncio.Protocol -----------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if not self._upgraded and not self._read_response():
            return
        self._read_frames()

    def connection_lost(self, exc: Exception | None) -> None:
        self._gone = True
        if not self.close_code:
            self.close_code = ABNORMAL
        if self._handshake is not None and not self._handshake.done():
            self._handshake.set_exception(HandshakeError("the connection broke during the handshake"))
        if self._closed is not None and not self._closed.done():
            self._closed.set_result(None)
        self._wake()
        if self.on_close is not None:
            self.on_close(self.close_code)

    # --- frames ---------------------------------------------------------------------------

    def _read_frames(self) -> None:
        buffer = self._buffer
        start = 0
        while True:
            if len(buffer) - start < 2:
                break
            first, second = buffer[start], buffer[start + 1]
            size = second & 0x7F
            at = start + 2
            if size == 126:
                if len(buffer) - at < 2:
                    break
                size = int.from_bytes(buffer[at : at + 2], "big")
                at += 2
            elif size == 127:
                if len(buffer) - at < 8:
                    break
                size = int.from_bytes(buffer[at : at + 8], "big")
                at += 8
            mask = b""
            if second & 0x80:  # servers must not mask, but a masked frame is still readable
                if len(buffer) - at < 4:
                    break
                mask = bytes(buffer[at : at + 4])
                at += 4
            if len(buffer) - at < size:
                break
            payload = bytes(buffer[at : at + size])
            start = at + size
            if mask:
                payload = apply_mask(payload, mask)
            self._frame(bool(first & 0x80), first & 0x0F, payload)
        if start:
            del buffer[:start]

    def _frame(self, final: bool, opcode: int, payload: bytes) -> None:
        if opcode in (TEXT, BINARY, CONTINUATION):
            if opcode != CONTINUATION:
                self._fragment_opcode, self._fragments = opcode, []
            self._fragments.append(payload)
            if not final:
                return
            whole = self._fragments[0] if len(self._fragments) == 1 else b"".join(self._fragments)
            self._fragments = []
            self._deliver(whole.decode() if self._fragment_opcode == TEXT else whole)
        elif opcode == PING:
            self._write(PONG, payload)
        elif opcode == CLOSE:
            code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else NO_STATUS
            if not self.close_code:
                self.close_code = code
                if not self._close_sent:
                    self._write(CLOSE, payload[:2])  # the closing handshake's answer
            if self.transport is not None:
                self.transport.close()

    def _deliver(self, message: Message) -> None:
        if self.on_message is not None:
            self.on_message(message)
            return
        self._inbox.append(message)
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def _write(self, opcode: int, payload: bytes) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        size = len(payload)
        if size < 126:
            header = struct.pack("!BB", 0x80 | opcode, 0x80 | size)
        elif size < 65_536:
            header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, size)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, size)
        mask = os.urandom(4)
        self.transport.write(header + mask + apply_mask(payload, mask))

    # --- the caller's side ----------------------------------------------------------------

    def listen(self, on_message: Callable[[Message], None], on_close: Callable[[int], None]) -> None:
        """From now on hand every message to `on_message` as it arrives, starting with any that
        came while the caller was reading with `recv`; and tell `on_close` when the connection
        is gone (at once, if it is gone already)."""
        self.on_message, self.on_close = on_message, on_close
        while self._inbox:
            on_message(self._inbox.popleft())
        if self._gone:
            on_close(self.close_code)

    def send(self, message: Message) -> None:
        """Send one message: text for str, binary for bytes."""
        if self.close_code:
            raise ConnectionClosed(self.close_code)
        if isinstance(message, str):
            self._write(TEXT, message.encode())
        else:
            self._write(BINARY, message)

    async def recv(self) -> Message:
        """The next message (when no `on_message` takes them)."""
        while not self._inbox:
            if self.close_code:
                raise ConnectionClosed(self.close_code)
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter
        return self._inbox.popleft()

    async def close(self, timeout: float = 5.0) -> None:
        """The closing handshake: send 1000, wait for the server's answer, then close."""
        if not self.close_code and not self._close_sent and self.transport is not None:
            self._close_sent = True
            self._write(CLOSE, (1000).to_bytes(2, "big"))
            if self._closed is not None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(self._closed), timeout)
        self.abort()

    def abort(self) -> None:
        """Drop the connection at once."""
        if self.transport is not None:
            self.transport.abort()
