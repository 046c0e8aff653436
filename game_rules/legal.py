"""The legal actions of a seat now, each with its cost: what a bot (or a menu) chooses from.

Amounts are offered at the scenario's standard sizes (`rules.grant_amounts`,
`rules.offer_amounts`); `apply` accepts any amount that fits. A message's text is a
placeholder to replace. Every action listed here is accepted by `apply` as it stands.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from game_rules.actions import (
    PUBLIC,
    AcceptOffer,
    CallVote,
    CastVote,
    Choice,
    CommissionStudy,
    ConvenePanel,
    DeclineOffer,
    EndNegotiation,
    EndOrders,
    FoundAlliance,
    Grant,
    HostConsultation,
    InviteToAlliance,
    JoinAlliance,
    LeaveAlliance,
    Lobby,
    MakeOffer,
    Order,
    Pledge,
    PledgePooledFund,
    ProposeAmendment,
    SeatAction,
    SecondStaff,
    SendMessage,
    Spoil,
    SubmitOrder,
    TableDraft,
    Terms,
    TrialBalloon,
    WithdrawOffer,
    WithdrawOrder,
)
from game_rules.negotiation import ALLIANCE_PREFIX, alliances_of, can_join
from game_rules.orders import GRANT_PURPOSES, Cost, check_order, order_cost, reserved, staff_of
from game_rules.scenario import Scenario
from game_rules.state import GameState, SeatState
from game_rules.voting import voters

MESSAGE_PLACEHOLDER = "(your message)"
AFFORDABLE_MEMORY = 256  # holdings remembered per seat; past that, offers are filtered afresh
FREE = Cost(staff=0)


@dataclass(frozen=True)
class LegalAction:
    """An action the seat may take now, and what it costs."""

    action: SeatAction
    cost: Cost = FREE


def legal_actions(scenario: Scenario, state: GameState, seat: str) -> list[LegalAction]:
    """Everything this seat may do now; empty when it has nothing to do."""
    if seat not in state.seats:
        return []
    live = state.seats[seat]
    if state.phase == "negotiate" and not live.done:
        return list(_negotiation(scenario, state, seat))
    if state.phase == "act" and not live.done:
        return list(_orders(scenario, state, seat))
    if state.phase == "vote" and not live.done and seat in voters(scenario):
        return [LegalAction(CastVote(draft=c, side_issues=s)) for c, s in _ballots(scenario)]
    return []


def _negotiation(scenario: Scenario, state: GameState, seat: str) -> Iterator[LegalAction]:
    static = _static(scenario, state, seat)
    yield from static.talk
    mine = alliances_of(state, seat)
    for alliance in mine:
        yield LegalAction(SendMessage(to=ALLIANCE_PREFIX + alliance.id, text=MESSAGE_PLACEHOLDER))
    others = [s for s in scenario.seat_ids if s != seat]
    for offer in state.offers.values():
        if offer.status != "open":
            continue
        if offer.recipient == seat:
            if _holds(state, seat, offer.gets) and _holds(state, offer.sender, offer.gives):
                yield LegalAction(AcceptOffer(offer=offer.id))
            yield LegalAction(DeclineOffer(offer=offer.id))
        elif offer.sender == seat:
            yield LegalAction(WithdrawOffer(offer=offer.id))
    if "horse_trading" not in state.ablations:
        yield from static.affordable_offers(state.seats[seat])
    spec = scenario.seat(seat)
    if not mine:
        yield LegalAction(FoundAlliance(name=f"Friends of {spec.name}"[:80], platform=dict(spec.preferences.ideal)))
    for alliance in mine:
        yield LegalAction(LeaveAlliance(alliance=alliance.id))
        for other in others:
            if other not in alliance.members and can_join(scenario, state, alliance, other):
                yield LegalAction(InviteToAlliance(alliance=alliance.id, seat=other))
    for alliance in state.alliances.values():
        if seat in alliance.invited:
            yield LegalAction(JoinAlliance(alliance=alliance.id))


def _holds(state: GameState, seat: str, terms: Terms) -> bool:
    live = state.seats[seat]
    return live.capital >= terms.capital and live.funds >= terms.funds and live.expertise >= terms.expertise


def _offer_templates(scenario: Scenario, seat: str) -> Iterator[MakeOffer]:
    """Standard trades: resources for a vote, for not spoiling, for a side issue, or in kind."""
    for amount in scenario.rules.offer_amounts:
        for other in (s for s in scenario.seat_ids if s != seat):
            spec = scenario.seat(other)
            if spec.votes and spec.kind == "state" and scenario.decision_rule != "security_council":
                yield MakeOffer(to=other, gives=Terms(capital=amount), gets=Terms(pledges=(Pledge("vote", "", "yes"),)))
            if spec.kind in ("state", "agency"):
                yield MakeOffer(to=other, gives=Terms(funds=amount), gets=Terms(pledges=(Pledge("no_spoil"),)))
            yield MakeOffer(to=other, gives=Terms(funds=amount), gets=Terms(expertise=1))
            yield MakeOffer(to=other, gives=Terms(expertise=1), gets=Terms(funds=amount))
            if spec.votes and spec.kind == "state":
                mine = scenario.seat(seat)
                for issue in scenario.side_issues:
                    gives = (
                        Terms(pledges=(Pledge("vote", "", "yes"),)) if mine.votes and mine.kind == "state" else Terms()
                    )
                    yield MakeOffer(to=other, gives=gives, gets=Terms(pledges=(Pledge("side_issue", issue.id, "yes"),)))


def _static_orders(scenario: Scenario, seat: str) -> Iterator[Order]:
    """Orders whose legality depends only on the scenario, the seat and the ablations."""
    r = scenario.rules
    others = [s for s in scenario.seat_ids if s != seat]
    for amount in r.grant_amounts:
        if amount >= r.study_min_funds:
            for performer in scenario.seats:
                if performer.kind in ("think_tank", "agency"):
                    yield CommissionStudy(performer=performer.id, funds=amount)
    for venue in scenario.venues:
        yield from _consultations(scenario, venue.id, "")
    for amount in r.grant_amounts:
        for other in others:
            for purpose in GRANT_PURPOSES:
                yield Grant(to=other, amount=amount, purpose=purpose)
        yield PledgePooledFund(amount=amount)
    for other in others:
        yield SecondStaff(to=other)
    for bloc in scenario.blocs:
        yield Lobby(target=bloc.id)
    for other in others:
        yield Lobby(target=other)
    yield Spoil(mode="delay_vote")
    for p in scenario.provisions:
        yield Spoil(mode="block_amendment", provision=p.id)
        yield Spoil(mode="water_down", provision=p.id)


def _consultations(scenario: Scenario, venue: str, alliance: str) -> Iterator[HostConsultation]:
    yield HostConsultation(venue=venue, expertise=0, alliance=alliance)
    if scenario.rules.consultation_max_expertise:
        yield HostConsultation(
            venue=venue, expertise=min(2, scenario.rules.consultation_max_expertise), alliance=alliance
        )


def _dynamic_orders(scenario: Scenario, state: GameState, seat: str) -> Iterator[Order]:
    """Orders whose legality moves with the game: alliances, the text, the tabling. Each is
    legal by construction (the property tests hold every listed action to `apply`)."""
    ablated = state.ablations
    for alliance in alliances_of(state, seat):
        if "consultations" not in ablated:
            for venue in scenario.venues:
                yield from _consultations(scenario, venue.id, alliance.id)
        if "panels" not in ablated:
            yield ConvenePanel(alliance=alliance.id)
    if "trial_balloons" not in ablated:
        for p in scenario.provisions:
            for level in range(p.top + 1):
                if level != state.levels[p.id]:
                    yield TrialBalloon(provision=p.id, level=level)
    for p in scenario.provisions:
        for direction in (1, -1):
            if 0 <= state.levels[p.id] + direction <= p.top:
                yield ProposeAmendment(provision=p.id, direction=direction)
    for formal in (TableDraft(), CallVote()):
        if check_order(scenario, state, seat, formal) is None:
            yield formal


@dataclass(frozen=True)
class _StaticMenu:
    """What a seat may always offer and order in a scenario, checked once."""

    scenario: Scenario
    talk: tuple[LegalAction, ...]
    offers: tuple[LegalAction, ...]
    orders: tuple[LegalAction, ...]
    _affordable: dict[tuple[int, int, int], tuple[LegalAction, ...]] = field(default_factory=dict)

    def affordable_offers(self, live: SeatState) -> tuple[LegalAction, ...]:
        """The standard offers a seat holding these resources can make (remembered per holding)."""
        key = (live.capital, live.funds, live.expertise)
        found = self._affordable.get(key)
        if found is None:
            found = tuple(item for item in self.offers if _holds_terms(key, item.action))
            if len(self._affordable) < AFFORDABLE_MEMORY:
                self._affordable[key] = found
        return found


def _holds_terms(holding: tuple[int, int, int], action: SeatAction) -> bool:
    assert isinstance(action, MakeOffer)
    capital, funds, expertise = holding
    gives = action.gives
    return gives.capital <= capital and gives.funds <= funds and gives.expertise <= expertise


_STATIC: dict[tuple[int, str, tuple[str, ...]], _StaticMenu] = {}


def _static(scenario: Scenario, state: GameState, seat: str) -> _StaticMenu:
    # Keyed by the scenario object's identity; the entry keeps the scenario alive, so the
    # identity cannot be reused by another scenario while the entry exists.
    key = (id(scenario), seat, state.ablations)
    menu = _STATIC.get(key)
    if menu is None or menu.scenario is not scenario:
        orders = tuple(
            LegalAction(SubmitOrder(order=o), order_cost(scenario, o))
            for o in _static_orders(scenario, seat)
            if check_order(scenario, state, seat, o) is None
        )
        offers = tuple(LegalAction(o) for o in _offer_templates(scenario, seat))
        talk = (
            LegalAction(EndNegotiation()),
            LegalAction(SendMessage(to=PUBLIC, text=MESSAGE_PLACEHOLDER)),
            *(LegalAction(SendMessage(to=s, text=MESSAGE_PLACEHOLDER)) for s in scenario.seat_ids if s != seat),
        )
        menu = _StaticMenu(scenario=scenario, talk=talk, offers=offers, orders=orders)
        _STATIC[key] = menu
    return menu


def _orders(scenario: Scenario, state: GameState, seat: str) -> Iterator[LegalAction]:
    yield LegalAction(EndOrders())
    live = state.seats[seat]
    for index in range(len(live.orders)):
        yield LegalAction(WithdrawOrder(index=index))
    if len(live.orders) >= staff_of(scenario, state, seat):
        return
    held = reserved(scenario, state, seat)
    capital, funds, expertise = live.capital - held.capital, live.funds - held.funds, live.expertise - held.expertise
    for item in _static(scenario, state, seat).orders:
        cost = item.cost
        if cost.capital <= capital and cost.funds <= funds and cost.expertise <= expertise:
            yield item
    for order in _dynamic_orders(scenario, state, seat):
        cost = order_cost(scenario, order)
        if cost.capital <= capital and cost.funds <= funds and cost.expertise <= expertise:
            yield LegalAction(SubmitOrder(order=order), cost)


def _ballots(scenario: Scenario) -> Iterator[tuple[Choice, dict[str, Choice]]]:
    choices: tuple[Choice, ...] = ("yes", "no", "abstain")
    issues = [s.id for s in scenario.side_issues]
    combos: list[dict[str, Choice]] = [{}]
    for issue in issues:
        combos = [{**c, issue: v} for c in combos for v in ("yes", "no")]
    for draft in choices:
        for combo in combos:
            yield draft, combo
