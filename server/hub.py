"""Fan-out: every worker listens on the channels of the games its clients are in, and sends
each client the new events its view holds, with its updated view.

A notification only says "there is something new"; the events themselves come from the
game's stream, from each client's last number on, so a lost notification delays nothing
past the next one and no client ever gets a gap or a duplicate.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from game_rules import Event, view, visible_events
from scenarios import load_scenario
from server import keys
from server.connection import Connection, Stage
from server.protocol import Error, EventRecord, Events
from server.store import GameStore

CHANNEL_PREFIX = f"{keys.PREFIX}:{{"
REVOKE = "revoke:"


def event_record(seq: int, event: Event) -> EventRecord:
    """An event as the wire carries it, with its number."""
    return EventRecord(
        seq=seq, kind=event.kind, round=event.round, text=event.text, audience=list(event.audience), detail=event.detail
    )


class Hub:
    """The connections of one worker, by game, and the listener that feeds them."""

    def __init__(self, store: GameStore) -> None:
        self.store = store
        self.rooms: dict[str, set[Connection]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._pubsub: Any = store.redis.pubsub()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._pubsub.aclose()

    @property
    def connections(self) -> int:
        return sum(len(room) for room in self.rooms.values())

    async def enter(self, connection: Connection) -> None:
        """Start sending this live connection its game's events."""
        room = self.rooms.setdefault(connection.game, set())
        room.add(connection)
        if len(room) == 1:
            await self._pubsub.subscribe(keys.channel(connection.game))
        await self.deliver(connection.game)  # anything committed while it was greeted

    async def leave(self, connection: Connection) -> None:
        room = self.rooms.get(connection.game)
        if room is None:
            return
        room.discard(connection)
        if not room:
            del self.rooms[connection.game]
            await self._pubsub.unsubscribe(keys.channel(connection.game))

    async def _listen(self) -> None:
        while True:
            if not self._pubsub.subscribed:
                await asyncio.sleep(0.05)
                continue
            message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if message is None:
                continue
            channel = message["channel"].decode()
            game = channel[len(CHANNEL_PREFIX) : channel.index("}")]
            payload = message["data"].decode() if isinstance(message["data"], bytes) else str(message["data"])
            if payload.startswith(REVOKE):
                self.revoke(game, payload[len(REVOKE) :])
            elif game in self.rooms:
                await self.deliver(game)

    def revoke(self, game: str, role: str) -> None:
        """Disconnect every connection of a role whose tokens were dropped."""
        for connection in list(self.rooms.get(game, ())):
            if connection.role.name == role:
                connection.send(Error(id="", code="revoked", message="The facilitator re-issued this seat."))
                connection.close(1008, "seat re-issued")

    async def deliver(self, game: str) -> None:
        """Send every connection of a game what it has not seen yet, in order."""
        lock = self._locks.setdefault(game, asyncio.Lock())
        async with lock:
            room = [c for c in self.rooms.get(game, ()) if c.stage is Stage.LIVE]
            if not room:
                return
            stored = await self.store.events_since(game, min(c.seq for c in room))
            if not stored:
                return
            snapshot = await self.store.load(game)
            if snapshot is None:
                return
            scenario = load_scenario((await self.store.meta(game))["scenario"])
            for connection in room:
                fresh = [s for s in stored if s.seq > connection.seq]
                if not fresh:
                    continue
                viewer = connection.role.viewer
                shown = set(map(id, visible_events([s.event for s in fresh], viewer)))
                connection.seq = fresh[-1].seq
                if not shown:
                    continue  # nothing this viewer may see happened
                connection.send(
                    Events(
                        seq=connection.seq,
                        events=[event_record(s.seq, s.event) for s in fresh if id(s.event) in shown],
                        view=view(scenario, snapshot.state, viewer),
                    )
                )
