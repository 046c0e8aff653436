"""Resolving a round: every seat's secret orders applied in RULES.md's fixed order.

funding → studies and panels → consultations (and trial balloons) → lobbying →
tabling and amendments → spoiling → calls. Within a step, seats act in an order drawn from
the game's generator, so ties are broken by the seed and nothing else.
"""

from __future__ import annotations

from game_rules import narrow_arena, wide_arena
from game_rules.actions import ProposeAmendment, Spoil
from game_rules.events import Event
from game_rules.round_orders import RoundOrders
from game_rules.scenario import Scenario
from game_rules.state import GameState
from game_rules.voting import break_pledge, pending_pledges


def resolve_round(scenario: Scenario, state: GameState, events: list[Event]) -> bool:
    """Apply every pending order in the fixed order. Returns whether a vote now follows."""
    work = RoundOrders(scenario, state, events)
    wide_arena.funding(work)
    wide_arena.studies_and_panels(work)
    wide_arena.consultations(work)
    narrow_arena.lobbying(work)
    narrow_arena.amendments(work)
    narrow_arena.spoiling(work)
    narrow_arena.announce_amendments(work)
    vote_follows = narrow_arena.calls(work)
    _settle_earmarks(work)
    _check_order_pledges(work)
    for live in state.seats.values():
        live.orders = []
    return vote_follows


def _settle_earmarks(work: RoundOrders) -> None:
    """What is left of an earmarked grant at the end of the next round goes back to the donor
    (as much of it as the recipient still holds)."""
    state = work.state
    for live in state.seats.values():
        for key in list(live.earmarks):
            donor, _purpose, expires = key.split("|")
            if int(expires) <= state.round:
                amount = min(live.earmarks.pop(key), live.funds)
                live.funds -= amount
                state.seats[donor].funds += amount


def _check_order_pledges(work: RoundOrders) -> None:
    """Pledges not to spoil, and to back an amendment, are judged by the round's orders."""
    state, scenario = work.state, work.scenario
    spoilers = {g.seat for g in work.of(Spoil)}
    for index, record in pending_pledges(state, "no_spoil"):
        if record.pledger in spoilers:
            break_pledge(scenario, state, index, work.events, "promised not to spoil")
    for index, record in pending_pledges(state, "amendment"):
        wanted = 1 if record.pledge.value == "up" else -1
        for given in work.given:
            if given.seat != record.pledger:
                continue
            order = given.order
            countered = isinstance(order, ProposeAmendment) and (
                order.provision == record.pledge.target and order.direction == -wanted
            )
            spoiled = isinstance(order, Spoil) and (
                order.provision == record.pledge.target and order.mode != "delay_vote" and wanted > 0
            )
            if countered or spoiled:
                break_pledge(scenario, state, index, work.events, f"promised to back {record.pledge.target}")
                break
