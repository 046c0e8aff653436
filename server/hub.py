"""A worker's rooms, and the listener that keeps them in step with other workers.

A commit publishes `<seq> <version>` on its game's channel when another worker holds the game
(each worker lists itself in the game's `listeners` set while it holds a room for it, and
renews that entry every few seconds). A worker's own commits are delivered by its writer at
once; a notification from another worker makes the room catch up
from the store (its events from the room's last number on, so a lost notification delays
nothing past the next one, and no client gets a gap or a duplicate). If Redis goes away the
listener tells every connection the game is degraded, reconnects with backoff, resubscribes,
catches every room up, checks that its connections' tokens still stand, and says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

from game_rules import Scenario
from server import keys
from server.connection import Connection
from server.errors import ServiceError
from server.metrics import Metrics
from server.protocol import Error, Status
from server.room import STORE_ERRORS, Room
from server.store import GameStore

log = logging.getLogger("normarena.hub")
CHANNEL_PREFIX = f"{keys.PREFIX}:{{"
WORKERS_CHANNEL = f"{keys.PREFIX}:workers"  # always subscribed, so the listener always has a connection
REVOKE = "revoke:"
PRESENCE = "presence"
PRESENCE_SECONDS = 60.0
PRESENCE_DELAY = 0.3  # a connection's presence entry lasts this long unless its worker renews it
MAINTENANCE_SECONDS = 10.0
IDLE_ROOM_SECONDS = 30.0
BACKOFF = (0.05, 0.1, 0.2, 0.4, 0.5)


def _return_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc; elsewhere nothing). Without it a
    worker's resident memory stays at its peak after a burst of clients (slow readers, say) has
    gone, though the memory is free."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def game_of(channel: str) -> str:
    return channel[len(CHANNEL_PREFIX) : channel.index("}")]


class Hub:
    """The rooms of one worker and the listener that feeds them."""

    def __init__(
        self,
        store: GameStore,
        scenario_of: Callable[[dict[str, str]], Scenario],
        clock: Callable[[], float],
        metrics: Metrics,
    ) -> None:
        self.store = store
        self.metrics = metrics
        self.scenario_of = scenario_of
        self.clock = clock
        self.worker = store.worker or secrets.token_hex(4)
        self.rooms: dict[str, Room] = {}
        self.healthy = True
        self._pubsub: Any = None
        self._tasks: list[asyncio.Task[None]] = []
        self._catching: dict[str, asyncio.Task[None]] = {}
        self._wanted: dict[str, tuple[bool, int]] = {}  # rooms to catch up: presence changed? newest seq

    @property
    def connections(self) -> int:
        return sum(len(room.connections) for room in self.rooms.values())

    async def start(self) -> None:
        self._tasks = [asyncio.create_task(self._listen()), asyncio.create_task(self._maintain())]

    async def stop(self) -> None:
        for task in (*self._tasks, *self._catching.values()):
            task.cancel()
        for task in (*self._tasks, *self._catching.values()):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for game_id, room in list(self.rooms.items()):
            await room.close()
            with contextlib.suppress(*STORE_ERRORS):
                await self.store.redis.srem(keys.listeners(game_id), self.worker)
        if self._pubsub is not None:
            with contextlib.suppress(*STORE_ERRORS):
                await self._pubsub.aclose()

    # --- rooms ------------------------------------------------------------------------------

    async def room(self, game_id: str) -> Room:
        """The game's room in this worker, made (and subscribed to) on first use."""
        room = self.rooms.get(game_id)
        if room is not None:
            return room
        meta = await self.store.meta(game_id)
        if not meta:
            raise ServiceError("unknown_game", f"There is no game {game_id!r}.")
        room = self.rooms.get(game_id)  # another task may have made it meanwhile
        if room is None:
            room = self.rooms[game_id] = Room(game_id, self.store, self.scenario_of(meta), self.clock, self.metrics)
            room.meta = meta
            with contextlib.suppress(*STORE_ERRORS):  # else the listener's recovery or upkeep lists it
                await self._hold([game_id])
            if self._pubsub is not None:
                with contextlib.suppress(*STORE_ERRORS):  # the listener resubscribes when it reconnects
                    await self._pubsub.subscribe(keys.channel(game_id))
            with contextlib.suppress(*STORE_ERRORS):
                await self.refresh_presence(room)
        return room

    async def enter(self, connection: Connection, room: Room) -> None:
        """A live connection joins its room; everyone there learns who is in."""
        room.join(connection)
        with contextlib.suppress(*STORE_ERRORS):
            await self.store.redis.hset(
                keys.presence(room.game_id), self._presence_key(connection), self._presence(connection)
            )
            await self._expire_presence(room.game_id)
            await self.store.redis.publish(keys.channel(room.game_id), PRESENCE)

    async def leave(self, connection: Connection) -> None:
        room = self.rooms.get(connection.game)
        if room is None or connection not in room.connections:
            return
        room.part(connection)
        room.idle_since = time.monotonic()
        with contextlib.suppress(*STORE_ERRORS):
            await self.store.redis.hdel(keys.presence(room.game_id), self._presence_key(connection))
            await self.store.redis.publish(keys.channel(room.game_id), PRESENCE)

    async def _hold(self, games: list[str]) -> None:
        """List this worker among those holding these games, so other workers' commits to them
        are published (see `keys.listeners`); the entry expires with its game."""
        async with self.store.redis.pipeline(transaction=False) as pipe:
            for game_id in games:
                pipe.sadd(keys.listeners(game_id), self.worker)
                if self.store.ttl:
                    pipe.expire(keys.listeners(game_id), self.store.ttl)
            await pipe.execute()

    async def _expire_presence(self, game_id: str) -> None:
        """The presence hash expires with its game: an entry a killed worker left, or one written
        as its connection was already leaving, otherwise kept the key long after the game."""
        if self.store.ttl:
            await self.store.redis.expire(keys.presence(game_id), self.store.ttl)

    def _presence_key(self, connection: Connection) -> str:
        return f"{self.worker}:{id(connection):x}"

    def _presence(self, connection: Connection) -> str:
        return f"{connection.role.name}|{connection.role.token_hash[:16]}|{self.clock() + PRESENCE_SECONDS:.0f}"

    async def refresh_presence(self, room: Room) -> None:
        """Work out who holds and who is connected to each seat, from every worker's entries."""
        redis, game = self.store.redis, room.game_id
        roles = await self.store.roles(game)
        names = await self.store.players(game)
        entries = await redis.hgetall(keys.presence(game))
        now = self.clock()
        online: dict[str, int] = {}
        stale = []
        for field_name, raw in entries.items():
            role, token, expiry = raw.decode().split("|")
            if float(expiry) < now:
                stale.append(field_name)
                continue
            online[role] = online.get(role, 0) + 1
            online[token] = online.get(token, 0) + 1
        if stale:
            await redis.hdel(keys.presence(game), *stale)
        seats: dict[str, Any] = {}
        for seat in room.scenario.seat_ids:
            held = [
                {"name": names.get(token, ""), "online": online.get(token[:16], 0) > 0}
                for token, role in roles.items()
                if role == f"seat:{seat}"
            ]
            seats[seat] = {
                "players": sorted(held, key=lambda p: str(p["name"])),
                "online": online.get(f"seat:{seat}", 0),
                "bot": room.meta.get(f"bot:{seat}", ""),
            }
        room.presence = {"seats": seats, "spectators": online.get("spectator", 0)}

    # --- listening --------------------------------------------------------------------------

    async def _listen(self) -> None:
        attempt = 0
        while True:
            try:
                self._pubsub = self.store.redis.pubsub()
                await self._pubsub.subscribe(WORKERS_CHANNEL, *(keys.channel(g) for g in self.rooms))
                if not self.healthy:
                    await self._recover()
                attempt = 0
                while True:
                    message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                    if message is not None:
                        self._dispatch(message)
            except asyncio.CancelledError:
                raise
            except STORE_ERRORS as error:
                if self.healthy:
                    log.warning("Redis is unreachable (%s): live delivery paused, reconnecting", error)
                    self._degrade()
                with contextlib.suppress(Exception):
                    await self._pubsub.aclose()
                self._pubsub = None
                await asyncio.sleep(BACKOFF[min(attempt, len(BACKOFF) - 1)])
                attempt += 1

    def _dispatch(self, message: dict[str, Any]) -> None:
        channel = message["channel"].decode()
        if not channel.startswith(CHANNEL_PREFIX):
            return
        game = game_of(channel)
        room = self.rooms.get(game)
        if room is None:
            return
        payload = message["data"].decode() if isinstance(message["data"], bytes) else str(message["data"])
        if payload.startswith(REVOKE):
            self.revoke(room, payload[len(REVOKE) :])
        elif payload == PRESENCE:
            self._schedule(room, presence=True)
        else:
            seq = int(payload.split()[0])
            if room.snapshot is None or seq > room.snapshot.seq:
                self._schedule(room, seq=seq)

    def _schedule(self, room: Room, presence: bool = False, seq: int = 0) -> None:
        """Catch a room up in the background: one task per room, which runs again if more
        notifications came while it ran. `seq` is the newest number notified (0 for presence)."""
        was_presence, was_seq = self._wanted.get(room.game_id, (False, 0))
        self._wanted[room.game_id] = (was_presence or presence, max(was_seq, seq))
        running = self._catching.get(room.game_id)
        if running is None or running.done():
            self._catching[room.game_id] = asyncio.create_task(self._catch_up(room))

    async def _catch_up(self, room: Room) -> None:
        while room.game_id in self._wanted:
            if self._wanted[room.game_id] == (True, 0):
                # Only who is connected changed: wait a moment, so a class joining at once is told
                # in a few patches, not one per arrival to everyone already there.
                await asyncio.sleep(PRESENCE_DELAY)
            presence, seq = self._wanted.pop(room.game_id)
            try:
                if presence:
                    await self.refresh_presence(room)
                await room.catch_up(None if presence else seq)
            except STORE_ERRORS:
                return  # the listener notices the outage and catches every room up when it ends
            except ServiceError:
                return  # the game is gone (it expired)

    def revoke(self, room: Room, role: str) -> None:
        """Disconnect every connection of a role whose tokens were dropped."""
        for connection in list(room.connections):
            if connection.role.name == role:
                connection.send(Error(id="", code="revoked", message="The facilitator re-issued this seat."))
                connection.close(1008, "seat re-issued")

    def _degrade(self) -> None:
        self.healthy = False
        notice = Status(state="degraded", message="The game's store cannot be reached; reconnecting. Nothing is lost.")
        for room in self.rooms.values():
            for connection in room.live:
                connection.send(notice)

    async def _recover(self) -> None:
        """After an outage: catch every room up, cut connections whose tokens were revoked."""
        await self._hold(list(self.rooms))  # a Redis that lost its last writes may have lost these
        for room in list(self.rooms.values()):
            roles = await self.store.roles(room.game_id)
            for connection in list(room.connections):
                if connection.role.token_hash and connection.role.token_hash not in roles:
                    connection.send(Error(id="", code="revoked", message="This seat was re-issued."))
                    connection.close(1008, "seat re-issued")
            await self.refresh_presence(room)
            await room.catch_up()
        self.healthy = True
        log.warning("Redis is back: live delivery resumed")
        notice = Status(state="ok", message="The game's store is back.")
        for room in self.rooms.values():
            for connection in room.live:
                connection.send(notice)

    # --- upkeep -----------------------------------------------------------------------------

    async def _maintain(self) -> None:
        """Renew this worker's presence entries and its place among the listeners of the games it
        holds, drop rooms nobody uses, return free memory."""
        while True:
            await asyncio.sleep(MAINTENANCE_SECONDS)
            _return_free_memory()
            with contextlib.suppress(*STORE_ERRORS):
                for game_id, room in list(self.rooms.items()):
                    if room.is_idle and time.monotonic() - room.idle_since > IDLE_ROOM_SECONDS:
                        del self.rooms[game_id]
                        await room.close()
                        if self._pubsub is not None:
                            await self._pubsub.unsubscribe(keys.channel(game_id))
                        await self.store.redis.srem(keys.listeners(game_id), self.worker)
                        continue
                    if room.connections:
                        mapping = {self._presence_key(c): self._presence(c) for c in room.connections}
                        await self.store.redis.hset(keys.presence(game_id), mapping=mapping)
                        await self._expire_presence(game_id)
                # Every game held, again: one made anew while its old room was being dropped, say.
                await self._hold(list(self.rooms))
