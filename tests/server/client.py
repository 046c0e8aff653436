"""A small test client: real websockets, either encoding, and requests matched by id."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import socket
from typing import Any

import httpx
import msgpack
import websockets

from arena_client.patch import apply_patch
from game_rules import LegalAction, SeatAction, from_plain
from game_rules.orders import Cost
from server import wire


async def post(address: str, path: str, body: dict[str, Any]) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.post(f"http://{address}{path}", json=body)


async def new_game(
    address: str, scenario: str = "classroom-quick", seed: int = 1, clock: str = "bots"
) -> dict[str, Any]:
    response = await post(address, "/api/games", {"scenario": scenario, "seed": seed, "clock": clock})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def join(address: str, code: str, name: str = "") -> dict[str, Any]:
    response = await post(address, "/api/join", {"code": code, "name": name})
    assert response.status_code == 200, response.text
    joined: dict[str, Any] = response.json()
    return joined


class Client:
    """One websocket connection speaking the game's protocol."""

    def __init__(self, socket: Any, protocol: str) -> None:
        self.socket = socket
        self.protocol = protocol
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []  # every event received, in order
        self.inbox: list[dict[str, Any]] = []
        self.seq = 0
        self.view: dict[str, Any] = {}  # the welcome's view with every patch since applied

    @classmethod
    async def connect(cls, address: str, protocol: str = wire.MSGPACK) -> Client:
        socket = await websockets.connect(f"ws://{address}/ws", subprotocols=[protocol], max_size=2**22)  # type: ignore[list-item]
        return cls(socket, protocol)

    async def send(self, message: dict[str, Any]) -> None:
        frame = json.dumps(message) if self.protocol == wire.JSON else msgpack.packb(message, use_bin_type=True)
        await self.socket.send(frame)

    async def send_raw(self, frame: bytes | str) -> None:
        await self.socket.send(frame)

    async def receive(self, timeout: float = 10.0) -> dict[str, Any]:
        frame = await asyncio.wait_for(self.socket.recv(), timeout)
        message: dict[str, Any] = json.loads(frame) if self.protocol == wire.JSON else msgpack.unpackb(frame, raw=False)
        if message["type"] in ("events", "welcome"):
            batch = message.get("events", message.get("missed", []))
            self.events.extend(batch)
            self.seq = max(self.seq, message["seq"])
        if message["type"] in ("welcome", "view"):
            self.view = message["view"]
        elif message["type"] == "events":
            apply_patch(self.view, message["patch"])
        return message

    async def expect(self, kind: str, request_id: str | None = None, timeout: float = 10.0) -> dict[str, Any]:
        """The next message of this type (and id), keeping the others in the inbox."""
        for index, message in enumerate(self.inbox):
            if message["type"] == kind and (request_id is None or message.get("id") == request_id):
                return self.inbox.pop(index)
        while True:
            message = await self.receive(timeout)
            if message["type"] == kind and (request_id is None or message.get("id") == request_id):
                return message
            self.inbox.append(message)

    async def hello(self, game: str, token: str, last_seq: int = 0) -> dict[str, Any]:
        await self.send({"type": "hello", "game": game, "token": token, "last_seq": last_seq})
        return await self.expect("welcome")

    async def request(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send a request with a fresh id and return its answer (ack, turn, pong or error)."""
        request_id = str(next(self.ids))
        await self.send({**message, "id": request_id})
        while True:
            answer = await self.receive()
            if answer.get("id") == request_id and answer["type"] in ("ack", "turn", "pong", "error"):
                return answer
            self.inbox.append(answer)

    async def act(self, action: dict[str, Any], action_id: str | None = None) -> dict[str, Any]:
        request_id = action_id or f"a{next(self.ids)}"
        await self.send({"type": "act", "id": request_id, "action": action})
        while True:
            answer = await self.receive()
            if answer.get("id") == request_id and answer["type"] in ("ack", "error"):
                return answer
            self.inbox.append(answer)

    async def next_events(self, timeout: float = 30.0) -> dict[str, Any]:
        """Wait for events that arrive after this call (older ones in the inbox are dropped, and
        frames that only patch the view, someone joining say, are passed over)."""
        self.inbox = [m for m in self.inbox if m["type"] != "events"]
        while True:
            frame = await self.expect("events", timeout=timeout)
            if frame["events"]:
                return frame

    async def turn(self) -> tuple[dict[str, Any], list[LegalAction]]:
        """The seat's view and legal actions now; waits and asks again if rate-limited."""
        while True:
            answer = await self.request({"type": "ask"})
            if answer["type"] == "error" and answer["code"] == "rate_limited":
                await asyncio.sleep(0.2)
                continue
            break
        assert answer["type"] == "turn", answer
        # Every frame before the answer has been applied: the patched view is the server's.
        assert self.view == answer["view"], "the view patched from events differs from the server's"
        legal = [LegalAction(from_plain(SeatAction, item["action"]), Cost(**item["cost"])) for item in answer["legal"]]
        return answer["view"], legal

    async def close(self) -> None:
        await self.socket.close()


def stalled_socket(address: str, subprotocol: str, hello: dict[str, Any]) -> socket.socket:
    """A websocket client that says hello and then never reads again: a plain TCP socket with a
    small receive window, so what the server sends backs up on the server, as it does behind a
    dead phone. (A websockets client keeps reading into its own buffers.)"""
    host, port = address.split(":")
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect((host, int(port)))
    key = base64.b64encode(os.urandom(16)).decode()
    raw.sendall(
        (
            f"GET /ws HTTP/1.1\r\nHost: {address}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {subprotocol}\r\n\r\n"
        ).encode()
    )
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += raw.recv(1)
    assert answer.startswith(b"HTTP/1.1 101"), answer
    payload = json.dumps(hello).encode()
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    header = bytes([0x81]) + (
        bytes([0x80 | len(payload)]) if len(payload) < 126 else bytes([0x80 | 126]) + len(payload).to_bytes(2, "big")
    )
    raw.sendall(header + mask + masked)
    return raw
