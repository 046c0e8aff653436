"""Clients' frames as the server reads them straight from the socket (`server.inbox`): whole
messages however the bytes arrive, fragments put together, control frames answered, and the
protocol's faults closed with their RFC 6455 codes. A raw TCP client writes the bytes."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import struct
from collections.abc import AsyncIterator

import pytest

from server.app import create_app
from server.settings import Settings
from tests.server.client import new_game
from tests.server.conftest import running

TEXT, CONTINUATION, CLOSE, PING, PONG = 0x1, 0x0, 0x8, 0x9, 0xA


def client_frame(opcode: int, payload: bytes, fin: bool = True, masked: bool = True) -> bytes:
    """A frame as a client sends it: masked, with the length in as few bytes as it fits."""
    size = len(payload)
    first = (0x80 if fin else 0) | opcode
    mask_bit = 0x80 if masked else 0
    if size < 126:
        header = bytes((first, mask_bit | size))
    elif size < 65_536:
        header = bytes((first, mask_bit | 126)) + size.to_bytes(2, "big")
    else:
        header = bytes((first, mask_bit | 127)) + size.to_bytes(8, "big")
    if not masked:
        return header + payload
    mask = os.urandom(4)
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def ping_message(request: str) -> bytes:
    return json.dumps({"type": "ping", "id": request}).encode()


class RawClient:
    """A websocket client made of a TCP stream: it writes whatever bytes a test gives it."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def write(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def frame(self) -> tuple[int, bytes]:
        """The server's next frame: its opcode and payload."""
        first, second = await asyncio.wait_for(self.reader.readexactly(2), 5)
        size = second & 0x7F
        if size == 126:
            size = struct.unpack("!H", await self.reader.readexactly(2))[0]
        elif size == 127:
            size = struct.unpack("!Q", await self.reader.readexactly(8))[0]
        return first & 0x0F, await self.reader.readexactly(size)

    async def message(self) -> dict[str, object]:
        """The server's next text message, skipping control frames."""
        while True:
            opcode, payload = await self.frame()
            if opcode == TEXT:
                answer: dict[str, object] = json.loads(payload)
                return answer

    async def close_code(self) -> int:
        """The code of the close frame the server sends next (after any other frames)."""
        while True:
            opcode, payload = await self.frame()
            if opcode == CLOSE:
                return int.from_bytes(payload[:2], "big")


async def open_raw(address: str) -> RawClient:
    """A websocket opened by hand: the handshake, and nothing more."""
    host, port = address.split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            f"GET /ws HTTP/1.1\r\nHost: {address}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    answer = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    assert answer.startswith(b"HTTP/1.1 101"), answer
    return RawClient(reader, writer)


@pytest.fixture
async def raw(server: str) -> AsyncIterator[RawClient]:
    client = await open_raw(server)
    try:
        yield client
    finally:
        client.writer.close()


async def test_a_message_arriving_a_byte_at_a_time_is_read_whole(raw: RawClient) -> None:
    for byte in client_frame(TEXT, ping_message("slow")):
        await raw.write(bytes([byte]))
        await asyncio.sleep(0.001)  # each byte its own segment: the server reads them apart
    assert (await raw.message())["id"] == "slow"


async def test_messages_arriving_in_one_write_are_each_answered_in_order(raw: RawClient) -> None:
    long = json.dumps({"type": "ping", "id": "long", "pad": "x" * 300}).encode()  # a 2-byte length
    await raw.write(b"".join(client_frame(TEXT, body) for body in (ping_message("a"), long, ping_message("b"))))
    assert [(await raw.message())["id"] for _ in range(3)] == ["a", "long", "b"]


async def test_a_fragmented_message_is_put_together_and_a_ping_between_its_parts_answered(raw: RawClient) -> None:
    body = ping_message("in three parts")
    await raw.write(client_frame(TEXT, body[:5], fin=False))
    await raw.write(client_frame(PING, b"still there?"))
    assert await raw.frame() == (PONG, b"still there?")
    await raw.write(client_frame(CONTINUATION, body[5:12], fin=False) + client_frame(CONTINUATION, body[12:]))
    assert (await raw.message())["id"] == "in three parts"


async def test_a_frame_over_the_hard_limit_is_refused_on_its_header_with_1009(raw: RawClient) -> None:
    too_big = Settings().hard_frame_bytes + 1
    # Only the header and the mask: the server must not wait for (or hold) the payload.
    await raw.write(bytes((0x81, 0x80 | 127)) + too_big.to_bytes(8, "big") + os.urandom(4))
    assert await raw.close_code() == 1009


async def test_a_fragmented_message_over_the_hard_limit_is_refused_on_the_last_parts_header_with_1009(
    raw: RawClient,
) -> None:
    part = b"x" * (Settings().hard_frame_bytes // 2 + 1)
    second = client_frame(CONTINUATION, part)
    await raw.write(client_frame(TEXT, part, fin=False) + second[:14])  # its header and mask only
    assert await raw.close_code() == 1009


async def test_text_that_is_not_utf8_closes_with_1007(raw: RawClient) -> None:
    await raw.write(client_frame(TEXT, b'{"type": "ping", "id": "\xff"}'))
    assert await raw.close_code() == 1007


@pytest.mark.parametrize(
    "frame",
    [
        client_frame(TEXT, ping_message("bare"), masked=False),
        client_frame(CONTINUATION, b"nothing to continue"),
        client_frame(0x3, b"no such opcode"),
        bytes((0xC1, 0x80)) + os.urandom(4),  # a reserved bit set with no extension agreed
        client_frame(PING, b"p" * 126),
        client_frame(PING, b"in parts", fin=False),
    ],
    ids=["unmasked", "stray-continuation", "unknown-opcode", "reserved-bit", "long-ping", "fragmented-ping"],
)
async def test_a_frame_breaking_the_protocol_closes_with_1002(raw: RawClient, frame: bytes) -> None:
    await raw.write(frame)
    assert await raw.close_code() == 1002


async def test_a_new_message_inside_a_fragmented_one_closes_with_1002(raw: RawClient) -> None:
    await raw.write(client_frame(TEXT, b'{"type"', fin=False) + client_frame(TEXT, ping_message("cut in")))
    assert await raw.close_code() == 1002


async def test_nothing_after_a_clients_close_is_read(raw: RawClient) -> None:
    # Were the frame after the close read, it would fail the connection with 1002 instead.
    close = client_frame(CLOSE, (1000).to_bytes(2, "big"))
    await raw.write(close + client_frame(TEXT, ping_message("after"), masked=False))
    assert await raw.close_code() == 1000


async def test_a_clients_close_is_answered_with_its_code(raw: RawClient) -> None:
    await raw.write(client_frame(TEXT, ping_message("before")))
    assert (await raw.message())["id"] == "before"
    await raw.write(client_frame(CLOSE, (1001).to_bytes(2, "big")))
    assert await raw.close_code() == 1001
    assert await asyncio.wait_for(raw.reader.read(), 5) == b""  # and the server hangs up


async def test_a_flood_waits_in_its_socket_while_the_session_is_behind_and_every_frame_is_answered(
    redis_url: str,
) -> None:
    # A token held to 50 requests a second: its session sleeps after each refusal, so the frames
    # of a flood pile up in the inbox until the socket is no longer read.
    settings = Settings(redis_url=redis_url, port=0, rate_per_second=50, rate_burst=1)
    app = create_app(settings)
    async with running(settings, app) as address:
        created = await new_game(address, clock="classroom")
        client = await open_raw(address)
        try:
            hello = {"type": "hello", "game": created["game"], "token": created["spectator_token"]}
            await client.write(client_frame(TEXT, json.dumps(hello).encode()))
            assert (await client.message())["type"] == "welcome"
            flood = [ping_message(str(n)) for n in range(120)]
            await client.write(b"".join(client_frame(TEXT, body) for body in flood))
            worker = app.state.worker
            (connection,) = worker.hub.rooms[created["game"]].connections
            inbox, transport = connection.inbox, connection.writer.protocol.transport
            for _ in range(500):  # the server shares this test's event loop: let it read
                if not transport.is_reading():
                    break
                await asyncio.sleep(0.01)
            assert not transport.is_reading() and len(inbox._messages) >= inbox.max_queue
            answers: list[dict[str, object]] = []
            while len(answers) < len(flood):  # among them, the room's news (who came in)
                message = await client.message()
                if message["type"] in ("pong", "error"):
                    answers.append(message)
            # Every frame answered once, in order: a pong, or a refusal to send it again.
            assert [a["id"] for a in answers] == [str(n) for n in range(120)]
            assert {(a["type"], a.get("code")) for a in answers} == {("pong", None), ("error", "rate_limited")}
            assert transport.is_reading()
        finally:
            client.writer.close()
