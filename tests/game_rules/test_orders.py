"""Orders in the act phase: costs reserved at submission, staff, who may give what, links."""

from __future__ import annotations

import pytest

from game_rules import Applied, GameState, Order, Scenario, apply, new_game, view
from game_rules.actions import (
    CallVote,
    CommissionStudy,
    ConvenePanel,
    EndOrders,
    FoundAlliance,
    Grant,
    HostConsultation,
    Lobby,
    PledgePooledFund,
    ProposeAmendment,
    SecondStaff,
    Spoil,
    SubmitOrder,
    TableDraft,
    TrialBalloon,
    WithdrawOrder,
)
from game_rules.events import Event
from tests.conftest import close, ok, refused, started


def acting(scenario: Scenario, seed: int = 7, ablations: tuple[str, ...] = ()) -> GameState:
    """Round 1, act phase."""
    state = close(scenario, started(scenario, seed, ablations))
    assert state.phase == "act"
    return state


def submit(scenario: Scenario, state: GameState, seat: str, *orders: Order) -> GameState:
    for order in orders:
        state = ok(scenario, state, seat, SubmitOrder(order=order))
    return state


def submit_events(scenario: Scenario, state: GameState, seat: str, order: Order) -> tuple[Event, ...]:
    result = apply(scenario, state, seat, SubmitOrder(order=order))
    assert isinstance(result, Applied), result
    return result.events


# --- costs and staff --------------------------------------------------------------------


def test_costs_are_reserved_at_submission_so_a_seat_cannot_commit_more_than_it_holds(quick: Scenario) -> None:
    state = submit(quick, acting(quick), "norway", PledgePooledFund(amount=20))
    assert state.seats["norway"].funds == 24  # reserved, not yet charged
    rejection = refused(quick, state, "norway", SubmitOrder(order=Grant(to="nupi", amount=5, purpose="study")))
    assert rejection.code == "insufficient_resources"
    state = submit(quick, state, "norway", Grant(to="nupi", amount=4, purpose="study"))
    assert len(state.seats["norway"].orders) == 2


def test_capital_is_reserved_across_orders(quick: Scenario) -> None:
    amendment = ProposeAmendment(provision="authority", direction=1)
    state = submit(quick, acting(quick), "nupi", amendment)  # NUPI holds 3 capital; 2 reserved
    assert state.seats["nupi"].capital == 3
    rejection = refused(quick, state, "nupi", SubmitOrder(order=ProposeAmendment(provision="authority", direction=-1)))
    assert rejection.code == "insufficient_resources"
    assert len(submit(quick, state, "nupi", Lobby(target="weog")).seats["nupi"].orders) == 2


def test_reserved_costs_are_charged_when_the_round_resolves(quick: Scenario) -> None:
    state = submit(quick, acting(quick), "norway", PledgePooledFund(amount=10))
    state = close(quick, state)
    assert state.seats["norway"].funds == 14
    assert state.pooled_fund == 10


def test_a_seat_gives_at_most_its_staff_in_orders(quick: Scenario) -> None:
    state = submit(quick, acting(quick), "china", Lobby(target="african"), Lobby(target="weog"))
    rejection = refused(quick, state, "china", SubmitOrder(order=Lobby(target="eeg")))
    assert rejection.code == "no_staff_left"


def test_withdrawing_an_order_frees_its_staff_and_its_reservation(quick: Scenario) -> None:
    state = submit(quick, acting(quick), "china", PledgePooledFund(amount=8), Lobby(target="weog"))
    state = ok(quick, state, "china", WithdrawOrder(index=0))
    assert state.seats["china"].orders == [Lobby(target="weog")]
    state = submit(quick, state, "china", Grant(to="msf", amount=10, purpose="study"))
    assert len(state.seats["china"].orders) == 2


def test_withdrawing_an_order_that_does_not_exist_is_refused(quick: Scenario) -> None:
    state = submit(quick, acting(quick), "china", Lobby(target="weog"))
    assert refused(quick, state, "china", WithdrawOrder(index=1)).code == "no_such_order"
    assert refused(quick, state, "china", WithdrawOrder(index=-1)).code == "no_such_order"


def test_withdrawn_orders_do_not_resolve(quick: Scenario) -> None:
    state = submit(quick, acting(quick), "norway", PledgePooledFund(amount=10))
    state = close(quick, ok(quick, state, "norway", WithdrawOrder(index=0)))
    assert state.pooled_fund == 0
    assert state.seats["norway"].funds == 24


# --- who may give what ------------------------------------------------------------------


@pytest.mark.parametrize("seat", ["dpko", "msf", "nupi"])
def test_only_states_table_the_draft(quick: Scenario, seat: str) -> None:
    rejection = refused(quick, acting(quick), seat, SubmitOrder(order=TableDraft()))
    assert rejection.code == "not_allowed_for_kind"


@pytest.mark.parametrize("seat", ["dpko", "msf", "nupi"])
def test_only_states_call_the_vote(quick: Scenario, seat: str) -> None:
    rejection = refused(quick, acting(quick), seat, SubmitOrder(order=CallVote()))
    assert rejection.code == "not_allowed_for_kind"


@pytest.mark.parametrize("seat", ["msf", "nupi"])
def test_ngos_and_think_tanks_cannot_spoil(quick: Scenario, seat: str) -> None:
    order = Spoil(mode="water_down", provision="authority")
    assert refused(quick, acting(quick), seat, SubmitOrder(order=order)).code == "not_allowed_for_kind"


@pytest.mark.parametrize("seat", ["dpko", "china"])
def test_states_and_agencies_can_spoil(quick: Scenario, seat: str) -> None:
    state = submit(quick, acting(quick), seat, Spoil(mode="water_down", provision="authority"))
    assert len(state.seats[seat].orders) == 1


@pytest.mark.parametrize("performer", ["china", "msf"])
def test_studies_are_not_performed_by_states_or_ngos(quick: Scenario, performer: str) -> None:
    order = CommissionStudy(performer=performer, funds=4)
    assert refused(quick, acting(quick), "norway", SubmitOrder(order=order)).code == "not_allowed_for_kind"


@pytest.mark.parametrize("performer", ["nupi", "dpko"])
def test_studies_are_performed_by_think_tanks_or_agencies(quick: Scenario, performer: str) -> None:
    state = submit(quick, acting(quick), "norway", CommissionStudy(performer=performer, funds=4))
    assert len(state.seats["norway"].orders) == 1


def test_a_study_below_the_minimum_is_refused(quick: Scenario) -> None:
    order = CommissionStudy(performer="nupi", funds=quick.rules.study_min_funds - 1)
    assert refused(quick, acting(quick), "norway", SubmitOrder(order=order)).code == "invalid_amount"


def test_calling_the_vote_needs_a_tabled_draft_or_tabling_it_in_the_same_round(quick: Scenario) -> None:
    state = acting(quick)
    assert refused(quick, state, "china", SubmitOrder(order=CallVote())).code == "not_a_sponsor"
    state = submit(quick, state, "norway", TableDraft(), CallVote())
    assert len(state.seats["norway"].orders) == 2


def test_trial_balloon_to_a_level_that_does_not_exist_is_refused(quick: Scenario) -> None:
    order = TrialBalloon(provision="authority", level=len(quick.provision("authority").levels))
    assert refused(quick, acting(quick), "nupi", SubmitOrder(order=order)).code == "level_out_of_range"


def test_an_amendment_beyond_the_top_level_is_refused(quick: Scenario) -> None:
    order = ProposeAmendment(provision="joint_planning", direction=-1)  # it starts at level 0
    assert refused(quick, acting(quick), "norway", SubmitOrder(order=order)).code == "level_out_of_range"


def test_a_panel_needs_an_alliance_the_seat_belongs_to(quick: Scenario) -> None:
    state = ok(quick, started(quick), "norway", FoundAlliance(name="Friends"))
    (alliance,) = state.alliances
    state = close(quick, state)
    assert refused(quick, state, "nupi", SubmitOrder(order=ConvenePanel(alliance=alliance))).code == "not_a_member"
    assert len(submit(quick, state, "norway", ConvenePanel(alliance=alliance)).seats["norway"].orders) == 1


# --- ablations --------------------------------------------------------------------------

ABLATED_ORDERS: list[tuple[str, str, Order]] = [
    ("consultations", "norway", HostConsultation(venue="addis_ababa")),
    ("panels", "norway", ConvenePanel(alliance="a1")),
    ("trial_balloons", "nupi", TrialBalloon(provision="authority", level=2)),
    ("revolving_doors", "norway", SecondStaff(to="china")),
    ("spoiling", "dpko", Spoil(mode="delay_vote")),
]


@pytest.mark.parametrize(("mechanic", "seat", "order"), ABLATED_ORDERS, ids=[m for m, _, _ in ABLATED_ORDERS])
def test_ablated_mechanics_refuse_their_orders(quick: Scenario, mechanic: str, seat: str, order: Order) -> None:
    state = acting(quick, ablations=(mechanic,))
    assert refused(quick, state, seat, SubmitOrder(order=order)).code == "mechanic_disabled"


@pytest.mark.parametrize(("mechanic", "seat", "order"), ABLATED_ORDERS[2:], ids=[m for m, _, _ in ABLATED_ORDERS[2:]])
def test_the_same_orders_are_accepted_in_the_full_game(quick: Scenario, mechanic: str, seat: str, order: Order) -> None:
    assert len(submit(quick, acting(quick), seat, order).seats[seat].orders) == 1


# --- phases -----------------------------------------------------------------------------


def test_orders_are_refused_in_the_negotiation_phase(quick: Scenario) -> None:
    rejection = refused(quick, started(quick), "norway", SubmitOrder(order=Lobby(target="weog")))
    assert rejection.code == "wrong_phase"


def test_orders_are_refused_before_the_game_starts(quick: Scenario) -> None:
    result = apply(quick, new_game(quick, 7), "norway", SubmitOrder(order=Lobby(target="weog")))
    assert getattr(result, "code", None) == "game_not_started"


def test_a_seat_that_ended_its_orders_cannot_submit_or_withdraw(quick: Scenario) -> None:
    state = submit(quick, acting(quick), "norway", Lobby(target="weog"))
    state = ok(quick, state, "norway", EndOrders())
    assert refused(quick, state, "norway", SubmitOrder(order=Lobby(target="eeg"))).code == "already_done"
    assert refused(quick, state, "norway", WithdrawOrder(index=0)).code == "already_done"
    # the others are not affected
    assert len(submit(quick, state, "china", Lobby(target="eeg")).seats["china"].orders) == 1


# --- revolving-door links see formal-arena moves early -----------------------------------


def test_linked_seats_hear_of_a_formal_arena_order(quick: Scenario) -> None:
    events = submit_events(quick, acting(quick), "dpko", Spoil(mode="delay_vote"))
    linked = [e for e in events if e.kind == "linked_move"]
    assert len(linked) == 1
    assert set(linked[0].audience) == {"nupi"}  # DPKO's only link
    assert linked[0].detail == {"seat": "dpko", "order": "spoil"}
    assert not linked[0].is_visible_to("china")


def test_a_seat_with_two_links_is_heard_by_both(quick: Scenario) -> None:
    events = submit_events(quick, acting(quick), "nupi", Lobby(target="weog"))
    (linked,) = [e for e in events if e.kind == "linked_move"]
    assert set(linked.audience) == {"norway", "dpko"}
    for outsider in ("china", "south_africa", "msf"):
        assert not linked.is_visible_to(outsider)


def test_wide_arena_orders_are_not_leaked_to_links(quick: Scenario) -> None:
    events = submit_events(quick, acting(quick), "norway", PledgePooledFund(amount=5))
    assert [e.kind for e in events if e.kind == "linked_move"] == []


def test_a_seat_without_links_leaks_nothing(quick: Scenario) -> None:
    events = submit_events(quick, acting(quick), "china", Lobby(target="african"))
    assert [e for e in events if e.kind == "linked_move"] == []


def test_the_view_shows_linked_seats_formal_orders_only_to_links(quick: Scenario) -> None:
    state = submit(quick, acting(quick), "norway", TableDraft(), PledgePooledFund(amount=5))
    moves = view(quick, state, "nupi")["linked_moves"]
    assert [(m["seat"], m["order"]["type"]) for m in moves] == [("norway", "table_draft")]
    assert view(quick, state, "dpko")["linked_moves"] == []
    assert view(quick, state, "china")["linked_moves"] == []
