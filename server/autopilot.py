"""Autopilots: reference bots the facilitator seats in an empty or absent seat.

Which seats have an autopilot is written in Redis (a set shared by all workers). Each worker
runs a loop that adopts any autopilot nobody is running: it takes a short lease, refreshes
it while the bot plays, and lets it lapse when it stops; if a worker dies, another adopts
its bots when their leases run out.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from bots import REFERENCE_BOTS, make_bot
from game_rules import legal_actions, view
from server import keys
from server.auth import Role, seat_role
from server.service import GameService, ServiceError

REGISTRY = f"{keys.PREFIX}:autopilots"
LEASE_MS = 3000
IDLE_SECONDS = 0.1


def _lease(game_id: str, seat: str) -> str:
    return f"{keys.PREFIX}:{{{game_id}}}:autopilot:{seat}"


class Autopilots:
    """The bots this worker is running, and the loop that adopts unclaimed ones."""

    def __init__(self, service: GameService) -> None:
        self.service = service
        self.running: dict[str, asyncio.Task[None]] = {}
        self._loop: asyncio.Task[None] | None = None

    async def seat(self, game_id: str, seat: str, strategy: str) -> None:
        """Put a reference bot in a seat; any worker may run it."""
        scenario = await self.service.scenario_of(game_id)
        if not scenario.has_seat(seat):
            raise ServiceError("unknown_seat", f"There is no seat {seat!r} in this game.")
        if strategy not in REFERENCE_BOTS:
            raise ServiceError("unknown_bot", f"Choose a bot from {', '.join(REFERENCE_BOTS)}.")
        await self.service.store.set_meta(game_id, **{f"bot:{seat}": strategy})
        await self.service.store.redis.sadd(REGISTRY, f"{game_id}|{seat}")

    async def unseat(self, game_id: str, seat: str) -> None:
        await self.service.store.redis.srem(REGISTRY, f"{game_id}|{seat}")
        await self.service.store.redis.hdel(keys.meta(game_id), f"bot:{seat}")

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
            with contextlib.suppress(Exception):
                for raw in await redis.smembers(REGISTRY):
                    entry = raw.decode()
                    if entry in self.running and not self.running[entry].done():
                        continue
                    game_id, seat = entry.split("|", 1)
                    if await redis.set(_lease(game_id, seat), "1", nx=True, px=LEASE_MS):
                        self.running[entry] = asyncio.create_task(self._play(game_id, seat))
            await asyncio.sleep(LEASE_MS / 3000)

    async def _play(self, game_id: str, seat: str) -> None:
        """Play the seat until the game ends or the facilitator takes the bot away."""
        service, redis = self.service, self.service.store.redis
        meta = await service.store.meta(game_id)
        strategy = meta.get(f"bot:{seat}", "")
        if strategy not in REFERENCE_BOTS:
            await self.unseat(game_id, seat)
            return
        bot = make_bot(strategy, int(meta.get("seed", "1")), seat)
        scenario = await service.scenario_of(game_id)
        role = Role(seat_role(seat))
        try:
            while await redis.sismember(REGISTRY, f"{game_id}|{seat}"):
                await redis.pexpire(_lease(game_id, seat), LEASE_MS)
                snapshot = await service.snapshot(game_id)
                if snapshot.state.phase == "ended":
                    await self.unseat(game_id, seat)
                    return
                legal = legal_actions(scenario, snapshot.state, seat)
                if not legal:
                    await asyncio.sleep(IDLE_SECONDS)
                    continue
                action: Any = bot.act(view(scenario, snapshot.state, seat), legal)
                try:
                    await service.act(game_id, role, action)
                except ServiceError:
                    await asyncio.sleep(IDLE_SECONDS)  # the game moved on, or is paused: look again
        finally:
            await redis.delete(_lease(game_id, seat))
