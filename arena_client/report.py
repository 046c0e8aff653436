"""A tournament's summary: mean scores per strategy and per seat with 95% confidence
intervals, the adoption rate and legitimacy, votes by cause, vetoes, pledges and offers."""

from __future__ import annotations

import math
import statistics
from typing import Any

from arena_client.runner import TournamentGame
from simulation.tally import format_tally, merge

Z95 = 1.96


def interval(values: list[float]) -> dict[str, float | int | None]:
    """Mean and the half-width of its 95% confidence interval (normal approximation)."""
    if not values:
        return {"mean": None, "ci95": None, "n": 0}
    mean = statistics.fmean(values)
    half = Z95 * statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else 0.0
    return {"mean": round(mean, 4), "ci95": round(half, 4), "n": len(values)}


def summarise_tournament(scenario: str, seed: int, results: list[TournamentGame]) -> dict[str, Any]:
    """The numbers `normarena tournament` prints, as one JSON-ready map."""
    seats = list(results[0].scores) if results else []
    strategies = sorted({name for r in results for name in r.lineup.values()})
    return {
        "scenario": scenario,
        "seed": seed,
        "games": len(results),
        "adoption_rate": round(sum(r.outcome == "adopted" for r in results) / len(results), 4) if results else None,
        "outcomes": {o: sum(r.outcome == o for r in results) for o in sorted({r.outcome for r in results})},
        "legitimacy": interval([r.legitimacy for r in results]),
        "by_strategy": {
            name: interval([r.scores[s] for r in results for s in seats if r.lineup[s] == name]) for name in strategies
        },
        "by_seat": {seat: interval([r.scores[seat] for r in results]) for seat in seats},
        "lineup": results[0].lineup if results else {},
        **{k: v for k, v in merge(r.tally for r in results).items() if k not in ("actions", "orders", "spoil_modes")},
    }


def format_tournament(summary: dict[str, Any]) -> str:
    """The summary as text for a terminal."""

    def cell(stat: dict[str, Any]) -> str:
        return "n/a" if stat["mean"] is None else f"{stat['mean']:6.2f} ± {stat['ci95']:5.2f}  (n={stat['n']})"

    lines = [
        f"Tournament on {summary['scenario']}: {summary['games']} games, seed {summary['seed']}",
        f"  adoption rate  {summary['adoption_rate']:.1%}"
        + "   ("
        + ", ".join(f"{k or 'none'} {v}" for k, v in summary["outcomes"].items())
        + ")",
        f"  legitimacy     {cell(summary['legitimacy'])}",
        *format_tally(summary, summary["games"] or 1),
        "  mean score per strategy (95% confidence interval):",
        *(f"    {name:<14} {cell(stat)}" for name, stat in summary["by_strategy"].items()),
        "  mean score per seat:",
        *(f"    {seat:<14} {cell(stat)}  [{summary['lineup'][seat]}]" for seat, stat in summary["by_seat"].items()),
    ]
    return "\n".join(lines)
