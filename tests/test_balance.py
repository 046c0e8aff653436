"""Balance of the article's case with the reference bots: a real contest, no dominant seat."""

from __future__ import annotations

import pytest

from tests.test_fidelity import GAMES, adoption, played

pytestmark = pytest.mark.slow


def test_integrated_missions_adopts_in_a_quarter_to_three_quarters_of_games() -> None:
    rate = adoption(played())
    assert 0.25 <= rate <= 0.75, rate


def test_no_seat_ranks_first_in_more_than_two_fifths_of_games() -> None:
    rows = played()
    seats = list(rows[0].scores)
    firsts = dict.fromkeys(seats, 0)
    for row in rows:
        best = max(seats, key=lambda s: (row.scores[s], -seats.index(s)))
        firsts[best] += 1
    worst = max(firsts, key=lambda s: firsts[s])
    assert firsts[worst] / GAMES <= 0.40, (worst, firsts)
