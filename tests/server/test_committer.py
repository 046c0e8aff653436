"""Commits of many games go to Redis together in one pipeline, and each game still gets its own
reply: its commit in, its refusal, or its error, whatever the others got."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import msgpack
import pytest
import redis.asyncio as aioredis

from server import keys
from server.committer import Committer
from server.store import COMMIT_SCRIPT


def _batch(game: str, expect: int, text: str = "hello") -> bytes:
    """A commit of one event taking `game` from version `expect` to the next."""
    batch = {
        "expect": expect,
        "version": expect + 1,
        "channel": keys.channel(game),
        "ttl": 0,
        "items": [
            {"token": "", "ack": "", "seat": True, "version": expect + 1, "actor": "norway", "player": "",
             "events": [[text, ""]]}
        ],
    }  # fmt: skip
    packed: bytes = msgpack.packb(batch, use_bin_type=False)
    return packed


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[Any]:
    client = aioredis.Redis.from_url(redis_url)
    yield client
    await client.aclose()


async def _games(client: Any, count: int) -> list[str]:
    names = [f"g{n}" for n in range(count)]
    for game in names:
        await client.hset(keys.state(game), mapping={"version": 0, "seq": 0})
    return names


async def test_commits_waiting_together_go_in_one_pipeline_each_with_its_own_reply(client: Any) -> None:
    committer = Committer(client, COMMIT_SCRIPT)
    games = await _games(client, 20)
    replies = await asyncio.gather(*(committer.run(keys.game_keys(g), _batch(g, 0, g)) for g in games))
    assert [r[0] for r in replies] == [b"ok"] * 20
    assert 0 < committer.pipelines < 20, "commits that waited together should share pipelines"
    for game in games:
        assert await client.hget(keys.state(game), "version") == b"1"
        (entry,) = await client.xrange(keys.events(game))
        assert entry[1][b"event"] == game.encode(), "each game got its own event, not another's"


async def test_one_games_stale_commit_or_error_leaves_the_others_alone(client: Any) -> None:
    committer = Committer(client, COMMIT_SCRIPT)
    fresh, stale, broken = await _games(client, 3)
    results = await asyncio.gather(
        committer.run(keys.game_keys(fresh), _batch(fresh, 0)),
        committer.run(keys.game_keys(stale), _batch(stale, 5)),
        committer.run(keys.game_keys(broken), b"\xc1 not msgpack"),
        return_exceptions=True,
    )
    assert isinstance(results[0], list) and results[0][0] == b"ok"
    assert results[1] == [b"stale", 0]
    assert isinstance(results[2], aioredis.ResponseError)
    assert await client.hget(keys.state(fresh), "version") == b"1"
    assert await client.hget(keys.state(stale), "version") == b"0"


async def test_commits_go_in_after_redis_forgets_the_script(client: Any) -> None:
    committer = Committer(client, COMMIT_SCRIPT)
    games = await _games(client, 5)
    await asyncio.gather(*(committer.run(keys.game_keys(g), _batch(g, 0)) for g in games))
    await client.script_flush()  # what a restarted Redis has: no scripts
    replies = await asyncio.gather(*(committer.run(keys.game_keys(g), _batch(g, 1)) for g in games))
    assert [r[0] for r in replies] == [b"ok"] * 5
    assert [await client.hget(keys.state(g), "version") for g in games] == [b"2"] * 5
