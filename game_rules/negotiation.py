"""The negotiation phase: messages, offers (horse-trading) and alliances (linked ecologies).

Each handler mutates the working copy `apply` gave it and appends its events, or returns a
rejection before changing anything.
"""

from __future__ import annotations

import operator

from game_rules.actions import (
    PUBLIC,
    AcceptOffer,
    DeclineOffer,
    FoundAlliance,
    InviteToAlliance,
    JoinAlliance,
    LeaveAlliance,
    MakeOffer,
    Pledge,
    SendMessage,
    Terms,
    WithdrawOffer,
)
from game_rules.codec import to_plain
from game_rules.events import Event
from game_rules.rejections import Rejected, reject
from game_rules.scenario import Scenario
from game_rules.state import WINDOW_CHARS, Alliance, GameState, Message, Offer, PledgeRecord, replace

ALLIANCE_PREFIX = "alliance:"
# The state keeps only the newest messages (for views and bots); the event log keeps them all,
# so a game's stored state does not grow with its conversation.
_TEXT = operator.attrgetter("text")
MESSAGE_WINDOW = 60
MESSAGE_WINDOW_CHARS = 24_000
RESOURCE_NAMES = ("capital", "funds", "expertise")
CHOICES = ("yes", "no", "abstain")


def alliance_span(scenario: Scenario, alliance: Alliance) -> int:
    """The number of distinct seat kinds in an alliance: the article's linked ecologies."""
    return len({scenario.seat(m).kind for m in alliance.members})


def alliances_of(state: GameState, seat: str) -> list[Alliance]:
    return [a for a in state.alliances.values() if seat in a.members]


def send_message(
    scenario: Scenario, state: GameState, seat: str, action: SendMessage, events: list[Event]
) -> Rejected | None:
    text = action.text.strip()
    if not text:
        return reject("message_empty", "A message needs some text.")
    limit = scenario.rules.message_max_chars
    if len(action.text) > limit:
        return reject("message_too_long", f"Messages are limited to {limit} characters.")
    to = action.to
    if to.startswith(ALLIANCE_PREFIX):
        alliance = state.alliances.get(to[len(ALLIANCE_PREFIX) :])
        if alliance is None:
            return reject("unknown_alliance", f"There is no alliance {to!r}.")
        if seat not in alliance.members:
            return reject("not_a_member", "Only members may write on an alliance's channel.")
        recipients = [m for m in alliance.members if m != seat]
    elif to == PUBLIC:
        recipients = []
    elif scenario.has_seat(to):
        if to == seat:
            return reject("self_target", "You cannot send a private message to yourself.")
        recipients = [to]
    else:
        return reject("unknown_seat", f"{to!r} is neither a seat, an alliance nor 'public'.")
    state.message_total += 1
    number = state.message_total
    audience = () if to == PUBLIC else (seat, *recipients)
    _keep_message(state, Message(number, state.round, seat, to, action.text, audience))
    # A seat's counts are replaced, never changed in place: a state's copy shares them (`clone`).
    counts = state.message_counts[seat] = dict(state.message_counts.get(seat, {}))
    for r in recipients or [PUBLIC]:
        counts[r] = counts.get(r, 0) + 1
    events.append(
        Event(
            kind="message",
            round=state.round,
            text=f"{scenario.seat(seat).name} → {to}: {action.text}",
            audience=audience,
            detail={"number": number, "sender": seat, "to": to, "text": action.text},
        )
    )
    return None


def _keep_message(state: GameState, message: Message) -> None:
    """Add a message to the state's window, dropping the oldest beyond its bounds."""
    window = [*state.messages, message]
    chars = _window_chars(state.messages) + len(message.text)
    while len(window) > MESSAGE_WINDOW or (chars > MESSAGE_WINDOW_CHARS and len(window) > 1):
        chars -= len(window.pop(0).text)
    state.messages = window
    # Kept on the newest message with the window's start and length (not its first message,
    # which would chain messages together): the next message need not count sixty texts again.
    object.__setattr__(message, WINDOW_CHARS, (window[0].number, len(window), chars))


def _window_chars(window: list[Message]) -> int:
    """The characters of a message window's texts."""
    if not window:
        return 0
    made = window[-1].__dict__.get(WINDOW_CHARS)
    if made is not None and made[0] == window[0].number and made[1] == len(window):
        chars: int = made[2]
        return chars
    return sum(map(len, map(_TEXT, window)))


def _check_terms(scenario: Scenario, state: GameState, terms: Terms, giver: str) -> Rejected | None:
    for name in RESOURCE_NAMES:
        amount = getattr(terms, name)
        if amount < 0:
            return reject("invalid_amount", f"An offer cannot hand over a negative amount of {name}.")
    for pledge in terms.pledges:
        problem = _check_pledge(scenario, state, pledge, giver)
        if problem is not None:
            return problem
    return None


def _check_pledge(scenario: Scenario, state: GameState, pledge: Pledge, giver: str) -> Rejected | None:
    spec = scenario.seat(giver)
    if pledge.kind == "vote":
        if pledge.value not in CHOICES:
            return reject("invalid_choice", "A vote pledge is yes, no or abstain.")
        if not spec.votes:
            return reject("not_a_voter", f"{spec.name} has no vote to pledge.")
    elif pledge.kind == "amendment":
        if pledge.target not in {p.id for p in scenario.provisions}:
            return reject("unknown_provision", f"There is no provision {pledge.target!r}.")
        if pledge.value not in ("up", "down"):
            return reject("invalid_choice", "An amendment pledge backs a move 'up' or 'down'.")
    elif pledge.kind == "join_alliance":
        if pledge.target not in state.alliances:
            return reject("unknown_alliance", f"There is no alliance {pledge.target!r}.")
    elif pledge.kind == "side_issue":
        if pledge.target not in {s.id for s in scenario.side_issues}:
            return reject("unknown_side_issue", f"There is no side issue {pledge.target!r}.")
        if pledge.value not in CHOICES:
            return reject("invalid_choice", "A side-issue pledge is yes, no or abstain.")
        if not spec.votes:
            return reject("not_a_voter", f"{spec.name} has no vote on side issues.")
    elif pledge.kind == "no_spoil":
        if spec.kind not in ("state", "agency"):
            return reject("not_allowed_for_kind", "Only states and agencies can spoil.")
    else:
        return reject("malformed_action", f"Unknown pledge kind {pledge.kind!r}.")
    return None


def _affords(state: GameState, seat: str, terms: Terms) -> bool:
    live = state.seats[seat]
    return live.capital >= terms.capital and live.funds >= terms.funds and live.expertise >= terms.expertise


def make_offer(
    scenario: Scenario, state: GameState, seat: str, action: MakeOffer, events: list[Event]
) -> Rejected | None:
    if "horse_trading" in state.ablations:
        return reject("mechanic_disabled", "Horse-trading is switched off in this game.")
    if not scenario.has_seat(action.to):
        return reject("unknown_seat", f"There is no seat {action.to!r}.")
    if action.to == seat:
        return reject("self_target", "You cannot make an offer to yourself.")
    problem = _check_terms(scenario, state, action.gives, seat) or _check_terms(scenario, state, action.gets, action.to)
    if problem is not None:
        return problem
    if not _affords(state, seat, action.gives):
        return reject("insufficient_resources", "You do not hold what this offer gives.")
    offer_id = state.new_id("o", secret=True)
    state.offers[offer_id] = Offer(
        id=offer_id, round=state.round, sender=seat, recipient=action.to, gives=action.gives, gets=action.gets
    )
    events.append(
        Event(
            kind="offer_made",
            round=state.round,
            text=f"{scenario.seat(seat).name} made an offer to {scenario.seat(action.to).name}.",
            audience=(seat, action.to),
            detail={
                "offer": offer_id,
                "sender": seat,
                "recipient": action.to,
                "gives": to_plain(action.gives),
                "gets": to_plain(action.gets),
            },
        )
    )
    return None


def _own_offer(state: GameState, offer_id: str, seat: str, side: str) -> Offer | Rejected:
    """The open offer `seat` may answer (as its recipient) or withdraw (as its sender). An offer
    between other seats is answered exactly as one that does not exist: refusals never tell a
    seat that someone else's private offer is there."""
    offer = state.offers.get(offer_id)
    party = None if offer is None else (offer.recipient if side == "recipient" else offer.sender)
    if offer is None or party != seat:
        role = "made to you" if side == "recipient" else "of yours"
        return reject("unknown_offer", f"There is no offer {offer_id!r} {role}.")
    if offer.status != "open":
        return reject("offer_not_open", f"Offer {offer_id} is already {offer.status}.")
    return offer


def _transfer(state: GameState, giver: str, taker: str, terms: Terms) -> None:
    a, b = state.seats[giver], state.seats[taker]
    a.capital -= terms.capital
    b.capital += terms.capital
    a.funds -= terms.funds
    b.funds += terms.funds
    a.expertise -= terms.expertise
    b.expertise += terms.expertise


def accept_offer(
    scenario: Scenario, state: GameState, seat: str, action: AcceptOffer, events: list[Event]
) -> Rejected | None:
    offer = _own_offer(state, action.offer, seat, "recipient")
    if isinstance(offer, Rejected):
        return offer
    if not _affords(state, offer.sender, offer.gives):
        return reject("insufficient_resources", "The offer's sender no longer holds what it gives.")
    if not _affords(state, seat, offer.gets):
        return reject("insufficient_resources", "You do not hold what this offer asks of you.")
    # Both halves move in this one step: acceptance is atomic.
    _transfer(state, offer.sender, seat, offer.gives)
    _transfer(state, seat, offer.sender, offer.gets)
    state.offers[offer.id] = replace(offer, status="accepted")
    for pledger, beneficiary, terms in ((offer.sender, seat, offer.gives), (seat, offer.sender, offer.gets)):
        for pledge in terms.pledges:
            state.pledges.append(
                PledgeRecord(offer=offer.id, round=state.round, pledger=pledger, beneficiary=beneficiary, pledge=pledge)
            )
    events.append(
        Event(
            kind="offer_accepted",
            round=state.round,
            text=f"{scenario.seat(seat).name} accepted offer {offer.id}.",
            audience=(offer.sender, seat),
            detail={"offer": offer.id, "sender": offer.sender, "recipient": seat},
        )
    )
    return None


def decline_offer(
    scenario: Scenario, state: GameState, seat: str, action: DeclineOffer, events: list[Event]
) -> Rejected | None:
    offer = _own_offer(state, action.offer, seat, "recipient")
    if isinstance(offer, Rejected):
        return offer
    state.offers[offer.id] = replace(offer, status="declined")
    events.append(
        Event(
            kind="offer_declined",
            round=state.round,
            text=f"{scenario.seat(seat).name} declined offer {offer.id}.",
            audience=(offer.sender, seat),
            detail={"offer": offer.id},
        )
    )
    return None


def withdraw_offer(
    scenario: Scenario, state: GameState, seat: str, action: WithdrawOffer, events: list[Event]
) -> Rejected | None:
    offer = _own_offer(state, action.offer, seat, "sender")
    if isinstance(offer, Rejected):
        return offer
    state.offers[offer.id] = replace(offer, status="withdrawn")
    events.append(
        Event(
            kind="offer_withdrawn",
            round=state.round,
            text=f"{scenario.seat(seat).name} withdrew offer {offer.id}.",
            audience=(seat, offer.recipient),
            detail={"offer": offer.id},
        )
    )
    return None


def expire_offers(state: GameState, events: list[Event]) -> None:
    """Offers live for one round. Once answered or expired an offer leaves the state (its
    pledges stay, and the event log keeps the offer for the debrief)."""
    for offer in list(state.offers.values()):
        del state.offers[offer.id]
        if offer.status == "open":
            events.append(
                Event(
                    kind="offer_expired",
                    round=state.round,
                    text=f"Offer {offer.id} expired.",
                    audience=(offer.sender, offer.recipient),
                    detail={"offer": offer.id},
                )
            )


def can_join(scenario: Scenario, state: GameState, alliance: Alliance, seat: str) -> bool:
    """Whether the seat's kind may join; with cross-kind alliances ablated, only the founder's kind."""
    if "cross_kind_alliances" not in state.ablations:
        return True
    return scenario.seat(seat).kind == scenario.seat(alliance.founder).kind


def found_alliance(
    scenario: Scenario, state: GameState, seat: str, action: FoundAlliance, events: list[Event]
) -> Rejected | None:
    name = action.name.strip()
    if not name or len(name) > 80:
        return reject("malformed_action", "An alliance needs a name of 1 to 80 characters.")
    for provision_id, level in action.platform.items():
        if provision_id not in {p.id for p in scenario.provisions}:
            return reject("unknown_provision", f"There is no provision {provision_id!r}.")
        if not 0 <= level <= scenario.provision(provision_id).top:
            return reject("invalid_level", f"Level {level} is out of range for {provision_id}.")
    alliance_id = state.new_id("a")
    state.alliances[alliance_id] = Alliance(
        id=alliance_id, name=name, founder=seat, members=[seat], invited=[], platform=dict(action.platform)
    )
    events.append(
        Event(
            kind="alliance_founded",
            round=state.round,
            text=f"{scenario.seat(seat).name} founded the alliance “{name}”.",
            detail={"alliance": alliance_id, "founder": seat, "name": name},
        )
    )
    return None


def _alliance(state: GameState, alliance_id: str) -> Alliance | Rejected:
    alliance = state.alliances.get(alliance_id)
    if alliance is None:
        return reject("unknown_alliance", f"There is no alliance {alliance_id!r}.")
    return alliance


def invite_to_alliance(
    scenario: Scenario, state: GameState, seat: str, action: InviteToAlliance, events: list[Event]
) -> Rejected | None:
    alliance = _alliance(state, action.alliance)
    if isinstance(alliance, Rejected):
        return alliance
    if seat not in alliance.members:
        return reject("not_a_member", "Only members can invite to an alliance.")
    if not scenario.has_seat(action.seat):
        return reject("unknown_seat", f"There is no seat {action.seat!r}.")
    if action.seat in alliance.members:
        return reject("already_member", f"{scenario.seat(action.seat).name} is already a member.")
    if not can_join(scenario, state, alliance, action.seat):
        return reject("mechanic_disabled", "In this game alliances hold one kind of seat only.")
    if action.seat not in alliance.invited:
        alliance.invited.append(action.seat)
    events.append(
        Event(
            kind="alliance_invitation",
            round=state.round,
            text=f"{scenario.seat(seat).name} invited {scenario.seat(action.seat).name} to “{alliance.name}”.",
            audience=(*alliance.members, action.seat),
            detail={"alliance": alliance.id, "seat": action.seat, "by": seat},
        )
    )
    return None


def join_alliance(
    scenario: Scenario, state: GameState, seat: str, action: JoinAlliance, events: list[Event]
) -> Rejected | None:
    alliance = _alliance(state, action.alliance)
    if isinstance(alliance, Rejected):
        return alliance
    if seat in alliance.members:
        return reject("already_member", "You are already a member.")
    if seat not in alliance.invited:
        return reject("not_invited", "You need an invitation to join this alliance.")
    alliance.invited.remove(seat)
    alliance.members.append(seat)
    events.append(
        Event(
            kind="alliance_joined",
            round=state.round,
            text=f"{scenario.seat(seat).name} joined “{alliance.name}”.",
            detail={"alliance": alliance.id, "seat": seat, "span": alliance_span(scenario, alliance)},
        )
    )
    return None


def leave_alliance(
    scenario: Scenario, state: GameState, seat: str, action: LeaveAlliance, events: list[Event]
) -> Rejected | None:
    alliance = _alliance(state, action.alliance)
    if isinstance(alliance, Rejected):
        return alliance
    if seat not in alliance.members:
        return reject("not_a_member", "You are not a member of this alliance.")
    alliance.members.remove(seat)
    events.append(
        Event(
            kind="alliance_left",
            round=state.round,
            text=f"{scenario.seat(seat).name} left “{alliance.name}”.",
            detail={"alliance": alliance.id, "seat": seat},
        )
    )
    if not alliance.members:
        del state.alliances[alliance.id]
    return None
