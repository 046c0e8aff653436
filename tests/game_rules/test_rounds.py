"""The round's flow: phases, closing by itself, scripted events, upkeep, the end, versions, purity."""

from __future__ import annotations

import copy
import dataclasses

from game_rules import FACILITATOR, Applied, GameState, Rejected, Scenario, apply, new_game
from game_rules.actions import (
    AcceptOffer,
    Action,
    CallVote,
    CastVote,
    ClosePhase,
    EndGame,
    EndNegotiation,
    EndOrders,
    InjectEvent,
    Lobby,
    MakeOffer,
    SendMessage,
    StartGame,
    SubmitOrder,
    TableDraft,
    Terms,
)
from tests.conftest import close, ok, refused, started


def phases(scenario: Scenario, state: GameState, steps: int) -> list[tuple[int, str]]:
    """(round, phase) after each of `steps` closes by the facilitator."""
    seen: list[tuple[int, str]] = []
    for _ in range(steps):
        state = close(scenario, state)
        seen.append((state.round, state.phase))
    return seen


def everyone(scenario: Scenario, state: GameState, action: Action) -> GameState:
    """Every seat that is not done yet takes the same action."""
    for seat in scenario.seat_ids:
        if not state.seats[seat].done:
            state = ok(scenario, state, seat, action)
    return state


def to_round(scenario: Scenario, state: GameState, number: int) -> GameState:
    while state.round < number and state.phase != "ended":
        state = close(scenario, state)
    return state


# --- phases -----------------------------------------------------------------------------


def test_a_new_game_waits_in_the_lobby_until_the_facilitator_starts_it(calm: Scenario) -> None:
    lobby = new_game(calm, 7)
    assert (lobby.round, lobby.phase) == (0, "lobby")
    assert refused(calm, lobby, "norway", EndNegotiation()).code == "game_not_started"
    assert refused(calm, lobby, FACILITATOR, ClosePhase()).code == "game_not_started"
    state = ok(calm, lobby, FACILITATOR, StartGame())
    assert (state.round, state.phase) == (1, "negotiate")
    assert refused(calm, state, FACILITATOR, StartGame()).code == "wrong_phase"


def test_without_a_called_vote_a_round_is_negotiate_then_act(calm: Scenario) -> None:
    assert phases(calm, started(calm), 4) == [(1, "act"), (2, "negotiate"), (2, "act"), (3, "negotiate")]


def test_a_called_vote_adds_a_vote_phase_before_the_next_round(calm: Scenario) -> None:
    state = close(calm, started(calm))
    state = ok(calm, state, "norway", SubmitOrder(order=TableDraft()))
    state = ok(calm, state, "norway", SubmitOrder(order=CallVote()))
    assert phases(calm, state, 2) == [(1, "vote"), (2, "negotiate")]


def test_the_negotiation_phase_closes_by_itself_when_every_seat_is_done(calm: Scenario) -> None:
    state = started(calm)
    for seat in calm.seat_ids[:-1]:
        state = ok(calm, state, seat, EndNegotiation())
    assert state.phase == "negotiate"  # one seat still negotiating
    state = ok(calm, state, calm.seat_ids[-1], EndNegotiation())
    assert (state.round, state.phase) == (1, "act")
    assert not any(live.done for live in state.seats.values())


def test_the_act_phase_closes_by_itself_and_resolves_the_orders(calm: Scenario) -> None:
    state = close(calm, started(calm))
    state = ok(calm, state, "norway", SubmitOrder(order=Lobby(target="weog")))
    state = everyone(calm, state, EndOrders())
    assert (state.round, state.phase) == (2, "negotiate")
    assert state.blocs["weog"].goodwill > 0


def test_the_vote_closes_by_itself_once_every_voting_seat_has_voted(calm: Scenario) -> None:
    state = close(calm, started(calm))
    state = ok(calm, state, "norway", SubmitOrder(order=TableDraft()))
    state = close(calm, ok(calm, state, "norway", SubmitOrder(order=CallVote())))
    assert state.phase == "vote"
    assert all(state.seats[s].done for s in ("dpko", "msf", "nupi"))  # nothing to do in a vote
    state = ok(calm, state, "norway", CastVote(draft="yes"))
    state = ok(calm, state, "china", CastVote(draft="no"))
    assert state.phase == "vote" and state.votes == []
    state = ok(calm, state, "south_africa", CastVote(draft="yes"))
    assert len(state.votes) == 1
    assert (state.round, state.phase) == (2, "negotiate")


# --- events and upkeep ------------------------------------------------------------------


def test_scripted_events_fire_in_their_round(calm: Scenario) -> None:
    (oslo,) = [c for c in calm.scripted_events if c.id == "oslo_conference"]
    state = to_round(calm, started(calm), oslo.round - 1)
    assert state.blocs["weog"].ownership == calm.bloc("weog").ownership
    assert not any(b.startswith(oslo.title) for b in state.bulletins)
    state = to_round(calm, state, oslo.round)
    assert state.blocs["weog"].ownership == calm.bloc("weog").ownership + oslo.effects.ownership["weog"]
    assert any(b.startswith(oslo.title) for b in state.bulletins)


def test_the_first_rounds_scripted_event_fires_when_the_game_starts(calm: Scenario) -> None:
    (report,) = [c for c in calm.scripted_events if c.round == 1]
    assert new_game(calm, 7).ripeness_boost == 0
    assert started(calm).ripeness_boost == report.effects.ripeness > 0


def test_the_facilitator_can_inject_an_event_card(quick: Scenario) -> None:
    before = started(quick)
    state = ok(quick, before, FACILITATOR, InjectEvent(card="budget_row"))
    assert all(state.blocs[b].politicisation == before.blocs[b].politicisation + 6 for b in state.blocs)
    assert refused(quick, state, FACILITATOR, InjectEvent(card="no_such_card")).code == "unknown_card"


def test_capital_regenerates_each_round_up_to_the_cap(calm: Scenario) -> None:
    spec = calm.seat("norway")
    state = started(calm)
    seen = [state.seats["norway"].capital]
    for number in (2, 3, 4):
        state = to_round(calm, state, number)
        seen.append(state.seats["norway"].capital)
    cap = calm.rules.capital_cap
    expected = [spec.resources.capital]
    for _ in range(3):
        expected.append(min(cap, expected[-1] + spec.capital_regen))
    assert seen == expected
    assert seen[-1] == cap  # 6, 9, 12, then held at the cap


def test_spent_capital_regenerates_from_what_is_left(calm: Scenario) -> None:
    state = close(calm, started(calm))
    state = ok(calm, state, "norway", SubmitOrder(order=TableDraft()))
    state = close(calm, state)
    spec = calm.seat("norway")
    assert state.seats["norway"].capital == spec.resources.capital - calm.rules.table_cost_capital + spec.capital_regen


# --- the end ----------------------------------------------------------------------------


def test_the_game_ends_at_the_round_limit(calm: Scenario) -> None:
    state = to_round(calm, started(calm), calm.rounds)
    assert state.phase == "negotiate"
    state = close(calm, close(calm, state))
    assert (state.round, state.phase, state.outcome) == (calm.rounds, "ended", "round_limit")
    assert refused(calm, state, "norway", EndNegotiation()).code == "game_over"
    assert refused(calm, state, FACILITATOR, ClosePhase()).code == "game_over"


def test_the_game_ends_when_the_window_closes_after_the_schedule(calm: Scenario) -> None:
    longer = dataclasses.replace(calm, rounds=calm.rounds + 2)
    state = started(longer, ablations=("low_ripeness",))
    state = to_round(longer, state, longer.rounds)
    peak = longer.ripeness_schedule.index(max(longer.ripeness_schedule)) + 1
    assert state.outcome == "window_closed"
    assert peak <= state.round < longer.rounds


def test_the_game_ends_when_the_draft_is_adopted(calm: Scenario) -> None:
    state = close(calm, started(calm)).clone()
    state.ripeness_boost = 30.0
    for bloc in state.blocs.values():
        bloc.goodwill = 60.0
    state = ok(calm, state, "norway", SubmitOrder(order=TableDraft()))
    state = close(calm, ok(calm, state, "norway", SubmitOrder(order=CallVote())))
    for seat in ("norway", "china", "south_africa"):
        state = ok(calm, state, seat, CastVote(draft="yes"))
    assert (state.round, state.phase, state.outcome) == (1, "ended", "adopted")


def test_the_facilitator_can_end_the_game_and_open_offers_expire(calm: Scenario) -> None:
    state = ok(calm, started(calm), "norway", MakeOffer(to="nupi", gives=Terms(funds=2), gets=Terms()))
    (offer_id,) = state.offers
    result = apply(calm, state, FACILITATOR, EndGame())
    assert isinstance(result, Applied)
    state = result.state
    assert (state.phase, state.outcome) == ("ended", "ended_by_facilitator")
    assert [e.detail["offer"] for e in result.events if e.kind == "offer_expired"] == [offer_id]
    assert offer_id not in state.offers
    assert refused(calm, state, "nupi", AcceptOffer(offer=offer_id)).code == "game_over"
    assert refused(calm, state, FACILITATOR, EndGame()).code == "game_over"


# --- versions and purity ----------------------------------------------------------------


def test_every_applied_action_bumps_the_version(calm: Scenario) -> None:
    lobby = new_game(calm, 7)
    state = ok(calm, lobby, FACILITATOR, StartGame())
    later = ok(calm, state, "norway", SendMessage(to="public", text="Hello"))
    assert (lobby.version, state.version, later.version) == (0, 1, 2)


def test_an_action_against_a_stale_version_is_refused(calm: Scenario) -> None:
    state = ok(calm, started(calm), "norway", SendMessage(to="public", text="Hello"))
    action = SendMessage(to="public", text="Again")
    stale = apply(calm, state, "china", action, expected_version=state.version - 1)
    assert isinstance(stale, Rejected) and stale.code == "stale_version" and stale.family == "stale"
    fresh = apply(calm, state, "china", action, expected_version=state.version)
    assert isinstance(fresh, Applied)
    facilitator = apply(calm, state, FACILITATOR, ClosePhase(), expected_version=state.version + 1)
    assert isinstance(facilitator, Rejected) and facilitator.code == "stale_version"


def test_apply_never_mutates_the_state_it_is_given(calm: Scenario) -> None:
    state = started(calm)
    script: list[tuple[str, Action]] = [
        ("norway", MakeOffer(to="nupi", gives=Terms(funds=2), gets=Terms(expertise=1))),
        ("nupi", AcceptOffer(offer="o1")),
        ("norway", SendMessage(to="nupi", text="Thanks")),
        (FACILITATOR, ClosePhase()),
        ("norway", SubmitOrder(order=TableDraft())),
        ("norway", SubmitOrder(order=CallVote())),
        ("china", SubmitOrder(order=Lobby(target="african"))),
        (FACILITATOR, ClosePhase()),
        ("norway", CastVote(draft="yes")),
        ("china", CastVote(draft="no")),
        ("south_africa", CastVote(draft="yes")),
        (FACILITATOR, EndGame()),
    ]
    for actor, action in script:
        before = copy.deepcopy(state)
        result = apply(calm, state, actor, action)
        assert isinstance(result, Applied), (actor, action, result)
        assert state == before, (actor, action)
        assert result.state != state
        state = result.state


def test_a_refused_action_leaves_the_state_untouched(calm: Scenario) -> None:
    state = started(calm)
    before = copy.deepcopy(state)
    result = apply(calm, state, "nupi", MakeOffer(to="norway", gives=Terms(funds=99), gets=Terms()))
    assert isinstance(result, Rejected)
    assert state == before
