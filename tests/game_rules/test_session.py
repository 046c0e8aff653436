"""The formal session as a whole: pledges and side issues come due at the final vote, a failed
vote costs its caller and the blocs' patience, and every vote records why it failed."""

from __future__ import annotations

import dataclasses

import pytest

from game_rules import FACILITATOR, GameState, Scenario
from game_rules.actions import CallVote, Choice, EndGame, Lobby, Pledge, ProposeAmendment, TableDraft
from game_rules.scenario import Preferences
from tests.conftest import ok, started
from tests.game_rules.test_resolution import of_kind, play, resolve
from tests.game_rules.test_voting import STATES, all_yes, at_vote, pledged, vote


def ended(scenario: Scenario, state: GameState) -> GameState:
    """The facilitator ends the game (from any phase but the vote)."""
    return ok(scenario, state, FACILITATOR, EndGame())


# --- pledges come due at the final vote ------------------------------------------------


def test_a_vote_pledge_is_not_spent_by_an_unripe_vote(calm: Scenario) -> None:
    state = at_vote(calm, pledged(calm, Pledge(kind="vote", value="yes")), boost=0.0)
    state, throwaway, _ = vote(calm, state, all_yes())
    assert not throwaway.ripe
    assert [p.status for p in state.pledges] == ["pending"]
    state, final, _ = vote(calm, at_vote(calm, state, amend="joint_planning"), {**all_yes(), "china": "no"})
    assert not final.adopted
    state = ended(calm, state)
    assert [p.status for p in state.pledges] == ["broken"]


def test_a_vote_pledge_honoured_at_the_final_vote_is_kept_whatever_came_before(calm: Scenario) -> None:
    state = at_vote(calm, pledged(calm, Pledge(kind="vote", value="yes")), boost=0.0)
    state, _, _ = vote(calm, state, {**all_yes(), "china": "no"})
    assert [p.status for p in state.pledges] == ["pending"]
    state, final, _ = vote(calm, at_vote(calm, state, amend="joint_planning"), all_yes())
    assert final.adopted and state.outcome == "adopted"
    assert [p.status for p in state.pledges] == ["kept"]


def test_a_vote_pledge_with_no_vote_ever_held_lapses(calm: Scenario) -> None:
    state = ended(calm, pledged(calm, Pledge(kind="vote", value="yes")))
    assert [p.status for p in state.pledges] == ["lapsed"]
    assert state.seats["china"].credibility == calm.seat("china").resources.credibility


# --- side issues ------------------------------------------------------------------------


def test_side_issues_are_not_settled_by_an_unripe_vote(calm: Scenario) -> None:
    state, throwaway, events = vote(calm, at_vote(calm, boost=0.0), all_yes())
    assert not throwaway.ripe
    assert state.side_issue_results == {}
    assert of_kind(events, "side_issue_result") == []


def test_side_issues_are_settled_at_the_end_by_the_last_ballots_and_the_blocs(calm: Scenario) -> None:
    sides: dict[str, dict[str, Choice]] = {s: {"budget_scale": "no"} for s in STATES}
    state, _, _ = vote(calm, at_vote(calm, boost=0.0), all_yes(), sides)
    result = ok(calm, state, FACILITATOR, EndGame())
    assert set(result.side_issue_results) == {s.id for s in calm.side_issues}
    settled = [e for e in result.bulletins if e.startswith("Side issue")]
    assert len(settled) == len(calm.side_issues)


def test_a_states_side_ballot_pulls_its_own_bloc(calm: Scenario) -> None:
    """South Africa's no pulls the African Group's lean down by the scenario's pull."""
    pull = calm.rules.side_issue_seat_pull
    lean = dict(calm.side_issues[0].bloc_lean)
    state, _, _ = vote(
        calm, at_vote(calm, boost=0.0), {"south_africa": "yes"}, {"south_africa": {"budget_scale": "no"}}
    )
    state = ended(calm, state)
    assert state.side_leans["budget_scale"]["african"] == lean["african"] - pull
    assert state.side_leans["budget_scale"]["weog"] == lean["weog"]


def test_lobbying_a_bloc_pulls_its_side_issue_leans_toward_the_lobbyists_stakes(calm: Scenario) -> None:
    before = dict(started(calm).side_leans["budget_scale"])
    state = play(calm, started(calm), {"china": [Lobby(target="weog")], "norway": [Lobby(target="african")]})
    after = state.side_leans["budget_scale"]
    assert after["weog"] > before["weog"]  # China backs the lighter scale
    assert after["african"] < before["african"]  # Norway does not
    assert after["eeg"] == before["eeg"]


# --- what a failed vote costs, and why it failed ------------------------------------------


def test_a_failed_vote_costs_its_caller_credibility_and_the_blocs_goodwill(calm: Scenario) -> None:
    state = at_vote(calm, boost=0.0, goodwill=10.0)
    credibility = state.seats["norway"].credibility
    state, record, events = vote(calm, state, all_yes())
    assert not record.adopted and record.cause == "unripe"
    assert state.seats["norway"].credibility == credibility - calm.rules.failed_vote_credibility
    # Goodwill then decays with the round's upkeep, as it always does.
    expected = (10.0 - calm.rules.failed_vote_goodwill) * (1 - calm.rules.goodwill_decay)
    assert all(b.goodwill == pytest.approx(expected) for b in state.blocs.values())
    assert of_kind(events, "vote_result")[0].detail["cause"] == "unripe"


def test_an_adopting_vote_costs_nothing(calm: Scenario) -> None:
    state = at_vote(calm)
    credibility = state.seats["norway"].credibility
    state, record, _ = vote(calm, state, all_yes())
    assert record.adopted and record.cause == "adopted"
    assert state.seats["norway"].credibility == credibility


def test_a_ripe_vote_with_an_objection_fails_by_objection(calm: Scenario) -> None:
    _, record, _ = vote(calm, at_vote(calm), {**all_yes(), "china": "no"})
    assert record.cause == "objection"


def test_a_ripe_vote_short_of_the_blocs_fails_as_short(calm: Scenario) -> None:
    _, record, _ = vote(calm, at_vote(calm, goodwill=-100.0), all_yes())
    assert record.cause == "short"


# --- the Security Council -------------------------------------------------------------------


def test_a_blocs_council_seats_round_half_up(council: Scenario) -> None:
    """A bloc with five council seats and a yes share of exactly one half gives three yes."""
    state = started(council)
    blocs = []
    for bloc in council.blocs:
        # Utility 1 for the draft as it stands, ownership at the pivot: disposition = attitude + 30.
        prefs = Preferences(ideal=dict(state.levels), weights=dict.fromkeys(state.levels, 1.0))
        blocs.append(dataclasses.replace(bloc, attitude=22.5, ownership=50.0, preferences=prefs, council_seats=0))
    blocs[0] = dataclasses.replace(blocs[0], council_seats=5)
    blocs[1] = dataclasses.replace(blocs[1], council_seats=8)
    # Ownership at the pivot: formal moves do not politicise, so nothing moves the shares.
    rules = dataclasses.replace(council.rules, politicisation_ownership_pivot=50.0)
    even = dataclasses.replace(council, blocs=tuple(blocs), rules=rules)
    state, record, _ = vote(even, at_vote(even, goodwill=0.0), {"norway": "yes", "china": "yes"})
    assert record.bloc_yes_share[blocs[0].id] == 0.5
    assert record.yes == 2 + 3 + 4


# --- calls ------------------------------------------------------------------------------


def test_a_rejected_text_is_not_put_to_the_vote_again_unchanged(calm: Scenario) -> None:
    state, first, _ = vote(calm, at_vote(calm, boost=0.0), all_yes())
    assert not first.adopted
    idle, _ = resolve(calm, state, {})
    state, events = resolve(calm, state, {"norway": [CallVote()]})
    assert state.phase == "negotiate" and len(state.votes) == 1
    assert state.seats["norway"].capital == idle.seats["norway"].capital  # the refused call costs nothing
    assert [e.detail["seat"] for e in of_kind(events, "order_failed")] == ["norway"]
    state, again = resolve(
        calm, state, {"norway": [ProposeAmendment(provision="joint_planning", direction=1), CallVote()]}
    )
    assert state.phase == "vote" and of_kind(again, "vote_called")


def test_a_second_sponsors_call_in_the_same_round_costs_nothing(calm: Scenario) -> None:
    state = play(calm, started(calm), {"norway": [TableDraft()], "south_africa": [TableDraft()]})
    capital = {s: state.seats[s].capital for s in ("norway", "south_africa")}
    state, events = resolve(calm, state, {"norway": [CallVote()], "south_africa": [CallVote()]})
    spent = {s: capital[s] - state.seats[s].capital for s in capital}
    assert sorted(spent.values()) == [0, calm.rules.call_cost_capital]
    (called,) = of_kind(events, "vote_called")
    assert spent[called.detail["by"]] == calm.rules.call_cost_capital
    joined = of_kind(events, "vote_call_joined")
    assert [e.detail["seat"] for e in joined] == [s for s in spent if spent[s] == 0]
