"""Engine speed: whole bot games per second and microseconds per applied action, per scenario.

    python3 bench/engine.py [--games N] [--seed S]

Two engine times per game, both without the bots' own thinking: the reducer (`apply` and
`close_phase`: the game itself) and the queries bots make before every move (`legal_actions`
and `view`). The baseline, measured in the same run, is one msgpack encoding of the game's
final state, which a server does at least once per action: ratios against it travel between
machines better than seconds do.
"""

from __future__ import annotations

import argparse
import statistics
import time

import msgpack

from bots import parse_lineup
from game_rules import GameState, to_plain
from scenarios import list_scenarios, load_scenario
from simulation.play import play_game
from simulation.summary import game_seed


def encode_baseline(state: GameState, repeat: int = 200) -> float:
    """Seconds for one msgpack encoding of a state, best of five runs."""
    best = float("inf")
    for _ in range(5):
        began = time.perf_counter()
        for _ in range(repeat):
            msgpack.packb(to_plain(state))
        best = min(best, (time.perf_counter() - began) / repeat)
    return best


def bench_scenario(name: str, games: int, seed: int) -> dict[str, float]:
    """Play `games` seeded games of a scenario between the reference bots and time them."""
    scenario = load_scenario(name)
    lineup = parse_lineup("auto", scenario)
    play_game(scenario, seed, lineup)  # warm the caches before timing
    reducer, queries, wall = [], [], []
    actions = 0
    state = None
    for index in range(games):
        began = time.perf_counter()
        game = play_game(scenario, game_seed(seed, index), lineup)
        wall.append(time.perf_counter() - began)
        reducer.append(game.reducer_seconds)
        queries.append(game.query_seconds)
        actions += game.actions
        state = game.state
    assert state is not None
    baseline = encode_baseline(state)
    per_action = sum(reducer) / max(1, actions)
    return {
        "reducer_ms": statistics.median(reducer) * 1000,
        "queries_ms": statistics.median(queries) * 1000,
        "games_per_second": games / sum(wall),
        "actions": actions / games,
        "us_per_action": per_action * 1e6,
        "encode_us": baseline * 1e6,
        "ratio": per_action / baseline,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--games", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    columns = (
        "scenario",
        "reducer ms/game",
        "queries ms/game",
        "games/s",
        "actions",
        "µs/action",
        "encode µs",
        "ratio",
    )
    print(f"{columns[0]:<27}" + "".join(f"{c:>16}" for c in columns[1:]))
    for name in list_scenarios():
        r = bench_scenario(name, args.games, args.seed)
        cells = (r["reducer_ms"], r["queries_ms"], r["games_per_second"], r["actions"], r["us_per_action"])
        print(f"{name:<27}" + "".join(f"{c:>16.1f}" for c in cells) + f"{r['encode_us']:>16.1f}{r['ratio']:>16.2f}")


if __name__ == "__main__":
    main()
