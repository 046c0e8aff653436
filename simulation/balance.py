"""The balance of a scenario, measured: adoption by quartile of the hidden ripeness draw, each
seat's first-place share, votes by cause, side issues moved by play, character bots against
the random bot, and the hasty sponsor against the entrepreneur in its seat.

One `Balance` per scenario plays three seeded runs of the same games (the reference lineup;
the random bot rotating through the seats; the hasty bot in the sponsor's seat) and is what
both the balance tests and `python3 -m simulation.balance_report` read.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from bots import parse_lineup
from game_rules import Scenario
from scenarios import load_scenario
from simulation.summary import GameRow, default_workers, run_games
from simulation.tally import VOTE_CAUSES, merge

BALANCE_GAMES = 300
BALANCE_SEED = 2026
FIDELITY_SCENARIO = "integrated-missions"
FIDELITY_GAMES = 200  # per ablated mechanic, compared with the reference run's first games
FIDELITY_ABLATIONS = ("consultations", "cross_kind_alliances", "low_ripeness", "horse_trading")


def sponsor_seat(scenario: Scenario, lineup: dict[str, str]) -> str:
    """The seat the hasty bot takes: the first state the reference lineup plays as an
    entrepreneur (the one that tables and calls), else the first voting state."""
    states = [s.id for s in scenario.seats if s.kind == "state" and s.votes]
    return next((s for s in states if lineup[s] == "entrepreneur"), states[0])


def first_places(rows: list[GameRow], key: Callable[[GameRow], dict[str, float]]) -> dict[str, float]:
    """The share of games each seat ranks first in (ties go to the seat listed first)."""
    seats = list(rows[0].scores)
    firsts = dict.fromkeys(seats, 0)
    for row in rows:
        values = key(row)
        firsts[max(seats, key=lambda s: (values[s], -seats.index(s)))] += 1
    return {s: firsts[s] / len(rows) for s in seats}


def quartiles(rows: list[GameRow]) -> list[list[GameRow]]:
    """The games in four equal groups by their hidden ripeness draw, lowest first."""
    ordered = sorted(rows, key=lambda r: (r.ripeness_shift, r.index))
    size = len(ordered) / 4
    return [ordered[round(i * size) : round((i + 1) * size)] for i in range(4)]


def adoption(rows: list[GameRow]) -> float:
    return sum(r.adopted for r in rows) / len(rows) if rows else 0.0


@dataclass
class Balance:
    """The measured balance of one scenario over `games` seeded games."""

    name: str
    games: int = BALANCE_GAMES
    seed: int = BALANCE_SEED
    workers: int = field(default_factory=default_workers)

    @cached_property
    def scenario(self) -> Scenario:
        return load_scenario(self.name)

    @cached_property
    def lineup(self) -> dict[str, str]:
        return parse_lineup("auto", self.scenario)

    @cached_property
    def sponsor(self) -> str:
        return sponsor_seat(self.scenario, self.lineup)

    def _run(self, lineup_for: Callable[[int], dict[str, str]]) -> list[GameRow]:
        return list(run_games(self.scenario, self.games, self.seed, lineup_for, workers=self.workers))

    @cached_property
    def reference(self) -> list[GameRow]:
        """The games with each seat played by the character that fits it."""
        return self._run(lambda _: self.lineup)

    @cached_property
    def with_random(self) -> list[GameRow]:
        """The same games with the random bot in seat i mod n of game i."""
        seats = list(self.scenario.seat_ids)
        return self._run(lambda i: {**self.lineup, seats[i % len(seats)]: "random"})

    @cached_property
    def with_hasty(self) -> list[GameRow]:
        """The same games with the hasty bot (table at once, call every round) as the sponsor."""
        return self._run(lambda _: {**self.lineup, self.sponsor: "hasty"})

    # --- what the goals read -------------------------------------------------------------

    @cached_property
    def adoption(self) -> float:
        return adoption(self.reference)

    @cached_property
    def adoption_by_quartile(self) -> list[float]:
        return [adoption(q) for q in quartiles(self.reference)]

    @cached_property
    def first_place(self) -> dict[str, float]:
        """First-place shares by standing: each seat's score against the best it could reach."""
        return first_places(self.reference, lambda r: r.standings)

    @cached_property
    def first_place_by_score(self) -> dict[str, float]:
        return first_places(self.reference, lambda r: r.scores)

    @cached_property
    def votes_by_cause(self) -> dict[str, int]:
        causes: dict[str, int] = merge(r.tally for r in self.reference).get("votes_by_cause", {})
        return {c: causes.get(c, 0) for c in VOTE_CAUSES}

    @cached_property
    def side_issues_moved(self) -> float:
        """The share of games in which a side issue ended otherwise than its outlook at the start."""
        return sum(r.side_issues_moved > 0 for r in self.reference) / len(self.reference)

    @cached_property
    def character_margin(self) -> dict[str, float]:
        """Per seat: its mean score played by its character less played by the random bot, on the
        same seeds (the games the rotation gives the random bot in that seat). Paired, so the
        dice of those games weigh alike on both sides: against all 300 reference games instead,
        the about 21 random games' own draws moved a seat's margin by up to 7 points."""
        by_index = {r.index: r for r in self.reference}
        out = {}
        for seat in self.scenario.seat_ids:
            random = [r for r in self.with_random if r.lineup[seat] == "random"]
            out[seat] = statistics.fmean(by_index[r.index].scores[seat] - r.scores[seat] for r in random)
        return out

    @cached_property
    def hasty_margin(self) -> float:
        """The sponsor's mean score as the entrepreneur less its mean as the hasty bot, same seeds."""
        entrepreneur = statistics.fmean(r.scores[self.sponsor] for r in self.reference)
        return entrepreneur - statistics.fmean(r.scores[self.sponsor] for r in self.with_hasty)

    @cached_property
    def hasty_adoption(self) -> float:
        return adoption(self.with_hasty)


def ablated_rows(mechanic: str, games: int = FIDELITY_GAMES, seed: int = BALANCE_SEED) -> list[GameRow]:
    """The article's case with one mechanic switched off, on the reference run's first seeds."""
    scenario = load_scenario(FIDELITY_SCENARIO)
    lineup = parse_lineup("auto", scenario)
    return list(run_games(scenario, games, seed, lambda _: lineup, (mechanic,), default_workers()))
