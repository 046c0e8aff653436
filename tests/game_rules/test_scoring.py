"""Scores, the implementation epilogue and legitimacy (RULES.md §9-10)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from game_rules import FACILITATOR, GameState, Order, Scenario, epilogue, legitimacy, scores
from game_rules.actions import (
    CallVote,
    CastVote,
    EndGame,
    FoundAlliance,
    HostConsultation,
    InviteToAlliance,
    JoinAlliance,
    PledgePooledFund,
    ProposeAmendment,
    Spoil,
    SubmitOrder,
    TableDraft,
)
from game_rules.scoring import ScoreCard
from tests.conftest import close, ok, started

PARTS = ("text", "side_issues", "credibility", "alliance", "goals")


def adopted(
    scenario: Scenario, orders: Mapping[str, Sequence[Order]] | None = None, state: GameState | None = None
) -> GameState:
    """Adopt the draft in the first act phase: a ripe window and willing blocs are set by hand,
    Norway tables and calls, the given orders resolve with it, and every state votes yes."""
    state = close(scenario, state or started(scenario)).clone()
    state.ripeness_boost = 30.0
    for bloc in state.blocs.values():
        bloc.goodwill = 60.0
    plan: dict[str, list[Order]] = {"norway": [TableDraft(), CallVote()]}
    for seat, given in (orders or {}).items():
        plan[seat] = [*plan.get(seat, []), *given]
    for seat, given in plan.items():
        for order in given:
            state = ok(scenario, state, seat, SubmitOrder(order=order))
    state = close(scenario, state)
    for seat in ("norway", "china", "south_africa"):
        state = ok(scenario, state, seat, CastVote(draft="yes"))
    assert state.outcome == "adopted"
    return state


def ended(scenario: Scenario) -> GameState:
    return ok(scenario, started(scenario), FACILITATOR, EndGame())


def cards(scenario: Scenario, state: GameState) -> dict[str, ScoreCard]:
    result = scores(scenario, state)
    assert list(result) == list(scenario.seat_ids)
    return result


# --- scores -----------------------------------------------------------------------------


def test_scores_and_their_parts_stay_within_bounds(calm: Scenario) -> None:
    drained = started(calm).clone()
    for live in drained.seats.values():
        live.credibility = 0
    states = [
        started(calm),
        drained,
        ended(calm),
        adopted(calm),
        adopted(calm, {"dpko": [Spoil(mode="water_down", provision="authority")]}),
    ]
    for state in states:
        for card in cards(calm, state).values():
            assert 0.0 <= card.score <= 100.0
            assert all(0.0 <= getattr(card, part) <= 1.0 for part in PARTS)


def test_the_failure_value_counts_when_the_norm_is_not_adopted(calm: Scenario) -> None:
    for seat, card in cards(calm, ended(calm)).items():
        assert card.text == calm.seat(seat).failure_value


def test_an_adopted_text_is_judged_by_each_seats_ideal(calm: Scenario) -> None:
    plain = cards(calm, adopted(calm))
    stronger = cards(calm, adopted(calm, {"dpko": [ProposeAmendment(provision="authority", direction=1)]}))
    assert plain["norway"].text != calm.seat("norway").failure_value
    assert stronger["norway"].text > plain["norway"].text  # Norway wants authority at 3
    assert stronger["msf"].text < plain["msf"].text  # MSF wants it at 1


def test_credibility_counts_toward_the_score(calm: Scenario) -> None:
    state = started(calm)
    weaker = state.clone()
    weaker.seats["norway"].credibility -= 30
    before, after = cards(calm, state)["norway"], cards(calm, weaker)["norway"]
    assert after.credibility == pytest.approx(before.credibility - 0.3)
    assert after.score < before.score


def test_an_agencys_turf_lowers_its_value_when_the_text_goes_beyond_it(calm: Scenario) -> None:
    within = adopted(calm)
    beyond = adopted(calm, {"south_africa": [ProposeAmendment(provision="humanitarian_space", direction=1)]})
    assert beyond.levels["humanitarian_space"] > calm.seat("dpko").turf["humanitarian_space"]
    within_epilogue, beyond_epilogue = epilogue(calm, within), epilogue(calm, beyond)
    assert within_epilogue is not None and beyond_epilogue is not None
    assert within_epilogue.turf_satisfaction == 1.0
    assert beyond_epilogue.turf_satisfaction < 1.0
    assert cards(calm, beyond)["dpko"].text < cards(calm, within)["dpko"].text


def test_goals_are_met_only_by_the_outcome_they_name(calm: Scenario) -> None:
    binding = adopted(calm, {"south_africa": [ProposeAmendment(provision="humanitarian_space", direction=1)]})
    assert cards(calm, binding)["msf"].goals == 1.0  # binding safeguards adopted
    assert cards(calm, adopted(calm))["msf"].goals == 0.0
    assert cards(calm, ended(calm))["msf"].goals == 0.0
    # Norway wants the norm adopted, with African ownership of at least 45; it starts at 25.
    assert cards(calm, adopted(calm))["norway"].goals == 0.5
    assert cards(calm, ended(calm))["norway"].goals == 0.0


def test_the_alliance_bonus_goes_to_members_whose_platform_is_met(calm: Scenario) -> None:
    state = started(calm)
    state = ok(calm, state, "norway", FoundAlliance(name="Friends", platform=dict(state.levels)))
    (alliance,) = state.alliances
    state = ok(calm, state, "norway", InviteToAlliance(alliance=alliance, seat="nupi"))
    state = ok(calm, state, "nupi", JoinAlliance(alliance=alliance))
    won = cards(calm, adopted(calm, state=state))
    assert won["norway"].alliance > 0 and won["nupi"].alliance == won["norway"].alliance
    assert won["china"].alliance == 0
    assert cards(calm, ok(calm, state, FACILITATOR, EndGame()))["norway"].alliance == 0


# --- the epilogue -----------------------------------------------------------------------


def test_there_is_no_epilogue_without_adoption(calm: Scenario) -> None:
    assert epilogue(calm, ended(calm)) is None
    assert epilogue(calm, started(calm)) is None


def test_pooled_funding_deepens_implementation(calm: Scenario) -> None:
    amount = calm.rules.pooled_fund_target // 2
    unfunded = epilogue(calm, adopted(calm))
    funded = epilogue(calm, adopted(calm, {"norway": [PledgePooledFund(amount=amount)]}))
    assert unfunded is not None and funded is not None
    assert (unfunded.pooled_funding, funded.pooled_funding) == (0.0, 0.5)
    assert funded.depth > unfunded.depth


def test_watering_down_in_the_hq_loop_makes_implementation_shallower(calm: Scenario) -> None:
    amended = adopted(calm, {"south_africa": [ProposeAmendment(provision="authority", direction=-1)]})
    watered = adopted(calm, {"dpko": [Spoil(mode="water_down", provision="authority")]})
    assert amended.levels == watered.levels  # the same text, reached by different roads
    by_amendment, by_hq_loop = epilogue(calm, amended), epilogue(calm, watered)
    assert by_amendment is not None and by_hq_loop is not None
    assert by_amendment.watered_down == 0.0 < by_hq_loop.watered_down
    assert by_hq_loop.depth < by_amendment.depth


def test_the_epilogue_labels_depth(calm: Scenario) -> None:
    target = calm.rules.pooled_fund_target
    pledges = {"norway": [PledgePooledFund(amount=target - 10)], "china": [PledgePooledFund(amount=10)]}
    funded, unfunded = epilogue(calm, adopted(calm, pledges)), epilogue(calm, adopted(calm))
    assert funded is not None and unfunded is not None
    assert funded.depth == pytest.approx(100.0)
    assert funded.label == "deep"
    assert unfunded.label == "partial"  # the text and turf intact, but no money attached


# --- legitimacy -------------------------------------------------------------------------


def test_legitimacy_is_between_0_and_100_and_full_ownership_gives_100(calm: Scenario) -> None:
    state = started(calm)
    assert 0.0 < legitimacy(calm, state) < 100.0
    full = state.clone()
    for bloc in full.blocs.values():
        bloc.ownership = 100.0
    for constituency in full.constituencies:
        full.constituencies[constituency] = 100.0
    assert legitimacy(calm, full) == pytest.approx(100.0)


def test_a_consultation_raises_legitimacy(calm: Scenario) -> None:
    state = started(calm)
    before = legitimacy(calm, state)
    state = close(calm, state)
    state = ok(calm, state, "norway", SubmitOrder(order=HostConsultation(venue="addis_ababa")))
    assert legitimacy(calm, close(calm, state)) > before


def test_legitimacy_weighs_blocs_by_votes_and_constituencies_by_weight(calm: Scenario) -> None:
    state = started(calm)

    def raised(where: str) -> float:
        changed = state.clone()
        if where in changed.blocs:
            changed.blocs[where].ownership += 10
        else:
            changed.constituencies[where] += 10
        return legitimacy(calm, changed)

    assert calm.bloc("african").votes > calm.bloc("weog").votes
    assert raised("african") > raised("weog") > legitimacy(calm, state)
    assert raised("humanitarian") > raised("host_populations") > legitimacy(calm, state)
