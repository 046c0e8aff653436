"""Determinism and replay (RULES.md §12): the same scenario, seed and actions give
byte-identical states and events; `apply` never changes the state it is given; a game is
its scenario, seed and action log, and replaying that log rebuilds every state.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

import simulation.play
from bots import parse_lineup
from game_rules import FACILITATOR, Action, Applied, GameState, Scenario, apply, decode_action, new_game
from game_rules.actions import AcceptOffer, CastVote, EndNegotiation, EndOrders, Lobby, StartGame, SubmitOrder
from scenarios import load_file, load_scenario, scenario_path
from tests.game_rules.playing import (
    PROPERTY,
    SCENARIOS,
    encode,
    legal_move,
    play,
    replay,
    scenario_names,
    seeds,
    through_the_wire,
)

# --- determinism ---------------------------------------------------------------------------


@PROPERTY
@given(name=scenario_names, seed=seeds, rnd=st.randoms(use_true_random=False))
def test_same_seed_and_actions_give_byte_identical_states_and_events(name: str, seed: int, rnd: random.Random) -> None:
    scenario = load_scenario(name)
    game = play(scenario, seed, rnd, max_steps=250)
    # A separately loaded copy of the scenario: nothing may hang on object identity.
    fresh = load_file(scenario_path(name))
    state = new_game(fresh, seed)
    assert encode(state) == encode(game.steps[0].before)
    for number, step in enumerate(game.steps):
        result = apply(fresh, state, step.actor, step.action)
        assert type(result) is type(step.result), f"step {number}: {step.action!r}"
        if isinstance(result, Applied):
            assert isinstance(step.result, Applied)
            assert encode(result.state) == encode(step.result.state), f"step {number}"
            assert encode(list(result.events)) == encode(list(step.result.events))
            state = result.state
        else:
            assert result == step.result


@PROPERTY
@given(name=scenario_names, seed=seeds, rnd=st.randoms(use_true_random=False))
def test_apply_never_changes_the_state_it_is_given(name: str, seed: int, rnd: random.Random) -> None:
    scenario = load_scenario(name)
    game = play(scenario, seed, rnd, max_steps=150)
    snapshots = [encode(s.before) for s in game.steps]
    # Every step has been applied by now; the states it started from must be untouched.
    for number, (step, snapshot) in enumerate(zip(game.steps, snapshots, strict=True)):
        again = apply(scenario, step.before, step.actor, step.action)
        assert encode(step.before) == snapshot, f"step {number} mutated its input"
        if isinstance(again, Applied):
            assert isinstance(step.result, Applied)
            assert encode(again.state) == encode(step.result.state)


# --- replay --------------------------------------------------------------------------------


def mixed_move(scenario: Scenario, state: GameState, rnd: random.Random) -> tuple[str, Action]:
    """Mostly legal play, with some actions the engine must refuse (stale offer ids, orders
    in the wrong phase, unknown seats): a log holds those too."""
    roll = rnd.random()
    if roll < 0.08 and state.phase != "lobby":
        seat = rnd.choice(list(scenario.seat_ids))
        refusable: list[Action] = [
            AcceptOffer(offer=f"o{rnd.randrange(1, 20)}"),
            SubmitOrder(order=Lobby(target=rnd.choice([b.id for b in scenario.blocs]))),
            CastVote(draft="yes"),
            EndNegotiation(),
        ]
        return seat, rnd.choice(refusable)
    if roll < 0.1:
        return "nobody", EndOrders()
    return legal_move(scenario, state, rnd)


@PROPERTY
@given(name=scenario_names, seed=seeds, rnd=st.randoms(use_true_random=False))
def test_replaying_the_action_log_rebuilds_every_state(name: str, seed: int, rnd: random.Random) -> None:
    scenario = load_scenario(name)
    game = play(scenario, seed, rnd, max_steps=250, move=mixed_move)
    # The log as a server would store it: actor and wire-form action, nothing else.
    stored = [(s.actor, through_the_wire(s.action)) for s in game.steps]
    log = [(actor, decode_action(plain)) for actor, plain in stored]
    answers = list(replay(scenario, seed, log))
    assert len(answers) == len(game.steps)
    for number, (answer, step) in enumerate(zip(answers, game.steps, strict=True)):
        assert type(answer) is type(step.result), f"step {number}"
        if isinstance(answer, Applied):
            assert isinstance(step.result, Applied)
            assert answer.state == step.result.state, f"step {number}"
    final = next((a.state for a in reversed(answers) if isinstance(a, Applied)), None)
    assert encode(final or new_game(scenario, seed)) == encode(game.final)


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("lineup", ["random", "auto"])
@pytest.mark.parametrize("seed", [1, 2])
def test_a_bot_game_is_its_scenario_seed_and_action_log(name: str, lineup: str, seed: int) -> None:
    """Replay the action log the local runner kept, from a new game with the same seed."""
    scenario = load_scenario(name)
    played = simulation.play.play_game(scenario, seed, parse_lineup(lineup, scenario))
    assert played.state.phase == "ended"
    log = played.log
    assert log[0] == (FACILITATOR, StartGame())
    answers = list(replay(scenario, seed, log))
    applied = [a for a in answers if isinstance(a, Applied)]
    assert encode(applied[-1].state) == encode(played.state)
    assert encode([e for a in applied for e in a.events]) == encode(played.events)


def test_a_game_can_be_rebuilt_up_to_any_round() -> None:
    scenario = load_scenario(SCENARIOS[0])
    game = play(scenario, 11, random.Random(5), max_steps=400)
    log = [(s.actor, s.action) for s in game.steps]
    rounds_seen = sorted({s.round for s in game.states})
    assert len(rounds_seen) >= 2, "the game should get past its first round"
    for wanted in rounds_seen:
        # The last step that leaves the game in this round, rebuilt from the log's prefix.
        cut = max(i for i, s in enumerate(game.steps) if s.before.round == wanted)
        answers = list(replay(scenario, game.seed, log[: cut + 1]))
        last = next(a.state for a in reversed(answers) if isinstance(a, Applied))
        expected = next(s.result.state for s in reversed(game.steps[: cut + 1]) if isinstance(s.result, Applied))
        assert encode(last) == encode(expected)
