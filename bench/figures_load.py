"""The figures about load: saturation over many games, one game with 28 actions in flight, two
games with every seat acting, and 500 games at once on one worker. Each drive runs on the game
server and then, identically, on the floor server."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from bench.clients import Drive
from bench.context import Bench, Measured, drive_for, measured_run, note
from bench.figures_latency import delivery_notes
from bench.games import BenchGame
from bench.observe import RedisProbe, commit_tries, error_codes
from bench.report import Row

DriveMaker = Callable[[Bench, list[BenchGame]], list[Drive]]


@dataclass(frozen=True)
class ServerLoad:
    """A load on the game server, with what the server said about it."""

    measured: Measured
    tries: float | None
    tries_source: str
    errors: dict[str, int]
    logged_errors: int
    workers_alive: bool

    def tries_per_ack(self) -> float:
        acked = self.measured.delivery.acked
        return self.tries / acked if self.tries is not None and acked else float("nan")

    def notes(self, clients: int) -> str:
        """Where the time went and what went wrong, for the row's note."""
        m = self.measured
        cores = os.cpu_count()
        parts = [
            f"server busy {m.busy(m.server_cpu):.0%} of a core and waiting for one {m.busy(m.server_waited):.0%} "
            f"of the time, {clients} client processes busy {m.busy(m.client_cpu):.0%} (all share the {cores} cores)"
        ]
        if self.errors:
            parts.append("server errors " + ", ".join(f"{c} x{n}" for c, n in sorted(self.errors.items())))
        if self.logged_errors:
            parts.append(f"{self.logged_errors} tracebacks or errors in the server's log")
        if not self.workers_alive:
            parts.append("a worker process died")
        problems = delivery_notes(m.delivery)
        return "; ".join(parts + ([problems] if problems else []))


async def on_server(
    bench: Bench,
    count: int,
    name: str,
    drives: DriveMaker,
    players: int = 1,
    spread: bool = False,
    workers: int = 0,
    public: bool = True,
) -> ServerLoad:
    """`count` started games on fresh workers, driven as `drives` says."""
    probe = RedisProbe(bench.redis_url)
    try:
        async with bench.workers(workers) as running:
            games = await bench.server_games(running, count, name, players)
            async with bench.load(games, spread) as load:
                metrics, watches = running.metrics(), probe.command_calls("watch")
                measured = await measured_run(
                    bench, load, drives(bench, games), running.cpu_seconds, public, False, running.run_queue_seconds
                )
                after, watched = running.metrics(), probe.command_calls("watch") - watches
            tries, source = commit_tries(metrics, after, watched)
            return ServerLoad(
                measured, tries, source, error_codes(metrics, after), running.errors_logged(), running.alive()
            )
    finally:
        probe.close()


async def on_floor(
    bench: Bench,
    count: int,
    name: str,
    drives: DriveMaker,
    players: int = 1,
    spread: bool = False,
    public: bool = True,
) -> Measured:
    """The same games and drives on the floor server."""
    games = bench.floor_games(count, name, players_per_seat=players)
    async with bench.load(games, spread) as load:
        return await measured_run(bench, load, drives(bench, games), bench.floor.cpu_seconds, public)


def one_in_flight(private: bool) -> DriveMaker:
    """Every game with one action in flight, its seats in turn, for the plan's load time."""

    def make(bench: Bench, games: list[BenchGame]) -> list[Drive]:
        seconds = bench.plan.load_seconds
        return [drive_for(g, bench.tag("one"), private=private, duration=seconds) for g in games]

    return make


def every_player(bench: Bench, games: list[BenchGame]) -> list[Drive]:
    """Every player of every game with one action in flight."""
    out = []
    for game in games:
        actors = tuple(t.key for t in game.players)
        out.append(
            drive_for(game, bench.tag("all"), actors=actors, in_flight=len(actors), duration=bench.plan.load_seconds)
        )
    return out


async def saturation_figures(bench: Bench) -> list[Row]:
    """Saturation across many games, one action in flight each; public and private for the first."""
    rows = []
    for n, count in enumerate(bench.plan.saturation_games):
        for private in (False, True) if n == 0 else (False,):
            kind = "private" if private else "public"
            note(f"saturation: {count} games, one {kind} action in flight each, server then floor server")
            ours = await on_server(bench, count, "sat", one_in_flight(private), public=not private)
            floor = await on_floor(bench, count, "fsat", one_in_flight(private), public=not private)
            # Public: actions whose event reached every connection of the game; private: acks.
            value = ours.measured.delivery.ack_rate if private else ours.measured.delivery.delivered_rate
            base = floor.delivery.ack_rate if private else floor.delivery.delivered_rate
            what = "acknowledged" if private else "fully delivered"
            rows.append(
                Row(
                    f"saturation.{count}.{kind}",
                    f"saturation, {count} games, one in flight each: {kind} actions/s {what}",
                    value,
                    "/s",
                    "floor server, same drive",
                    base,
                    ours.notes(bench.clients.count),
                )
            )
            if not private:
                mine = ours.measured.delivery
                label = f"saturation, {count} games"
                rows.append(
                    Row(f"saturation.{count}.dropped", f"{label}: clients dropped", mine.dropped, "", worst=True)
                )
                rows.append(
                    Row(f"saturation.{count}.missing", f"{label}: events missing", mine.missing, "", worst=True)
                )
    return rows


async def in_flight_figures(bench: Bench) -> list[Row]:
    """One game with two players a seat, each with an action in flight: 28 at once."""
    note("one game, 28 actions in flight (two players a seat), server then floor server")
    ours = await on_server(bench, 1, "f28", every_player, players=2, spread=True)
    floor = await on_floor(bench, 1, "ff28", every_player, players=2, spread=True)
    label = "one game, 28 actions in flight"
    return [
        Row(
            "inflight28.rate",
            f"{label}: actions/s fully delivered",
            ours.measured.delivery.delivered_rate,
            "/s",
            "floor server, same drive",
            floor.delivery.delivered_rate,
            ours.notes(bench.clients.count),
        ),
        Row("inflight28.tries", f"{label}: commit tries per ack", ours.tries_per_ack(), "", note=ours.tries_source),
    ]


async def every_seat_figures(bench: Bench) -> list[Row]:
    """Two games with every seat acting at once (14 in flight each)."""
    note("two games, every seat acting, server then floor server")
    ours = await on_server(bench, 2, "seats", every_player, spread=True)
    floor = await on_floor(bench, 2, "fseats", every_player, spread=True)
    label = "two games, every seat acting"
    mine = ours.measured.delivery
    return [
        Row(
            "everyseat.rate",
            f"{label}: actions/s fully delivered",
            mine.delivered_rate,
            "/s",
            "floor server, same drive",
            floor.delivery.delivered_rate,
            ours.notes(bench.clients.count),
        ),
        Row("everyseat.tries", f"{label}: commit tries per ack", ours.tries_per_ack(), "", note=ours.tries_source),
        Row(
            "everyseat.ack",
            f"{label}: ack p50",
            mine.ack_ms(0.5),
            "ms",
            "floor server, same drive",
            floor.delivery.ack_ms(0.5),
        ),
    ]


async def many_games_figures(bench: Bench) -> list[Row]:
    """Hundreds of games acting at once on one worker: is any client or event lost?"""
    count = bench.plan.many_games
    note(f"{count} games acting at once on one worker (setup takes a while)")
    ours = await on_server(bench, count, "many", one_in_flight(False), workers=1)
    mine = ours.measured.delivery
    label = f"{count} games acting at once, one worker"
    notes = ours.notes(bench.clients.count)
    return [
        Row("many.dropped", f"{label}: clients dropped", mine.dropped, "", note=notes, worst=True),
        Row("many.missing", f"{label}: public events missing", mine.missing, "", worst=True),
        Row("many.failed", f"{label}: connections refused or failed", mine.failed_connections, "", worst=True),
        Row("many.rate", f"{label}: actions/s fully delivered", mine.delivered_rate, "/s"),
        Row("many.acked", f"{label}: actions/s acknowledged", mine.ack_rate, "/s"),
    ]


async def delivery_check_figures(bench: Bench) -> list[Row]:
    """A few games for a few seconds, checked event by event (the smoke test's run): two games
    with one action in flight each and one with every seat acting at once."""
    note("delivery check: three games for a few seconds, every event checked at every connection")
    async with bench.workers() as running:
        games = await bench.server_games(running, 3, "check")
        async with bench.load(games, spread=False) as load:
            seconds = bench.plan.load_seconds
            drives = [drive_for(g, bench.tag("check"), duration=seconds) for g in games[:2]]
            mine = await load.run(drives + every_player(bench, games[2:]))
    label = "delivery check (3 games, one with every seat acting)"
    return [
        Row("check.acked", f"{label}: actions acknowledged", mine.acked, "", note=delivery_notes(mine)),
        Row("check.missing", f"{label}: public events missing", mine.missing, "", worst=True),
        Row("check.duplicates", f"{label}: events received twice", mine.duplicates, "", worst=True),
        Row("check.out_of_order", f"{label}: events out of order", mine.out_of_order, "", worst=True),
        Row("check.dropped", f"{label}: clients dropped", mine.dropped, "", worst=True),
        Row("check.failed", f"{label}: connections that never opened", mine.failed_connections, "", worst=True),
    ]
