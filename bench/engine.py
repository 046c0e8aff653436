"""Engine speed: whole bot games per second and microseconds per applied action, per scenario.

    python3 bench/engine.py [--games N] [--seed S]

Engine time counts apply, legal_actions, view and close_phase; bot time is left out. The
baseline, measured in the same run, is one msgpack encoding of the game's mid-game state
(what a server does at least once per action): ratios against it travel between machines
better than seconds do.
"""

from __future__ import annotations

import argparse
import statistics
import time

import msgpack

from bots import parse_lineup
from game_rules import to_plain
from scenarios import list_scenarios, load_scenario
from simulation.play import play_game
from simulation.summary import game_seed


def encode_baseline(state: object, repeat: int = 200) -> float:
    """Seconds for one msgpack encoding of a state, best of a few runs."""
    best = float("inf")
    for _ in range(5):
        began = time.perf_counter()
        for _ in range(repeat):
            msgpack.packb(to_plain(state))
        best = min(best, (time.perf_counter() - began) / repeat)
    return best


def bench_scenario(name: str, games: int, seed: int) -> dict[str, float]:
    scenario = load_scenario(name)
    lineup = parse_lineup("auto", scenario)
    play_game(scenario, seed, lineup)  # warm caches before timing
    engine, wall, actions = [], [], 0
    last = None
    for index in range(games):
        began = time.perf_counter()
        game = play_game(scenario, game_seed(seed, index), lineup)
        wall.append(time.perf_counter() - began)
        engine.append(game.engine_seconds)
        actions += game.actions
        last = game
    assert last is not None
    baseline = encode_baseline(last.state)
    per_action = sum(engine) / max(1, actions)
    return {
        "engine_ms_per_game_median": statistics.median(engine) * 1000,
        "wall_games_per_second": games / sum(wall),
        "engine_games_per_second": games / sum(engine),
        "actions_per_game": actions / games,
        "engine_us_per_action": per_action * 1e6,
        "baseline_us_state_encode": baseline * 1e6,
        "ratio_action_to_encode": per_action / baseline,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    header = f"{'scenario':<28}{'engine ms/game':>15}{'games/s':>9}{'actions':>9}"
    print(header + f"{'µs/action':>11}{'encode µs':>11}{'ratio':>7}")
    for name in list_scenarios():
        r = bench_scenario(name, args.games, args.seed)
        print(
            f"{name:<28}{r['engine_ms_per_game_median']:>15.1f}{r['wall_games_per_second']:>9.1f}"
            f"{r['actions_per_game']:>9.0f}{r['engine_us_per_action']:>11.1f}"
            f"{r['baseline_us_state_encode']:>11.1f}{r['ratio_action_to_encode']:>7.2f}"
        )


if __name__ == "__main__":
    main()
