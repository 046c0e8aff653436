"""Golden replays: one seeded bot game per scenario, its action log and the digests of what it
produced. A change that alters how any game plays shows up as a changed digest.

    python3 -m simulation.golden          # rewrite tests/golden/*.json after an intended change
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import msgpack

from bots import parse_lineup
from game_rules import Event, GameState, to_plain
from scenarios import list_scenarios, load_scenario
from simulation.play import play_game

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "tests" / "golden"
GOLDEN_SEED = 20261128


def digest(value: GameState | list[Event]) -> str:
    """The SHA-256 of a state's or an event list's msgpack encoding."""
    return hashlib.sha256(msgpack.packb(to_plain(value))).hexdigest()


def record(name: str, seed: int = GOLDEN_SEED, lineup_spec: str = "auto") -> dict[str, Any]:
    """Play the golden game of a scenario and describe it."""
    scenario = load_scenario(name)
    lineup = parse_lineup(lineup_spec, scenario)
    game = play_game(scenario, seed, lineup)
    return {
        "scenario": name,
        "seed": seed,
        "lineup": lineup,
        "outcome": game.state.outcome,
        "rounds": game.state.round,
        "state_sha256": digest(game.state),
        "events_sha256": digest(game.events),
        "log": [[actor, to_plain(action)] for actor, action in game.log],
    }


def main() -> None:
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    for name in list_scenarios():
        path = GOLDEN_DIR / f"{name}.json"
        path.write_text(json.dumps(record(name), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
