"""Floods and slow readers against a `serve` process (issue 9, findings 3 and 12, and "proven
by" 4): many connections on one token and many tokens from one address are held to their
rate while another player's ping and act p99 stay within TOLERANCE times their quiet values; clients
that stop reading are dropped and the server's memory returns to within 10% of its start."""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from typing import Any

import httpx
import pytest

from scenarios import load_scenario
from server import wire
from server.hub import MAINTENANCE_SECONDS
from server.settings import Settings
from tests.reliability.harness import ROOT, Player, ServerProcess, create_game, join, redis_server, say, seated
from tests.server.client import stalled_socket

pytestmark = pytest.mark.slow
SEATS = load_scenario("classroom-quick").seat_ids
RATE, BURST = 30, 60
ADDRESS_RATE, ADDRESS_BURST = Settings.address_rate_per_second, Settings.address_rate_burst
WINDOWS, PINGS, ACTS = 4, 100, 40
PACE = 0.004  # between a victim's requests: it stays well under its own rate
FLOOR = 0.001  # p99s under a millisecond are the scheduler's noise, not the server's: compare from here
ATTEMPTS = 5  # the machine is shared: a quiet p99 of 1 ms one moment is 5 ms the next
# How much worse another player's p99 may get during a flood: the bar. Unlimited, a
# flood made it 100x worse (0.8 -> 109 ms).
TOLERANCE = 3
FLOOD_SECONDS = 9.0


async def _window_p99s(victim: Player, kind: str) -> list[float]:
    """The p99 of each of WINDOWS windows of sequential requests of one kind."""
    p99s = []
    for window in range(WINDOWS):
        took = []
        for index in range(PINGS if kind == "ping" else ACTS):
            message: dict[str, Any] = {"type": "ping"}
            if kind == "act":
                message = {"type": "act", "action": say(f"window {window}, message {index}")}
            started = time.perf_counter()
            answer = await victim.request(message)
            took.append(time.perf_counter() - started)
            assert answer["type"] in ("pong", "ack"), answer
            await asyncio.sleep(PACE)
        p99s.append(statistics.quantiles(took, n=100)[98])
    return p99s


async def _measure(victim: Player) -> dict[str, float]:
    """The median over windows of the p99 of pings and of acts."""
    return {kind: statistics.median(await _window_p99s(victim, kind)) for kind in ("ping", "act")}


async def _during(address: str, targets: list[tuple[str, str, int]], victim: Player) -> tuple[dict[str, float], Any]:
    """Measure the victim while a flooder process floods; the flooder's tally."""
    flooder = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.flood", address, str(FLOOD_SECONDS), json.dumps(targets)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    try:
        await asyncio.sleep(1.5)  # the flood is under way, and its bursts spent
        measured = await _measure(victim)
        out, _ = await asyncio.to_thread(flooder.communicate, timeout=60)
    finally:
        if flooder.poll() is None:
            flooder.kill()
            flooder.wait()
    return measured, json.loads(out)


def _held_to_rate(tally: dict[str, int], tokens: int) -> None:
    allowed = tokens * (BURST + RATE * tally["elapsed_ms"] / 1000)
    assert tally.get("pong", 0) <= allowed * 1.1 + 10, f"{tally.get('pong')} pongs for {tokens} tokens: {tally}"
    assert tally.get("sent", 0) > 3 * tally.get("pong", 0), f"the flood was hardly held back: {tally}"


async def _flood_keeps_others_p99(make_targets: Any, check: Any) -> None:
    """Flood as `make_targets` says (given the server's address), check the flooder's tally,
    and compare the victim's p99s flooded with quiet ones measured just before; up to
    ATTEMPTS times, as the machine is shared."""
    with redis_server() as store, ServerProcess(redis_url=store.url) as server:
        address = server.address
        quiet_game = await create_game(address, clock="bots")  # the victim's game: the bots' rate
        victim = await seated(address, quiet_game, SEATS[0], wire.MSGPACK)
        facilitator = Player([address], quiet_game["game"], quiet_game["facilitator_token"])
        await facilitator.connect()
        assert (await facilitator.request({"type": "control", "command": "start"}))["type"] == "ack"
        targets = await make_targets(address)
        results = []
        for _ in range(ATTEMPTS):
            quiet = await _measure(victim)
            flooded, tally = await _during(address, targets, victim)
            check(tally)
            results.append((quiet, flooded))
            if all(flooded[k] <= TOLERANCE * max(quiet[k], FLOOR) for k in flooded):
                break
        measured = [{k: f"{q[k] * 1000:.2f} -> {f[k] * 1000:.2f} ms" for k in q} for q, f in results]
        print(f"victim's p99, quiet -> flooded: {measured}")
        quiet, flooded = results[-1]
        for kind in ("ping", "act"):
            assert flooded[kind] <= TOLERANCE * max(quiet[kind], FLOOR), f"p99, quiet -> flooded: {measured}"
        await victim.close()
        await facilitator.close()


async def test_twelve_connections_flooding_on_one_token_share_its_rate_and_others_keep_their_p99() -> None:
    async def targets(address: str) -> list[tuple[str, str, int]]:
        game = await create_game(address, clock="classroom")
        return [(game["game"], (await join(address, game["join_codes"][SEATS[0]]))["token"], 12)]

    def check(tally: dict[str, int]) -> None:
        _held_to_rate(tally, 1)
        assert tally.get("hello:too_many_connections", 0) >= 4, f"more than 8 connections on a token: {tally}"

    await _flood_keeps_others_p99(targets, check)


async def test_72_tokens_flooding_from_one_address_are_held_to_its_rate_and_others_keep_their_p99() -> None:
    """Each token has its rate, and an address's greeted tokens share one budget besides
    (`address_rate_per_second`), so many join codes' tokens buy no extra rate."""

    async def targets(address: str) -> list[tuple[str, str, int]]:
        game = await create_game(address, clock="classroom")
        codes = [game["join_codes"][seat] for seat in SEATS for _ in range(12)]
        return [(game["game"], (await join(address, code))["token"], 1) for code in codes]

    def check(tally: dict[str, int]) -> None:
        _held_to_rate(tally, 72)
        budget = ADDRESS_BURST + ADDRESS_RATE * tally["elapsed_ms"] / 1000
        assert tally.get("pong", 0) <= budget * 1.1 + 10, f"more than the address's budget: {tally}"

    await _flood_keeps_others_p99(targets, check)


async def _connected(address: str) -> float:
    async with httpx.AsyncClient(timeout=10) as http:
        text = (await http.get(f"http://{address}/metrics")).text
    return float(next(line for line in text.splitlines() if line.startswith("normarena_connections ")).split()[-1])


async def test_clients_that_stop_reading_are_dropped_and_the_servers_memory_returns_to_its_start() -> None:
    """Twenty spectators say hello and never read again while a seat sends long messages. Each
    is dropped once its outbox fills; a maintenance round later (the worker returns free memory
    to the system every MAINTENANCE_SECONDS) the server's RSS is within 10% of what it was."""
    with redis_server() as store, ServerProcess(redis_url=store.url) as server:
        address = server.address
        created = await create_game(address, clock="bots")
        facilitator = Player([address], created["game"], created["facilitator_token"])
        await facilitator.connect()
        assert (await facilitator.request({"type": "control", "command": "start"}))["type"] == "ack"
        speaker = await seated(address, created, SEATS[0], wire.MSGPACK)
        text = "Consult the regions before the text is tabled. " * 40
        for index in range(100):  # warm up: the speaker's frames, the views, the allocator
            await speaker.request({"type": "act", "action": say(f"warm {index} {text}")})
        await asyncio.sleep(MAINTENANCE_SECONDS + 1)
        start = server.rss()
        seq = (await speaker.request({"type": "ask"}))["seq"]
        hello = {"type": "hello", "game": created["game"], "token": created["spectator_token"], "last_seq": seq}
        stalled = [stalled_socket(address, wire.JSON, hello) for _ in range(20)]
        peak = start
        try:
            for index in range(3000):
                await speaker.request({"type": "act", "action": say(f"{index} {text}")})
                if index % 50 == 0:
                    peak = max(peak, server.rss())
                    if await _connected(address) <= 2:  # the facilitator and the speaker
                        break
            assert await _connected(address) <= 2, "clients that stopped reading were never dropped"
            await asyncio.sleep(MAINTENANCE_SECONDS + 1)
            after = server.rss()
        finally:
            for socket in stalled:
                socket.close()
        mb = 2**20
        assert after <= start * 1.10, (
            f"RSS {start / mb:.1f} MB at start, {peak / mb:.1f} at peak, {after / mb:.1f} after"
        )
        await speaker.close()
        await facilitator.close()


async def test_an_idle_connection_costs_the_server_little_memory() -> None:
    """Finding 12: 165 KB per idle connection. Two hundred spectators say hello and wait."""
    with redis_server() as store, ServerProcess(redis_url=store.url) as server:
        address = server.address
        created = await create_game(address, clock="bots")
        facilitator = Player([address], created["game"], created["facilitator_token"])
        await facilitator.connect()
        assert (await facilitator.request({"type": "control", "command": "start"}))["type"] == "ack"
        warm = [Player([address], created["game"], created["spectator_token"]) for _ in range(20)]
        for player in warm:  # the first connections' one-off costs (buffers, code paths) are not theirs
            await player.connect()
            await player.close()
        await asyncio.sleep(1.0)
        start = server.rss()
        idle = [Player([address], created["game"], created["spectator_token"]) for _ in range(200)]
        for player in idle:
            assert (await player.connect())["type"] == "welcome"
        await asyncio.sleep(1.0)
        each = (server.rss() - start) / len(idle)
        for player in (*idle, facilitator):
            await player.close()
        assert each < 80 * 1024, f"{each / 1024:.0f} KB per idle connection"
