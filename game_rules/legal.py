"""The legal actions of a seat now, each with its cost: what a bot (or a menu) chooses from.

Amounts are offered at the scenario's standard sizes (`rules.grant_amounts`,
`rules.offer_amounts`); `apply` accepts any amount that fits. A message's text is a
placeholder to replace. Every action listed here is accepted by `apply` as it stands.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

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
from game_rules.orders import GRANT_PURPOSES, Cost, can_afford, check_order, order_cost, staff_of
from game_rules.scenario import Scenario
from game_rules.state import GameState
from game_rules.voting import voters

MESSAGE_PLACEHOLDER = "(your message)"
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
    yield LegalAction(EndNegotiation())
    yield LegalAction(SendMessage(to=PUBLIC, text=MESSAGE_PLACEHOLDER))
    mine = alliances_of(state, seat)
    for alliance in mine:
        yield LegalAction(SendMessage(to=ALLIANCE_PREFIX + alliance.id, text=MESSAGE_PLACEHOLDER))
    others = [s for s in scenario.seat_ids if s != seat]
    for other in others:
        yield LegalAction(SendMessage(to=other, text=MESSAGE_PLACEHOLDER))
    for offer in state.offers.values():
        if offer.status != "open":
            continue
        if offer.recipient == seat:
            live = state.seats[seat]
            gets = offer.gets
            if live.capital >= gets.capital and live.funds >= gets.funds and live.expertise >= gets.expertise:
                yield LegalAction(AcceptOffer(offer=offer.id))
            yield LegalAction(DeclineOffer(offer=offer.id))
        elif offer.sender == seat:
            yield LegalAction(WithdrawOffer(offer=offer.id))
    if "horse_trading" not in state.ablations:
        yield from _offer_templates(scenario, state, seat, others)
    spec = scenario.seat(seat)
    if not mine:
        yield LegalAction(FoundAlliance(name=f"Friends of {spec.name}", platform=dict(spec.preferences.ideal)))
    for alliance in mine:
        yield LegalAction(LeaveAlliance(alliance=alliance.id))
        for other in others:
            if other not in alliance.members and can_join(scenario, state, alliance, other):
                yield LegalAction(InviteToAlliance(alliance=alliance.id, seat=other))
    for alliance in state.alliances.values():
        if seat in alliance.invited:
            yield LegalAction(JoinAlliance(alliance=alliance.id))


def _offer_templates(scenario: Scenario, state: GameState, seat: str, others: list[str]) -> Iterator[LegalAction]:
    """Standard trades: resources for a vote, for not spoiling, for a side issue, or in kind."""
    live = state.seats[seat]
    for amount in scenario.rules.offer_amounts:
        for other in others:
            spec = scenario.seat(other)
            if live.capital >= amount and spec.votes and scenario.decision_rule != "security_council":
                yield LegalAction(
                    MakeOffer(to=other, gives=Terms(capital=amount), gets=Terms(pledges=(Pledge("vote", "", "yes"),)))
                )
            if live.funds >= amount and spec.kind in ("state", "agency"):
                yield LegalAction(
                    MakeOffer(to=other, gives=Terms(funds=amount), gets=Terms(pledges=(Pledge("no_spoil"),)))
                )
            if live.funds >= amount:
                yield LegalAction(MakeOffer(to=other, gives=Terms(funds=amount), gets=Terms(expertise=1)))
            if live.expertise >= 1:
                yield LegalAction(MakeOffer(to=other, gives=Terms(expertise=1), gets=Terms(funds=amount)))
            if spec.votes:
                for issue in scenario.side_issues:
                    yield LegalAction(
                        MakeOffer(
                            to=other,
                            gives=Terms(pledges=(Pledge("vote", "", "yes"),)) if scenario.seat(seat).votes else Terms(),
                            gets=Terms(pledges=(Pledge("side_issue", issue.id, "yes"),)),
                        )
                    )


def _candidate_orders(scenario: Scenario, state: GameState, seat: str) -> Iterator[Order]:
    r = scenario.rules
    others = [s for s in scenario.seat_ids if s != seat]
    mine = alliances_of(state, seat)
    for amount in r.grant_amounts:
        if amount >= r.study_min_funds:
            for performer in scenario.seats:
                if performer.kind in ("think_tank", "agency"):
                    yield CommissionStudy(performer=performer.id, funds=amount)
    for venue in scenario.venues:
        for alliance in ("", *(a.id for a in mine)):
            yield HostConsultation(venue=venue.id, expertise=0, alliance=alliance)
            if r.consultation_max_expertise:
                yield HostConsultation(venue=venue.id, expertise=min(2, r.consultation_max_expertise), alliance=alliance)
    for alliance in mine:
        yield ConvenePanel(alliance=alliance.id)
    for p in scenario.provisions:
        for level in range(p.top + 1):
            if level != state.levels[p.id]:
                yield TrialBalloon(provision=p.id, level=level)
    for amount in r.grant_amounts:
        for other in others:
            for purpose in GRANT_PURPOSES:
                yield Grant(to=other, amount=amount, purpose=purpose)
        yield PledgePooledFund(amount=amount)
    for other in others:
        yield SecondStaff(to=other)
    yield TableDraft()
    for p in scenario.provisions:
        for direction in (1, -1):
            yield ProposeAmendment(provision=p.id, direction=direction)
    for bloc in scenario.blocs:
        yield Lobby(target=bloc.id)
    for other in others:
        yield Lobby(target=other)
    yield Spoil(mode="delay_vote")
    for p in scenario.provisions:
        yield Spoil(mode="block_amendment", provision=p.id)
        yield Spoil(mode="water_down", provision=p.id)
    yield CallVote()


def _orders(scenario: Scenario, state: GameState, seat: str) -> Iterator[LegalAction]:
    yield LegalAction(EndOrders())
    live = state.seats[seat]
    for index in range(len(live.orders)):
        yield LegalAction(WithdrawOrder(index=index))
    if len(live.orders) >= staff_of(scenario, state, seat):
        return
    for order in _candidate_orders(scenario, state, seat):
        cost = order_cost(scenario, order)
        if can_afford(scenario, state, seat, cost) and check_order(scenario, state, seat, order) is None:
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
