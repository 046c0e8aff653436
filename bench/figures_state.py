"""The figures about what is kept: the cost of an action late in a long game against early, the
stored state's size, the server's memory per idle connection, and Redis' per finished game."""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections.abc import Callable

import httpx

from bench.context import Bench, drive_for, idle_cpu_rate, measured_run, note
from bench.figures_latency import delivery_notes
from bench.games import SCENARIO, create_games
from bench.games import floor_games as floor_games_at
from bench.observe import RedisProbe
from bench.report import Row
from bench.session import Load
from bench.wsclient import BenchConnection

MS = 1000.0
KB = 1024.0
SETTLE = 3.0  # seconds after the last connection opens before memory is read
GAME_TIMEOUT = 900.0


async def history_figures(bench: Bench) -> list[Row]:
    """One game, one action in flight: CPU per action and state size early and after 1,000 actions."""
    early, middle, late = bench.plan.history
    note(f"history: one game, actions 0-{early} measured, {middle} more, then {late} measured")
    probe = RedisProbe(bench.redis_url)
    try:
        async with bench.workers() as workers:
            games = await bench.server_games(workers, 1, "hist")
            game = games[0]
            async with bench.load(games, spread=False) as load:
                idle = await idle_cpu_rate(workers.cpu_seconds)
                first = await measured_run(
                    bench, load, [drive_for(game, bench.tag("h"), count=early)], workers.cpu_seconds
                )
                early_state = probe.state_bytes(game.game)
                await load.run([drive_for(game, bench.tag("h"), count=middle)])
                last = await measured_run(
                    bench, load, [drive_for(game, bench.tag("h"), count=late)], workers.cpu_seconds
                )
                late_state = probe.state_bytes(game.game)
    finally:
        probe.close()
    start = early + middle
    cost = [(m.server_cpu - idle * m.wall) / max(1, m.delivery.acked) * MS for m in (first, last)]
    window = f"actions {start:,}-{start + late:,}"
    base = f"actions 0-{early:,} of the same game"
    problems = "; ".join(p for p in (delivery_notes(first.delivery), delivery_notes(last.delivery)) if p)
    return [
        Row("history.cpu", f"server CPU per action, {window} (one in flight)", cost[1], "ms", base, cost[0], problems),
        Row(
            "history.latency",
            f"public → other seats p50, {window}",
            last.delivery.latency_ms(0.5),
            "ms",
            base,
            first.delivery.latency_ms(0.5),
        ),
        Row(
            "history.state",
            f"stored state (HSTRLEN na:{{GAME}}:state state) after {start + late:,} actions",
            late_state[0] / KB,
            "KB",
            f"after {early:,} actions",
            early_state[0] / KB,
        ),
        Row(
            "history.state.memory",
            f"state key's MEMORY USAGE after {start + late:,} actions",
            late_state[1] / KB,
            "KB",
            f"after {early:,} actions",
            early_state[1] / KB,
        ),
    ]


async def idle_memory_figures(bench: Bench) -> list[Row]:
    """Server memory (RSS) per idle, greeted connection; the floor server's the same way."""
    wanted = bench.plan.idle_connections
    games_needed = math.ceil(wanted / (len(bench.seats) + 1))
    note(f"idle memory: {games_needed * (len(bench.seats) + 1)} idle connections, server then floor server")
    async with bench.workers() as workers:
        games = await bench.server_games(workers, games_needed, "idle")
        ours = await _rss_per_connection(bench, Load(bench.clients, games, spread=False), workers.rss_bytes)
    # A fresh floor server too (one that served earlier figures reuses freed memory for new
    # sockets). Neither server offers compression.
    child, base = await asyncio.to_thread(bench.processes.floor_server, bench.redis_url)
    try:
        games = floor_games_at(base, games_needed, bench.tag("fidle"), bench.seats, "/game")
        floor = await _rss_per_connection(bench, Load(bench.clients, games, spread=False), child.rss_bytes)
    finally:
        bench.processes.stop(child)
    label = "server memory (RSS) per idle connection"
    return [Row("memory.idle", label, ours / KB, "KB", "floor server, same connections", floor / KB)]


async def _rss_per_connection(bench: Bench, load: Load, rss: Callable[[], int]) -> float:
    """Resident memory added per connection opened (and greeted), after they settle."""
    before = rss()
    try:
        failed = await load.connect()
        await asyncio.sleep(SETTLE)
        after = rss()
        opened = sum(len(g.tickets) for g in load.games) - failed
    finally:
        await load.disconnect()
    return float(after - before) / max(1, opened)


async def redis_memory_figures(bench: Bench) -> list[Row]:
    """One integrated-missions game played to its end by the server's own bots (autopilots):
    the Redis memory of its keys, against the size of its export."""
    note("Redis memory: one integrated-missions game played to its end by autopilots")
    probe = RedisProbe(bench.redis_url)
    try:
        async with bench.workers() as workers:
            (game,) = await create_games(workers.bases, 1, bench.tag("redis"), spectators=0)
            assert game.facilitator is not None
            facilitator = BenchConnection(game.facilitator)
            await facilitator.open()
            try:
                from bots import parse_lineup  # the lineup `normarena simulate` plays by default
                from scenarios import load_scenario

                for seat, strategy in parse_lineup("auto", load_scenario(SCENARIO)).items():
                    await _control(facilitator, {"command": "bot", "seat": seat, "strategy": strategy, "replace": True})
                await _control(facilitator, {"command": "start"})
            finally:
                await facilitator.close()
            export, seconds = await _wait_until_ended(workers.bases[0], game.game, game.facilitator.token)
            by_key = probe.game_memory(game.game)
    finally:
        probe.close()
    total = sum(by_key.values())
    largest = sorted(by_key.items(), key=lambda item: -item[1])[:3]
    detail = ", ".join(f"{k.split(':', 2)[-1]} {v / KB:.0f} KB" for k, v in largest)
    actions, events = export.get("actions", []), export.get("events", [])
    assert isinstance(actions, list) and isinstance(events, list)
    played = f"{len(actions)} actions, {len(events)} events in {seconds:.0f} s"
    return [
        Row(
            "memory.redis",
            "Redis memory per finished integrated-missions game",
            total / KB,
            "KB",
            "the game's export (JSON bytes)",
            len(json.dumps(export).encode()) / KB,
            f"{played}; {len(by_key)} keys, largest: {detail}",
        ),
    ]


async def _control(connection: BenchConnection, command: dict[str, str | bool]) -> None:
    answer, _ = await connection.request({"type": "control", "id": f"c{time.monotonic_ns()}", **command})
    if answer.get("type") != "ack":
        raise RuntimeError(f"control {command} was refused: {answer}")


async def _wait_until_ended(base: str, game: str, token: str) -> tuple[dict[str, object], float]:
    """Poll the game's export until it has an outcome; the export and how long the game took."""
    began = time.monotonic()
    async with httpx.AsyncClient(timeout=60) as http:
        while time.monotonic() - began < GAME_TIMEOUT:
            response = await http.get(f"{base}/api/games/{game}/export", headers={"Authorization": f"Bearer {token}"})
            export: dict[str, object] = response.json()
            if export.get("outcome"):
                return export, time.monotonic() - began
            await asyncio.sleep(2.0)
    raise RuntimeError(f"the autopilots' game did not end in {GAME_TIMEOUT:.0f} s")
