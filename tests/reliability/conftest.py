"""The reliability suite starts its own Redis servers and server processes; the in-process
tests share the server tests' Redis (`redis_url`, flushed for each test)."""

from __future__ import annotations

from tests.server.conftest import redis_server, redis_url

__all__ = ["redis_server", "redis_url"]
