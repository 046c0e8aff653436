"""One worker: the server process's parts, made and stopped together by the app's lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio.cluster import RedisCluster

from server.autopilot import Autopilots
from server.errors import ServiceError
from server.hub import Hub
from server.limits import Counter, Limiter
from server.metrics import Metrics
from server.redis_client import connect_redis
from server.room import STORE_ERRORS
from server.service import GameService, scenario_of_meta
from server.settings import Settings
from server.store import GameStore

log = logging.getLogger("normarena.worker")


@dataclass
class Worker:
    """Everything one server process runs."""

    settings: Settings
    redis: Any
    store: GameStore
    hub: Hub
    service: GameService
    autopilots: Autopilots
    metrics: Metrics = field(default_factory=Metrics)
    requests: Limiter = field(init=False)
    bot_requests: Limiter = field(init=False)
    address_requests: Limiter = field(init=False)
    failed_joins: Limiter = field(init=False)
    creations: Limiter = field(init=False)
    sockets_by_address: Counter = field(init=False)
    sockets_by_token: Counter = field(init=False)
    _deadlines: asyncio.Task[None] | None = None

    def __post_init__(self) -> None:
        s = self.settings
        self.requests = Limiter(s.rate_per_second, s.rate_burst)
        self.bot_requests = Limiter(s.bot_rate_per_second, s.bot_rate_per_second)
        self.address_requests = Limiter(s.address_rate_per_second, s.address_rate_burst)
        self.failed_joins = Limiter(s.failed_joins_per_second, s.failed_joins_burst)
        self.creations = Limiter(s.creates_per_second, s.creates_burst)
        self.sockets_by_address = Counter(s.connections_per_address)
        self.sockets_by_token = Counter(s.connections_per_token)

    @classmethod
    def make(cls, settings: Settings, clock: Any = time.time) -> Worker:
        redis = connect_redis(settings)
        store = GameStore(redis, settings.game_ttl_seconds, worker=secrets.token_hex(4))
        metrics = Metrics()
        hub = Hub(store, scenario_of_meta, clock, metrics)
        service = GameService(store, hub, clock, settings.players_per_seat)
        return cls(settings, redis, store, hub, service, Autopilots(service), metrics)

    async def start(self) -> None:
        if self.settings.cluster:
            await self.redis.initialize()
        await self.hub.start()
        await self.autopilots.start()
        self._deadlines = asyncio.create_task(self._deadline_loop())

    async def stop(self) -> None:
        if self._deadlines is not None:
            self._deadlines.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._deadlines
        await self.autopilots.stop()
        await self.hub.stop()
        with contextlib.suppress(*STORE_ERRORS):
            if isinstance(self.redis, RedisCluster):
                await self.redis.aclose()
            else:  # a client given its pool leaves the pool open unless told otherwise
                await self.redis.aclose(close_connection_pool=True)

    async def _deadline_loop(self) -> None:
        logged = 0.0
        while True:
            # A failed tick is tried again at the next one: a deadline is never lost, only late.
            try:
                await self.service.close_due_phases(self.settings.lease_ms)
            except (ServiceError, *STORE_ERRORS):
                pass
            except Exception:
                if time.monotonic() - logged > 60:  # a bug logs once a minute, not four times a second
                    logged = time.monotonic()
                    log.exception("closing a phase at its deadline failed")
            await asyncio.sleep(self.settings.deadline_poll_seconds)
