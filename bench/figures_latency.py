"""The floor, and the figures about time: a public message to every other seat, the ack, the
CPU an action costs at a steady 10 actions a second, and a public action in a 150-person game."""

from __future__ import annotations

from dataclasses import dataclass

from bench.context import Bench, drive_for, idle_cpu_rate, measured_run, note
from bench.floor import Spread, measure_parts
from bench.games import BenchGame
from bench.report import Row
from bench.session import Delivery, Load, everyone

MS = 1000.0
ISSUE_FLOOR = "floor (the issue's): echo + write + hop, hot loop"
PACED_FLOOR = "floor: echo + write + hop, each paced"
SERVER_FLOOR = "floor server end to end, same drive"


@dataclass(frozen=True)
class Floor:
    """The floor of one run: its parts hot (back to back) and paced, and the bare fan-outs."""

    hot: dict[str, Spread]
    paced: dict[str, Spread]
    fan_out: dict[int, Spread]  # sockets -> seconds from the trigger to the last of them

    def public(self, paced: bool = True) -> float:
        """The issue's floor for a public action reaching the other seats: echo + write + hop."""
        parts = self.paced if paced else self.hot
        return sum(parts[name].p50 for name in ("echo", "atomic_write", "pubsub_hop"))


def delivery_notes(delivery: Delivery) -> str:
    """What went wrong in a load, if anything, in a sentence."""
    problems = []
    if delivery.errors:
        problems.append("errors " + ", ".join(f"{code} x{n}" for code, n in sorted(delivery.errors.items())))
    if delivery.retries:
        problems.append(f"{delivery.retries} actions sent again after rate_limited or busy")
    for name in ("missing", "duplicates", "out_of_order", "dropped", "failed_connections"):
        if getattr(delivery, name):
            problems.append(f"{getattr(delivery, name)} {name.replace('_', ' ')}")
    if delivery.close_codes:
        codes = ", ".join(f"{code} x{n}" for code, n in sorted(delivery.close_codes.items()))
        problems.append(f"close codes of the dropped: {codes} (1013: send queue full; 1006: no close frame)")
    if delivery.retried_connections:
        problems.append(
            f"{delivery.retried_connections} connections dropped by the server while opening (opened on a later try)"
        )
    return "; ".join(problems)


def crowd_size(bench: Bench) -> int:
    """Teams of `crowd_teams` in every seat, and as many spectators."""
    return (len(bench.seats) + 1) * bench.plan.crowd_teams


def one_process_actors(load: Load, game: BenchGame) -> tuple[str, ...]:
    """The first team's seats held by the process that holds the first of them: a lane of
    actions back to back cannot be split over processes (the game's other connections stay
    spread, so every fan-out still crosses both)."""
    first = load.place[game.first_team[0].key]
    return tuple(t.key for t in game.first_team if load.place[t.key] == first)


async def bare_fan_out(bench: Bench, players_per_seat: int, spectators: int, rate: float) -> Spread:
    """One frame from the floor server's `/fanout` to every socket of a room (the sender's
    included), with the same clients and processes as the game figures; `rate` 0 is back to back."""
    games = bench.floor_games(1, "fan", "/fanout", players_per_seat, spectators)
    async with bench.load(games, spread=True) as load:
        actors = () if rate else one_process_actors(load, games[0])
        drive = drive_for(
            games[0], bench.tag("fan"), actors=actors, rate=rate, count=bench.plan.fanout_actions, own_copy=True
        )
        delivery = await load.run([drive], everyone, public=True)
    return Spread(delivery.latency_ms(0.50) / MS, delivery.latency_ms(0.99) / MS)


async def measure_floor(bench: Bench) -> tuple[Floor, list[Row]]:
    """Every part of the floor, in this run."""
    plan = bench.plan
    note("floor: websocket echo, atomic write, pub/sub hop (hot loop, then paced)")
    hot = await measure_parts(bench.floor_base, bench.redis_url, 3 * plan.floor_samples, 0.0)
    paced = await measure_parts(bench.floor_base, bench.redis_url, plan.floor_samples, plan.rate)
    note("floor: fan-out of one frame to 14 and to 150 sockets")
    fourteen = await bare_fan_out(bench, 1, 0, plan.rate)
    crowd = await bare_fan_out(bench, plan.crowd_teams, plan.crowd_teams, plan.crowd_rate)
    floor = Floor(hot, paced, {len(bench.seats): fourteen, crowd_size(bench): crowd})
    rows = []
    for name, label in (
        ("echo", "websocket echo"),
        ("atomic_write", "atomic Redis write"),
        ("pubsub_hop", "pub/sub hop"),
    ):
        rows.append(
            Row(f"floor.{name}.paced", f"floor: {label} p50, paced {plan.rate:g}/s", paced[name].p50 * MS, "ms")
        )
        rows.append(Row(f"floor.{name}.hot", f"floor: {label} p50, hot loop", hot[name].p50 * MS, "ms"))
    rows.append(Row("floor.public.paced", "floor: echo + write + hop, paced", floor.public() * MS, "ms"))
    rows.append(Row("floor.public.hot", "floor: echo + write + hop, hot loop", floor.public(False) * MS, "ms"))
    for sockets, spread in floor.fan_out.items():
        rows.append(
            Row(f"floor.fanout{sockets}.p50", f"floor: fan-out to {sockets} sockets p50", spread.p50 * MS, "ms")
        )
        rows.append(
            Row(f"floor.fanout{sockets}.p99", f"floor: fan-out to {sockets} sockets p99", spread.p99 * MS, "ms")
        )
    return floor, rows


async def paced_figures(bench: Bench, floor: Floor) -> list[Row]:
    """One game at a steady rate, public then private messages, on the server and on the floor
    server: latency to the other seats, the ack, and CPU per action (idle CPU taken off)."""
    plan = bench.plan
    rows: list[Row] = []
    for private in (False, True):
        kind = "private" if private else "public"
        note(f"paced: {kind} messages at {plan.rate:g}/s for {plan.paced_seconds:g} s, server then floor server")
        async with bench.workers() as workers:
            games = await bench.server_games(workers, 1, "paced")
            async with bench.load(games, spread=True) as load:
                idle = await idle_cpu_rate(workers.cpu_seconds)
                drive = drive_for(
                    games[0],
                    bench.tag(kind),
                    private=private,
                    rate=plan.rate,
                    duration=plan.paced_seconds,
                    own_copy=True,
                )
                ours = await measured_run(
                    bench, load, [drive], workers.cpu_seconds, not private, False, workers.run_queue_seconds
                )
        games = bench.floor_games(1, "fpaced")
        async with bench.load(games, spread=True) as load:
            floor_idle = await idle_cpu_rate(bench.floor.cpu_seconds)
            drive = drive_for(
                games[0], bench.tag(kind), private=private, rate=plan.rate, duration=plan.paced_seconds, own_copy=True
            )
            theirs = await measured_run(bench, load, [drive], bench.floor.cpu_seconds, public=not private)
        cpu = (ours.server_cpu - idle * ours.wall) / max(1, ours.delivery.acked) * MS
        floor_cpu = (theirs.server_cpu - floor_idle * theirs.wall) / max(1, theirs.delivery.acked) * MS
        label = f"server CPU per action at {plan.rate:g}/s, {kind}"
        idle_note = (
            f"idle CPU taken off: {idle * MS:.1f} ms/s (floor server {floor_idle * MS:.1f} ms/s); the server "
            f"waited for a core {ours.busy(ours.server_waited):.0%} of the time"
        )
        rows.append(Row(f"cpu.{kind}", label, cpu, "ms", "floor server, same drive", floor_cpu, idle_note))
        problems = delivery_notes(ours.delivery)
        if problems:
            rows.append(Row(f"paced.{kind}.problems", f"paced {kind}: delivery problems", 1, "", note=problems))
        if private:
            continue
        mine, bare = ours.delivery, theirs.delivery
        seats = len(bench.seats) - 1
        for share, name in ((0.50, "p50"), (0.99, "p99")):
            label = f"public message → all {seats} other seats, {name}"
            value = mine.latency_ms(share)
            rows += [
                Row(f"latency.{name}", label, value, "ms", ISSUE_FLOOR, floor.public(paced=False) * MS),
                Row(f"latency.{name}.paced", label, value, "ms", PACED_FLOOR, floor.public() * MS),
                Row(f"latency.{name}.floorserver", label, value, "ms", SERVER_FLOOR, bare.latency_ms(share)),
            ]
        echo = "floor: ws echo p50"
        rows += [
            Row("ack.p50", "ack p50", mine.ack_ms(0.5), "ms", f"{echo}, hot loop", floor.hot["echo"].p50 * MS),
            Row("ack.p50.paced", "ack p50", mine.ack_ms(0.5), "ms", f"{echo}, paced", floor.paced["echo"].p50 * MS),
            Row("ack.p50.floorserver", "ack p50", mine.ack_ms(0.5), "ms", SERVER_FLOOR, bare.ack_ms(0.5)),
        ]
    return rows


async def hot_figures(bench: Bench, floor: Floor) -> list[Row]:
    """One game, public messages back to back (each seat in turn sends when its previous
    message came back to it): the latency measured the way the issue's floor is, in a hot loop,
    against that floor, the bare fan-out to every seat's socket and the floor server on the same drive."""
    plan = bench.plan
    note(f"hot: one game, {plan.hot_actions} public messages back to back, server then floor server")
    async with bench.workers() as workers:
        games = await bench.server_games(workers, 1, "hot")
        async with bench.load(games, spread=True) as load:
            actors = one_process_actors(load, games[0])
            drive = drive_for(games[0], bench.tag("hot"), actors=actors, count=plan.hot_actions, own_copy=True)
            ours = await measured_run(bench, load, [drive], workers.cpu_seconds, True, False, workers.run_queue_seconds)
    games = bench.floor_games(1, "fhot")
    async with bench.load(games, spread=True) as load:
        actors = one_process_actors(load, games[0])
        drive = drive_for(games[0], bench.tag("fhot"), actors=actors, count=plan.hot_actions, own_copy=True)
        theirs = await measured_run(bench, load, [drive], bench.floor.cpu_seconds, public=True)
    one_each = await bare_fan_out(bench, 1, 0, 0.0)
    mine, bare = ours.delivery, theirs.delivery
    seats = len(bench.seats) - 1
    rows: list[Row] = []
    for share, name in ((0.50, "p50"), (0.99, "p99")):
        label = f"public message → all {seats} other seats, back to back, {name}"
        value = mine.latency_ms(share)
        fan = one_each.p50 if name == "p50" else one_each.p99
        fan_label = f"floor: fan-out to {seats + 1} sockets {name}, hot"
        rows += [
            Row(f"hot.{name}", label, value, "ms", ISSUE_FLOOR, floor.public(paced=False) * MS, delivery_notes(mine)),
            Row(f"hot.{name}.fanout", label, value, "ms", fan_label, fan * MS),
            Row(f"hot.{name}.floorserver", label, value, "ms", f"{SERVER_FLOOR}, hot", bare.latency_ms(share)),
        ]
    return rows


async def crowd_figures(bench: Bench, floor: Floor) -> list[Row]:
    """One game of 150 people (teams in every seat, as many spectators): a public action to all."""
    plan = bench.plan
    people = crowd_size(bench)
    note(f"crowd: one game of {people} people, public messages at {plan.crowd_rate:g}/s")
    async with bench.workers() as workers:
        games = await bench.server_games(workers, 1, "crowd", plan.crowd_teams, plan.crowd_teams)
        async with bench.load(games, spread=True) as load:
            drive = drive_for(
                games[0], bench.tag("crowd"), rate=plan.crowd_rate, count=plan.crowd_actions, own_copy=True
            )
            ours = await measured_run(bench, load, [drive], workers.cpu_seconds, crowd=True)
    bare = floor.fan_out[people]
    problems = delivery_notes(ours.delivery)
    return [
        Row(
            "crowd.p50",
            f"one game of {people}: public action → all {people}, p50",
            ours.delivery.latency_ms(0.5),
            "ms",
            f"floor: fan-out to {people} sockets p50",
            bare.p50 * MS,
            problems,
        ),
        Row(
            "crowd.p99",
            f"one game of {people}: public action → all {people}, p99",
            ours.delivery.latency_ms(0.99),
            "ms",
            f"floor: fan-out to {people} sockets p99",
            bare.p99 * MS,
        ),
    ]
