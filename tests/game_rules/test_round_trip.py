"""Encodability (RULES.md §12): every reached state, every legal action, every event and
any well-typed action survives a msgpack round trip unchanged.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game_rules import (
    Applied,
    DecodeError,
    Event,
    GameState,
    LegalAction,
    decode_action,
    from_plain,
    legal_actions,
    to_plain,
)
from scenarios import load_scenario
from tests.game_rules.playing import PROPERTY, Step, play, scenario_names, seeds, through_the_wire, well_typed_actions


def differing_fields(a: Any, b: Any) -> list[str]:
    """The names of the dataclass fields on which two values differ (for failure messages)."""
    return [f.name for f in fields(a) if getattr(a, f.name) != getattr(b, f.name)]


def assert_state_round_trips(state: GameState) -> None:
    try:
        back = from_plain(GameState, through_the_wire(state))
    except DecodeError as error:
        pytest.fail(f"a reachable state does not decode: {error} (path {error.path!r})")
    assert back == state, f"fields changed by the round trip: {differing_fields(back, state)}"


@PROPERTY
@given(name=scenario_names, seed=seeds, rnd=st.randoms(use_true_random=False))
def test_every_reached_state_survives_the_wire(name: str, seed: int, rnd: random.Random) -> None:
    scenario = load_scenario(name)

    def check(step: Step) -> None:
        assert_state_round_trips(step.before)
        if isinstance(step.result, Applied):
            assert_state_round_trips(step.result.state)

    play(scenario, seed, rnd, max_steps=200, check=check)


@settings(PROPERTY, max_examples=15)
@given(name=scenario_names, seed=seeds, rnd=st.randoms(use_true_random=False))
def test_every_legal_action_and_every_event_survives_the_wire(name: str, seed: int, rnd: random.Random) -> None:
    scenario = load_scenario(name)
    game = play(scenario, seed, rnd, max_steps=200)
    for state in game.states[::20]:
        for seat in scenario.seat_ids:
            for item in legal_actions(scenario, state, seat):
                assert from_plain(LegalAction, through_the_wire(item)) == item
                assert decode_action(through_the_wire(item.action)) == item.action
    for step in game.steps:
        assert decode_action(through_the_wire(step.action)) == step.action
    for event in game.events:
        assert from_plain(Event, through_the_wire(event)) == event, event


@settings(PROPERTY, max_examples=40)
@given(name=scenario_names, data=st.data())
def test_any_well_typed_action_survives_the_wire(name: str, data: st.DataObject) -> None:
    scenario = load_scenario(name)
    for action in data.draw(st.lists(well_typed_actions(scenario), min_size=1, max_size=10)):
        plain = to_plain(action)
        huge = any(abs(v) > 2**53 for v in _ints(plain))
        # msgpack carries 64-bit integers; beyond that the plain form is all there is.
        if all(-(2**63) <= v < 2**64 for v in _ints(plain)):
            plain = through_the_wire(action)
        try:
            back = decode_action(plain)
        except DecodeError as error:
            # Only numbers beyond what JSON clients carry exactly may be refused.
            assert huge, f"{action!r} was refused: {error}"
            continue
        assert back == action


def _ints(value: Any) -> Iterator[int]:
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _ints(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ints(item)
