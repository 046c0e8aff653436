"""A scenario: the immutable description of one norm process, read from a validated data file.

Everything numeric that shapes play (costs, effect sizes, thresholds, schedules) lives here,
in `Rules`, and comes from the scenario file merged over `scenarios/defaults.toml`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

SeatKind = Literal["state", "agency", "ngo", "think_tank"]
SEAT_KINDS: tuple[SeatKind, ...] = ("state", "agency", "ngo", "think_tank")
DecisionRule = Literal["consensus", "two_thirds", "security_council"]
BlocVisibility = Literal["exact", "band", "hidden"]


@dataclass(frozen=True)
class Provision:
    """One clause of the draft: an ordered list of wordings, 0 meaning absent."""

    id: str
    name: str
    levels: tuple[str, ...]
    start: int

    @property
    def top(self) -> int:
        return len(self.levels) - 1


@dataclass(frozen=True)
class Preferences:
    """Ideal level and weight per provision: how a seat, bloc or constituency judges a text."""

    ideal: Mapping[str, int]
    weights: Mapping[str, float]


@dataclass(frozen=True)
class Bloc:
    """Member states without a seat, voting together (a UN regional group, say)."""

    id: str
    name: str
    votes: int
    attitude: float
    ownership: float
    preferences: Preferences
    council_seats: int = 0


@dataclass(frozen=True)
class Constituency:
    """A group that does not vote but whose ownership feeds legitimacy."""

    id: str
    name: str
    ownership: float
    weight: float


@dataclass(frozen=True)
class Venue:
    """A place for regional consultations and the blocs and constituencies it reaches."""

    id: str
    name: str
    blocs: tuple[str, ...]
    constituencies: tuple[str, ...]


@dataclass(frozen=True)
class SideIssue:
    """Something states trade votes for, decided at the formal session."""

    id: str
    name: str
    bloc_lean: Mapping[str, float]


@dataclass(frozen=True)
class Goal:
    """A seat-specific goal, e.g. adopted with African Group ownership of at least 60."""

    kind: Literal[
        "ownership_at_least",
        "provision_at_least",
        "provision_at_most",
        "side_issue",
        "adopted",
        "not_adopted",
        "legitimacy_at_least",
    ]
    target: str = ""
    value: float = 0.0
    text: str = ""


@dataclass(frozen=True)
class Resources:
    capital: int
    funds: int
    expertise: int
    credibility: int


@dataclass(frozen=True)
class SeatSpec:
    """A seat as the scenario sets it up; its live numbers are in `SeatState`."""

    id: str
    name: str
    kind: SeatKind
    bloc: str | None
    votes: bool
    veto: bool
    council: bool
    resources: Resources
    capital_regen: int
    staff: int
    preferences: Preferences
    failure_value: float
    side_stakes: Mapping[str, float]
    turf: Mapping[str, int]
    goals: tuple[Goal, ...]
    role_sheet: str


@dataclass(frozen=True)
class Effects:
    """What an event changes. Keys of the maps are bloc, constituency, seat or provision ids;
    the key "*" means every bloc (or constituency)."""

    ripeness: float = 0.0
    ownership: Mapping[str, float] = field(default_factory=dict)
    goodwill: Mapping[str, float] = field(default_factory=dict)
    politicisation: Mapping[str, float] = field(default_factory=dict)
    credibility: Mapping[str, int] = field(default_factory=dict)
    capital: Mapping[str, int] = field(default_factory=dict)
    funds: Mapping[str, int] = field(default_factory=dict)
    expertise: Mapping[str, int] = field(default_factory=dict)
    provisions: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class EventCard:
    id: str
    title: str
    text: str
    effects: Effects
    round: int = 0
    weight: float = 1.0


@dataclass(frozen=True)
class Rules:
    """The scenario's constants. Every number the engine uses comes from here."""

    message_max_chars: int
    capital_cap: int
    study_min_funds: int
    study_expertise: int
    study_funds_per_extra_expertise: int
    study_ripeness: float
    panel_cost_funds: int
    panel_min_kinds: int
    panel_ripeness: float
    panel_expertise: int
    consultation_cost_funds: int
    consultation_ownership: float
    consultation_goodwill: float
    consultation_expertise_bonus: float
    consultation_max_expertise: int
    span_bonus: float
    trial_balloon_credibility: int
    second_cost_funds: int
    second_expertise: int
    link_discount: float
    link_discount_max: float
    link_persuasion: float
    table_cost_capital: int
    amendment_cost_capital: int
    amendment_cost_expertise: int
    lobby_cost_capital: int
    lobby_goodwill: float
    seat_lobby_share: float
    spoil_cost_capital: int
    spoil_exposure_base: float
    spoil_exposure_per_link: float
    spoil_exposure_credibility: int
    call_cost_capital: int
    formal_politicisation: float
    politicisation_ownership_pivot: float
    politicisation_decay: float
    goodwill_decay: float
    disposition_utility_scale: float
    politicisation_weight: float
    ownership_disposition_weight: float
    yes_share_low: float
    yes_share_high: float
    consensus_threshold: float
    pledge_break_credibility: int
    random_event_chance: float
    ripeness_decay_after_schedule: float
    ripeness_boost_decay: float
    ripeness_boost_max: float
    pooled_fund_target: int
    alliance_bonus: float
    platform_tolerance: int
    grant_amounts: tuple[int, ...]
    offer_amounts: tuple[int, ...]


@dataclass(frozen=True)
class ScoreWeights:
    text: float
    side_issues: float
    credibility: float
    alliance: float
    goals: float


@dataclass(frozen=True)
class Scenario:
    """One norm process: provisions, seats, the world around them, and the rules' numbers."""

    id: str
    title: str
    period: str
    summary: str
    brief: str
    decision_rule: DecisionRule
    rounds: int
    ripeness_threshold: float
    ripeness_floor: float
    ripeness_schedule: tuple[float, ...]
    ripeness_jitter: float
    bloc_visibility: BlocVisibility
    provisions: tuple[Provision, ...]
    blocs: tuple[Bloc, ...]
    constituencies: tuple[Constituency, ...]
    venues: tuple[Venue, ...]
    side_issues: tuple[SideIssue, ...]
    seats: tuple[SeatSpec, ...]
    links: tuple[tuple[str, str], ...]
    scripted_events: tuple[EventCard, ...]
    event_table: tuple[EventCard, ...]
    rules: Rules
    score_weights: ScoreWeights

    _seats_by_id: dict[str, SeatSpec] = field(init=False, repr=False, compare=False)
    _provisions_by_id: dict[str, Provision] = field(init=False, repr=False, compare=False)
    _blocs_by_id: dict[str, Bloc] = field(init=False, repr=False, compare=False)
    _venues_by_id: dict[str, Venue] = field(init=False, repr=False, compare=False)
    tops: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Built once when the scenario loads, so every lookup in the hot path is a dict hit.
        object.__setattr__(self, "_seats_by_id", {s.id: s for s in self.seats})
        object.__setattr__(self, "_provisions_by_id", {p.id: p for p in self.provisions})
        object.__setattr__(self, "_blocs_by_id", {b.id: b for b in self.blocs})
        object.__setattr__(self, "_venues_by_id", {v.id: v for v in self.venues})
        object.__setattr__(self, "tops", {p.id: max(1, p.top) for p in self.provisions})

    def seat(self, seat_id: str) -> SeatSpec:
        """The seat with this id (KeyError if the scenario has none)."""
        return self._seats_by_id[seat_id]

    def provision(self, provision_id: str) -> Provision:
        """The provision with this id (KeyError if none)."""
        return self._provisions_by_id[provision_id]

    def bloc(self, bloc_id: str) -> Bloc:
        """The bloc with this id (KeyError if none)."""
        return self._blocs_by_id[bloc_id]

    def venue(self, venue_id: str) -> Venue:
        """The venue with this id (KeyError if none)."""
        return self._venues_by_id[venue_id]

    def has_seat(self, seat_id: str) -> bool:
        return seat_id in self._seats_by_id

    @property
    def seat_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.seats)


def _preferences(raw: Mapping[str, Any]) -> Preferences:
    ideal = {k: int(v) for k, v in raw.get("ideal", {}).items()}
    weights = {k: float(raw.get("weights", {}).get(k, 1.0)) for k in ideal}
    return Preferences(ideal=ideal, weights=weights)


def _effects(raw: Mapping[str, Any]) -> Effects:
    return Effects(
        ripeness=float(raw.get("ripeness", 0.0)),
        ownership={k: float(v) for k, v in raw.get("ownership", {}).items()},
        goodwill={k: float(v) for k, v in raw.get("goodwill", {}).items()},
        politicisation={k: float(v) for k, v in raw.get("politicisation", {}).items()},
        credibility={k: int(v) for k, v in raw.get("credibility", {}).items()},
        capital={k: int(v) for k, v in raw.get("capital", {}).items()},
        funds={k: int(v) for k, v in raw.get("funds", {}).items()},
        expertise={k: int(v) for k, v in raw.get("expertise", {}).items()},
        provisions={k: int(v) for k, v in raw.get("provisions", {}).items()},
    )


def _event(raw: Mapping[str, Any]) -> EventCard:
    return EventCard(
        id=raw["id"],
        title=raw["title"],
        text=raw["text"],
        effects=_effects(raw.get("effects", {})),
        round=int(raw.get("round", 0)),
        weight=float(raw.get("weight", 1.0)),
    )


def _seat(raw: Mapping[str, Any]) -> SeatSpec:
    res = raw["resources"]
    objectives = raw["objectives"]
    return SeatSpec(
        id=raw["id"],
        name=raw["name"],
        kind=raw["kind"],
        bloc=raw.get("bloc"),
        votes=bool(raw.get("votes", raw["kind"] == "state")),
        veto=bool(raw.get("veto", False)),
        council=bool(raw.get("council", False)),
        resources=Resources(
            capital=int(res["capital"]),
            funds=int(res["funds"]),
            expertise=int(res["expertise"]),
            credibility=int(res["credibility"]),
        ),
        capital_regen=int(res["capital_regen"]),
        staff=int(res["staff"]),
        preferences=_preferences(objectives),
        failure_value=float(objectives["failure"]),
        side_stakes={k: float(v) for k, v in objectives.get("side_stakes", {}).items()},
        turf={k: int(v) for k, v in objectives.get("turf", {}).items()},
        goals=tuple(
            Goal(
                kind=g["kind"],
                target=str(g.get("target", "")),
                value=float(g.get("value", 0.0)),
                text=str(g.get("text", "")),
            )
            for g in objectives.get("goals", [])
        ),
        role_sheet=raw["role_sheet"],
    )


def scenario_from_mapping(raw: Mapping[str, Any]) -> Scenario:
    """Build a Scenario from a parsed, schema-valid mapping (defaults already merged)."""
    ripeness = raw["ripeness"]
    rules = dict(raw["rules"])
    rules["grant_amounts"] = tuple(int(x) for x in rules["grant_amounts"])
    rules["offer_amounts"] = tuple(int(x) for x in rules["offer_amounts"])
    return Scenario(
        id=raw["id"],
        title=raw["title"],
        period=raw.get("period", ""),
        summary=raw["summary"],
        brief=raw["brief"],
        decision_rule=raw["decision_rule"],
        rounds=int(raw["rounds"]),
        ripeness_threshold=float(ripeness["threshold"]),
        ripeness_floor=float(ripeness["floor"]),
        ripeness_schedule=tuple(float(x) for x in ripeness["schedule"]),
        ripeness_jitter=float(ripeness.get("jitter", 0.0)),
        bloc_visibility=raw.get("bloc_visibility", "band"),
        provisions=tuple(
            Provision(id=p["id"], name=p["name"], levels=tuple(p["levels"]), start=int(p["start"]))
            for p in raw["provisions"]
        ),
        blocs=tuple(
            Bloc(
                id=b["id"],
                name=b["name"],
                votes=int(b["votes"]),
                attitude=float(b["attitude"]),
                ownership=float(b["ownership"]),
                preferences=_preferences(b),
                council_seats=int(b.get("council_seats", 0)),
            )
            for b in raw["blocs"]
        ),
        constituencies=tuple(
            Constituency(
                id=c["id"],
                name=c["name"],
                ownership=float(c["ownership"]),
                weight=float(c.get("weight", 1.0)),
            )
            for c in raw.get("constituencies", [])
        ),
        venues=tuple(
            Venue(
                id=v["id"],
                name=v["name"],
                blocs=tuple(v.get("blocs", [])),
                constituencies=tuple(v.get("constituencies", [])),
            )
            for v in raw["venues"]
        ),
        side_issues=tuple(
            SideIssue(
                id=s["id"],
                name=s["name"],
                bloc_lean={k: float(v) for k, v in s.get("bloc_lean", {}).items()},
            )
            for s in raw.get("side_issues", [])
        ),
        seats=tuple(_seat(s) for s in raw["seats"]),
        links=tuple((ln["seats"][0], ln["seats"][1]) for ln in raw.get("links", [])),
        scripted_events=tuple(_event(e) for e in raw.get("events", [])),
        event_table=tuple(_event(e) for e in raw.get("event_table", [])),
        rules=Rules(**rules),
        score_weights=ScoreWeights(**raw["score_weights"]),
    )
