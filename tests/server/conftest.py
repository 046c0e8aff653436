"""A real Redis server and a real server on loopback, started by the tests themselves."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator, Iterator
from typing import Any

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
    # Connections a test left open get the close and a second to go; then the lifespan stops
    # the worker, as `serve` does. (uvicorn's force_exit would skip the lifespan's end and leave
    # the worker's tasks and Redis connections running until the test's event loop is torn down.)
    config = uvicorn_config(
        app, settings, host="127.0.0.1", port=settings.port, lifespan="on", timeout_graceful_shutdown=1
    )
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
        try:
            await asyncio.wait_for(asyncio.shield(task), 15)
        except TimeoutError:
            raise AssertionError(f"the server did not stop in 15 s; still running:\n{_stacks()}") from None


def _stacks() -> str:
    """Every unfinished task of the loop with where it waits, to say why a server did not stop."""
    lines = []
    for task in asyncio.all_tasks():
        lines.append(repr(task))
        awaited: Any = task.get_coro()
        while awaited is not None:  # down the chain of awaits: a task's own stack is its outer frame
            frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "gi_frame", None)
            if frame is not None:
                lines.append(f"    {frame.f_code.co_filename}:{frame.f_lineno} {frame.f_code.co_name}")
            awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "gi_yieldfrom", None)
    return "\n".join(lines)


@pytest.fixture
async def server(redis_url: str) -> AsyncIterator[str]:
    """A running server on the test's Redis: 'host:port'."""
    async with running(Settings(redis_url=redis_url, port=0, deadline_poll_seconds=0.05)) as address:
        yield address
