"""The floor's parts, measured from this process one at a time: a websocket round trip to the
floor server's `/echo`, the atomic Redis write (the floor's Lua script), and one pub/sub hop.
The fan-out floor needs many sockets and is measured through the client processes."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import Any

import msgpack
import redis.asyncio as aioredis

from bench.clients import FILLER
from bench.floor_server import COMMIT_SCRIPT, event_record, floor_keys, state_blob
from bench.session import percentile
from bench.websocket import WebSocket
from bench.wsclient import PROTOCOL

WARM_UP = 30


@dataclass(frozen=True)
class Spread:
    """Seconds at the 50th and 99th percentiles of some repeated operation."""

    p50: float
    p99: float

    @classmethod
    def of(cls, samples: list[float]) -> Spread:
        return cls(percentile(samples, 0.50), percentile(samples, 0.99))


def act_frame(number: int) -> bytes:
    """A frame the size and shape of a client's public message."""
    action = {"type": "send_message", "to": "public", "text": f"~floor.{number}~ {FILLER}"}
    frame: bytes = msgpack.packb({"type": "act", "id": f"~floor.{number}~", "action": action}, use_bin_type=True)
    return frame


class FloorParts:
    """Open connections to the floor server and Redis, and time one sample of each part."""

    def __init__(self, floor_base: str, redis_url: str) -> None:
        self.url = floor_base.replace("http://", "ws://", 1) + "/echo"
        self.redis_url = redis_url
        self.socket: Any = None
        self.client: Any = None
        self.listener: Any = None
        self.pubsub: Any = None
        self.commit: Any = None
        self.blob = state_blob()
        self.number = 0

    async def open(self) -> None:
        self.socket = await WebSocket.connect(self.url, [PROTOCOL], 30.0)
        self.client = aioredis.Redis.from_url(self.redis_url)
        self.listener = aioredis.Redis.from_url(self.redis_url)
        self.commit = self.client.register_script(COMMIT_SCRIPT)
        self.pubsub = self.listener.pubsub()
        await self.pubsub.subscribe("floor:hop")
        while (await self.pubsub.get_message(timeout=1.0)) is None:
            pass  # the subscription's confirmation

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.client.delete(*floor_keys("atomic-write"))
        for closing in (self.socket.close(), self.pubsub.aclose(), self.client.aclose(), self.listener.aclose()):
            with contextlib.suppress(Exception):
                await closing

    async def echo(self) -> float:
        """A websocket round trip, on the clients' own websocket client."""
        frame = act_frame(self.number)
        began = time.perf_counter()
        self.socket.send(frame)
        await self.socket.recv()
        return time.perf_counter() - began

    async def atomic_write(self) -> float:
        """The floor's commit, one Lua script: check the version, store a real state's bytes,
        append the action and the event to two streams, publish."""
        action = {"type": "send_message", "to": "public", "text": f"~floor.{self.number}~ {FILLER}"}
        args = [self.blob, "norway", msgpack.packb(action), msgpack.packb(event_record(0, "norway", action))]
        began = time.perf_counter()
        await self.commit(keys=floor_keys("atomic-write"), args=args)
        return time.perf_counter() - began

    async def pubsub_hop(self) -> float:
        """From PUBLISH to the subscriber holding the message, with redis-py's asyncio client."""
        began = time.perf_counter()
        await self.client.publish("floor:hop", self.number)
        while True:
            message = await self.pubsub.get_message(ignore_subscribe_messages=True, timeout=5.0)
            if message is not None and int(message["data"]) == self.number:
                return time.perf_counter() - began


async def measure_parts(floor_base: str, redis_url: str, count: int, rate: float) -> dict[str, Spread]:
    """Each part `count` times, never two at once. `rate` > 0 paces them as the paced figures
    are (one round of the three parts per 1/rate seconds, idle in between), so the floor pays the
    same wake-ups from idle as the server does; 0 runs them back to back (a hot loop)."""
    parts = FloorParts(floor_base, redis_url)
    await parts.open()
    samples: dict[str, list[float]] = {"echo": [], "atomic_write": [], "pubsub_hop": []}
    steps = (("echo", parts.echo), ("atomic_write", parts.atomic_write), ("pubsub_hop", parts.pubsub_hop))
    try:
        for round_number in range(WARM_UP + count):
            for name, step in steps:
                parts.number += 1
                taken = await step()
                if round_number >= WARM_UP:
                    samples[name].append(taken)
                if rate > 0 and round_number >= WARM_UP:
                    await asyncio.sleep(1 / rate / len(steps))
    finally:
        await parts.close()
    return {name: Spread.of(values) for name, values in samples.items()}
