"""The seeded runs the balance, fidelity and negotiation tests share, each played once per test
session (in the simulator's worker processes) however many tests read it."""

from __future__ import annotations

from functools import cache

from simulation.balance import FIDELITY_GAMES, FIDELITY_SCENARIO, Balance, ablated_rows
from simulation.summary import GameRow

__all__ = ["FIDELITY_GAMES", "FIDELITY_SCENARIO", "ablated", "measured", "reference"]


@cache
def measured(name: str) -> Balance:
    """A scenario's balance runs (each condition is played when first read)."""
    return Balance(name)


@cache
def ablated(mechanic: str) -> tuple[GameRow, ...]:
    """The article's case with one mechanic switched off (FIDELITY_GAMES games)."""
    return tuple(ablated_rows(mechanic))


def reference(games: int | None = None) -> tuple[GameRow, ...]:
    """The article's case as the reference lineup plays it (the first `games`, or all)."""
    rows = measured(FIDELITY_SCENARIO).reference
    return tuple(rows[:games] if games else rows)
