"""Stateless workers: two server processes on one Redis, and a deadline that outlives the
worker that set it (killed with SIGKILL)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import redis
import websockets

from bots import parse_lineup
from scenarios import load_scenario
from server import wire
from server.app import create_app
from server.embedded_redis import free_port
from server.settings import Settings
from tests.server.client import Client, join, new_game, post
from tests.server.conftest import running
from tests.server.test_bot_game import play_seat


@contextmanager
def worker_process(redis_url: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`normarena serve` in its own process on this Redis; yields its address and process."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "normarena", "serve", "--port", str(port), "--redis-url", redis_url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    address = f"127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"http://{address}/readyz", timeout=0.5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None:
                raise RuntimeError("the worker process exited")
            time.sleep(0.05)
        yield address, process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def test_two_workers_on_one_redis_show_every_client_the_same_events_in_order(redis_url: str) -> None:
    scenario = load_scenario("classroom-quick")
    lineup = parse_lineup("auto", scenario)
    with worker_process(redis_url) as (first, _), worker_process(redis_url) as (second, _):
        created = (await post(first, "/api/games", {"scenario": "classroom-quick", "seed": 11, "clock": "bots"})).json()
        facilitator = await Client.connect(second, wire.MSGPACK)
        await facilitator.hello(created["game"], created["facilitator_token"])
        assert (await facilitator.act({"type": "start_game"}))["type"] == "ack"
        spectators = [await Client.connect(address, wire.JSON) for address in (first, second)]
        for spectator in spectators:
            await spectator.hello(created["game"], created["spectator_token"])
        players = [
            play_seat(first if i % 2 else second, created["join_codes"][seat], seat, lineup[seat], wire.MSGPACK)
            for i, seat in enumerate(scenario.seat_ids)
        ]
        await asyncio.wait_for(asyncio.gather(*players), 180)
        # Both spectators, one on each worker, drain what they were sent.
        seen = []
        for spectator in spectators:
            while True:
                view, _ = await spectator.turn()
                if view["phase"] == "ended" and spectator.seq >= (await spectator.request({"type": "ask"}))["seq"]:
                    break
                await spectator.next_events(5)
            seen.append([(e["seq"], e["kind"], e["text"]) for e in spectator.events])
        assert seen[0] == seen[1]
        numbers = [s for s, _, _ in seen[0]]
        assert numbers == sorted(set(numbers)), "no duplicates, in order"
        assert seen[0][-1][1] == "game_ended"
        for client in (facilitator, *spectators):
            await client.close()


async def test_a_deadline_closes_its_phase_after_the_worker_that_set_it_was_killed(redis_url: str) -> None:
    with worker_process(redis_url) as (doomed, process):
        body = {"scenario": "classroom-quick", "seed": 2, "clock": "classroom", "deadlines": {"negotiate": 1.5}}
        created = (await post(doomed, "/api/games", body)).json()
        facilitator = await Client.connect(doomed, wire.JSON)
        await facilitator.hello(created["game"], created["facilitator_token"])
        assert (await facilitator.act({"type": "start_game"}))["type"] == "ack"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    async with running(Settings(redis_url=redis_url, port=0, deadline_poll_seconds=0.05)) as survivor:
        watcher = await Client.connect(survivor, wire.JSON)
        welcome = await watcher.hello(created["game"], created["facilitator_token"])
        assert welcome["view"]["phase"] == "negotiate"
        for _ in range(100):
            view, _ = await watcher.turn()
            if view["phase"] != "negotiate":
                break
            await asyncio.sleep(0.1)
        assert (view["round"], view["phase"]) == (1, "act")


async def test_an_announcement_from_another_worker_just_before_a_commit_reaches_this_workers_clients_in_order(
    redis_url: str,
) -> None:
    """Worker B announces (its commit leaves the game's version as it was) after a seat on
    worker A sent a message but before A's writer commits it: A's clients must get the
    announcement and the message, numbered in order with no gap, and views that match."""
    settings = Settings(redis_url=redis_url, port=0)
    app = create_app(settings)
    async with running(settings, app) as first, running(settings) as second:
        created = await new_game(first, clock="bots")
        game = created["game"]
        facilitator = await Client.connect(second, wire.JSON)
        await facilitator.hello(game, created["facilitator_token"])
        assert (await facilitator.act({"type": "start_game"}))["type"] == "ack"
        clients = []
        for name in ("norway", "msf"):
            client = await Client.connect(first, wire.MSGPACK)
            await client.hello(game, (await join(first, created["join_codes"][name]))["token"])
            clients.append(client)
        norway, msf = clients
        await msf.turn()  # msf's view is up to date with the start
        room = app.state.worker.hub.rooms[game]
        async with room.lock:  # A's writer, then A's catch-up of B's announcement, wait behind it
            await norway.send(
                {"type": "act", "id": "m1", "action": {"type": "send_message", "to": "public", "text": "first"}}
            )
            await asyncio.sleep(0.3)
            locked = await facilitator.request({"type": "control", "command": "lock"})
            assert locked["type"] == "ack", locked
            await asyncio.sleep(0.3)  # the announcement's notification reaches A
        ack = await norway.expect("ack", "m1")
        for _ in range(50):
            if msf.seq >= ack["seq"] and any(e["kind"] == "joining_locked" for e in msf.events):
                break
            with contextlib.suppress(TimeoutError):
                await msf.receive(timeout=0.1)
        kinds = [(e["seq"], e["kind"]) for e in msf.events if e["seq"] > ack["seq"] - 2]
        assert [kind for _, kind in kinds] == ["joining_locked", "message"], kinds
        numbers = [e["seq"] for e in msf.events]
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers))), "numbered in order, with no gap"
        await msf.turn()  # and its patched view is the server's
        for client in (facilitator, norway, msf):
            await client.close()


def _servers_tasks() -> list[asyncio.Task[object]]:
    """The event loop's unfinished tasks that the server, uvicorn or redis-py started."""
    mine = asyncio.current_task()
    folders = (f"{os.sep}server{os.sep}", f"{os.sep}uvicorn{os.sep}", f"{os.sep}redis{os.sep}")
    return [
        task
        for task in asyncio.all_tasks()
        if task is not mine and any(folder in task.get_coro().cr_code.co_filename for folder in folders)  # type: ignore[union-attr]
    ]


async def test_a_stopped_server_ends_its_tasks_closes_its_redis_connections_and_tells_open_clients(
    redis_url: str,
) -> None:
    redis_clients = redis.Redis.from_url(redis_url)
    before = len(redis_clients.client_list())
    async with running(Settings(redis_url=redis_url, port=0)) as address:
        created = await new_game(address, clock="bots")
        facilitator = await Client.connect(address, wire.MSGPACK)
        await facilitator.hello(created["game"], created["facilitator_token"])
        assert (await facilitator.act({"type": "start_game"}))["type"] == "ack"
        assert _servers_tasks(), "a running server has tasks of its own"
        assert len(redis_clients.client_list()) > before
        # The facilitator is left connected, as a class is when the operator stops the server.
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await facilitator.receive(timeout=5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012, "told the server is restarting"
    for _ in range(40):  # Redis reads a closed connection's end in its own time
        if not _servers_tasks() and len(redis_clients.client_list()) == before:
            break
        await asyncio.sleep(0.05)
    assert not _servers_tasks(), f"tasks left running after the server stopped: {_servers_tasks()}"
    assert len(redis_clients.client_list()) == before, "the worker's Redis connections were not closed"
    redis_clients.close()
