"""The character bots negotiate (issue 8), across the first 50 games of the article's case:
every order and every negotiation action is used, offers come in many kinds, pledges are
mostly kept, some votes fail, private messages are answered and grants acted on.
Slow: the games are the balance tests' reference run (tests/balance_runs.py)."""

from __future__ import annotations

from typing import Any

import pytest

from game_rules.actions import ORDER_TYPES, SEAT_ACTION_TYPES
from game_rules.orders import SPOIL_MODES
from simulation.tally import merge
from tests.balance_runs import reference

pytestmark = pytest.mark.slow

GAMES = 50
NEGOTIATION = (
    "send_message",
    "make_offer",
    "accept_offer",
    "decline_offer",
    "withdraw_offer",
    "found_alliance",
    "invite_to_alliance",
    "join_alliance",
    "leave_alliance",
    "end_negotiation",
)


def tally() -> dict[str, Any]:
    rows = reference(GAMES)
    assert len(rows) == GAMES
    return merge(r.tally for r in rows)


def test_every_order_type_and_every_way_of_spoiling_is_used() -> None:
    used = tally()
    assert {t.type for t in ORDER_TYPES} <= set(used["orders"]), used["orders"]
    assert set(SPOIL_MODES) <= set(used["spoil_modes"]), used["spoil_modes"]


def test_every_negotiation_action_is_used() -> None:
    assert set(NEGOTIATION) <= {t.type for t in SEAT_ACTION_TYPES}
    assert set(NEGOTIATION) <= set(tally()["actions"])


def test_at_least_five_kinds_of_offer_each_make_up_a_twentieth_of_offers() -> None:
    used = tally()
    common = {kind: n for kind, n in used["offers_by_kind"].items() if n >= 0.05 * used["offers"]}
    assert len(common) >= 5, used["offers_by_kind"]


def test_some_pledges_are_broken_and_fewer_than_a_fifth() -> None:
    used = tally()
    assert 0 < used["pledges_broken"] < 0.2 * used["pledges"], (used["pledges_broken"], used["pledges"])


def test_some_votes_fail() -> None:
    causes = tally()["votes_by_cause"]
    assert sum(n for cause, n in causes.items() if cause != "adopted") > 0, causes


def test_private_messages_are_answered_in_the_same_round() -> None:
    used = tally()
    assert used["private_threads"] > 10 * GAMES
    assert used["private_answered"] >= 0.6 * used["private_threads"], (
        used["private_answered"],
        used["private_threads"],
    )


def test_offers_are_answered_and_grants_are_spent_on_what_they_were_for() -> None:
    used = tally()
    assert used["offers_accepted"] + used["offers_declined"] >= 0.6 * used["offers"]
    assert used["grants"] > 0 and used["grants_used"] >= 0.5 * used["grants"], (used["grants_used"], used["grants"])
