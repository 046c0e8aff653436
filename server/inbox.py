"""A websocket's incoming messages, read straight from its socket.

uvicorn's `websockets` protocol reads each client frame in a task of its own, through a stream
reader, and hands the message to the app through a queue and the ASGI `receive` call: two task
switches and several layers for every action a client sends (8% of a worker's time at
saturation, bench/README.md). Data frames are nearly all that clients send, and the simplest
part of RFC 6455 to read, so they are parsed here as the bytes arrive; pings, pongs and the
closing handshake stay with the protocol, which is handed those frames whole.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from starlette.websockets import WebSocketDisconnect

try:
    from websockets.speedups import apply_mask
except ImportError:  # websockets built without its C extension
    from websockets.utils import apply_mask

TEXT, BINARY, CONTINUATION, CLOSE = 0x1, 0x2, 0x0, 0x8
CONTROL = frozenset((CLOSE, 0x9, 0xA))  # close, ping, pong
MAX_FRAGMENTS = 4096  # websockets' own limit: a message in more parts costs CPU for nothing
PROTOCOL_ERROR, INVALID_DATA, MESSAGE_TOO_BIG = 1002, 1007, 1009


class FrameError(Exception):
    """A client broke the protocol: the connection is failed with this close code."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


class Inbox:
    """One websocket's messages, parsed from its bytes as they arrive, in the order sent."""

    def __init__(self, protocol: Any, max_size: int, max_queue: int) -> None:
        self._protocol = protocol  # the websockets protocol: control frames, closing, the transport
        self.max_size, self.max_queue = max_size, max_queue
        self._held = bytearray()  # the start of a frame whose end has not arrived
        self._fragments: bytearray | None = None  # a fragmented message being put together
        self._fragments_text = False
        self._fragment_count = 0
        self._messages: deque[bytes | str] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._paused = False  # reading from the socket stopped: the session has fallen behind
        self._done = False  # the client closed, or broke the protocol: its later bytes are not read
        self.closed = False
        self.close_code = 1006

    # --- the protocol's side ----------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        """Bytes from the socket: queue every whole message they finish."""
        if self._done:
            return
        if self._held:
            self._held += data
            buffer: bytes | bytearray = self._held
        else:
            buffer = data
        try:
            used = self._parse(buffer)
        except FrameError as error:
            self._done = True
            self._held.clear()
            self._fragments = None
            self._protocol.fail_connection(error.code, error.reason)
            self._wake()  # what came before the fault is still the session's
            return
        if self._done:
            self._held.clear()  # a close came: nothing after it is read
        elif buffer is self._held:
            del self._held[:used]
        elif used < len(data):
            self._held += data[used:]
        if len(self._messages) >= self.max_queue:
            # Let the socket's buffers hold a flood, not the worker's memory. Paused again on every
            # feed over the limit: the protocol's reader (control frames) resumes the same
            # transport when its own buffer drains.
            self._paused = True
            self._protocol.transport.pause_reading()
        self._wake()

    def end(self, code: int) -> None:
        """The connection is gone: whoever waits for a message learns it."""
        self.closed, self.close_code = True, code
        self._wake()

    def _parse(self, buffer: bytes | bytearray) -> int:
        """Take every whole frame from the start of `buffer`; how many bytes they were."""
        start, size = 0, len(buffer)
        while size - start >= 2:
            first, second = buffer[start], buffer[start + 1]
            opcode, length, head = first & 0x0F, second & 0x7F, start + 2
            if first & 0x70:
                raise FrameError(PROTOCOL_ERROR, "reserved bits set")
            if not second & 0x80:
                raise FrameError(PROTOCOL_ERROR, "a client's frames must be masked")
            if length == 126:
                if size - head < 2:
                    break
                length, head = int.from_bytes(buffer[head : head + 2], "big"), head + 2
            elif length == 127:
                if size - head < 8:
                    break
                length, head = int.from_bytes(buffer[head : head + 8], "big"), head + 8
            # Refused on the header: the worker does not hold a frame it would refuse.
            if opcode in CONTROL and (length > 125 or not first & 0x80):
                raise FrameError(PROTOCOL_ERROR, "a control frame must be whole and at most 125 bytes")
            so_far = len(self._fragments) if opcode == CONTINUATION and self._fragments is not None else 0
            if so_far + length > self.max_size:
                raise FrameError(MESSAGE_TOO_BIG, f"messages are limited to {self.max_size} bytes")
            end = head + 4 + length
            if size < end:
                break
            if opcode in CONTROL:
                self._protocol.read_control_frame(bytes(buffer[start:end]))
                if opcode == CLOSE:
                    self._done = True  # the protocol answers it; what follows is not read
                    return end
            else:
                payload = apply_mask(buffer[head + 4 : end], buffer[head : head + 4])
                self._data_frame(bool(first & 0x80), opcode, payload)
            start = end
        return start

    def _data_frame(self, fin: bool, opcode: int, payload: bytes) -> None:
        if opcode == CONTINUATION:
            if self._fragments is None:
                raise FrameError(PROTOCOL_ERROR, "a continuation frame with nothing to continue")
            self._fragment_count += 1
            if self._fragment_count > MAX_FRAGMENTS:
                raise FrameError(MESSAGE_TOO_BIG, f"messages are limited to {MAX_FRAGMENTS} parts")
            self._fragments += payload
            if fin:
                whole, self._fragments = bytes(self._fragments), None
                self._messages.append(_decoded(whole) if self._fragments_text else whole)
            return
        if opcode not in (TEXT, BINARY):
            raise FrameError(PROTOCOL_ERROR, f"unknown opcode {opcode}")
        if self._fragments is not None:
            raise FrameError(PROTOCOL_ERROR, "a new message before the last one ended")
        if fin:
            self._messages.append(_decoded(payload) if opcode == TEXT else payload)
        else:
            self._fragments, self._fragments_text, self._fragment_count = bytearray(payload), opcode == TEXT, 1

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    # --- the session's side -----------------------------------------------------------------

    async def receive(self) -> bytes | str:
        """The next message; raises `WebSocketDisconnect` once the connection is gone."""
        messages = self._messages
        while not messages:
            if self.closed:
                raise WebSocketDisconnect(self.close_code)
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        message = messages.popleft()
        # While the protocol's reader holds too many control frames (their answers wait on a
        # client that does not read), it has paused the socket, and resumes it itself.
        if self._paused and len(messages) < self.max_queue and not self._protocol.reader_paused():
            self._paused = False
            transport = self._protocol.transport
            if transport is not None and not transport.is_closing():
                transport.resume_reading()
        return message


def _decoded(payload: bytes) -> str:
    try:
        return payload.decode()
    except UnicodeDecodeError:
        raise FrameError(INVALID_DATA, "a text message that is not UTF-8") from None
