"""Stateless workers: two server processes on one Redis, and a deadline that outlives the
worker that set it (killed with SIGKILL)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from bots import parse_lineup
from scenarios import load_scenario
from server import wire
from server.embedded_redis import free_port
from server.settings import Settings
from tests.server.client import Client, post
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
