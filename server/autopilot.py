"""Autopilots: reference bots the facilitator seats in an empty or absent seat.

Which seats have an autopilot is written in Redis (a set shared by all workers, and the
game's meta `bot:<seat>`). Each worker runs a loop that adopts any autopilot nobody is
running: it takes a short lease, refreshes it while the bot plays, and lets it lapse when it
stops; if a worker dies, another adopts its bots when their leases run out. A bot moves when
its game changes (it waits on its room), not by polling; it steps aside when its seat's meta
entry goes (unseated, or a person joined the seat and acted).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from bots import REFERENCE_BOTS, make_bot
from game_rules import legal_actions, view
from server import keys
from server.auth import Role, seat_role
from server.controls import AUTOPILOTS
from server.errors import ServiceError
from server.room import STORE_ERRORS, Room
from server.service import GameService

log = logging.getLogger("normarena.autopilot")
LEASE_MS = 3000
WAKE_SECONDS = 1.0  # a bot looks again this often even when nothing wakes it


def _lease(game_id: str, seat: str) -> str:
    return f"{keys.PREFIX}:{{{game_id}}}:autopilot:{seat}"


class Autopilots:
    """The bots this worker is running, and the loop that adopts unclaimed ones."""

    def __init__(self, service: GameService) -> None:
        self.service = service
        self.running: dict[str, asyncio.Task[None]] = {}
        self._loop: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._loop = asyncio.create_task(self._adopt_forever())

    async def stop(self) -> None:
        tasks = [t for t in (self._loop, *self.running.values()) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _adopt_forever(self) -> None:
        redis = self.service.store.redis
        while True:
            with contextlib.suppress(*STORE_ERRORS):
                for raw in await redis.smembers(AUTOPILOTS):
                    entry = raw.decode()
                    if entry in self.running and not self.running[entry].done():
                        continue
                    game_id, seat = entry.split("|", 1)
                    if await redis.set(_lease(game_id, seat), "1", nx=True, px=LEASE_MS):
                        self.running[entry] = asyncio.create_task(self._run(game_id, seat))
            await asyncio.sleep(LEASE_MS / 3000)

    async def _run(self, game_id: str, seat: str) -> None:
        redis = self.service.store.redis
        try:
            room = await self.service.hub.room(game_id)
        except ServiceError:
            await redis.srem(AUTOPILOTS, f"{game_id}|{seat}")  # the game is gone
            return
        room.users += 1
        try:
            finished = await self._play(room, seat)
            if finished:
                await redis.srem(AUTOPILOTS, f"{game_id}|{seat}")
        except STORE_ERRORS:
            pass  # adopted again once the store is back
        except Exception:
            log.exception("the autopilot in %s of game %s failed", seat, game_id)
        finally:
            room.users -= 1
            with contextlib.suppress(*STORE_ERRORS):
                await redis.delete(_lease(game_id, seat))

    async def _play(self, room: Room, seat: str) -> bool:
        """Play the seat until the game ends or the bot is taken away; True when it is over."""
        redis = self.service.store.redis
        strategy = room.meta.get(f"bot:{seat}", "")
        if strategy not in REFERENCE_BOTS:
            return True
        bot = make_bot(strategy, int(room.meta.get("seed", "1")), seat)
        role = Role(seat_role(seat))
        while True:
            await redis.pexpire(_lease(room.game_id, seat), LEASE_MS)
            async with room.lock:
                snapshot = await room.ensure_loaded()
            if not room.meta.get(f"bot:{seat}"):
                return True
            if snapshot.state.phase == "ended":
                return True
            legal = legal_actions(room.scenario, snapshot.state, seat)
            if legal:
                action: Any = bot.act(view(room.scenario, snapshot.state, seat), legal)
                try:
                    await room.submit(seat, action, role, "")
                    continue
                except ServiceError as error:
                    if error.code == "unknown_game":
                        return True  # the game expired: without this the bot looked again forever
                    # otherwise the game moved on, or is paused: look again when it changes
            await room.wait_for_change(snapshot, WAKE_SECONDS)  # nothing moved since we looked
            if room.snapshot is snapshot and not await self.service.store.exists(room.game_id):
                return True  # nothing moved for a while because the game expired (its room keeps its state)
