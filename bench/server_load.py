"""The game server under load, against this machine's floor and the `diplomacy` peer, in one run.

    python3 -m bench.server_load [--quick] [--runs N] [--workers 1|2] [--clients P]
                                 [--only NAME,...] [--skip NAME,...] [--json] [--peer-python PATH]

Starts a real Redis, the floor server (bench/floor_server.py) and, for each figure, fresh
`normarena serve` workers; drives integrated-missions games over real websockets from client
processes; prints every figure with a baseline measured in the same run and their ratio
(medians over runs). See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file (python3 bench/server_load.py): find the worktree's packages
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.clients import ClientProcesses
from bench.context import Bench, Plan, note
from bench.figures_latency import Floor, crowd_figures, hot_figures, measure_floor, paced_figures
from bench.figures_load import (
    delivery_check_figures,
    every_seat_figures,
    in_flight_figures,
    many_games_figures,
    saturation_figures,
)
from bench.figures_state import history_figures, idle_memory_figures, redis_memory_figures
from bench.games import SCENARIO
from bench.observe import RedisProbe
from bench.peer import peer_rows, run_peer
from bench.processes import ROOT, Processes
from bench.report import Row, as_json, merge, table
from bench.wsclient import PROTOCOL

Figure = Callable[[Bench, Floor | None], Awaitable[list[Row]]]

FIGURES: dict[str, Figure] = {
    "check": lambda bench, floor: delivery_check_figures(bench),
    "paced": lambda bench, floor: paced_figures(bench, need(floor)),
    "hot": lambda bench, floor: hot_figures(bench, need(floor)),
    "crowd": lambda bench, floor: crowd_figures(bench, need(floor)),
    "saturation": lambda bench, floor: saturation_figures(bench),
    "inflight": lambda bench, floor: in_flight_figures(bench),
    "every-seat": lambda bench, floor: every_seat_figures(bench),
    "history": lambda bench, floor: history_figures(bench),
    "idle-memory": lambda bench, floor: idle_memory_figures(bench),
    "redis-memory": lambda bench, floor: redis_memory_figures(bench),
    "many-games": lambda bench, floor: many_games_figures(bench),
}
NAMES = [*FIGURES, "peer"]
NEEDS_FLOOR = {"paced", "hot", "crowd"}  # the others compare with the floor server under the same drive


def need(floor: Floor | None) -> Floor:
    assert floor is not None, "the floor is measured before any figure that needs it"
    return floor


DEFAULT_PEER_PYTHON = "/work/peer-venv/bin/python"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line, with the chosen figures resolved into `args.figures`."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a small run: few games, a few seconds each, one run")
    parser.add_argument("--runs", type=int, default=0, help="runs to take medians over (default 3; 1 with --quick)")
    parser.add_argument("--workers", type=int, default=1, choices=(1, 2), help="normarena serve processes")
    parser.add_argument("--clients", type=int, default=2, help="client processes driving the load (default 2)")
    parser.add_argument("--only", default="", help=f"figures to run, comma-separated, of: {', '.join(NAMES)}")
    parser.add_argument("--skip", default="", help="figures not to run, comma-separated")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument(
        "--peer-python", default=DEFAULT_PEER_PYTHON, help="python of the virtualenv where diplomacy 1.1.2 is installed"
    )
    args = parser.parse_args(argv)
    chosen = [n.strip() for n in args.only.split(",") if n.strip()] or list(NAMES)
    skipped = {n.strip() for n in args.skip.split(",") if n.strip()}
    unknown = (set(chosen) | skipped) - set(NAMES)
    if unknown:
        parser.error(f"unknown figure(s) {', '.join(sorted(unknown))}; choose from {', '.join(NAMES)}")
    args.figures = [n for n in NAMES if n in chosen and n not in skipped]
    args.runs = args.runs or (1 if args.quick else 3)
    return args


async def one_run(bench: Bench, figures: list[str], peer_python: str, number: int) -> list[Row]:
    """The floor, then every chosen figure, then the peer: one run's rows."""
    floor: Floor | None = None
    rows: list[Row] = []
    if NEEDS_FLOOR & set(figures):
        note(f"run {number}: floor")
        floor, rows = await measure_floor(bench)
    for name in figures:
        if name == "peer":
            continue
        try:
            rows += await FIGURES[name](bench, floor)
        except Exception as error:  # one broken figure should not cost the others
            note(f"{name} failed: {error!r}")
            rows.append(Row(f"{name}.failed", f"{name}: failed", math.nan, "", note=repr(error)[:400]))
    if "peer" in figures:
        note(f"run {number}: the peer, diplomacy 1.1.2")
        peer = await run_peer(peer_python, bench.plan)
        rows += peer_rows(peer, rows)
    return rows


async def run_all(
    args: argparse.Namespace, processes: Processes, clients: ClientProcesses
) -> tuple[list[list[Row]], str]:
    """Every run's rows, and the Redis server's version."""
    plan = Plan.quick() if args.quick else Plan()
    _, redis_url = processes.redis()
    probe = RedisProbe(redis_url)
    version = probe.version()
    probe.close()
    from scenarios import load_scenario  # the seats of the scenario every game plays

    seats = tuple(load_scenario(SCENARIO).seat_ids)
    bench = Bench(plan, processes, clients, redis_url, args.workers, seats)
    return [await one_run(bench, args.figures, args.peer_python, n + 1) for n in range(args.runs)], version


def setup(args: argparse.Namespace, redis_version: str) -> dict[str, Any]:
    """What the figures were measured on, for the reader of the table or the JSON."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "commit": commit.stdout.strip(),
        "protocol": PROTOCOL,
        "cores": os.cpu_count(),
        "workers": args.workers,
        "client_processes": args.clients,
        "runs": args.runs,
        "quick": args.quick,
        "redis": redis_version,
        "python": platform.python_version(),
        "scenario": SCENARIO,
        "figures": args.figures,
        "shared_cores": "client processes, the server, Redis and the floor server all share this machine's cores",
    }


def _clean(value: Any) -> Any:
    """JSON has no NaN: it becomes null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table (or the JSON); every process started is stopped."""
    args = parse_args(argv)
    with Processes() as processes:
        clients = ClientProcesses(args.clients)
        finished = False
        try:
            runs, redis_version = asyncio.run(run_all(args, processes, clients))
            finished = True
        finally:
            clients.close(graceful=finished)  # interrupted: end them at once
    merged = merge(runs)
    info = setup(args, redis_version)
    if args.json:
        print(json.dumps(_clean(as_json(merged, info)), indent=1, ensure_ascii=False))
        return 0
    print(
        f"normarena serve at {info['commit']}, {info['protocol']}, {args.workers} worker(s), Redis {redis_version}, "
        f"{args.clients} client processes on {info['cores']} cores shared with the server; "
        f"medians of {args.runs} run(s); ratio = measured / baseline\n"
    )
    print(table(merged))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("server_load: interrupted; every process it started has been stopped", file=sys.stderr)
        sys.exit(130)
