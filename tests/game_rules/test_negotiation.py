"""Negotiation: messages, offers (horse-trading) and alliances (linked ecologies)."""

from __future__ import annotations

from typing import Any

import pytest

from game_rules import FACILITATOR, PUBLIC, Applied, GameState, Scenario, apply, new_game, view
from game_rules.actions import (
    AcceptOffer,
    ClosePhase,
    DeclineOffer,
    EndNegotiation,
    FoundAlliance,
    InviteToAlliance,
    JoinAlliance,
    LeaveAlliance,
    MakeOffer,
    Pledge,
    SendMessage,
    StartGame,
    Terms,
    WithdrawOffer,
)
from game_rules.negotiation import MESSAGE_WINDOW, MESSAGE_WINDOW_CHARS
from scenarios import load_scenario
from tests.conftest import allied, close, ok, refused, started


def holdings(state: GameState, seat: str) -> tuple[int, int, int]:
    """A seat's transferable resources: capital, funds, expertise."""
    live = state.seats[seat]
    return live.capital, live.funds, live.expertise


def offer(
    scenario: Scenario, state: GameState, sender: str, to: str, gives: Terms, gets: Terms
) -> tuple[GameState, str]:
    """Make an offer that must be accepted; return the new state and the offer's id."""
    after = ok(scenario, state, sender, MakeOffer(to=to, gives=gives, gets=gets))
    (new_id,) = set(after.offers) - set(state.offers)
    return after, new_id


def alliance_entry(scenario: Scenario, state: GameState, viewer: str, alliance_id: str) -> dict[str, Any]:
    entries = [a for a in view(scenario, state, viewer)["alliances"] if a["id"] == alliance_id]
    assert len(entries) == 1
    entry: dict[str, Any] = entries[0]
    return entry


# --- messages ---------------------------------------------------------------------------


def test_public_message_is_recorded_and_counted_under_public(quick: Scenario) -> None:
    state = ok(quick, started(quick), "norway", SendMessage(to=PUBLIC, text="Consult first."))
    assert [(m.sender, m.to, m.text) for m in state.messages] == [("norway", PUBLIC, "Consult first.")]
    assert state.message_counts["norway"] == {PUBLIC: 1}
    assert any(m["text"] == "Consult first." for m in view(quick, state, "spectator")["messages"])


def test_private_message_is_read_only_by_sender_and_recipient(quick: Scenario) -> None:
    state = ok(quick, started(quick), "norway", SendMessage(to="nupi", text="Lunch?"))
    assert state.message_counts["norway"] == {"nupi": 1}
    readers = {seat for seat in quick.seat_ids if view(quick, state, seat)["private_messages"]}
    assert readers == {"norway", "nupi"}
    assert all(not view(quick, state, seat)["messages"] for seat in quick.seat_ids), "the public list stays public"


def test_alliance_message_counts_each_other_member_as_a_recipient(quick: Scenario) -> None:
    state, alliance = allied(quick, started(quick), "norway", "nupi", "dpko")
    state = ok(quick, state, "norway", SendMessage(to=f"alliance:{alliance}", text="Panel next round."))
    state = ok(quick, state, "norway", SendMessage(to=f"alliance:{alliance}", text="Agreed?"))
    assert state.message_counts["norway"] == {"nupi": 2, "dpko": 2}
    readers = {seat for seat in quick.seat_ids if view(quick, state, seat)["private_messages"]}
    assert readers == {"norway", "nupi", "dpko"}


def test_non_member_cannot_write_on_an_alliance_channel(quick: Scenario) -> None:
    state, alliance = allied(quick, started(quick), "norway", "nupi")
    rejection = refused(quick, state, "china", SendMessage(to=f"alliance:{alliance}", text="Hello"))
    assert rejection.code == "not_a_member"


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_message_is_refused(quick: Scenario, text: str) -> None:
    assert refused(quick, started(quick), "norway", SendMessage(to=PUBLIC, text=text)).code == "message_empty"


def test_message_longer_than_the_limit_is_refused_and_the_limit_itself_is_accepted(quick: Scenario) -> None:
    limit = quick.rules.message_max_chars
    state = started(quick)
    too_long = refused(quick, state, "norway", SendMessage(to=PUBLIC, text="x" * (limit + 1)))
    assert too_long.code == "message_too_long"
    assert len(ok(quick, state, "norway", SendMessage(to=PUBLIC, text="x" * limit)).messages) == 1


# --- offers -----------------------------------------------------------------------------


def test_accepting_an_offer_moves_both_sides_resources_at_once(quick: Scenario) -> None:
    state = started(quick)
    norway, nupi = holdings(state, "norway"), holdings(state, "nupi")
    state, offer_id = offer(quick, state, "norway", "nupi", Terms(funds=5, capital=1), Terms(expertise=2))
    assert holdings(state, "norway") == norway  # nothing moves before acceptance
    state = ok(quick, state, "nupi", AcceptOffer(offer=offer_id))
    assert holdings(state, "norway") == (norway[0] - 1, norway[1] - 5, norway[2] + 2)
    assert holdings(state, "nupi") == (nupi[0] + 1, nupi[1] + 5, nupi[2] - 2)
    assert state.offers[offer_id].status == "accepted"


def test_acceptance_is_refused_when_the_recipient_lacks_what_it_gives(quick: Scenario) -> None:
    state, offer_id = offer(quick, started(quick), "norway", "nupi", Terms(capital=1), Terms(funds=10))
    before = {seat: holdings(state, seat) for seat in quick.seat_ids}
    assert refused(quick, state, "nupi", AcceptOffer(offer=offer_id)).code == "insufficient_resources"
    assert {seat: holdings(state, seat) for seat in quick.seat_ids} == before
    assert state.offers[offer_id].status == "open"


def test_acceptance_is_refused_when_the_sender_no_longer_holds_what_it_gives(quick: Scenario) -> None:
    state, first = offer(quick, started(quick), "norway", "msf", Terms(funds=20), Terms())
    state, second = offer(quick, state, "norway", "china", Terms(funds=20), Terms())
    state = ok(quick, state, "china", AcceptOffer(offer=second))
    before = {seat: holdings(state, seat) for seat in quick.seat_ids}
    assert refused(quick, state, "msf", AcceptOffer(offer=first)).code == "insufficient_resources"
    assert {seat: holdings(state, seat) for seat in quick.seat_ids} == before


def test_an_offer_giving_more_than_the_sender_holds_is_refused(quick: Scenario) -> None:
    rejection = refused(quick, started(quick), "nupi", MakeOffer(to="norway", gives=Terms(funds=5), gets=Terms()))
    assert rejection.code == "insufficient_resources"


def test_only_the_recipient_can_accept_or_decline(quick: Scenario) -> None:
    state, offer_id = offer(quick, started(quick), "norway", "nupi", Terms(funds=2), Terms(expertise=1))
    for seat in ("norway", "china"):
        assert refused(quick, state, seat, AcceptOffer(offer=offer_id)).code == "unknown_offer"
        assert refused(quick, state, seat, DeclineOffer(offer=offer_id)).code == "unknown_offer"
    declined = ok(quick, state, "nupi", DeclineOffer(offer=offer_id))
    assert declined.offers[offer_id].status == "declined"
    assert refused(quick, declined, "nupi", AcceptOffer(offer=offer_id)).code == "offer_not_open"


def test_only_the_sender_can_withdraw_and_a_withdrawn_offer_cannot_be_accepted(quick: Scenario) -> None:
    state, offer_id = offer(quick, started(quick), "norway", "nupi", Terms(funds=2), Terms(expertise=1))
    assert refused(quick, state, "nupi", WithdrawOffer(offer=offer_id)).code == "unknown_offer"
    withdrawn = ok(quick, state, "norway", WithdrawOffer(offer=offer_id))
    assert withdrawn.offers[offer_id].status == "withdrawn"
    assert refused(quick, withdrawn, "nupi", AcceptOffer(offer=offer_id)).code == "offer_not_open"


def test_open_offers_expire_at_the_end_of_the_round(quick: Scenario) -> None:
    state, open_id = offer(quick, started(quick), "norway", "nupi", Terms(funds=2), Terms(expertise=1))
    state, taken_id = offer(quick, state, "norway", "msf", Terms(funds=2), Terms())
    state = ok(quick, state, "msf", AcceptOffer(offer=taken_id))
    state = close(quick, state)  # to the act phase: still the same round
    assert state.offers[open_id].status == "open"
    result = apply(quick, state, FACILITATOR, ClosePhase())  # the round resolves and ends
    assert isinstance(result, Applied) and result.state.round == 2
    expired = [e for e in result.events if e.kind == "offer_expired"]
    assert [(e.detail["offer"], set(e.audience)) for e in expired] == [(open_id, {"norway", "nupi"})]
    # Answered and expired offers leave the state: the event log keeps them.
    assert result.state.offers == {}
    assert refused(quick, result.state, "nupi", AcceptOffer(offer=open_id)).code == "unknown_offer"


def test_pledges_are_recorded_for_both_sides_on_acceptance(quick: Scenario) -> None:
    vote_yes = Pledge(kind="vote", value="yes")
    no_spoil = Pledge(kind="no_spoil")
    state, offer_id = offer(
        quick, started(quick), "dpko", "china", Terms(funds=2, pledges=(no_spoil,)), Terms(pledges=(vote_yes,))
    )
    assert state.pledges == []
    state = ok(quick, state, "china", AcceptOffer(offer=offer_id))
    recorded = {(p.pledger, p.beneficiary, p.pledge, p.status, p.offer) for p in state.pledges}
    assert recorded == {
        ("dpko", "china", no_spoil, "pending", offer_id),
        ("china", "dpko", vote_yes, "pending", offer_id),
    }


def test_a_seat_without_a_vote_cannot_pledge_one(quick: Scenario) -> None:
    action = MakeOffer(to="msf", gives=Terms(funds=2), gets=Terms(pledges=(Pledge(kind="vote", value="yes"),)))
    assert refused(quick, started(quick), "norway", action).code == "not_a_voter"


def test_offers_are_refused_when_horse_trading_is_ablated(quick: Scenario) -> None:
    state = started(quick, ablations=("horse_trading",))
    action = MakeOffer(to="nupi", gives=Terms(funds=2), gets=Terms())
    assert refused(quick, state, "norway", action).code == "mechanic_disabled"


# --- alliances --------------------------------------------------------------------------


def test_founding_an_alliance_makes_the_founder_its_only_member(quick: Scenario) -> None:
    state, alliance = allied(quick, started(quick), "norway")
    assert state.alliances[alliance].founder == "norway"
    assert state.alliances[alliance].members == ["norway"]


def test_joining_needs_an_invitation(quick: Scenario) -> None:
    state, alliance = allied(quick, started(quick), "norway")
    assert refused(quick, state, "nupi", JoinAlliance(alliance=alliance)).code == "not_invited"
    state = ok(quick, state, "norway", InviteToAlliance(alliance=alliance, seat="nupi"))
    assert "nupi" not in state.alliances[alliance].members  # an invitation alone does not enrol
    state = ok(quick, state, "nupi", JoinAlliance(alliance=alliance))
    assert state.alliances[alliance].members == ["norway", "nupi"]
    assert state.alliances[alliance].invited == []


def test_only_members_can_invite(quick: Scenario) -> None:
    state, alliance = allied(quick, started(quick), "norway")
    assert refused(quick, state, "china", InviteToAlliance(alliance=alliance, seat="nupi")).code == "not_a_member"


def test_leaving_removes_the_member_and_the_last_to_leave_dissolves_it(quick: Scenario) -> None:
    state, alliance = allied(quick, started(quick), "norway", "nupi")
    state = ok(quick, state, "nupi", LeaveAlliance(alliance=alliance))
    assert state.alliances[alliance].members == ["norway"]
    assert refused(quick, state, "nupi", LeaveAlliance(alliance=alliance)).code == "not_a_member"
    state = ok(quick, state, "norway", LeaveAlliance(alliance=alliance))
    assert alliance not in state.alliances


def test_span_counts_distinct_seat_kinds_not_members(quick: Scenario) -> None:
    state, alliance = allied(quick, started(quick), "norway", "china", "south_africa")
    assert alliance_entry(quick, state, "norway", alliance)["span"] == 1
    state = ok(quick, state, "norway", InviteToAlliance(alliance=alliance, seat="nupi"))
    state = ok(quick, state, "nupi", JoinAlliance(alliance=alliance))
    assert alliance_entry(quick, state, "norway", alliance)["span"] == 2
    state = ok(quick, state, "norway", InviteToAlliance(alliance=alliance, seat="dpko"))
    state = ok(quick, state, "dpko", JoinAlliance(alliance=alliance))
    assert alliance_entry(quick, state, "norway", alliance)["span"] == 3


def test_without_cross_kind_alliances_only_the_founders_kind_may_be_invited(quick: Scenario) -> None:
    state, alliance = allied(quick, started(quick, ablations=("cross_kind_alliances",)), "norway")
    for other_kind in ("nupi", "dpko", "msf"):
        rejection = refused(quick, state, "norway", InviteToAlliance(alliance=alliance, seat=other_kind))
        assert rejection.code == "mechanic_disabled"
    state = ok(quick, state, "norway", InviteToAlliance(alliance=alliance, seat="china"))
    state = ok(quick, state, "china", JoinAlliance(alliance=alliance))
    assert state.alliances[alliance].members == ["norway", "china"]


def test_cross_kind_invitation_is_allowed_in_the_full_game(quick: Scenario) -> None:
    state, alliance = allied(quick, started(quick), "norway", "nupi", "msf")
    assert state.alliances[alliance].members == ["norway", "nupi", "msf"]


def test_negotiation_actions_are_refused_outside_the_negotiation_phase(quick: Scenario) -> None:
    state = close(quick, started(quick))
    assert state.phase == "act"
    assert refused(quick, state, "norway", FoundAlliance(name="Late")).code == "wrong_phase"
    assert refused(quick, state, "norway", SendMessage(to=PUBLIC, text="Late")).code == "wrong_phase"


def test_a_seat_that_ended_negotiation_can_still_send_messages_but_not_offers(quick: Scenario) -> None:
    state = ok(quick, started(quick), "norway", EndNegotiation())
    assert len(ok(quick, state, "norway", SendMessage(to=PUBLIC, text="Still here")).messages) == 1
    offering = MakeOffer(to="nupi", gives=Terms(funds=2), gets=Terms())
    assert refused(quick, state, "norway", offering).code == "already_done"


def test_another_seats_offer_is_refused_exactly_as_one_that_does_not_exist(quick: Scenario) -> None:
    """Refusals never confirm that a private offer between other seats exists."""
    state, offer_id = offer(quick, started(quick), "norway", "nupi", Terms(funds=2), Terms(expertise=1))
    for action in (AcceptOffer(offer=offer_id), DeclineOffer(offer=offer_id), WithdrawOffer(offer=offer_id)):
        real = refused(quick, state, "china", action)
        missing = refused(quick, state, "china", type(action)(offer="o-none"))
        assert real.code == missing.code == "unknown_offer"
        assert real.message.replace(offer_id, "X") == missing.message.replace("o-none", "X")


def test_with_a_salt_offer_ids_do_not_count_offers() -> None:
    scenario = load_scenario("classroom-quick")
    salted = ok(scenario, new_game(scenario, 7, id_salt="s3cret"), FACILITATOR, StartGame())
    first, first_id = offer(scenario, salted, "norway", "nupi", Terms(funds=1), Terms())
    _, second_id = offer(scenario, first, "norway", "nupi", Terms(funds=1), Terms())
    assert first_id != second_id and not first_id[1:].isdigit() and len(first_id) == 13
    other = ok(scenario, new_game(scenario, 7, id_salt="other"), FACILITATOR, StartGame())
    assert offer(scenario, other, "norway", "nupi", Terms(funds=1), Terms())[1] != first_id


def test_the_state_keeps_a_bounded_window_of_messages_and_numbers_them_all(quick: Scenario) -> None:
    state = started(quick)
    for index in range(MESSAGE_WINDOW + 15):
        state = ok(quick, state, "norway", SendMessage(to=PUBLIC, text=f"note {index}"))
    assert len(state.messages) == MESSAGE_WINDOW
    assert state.messages[-1].number == state.message_total == MESSAGE_WINDOW + 15
    assert state.messages[0].text == "note 15"
    long_text = "y" * quick.rules.message_max_chars
    for _ in range(MESSAGE_WINDOW):
        state = ok(quick, state, "nupi", SendMessage(to=PUBLIC, text=long_text))
    assert sum(len(m.text) for m in state.messages) <= MESSAGE_WINDOW_CHARS


def test_a_seat_that_joins_an_alliance_does_not_read_what_was_said_before(quick: Scenario) -> None:
    state, alliance = allied(quick, started(quick), "norway", "nupi")
    state = ok(quick, state, "norway", SendMessage(to=f"alliance:{alliance}", text="before china"))
    state = ok(quick, state, "norway", InviteToAlliance(alliance=alliance, seat="china"))
    state = ok(quick, state, "china", JoinAlliance(alliance=alliance))
    state = ok(quick, state, "nupi", SendMessage(to=f"alliance:{alliance}", text="after china"))
    seen = [m["text"] for m in view(quick, state, "china")["private_messages"]]
    assert seen == ["after china"]
