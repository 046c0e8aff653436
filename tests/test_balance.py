"""A game worth playing (issue 8), over BALANCE_GAMES seeded games of every shipped scenario:
every seat can come first, play decides more than the ripeness draw, the character bots beat
the random bot, calling the vote every round does not pay, and side issues move with play.
Slow: the runs are shared with the other slow tests (tests/balance_runs.py)."""

from __future__ import annotations

import pytest

from scenarios import list_scenarios
from simulation.balance import BALANCE_GAMES
from tests.balance_runs import measured

pytestmark = pytest.mark.slow

FIRST_PLACE = (0.02, 0.25)  # every seat comes first in at least 2% of games and at most 25%
ADOPTION_PER_QUARTILE = (0.10, 0.90)
CHARACTER_MARGIN = 1.0  # points a seat's character must score above the random bot in that seat
SIDE_ISSUES_MOVED = 1 / 3

# Goals the shipped scenarios still miss, measured by `python3 -m simulation.balance_report`
# (docs/game-design.md has the figures). Strict: the day one is met, the test says so.
MISSED_FAIRNESS: dict[str, str] = {}
MISSED_MARGIN: dict[str, str] = {}


def scenarios_missing(missed: dict[str, str]) -> list[object]:
    """The shipped scenarios, those that still miss the goal marked as expected failures."""
    return [
        pytest.param(name, marks=pytest.mark.xfail(reason=missed[name], strict=True)) if name in missed else name
        for name in list_scenarios()
    ]


@pytest.mark.parametrize("name", scenarios_missing(MISSED_FAIRNESS))
def test_every_seat_comes_first_sometimes_and_none_too_often(name: str) -> None:
    shares = measured(name).first_place
    assert len(measured(name).reference) >= BALANCE_GAMES
    low, high = FIRST_PLACE
    outside = {seat: share for seat, share in shares.items() if not low <= share <= high}
    assert not outside, outside


@pytest.mark.parametrize("name", list_scenarios())
def test_adoption_in_every_quartile_of_the_ripeness_draw_is_neither_sure_nor_hopeless(name: str) -> None:
    low, high = ADOPTION_PER_QUARTILE
    quartiles = measured(name).adoption_by_quartile
    assert all(low <= q <= high for q in quartiles), quartiles


@pytest.mark.parametrize("name", scenarios_missing(MISSED_MARGIN))
def test_each_seats_character_outscores_the_random_bot_in_it(name: str) -> None:
    margins = measured(name).character_margin
    short = {seat: round(m, 2) for seat, m in margins.items() if m <= CHARACTER_MARGIN}
    assert not short, short


@pytest.mark.parametrize("name", list_scenarios())
def test_calling_the_vote_every_round_scores_less_than_the_entrepreneur_in_that_seat(name: str) -> None:
    balance = measured(name)
    assert balance.hasty_margin > 0, (balance.sponsor, balance.hasty_margin)


@pytest.mark.parametrize("name", list_scenarios())
def test_side_issues_end_otherwise_than_they_began_in_a_third_of_games(name: str) -> None:
    assert measured(name).side_issues_moved >= SIDE_ISSUES_MOVED
