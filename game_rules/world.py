"""The world no seat plays: blocs' dispositions, politicisation, ripeness, and how a text is judged.

Each formula's shape is fixed by RULES.md §4; every constant comes from `scenario.rules`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from game_rules.scenario import Preferences, Scenario
from game_rules.state import DraftChange, DraftVia, GameState

RipenessBand = Literal["closed", "opening", "ripe"]
DispositionBand = Literal["hostile", "sceptical", "open", "supportive"]
DISPOSITION_BANDS: tuple[DispositionBand, ...] = ("hostile", "sceptical", "open", "supportive")


def clamp(value: float, low: float = 0.0, high: float = 100.0) -> float:
    return low if value < low else high if value > high else value


def text_utility(prefs: Preferences, levels: Mapping[str, int], scenario: Scenario) -> float:
    """How close a text is to these preferences: 1 at the ideal, 0 at the far end of every scale."""
    total = 0.0
    loss = 0.0
    weights, tops = prefs.weights, scenario.tops
    for provision_id, ideal in prefs.ideal.items():
        weight = weights.get(provision_id, 1.0)
        total += weight
        loss += weight * abs(levels[provision_id] - ideal) / tops[provision_id]
    return 1.0 - loss / total if total else 0.5


def disposition(
    scenario: Scenario,
    state: GameState,
    bloc_id: str,
    levels: Mapping[str, int] | None = None,
    politicisation: float | None = None,
) -> float:
    """A bloc's disposition toward the draft (0 to 100): its utility for the text, goodwill
    from lobbying and consultations, ownership, less what politicisation has cost."""
    rules = scenario.rules
    spec = scenario.bloc(bloc_id)
    live = state.blocs[bloc_id]
    utility = text_utility(spec.preferences, levels if levels is not None else state.levels, scenario)
    pol = live.politicisation if politicisation is None else politicisation
    value = (
        spec.attitude
        + (utility - 0.5) * 2.0 * rules.disposition_utility_scale
        + live.goodwill
        + (live.ownership - rules.ownership_disposition_pivot) * rules.ownership_disposition_weight
        - pol * rules.politicisation_weight
    )
    return clamp(value)


def yes_share(scenario: Scenario, disposition_value: float) -> float:
    """The share of a bloc voting yes: a deterministic ramp of its disposition."""
    rules = scenario.rules
    span = rules.yes_share_high - rules.yes_share_low
    return clamp((disposition_value - rules.yes_share_low) / span, 0.0, 1.0)


def baseline_ripeness(scenario: Scenario, state: GameState, round_number: int) -> float:
    """The scenario's schedule for a round; after the schedule ends the window keeps closing."""
    schedule = scenario.ripeness_schedule
    if round_number <= len(schedule):
        base = schedule[max(round_number, 1) - 1]
    else:
        extra = round_number - len(schedule)
        base = schedule[-1] - extra * scenario.rules.ripeness_decay_after_schedule
    if "low_ripeness" in state.ablations:
        base -= scenario.rules.low_ripeness_shift
    return base + state.ripeness_shift


def ripeness(scenario: Scenario, state: GameState) -> float:
    """Ripeness now: the schedule plus what studies, panels and events added."""
    return clamp(baseline_ripeness(scenario, state, state.round) + state.ripeness_boost)


def add_ripeness(scenario: Scenario, state: GameState, amount: float) -> None:
    """Studies, panels and events move ripeness, within `ripeness_boost_max` either way:
    they can open a window a little earlier, not make one."""
    cap = scenario.rules.ripeness_boost_max
    state.ripeness_boost = clamp(state.ripeness_boost + amount, -cap, cap)


def ripeness_band(scenario: Scenario, value: float) -> RipenessBand:
    """What a seat sees of ripeness: closed, opening or ripe."""
    if value >= scenario.ripeness_threshold:
        return "ripe"
    if value < scenario.ripeness_floor:
        return "closed"
    return "opening"


def disposition_band(scenario: Scenario, value: float) -> DispositionBand:
    """What a seat sees of a bloc's disposition (or ownership) when the scenario shows bands."""
    for band, upper in zip(DISPOSITION_BANDS, scenario.rules.disposition_bands, strict=False):
        if value < upper:
            return band
    return DISPOSITION_BANDS[-1]


def move_provision(scenario: Scenario, state: GameState, seat: str, provision: str, delta: int, via: DraftVia) -> bool:
    """Move a provision within its levels and record who moved it and how; False if it could
    not move."""
    top = scenario.provision(provision).top
    before = state.levels[provision]
    after = max(0, min(top, before + delta))
    if after == before:
        return False
    state.levels[provision] = after
    state.draft_history.append(
        DraftChange(round=state.round, seat=seat, provision=provision, before=before, after=after, via=via)
    )
    return True


def politicise(scenario: Scenario, state: GameState, bloc_ids: list[str], scale: float = 1.0) -> None:
    """Formal-arena use raises politicisation in every bloc whose ownership is below the pivot:
    "imposed by the West"."""
    rules = scenario.rules
    pivot = rules.politicisation_ownership_pivot
    for bloc_id in bloc_ids:
        live = state.blocs[bloc_id]
        if live.ownership < pivot:
            rise = rules.formal_politicisation * (pivot - live.ownership) / pivot * scale
            live.politicisation = clamp(live.politicisation + rise)


def span_factor(scenario: Scenario, span: int) -> float:
    """How much a joint action gains from the number of distinct kinds taking part."""
    return 1.0 + scenario.rules.span_bonus * max(0, span - 1)


def legitimacy(scenario: Scenario, state: GameState) -> float:
    """Ownership across every bloc (weighted by votes) and constituency (by weight), 0 to 100."""
    total_votes = sum(b.votes for b in scenario.blocs) or 1
    bloc_weight = float(len(scenario.blocs))
    weighted = sum(state.blocs[b.id].ownership * b.votes / total_votes * bloc_weight for b in scenario.blocs)
    weight = bloc_weight
    for c in scenario.constituencies:
        weighted += state.constituencies[c.id] * c.weight
        weight += c.weight
    return weighted / weight if weight else 0.0
