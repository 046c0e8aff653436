"""Secrecy (RULES.md §11): what the spectator and the facilitator see, and how the end of
the game reveals everything to everyone.
"""

from __future__ import annotations

import pytest

import simulation.play
from bots import parse_lineup
from game_rules import FACILITATOR, SPECTATOR, Scenario, legal_actions, to_plain, view, visible_events
from game_rules.actions import EndGame, EndOrders, SendMessage, SubmitOrder
from scenarios import load_scenario
from tests.conftest import close, ok, started
from tests.game_rules.secrecy import SCENARIOS, assert_full_view, dump, three_seats


@pytest.fixture(params=SCENARIOS)
def scenario(request: pytest.FixtureRequest) -> Scenario:
    return load_scenario(request.param)


@pytest.mark.parametrize("name", SCENARIOS)
def test_after_a_runner_game_ends_every_view_reveals_everything(name: str) -> None:
    scenario = load_scenario(name)
    played = simulation.play.play_game(scenario, 5, parse_lineup("auto", scenario))
    assert played.state.phase == "ended"
    for who in (*scenario.seat_ids, SPECTATOR, FACILITATOR):
        seen = view(scenario, played.state, who)
        assert seen["state"] == to_plain(played.state)
        assert {s: o["goals"] for s, o in seen["objectives"].items()} == {
            s.id: [to_plain(g) for g in s.goals] for s in scenario.seats
        }
        assert set(seen["scores"]) == set(scenario.seat_ids)
    for seat in scenario.seat_ids:
        assert visible_events(played.events, seat) == [e for e in played.events if not e.audience or seat in e.audience]
    assert visible_events(played.events, SPECTATOR) == [e for e in played.events if e.is_public]
    assert visible_events(played.events, FACILITATOR) == played.events


def test_the_facilitator_sees_every_seats_objectives_and_resources(scenario: Scenario) -> None:
    state = started(scenario)
    seen = view(scenario, state, FACILITATOR)
    assert seen["viewer"] == FACILITATOR
    for spec in scenario.seats:
        assert seen["objectives"][spec.id]["weights"] == dict(spec.preferences.weights)
        assert seen["state"]["seats"][spec.id]["funds"] == state.seats[spec.id].funds
    assert "value" in seen["ripeness"]


def test_ending_the_game_reveals_all_secrets_to_everyone(scenario: Scenario) -> None:
    a, b, _ = three_seats(scenario)
    state = ok(scenario, started(scenario), a, SendMessage(to=b, text="a private deal"))
    state = close(scenario, state)
    if legal := [i for i in legal_actions(scenario, state, a) if isinstance(i.action, SubmitOrder)]:
        state = ok(scenario, state, a, legal[0].action)
    state = ok(scenario, state, a, EndOrders()) if state.phase == "act" else state
    state = ok(scenario, state, FACILITATOR, EndGame())
    assert state.phase == "ended"
    for who in (*scenario.seat_ids, SPECTATOR):
        assert_full_view(scenario, state, who)
        assert "a private deal" in dump(view(scenario, state, who))
