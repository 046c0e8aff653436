"""Running the peer (bench/peer_diplomacy.py, in its own virtualenv) from server_load.py, and the
rows that compare our figures of the same run with it."""

from __future__ import annotations

import asyncio
import json
import math
from asyncio.subprocess import PIPE
from pathlib import Path
from typing import Any

from bench.context import Plan
from bench.processes import ROOT
from bench.report import Row

PEER_SCRIPT = ROOT / "bench" / "peer_diplomacy.py"
PEER = "diplomacy 1.1.2"
PEER_TIMEOUT = 1800.0


async def run_peer(python: str, plan: Plan) -> dict[str, Any]:
    """The peer's figures, or {"error": why} if it cannot run here. Stopped with SIGTERM (its
    script then stops its own server) if this benchmark is interrupted."""
    if not Path(python).exists():
        return {"error": f"no peer virtualenv: {python} does not exist (see bench/README.md)"}
    shape = ["--games", str(plan.saturation_games[0]), "--seconds", str(plan.load_seconds)]
    shape += ["--paced-seconds", str(plan.paced_seconds)]
    process = await asyncio.create_subprocess_exec(
        python, str(PEER_SCRIPT), "--json", *shape, cwd=ROOT, stdout=PIPE, stderr=PIPE
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), PEER_TIMEOUT)
    except TimeoutError:
        return {"error": f"the peer did not finish in {PEER_TIMEOUT:.0f} s"}
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()
    lines = [line for line in out.decode().splitlines() if line.startswith("{")]
    if process.returncode != 0 or not lines:
        return {"error": f"the peer failed (exit {process.returncode}): {err.decode()[-600:]}"}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def _ours(rows: list[Row], key: str) -> float:
    return next((r.value for r in rows if r.key == key), math.nan)


def peer_rows(peer: dict[str, Any], ours: list[Row]) -> list[Row]:
    """The peer's own figures, and ours of this run against them."""
    if "error" in peer:
        return [Row("peer.failed", f"peer {PEER}: not measured", math.nan, "", note=str(peer["error"]))]
    paced, flight, many = peer["paced"], peer["one_game_28_in_flight"], peer["games_many_one_in_flight"]
    games = peer["games_many"]
    busy = (
        f"peer server busy {flight['server_busy']:.0%} of a core, its {peer['client_processes']} client processes "
        f"{flight['clients_busy']:.0%}; latency p50 {flight['latency_p50_ms']:.0f} ms"
    )
    rows = [
        Row(
            "peer.cpu",
            f"{PEER}: server CPU per message at 10/s",
            paced["server_cpu_per_message_ms"],
            "ms",
            note=f"public messages to the 6 other powers; latency p50 {paced['latency_p50_ms']:.1f} ms",
        ),
        Row(
            "peer.inflight28",
            f"{PEER}: one game, 28 messages in flight, fully delivered/s",
            flight["delivered_per_s"],
            "/s",
            note=busy,
        ),
        Row(
            f"peer.games{games}",
            f"{PEER}: {games} games, one in flight each, fully delivered/s",
            many["delivered_per_s"],
            "/s",
            note=f"peer server busy {many['server_busy']:.0%} of a core",
        ),
    ]
    against = [
        (
            "cpu.public",
            "server CPU per action at 10/s, public",
            "ms",
            f"{PEER}: CPU per message at 10/s",
            paced["server_cpu_per_message_ms"],
        ),
        (
            "cpu.private",
            "server CPU per action at 10/s, private",
            "ms",
            f"{PEER}: CPU per message at 10/s",
            paced["server_cpu_per_message_ms"],
        ),
        (
            "inflight28.rate",
            "one game, 28 actions in flight: actions/s fully delivered",
            "/s",
            f"{PEER}: one game, 28 in flight",
            flight["delivered_per_s"],
        ),
        (
            f"saturation.{games}.public",
            f"saturation, {games} games, one in flight each: public actions/s",
            "/s",
            f"{PEER}: {games} games, one in flight each",
            many["delivered_per_s"],
        ),
    ]
    for key, label, unit, what, value in against:
        mine = _ours(ours, key)
        if not math.isnan(mine):
            rows.append(Row(f"{key}.peer", label, mine, unit, what, value))
    return rows
