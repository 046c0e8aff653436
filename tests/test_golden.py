"""Golden replays: each scenario's recorded game replays to the same bytes, and the bots still
play it the same way. Regenerate with `python3 -m simulation.golden` after an intended change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from game_rules import Applied, Event, apply, decode_action, new_game
from scenarios import list_scenarios, load_scenario
from simulation.golden import GOLDEN_DIR, digest, record


def golden(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((GOLDEN_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def test_every_scenario_has_a_golden_game() -> None:
    assert {p.stem for p in Path(GOLDEN_DIR).glob("*.json")} == set(list_scenarios())


@pytest.mark.parametrize("name", list_scenarios())
def test_the_recorded_log_replays_to_the_same_state_and_events(name: str) -> None:
    game = golden(name)
    scenario = load_scenario(name)
    state = new_game(scenario, game["seed"])
    events: list[Event] = []
    for actor, plain in game["log"]:
        result = apply(scenario, state, actor, decode_action(plain))
        if isinstance(result, Applied):
            state = result.state
            events.extend(result.events)
    assert state.outcome == game["outcome"]
    assert digest(state) == game["state_sha256"]
    assert digest(events) == game["events_sha256"]


@pytest.mark.parametrize("name", list_scenarios())
def test_the_bots_still_play_the_golden_game(name: str) -> None:
    game = golden(name)
    again = record(name, game["seed"])
    assert again["log"] == game["log"]
    assert again["state_sha256"] == game["state_sha256"]
