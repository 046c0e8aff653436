"""Conservation (RULES.md §12): no resource ever goes negative, and transfers between
seats create and destroy nothing.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from game_rules import FACILITATOR, Applied, GameState, Rejected, apply, new_game
from game_rules.actions import AcceptOffer, MakeOffer, Terms
from scenarios import load_scenario
from tests.conftest import started
from tests.game_rules.playing import PROPERTY, Step, play, scenario_names, seeds

RESOURCES = ("capital", "funds", "expertise", "credibility")
TRANSFERABLE = ("capital", "funds", "expertise")


def totals(state: GameState, names: tuple[str, ...] = TRANSFERABLE) -> dict[str, int]:
    return {n: sum(getattr(live, n) for live in state.seats.values()) for n in names}


def assert_offer_conserves(step: Step) -> None:
    """An accepted offer moves exactly its terms between its two seats, atomically."""
    assert isinstance(step.action, AcceptOffer)
    assert isinstance(step.result, Applied)
    before, after = step.before, step.result.state
    offer = before.offers[step.action.offer]
    sender, recipient = offer.sender, offer.recipient
    for name in TRANSFERABLE:
        pair_before = getattr(before.seats[sender], name) + getattr(before.seats[recipient], name)
        pair_after = getattr(after.seats[sender], name) + getattr(after.seats[recipient], name)
        assert pair_before == pair_after, f"{name} not conserved by {offer!r}"
        moved = getattr(offer.gives, name) - getattr(offer.gets, name)
        assert getattr(after.seats[sender], name) == getattr(before.seats[sender], name) - moved
    for seat in before.seats:
        if seat not in (sender, recipient):
            assert after.seats[seat] == before.seats[seat], f"{seat} touched by {offer.id}"
    assert after.offers[offer.id].status == "accepted"


def assert_resources_in_range(state: GameState) -> None:
    assert state.pooled_fund >= 0
    for seat, live in state.seats.items():
        for resource in RESOURCES:
            value = getattr(live, resource)
            assert value >= 0, f"round {state.round} {state.phase}: {seat} {resource}={value}"
        assert live.credibility <= 100, f"{seat} credibility {live.credibility}"


def check_conservation(step: Step) -> None:
    """Never negative; negotiation neither creates nor destroys; offers move exactly."""
    if not isinstance(step.result, Applied):
        return
    before, after = step.before, step.result.state
    assert_resources_in_range(after)
    if step.actor != FACILITATOR and before.phase == "negotiate":
        # Orders and resolution may spend or create; negotiation only ever moves.
        assert totals(after) == totals(before), f"{step.actor} {step.action!r}"
        assert after.pooled_fund == before.pooled_fund
    if isinstance(step.action, AcceptOffer):
        assert_offer_conserves(step)


@settings(PROPERTY, max_examples=40)
@given(name=scenario_names, seed=seeds, rnd=st.randoms(use_true_random=False))
def test_random_play_keeps_resources_non_negative_and_negotiation_conserving(
    name: str, seed: int, rnd: random.Random
) -> None:
    scenario = load_scenario(name)
    assert_resources_in_range(new_game(scenario, seed))
    play(scenario, seed, rnd, max_steps=250, check=check_conservation)


@settings(PROPERTY, max_examples=40)
@given(
    name=scenario_names,
    seed=seeds,
    pair=st.data(),
    amounts=st.lists(st.integers(min_value=0, max_value=40), min_size=6, max_size=6),
)
def test_an_accepted_offer_of_any_amounts_conserves_each_resource(
    name: str, seed: int, pair: st.DataObject, amounts: list[int]
) -> None:
    scenario = load_scenario(name)
    state = started(scenario, seed)
    sender = pair.draw(st.sampled_from(list(scenario.seat_ids)), label="sender")
    recipient = pair.draw(st.sampled_from([s for s in scenario.seat_ids if s != sender]), label="recipient")
    gives = Terms(capital=amounts[0], funds=amounts[1], expertise=amounts[2])
    gets = Terms(capital=amounts[3], funds=amounts[4], expertise=amounts[5])
    made = apply(scenario, state, sender, MakeOffer(to=recipient, gives=gives, gets=gets))
    live = state.seats[sender]
    affordable = all(getattr(live, n) >= getattr(gives, n) for n in TRANSFERABLE)
    assert isinstance(made, Applied) == affordable, made
    if not isinstance(made, Applied):
        assert isinstance(made, Rejected) and made.code == "insufficient_resources"
        return
    offer_id = next(iter(made.state.offers))
    accept = AcceptOffer(offer=offer_id)
    result = apply(scenario, made.state, recipient, accept)
    other = made.state.seats[recipient]
    if all(getattr(other, n) >= getattr(gets, n) for n in TRANSFERABLE):
        assert isinstance(result, Applied), result
        assert_offer_conserves(Step(recipient, accept, made.state, result))
    else:
        # Atomic: no half-done trade; the offer stays open and nobody's holdings move.
        assert isinstance(result, Rejected) and result.code == "insufficient_resources"
        assert made.state.offers[offer_id].status == "open"
