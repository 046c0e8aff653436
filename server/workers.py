"""One worker: the server process's parts, made and stopped together by the app's lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.connection import HiredisRespSerializer
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from server.autopilot import Autopilots
from server.errors import ServiceError
from server.hub import Hub
from server.limits import Counter, Limiter
from server.metrics import Metrics
from server.room import STORE_ERRORS
from server.service import GameService, scenario_of_meta
from server.settings import Settings
from server.store import GameStore

log = logging.getLogger("normarena.worker")


class PackedConnection(aioredis.Connection):
    """redis-py's asyncio connection packs each command in Python, argument by argument (3% of a
    worker's time at saturation, the commit's eleven arguments); its synchronous client packs
    them with hiredis, in C, when hiredis is installed: the same packer here."""

    _packer = HiredisRespSerializer()

    def pack_command(self, *args: Any) -> list[bytes]:
        packed: list[bytes] = self._packer.pack(*args)
        return packed


def connect_redis(settings: Settings) -> Any:
    """A client for the configured Redis (one server, or a cluster reached through any node),
    with a bounded pool that blocks when every connection is busy and retries that back off."""
    retry = Retry(ExponentialBackoff(cap=0.5, base=0.02), 3)
    errors = [RedisConnectionError, RedisTimeoutError, ConnectionResetError]
    if settings.cluster:
        return RedisCluster.from_url(
            settings.redis_url, max_connections=settings.redis_connections, retry=retry, retry_on_error=errors
        )
    pool = aioredis.BlockingConnectionPool.from_url(
        settings.redis_url,
        max_connections=settings.redis_connections,
        timeout=10,
        retry=retry,
        retry_on_error=errors,
        health_check_interval=5,
        socket_connect_timeout=2,
        # Over TLS or a Unix socket redis-py's own connection classes, chosen by the URL, stay.
        **({"connection_class": PackedConnection} if settings.redis_url.startswith("redis://") else {}),
    )
    return aioredis.Redis(connection_pool=pool)


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
            await self.redis.aclose()

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
