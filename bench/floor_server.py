"""The floor: a minimal server on the game server's own stack (starlette on uvicorn with
`ws="websockets"`, redis-py's asyncio client) that does only what any server of this game
must do per action, so the load benchmark can measure what this machine allows.

    python3 -m bench.floor_server --port 8100 --redis-url redis://127.0.0.1:6379/0

Routes (every websocket accepts the subprotocol it is asked for and speaks msgpack):

- `/echo`: sends every frame back as it came (the websocket round trip);
- `/fanout`: `hello` joins a room; each `act` sends one event frame to everyone in the room
  whose seat may see it, then the `ack` (a bare fan-out, no store);
- `/game`: the same, with the store between: each `act` is one atomic Lua script (store a
  state blob, append to the action and event streams, publish) and the fan-out follows the
  pub/sub message, as the game server's does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import msgpack
import redis.asyncio as aioredis
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

# One round trip: check the version, store the state, log the action and the event, publish.
COMMIT_SCRIPT = """
local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0') + 1
redis.call('HSET', KEYS[1], 'version', version + 1, 'seq', seq, 'state', ARGV[1])
redis.call('XADD', KEYS[2], '*', 'actor', ARGV[2], 'action', ARGV[3])
redis.call('XADD', KEYS[3], seq .. '-0', 'event', ARGV[4])
redis.call('PUBLISH', KEYS[4], seq .. ':' .. ARGV[4])
return seq
"""


def floor_keys(game: str) -> list[str]:
    """The floor's keys of one game (state, actions, events, channel), hash-tagged like the server's."""
    return [f"floor:{{{game}}}:{part}" for part in ("state", "actions", "events", "channel")]


def state_blob() -> bytes:
    """A realistic stored state: msgpack of an integrated-missions game just started."""
    from game_rules import FACILITATOR, Applied, apply, new_game, to_plain
    from game_rules.actions import StartGame
    from scenarios import load_scenario

    scenario = load_scenario("integrated-missions")
    result = apply(scenario, new_game(scenario, 1), FACILITATOR, StartGame())
    assert isinstance(result, Applied)
    blob: bytes = msgpack.packb(to_plain(result.state), use_bin_type=True)
    return blob


def event_record(seq: int, sender: str, action: dict[str, Any]) -> dict[str, Any]:
    """The wire form of a message event, as the game server sends it."""
    to, text = str(action.get("to", "public")), str(action.get("text", ""))
    return {
        "seq": seq,
        "kind": "message",
        "round": 1,
        "text": f"{sender} → {to}: {text}",
        "audience": [] if to == "public" else [sender, to],
        "detail": {"number": seq, "sender": sender, "to": to, "text": text},
    }


@dataclass(eq=False)
class Member:
    """One connection in a room: its socket and seat ("" for a spectator)."""

    socket: WebSocket
    seat: str


@dataclass
class Room:
    members: set[Member] = field(default_factory=set)
    seq: int = 0


class Floor:
    """The rooms of this process and its Redis client."""

    def __init__(self, redis_url: str) -> None:
        self.redis: Any = aioredis.Redis.from_url(redis_url)
        self.rooms: dict[str, Room] = {}
        self.blob = state_blob()
        self.commit: Any = self.redis.register_script(COMMIT_SCRIPT)
        self.pubsub: Any = self.redis.pubsub()

    async def fan_out(self, game: str, record: dict[str, Any]) -> None:
        """Encode the event frame once and send it to every member who may see it."""
        frame = msgpack.packb({"type": "events", "seq": record["seq"], "events": [record]}, use_bin_type=True)
        audience = record["audience"]
        for member in list(self.rooms.get(game, Room()).members):
            if not audience or member.seat in audience:
                with contextlib.suppress(Exception):  # a member that left is no reason to stop
                    await member.socket.send_bytes(frame)

    async def listen(self) -> None:
        """Fan out every event the store publishes."""
        await self.pubsub.subscribe("floor:start")
        async for message in self.pubsub.listen():
            if message["type"] != "message":
                continue
            channel = message["channel"].decode()
            seq, _, raw = message["data"].partition(b":")
            game = channel[channel.index("{") + 1 : channel.index("}")]
            record = msgpack.unpackb(raw, raw=False)
            record["seq"] = int(seq)
            await self.fan_out(game, record)


async def _accept(socket: WebSocket) -> None:
    requested = socket.scope.get("subprotocols") or []
    await socket.accept(subprotocol=requested[0] if requested else None)


async def echo(socket: WebSocket) -> None:
    """Send every frame back as it came."""
    await _accept(socket)
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            message = await socket.receive()
            if message["type"] == "websocket.disconnect":
                return
            if message.get("bytes") is not None:
                await socket.send_bytes(message["bytes"])
            else:
                await socket.send_text(message.get("text") or "")


async def _room_loop(socket: WebSocket, stored: bool) -> None:
    """Greet, join a room, then answer acts: fan out (after a commit when `stored`) and ack."""
    floor: Floor = socket.app.state.floor
    await _accept(socket)
    member: Member | None = None
    game = ""
    try:
        while True:
            request = msgpack.unpackb(await socket.receive_bytes(), raw=False)
            if request.get("type") == "hello":
                game = str(request["game"])
                member = Member(socket, str(request.get("token", "")))
                room = floor.rooms.setdefault(game, Room())
                if stored and not room.members:
                    await floor.pubsub.subscribe(floor_keys(game)[3])
                room.members.add(member)
                welcome = {"type": "welcome", "game": game, "role": "seat", "seat": member.seat, "seq": room.seq}
                await socket.send_bytes(msgpack.packb({**welcome, "view": {}, "missed": []}))
            elif request.get("type") == "act" and member is not None:
                action = request.get("action", {})
                if stored:
                    record = event_record(0, member.seat, action)
                    del record["seq"]
                    raw = msgpack.packb(record, use_bin_type=True)
                    action_bytes = msgpack.packb(action, use_bin_type=True)
                    seq = int(
                        await floor.commit(keys=floor_keys(game), args=[floor.blob, member.seat, action_bytes, raw])
                    )
                else:
                    room = floor.rooms[game]
                    room.seq += 1
                    seq = room.seq
                    await floor.fan_out(game, event_record(seq, member.seat, action))
                ack = {"type": "ack", "id": request.get("id", ""), "seq": seq, "version": seq, "repeated": False}
                await socket.send_bytes(msgpack.packb(ack))
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        if member is not None:
            floor.rooms.get(game, Room()).members.discard(member)


async def fanout(socket: WebSocket) -> None:
    """A room without a store: each act is fanned out at once."""
    await _room_loop(socket, stored=False)


async def game(socket: WebSocket) -> None:
    """A room behind the store: each act is committed, published, then fanned out."""
    await _room_loop(socket, stored=True)


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def create_app(redis_url: str) -> Starlette:
    """The floor server on this Redis."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.floor = Floor(redis_url)
        listener = asyncio.create_task(app.state.floor.listen())
        try:
            yield
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await listener
            await app.state.floor.redis.aclose()

    routes = [
        Route("/healthz", healthz),
        WebSocketRoute("/echo", echo),
        WebSocketRoute("/fanout", fanout),
        WebSocketRoute("/game", game),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def main() -> None:
    """Serve the floor on loopback until stopped."""
    parser = argparse.ArgumentParser(description="The floor server of the load benchmark.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--redis-url", required=True)
    args = parser.parse_args()
    # The same uvicorn settings as server/run.py, so the floor runs on the same stack.
    uvicorn.run(
        create_app(args.redis_url),
        host="127.0.0.1",
        port=args.port,
        ws="websockets",
        ws_per_message_deflate=False,  # as the game server: it offers no compression
        log_level="warning",
    )


if __name__ == "__main__":
    main()
