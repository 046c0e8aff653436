"""The worker's Redis client: a bounded, blocking pool; commands packed in C; and, on Python
3.11, writes that cannot lose a cancellation."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.connection import AbstractConnection
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.connection import HiredisRespSerializer
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from server.settings import Settings


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


async def _send_packed_command(
    self: AbstractConnection, command: bytes | str | Iterable[bytes], check_health: bool = True
) -> None:
    """redis-py's `send_packed_command` (8.1), with `asyncio.timeout` where it used `wait_for`."""
    if not self.is_connected:
        await self.connect_check_health(check_health=False)
    if check_health:
        await self.check_health()  # type: ignore[no-untyped-call]
    try:
        if isinstance(command, str):
            command = command.encode()
        if isinstance(command, bytes):
            command = [command]
        async with asyncio.timeout(self.socket_timeout or None):
            assert self._writer is not None  # connected above
            self._writer.writelines(command)
            await self._writer.drain()
    except TimeoutError:
        await self.disconnect(nowait=True)
        raise RedisTimeoutError("Timeout writing to socket") from None
    except OSError as error:
        await self.disconnect(nowait=True)
        number, message = ("UNKNOWN", error.args[0]) if len(error.args) == 1 else error.args[:2]
        raise RedisConnectionError(f"Error {number} while writing to socket. {message}.") from error
    except BaseException:
        await self.disconnect(nowait=True)  # half a command may have gone: the connection is unusable
        raise


if sys.version_info < (3, 12):
    # Python 3.11's asyncio.wait_for returns the result of what it awaited when the task is
    # cancelled just as that finishes, and the cancellation is lost (CPython gh-86296, fixed in
    # 3.12). redis-py wraps every command's write in wait_for, and a write finishes at once, so a
    # task cancelled during a command often went on running: the worker's deadline loop did not
    # stop when the worker did, and any task we cancel (a dropped client's session, a room's
    # writer) could do the same. Every connection class, the cluster's too, inherits this method,
    # so it is replaced once here.
    AbstractConnection.send_packed_command = _send_packed_command  # type: ignore[method-assign]
