"""What a seat or the facilitator can ask of the game: typed, plain values.

Negotiation actions take effect at once; orders are submitted in the act phase, kept
secret, and resolved together; ballots are cast in the vote phase. Every class has a
`type` tag, the name it travels under on the wire.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

Choice = Literal["yes", "no", "abstain"]
SpoilMode = Literal["block_amendment", "delay_vote", "water_down"]
GrantPurpose = Literal["study", "consultation", "panel"]
PledgeKind = Literal["vote", "amendment", "no_spoil", "join_alliance", "side_issue"]

PUBLIC = "public"
FACILITATOR = "facilitator"


@dataclass(frozen=True)
class Pledge:
    """A promise inside an offer, checked when the round resolves.

    vote: value is yes/no/abstain on the final vote; amendment: target is a provision and
    value "up" or "down" (the pledger backs it: will not spoil or counter it); no_spoil: no
    spoiling this game; join_alliance: target is an alliance; side_issue: target is a side
    issue, value yes/no."""

    kind: PledgeKind
    target: str = ""
    value: str = ""


@dataclass(frozen=True)
class Terms:
    """One side of an offer: resources handed over at acceptance, and pledges."""

    capital: int = 0
    funds: int = 0
    expertise: int = 0
    pledges: tuple[Pledge, ...] = ()


# --- negotiation -----------------------------------------------------------------------


@dataclass(frozen=True)
class SendMessage:
    """A message: `to` is "public", "alliance:<id>" or a seat id."""

    type: ClassVar[str] = "send_message"
    to: str
    text: str


@dataclass(frozen=True)
class MakeOffer:
    type: ClassVar[str] = "make_offer"
    to: str
    gives: Terms
    gets: Terms


@dataclass(frozen=True)
class AcceptOffer:
    type: ClassVar[str] = "accept_offer"
    offer: str


@dataclass(frozen=True)
class DeclineOffer:
    type: ClassVar[str] = "decline_offer"
    offer: str


@dataclass(frozen=True)
class WithdrawOffer:
    type: ClassVar[str] = "withdraw_offer"
    offer: str


@dataclass(frozen=True)
class FoundAlliance:
    type: ClassVar[str] = "found_alliance"
    name: str
    platform: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class InviteToAlliance:
    type: ClassVar[str] = "invite_to_alliance"
    alliance: str
    seat: str


@dataclass(frozen=True)
class JoinAlliance:
    """Accept an invitation."""

    type: ClassVar[str] = "join_alliance"
    alliance: str


@dataclass(frozen=True)
class LeaveAlliance:
    type: ClassVar[str] = "leave_alliance"
    alliance: str


@dataclass(frozen=True)
class EndNegotiation:
    """The seat is done negotiating this round."""

    type: ClassVar[str] = "end_negotiation"


# --- orders (act phase; secret until resolved) ----------------------------------------


@dataclass(frozen=True)
class CommissionStudy:
    """Pay a think tank or agency (`performer`, maybe oneself) for a study."""

    type: ClassVar[str] = "commission_study"
    arena: ClassVar[str] = "wide"
    performer: str
    funds: int


@dataclass(frozen=True)
class HostConsultation:
    """Host a regional consultation; members of `alliance` who order the same venue co-host."""

    type: ClassVar[str] = "host_consultation"
    arena: ClassVar[str] = "wide"
    venue: str
    expertise: int = 0
    alliance: str = ""


@dataclass(frozen=True)
class ConvenePanel:
    """Take part in a high-level panel with the members of `alliance` who also convene."""

    type: ClassVar[str] = "convene_panel"
    arena: ClassVar[str] = "wide"
    alliance: str


@dataclass(frozen=True)
class TrialBalloon:
    type: ClassVar[str] = "trial_balloon"
    arena: ClassVar[str] = "wide"
    provision: str
    level: int


@dataclass(frozen=True)
class Grant:
    """An earmarked grant: funds for `to`, returned if it does not do `purpose` this round."""

    type: ClassVar[str] = "grant"
    arena: ClassVar[str] = "wide"
    to: str
    amount: int
    purpose: GrantPurpose


@dataclass(frozen=True)
class PledgePooledFund:
    """Funds into the pooled fund that the implementation epilogue draws on."""

    type: ClassVar[str] = "pledge_pooled_fund"
    arena: ClassVar[str] = "wide"
    amount: int


@dataclass(frozen=True)
class SecondStaff:
    """Revolving door: second staff to another seat; the link lasts the game."""

    type: ClassVar[str] = "second_staff"
    arena: ClassVar[str] = "wide"
    to: str


@dataclass(frozen=True)
class TableDraft:
    type: ClassVar[str] = "table_draft"
    arena: ClassVar[str] = "narrow"


@dataclass(frozen=True)
class ProposeAmendment:
    type: ClassVar[str] = "propose_amendment"
    arena: ClassVar[str] = "narrow"
    provision: str
    direction: int


@dataclass(frozen=True)
class Lobby:
    """Lobby a bloc (its id) or a seat (its id)."""

    type: ClassVar[str] = "lobby"
    arena: ClassVar[str] = "narrow"
    target: str


@dataclass(frozen=True)
class Spoil:
    type: ClassVar[str] = "spoil"
    arena: ClassVar[str] = "narrow"
    mode: SpoilMode
    provision: str = ""


@dataclass(frozen=True)
class CallVote:
    type: ClassVar[str] = "call_vote"
    arena: ClassVar[str] = "narrow"


Order = (
    CommissionStudy
    | HostConsultation
    | ConvenePanel
    | TrialBalloon
    | Grant
    | PledgePooledFund
    | SecondStaff
    | TableDraft
    | ProposeAmendment
    | Lobby
    | Spoil
    | CallVote
)
ORDER_TYPES: tuple[type[Order], ...] = (
    CommissionStudy,
    HostConsultation,
    ConvenePanel,
    TrialBalloon,
    Grant,
    PledgePooledFund,
    SecondStaff,
    TableDraft,
    ProposeAmendment,
    Lobby,
    Spoil,
    CallVote,
)


@dataclass(frozen=True)
class SubmitOrder:
    type: ClassVar[str] = "submit_order"
    order: Order


@dataclass(frozen=True)
class WithdrawOrder:
    type: ClassVar[str] = "withdraw_order"
    index: int


@dataclass(frozen=True)
class EndOrders:
    """The seat has submitted all its orders for this round."""

    type: ClassVar[str] = "end_orders"


# --- vote -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CastVote:
    type: ClassVar[str] = "cast_vote"
    draft: Choice
    side_issues: dict[str, Choice] = field(default_factory=dict)


# --- facilitator ----------------------------------------------------------------------


@dataclass(frozen=True)
class StartGame:
    type: ClassVar[str] = "start_game"


@dataclass(frozen=True)
class ClosePhase:
    type: ClassVar[str] = "close_phase"


@dataclass(frozen=True)
class InjectEvent:
    """Fire a card from the scenario's event table now."""

    type: ClassVar[str] = "inject_event"
    card: str


@dataclass(frozen=True)
class EndGame:
    type: ClassVar[str] = "end_game"


SeatAction = (
    SendMessage
    | MakeOffer
    | AcceptOffer
    | DeclineOffer
    | WithdrawOffer
    | FoundAlliance
    | InviteToAlliance
    | JoinAlliance
    | LeaveAlliance
    | EndNegotiation
    | SubmitOrder
    | WithdrawOrder
    | EndOrders
    | CastVote
)
FacilitatorAction = StartGame | ClosePhase | InjectEvent | EndGame
Action = SeatAction | FacilitatorAction

SEAT_ACTION_TYPES: tuple[type[SeatAction], ...] = (
    SendMessage,
    MakeOffer,
    AcceptOffer,
    DeclineOffer,
    WithdrawOffer,
    FoundAlliance,
    InviteToAlliance,
    JoinAlliance,
    LeaveAlliance,
    EndNegotiation,
    SubmitOrder,
    WithdrawOrder,
    EndOrders,
    CastVote,
)
FACILITATOR_ACTION_TYPES: tuple[type[FacilitatorAction], ...] = (
    StartGame,
    ClosePhase,
    InjectEvent,
    EndGame,
)
