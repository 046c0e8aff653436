"""Games in Redis: create, load, and commit an action atomically (WATCH/MULTI).

A commit checks the version it read, then in one transaction stores the new state, appends
the action to the action log and each event to the event stream (its id is its sequence
number), and records the client's action id; after it succeeds the newest sequence number
is published on the game's channel. Two workers acting on one game at once cannot both
commit against the same version: one of them reads again and retries.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgpack
import redis.asyncio as aioredis
from redis.exceptions import WatchError

from game_rules import Action, Event, GameState, from_plain, to_plain
from server import keys


def pack(value: Any) -> bytes:
    """msgpack bytes of an engine value (state, action, event)."""
    packed: bytes = msgpack.packb(to_plain(value), use_bin_type=True)
    return packed


def unpack(raw: bytes) -> Any:
    return msgpack.unpackb(raw, raw=False)


@dataclass(frozen=True)
class Snapshot:
    """A game as stored: its state, version and the number of its newest event."""

    state: GameState
    version: int
    seq: int


@dataclass(frozen=True)
class StoredEvent:
    seq: int
    event: Event


class GameStore:
    """Every read and write of a game's keys goes through here."""

    def __init__(self, client: aioredis.Redis) -> None:
        # redis-py's annotations make every reply a union of bytes, str and more; the store is
        # the one boundary where replies are decoded, so the client is used untyped here.
        self.redis: Any = client
        # State decoded per game and version: a cache Redis can always rebuild.
        self._cache: dict[str, Snapshot] = {}

    async def create(
        self,
        game_id: str,
        state: GameState,
        meta: dict[str, str],
        tokens: dict[str, str],
        codes: dict[str, str],
        events: tuple[Event, ...] = (),
    ) -> None:
        """Store a new game: its first state, what it was made from, its tokens and join codes."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.state(game_id), mapping={"version": state.version, "seq": len(events), "state": pack(state)})
            pipe.hset(keys.meta(game_id), mapping=meta)
            if tokens:
                pipe.hset(keys.tokens(game_id), mapping=tokens)
            for index, event in enumerate(events, start=1):
                pipe.xadd(keys.events(game_id), _event_fields(event), id=f"{index}-0")
            await pipe.execute()
        for code, target in codes.items():
            await self.redis.set(keys.join_code(code), target)

    async def exists(self, game_id: str) -> bool:
        return bool(await self.redis.exists(keys.state(game_id)))

    async def meta(self, game_id: str) -> dict[str, str]:
        raw = await self.redis.hgetall(keys.meta(game_id))
        return {k.decode(): v.decode() for k, v in raw.items()}

    async def role_of(self, game_id: str, token_hash: str) -> str | None:
        """The role a token grants in a game, by the token's hash."""
        raw = await self.redis.hget(keys.tokens(game_id), token_hash)
        return raw.decode() if raw is not None else None

    async def set_token(self, game_id: str, token_hash: str, role: str, player: str = "") -> None:
        await self.redis.hset(keys.tokens(game_id), token_hash, role)
        if player:
            await self.redis.hset(keys.players(game_id), token_hash, player)

    async def player_of(self, game_id: str, token_hash: str) -> str:
        raw = await self.redis.hget(keys.players(game_id), token_hash)
        return raw.decode() if raw is not None else ""

    async def revoke_role(self, game_id: str, role: str) -> None:
        """Remove every token that grants this role (a kicked seat's, say)."""
        raw = await self.redis.hgetall(keys.tokens(game_id))
        stale = [k for k, v in raw.items() if v.decode() == role]
        if stale:
            await self.redis.hdel(keys.tokens(game_id), *stale)

    async def code_target(self, code: str) -> str | None:
        raw = await self.redis.get(keys.join_code(code))
        return raw.decode() if raw is not None else None

    async def load(self, game_id: str) -> Snapshot | None:
        """The game's current state, from the cache when Redis still holds that version."""
        version, seq = await self.redis.hmget(keys.state(game_id), "version", "seq")
        if version is None:
            return None
        cached = self._cache.get(game_id)
        if cached is not None and cached.version == int(version):
            return cached
        raw = await self.redis.hget(keys.state(game_id), "state")
        snapshot = Snapshot(state=from_plain(GameState, unpack(raw)), version=int(version), seq=int(seq))
        self._cache[game_id] = snapshot
        return snapshot

    async def commit(
        self,
        game_id: str,
        expected: Snapshot,
        state: GameState,
        actor: str,
        action: Action,
        events: tuple[Event, ...],
        client_action: str = "",
        player: str = "",
    ) -> int | None:
        """Store the result of one action if nobody committed since `expected`; the newest
        event number, or None when another worker won the race (read again and retry)."""

        def log_action(pipe: Any, last: int) -> None:
            pipe.xadd(keys.actions(game_id), {"actor": actor, "action": pack(action), "seq": last, "player": player})
            if client_action:
                ack = json.dumps({"seq": last, "version": state.version})
                pipe.hset(keys.acks(game_id), f"{actor}|{client_action}", ack)

        return await self._write(game_id, expected, state, events, log_action)

    async def rewrite(
        self,
        game_id: str,
        expected: Snapshot,
        state: GameState,
        log: list[tuple[str, Action]],
        events: tuple[Event, ...],
    ) -> int | None:
        """Replace the game's state and action log (a rollback), appending `events`; retried
        acks are forgotten, since the actions they answered are undone. None on a race."""

        def replace_log(pipe: Any, last: int) -> None:
            pipe.delete(keys.actions(game_id), keys.acks(game_id))
            for actor, action in log:
                pipe.xadd(keys.actions(game_id), {"actor": actor, "action": pack(action), "seq": 0})

        return await self._write(game_id, expected, state, events, replace_log)

    async def _write(
        self,
        game_id: str,
        expected: Snapshot,
        state: GameState,
        events: tuple[Event, ...],
        also: Callable[[Any, int], None],
    ) -> int | None:
        """The one atomic write: if the version is still `expected`'s, store the state, what
        `also` adds, and the events numbered on from `expected.seq`; then tell the listeners."""
        key = keys.state(game_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            try:
                await pipe.watch(key)
                version = await pipe.hget(key, "version")
                if version is None or int(version) != expected.version:
                    return None
                pipe.multi()
                last = expected.seq + len(events)
                pipe.hset(key, mapping={"version": state.version, "seq": last, "state": pack(state)})
                also(pipe, last)
                for offset, event in enumerate(events, start=1):
                    pipe.xadd(keys.events(game_id), _event_fields(event), id=f"{expected.seq + offset}-0")
                await pipe.execute()
            except WatchError:
                return None
        self._cache[game_id] = Snapshot(state=state, version=state.version, seq=last)
        await self.redis.publish(keys.channel(game_id), last)
        return last

    async def announce(self, game_id: str, event: Event) -> int:
        """Append one event that changes no state (a pause, say) and tell the game's listeners."""
        key = keys.state(game_id)
        while True:
            async with self.redis.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(key)
                    seq = int(await pipe.hget(key, "seq") or 0) + 1
                    pipe.multi()
                    pipe.hset(key, "seq", seq)
                    pipe.xadd(keys.events(game_id), _event_fields(event), id=f"{seq}-0")
                    await pipe.execute()
                except WatchError:
                    continue
            cached = self._cache.get(game_id)
            if cached is not None and cached.seq == seq - 1:
                self._cache[game_id] = Snapshot(state=cached.state, version=cached.version, seq=seq)
            else:
                self._cache.pop(game_id, None)
            await self.redis.publish(keys.channel(game_id), seq)
            return seq

    async def copy_actions(self, game_id: str, log: list[tuple[str, Action]]) -> None:
        """Write an action log for a new game (a fork)."""
        for actor, action in log:
            await self.redis.xadd(keys.actions(game_id), {"actor": actor, "action": pack(action), "seq": 0})

    async def set_meta(self, game_id: str, **fields: str) -> None:
        await self.redis.hset(keys.meta(game_id), mapping=fields)

    async def acked(self, game_id: str, actor: str, client_action: str) -> dict[str, int] | None:
        """The ack already given to this client action id, if it was applied before."""
        raw = await self.redis.hget(keys.acks(game_id), f"{actor}|{client_action}")
        return json.loads(raw) if raw is not None else None

    async def events_since(self, game_id: str, seq: int, limit: int = 10_000) -> list[StoredEvent]:
        """Events numbered above `seq`, in order."""
        entries = await self.redis.xrange(keys.events(game_id), min=f"{seq + 1}-0", max="+", count=limit)
        out = []
        for entry_id, fields in entries:
            number = int(entry_id.decode().split("-")[0])
            out.append(StoredEvent(seq=number, event=from_plain(Event, unpack(fields[b"event"]))))
        return out

    async def action_log(self, game_id: str) -> list[tuple[str, dict[str, Any]]]:
        """Every applied action, as (actor, action in wire form)."""
        return [(actor, action) for actor, _, action in await self.action_entries(game_id)]

    async def action_entries(self, game_id: str) -> list[tuple[str, str, dict[str, Any]]]:
        """Every applied action, as (actor, player's display name, action in wire form)."""
        entries = await self.redis.xrange(keys.actions(game_id))
        return [
            (fields[b"actor"].decode(), fields.get(b"player", b"").decode(), unpack(fields[b"action"]))
            for _, fields in entries
        ]


def replace_version(state: GameState, version: int) -> GameState:
    """A copy of a state with another version number (a rollback moves versions forward)."""
    copy = state.clone()
    copy.version = version
    return copy


def _event_fields(event: Event) -> dict[str, Any]:
    return {"event": pack(event), "audience": ",".join(event.audience)}
