"""Shared helpers: load a shipped scenario, start a game, apply and insist it was applied."""

from __future__ import annotations

import dataclasses

import pytest

from game_rules import FACILITATOR, Applied, GameState, Rejected, Scenario, apply, new_game
from game_rules.actions import Action, ClosePhase, FoundAlliance, InviteToAlliance, JoinAlliance, StartGame
from scenarios import load_scenario


@pytest.fixture
def quick() -> Scenario:
    """The six-seat classroom scenario."""
    return load_scenario("classroom-quick")


@pytest.fixture
def calm(quick: Scenario) -> Scenario:
    """The classroom scenario without random event cards, a jittered window or jittered
    side-issue leans: only the actions move the numbers."""
    rules = dataclasses.replace(quick.rules, side_issue_jitter=0.0)
    return dataclasses.replace(quick, event_table=(), ripeness_jitter=0.0, rules=rules)


def started(scenario: Scenario, seed: int = 7, ablations: tuple[str, ...] = ()) -> GameState:
    """A game just out of its lobby: round 1, negotiation phase."""
    return ok(scenario, new_game(scenario, seed, ablations), FACILITATOR, StartGame())


def ok(scenario: Scenario, state: GameState, actor: str, action: Action) -> GameState:
    """Apply an action that must be accepted; return the new state."""
    result = apply(scenario, state, actor, action)
    assert isinstance(result, Applied), f"{action!r} by {actor} was rejected: {result}"
    return result.state


def refused(scenario: Scenario, state: GameState, actor: str, action: Action) -> Rejected:
    """Apply an action that must be refused; return the rejection."""
    result = apply(scenario, state, actor, action)
    assert isinstance(result, Rejected), f"{action!r} by {actor} was accepted"
    return result


def allied(scenario: Scenario, state: GameState, founder: str, *members: str) -> tuple[GameState, str]:
    """In the negotiation phase: found an alliance and bring the members in by invitation."""
    after = ok(scenario, state, founder, FoundAlliance(name="Linked ecologies"))
    (alliance,) = set(after.alliances) - set(state.alliances)
    for seat in members:
        after = ok(scenario, after, founder, InviteToAlliance(alliance=alliance, seat=seat))
        after = ok(scenario, after, seat, JoinAlliance(alliance=alliance))
    return after, alliance


def close(scenario: Scenario, state: GameState) -> GameState:
    """Close the current phase as the facilitator would."""
    return ok(scenario, state, FACILITATOR, ClosePhase())


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--soak-seconds",
        type=float,
        default=30.0,
        help="how long the reliability soak plays its 100 games at once (default 30)",
    )
