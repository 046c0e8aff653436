"""Fidelity: over hundreds of seeded bot games of the article's case, removing a mechanic moves
outcomes the way the article says it should (RULES.md §12), and horse-trading does what
docs/game-design.md decides it does. Slow: the runs are shared (tests/balance_runs.py)."""

from __future__ import annotations

import statistics

import pytest

from scenarios import load_scenario
from simulation.balance import adoption
from tests.balance_runs import FIDELITY_GAMES, FIDELITY_SCENARIO, ablated, reference

pytestmark = pytest.mark.slow


def test_without_regional_consultations_more_votes_are_lost_to_politicisation() -> None:
    with_them = statistics.fmean(r.lost_to_politicisation for r in reference(FIDELITY_GAMES) if r.votes)
    without = statistics.fmean(r.lost_to_politicisation for r in ablated("consultations") if r.votes)
    assert without > with_them * 1.2, (with_them, without)


def test_alliances_of_one_kind_adopt_less_often_than_cross_kind_ones() -> None:
    cross_kind = adoption(list(reference(FIDELITY_GAMES)))
    one_kind = adoption(list(ablated("cross_kind_alliances")))
    assert one_kind < cross_kind - 0.05, (cross_kind, one_kind)


def test_nothing_is_adopted_below_the_ripeness_threshold() -> None:
    threshold = load_scenario(FIDELITY_SCENARIO).ripeness_threshold
    adopted = [
        r
        for condition in (reference(), ablated("low_ripeness"), ablated("consultations"))
        for r in condition
        if r.adopted
    ]
    assert adopted, "no game adopted the norm: the check would be empty"
    for row in adopted:
        assert row.adopting_ripeness is not None and row.adopting_ripeness >= threshold, row


def test_a_window_that_never_opens_adopts_far_less() -> None:
    assert adoption(list(ablated("low_ripeness"))) < adoption(list(reference(FIDELITY_GAMES))) / 2


def test_without_horse_trading_the_norm_is_adopted_more_often() -> None:
    """States that trade spend their capital and their votes on side issues, not on the draft:
    the article's "substantive issues ... secondary to other political objectives" (see
    docs/game-design.md, Horse-trading)."""
    with_trading = adoption(list(reference(FIDELITY_GAMES)))
    without = adoption(list(ablated("horse_trading")))
    assert without > with_trading + 0.05, (with_trading, without)
    assert all(r.tally.get("offers", 0) == 0 for r in ablated("horse_trading"))
