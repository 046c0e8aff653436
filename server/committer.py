"""The commit script of many games sent to Redis together.

Each game commits through its own writer (`room.Room`), so a busy worker has many commits
ready at once, one per game. Sent one by one, each pays redis-py's whole path (a connection
taken from the pool and given back, the retry wrapper, a write and a read): that was most of a
commit's cost in the worker. Here the commits waiting are sent in one pipeline, one write and
one read for all of them, while the next ones gather behind it. Each commit is still its own
script call, atomic for its game; one game's refusal or error does not touch another's.

A cluster spreads games over nodes, so there each commit is sent alone, as before.
"""

from __future__ import annotations

import asyncio
from typing import Any

from redis.asyncio.cluster import RedisCluster
from redis.exceptions import NoScriptError

Waiting = tuple[list[str], bytes, "asyncio.Future[Any]"]


class Committer:
    """Runs the commit script for one game at a time, pipelined with whatever else is waiting."""

    def __init__(self, client: Any, script: str) -> None:
        self.client = client
        self._script = client.register_script(script)
        self._alone = isinstance(client, RedisCluster)
        self._waiting: list[Waiting] = []
        self._sender: asyncio.Task[None] | None = None
        self.pipelines = 0  # pipelines sent: the tests check that commits waiting together share one

    async def run(self, keys: list[str], arg: bytes) -> Any:
        """The script's reply for one game's commit (raises what Redis or the connection raised)."""
        return await self.submit(keys, arg)

    def submit(self, keys: list[str], arg: bytes) -> asyncio.Future[Any]:
        """Queue one game's commit: it is sent in the loop's next turn, and the future gets the
        script's reply (or what Redis or the connection raised)."""
        if self._alone:
            sent: asyncio.Future[Any] = asyncio.ensure_future(self._script(keys=keys, args=[arg]))
            return sent
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting.append((keys, arg, future))
        if self._sender is None or self._sender.done():
            self._sender = asyncio.get_running_loop().create_task(self._send())
        return future

    async def _send(self) -> None:
        # One pipeline in flight at a time: what arrives meanwhile goes in the next one, so under
        # load the pipelines grow and the cost per commit falls.
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                replies = await self._pipeline(batch)
                if any(isinstance(reply, NoScriptError) for reply in replies):
                    # Redis restarted (its script cache is empty): load the script, send those again.
                    await self.client.script_load(self._script.script)
                    missing = [isinstance(reply, NoScriptError) for reply in replies]
                    retried = iter(await self._pipeline([item for item, m in zip(batch, missing, strict=True) if m]))
                    replies = [next(retried) if m else reply for reply, m in zip(replies, missing, strict=True)]
            except BaseException as error:  # the connection failed: every commit of the batch learns of it
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                if isinstance(error, asyncio.CancelledError):
                    raise
                continue
            for (_, _, future), reply in zip(batch, replies, strict=True):
                if future.done():
                    continue  # its writer was cancelled: the room is being dropped
                if isinstance(reply, Exception):
                    future.set_exception(reply)
                else:
                    future.set_result(reply)

    async def _pipeline(self, batch: list[Waiting]) -> list[Any]:
        self.pipelines += 1
        pipe = self.client.pipeline(transaction=False)
        for keys, arg, _ in batch:
            pipe.execute_command("EVALSHA", self._script.sha, len(keys), *keys, arg)
        replies: list[Any] = await pipe.execute(raise_on_error=False)
        return replies
