"""A scenario: the immutable description of one norm process, read from a validated data file.

Everything numeric that shapes play (costs, effect sizes, thresholds, schedules) lives here,
in `Rules`, and comes from the scenario file merged over `scenarios/defaults.toml`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

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
    failed_vote_credibility: int
    failed_vote_goodwill: float
    side_issue_default_lean: float
    side_issue_seat_pull: float
    side_issue_jitter: float
    side_issue_lobby_lean: float
    council_majority: int
    ownership_disposition_pivot: float
    disposition_bands: tuple[float, float, float]
    low_ripeness_shift: float
    agency_turf_share: float
    depth_weight_pooled: float
    depth_weight_turf: float
    depth_weight_text: float
    depth_skin_deep_below: float
    depth_deep_from: float


@dataclass(frozen=True)
class ScoreWeights:
    text: float
    side_issues: float
    credibility: float
    alliance: float
    goals: float


Clock = Literal["classroom", "distance"]
PHASE_CLOCKS = ("negotiate", "act", "vote")


@dataclass(frozen=True)
class Scenario:
    """One norm process: provisions, seats, the world around them, and the rules' numbers.

    `clocks` suggests seconds per phase for each clock (`clocks["classroom"]["negotiate"]`);
    `minutes` is the suggested length of a class, reading and debrief included."""

    id: str
    title: str
    period: str
    summary: str
    brief: str
    discussion_questions: tuple[str, ...]
    clocks: Mapping[str, Mapping[str, float]]
    minutes: int
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
