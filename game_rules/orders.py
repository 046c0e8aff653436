"""Orders in the act phase: what each costs, whether a seat may give it, and submitting it.

Costs are reserved at submission, so a seat can never commit more than it holds; they are
charged when the round resolves (joint actions then split theirs among participants).
"""

from __future__ import annotations

from dataclasses import dataclass

from game_rules.actions import (
    CallVote,
    CommissionStudy,
    ConvenePanel,
    Grant,
    GrantPurpose,
    HostConsultation,
    Lobby,
    Order,
    PledgePooledFund,
    ProposeAmendment,
    SecondStaff,
    Spoil,
    SubmitOrder,
    TableDraft,
    TrialBalloon,
    WithdrawOrder,
)
from game_rules.events import Event
from game_rules.rejections import Rejected, reject
from game_rules.scenario import Scenario
from game_rules.state import GameState

GRANT_PURPOSES: tuple[GrantPurpose, ...] = ("study", "consultation", "panel")
SPOIL_MODES = ("block_amendment", "delay_vote", "water_down")


@dataclass(frozen=True)
class Cost:
    """What an order takes: one staff, and resources reserved until the round resolves (for a
    joint action, the most this seat's share can come to)."""

    staff: int = 1
    capital: int = 0
    funds: int = 0
    expertise: int = 0


def order_cost(scenario: Scenario, order: Order) -> Cost:
    """What an order reserves: its cost, or for a panel the largest share a member can pay."""
    r = scenario.rules
    match order:
        case CommissionStudy(funds=funds):
            return Cost(funds=funds)
        case HostConsultation(expertise=expertise):
            return Cost(funds=r.consultation_cost_funds, expertise=expertise)
        case ConvenePanel():
            # A panel that meets has at least `panel_min_kinds` members splitting its cost, and
            # one that does not meet costs nothing: each member reserves that largest share.
            return Cost(funds=-(-r.panel_cost_funds // max(1, r.panel_min_kinds)))
        case Grant(amount=amount) | PledgePooledFund(amount=amount):
            return Cost(funds=amount)
        case SecondStaff():
            return Cost(funds=r.second_cost_funds)
        case TableDraft():
            return Cost(capital=r.table_cost_capital)
        case ProposeAmendment():
            return Cost(capital=r.amendment_cost_capital, expertise=r.amendment_cost_expertise)
        case Lobby():
            return Cost(capital=r.lobby_cost_capital)
        case Spoil():
            return Cost(capital=r.spoil_cost_capital)
        case CallVote():
            return Cost(capital=r.call_cost_capital)
        case _:
            return Cost()


def staff_of(scenario: Scenario, state: GameState, seat: str) -> int:
    """Orders a seat may give this round: its staff plus any seconded to it."""
    return scenario.seat(seat).staff + state.seats[seat].seconded_in


def reserved(scenario: Scenario, state: GameState, seat: str) -> Cost:
    """What the seat's pending orders have set aside."""
    capital = funds = expertise = 0
    for order in state.seats[seat].orders:
        cost = order_cost(scenario, order)
        capital += cost.capital
        funds += cost.funds
        expertise += cost.expertise
    return Cost(staff=len(state.seats[seat].orders), capital=capital, funds=funds, expertise=expertise)


def can_afford(scenario: Scenario, state: GameState, seat: str, cost: Cost) -> bool:
    """Whether the seat can add an order of this cost to what it has already reserved."""
    held = reserved(scenario, state, seat)
    live = state.seats[seat]
    return (
        held.staff + cost.staff <= staff_of(scenario, state, seat)
        and held.capital + cost.capital <= live.capital
        and held.funds + cost.funds <= live.funds
        and held.expertise + cost.expertise <= live.expertise
    )


def _disabled(state: GameState, mechanic: str, label: str) -> Rejected | None:
    if mechanic in state.ablations:
        return reject("mechanic_disabled", f"{label} are switched off in this game.")
    return None


def _check_provision_level(scenario: Scenario, provision_id: str, level: int) -> Rejected | None:
    if provision_id not in {p.id for p in scenario.provisions}:
        return reject("unknown_provision", f"There is no provision {provision_id!r}.")
    if not 0 <= level <= scenario.provision(provision_id).top:
        return reject("level_out_of_range", f"{provision_id} has no level {level}.")
    return None


def check_order(scenario: Scenario, state: GameState, seat: str, order: Order) -> Rejected | None:
    """Why this seat may not give this order now, or None if it may."""
    kind = scenario.seat(seat).kind
    match order:
        case CommissionStudy(performer=performer, funds=funds):
            if not scenario.has_seat(performer):
                return reject("unknown_seat", f"There is no seat {performer!r}.")
            if scenario.seat(performer).kind not in ("think_tank", "agency"):
                return reject("not_allowed_for_kind", "Studies are carried out by think tanks or agencies.")
            if funds < scenario.rules.study_min_funds:
                return reject("invalid_amount", f"A study needs at least {scenario.rules.study_min_funds} funds.")
        case HostConsultation(venue=venue, expertise=expertise, alliance=alliance):
            problem = _disabled(state, "consultations", "Regional consultations")
            if problem:
                return problem
            if venue not in {v.id for v in scenario.venues}:
                return reject("unknown_venue", f"There is no venue {venue!r}.")
            if not 0 <= expertise <= scenario.rules.consultation_max_expertise:
                limit = scenario.rules.consultation_max_expertise
                return reject("invalid_amount", f"A consultation uses 0 to {limit} expertise.")
            if alliance and (alliance not in state.alliances or seat not in state.alliances[alliance].members):
                return reject("not_a_member", "Co-host only with an alliance you belong to.")
        case ConvenePanel(alliance=alliance):
            problem = _disabled(state, "panels", "High-level panels")
            if problem:
                return problem
            if alliance not in state.alliances or seat not in state.alliances[alliance].members:
                return reject("not_a_member", "A panel is convened with an alliance you belong to.")
        case TrialBalloon(provision=provision, level=level):
            problem = _disabled(state, "trial_balloons", "Trial balloons") or _check_provision_level(
                scenario, provision, level
            )
            if problem:
                return problem
        case Grant(to=to, amount=amount, purpose=purpose):
            if not scenario.has_seat(to):
                return reject("unknown_seat", f"There is no seat {to!r}.")
            if to == seat:
                return reject("self_target", "A grant goes to another seat.")
            if amount <= 0:
                return reject("invalid_amount", "A grant must be positive.")
            if purpose not in GRANT_PURPOSES:
                return reject("invalid_choice", "A grant is earmarked for a study, consultation or panel.")
        case PledgePooledFund(amount=amount):
            if amount <= 0:
                return reject("invalid_amount", "A pledge to the pooled fund must be positive.")
        case SecondStaff(to=to):
            problem = _disabled(state, "revolving_doors", "Revolving doors")
            if problem:
                return problem
            if not scenario.has_seat(to):
                return reject("unknown_seat", f"There is no seat {to!r}.")
            if to == seat:
                return reject("self_target", "Staff are seconded to another seat.")
        case TableDraft():
            if kind != "state":
                return reject("not_allowed_for_kind", "Only a member state can table the draft.")
            if seat in state.sponsors:
                return reject("draft_already_tabled", "You already sponsor the draft.")
        case ProposeAmendment(provision=provision, direction=direction):
            if direction not in (1, -1):
                return reject("invalid_choice", "An amendment moves a provision one level: +1 or -1.")
            if provision not in state.levels:
                return reject("unknown_provision", f"There is no provision {provision!r}.")
            problem = _check_provision_level(scenario, provision, state.levels[provision] + direction)
            if problem:
                return problem
        case Lobby(target=target):
            if target in state.blocs:
                return None
            if not scenario.has_seat(target):
                return reject("unknown_bloc", f"{target!r} is neither a bloc nor a seat.")
            if target == seat:
                return reject("self_target", "You cannot lobby yourself.")
            if scenario.seat(target).kind != "state" or scenario.seat(target).bloc is None:
                return reject("not_allowed_for_seat", "Lobbying a seat works on member states.")
        case Spoil(mode=mode, provision=provision):
            problem = _disabled(state, "spoiling", "Spoiling")
            if problem:
                return problem
            if kind not in ("state", "agency"):
                return reject("not_allowed_for_kind", "Only states and agencies can spoil.")
            if mode not in SPOIL_MODES:
                return reject("invalid_choice", "Spoil by block_amendment, delay_vote or water_down.")
            if mode != "delay_vote" and provision not in state.levels:
                return reject("unknown_provision", f"There is no provision {provision!r}.")
        case CallVote():
            if kind != "state":
                return reject("not_allowed_for_kind", "Only a member state can call the vote.")
            tabling = any(isinstance(o, TableDraft) for o in state.seats[seat].orders)
            if not (state.tabled and seat in state.sponsors) and not tabling:
                return reject("not_a_sponsor", "Only a sponsor of the tabled draft can call the vote.")
        case _:
            return reject("unknown_action", "That is not an order.")
    return None


def submit_order(
    scenario: Scenario, state: GameState, seat: str, action: SubmitOrder, events: list[Event]
) -> Rejected | None:
    order = action.order
    problem = check_order(scenario, state, seat, order)
    if problem is not None:
        return problem
    live = state.seats[seat]
    if len(live.orders) >= staff_of(scenario, state, seat):
        return reject("no_staff_left", "All your staff already have orders this round.")
    if not can_afford(scenario, state, seat, order_cost(scenario, order)):
        return reject("insufficient_resources", "Your orders this round would cost more than you hold.")
    live.orders.append(order)
    events.append(
        Event(
            kind="order_submitted",
            round=state.round,
            text=f"Order {len(live.orders)} submitted: {order.type}.",
            audience=(seat,),
            detail={"index": len(live.orders) - 1, "order": order.type},
        )
    )
    _tell_links(scenario, state, seat, order, events, withdrawn=False)
    return None


def _tell_links(
    scenario: Scenario, state: GameState, seat: str, order: Order, events: list[Event], withdrawn: bool
) -> None:
    """Revolving-door links see formal-arena moves a phase before they resolve, and hear when
    one is called off."""
    linked = tuple(state.links_of(seat))
    if order.arena != "narrow" or not linked:
        return
    will = "will no longer" if withdrawn else "will"
    events.append(
        Event(
            kind="linked_move",
            round=state.round,
            text=f"Through your link, you hear that {scenario.seat(seat).name} {will} {order.type.replace('_', ' ')}.",
            audience=linked,
            detail={"seat": seat, "order": order.type, **({"withdrawn": True} if withdrawn else {})},
        )
    )


def withdraw_order(
    scenario: Scenario, state: GameState, seat: str, action: WithdrawOrder, events: list[Event]
) -> Rejected | None:
    live = state.seats[seat]
    if not 0 <= action.index < len(live.orders):
        return reject("no_such_order", f"You have no order number {action.index}.")
    order = live.orders.pop(action.index)
    events.append(
        Event(
            kind="order_withdrawn",
            round=state.round,
            text=f"Order withdrawn: {order.type}.",
            audience=(seat,),
            detail={"index": action.index, "order": order.type},
        )
    )
    _tell_links(scenario, state, seat, order, events, withdrawn=True)
    return None
