"""Standings: where each seat's score falls between the worst and the best its own objectives
allow, so that seats whose objectives differ can be ranked (who came first) without changing
what any of them scores."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from game_rules.scenario import Goal, Scenario, SeatSpec
from game_rules.scoring import scores
from game_rules.state import GameState
from game_rules.world import text_utility


@dataclass(frozen=True)
class Reach:
    """The lowest and highest score a seat's objectives allow in a scenario, with its starting
    credibility kept: the norm adopted at the worst or best text for it (goals as that text
    makes them), or failing; every side issue lost or won; no alliance bonus, or a full one."""

    worst: float
    best: float


# Per scenario and seat, computed once (the scenario is kept, so its id is not reused).
_REACH: dict[tuple[int, str], tuple[Scenario, Reach]] = {}


def reach(scenario: Scenario, seat: str) -> Reach:
    """The worst and best score this seat can come to in this scenario."""
    cached = _REACH.get((id(scenario), seat))
    if cached is not None and cached[0] is scenario:
        return cached[1]
    spec = scenario.seat(seat)
    w = scenario.score_weights
    total = (w.text + w.side_issues + w.credibility + w.alliance + w.goals) or 1.0
    values = [w.text * _text_value(scenario, spec, levels) for levels in _all_texts(scenario)]
    best_texts = [
        v + w.goals * _goals_met(spec.goals, True, levels, True)
        for v, levels in zip(values, _all_texts(scenario), strict=True)
    ]
    worst_texts = [
        v + w.goals * _goals_met(spec.goals, True, levels, False)
        for v, levels in zip(values, _all_texts(scenario), strict=True)
    ]
    failed_best = w.text * spec.failure_value + w.goals * _goals_met(spec.goals, False, {}, True)
    failed_worst = w.text * spec.failure_value + w.goals * _goals_met(spec.goals, False, {}, False)
    kinds = len({s.kind for s in scenario.seats})
    bonus = w.alliance * min(1.0, scenario.rules.alliance_bonus * kinds / 4.0)
    credibility = w.credibility * spec.resources.credibility / 100.0
    no_stakes = 0.0 if spec.side_stakes else w.side_issues * 0.5
    worst = credibility + no_stakes + min(min(worst_texts), failed_worst)
    best = credibility + (w.side_issues if spec.side_stakes else no_stakes) + max(max(best_texts) + bonus, failed_best)
    found = Reach(worst=100.0 * worst / total, best=100.0 * best / total)
    _REACH[(id(scenario), seat)] = (scenario, found)
    return found


def standings(scenario: Scenario, state: GameState) -> dict[str, float]:
    """Each seat's score placed between the worst (0) and the best (1) its objectives allow
    (`reach`): how well it did by its own lights, comparable across seats."""
    return {seat: placed(scenario, seat, card.score) for seat, card in scores(scenario, state).items()}


def placed(scenario: Scenario, seat: str, score: float) -> float:
    """A seat's score placed between the worst (0) and the best (1) its objectives allow."""
    span = reach(scenario, seat)
    return round((score - span.worst) / max(1e-9, span.best - span.worst), 6)


def _all_texts(scenario: Scenario) -> list[dict[str, int]]:
    return [
        {p.id: level for p, level in zip(scenario.provisions, combo, strict=True)}
        for combo in itertools.product(*(range(p.top + 1) for p in scenario.provisions))
    ]


def _text_value(scenario: Scenario, spec: SeatSpec, levels: dict[str, int]) -> float:
    """What an adopted text is worth to a seat, as `scoring.text_value` computes it."""
    utility = text_utility(spec.preferences, levels, scenario)
    if not spec.turf:
        return utility
    excess = sum(max(0, levels[p] - t) / scenario.tops[p] for p, t in spec.turf.items()) / len(spec.turf)
    share = scenario.rules.agency_turf_share
    return (1.0 - share) * utility + share * (1.0 - excess)


def _goals_met(goals: tuple[Goal, ...], adopted: bool, levels: dict[str, int], played_well: bool) -> float:
    """The share of goals this outcome (and text, if adopted) meets; goals that play decides
    (ownership, legitimacy, a side issue) count as met if `played_well`, where the outcome
    allows them."""
    if not goals:
        return 0.5
    met = 0
    for goal in goals:
        if goal.kind == "not_adopted":
            met += not adopted
        elif goal.kind == "provision_at_least":
            met += adopted and levels[goal.target] >= goal.value
        elif goal.kind == "provision_at_most":
            met += not adopted or levels[goal.target] <= goal.value
        elif goal.kind == "side_issue":
            met += played_well
        elif goal.kind == "adopted":
            met += adopted
        else:
            met += adopted and played_well
    return met / len(goals)
