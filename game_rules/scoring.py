"""Scores (0 to 100 per seat), legitimacy, and the implementation epilogue (RULES.md §9-10)."""

from __future__ import annotations

from dataclasses import dataclass

from game_rules.negotiation import alliance_span
from game_rules.scenario import Goal, Scenario, SeatSpec
from game_rules.state import GameState
from game_rules.world import legitimacy, text_utility


@dataclass(frozen=True)
class ScoreCard:
    """A seat's score and the parts it is made of, each 0 to 1."""

    seat: str
    score: float
    text: float
    side_issues: float
    credibility: float
    alliance: float
    goals: float


@dataclass(frozen=True)
class Epilogue:
    """How deep an adopted norm goes: 'skin deep' without funding attached."""

    depth: float
    label: str
    pooled_funding: float
    turf_satisfaction: float
    watered_down: float


def is_adopted(state: GameState) -> bool:
    return state.outcome == "adopted"


def turf_satisfaction(scenario: Scenario, state: GameState, spec: SeatSpec) -> float:
    """1 when no provision goes beyond the level an agency's turf tolerates."""
    if not spec.turf:
        return 1.0
    excess = 0.0
    for provision_id, tolerated in spec.turf.items():
        top = scenario.provision(provision_id).top or 1
        excess += max(0, state.levels[provision_id] - tolerated) / top
    return 1.0 - excess / len(spec.turf)


def text_value(scenario: Scenario, state: GameState, spec: SeatSpec) -> float:
    """What the outcome is worth to a seat: its utility for the adopted text (with its turf,
    for an agency), or what failure of the norm is worth to it."""
    if not is_adopted(state):
        return spec.failure_value
    utility = text_utility(spec.preferences, state.levels, scenario)
    if spec.turf:
        share = scenario.rules.agency_turf_share
        return (1.0 - share) * utility + share * turf_satisfaction(scenario, state, spec)
    return utility


def _side_value(state: GameState, spec: SeatSpec) -> float:
    total = sum(abs(v) for v in spec.side_stakes.values())
    if not total:
        return 0.5
    won = 0.0
    for issue, stake in spec.side_stakes.items():
        result = state.side_issue_results.get(issue)
        if result is None:
            won += abs(stake) * 0.5
        elif result == (stake > 0):
            won += abs(stake)
    return won / total


def _alliance_value(scenario: Scenario, state: GameState, seat: str) -> float:
    """The norm-entrepreneur bonus: a member of an alliance whose platform the adopted text meets."""
    if not is_adopted(state):
        return 0.0
    best = 0.0
    tolerance = scenario.rules.platform_tolerance
    for alliance in state.alliances.values():
        if seat not in alliance.members or not alliance.platform:
            continue
        met = all(abs(state.levels[p] - level) <= tolerance for p, level in alliance.platform.items())
        if met:
            span = alliance_span(scenario, alliance)
            best = max(best, min(1.0, scenario.rules.alliance_bonus * span / 4.0))
    return best


def goal_met(scenario: Scenario, state: GameState, goal: Goal) -> bool:
    """Whether a seat-specific goal holds at the end of the game."""
    adopted = is_adopted(state)
    if goal.kind == "adopted":
        return adopted
    if goal.kind == "not_adopted":
        return not adopted
    if goal.kind == "ownership_at_least":
        if goal.target in state.blocs:
            owned = state.blocs[goal.target].ownership
        else:
            owned = state.constituencies.get(goal.target, 0.0)
        return adopted and owned >= goal.value
    if goal.kind == "provision_at_least":
        return adopted and state.levels[goal.target] >= goal.value
    if goal.kind == "provision_at_most":
        return not adopted or state.levels[goal.target] <= goal.value
    if goal.kind == "side_issue":
        return state.side_issue_results.get(goal.target) == (goal.value > 0)
    if goal.kind == "legitimacy_at_least":
        return adopted and legitimacy(scenario, state) >= goal.value
    return False


def score_card(scenario: Scenario, state: GameState, seat: str) -> ScoreCard:
    """The seat's score now (final once the game has ended)."""
    spec = scenario.seat(seat)
    weights = scenario.score_weights
    parts = {
        "text": text_value(scenario, state, spec),
        "side_issues": _side_value(state, spec),
        "credibility": state.seats[seat].credibility / 100.0,
        "alliance": _alliance_value(scenario, state, seat),
        "goals": (sum(goal_met(scenario, state, g) for g in spec.goals) / len(spec.goals) if spec.goals else 0.5),
    }
    total_weight = sum(getattr(weights, k) for k in parts) or 1.0
    score = 100.0 * sum(getattr(weights, k) * v for k, v in parts.items()) / total_weight
    return ScoreCard(seat=seat, score=round(score, 4), **{k: round(v, 6) for k, v in parts.items()})


def scores(scenario: Scenario, state: GameState) -> dict[str, ScoreCard]:
    """Every seat's score card, in the scenario's seat order."""
    return {seat: score_card(scenario, state, seat) for seat in scenario.seat_ids}


def epilogue(scenario: Scenario, state: GameState) -> Epilogue | None:
    """The implementation epilogue, or None if the norm was not adopted."""
    if not is_adopted(state):
        return None
    pooled = min(1.0, state.pooled_fund / max(1, scenario.rules.pooled_fund_target))
    agencies = [s for s in scenario.seats if s.turf]
    turf = sum(turf_satisfaction(scenario, state, s) for s in agencies) / len(agencies) if agencies else 1.0
    lost = sum(c.before - c.after for c in state.draft_history if c.via == "hq_loop" and c.after < c.before)
    kept = sum(state.levels.values())
    watered = lost / (lost + kept) if lost + kept else 0.0
    r = scenario.rules
    depth = 100.0 * (
        r.depth_weight_pooled * pooled + r.depth_weight_turf * turf + r.depth_weight_text * (1.0 - watered)
    )
    label = "skin deep" if depth < r.depth_skin_deep_below else "partial" if depth < r.depth_deep_from else "deep"
    return Epilogue(
        depth=round(depth, 4),
        label=label,
        pooled_funding=round(pooled, 6),
        turf_satisfaction=round(turf, 6),
        watered_down=round(watered, 6),
    )
