"""Fidelity: over hundreds of seeded bot games, removing a mechanic moves outcomes the way the
article says it should (RULES.md §12). Slow: each condition plays 300 games."""

from __future__ import annotations

import statistics
from functools import cache

import pytest

from bots import parse_lineup
from scenarios import load_scenario
from simulation.summary import GameRow, default_workers, run_games

GAMES = 300
SEED = 2026
SCENARIO = "integrated-missions"

pytestmark = pytest.mark.slow


@cache
def played(ablation: str = "", lineup_spec: str = "auto", rotate_random: bool = False) -> tuple[GameRow, ...]:
    """300 seeded games of the article's case; with `rotate_random`, game i seats the random bot
    in seat i mod n and characters everywhere else."""
    scenario = load_scenario(SCENARIO)
    base = parse_lineup(lineup_spec, scenario)
    seats = list(scenario.seat_ids)

    def lineup_for(index: int) -> dict[str, str]:
        if not rotate_random:
            return base
        return {**base, seats[index % len(seats)]: "random"}

    ablations = (ablation,) if ablation else ()
    return tuple(run_games(scenario, GAMES, SEED, lineup_for, ablations, workers=default_workers()))


def adoption(rows: tuple[GameRow, ...]) -> float:
    return sum(r.adopted for r in rows) / len(rows)


def test_without_regional_consultations_more_votes_are_lost_to_politicisation() -> None:
    with_them = statistics.fmean(r.lost_to_politicisation for r in played() if r.votes)
    without = statistics.fmean(r.lost_to_politicisation for r in played("consultations") if r.votes)
    assert without > with_them * 1.2, (with_them, without)


def test_alliances_of_one_kind_adopt_less_often_than_cross_kind_ones() -> None:
    cross_kind = adoption(played())
    one_kind = adoption(played("cross_kind_alliances"))
    assert one_kind < cross_kind - 0.05, (cross_kind, one_kind)


def test_nothing_is_adopted_below_the_ripeness_threshold() -> None:
    threshold = load_scenario(SCENARIO).ripeness_threshold
    adopted = [
        r for condition in (played(), played("low_ripeness"), played("consultations")) for r in condition if r.adopted
    ]
    assert adopted, "no game adopted the norm: the check would be empty"
    for row in adopted:
        assert row.adopting_ripeness is not None and row.adopting_ripeness >= threshold, row


def test_a_window_that_never_opens_adopts_far_less() -> None:
    assert adoption(played("low_ripeness")) < adoption(played()) / 2


def test_the_character_bots_outscore_the_random_bot_in_every_seat() -> None:
    scenario = load_scenario(SCENARIO)
    characters = played()
    mixed = played(rotate_random=True)
    for seat in scenario.seat_ids:
        as_character = statistics.fmean(r.scores[seat] for r in characters)
        as_random = [r.scores[seat] for r in mixed if r.lineup[seat] == "random"]
        assert len(as_random) >= GAMES // len(scenario.seats)
        assert as_character > statistics.fmean(as_random), (seat, as_character, statistics.fmean(as_random))
