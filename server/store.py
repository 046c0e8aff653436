"""Games in Redis: create, load, and commit changes atomically.

A commit is one Lua script (`commit.lua`): it checks the version it was given, the tokens
and action ids of what it carries and whether the game is paused, then stores the new state,
appends each event to the event stream (its id is its sequence number, counted inside the
script from the stored number), appends the actions to the action log, records the acks,
updates the game's meta and publishes `<seq> <version>` on the game's channel if a worker
other than the committing one holds the game. All or nothing: the script either writes
everything or nothing. Every key of the game is renewed for the game's idle time on each
commit, so a game nobody touches expires whole.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgpack

from game_rules import Action, Applied, Event, GameState, Scenario, apply, decode_action, from_plain, to_plain
from server import keys
from server.committer import Committer

COMMIT_SCRIPT = (Path(__file__).with_name("commit.lua")).read_text(encoding="utf-8")


def pack(value: Any) -> bytes:
    """msgpack bytes of an engine value (state, action, event)."""
    packed: bytes = msgpack.packb(to_plain(value), use_bin_type=True)
    return packed


def unpack(raw: bytes) -> Any:
    return msgpack.unpackb(raw, raw=False)


@dataclass(frozen=True)
class Snapshot:
    """A game at a moment: its state, version, the number of its newest event, and the id of the
    newest action its state includes (in the action log)."""

    state: GameState
    version: int
    seq: int
    action_id: str = "0-0"


@dataclass(frozen=True)
class StoredEvent:
    seq: int
    event: Event
    by: str = ""  # the display name of the player whose action made it, if a player's


@dataclass(frozen=True)
class Change:
    """One item of a commit: an applied action (or an announcement) and what it wrote."""

    actor: str
    events: tuple[Event, ...]
    version: int  # the state's version once this item is in
    action: Action | None = None
    token_hash: str = ""  # checked to be still valid at commit time ("" = not checked)
    ack_key: str = ""  # the client's action id, so a retry is answered and not applied twice
    by_seat: bool = False  # seats may not act while the game is paused
    player: str = ""  # the display name of the player who acted
    meta: dict[str, str] = field(default_factory=dict)
    unmeta: tuple[str, ...] = ()


@dataclass(frozen=True)
class Committed:
    """The commit went in: its event numbers, the newest action's id in the log, and the newest
    event number after each change."""

    first: int
    last: int
    action_id: str
    after: tuple[int, ...]


@dataclass(frozen=True)
class Stale:
    """Someone else committed first: read again."""

    version: int


@dataclass(frozen=True)
class Refused:
    """Changes that cannot go in, by index: `revoked`, `repeated` (with the earlier ack,
    `<seq> <version>`) or `paused`. Nothing was written."""

    problems: tuple[tuple[int, str, str], ...]


CommitResult = Committed | Stale | Refused | None  # None: the game no longer exists


class GameStore:
    """Every read and write of a game's keys goes through here."""

    def __init__(self, client: Any, ttl_seconds: int = 0, worker: str = "") -> None:
        # redis-py's annotations make every reply a union of bytes, str and more; the store is
        # the one boundary where replies are decoded, so the client is used untyped here.
        self.redis: Any = client
        self.ttl = ttl_seconds
        # The worker whose rooms deliver this store's commits themselves: a commit is published
        # only if another worker holds its game (`keys.listeners`). "": every commit is published.
        self.worker = worker
        self._commits = Committer(client, COMMIT_SCRIPT)

    async def create(
        self,
        game_id: str,
        state: GameState,
        meta: dict[str, str],
        tokens: dict[str, str],
        codes: dict[str, str],
        log: Sequence[tuple[str, Action, str]] = (),
        events: Sequence[Event] = (),
    ) -> None:
        """Store a new game: its first state, what it was made from, its tokens, join codes,
        and (for a fork) the action log that led to its state, with the events it made."""
        async with self.redis.pipeline(transaction=True) as pipe:
            head = {"version": state.version, "seq": len(events), "state": pack(state), "snap_version": state.version}
            pipe.hset(keys.state(game_id), mapping=head)
            pipe.hset(keys.meta(game_id), mapping=meta)
            if tokens:
                pipe.hset(keys.tokens(game_id), mapping=tokens)
            for number, event in enumerate(events, start=1):
                pipe.xadd(
                    keys.events(game_id), {"event": pack(event), "audience": ",".join(event.audience)}, id=f"{number}-0"
                )
            for actor, action, player in log:
                pipe.xadd(keys.actions(game_id), {"actor": actor, "action": pack(action), "seq": 0, "player": player})
            if self.ttl:
                for key in keys.game_keys(game_id):
                    pipe.expire(key, self.ttl)
            await pipe.execute()
        # The first snapshot includes the whole log it was made with (a fork's history).
        tip = await self.redis.xrevrange(keys.actions(game_id), count=1)
        await self.redis.hset(keys.state(game_id), "snap_log", tip[0][0].decode() if tip else "0-0")
        for code, target in codes.items():
            await self.set_code(code, target)

    async def set_code(self, code: str, target: str) -> None:
        """A join code opens `<game-id> <seat>` until the game's idle time runs out."""
        await self.redis.set(keys.join_code(code), target, ex=self.ttl or None)

    async def drop_code(self, code: str) -> None:
        await self.redis.delete(keys.join_code(code))

    async def code_target(self, code: str) -> str | None:
        raw = await self.redis.get(keys.join_code(code))
        return raw.decode() if raw is not None else None

    async def exists(self, game_id: str) -> bool:
        return bool(await self.redis.exists(keys.state(game_id)))

    async def meta(self, game_id: str) -> dict[str, str]:
        raw = await self.redis.hgetall(keys.meta(game_id))
        return {k.decode(): v.decode() for k, v in raw.items()}

    async def set_meta(self, game_id: str, **fields: str) -> None:
        await self.redis.hset(keys.meta(game_id), mapping=fields)

    async def role_of(self, game_id: str, token_hash: str) -> str | None:
        """The role a token grants in a game, by the token's hash."""
        raw = await self.redis.hget(keys.tokens(game_id), token_hash)
        return raw.decode() if raw is not None else None

    async def roles(self, game_id: str) -> dict[str, str]:
        """Every valid token hash and the role it grants."""
        raw = await self.redis.hgetall(keys.tokens(game_id))
        return {k.decode(): v.decode() for k, v in raw.items()}

    async def set_token(self, game_id: str, token_hash: str, role: str, player: str = "") -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.tokens(game_id), token_hash, role)
            if player:
                pipe.hset(keys.players(game_id), token_hash, player)
            await pipe.execute()

    async def player_of(self, game_id: str, token_hash: str) -> str:
        raw = await self.redis.hget(keys.players(game_id), token_hash)
        return raw.decode() if raw is not None else ""

    async def players(self, game_id: str) -> dict[str, str]:
        """Every player's display name by token hash (revoked tokens' names included)."""
        raw = await self.redis.hgetall(keys.players(game_id))
        return {k.decode(): v.decode() for k, v in raw.items()}

    async def revoke_role(self, game_id: str, role: str) -> int:
        """Remove every token that grants this role (a re-issued seat's, say); how many."""
        raw = await self.redis.hgetall(keys.tokens(game_id))
        stale = [k for k, v in raw.items() if v.decode() == role]
        if stale:
            await self.redis.hdel(keys.tokens(game_id), *stale)
        return len(stale)

    async def load(self, game_id: str, scenario: Scenario) -> Snapshot | None:
        """The game now: its last snapshot, with the actions logged after it applied again (the
        engine is deterministic, so this is the state every commit saw)."""
        version, seq, raw, since = await self.redis.hmget(keys.state(game_id), "version", "seq", "state", "snap_log")
        if version is None or raw is None:
            return None
        snapshot = Snapshot(from_plain(GameState, unpack(raw)), -1, int(seq), (since or b"0-0").decode())
        actions = await self.actions_after(game_id, snapshot.action_id)
        # Each logged action is one version. Another worker may commit between the two reads:
        # what it logged after the version read is not part of the state read.
        actions = actions[: max(0, int(version) - snapshot.state.version)]
        return replay(scenario, snapshot, actions, int(version))

    async def actions_after(self, game_id: str, action_id: str) -> list[tuple[str, str, Action]]:
        """The actions logged after `action_id`, in order: (their id, actor, action)."""
        entries = await self.redis.xrange(keys.actions(game_id), min=f"({action_id}", max="+")
        return [
            (entry_id.decode(), fields[b"actor"].decode(), decode_action(unpack(fields[b"action"])))
            for entry_id, fields in entries
        ]

    async def head(self, game_id: str) -> tuple[int, int] | None:
        """The game's version and newest event number, without its state."""
        version, seq = await self.redis.hmget(keys.state(game_id), "version", "seq")
        return None if version is None else (int(version), int(seq))

    async def commit(
        self,
        game_id: str,
        expected_version: int,
        changes: Sequence[Change],
        version: int,
        snapshot: GameState | None = None,
        log: Sequence[tuple[str, Action, str]] | None = None,
    ) -> CommitResult:
        """Write `changes`, taking the game to `version` (with a `snapshot` of its state after them
        now and then, and for a rollback its new action `log`), if the game is still at
        `expected_version`; see `commit.lua`."""
        return commit_result(await self.send_commit(game_id, expected_version, changes, version, snapshot, log))

    def send_commit(
        self,
        game_id: str,
        expected_version: int,
        changes: Sequence[Change],
        version: int,
        snapshot: GameState | None = None,
        log: Sequence[tuple[str, Action, str]] | None = None,
    ) -> asyncio.Future[Any]:
        """`commit`, sent without waiting: the future holds Redis's reply, for `commit_result`."""
        batch: dict[str, Any] = {
            "expect": expected_version,
            "version": version,
            "channel": keys.channel(game_id),
            "worker": self.worker,
            "ttl": self.ttl,
            "items": [
                {
                    "token": change.token_hash,
                    "ack": change.ack_key,
                    "seat": change.by_seat,
                    "version": change.version,
                    "actor": change.actor,
                    "player": change.player,
                    "events": [[pack(e), ",".join(e.audience)] for e in change.events],
                    **({"action": pack(change.action)} if change.action is not None else {}),
                    **({"meta": change.meta} if change.meta else {}),
                    **({"unmeta": list(change.unmeta)} if change.unmeta else {}),
                }
                for change in changes
            ],
        }
        if snapshot is not None:
            batch["state"] = pack(snapshot)
        if log is not None:
            batch["log"] = [[actor, pack(action), player] for actor, action, player in log]
        # Redis's Lua msgpack reads no `bin` type: blobs travel as raw strings (Lua strings are bytes).
        return self._commits.submit(keys.game_keys(game_id), msgpack.packb(batch, use_bin_type=False))

    async def events_since(self, game_id: str, seq: int, until: int | None = None) -> list[StoredEvent]:
        """Events numbered above `seq` (and up to `until`), in order."""
        top = f"{until}-0" if until is not None else "+"
        entries = await self.redis.xrange(keys.events(game_id), min=f"{seq + 1}-0", max=top)
        out = []
        for entry_id, fields in entries:
            number = int(entry_id.decode().split("-")[0])
            by = fields.get(b"by", b"").decode()
            out.append(StoredEvent(seq=number, event=from_plain(Event, unpack(fields[b"event"])), by=by))
        return out

    async def action_entries(self, game_id: str) -> list[tuple[str, str, dict[str, Any]]]:
        """Every applied action, as (actor, player's display name, action in wire form)."""
        entries = await self.redis.xrange(keys.actions(game_id))
        return [
            (fields[b"actor"].decode(), fields.get(b"player", b"").decode(), unpack(fields[b"action"]))
            for _, fields in entries
        ]

    async def action_log(self, game_id: str) -> list[tuple[str, dict[str, Any]]]:
        """Every applied action, as (actor, action in wire form)."""
        return [(actor, action) for actor, _, action in await self.action_entries(game_id)]


def replay(
    scenario: Scenario, snapshot: Snapshot, actions: Sequence[tuple[str, str, Action]], version: int
) -> Snapshot:
    """A snapshot brought forward by applying logged actions again; it must reach `version`."""
    state = snapshot.state
    for _, actor, action in actions:
        result = apply(scenario, state, actor, action)
        if not isinstance(result, Applied):
            raise ReplayError(f"a logged action no longer applies: {actor} {action!r}: {result}")
        state = result.state
    if state.version != version:
        raise ReplayError(f"replaying the log reached version {state.version}, not the stored {version}")
    action_id = actions[-1][0] if actions else snapshot.action_id
    return Snapshot(state, state.version, snapshot.seq, action_id)


class ReplayError(RuntimeError):
    """The stored snapshot and action log do not agree: the store was damaged."""


def replace_version(state: GameState, version: int) -> GameState:
    """A copy of a state with another version number (a rollback moves versions forward)."""
    copy = state.clone()
    copy.version = version
    return copy


def commit_result(reply: Any) -> CommitResult:
    """What the commit script's reply says (see `commit.lua`)."""
    verdict = reply[0].decode() if isinstance(reply[0], bytes) else reply[0]
    if verdict == "ok":
        action_id = reply[3].decode() if isinstance(reply[3], bytes) else str(reply[3])
        return Committed(int(reply[1]), int(reply[2]), action_id, tuple(int(x) for x in reply[4:]))
    if verdict == "stale":
        return Stale(int(reply[1]))
    if verdict == "problems":
        rest = [x.decode() if isinstance(x, bytes) else str(x) for x in reply[1:]]
        return Refused(tuple((int(rest[i]) - 1, rest[i + 1], rest[i + 2]) for i in range(0, len(rest), 3)))
    return None
