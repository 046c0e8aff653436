"""Totality (RULES.md §12): random, absurd and malformed action streams are always applied
or rejected, never raised on; decoding raises only DecodeError; well-typed actions never hit
an internal_error; every legal action is accepted.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from game_rules import (
    FACILITATOR,
    SPECTATOR,
    Applied,
    DecodeError,
    Rejected,
    Scenario,
    apply,
    decode_action,
    new_game,
    to_plain,
)
from game_rules.actions import FACILITATOR_ACTION_TYPES, SEAT_ACTION_TYPES, ClosePhase
from game_rules.rejections import CODES
from scenarios import load_scenario
from tests.conftest import started
from tests.game_rules.playing import (
    PROPERTY,
    encode,
    legal_move,
    play,
    scenario_names,
    seeds,
    through_the_wire,
    waypoints,
    well_typed_actions,
)

# --- malformed actions -------------------------------------------------------------------


def actors(scenario: Scenario) -> st.SearchStrategy[str]:
    """Mostly seats (so actions get past the door), sometimes anyone at all."""
    seats = st.sampled_from(list(scenario.seat_ids))
    return st.one_of(
        seats,
        seats,
        seats,
        st.sampled_from([FACILITATOR, SPECTATOR, "", "nobody", "public", "x" * 10_000]),
        st.text(max_size=8),
    )


plain_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True),
        st.text(max_size=10),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=12,
)


def _containers(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every dict and list inside a plain value, the value itself first."""
    if isinstance(value, dict | list):
        yield path
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            yield from _containers(item, (*path, key))


@st.composite
def mangled_wire_actions(draw: st.DrawFn, scenario: Scenario) -> Any:
    """An action's wire form with one container damaged: a field dropped, added or replaced,
    its type tag changed, or the whole thing swapped for an arbitrary plain value."""
    plain = to_plain(draw(well_typed_actions(scenario)))
    how = draw(st.sampled_from(["drop", "add", "replace", "retag", "arbitrary", "none"]))
    if how == "arbitrary":
        return draw(plain_values)
    if how == "none":
        return plain
    where = draw(st.sampled_from(list(_containers(plain))))
    target = plain
    for key in where:
        target = target[key]
    keys = list(target) if isinstance(target, dict) else list(range(len(target)))
    if how == "drop" and keys:
        del target[draw(st.sampled_from(keys))]
    elif how == "add" and isinstance(target, dict):
        target[draw(st.text(max_size=8))] = draw(plain_values)
    elif how == "add":
        target.append(draw(plain_values))
    elif how == "replace" and keys:
        target[draw(st.sampled_from(keys))] = draw(plain_values)
    elif how == "retag" and isinstance(target, dict):
        tags = [c.type for c in (*SEAT_ACTION_TYPES, *FACILITATOR_ACTION_TYPES)]
        target["type"] = draw(st.one_of(st.sampled_from(tags), plain_values))
    return plain


# --- totality ------------------------------------------------------------------------------


def assert_well_handled(result: Any, what: str) -> None:
    """Totality: an answer, never anything else, and never the engine's own failure."""
    assert isinstance(result, Applied | Rejected), f"{what} gave {result!r}"
    if isinstance(result, Rejected):
        assert result.code in CODES, f"{what}: unknown rejection code {result.code!r}"
        assert result.code != "internal_error", f"{what} hit an engine bug: {result.message}"


@PROPERTY
@given(name=scenario_names, seed=seeds, rnd=st.randoms(use_true_random=False))
def test_every_legal_action_is_accepted(name: str, seed: int, rnd: random.Random) -> None:
    """legal.py's promise: every action it lists is accepted by `apply` as it stands."""
    scenario = load_scenario(name)
    game = play(scenario, seed, rnd, max_steps=200)
    for step in game.steps:
        if step.actor != FACILITATOR:
            assert isinstance(step.result, Applied), (
                f"{step.actor} {step.action!r} in {step.before.phase}: {step.result}"
            )


@settings(PROPERTY, max_examples=50)
@given(name=scenario_names, seed=seeds, data=st.data())
def test_random_and_malformed_action_streams_are_always_applied_or_rejected(
    name: str, seed: int, data: st.DataObject
) -> None:
    scenario = load_scenario(name)
    rnd = data.draw(st.randoms(use_true_random=False), label="legal choices")
    state = data.draw(st.sampled_from((new_game(scenario, seed), *waypoints(name))))
    garbage = well_typed_actions(scenario)
    after_the_end = 0
    for _ in range(data.draw(st.integers(min_value=10, max_value=120), label="steps")):
        if state.phase == "ended":
            # A few tries at a finished game are enough: it must refuse them all.
            after_the_end += 1
            if after_the_end > 5:
                break
        mode = data.draw(st.sampled_from(["legal", "legal", "absurd", "absurd", "close"]))
        if mode == "legal":
            actor, action = legal_move(scenario, state, rnd, close_chance=0.0)
        elif mode == "close":
            actor, action = FACILITATOR, ClosePhase()
        else:
            actor = data.draw(actors(scenario), label="actor")
            action = data.draw(garbage, label="action")
        snapshot = encode(state)
        result = apply(scenario, state, actor, action)
        assert_well_handled(result, f"{actor!r} {action!r} in {state.phase}")
        assert encode(state) == snapshot, "apply changed the state it was given"
        is_seat_action = isinstance(action, SEAT_ACTION_TYPES)
        if actor == FACILITATOR and is_seat_action:
            assert isinstance(result, Rejected), f"the facilitator did a seat's {action!r}"
        elif actor in state.seats and not is_seat_action:
            assert isinstance(result, Rejected), f"{actor} used facilitator control {action!r}"
        elif actor != FACILITATOR and actor not in state.seats:
            assert isinstance(result, Rejected), f"non-seat {actor!r} did {action!r}"
        if state.phase == "ended":
            assert isinstance(result, Rejected), f"{action!r} was applied after the end"
        if isinstance(result, Applied):
            state = result.state


@settings(PROPERTY, max_examples=60)
@given(name=scenario_names, seed=seeds, data=st.data())
def test_decoding_any_plain_value_gives_an_action_or_a_decode_error(name: str, seed: int, data: st.DataObject) -> None:
    scenario = load_scenario(name)
    states = [new_game(scenario, seed), started(scenario, seed)]
    for raw in data.draw(st.lists(mangled_wire_actions(scenario), min_size=1, max_size=8)):
        try:
            action = decode_action(raw)
        except DecodeError as error:
            assert isinstance(error.path, str)
            continue
        # What decodes is well typed: it encodes back to itself and the engine answers it.
        assert decode_action(through_the_wire(action)) == action
        for state in states:
            actor = data.draw(actors(scenario), label="actor")
            assert_well_handled(apply(scenario, state, actor, action), f"{raw!r} by {actor!r}")
