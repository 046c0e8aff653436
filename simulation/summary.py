"""Many seeded games, and what they add up to: adoption, rounds, margins, legitimacy, scores."""

from __future__ import annotations

import hashlib
import os
import statistics
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from game_rules import Scenario, epilogue, legitimacy, new_game, scores
from game_rules.standings import standings
from game_rules.state import VoteRecord
from game_rules.voting import side_issue_outlook
from simulation.play import PlayedGame, play_game
from simulation.tally import format_tally, merge, tally_actions, tally_events


def default_workers() -> int:
    """Processes to play games in: the machine's cores, up to four."""
    return max(1, min(4, os.cpu_count() or 1))


def game_seed(seed: int, index: int) -> int:
    """The seed of game `index` in a run seeded `seed`: runs with nearby seeds do not overlap."""
    digest = hashlib.sha256(f"normarena:{seed}:{index}".encode()).digest()
    return int.from_bytes(digest[:6], "big")


def vote_margin(scenario: Scenario, vote: VoteRecord) -> float:
    """How far the yes share of votes cast was above (or below) what the rule needs."""
    cast = vote.yes + vote.no
    share = vote.yes / cast if cast else 0.0
    needed = {
        "consensus": scenario.rules.consensus_threshold,
        "two_thirds": 2 / 3,
        "security_council": scenario.rules.council_majority / 15,
    }[scenario.decision_rule]
    return share - needed


@dataclass(frozen=True)
class GameRow:
    """One game's result: a line of the CSV."""

    index: int
    seed: int
    outcome: str
    adopted: bool
    rounds: int
    votes: int
    margin: float | None
    adopting_ripeness: float | None
    lost_to_politicisation: float
    legitimacy: float
    depth: float | None
    scores: dict[str, float]
    lineup: dict[str, str]
    standings: dict[str, float] = field(default_factory=dict)  # score / the best the seat could reach
    ripeness_shift: float = 0.0
    side_issues_moved: int = 0  # side issues whose result differs from their outlook at the start
    tally: dict[str, Any] = field(default_factory=dict)

    def csv_row(self, seats: list[str]) -> list[Any]:
        return [
            self.index,
            self.seed,
            self.outcome,
            int(self.adopted),
            self.rounds,
            self.votes,
            "" if self.margin is None else f"{self.margin:.4f}",
            f"{self.lost_to_politicisation:.4f}",
            f"{self.legitimacy:.4f}",
            "" if self.depth is None else f"{self.depth:.4f}",
            f"{self.ripeness_shift:.4f}",
            self.side_issues_moved,
            self.tally.get("pledges", 0),
            self.tally.get("pledges_broken", 0),
            self.tally.get("offers", 0),
            *(f"{self.scores[s]:.4f}" for s in seats),
        ]


def csv_header(seats: list[str]) -> list[str]:
    return [
        "game",
        "seed",
        "outcome",
        "adopted",
        "rounds",
        "votes",
        "final_margin",
        "lost_to_politicisation",
        "legitimacy",
        "depth",
        "ripeness_shift",
        "side_issues_moved",
        "pledges",
        "pledges_broken",
        "offers",
        *(f"score_{s}" for s in seats),
    ]


def summarise_game(scenario: Scenario, index: int, seed: int, lineup: dict[str, str], game: PlayedGame) -> GameRow:
    state = game.state
    final = state.votes[-1] if state.votes else None
    ending = epilogue(scenario, state)
    start = side_issue_outlook(scenario, new_game(scenario, seed).side_leans)
    moved = sum(state.side_issue_results.get(issue) != result for issue, result in start.items())
    return GameRow(
        index=index,
        seed=seed,
        outcome=state.outcome,
        adopted=state.outcome == "adopted",
        rounds=state.round,
        votes=len(state.votes),
        margin=None if final is None else vote_margin(scenario, final),
        adopting_ripeness=next((v.ripeness for v in state.votes if v.adopted), None),
        lost_to_politicisation=sum(v.lost_to_politicisation for v in state.votes),
        legitimacy=legitimacy(scenario, state),
        depth=None if ending is None else ending.depth,
        scores={k: v.score for k, v in scores(scenario, state).items()},
        lineup=dict(lineup),
        standings=standings(scenario, state),
        ripeness_shift=state.ripeness_shift,
        side_issues_moved=moved,
        tally={
            **tally_events(game.events),
            **tally_actions(game.log),
            "max_ripeness": max((h.ripeness for h in state.history), default=0.0),
        },
    )


def _play_one(job: tuple[Scenario, int, int, dict[str, str], tuple[str, ...]]) -> GameRow:
    scenario, index, seed, lineup, ablations = job
    game = play_game(scenario, seed, lineup, ablations)
    return summarise_game(scenario, index, seed, lineup, game)


def run_games(
    scenario: Scenario,
    games: int,
    seed: int,
    lineup_for: Callable[[int], dict[str, str]],
    ablations: tuple[str, ...] = (),
    workers: int = 1,
) -> Iterator[GameRow]:
    """Play `games` seeded games, in order; `lineup_for(index)` says which bot sits where.

    With several workers the games run in parallel processes; every game depends only on
    its own seed, so the rows are the same, in the same order, whatever the number."""
    jobs = [(scenario, i, game_seed(seed, i), lineup_for(i), ablations) for i in range(games)]
    if workers <= 1 or games < 2:
        yield from map(_play_one, jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_play_one, jobs, chunksize=max(1, min(16, games // (4 * workers))))


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 4) if values else None


def summarise(scenario: Scenario, rows: list[GameRow], seed: int, ablations: tuple[str, ...]) -> dict[str, Any]:
    """The run's summary: the same numbers printed as text or as one JSON object."""
    seats = list(scenario.seat_ids)
    margins = [r.margin for r in rows if r.margin is not None]
    depths = [r.depth for r in rows if r.depth is not None]
    firsts = {s: 0 for s in seats}
    for row in rows:
        best = max(seats, key=lambda s: (row.scores[s], -seats.index(s)))
        firsts[best] += 1
    bots = sorted({name for r in rows for name in r.lineup.values()})
    return {
        "scenario": scenario.id,
        "games": len(rows),
        "seed": seed,
        "ablations": list(ablations),
        "adoption_rate": round(sum(r.adopted for r in rows) / len(rows), 4) if rows else None,
        "outcomes": {o: sum(r.outcome == o for r in rows) for o in sorted({r.outcome for r in rows})},
        "rounds_played": {
            "mean": _mean([float(r.rounds) for r in rows]),
            "min": min((r.rounds for r in rows), default=None),
            "max": max((r.rounds for r in rows), default=None),
        },
        "votes_held": _mean([float(r.votes) for r in rows]),
        "final_vote_margin": {"mean": _mean(margins), "votes": len(margins)},
        "votes_lost_to_politicisation": _mean([r.lost_to_politicisation for r in rows]),
        "legitimacy": _mean([r.legitimacy for r in rows]),
        "implementation_depth": _mean(depths),
        "mean_score": {s: _mean([r.scores[s] for r in rows]) for s in seats},
        "first_place_share": {s: round(firsts[s] / len(rows), 4) if rows else None for s in seats},
        "mean_score_by_bot": {b: _mean([r.scores[s] for r in rows for s in seats if r.lineup[s] == b]) for b in bots},
        "side_issues_moved_share": round(sum(r.side_issues_moved > 0 for r in rows) / len(rows), 4) if rows else None,
        **{k: v for k, v in merge(r.tally for r in rows).items() if k not in ("actions", "orders", "spoil_modes")},
    }


def format_summary(summary: dict[str, Any], seat_names: dict[str, str]) -> str:
    """The summary as a short report for a terminal."""
    lines = [
        f"Scenario {summary['scenario']}: {summary['games']} games, seed {summary['seed']}"
        + (f", ablated: {', '.join(summary['ablations'])}" if summary["ablations"] else ""),
        f"  adoption rate         {summary['adoption_rate']:.1%}",
        "  outcomes              " + ", ".join(f"{k or 'none'} {v}" for k, v in summary["outcomes"].items()),
        f"  rounds played         mean {summary['rounds_played']['mean']}, "
        f"min {summary['rounds_played']['min']}, max {summary['rounds_played']['max']}",
        f"  votes held per game   {summary['votes_held']}",
        f"  final vote margin     {_fmt(summary['final_vote_margin']['mean'], '+.3f')} "
        f"(over {summary['final_vote_margin']['votes']} games with a vote)",
        f"  votes lost to politicisation per game  {_fmt(summary['votes_lost_to_politicisation'], '.2f')}",
        f"  legitimacy            {_fmt(summary['legitimacy'], '.1f')}",
        f"  implementation depth  {_fmt(summary['implementation_depth'], '.1f')} (adopted games)",
        f"  side issues moved     {_fmt(summary['side_issues_moved_share'], '.1%')} of games "
        "(a result unlike the outlook at the start)",
        *format_tally(summary, summary["games"] or 1),
        "  mean score per seat (first place share):",
    ]
    width = max(len(n) for n in seat_names.values())
    for seat, score in summary["mean_score"].items():
        lines.append(
            f"    {seat_names[seat]:<{width}}  {_fmt(score, '6.2f')}  ({summary['first_place_share'][seat]:.1%})"
        )
    lines.append("  mean score per bot:")
    for bot, score in summary["mean_score_by_bot"].items():
        lines.append(f"    {bot:<{width}}  {_fmt(score, '6.2f')}")
    return "\n".join(lines)


def _fmt(value: float | None, spec: str) -> str:
    return "n/a" if value is None else format(value, spec)
