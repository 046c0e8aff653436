"""Secrecy (RULES.md §11) of events: `visible_events` gives each viewer only the events
addressed to it.
"""

from __future__ import annotations

import pytest

from game_rules import FACILITATOR, SPECTATOR, Event, Scenario, visible_events
from scenarios import load_scenario
from tests.game_rules.secrecy import SCENARIOS, three_seats


@pytest.fixture(params=SCENARIOS)
def scenario(request: pytest.FixtureRequest) -> Scenario:
    return load_scenario(request.param)


def test_visible_events_sort_private_from_public(scenario: Scenario) -> None:
    a, b, c = three_seats(scenario)
    public = Event(kind="message", round=1, text="hello all")
    private = Event(kind="offer_made", round=1, text="offer", audience=(a, b))
    only_c = Event(kind="order_submitted", round=1, text="order", audience=(c,))
    events = [public, private, only_c]
    assert visible_events(events, a) == [public, private]
    assert visible_events(events, c) == [public, only_c]
    assert visible_events(events, SPECTATOR) == [public]
    assert visible_events(events, FACILITATOR) == events
    assert visible_events(tuple(events), b) == [public, private]
