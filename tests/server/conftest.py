"""A real Redis server and a real server on loopback, started by the tests themselves."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator, Iterator

import pytest
import redis
import uvicorn
from starlette.applications import Starlette

from server.app import create_app
from server.embedded_redis import EmbeddedRedis, free_port
from server.settings import Settings
from server.transport import uvicorn_config


@pytest.fixture(scope="session")
def redis_server() -> Iterator[EmbeddedRedis]:
    """One real redis-server for the session; each test flushes it first."""
    server = EmbeddedRedis().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: EmbeddedRedis) -> str:
    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    client.close()
    return redis_server.url


@contextlib.asynccontextmanager
async def running(settings: Settings, app: Starlette | None = None) -> AsyncIterator[str]:
    """Serve the app (a test may make its own, to look inside) on a free loopback port until the
    block ends; yields the base URL."""
    settings = dataclasses.replace(settings, port=settings.port or free_port())
    app = app or create_app(settings)
    config = uvicorn_config(app, settings, host="127.0.0.1", port=settings.port, lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(200):
        if server.started:
            break
        await asyncio.sleep(0.025)
    assert server.started, "the server did not start"
    try:
        yield f"127.0.0.1:{settings.port}"
    finally:
        server.should_exit = True
        server.force_exit = True  # clients a test left open must not hold the shutdown up
        await asyncio.wait_for(task, 10)


@pytest.fixture
async def server(redis_url: str) -> AsyncIterator[str]:
    """A running server on the test's Redis: 'host:port'."""
    async with running(Settings(redis_url=redis_url, port=0, deadline_poll_seconds=0.05)) as address:
        yield address
