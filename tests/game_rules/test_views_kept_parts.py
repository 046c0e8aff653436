"""Views are made from kept parts (`codec.kept_for`, `views._window_messages`): they must equal
the views built afresh, from a copy of the state and the scenario that keeps nothing, at every
step of whole games; and a change must leave the parts it did not touch as the very same
objects, which is what lets a server's patches pass over them."""

from __future__ import annotations

import dataclasses

import pytest

from game_rules import FACILITATOR, PUBLIC, GameState, Scenario, apply
from game_rules.actions import SendMessage
from game_rules.codec import from_plain, to_plain
from game_rules.negotiation import MESSAGE_WINDOW
from game_rules.views import public_view, view
from scenarios import load_scenario
from tests.conftest import started
from tests.game_rules.secrecy import SCENARIOS
from tests.game_rules.test_views_in_played_games import play, random_chooser


def afresh(scenario: Scenario, state: GameState, viewer: str = "") -> dict[str, object]:
    """The public table (or a viewer's view) built from copies that hold nothing kept from
    earlier builds."""
    cold, copy = dataclasses.replace(scenario), from_plain(GameState, to_plain(state))
    return view(cold, copy, viewer) if viewer else public_view(cold, copy)


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_public_table_made_from_kept_parts_equals_the_table_built_afresh(name: str) -> None:
    scenario = load_scenario(name)
    window_moved = False
    for moment in play(scenario, 5, random_chooser(5), per_seat=8):
        assert public_view(scenario, moment.after) == afresh(scenario, moment.after), moment.action
        # The facilitator sees the blocs' numbers exactly: a kept part that missed a change shows.
        exact = view(scenario, moment.after, FACILITATOR)
        assert exact == afresh(scenario, moment.after, FACILITATOR), moment.action
        for seat in {moment.actor, *(e for event in moment.events for e in event.audience)} & set(scenario.seat_ids):
            assert view(scenario, moment.after, seat) == afresh(scenario, moment.after, seat), (seat, moment.action)
        messages = moment.after.messages
        window_moved |= len(messages) == MESSAGE_WINDOW and messages[0].number > 1
    assert window_moved, "the game should have sent enough messages to move the message window"


def test_a_message_window_that_moves_on_keeps_its_public_and_private_messages_in_order() -> None:
    scenario = load_scenario("classroom-quick")
    state = started(scenario)
    seats = scenario.seat_ids
    for number in range(3 * MESSAGE_WINDOW):
        to = PUBLIC if number % 3 else seats[(number + 1) % len(seats)]  # every third one private
        result = apply(scenario, state, seats[number % len(seats)], SendMessage(to, f"note {number}"))
        state = result.state  # type: ignore[union-attr]
        shown = public_view(scenario, state)["messages"]
        assert shown == afresh(scenario, state)["messages"]
        assert [m["number"] for m in shown] == [m.number for m in state.messages if m.to == PUBLIC]
        reader = seats[(number + 1) % len(seats)]
        private = view(scenario, state, reader)["private_messages"]
        assert private == afresh(scenario, state, reader)["private_messages"]
        assert [m["number"] for m in private] == [m.number for m in state.messages if reader in m.audience]
    assert state.messages[0].number > 2 * MESSAGE_WINDOW


def test_a_public_message_leaves_every_other_part_of_the_table_the_same_object() -> None:
    scenario = load_scenario("integrated-missions")
    state = started(scenario)
    before = public_view(scenario, state)
    result = apply(scenario, state, scenario.seat_ids[0], SendMessage(PUBLIC, "consult the regions first"))
    after = public_view(scenario, result.state)  # type: ignore[union-attr]
    assert after["messages"] != before["messages"]
    for part in ("blocs", "constituencies", "venues", "seats", "side_issues"):
        assert after[part] is before[part], part
    assert after["draft"]["provisions"] is before["draft"]["provisions"]


def test_a_bloc_disposition_follows_the_text_even_when_the_blocs_own_numbers_stay() -> None:
    scenario = load_scenario("integrated-missions")
    state = started(scenario)
    shown = view(scenario, state, FACILITATOR)["blocs"]
    moved = state.clone()
    provision = scenario.provisions[0]
    moved.levels[provision.id] = provision.top - state.levels[provision.id] if provision.top else 0
    assert moved.levels != state.levels
    assert view(scenario, moved, FACILITATOR)["blocs"] == afresh(scenario, moved, FACILITATOR)["blocs"] != shown
