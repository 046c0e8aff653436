"""Secrecy (RULES.md §11) in whole games: what a seat, a spectator and the facilitator may see.

Seeded games (random legal play, and the character bots) are played step by step; every
message gets a unique text, so that a leak shows up as that text in a view it does not
belong in. At many points every view is searched for other seats' secrets, and checked
structurally: where resources, objectives, orders, offers and pledges may appear at all.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from bots import make_bot, parse_lineup
from game_rules import FACILITATOR, PUBLIC, Applied, GameState, Scenario, apply, legal_actions, new_game, view
from game_rules.actions import Action, ClosePhase, SendMessage, StartGame
from game_rules.views import (
    only_messages,
    public_after_messages,
    public_touched,
    public_view,
    seat_part,
    seat_part_after_messages,
    seats_touched,
)
from scenarios import load_scenario
from tests.game_rules.secrecy import (
    SCENARIOS,
    Moment,
    assert_events_reach_only_their_audience,
    assert_every_view_keeps_its_secrets,
    secret_text,
)


def random_chooser(seed: int) -> Any:
    rnd = random.Random(seed)

    def choose(scenario: Scenario, state: GameState, seat: str, legal: list[Any]) -> Action:
        kinds: dict[str, list[Action]] = {}
        for item in legal:
            key = getattr(item.action, "order", item.action).type
            kinds.setdefault(key, []).append(item.action)
        # Messages and offers twice as likely: they are what secrecy is mostly about.
        names = sorted(kinds) + [k for k in ("send_message", "make_offer") if k in kinds]
        return rnd.choice(kinds[rnd.choice(names)])

    return choose


def bot_chooser(scenario: Scenario, lineup: str, seed: int) -> Any:
    bots = {s: make_bot(b, seed, s) for s, b in parse_lineup(lineup, scenario).items()}

    def choose(scenario: Scenario, state: GameState, seat: str, legal: list[Any]) -> Action:
        return bots[seat].act(view(scenario, state, seat), legal)

    return choose


def play(scenario: Scenario, seed: int, choose: Any, per_seat: int = 4) -> Iterator[Moment]:
    """A game seat by seat in rotation, as the local runner plays it, every message text
    replaced by a unique one. The facilitator closes a phase when nobody moves or when it
    has had `per_seat` moves per seat (as a deadline would)."""
    state = new_game(scenario, seed)
    seats = list(scenario.seat_ids)
    actor: str
    action: Action
    turn = moves = 0
    while state.phase != "ended":
        if state.phase == "lobby":
            actor, action = FACILITATOR, StartGame()
        else:
            actor, action = FACILITATOR, ClosePhase()
            for _ in seats if moves < per_seat * len(seats) else ():
                seat = seats[turn % len(seats)]
                turn += 1
                legal = legal_actions(scenario, state, seat)
                if legal:
                    actor, action = seat, choose(scenario, state, seat, legal)
                    break
        if isinstance(action, SendMessage):
            action = SendMessage(action.to, secret_text(state.message_total + 1, actor, action.to))
        result = apply(scenario, state, actor, action)
        moves += 1
        if isinstance(result, Applied):
            yield Moment(actor, action, state, result.state, result.events)
            if (state.round, state.phase) != (result.state.round, result.state.phase):
                moves = 0
            state = result.state


# --- random and character games ----------------------------------------------------------


def check_game(scenario: Scenario, moments: Iterator[Moment], every: int) -> GameState:
    """Check the events of every step and the views every few steps and at phase ends."""
    state = new_game(scenario, 0)
    for number, moment in enumerate(moments):
        assert_events_reach_only_their_audience(scenario, moment)
        phase_ends = (moment.before.round, moment.before.phase) != (
            moment.after.round,
            moment.after.phase,
        )
        if phase_ends:
            # The last moment of a phase is when most is hidden (every order is in).
            assert_every_view_keeps_its_secrets(scenario, moment.before)
        if phase_ends or number % every == 0:
            assert_every_view_keeps_its_secrets(scenario, moment.after)
        state = moment.after
    return state


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("seed", [1, 2])
def test_random_games_show_each_viewer_only_what_it_may_see(name: str, seed: int) -> None:
    scenario = load_scenario(name)
    moments = list(play(scenario, seed, random_chooser(seed)))
    final = check_game(scenario, iter(moments), every=10)
    assert final.phase == "ended"
    assert final.messages and any(m.to != PUBLIC for m in final.messages)
    assert any(e.kind == "offer_made" for m in moments for e in m.events), "the game should have seen some offers"


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("seed", [3, 4])
def test_character_games_show_each_viewer_only_what_it_may_see(name: str, seed: int) -> None:
    scenario = load_scenario(name)
    moments = play(scenario, seed, bot_chooser(scenario, "auto", seed))
    final = check_game(scenario, moments, every=10)
    assert final.phase == "ended"


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_change_leaves_the_parts_of_seats_it_did_not_touch_as_they_were(name: str) -> None:
    """`seats_touched` lets a server rebuild only some seats' parts of their views: every other
    seat's part must be exactly what it was, at every step of random and character games."""
    scenario = load_scenario(name)
    checked = 0
    for moments in (play(scenario, 5, random_chooser(5)), play(scenario, 6, bot_chooser(scenario, "auto", 6))):
        for moment in moments:
            touched = seats_touched(moment.before, moment.after, moment.events)
            if touched is None or moment.after.phase == "ended":
                continue
            before, after = public_view(scenario, moment.before), public_view(scenario, moment.after)
            for seat in set(scenario.seat_ids) - touched:
                was = seat_part(scenario, moment.before, seat, before)
                assert seat_part(scenario, moment.after, seat, after) == was, (seat, moment.action)
                checked += 1
    assert checked > 1000, "too few untouched seats were checked to mean anything"


@pytest.mark.parametrize("name", SCENARIOS)
def test_after_only_messages_a_seats_part_differs_only_in_its_private_messages(name: str) -> None:
    """`seat_part_after_messages` lets a server remake only the private messages of the seats a
    message touched: the part it makes must equal the part built afresh, at every message of
    random and character games."""
    scenario = load_scenario(name)
    checked = 0
    for moments in (play(scenario, 5, random_chooser(5)), play(scenario, 6, bot_chooser(scenario, "auto", 6))):
        for moment in moments:
            if not only_messages(moment.events) or moment.after.phase == "ended":
                continue
            before, after = public_view(scenario, moment.before), public_view(scenario, moment.after)
            for seat in scenario.seat_ids:
                was = seat_part(scenario, moment.before, seat, before)
                made = seat_part_after_messages(moment.after, seat, was)
                assert made == seat_part(scenario, moment.after, seat, after), (seat, moment.action)
                checked += 1
    assert checked > 100, "too few messages were sent to mean anything"


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_change_that_leaves_the_public_table_untouched_leaves_it_equal(name: str) -> None:
    """`public_touched` lets a server keep the public table of private messages: wherever it
    says untouched, the table must equal the one before, at every step of random and character
    games."""
    scenario = load_scenario(name)
    kept = 0
    for moments in (play(scenario, 5, random_chooser(5)), play(scenario, 6, bot_chooser(scenario, "auto", 6))):
        for moment in moments:
            if not public_touched(moment.before, moment.after, moment.events):
                assert public_view(scenario, moment.after) == public_view(scenario, moment.before), moment.action
                kept += 1
    assert kept > 20, "too few private messages were sent to mean anything"


@pytest.mark.parametrize("name", SCENARIOS)
def test_after_only_messages_the_public_table_differs_only_in_its_messages(name: str) -> None:
    """`public_after_messages` lets a server remake only the public messages of the table after
    a message: the table it makes must equal the table built afresh, at every message of random
    and character games."""
    scenario = load_scenario(name)
    checked = 0
    for moments in (play(scenario, 5, random_chooser(5)), play(scenario, 6, bot_chooser(scenario, "auto", 6))):
        for moment in moments:
            if not only_messages(moment.events) or seats_touched(moment.before, moment.after, moment.events) is None:
                continue
            made = public_after_messages(moment.after, public_view(scenario, moment.before))
            assert made == public_view(scenario, moment.after), moment.action
            checked += 1
    assert checked > 50, "too few messages were sent to mean anything"
