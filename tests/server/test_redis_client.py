"""The worker's Redis client: commands packed by hiredis, byte for byte what redis-py packs,
and the same answers from a real Redis; a task cancelled during a command stops."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest
import redis.asyncio as aioredis
from redis.exceptions import DataError

from server.redis_client import PackedConnection, connect_redis
from server.settings import Settings

COMMANDS = [
    ("SET", "na:game:1", b"\x00\xffbinary"),
    ("EVALSHA", "a" * 40, 2, "na:state:1", "na:events:1", b"\x93\x01\x02", "caf\u00e9"),
    ("ZADD", "na:deadlines", 1796087563.282, "g1", 0.1, "g2", 3, "g3"),
    ("CONFIG GET", "maxmemory"),  # a name of two words is sent as two arguments
    (b"CLIENT SETNAME", b"worker"),
    ("SET", "k", bytearray(b"held")),
    ("HSET", "h", "f", -17),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: str(c[0]))
def test_hiredis_packs_each_command_as_redis_py_does(command: tuple[Any, ...]) -> None:
    ours = b"".join(PackedConnection().pack_command(*command))
    theirs = b"".join(aioredis.Connection().pack_command(*command))
    assert ours == theirs


@pytest.mark.parametrize("value", [None, True])
def test_a_value_redis_cannot_take_is_refused_with_redis_pys_error(value: Any) -> None:
    with pytest.raises(DataError):
        aioredis.Connection().pack_command("SET", "k", value)
    with pytest.raises(DataError):
        PackedConnection().pack_command("SET", "k", value)


async def test_the_workers_client_packs_in_c_and_a_real_redis_answers_it(redis_url: str) -> None:
    client = connect_redis(Settings(redis_url=redis_url))
    try:
        assert client.connection_pool.connection_class is PackedConnection
        await client.set("na:test", b"\x00\xff")
        await client.zadd("na:test:z", {"late": 2.5, "early": 0.25})
        script = client.register_script("return {KEYS[1], ARGV[1], redis.call('GET', KEYS[1])}")
        assert await script(keys=["na:test"], args=["caf\u00e9"]) == [b"na:test", "caf\u00e9".encode(), b"\x00\xff"]
        assert await client.zrange("na:test:z", 0, -1, withscores=True) == [(b"early", 0.25), (b"late", 2.5)]
    finally:
        await client.aclose()


async def test_a_task_cancelled_in_the_middle_of_a_command_stops(redis_url: str) -> None:
    """On Python 3.11 redis-py's write swallowed a cancellation arriving as it finished (about
    half of these trials went on running): the worker's loops then never stopped."""
    client = connect_redis(Settings(redis_url=redis_url))
    moments = random.Random(7)
    stopped = asyncio.Event()

    async def poll_deadlines() -> None:  # the shape of the worker's deadline loop
        while not stopped.is_set():
            await client.zrangebyscore("na:deadlines", "-inf", 5)
            await asyncio.sleep(0)

    try:
        ran_on = 0
        for _ in range(60):
            stopped.clear()
            pollers = [asyncio.create_task(poll_deadlines()) for _ in range(3)]
            await asyncio.sleep(moments.random() * 0.005)
            for poller in pollers:
                poller.cancel()
            _, running = await asyncio.wait(pollers, timeout=1)
            ran_on += len(running)
            stopped.set()
            if running:
                await asyncio.wait(running, timeout=2)
        assert ran_on == 0, f"{ran_on} of 180 cancelled tasks went on running"
    finally:
        await client.aclose(close_connection_pool=True)
