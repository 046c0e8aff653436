"""Secrecy (RULES.md §11): what a seat may and may not see of messages, alliance channels,
offers, pledges and orders.
"""

from __future__ import annotations

import pytest

from game_rules import FACILITATOR, SPECTATOR, Applied, Scenario, apply, legal_actions, to_plain, view, visible_events
from game_rules.actions import (
    AcceptOffer,
    EndNegotiation,
    FoundAlliance,
    InviteToAlliance,
    MakeOffer,
    Pledge,
    SendMessage,
    SubmitOrder,
    Terms,
)
from game_rules.negotiation import ALLIANCE_PREFIX
from scenarios import load_scenario
from tests.conftest import close, ok, started
from tests.game_rules.secrecy import SCENARIOS, assert_every_view_keeps_its_secrets, dump, three_seats


@pytest.fixture(params=SCENARIOS)
def scenario(request: pytest.FixtureRequest) -> Scenario:
    return load_scenario(request.param)


def test_a_private_message_reaches_only_its_sender_and_recipient(scenario: Scenario) -> None:
    a, b, c = three_seats(scenario)
    secret = "the capital will fold on the budget scale"
    result = apply(scenario, started(scenario), a, SendMessage(to=b, text=secret))
    assert isinstance(result, Applied)
    state = result.state
    for seat in (a, b):
        assert secret in dump(view(scenario, state, seat))
        assert [e.kind for e in visible_events(result.events, seat)] == ["message"]
    for outsider in (c, SPECTATOR):
        assert secret not in dump(view(scenario, state, outsider))
        assert visible_events(result.events, outsider) == []
    assert secret in dump(view(scenario, state, FACILITATOR))


def test_an_alliance_channel_is_read_by_its_members_only(scenario: Scenario) -> None:
    a, b, c = three_seats(scenario)
    state = ok(scenario, started(scenario), a, FoundAlliance(name="Friends of the text"))
    alliance = next(iter(state.alliances))
    state = ok(scenario, state, a, InviteToAlliance(alliance=alliance, seat=b))
    secret = "only members should read this"
    state = ok(scenario, state, a, SendMessage(to=ALLIANCE_PREFIX + alliance, text=secret))
    # Invited is not yet a member: b cannot read the channel until it joins.
    assert secret not in dump(view(scenario, state, b))
    assert alliance in view(scenario, state, b)["invitations"]
    assert alliance not in view(scenario, state, c)["invitations"]
    for outsider in (c, SPECTATOR):
        assert secret not in dump(view(scenario, state, outsider))
    assert secret in dump(view(scenario, state, a))


def test_an_offer_and_its_pledges_are_seen_by_the_two_parties_only(scenario: Scenario) -> None:
    state = started(scenario)
    giver = next(s for s in scenario.seat_ids if state.seats[s].funds >= 1)
    taker = next(s for s in scenario.seat_ids if s != giver and scenario.seat(s).votes)
    outsider = next(s for s in scenario.seat_ids if s not in (giver, taker))
    offer = MakeOffer(to=taker, gives=Terms(funds=1), gets=Terms(pledges=(Pledge("vote", "", "yes"),)))
    made = apply(scenario, state, giver, offer)
    assert isinstance(made, Applied)
    offer_id = next(iter(made.state.offers))
    accepted = apply(scenario, made.state, taker, AcceptOffer(offer=offer_id))
    assert isinstance(accepted, Applied)
    state = accepted.state
    for party in (giver, taker):
        seen = view(scenario, state, party)
        assert [o["id"] for o in seen["offers"]] == [offer_id]
        assert len(seen["pledges"]) == 1
    for who in (outsider, SPECTATOR):
        seen = view(scenario, state, who)
        assert not seen.get("offers") and not seen.get("pledges")
        assert visible_events(made.events + accepted.events, who) == []


def test_orders_stay_secret_until_the_round_resolves_except_to_links(scenario: Scenario) -> None:
    if not scenario.links:
        pytest.skip("the scenario starts with no revolving-door links")
    mover, watcher = scenario.links[0]
    state = started(scenario)
    for seat in scenario.seat_ids:
        state = ok(scenario, state, seat, EndNegotiation()) if state.phase == "negotiate" else state
    assert state.phase == "act"
    for arena in ("narrow", "wide"):
        # The first order of each arena the mover may give, when it still can.
        orders = [
            i.action
            for i in legal_actions(scenario, state, mover)
            if isinstance(i.action, SubmitOrder) and i.action.order.arena == arena
        ]
        if orders:
            state = ok(scenario, state, mover, orders[0])
    assert state.seats[mover].orders, "the mover should have given some order"
    for seat in scenario.seat_ids:
        if seat != mover and not state.are_linked(seat, mover):
            assert all(m["seat"] != mover for m in view(scenario, state, seat)["linked_moves"])
    moves = [m for m in view(scenario, state, watcher)["linked_moves"] if m["seat"] == mover]
    narrow = [to_plain(o) for o in state.seats[mover].orders if o.arena == "narrow"]
    assert [m["order"] for m in moves] == narrow
    assert_every_view_keeps_its_secrets(scenario, state)
    state = close(scenario, state)
    assert all(not live.orders for live in state.seats.values()), "orders outlive the round"
    assert view(scenario, state, watcher).get("linked_moves", []) == []


def test_offers_and_pledges_in_a_view_are_written_as_the_codec_writes_them(calm: Scenario) -> None:
    from game_rules import to_plain
    from game_rules.actions import AcceptOffer, MakeOffer, Pledge, Terms

    state = started(calm)
    gives = Terms(capital=2, pledges=(Pledge("side_issue", "budget_scale", "yes"),))
    state = ok(
        calm, state, "norway", MakeOffer(to="china", gives=gives, gets=Terms(pledges=(Pledge("vote", "", "yes"),)))
    )
    (offer_id,) = state.offers
    state = ok(calm, state, "china", AcceptOffer(offer=offer_id))
    seen = view(calm, state, "china")
    assert seen["offers"] == [to_plain(o) for o in state.offers.values()]
    assert seen["pledges"] == [to_plain(p) for p in state.pledges]
