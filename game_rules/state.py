"""The state of one match: what the game means, plus bookkeeping (round, phase, version).

Records that never change once written (messages, offers, draft changes, round records)
are frozen; containers are copied by `GameState.clone`, which is what keeps `apply` pure
without a slow deep copy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from game_rules.actions import Choice, Order, Pledge, Terms
from game_rules.codec import PLAIN
from game_rules.rng import next_uniform, shuffled, weighted_index

Phase = Literal["lobby", "negotiate", "act", "vote", "ended"]
Outcome = Literal["", "adopted", "window_closed", "round_limit", "ended_by_facilitator"]
OfferStatus = Literal["open", "accepted", "declined", "withdrawn", "expired"]
PledgeStatus = Literal["pending", "kept", "broken", "lapsed"]
VoteCause = Literal["adopted", "unripe", "vetoed", "objection", "short"]
DraftVia = Literal["amendment", "hq_loop", "event"]
_T = TypeVar("_T")
# Where frozen records keep forms made from them (`codec.kept`): their plain form, the view of
# a message (`views._message`), and the public messages and the characters of the window a
# message ends (`views._window_messages`, `negotiation._keep_message`). A record changed by
# `replace` must not carry them over.
WINDOW, WINDOW_CHARS = "_window", "_window_chars"
KEPT_FORMS = (PLAIN, "_view", WINDOW, WINDOW_CHARS)


def replace(obj: _T, **changes: Any) -> _T:
    """A shallow copy of a frozen record with some fields swapped; skips __init__, which `apply`
    calls a lot."""
    new = _copy(obj, changes)
    for name in KEPT_FORMS:
        new.__dict__.pop(name, None)  # what was made from the old record (codec.kept) is not the new one's
    return new


def _copy(obj: _T, changes: dict[str, Any]) -> _T:
    """A shallow copy of a mutable part of the state (which never keeps forms: only frozen
    records do), for `clone`, which every applied action calls on every seat."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    new.__dict__.update(changes)
    return new


@dataclass
class SeatState:
    """A seat's live numbers and its secret business for the current phase. `earmarks` maps
    "donor|purpose|last round" to what is left of an earmarked grant."""

    id: str
    capital: int
    funds: int
    expertise: int
    credibility: int
    seconded_in: int = 0
    seconded_next: int = 0
    done: bool = False
    orders: list[Order] = field(default_factory=list)
    ballot: Choice | None = None
    side_ballots: dict[str, Choice] = field(default_factory=dict)
    earmarks: dict[str, int] = field(default_factory=dict)

    def clone(self) -> SeatState:
        changes = {
            "orders": list(self.orders),
            "side_ballots": dict(self.side_ballots),
            "earmarks": dict(self.earmarks),
        }
        return _copy(self, changes)


@dataclass
class BlocState:
    """A bloc's moving parts; its disposition is derived from them (see `world.disposition`)."""

    id: str
    goodwill: float
    ownership: float
    politicisation: float

    def clone(self) -> BlocState:
        return _copy(self, {})


@dataclass
class Alliance:
    """An informal policy alliance: nothing about it binds."""

    id: str
    name: str
    founder: str
    members: list[str]
    invited: list[str]
    platform: dict[str, int]

    def clone(self) -> Alliance:
        changes = {"members": list(self.members), "invited": list(self.invited), "platform": dict(self.platform)}
        return _copy(self, changes)


@dataclass(frozen=True)
class Message:
    """A message as sent. `audience` is who could read it then (empty: everyone), so a seat
    that joins an alliance later does not read what was said before it came in."""

    number: int
    round: int
    sender: str
    to: str
    text: str
    audience: tuple[str, ...] = ()


@dataclass(frozen=True)
class Offer:
    id: str
    round: int
    sender: str
    recipient: str
    gives: Terms
    gets: Terms
    status: OfferStatus = "open"


@dataclass(frozen=True)
class PledgeRecord:
    """A pledge made by accepting an offer, and whether it was kept. Vote and side-issue
    pledges come due at the final vote; with no vote ever held they lapse."""

    offer: str
    round: int
    pledger: str
    beneficiary: str
    pledge: Pledge
    status: PledgeStatus = "pending"


@dataclass(frozen=True)
class DraftChange:
    """One move of one provision, for the draft's history."""

    round: int
    seat: str
    provision: str
    before: int
    after: int
    via: DraftVia


@dataclass(frozen=True)
class SpoilRecord:
    round: int
    seat: str
    mode: str
    provision: str
    exposed: bool
    draw: float


@dataclass(frozen=True)
class Sounding:
    """A trial balloon's result: each bloc's reaction, known only to its audience."""

    round: int
    seat: str
    provision: str
    level: int
    reactions: dict[str, float]
    audience: tuple[str, ...]


@dataclass(frozen=True)
class BlocSnapshot:
    disposition: float
    ownership: float
    politicisation: float


@dataclass(frozen=True)
class AllianceSnapshot:
    id: str
    members: tuple[str, ...]
    span: int


@dataclass(frozen=True)
class RoundRecord:
    """What the debrief draws, kept at the end of each round."""

    round: int
    ripeness: float
    blocs: dict[str, BlocSnapshot]
    constituencies: dict[str, float]
    provisions: dict[str, int]
    alliances: tuple[AllianceSnapshot, ...]
    links: tuple[tuple[str, str], ...]
    credibility: dict[str, int]


@dataclass(frozen=True)
class VoteRecord:
    """A vote on the draft: the count, the rule's verdict and why, who called it, each seat's
    ballots (on the draft and the side issues), and what politicisation cost."""

    round: int
    rule: str
    ripeness: float
    ripe: bool
    yes: float
    no: float
    abstain: float
    objections: tuple[str, ...]
    vetoes: tuple[str, ...]
    seat_ballots: dict[str, str]
    bloc_yes_share: dict[str, float]
    lost_to_politicisation: float
    adopted: bool
    cause: VoteCause = "adopted"
    caller: str = ""
    side_ballots: dict[str, dict[str, str]] = field(default_factory=dict)
    levels: dict[str, int] = field(default_factory=dict)  # the text put to the vote


@dataclass
class GameState:
    """Everything about one match. The scenario is not inside: pass it beside the state."""

    scenario_id: str
    seed: int
    rng: str  # the generator's 64-bit state, in hex: JSON numbers cannot carry 64 bits exactly
    ablations: tuple[str, ...]
    version: int
    round: int
    phase: Phase
    ripeness_boost: float
    ripeness_shift: float
    seats: dict[str, SeatState]
    blocs: dict[str, BlocState]
    constituencies: dict[str, float]
    levels: dict[str, int]
    tabled: bool
    sponsors: list[str]
    vote_called_by: str
    vote_delayed: bool
    alliances: dict[str, Alliance]
    links: list[tuple[str, str]]
    offers: dict[str, Offer]
    pledges: list[PledgeRecord]
    messages: list[Message]  # the newest few only: the event log keeps the whole conversation
    message_counts: dict[str, dict[str, int]]  # each seat's counts are replaced, never changed in place
    draft_history: list[DraftChange]
    spoils: list[SpoilRecord]
    soundings: list[Sounding]
    pooled_fund: int
    side_leans: dict[str, dict[str, float]]  # per side issue, each bloc's yes share (0 to 100)
    side_issue_results: dict[str, bool]
    votes: list[VoteRecord]
    bulletins: list[str]
    history: list[RoundRecord]
    outcome: Outcome = ""
    next_id: int = 1
    message_total: int = 0  # messages ever sent: the next one's number
    id_salt: str = ""  # with a salt, offer ids are unguessable (see `new_id`)

    def clone(self, parts: tuple[str, ...] | None = None) -> GameState:
        """A copy that shares only immutable records with this one, the message window and each
        seat's message counts, which are only ever replaced (`negotiation.send_message`), never
        changed in place: each action would otherwise copy sixty messages. With `parts`, only those
        containers are copied and the rest shared: for a change known to touch nothing else in place."""
        names = _COPIED if parts is None else parts
        return _copy(self, {name: _COPIERS[name](getattr(self, name)) for name in names})

    def draw(self) -> float:
        """A uniform draw in [0, 1) from the game's seeded generator."""
        value, after = next_uniform(int(self.rng, 16))
        self.rng = f"{after:016x}"
        return value

    def shuffle(self, items: list[_T]) -> list[_T]:
        """The items in an order drawn from the game's generator."""
        out, after = shuffled(items, int(self.rng, 16))
        self.rng = f"{after:016x}"
        return out

    def pick(self, weights: list[float]) -> int:
        """An index drawn with these weights from the game's generator."""
        index, after = weighted_index(weights, int(self.rng, 16))
        self.rng = f"{after:016x}"
        return index

    def new_id(self, prefix: str, secret: bool = False) -> str:
        """A fresh id for an offer or alliance; ids are game-local and deterministic. A secret
        id (a private offer's) is a keyed hash when the game has a salt, so nobody can guess
        another seat's offer ids or count them from their own."""
        number = self.next_id
        self.next_id += 1
        if secret and self.id_salt:
            digest = hashlib.sha256(f"{self.id_salt}:{prefix}:{number}".encode()).hexdigest()
            return f"{prefix}{digest[:12]}"
        return f"{prefix}{number}"

    @property
    def is_over(self) -> bool:
        return self.phase == "ended"

    def are_linked(self, a: str, b: str) -> bool:
        return (a, b) in self.links or (b, a) in self.links

    def links_of(self, seat: str) -> list[str]:
        return [b if a == seat else a for a, b in self.links if seat in (a, b)]


def _dict_of_clones(parts: dict[str, Any]) -> dict[str, Any]:
    return {k: v.clone() for k, v in parts.items()}


def _dict_of_dicts(parts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {k: dict(v) for k, v in parts.items()}


# How `GameState.clone` copies each of its mutable containers.
_COPIERS: dict[str, Callable[[Any], Any]] = {
    "seats": _dict_of_clones,
    "blocs": _dict_of_clones,
    "constituencies": dict,
    "levels": dict,
    "sponsors": list,
    "alliances": _dict_of_clones,
    "links": list,
    "offers": dict,
    "pledges": list,
    "message_counts": dict,
    "draft_history": list,
    "spoils": list,
    "soundings": list,
    "side_leans": _dict_of_dicts,
    "side_issue_results": dict,
    "votes": list,
    "bulletins": list,
    "history": list,
}
_COPIED = tuple(_COPIERS)
