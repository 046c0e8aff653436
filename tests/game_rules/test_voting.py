"""The formal session: decision rules, the blocs' shares, ripeness, side issues, pledges."""

from __future__ import annotations

import dataclasses

import pytest

from game_rules import FACILITATOR, Applied, GameState, Scenario, apply, ripeness, visible_events
from game_rules.actions import (
    AcceptOffer,
    CallVote,
    CastVote,
    Choice,
    ClosePhase,
    EndGame,
    InjectEvent,
    MakeOffer,
    Pledge,
    ProposeAmendment,
    SubmitOrder,
    TableDraft,
    Terms,
)
from game_rules.events import Event
from game_rules.state import VoteRecord
from tests.conftest import close, ok, refused, started

STATES = ("norway", "china", "south_africa")


def at_vote(
    scenario: Scenario,
    state: GameState | None = None,
    goodwill: float | None = 60.0,
    boost: float | None = 25.0,
    amend: str = "",
) -> GameState:
    """From a negotiation phase (round 1 by default) to a called vote, with every bloc's goodwill
    and the ripeness boost set as given (None leaves them as the game made them). With
    `amend`, Norway also moves that provision up a level, so a rejected text can come back."""
    state = close(scenario, state or started(scenario))
    state = state.clone()
    if boost is not None:
        state.ripeness_boost = boost
    if goodwill is not None:
        for bloc in state.blocs.values():
            bloc.goodwill = goodwill
    if not state.tabled:
        state = ok(scenario, state, "norway", SubmitOrder(order=TableDraft()))
    if amend:
        state = ok(scenario, state, "norway", SubmitOrder(order=ProposeAmendment(provision=amend, direction=1)))
    state = ok(scenario, state, "norway", SubmitOrder(order=CallVote()))
    state = close(scenario, state)
    assert state.phase == "vote"
    return state


def vote(
    scenario: Scenario, state: GameState, ballots: dict[str, Choice], sides: dict[str, dict[str, Choice]] | None = None
) -> tuple[GameState, VoteRecord, tuple[Event, ...]]:
    """Cast the ballots, close the session if they did not, and return the session's record."""
    events: tuple[Event, ...] = ()
    for seat, choice in ballots.items():
        result = apply(scenario, state, seat, CastVote(draft=choice, side_issues=(sides or {}).get(seat, {})))
        assert isinstance(result, Applied), result
        state, events = result.state, result.events
    if state.phase == "vote":
        result = apply(scenario, state, FACILITATOR, ClosePhase())
        assert isinstance(result, Applied), result
        state, events = result.state, result.events
    return state, state.votes[-1], events


def all_yes(voters: tuple[str, ...] = STATES) -> dict[str, Choice]:
    return dict.fromkeys(voters, "yes")


# --- consensus --------------------------------------------------------------------------


def test_unanimous_support_in_a_ripe_window_adopts_by_consensus(calm: Scenario) -> None:
    state, record, _ = vote(calm, at_vote(calm), all_yes())
    assert record.rule == "consensus" and record.ripe and record.adopted
    assert (state.phase, state.outcome) == ("ended", "adopted")


def test_one_objecting_voting_seat_sinks_a_consensus(calm: Scenario) -> None:
    state, record, _ = vote(calm, at_vote(calm), {**all_yes(), "china": "no"})
    assert record.objections == ("china",)
    assert not record.adopted
    assert (state.round, state.phase, state.outcome) == (2, "negotiate", "")


def test_an_abstention_is_not_an_objection(calm: Scenario) -> None:
    _, record, _ = vote(calm, at_vote(calm), {**all_yes(), "china": "abstain"})
    assert record.objections == ()
    assert record.adopted


def test_seats_without_a_vote_cannot_vote(calm: Scenario) -> None:
    state = at_vote(calm)
    for seat in ("msf", "dpko", "nupi"):
        assert refused(calm, state, seat, CastVote(draft="yes")).code == "not_a_voter"


def test_consensus_fails_when_the_blocs_yes_share_is_below_the_threshold(calm: Scenario) -> None:
    _, record, _ = vote(calm, at_vote(calm, goodwill=0.0), all_yes())
    votes = {b.id: b.votes for b in calm.blocs}
    share = sum(votes[b] * s for b, s in record.bloc_yes_share.items()) / sum(votes.values())
    assert share < calm.rules.consensus_threshold
    assert record.ripe and record.objections == ()
    assert not record.adopted


# --- the blocs' shares ------------------------------------------------------------------


def test_a_blocs_yes_share_runs_from_nobody_to_everybody_with_its_disposition(calm: Scenario) -> None:
    shares = []
    for goodwill in (-100.0, 0.0, 10.0, 100.0):
        _, record, _ = vote(calm, at_vote(calm, goodwill=goodwill), all_yes())
        shares.append(record.bloc_yes_share["grulac"])
    assert shares[0] == 0.0 and shares[-1] == 1.0
    assert 0.0 < shares[1] < shares[2] < 1.0


def test_the_count_adds_the_blocs_shares_to_the_seats_ballots(calm: Scenario) -> None:
    _, record, _ = vote(calm, at_vote(calm, goodwill=0.0), {"norway": "yes", "china": "no", "south_africa": "abstain"})
    bloc_yes = sum(b.votes * record.bloc_yes_share[b.id] for b in calm.blocs)
    bloc_total = sum(b.votes for b in calm.blocs)
    assert record.yes == pytest.approx(1 + bloc_yes)
    assert record.no == pytest.approx(1 + bloc_total - bloc_yes)
    assert record.abstain == 1
    assert record.seat_ballots == {"norway": "yes", "china": "no", "south_africa": "abstain"}


def test_a_seat_that_does_not_vote_counts_as_abstaining(calm: Scenario) -> None:
    _, record, _ = vote(calm, at_vote(calm), {"norway": "yes", "china": "yes"})
    assert record.seat_ballots["south_africa"] == "abstain"


# --- ripeness ---------------------------------------------------------------------------


def test_a_vote_below_the_ripeness_threshold_fails_whatever_the_count(calm: Scenario) -> None:
    state, record, _ = vote(calm, at_vote(calm, goodwill=100.0, boost=0.0), all_yes())
    assert record.ripeness < calm.ripeness_threshold and not record.ripe
    assert record.no == 0 and record.yes == 3 + sum(b.votes for b in calm.blocs)
    assert not record.adopted
    assert state.outcome == ""


def test_events_that_raise_ripeness_open_the_window_for_the_vote(calm: Scenario) -> None:
    card = "eide_kent_report"  # a scripted card the facilitator may fire again: +4 ripeness
    results = {}
    for extra in (1, 5):
        state = started(calm)
        for _ in range(extra):
            state = ok(calm, state, FACILITATOR, InjectEvent(card=card))
        state = at_vote(calm, state, goodwill=100.0, boost=None)
        results[extra] = (ripeness(calm, state) >= calm.ripeness_threshold, vote(calm, state, all_yes())[1].adopted)
    assert results == {1: (False, False), 5: (True, True)}


# --- two-thirds and the Security Council ------------------------------------------------


def test_two_thirds_survives_a_single_objection(calm: Scenario) -> None:
    assembly = dataclasses.replace(calm, decision_rule="two_thirds")
    _, record, _ = vote(assembly, at_vote(assembly), {**all_yes(), "china": "no"})
    assert record.rule == "two_thirds" and record.objections == ("china",)
    assert record.adopted


def test_two_thirds_fails_without_two_thirds_of_votes_cast(calm: Scenario) -> None:
    assembly = dataclasses.replace(calm, decision_rule="two_thirds")
    _, record, _ = vote(assembly, at_vote(assembly, goodwill=0.0), all_yes())
    assert record.ripe
    assert record.yes * 3 < 2 * (record.yes + record.no)
    assert not record.adopted


def test_only_council_members_vote_in_the_security_council(council: Scenario) -> None:
    state = at_vote(council)
    assert refused(council, state, "south_africa", CastVote(draft="yes")).code == "not_a_voter"


def test_a_permanent_members_veto_sinks_the_draft_in_the_council(council: Scenario) -> None:
    _, record, _ = vote(council, at_vote(council, goodwill=100.0), {"norway": "yes", "china": "no"})
    assert record.yes == 14 and record.vetoes == ("china",)
    assert not record.adopted


def test_an_objection_without_a_veto_does_not_sink_the_draft_in_the_council(council: Scenario) -> None:
    _, record, _ = vote(council, at_vote(council, goodwill=100.0), {"norway": "no", "china": "yes"})
    assert record.yes == 14 and record.vetoes == ()
    assert record.adopted


def test_a_permanent_members_abstention_is_not_a_veto(council: Scenario) -> None:
    _, record, _ = vote(council, at_vote(council, goodwill=100.0), {"norway": "yes", "china": "abstain"})
    assert record.vetoes == ()
    assert record.adopted


def test_the_council_needs_nine_votes(council: Scenario) -> None:
    _, record, _ = vote(council, at_vote(council, goodwill=-100.0), {"norway": "yes", "china": "yes"})
    assert record.yes == 2 and record.vetoes == ()
    assert not record.adopted


# --- pledges ----------------------------------------------------------------------------


def pledged(scenario: Scenario, pledge: Pledge) -> GameState:
    """Round 1: China accepts two capital from Norway for a pledge."""
    state = ok(
        scenario,
        started(scenario),
        "norway",
        MakeOffer(to="china", gives=Terms(capital=2), gets=Terms(pledges=(pledge,))),
    )
    (offer_id,) = state.offers
    return ok(scenario, state, "china", AcceptOffer(offer=offer_id))


def test_a_broken_vote_pledge_costs_credibility_and_the_beneficiary_is_told(calm: Scenario) -> None:
    state = at_vote(calm, pledged(calm, Pledge(kind="vote", value="yes")))
    credibility = state.seats["china"].credibility
    state, _, _ = vote(calm, state, {**all_yes(), "china": "no"})
    result = apply(calm, state, FACILITATOR, EndGame())  # the failed vote was the final one
    assert isinstance(result, Applied)
    state, events = result.state, result.events
    assert state.seats["china"].credibility == credibility - calm.rules.pledge_break_credibility
    assert [p.status for p in state.pledges] == ["broken"]
    told = [e for e in visible_events(events, "norway") if e.kind == "pledge_broken"]
    assert len(told) == 1 and told[0].detail["pledger"] == "china"
    assert [e for e in visible_events(events, "south_africa") if e.kind == "pledge_broken"] == []


def test_a_kept_vote_pledge_costs_nothing(calm: Scenario) -> None:
    state = at_vote(calm, pledged(calm, Pledge(kind="vote", value="yes")))
    credibility = state.seats["china"].credibility
    state, _, events = vote(calm, state, all_yes())
    assert state.seats["china"].credibility == credibility
    assert [p.status for p in state.pledges] == ["kept"]
    assert [e for e in events if e.kind == "pledge_broken"] == []


def test_a_broken_side_issue_pledge_costs_credibility(calm: Scenario) -> None:
    state = at_vote(calm, pledged(calm, Pledge(kind="side_issue", target="budget_scale", value="no")))
    credibility = state.seats["china"].credibility
    state, _, _ = vote(calm, state, all_yes(), {"china": {"budget_scale": "yes"}})
    assert [p.status for p in state.pledges] == ["broken"]
    assert state.seats["china"].credibility == credibility - calm.rules.pledge_break_credibility
