"""The store: a game is its snapshot plus the actions logged since, and commits write only what
changed; two rooms on one store (two workers) keep the same game by replaying each other."""

from __future__ import annotations

import asyncio
from typing import Any

import redis.asyncio as aioredis

from game_rules import to_plain
from game_rules.actions import SendMessage, StartGame
from server import keys
from server.auth import Role, seat_role
from server.settings import Settings
from server.workers import Worker


async def _worker(redis_url: str) -> Worker:
    worker = Worker.make(Settings(redis_url=redis_url))
    await worker.start()
    return worker


async def test_commits_between_snapshots_leave_the_stored_state_alone(redis_url: str) -> None:
    worker = await _worker(redis_url)
    try:
        created = await worker.service.create_game("classroom-quick", 3, "bots")
        game, facilitator = created.game_id, Role("facilitator")
        await worker.service.act(game, facilitator, StartGame())
        norway = Role(seat_role("norway"))
        await worker.service.act(game, norway, SendMessage(to="public", text="first"))  # writes a snapshot
        blob = await worker.redis.hget(keys.state(game), "state")
        for n in range(5):
            await worker.service.act(game, norway, SendMessage(to="public", text=f"word {n}"))
        assert await worker.redis.hget(keys.state(game), "state") == blob, "a message should not rewrite the state"
        room = await worker.hub.room(game)
        loaded = await worker.store.load(game, room.scenario)
        assert loaded is not None and room.snapshot is not None
        assert (loaded.version, loaded.seq) == (room.snapshot.version, room.snapshot.seq)
        assert to_plain(loaded.state) == to_plain(room.snapshot.state), "snapshot + replayed log = the live state"
        for n in range(40):
            await worker.service.act(game, norway, SendMessage(to="public", text=f"more {n}"))
        assert await worker.redis.hget(keys.state(game), "state") != blob, "a snapshot is written now and then"
    finally:
        await worker.stop()


async def test_a_second_worker_follows_the_first_by_replaying_its_actions(redis_url: str) -> None:
    first, second = await _worker(redis_url), await _worker(redis_url)
    try:
        created = await first.service.create_game("classroom-quick", 4, "bots")
        game = created.game_id
        watching = await second.hub.room(game)
        async with watching.lock:
            await watching.ensure_loaded()
        await first.service.act(game, Role("facilitator"), StartGame())
        for n in range(6):
            await first.service.act(game, Role(seat_role("china")), SendMessage(to="public", text=f"from A {n}"))
        acting = await first.hub.room(game)
        assert acting.snapshot is not None
        for _ in range(100):
            if watching.snapshot is not None and watching.snapshot.seq == acting.snapshot.seq:
                break
            await asyncio.sleep(0.02)
        assert watching.snapshot is not None and watching.snapshot.version == acting.snapshot.version
        assert to_plain(watching.snapshot.state) == to_plain(acting.snapshot.state)
        # And the other way round: the second worker acts on what it followed.
        await second.service.act(game, Role(seat_role("nupi")), SendMessage(to="public", text="from B"))
        assert watching.snapshot.state.messages[-1].text == "from B"
    finally:
        await first.stop()
        await second.stop()


async def _heard(pubsub: Any) -> list[str]:
    """The commit notifications (`<seq> <version>`) a subscriber has received so far."""
    heard = []
    while (message := await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2)) is not None:
        text = message["data"].decode()
        if text[:1].isdigit():
            heard.append(text)
    return heard


async def test_commits_are_published_only_while_another_worker_holds_the_game(redis_url: str) -> None:
    first = await _worker(redis_url)
    second: Worker | None = None
    outsider: Any = aioredis.Redis.from_url(redis_url).pubsub()
    try:
        created = await first.service.create_game("classroom-quick", 5, "bots")
        game, china = created.game_id, Role(seat_role("china"))
        await outsider.subscribe(keys.channel(game))
        await first.service.act(game, Role("facilitator"), StartGame())
        await first.service.act(game, china, SendMessage(to="public", text="alone"))
        assert await _heard(outsider) == [], "only the committing worker holds the game: nobody to tell"

        second = await _worker(redis_url)
        watching = await second.hub.room(game)
        ack = await first.service.act(game, china, SendMessage(to="public", text="watched"))
        assert await _heard(outsider) == [f"{ack.seq} {ack.version}"]
        async with watching.lock:
            await watching.ensure_loaded()
        assert watching.snapshot is not None and watching.snapshot.state.messages[-1].text == "watched"

        await second.stop()  # it leaves the game's listeners
        second = None
        await first.service.act(game, china, SendMessage(to="public", text="alone again"))
        assert await _heard(outsider) == []
    finally:
        await outsider.aclose()
        await first.stop()
        if second is not None:
            await second.stop()
