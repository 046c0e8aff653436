"""The seeded runs the balance, fidelity and negotiation tests share, each played once per test
session (in the simulator's worker processes) however many tests read it."""

from __future__ import annotations

from functools import cache

from bots import parse_lineup
from scenarios import load_scenario
from simulation.balance import BALANCE_SEED, Balance
from simulation.summary import GameRow, default_workers, run_games

FIDELITY_SCENARIO = "integrated-missions"
FIDELITY_GAMES = 200  # per ablation; the reference run they are compared with has BALANCE_GAMES


@cache
def measured(name: str) -> Balance:
    """A scenario's balance runs (each condition is played when first read)."""
    return Balance(name)


@cache
def ablated(mechanic: str) -> tuple[GameRow, ...]:
    """The article's case with one mechanic switched off, on the reference run's first seeds."""
    scenario = load_scenario(FIDELITY_SCENARIO)
    lineup = parse_lineup("auto", scenario)
    rows = run_games(scenario, FIDELITY_GAMES, BALANCE_SEED, lambda _: lineup, (mechanic,), default_workers())
    return tuple(rows)


def reference(games: int | None = None) -> tuple[GameRow, ...]:
    """The article's case as the reference lineup plays it (the first `games`, or all)."""
    rows = measured(FIDELITY_SCENARIO).reference
    return tuple(rows[:games] if games else rows)
