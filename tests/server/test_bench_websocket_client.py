"""The benchmark's own websocket client (`bench/websocket.py`) against the real server: the
benchmark's figures are only as good as its client's reading of the protocol."""

from __future__ import annotations

import asyncio

import msgpack
import pytest

from bench.websocket import ConnectionClosed, HandshakeError, WebSocket
from server.settings import Settings

PROTOCOL = "normarena.v2.msgpack"


async def test_the_bench_client_agrees_a_subprotocol_and_reads_the_answers_it_asked_for(server: str) -> None:
    socket = await WebSocket.connect(f"ws://{server}/ws", [PROTOCOL], 10.0)
    try:
        assert socket.subprotocol == PROTOCOL
        for number in range(3):
            socket.send(msgpack.packb({"type": "ping", "id": f"p{number}"}))
            answer = msgpack.unpackb(await asyncio.wait_for(socket.recv(), 10.0))
            assert (answer["type"], answer["id"]) == ("pong", f"p{number}")
    finally:
        await socket.close()
    assert socket.close_code == 1000  # the server answered the closing handshake


async def test_the_bench_client_hears_the_close_code_when_the_server_closes(server: str) -> None:
    closed: list[int] = []
    socket = await WebSocket.connect(f"ws://{server}/ws", [PROTOCOL], 10.0)
    socket.on_close = closed.append
    socket.send(b"\x00" * (Settings().hard_frame_bytes + 1))  # past the largest frame the server reads
    with pytest.raises(ConnectionClosed) as raised:
        await asyncio.wait_for(socket.recv(), 10.0)
    assert raised.value.code == 1009 == closed[0]  # "message too big"


async def test_the_bench_client_refuses_an_answer_that_is_not_an_upgrade(server: str) -> None:
    with pytest.raises(HandshakeError, match="not 101"):
        await WebSocket.connect(f"ws://{server}/no-such-socket", [PROTOCOL], 10.0)
