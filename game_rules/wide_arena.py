"""Resolving the wide arena, outside New York: funding, studies and panels, consultations,
trial balloons (RULES.md §5.1), in that order."""

from __future__ import annotations

from game_rules.actions import (
    CommissionStudy,
    ConvenePanel,
    Grant,
    HostConsultation,
    PledgePooledFund,
    SecondStaff,
    TrialBalloon,
)
from game_rules.negotiation import alliances_of
from game_rules.round_orders import Given, RoundOrders
from game_rules.state import Sounding
from game_rules.world import add_ripeness, clamp, disposition, span_factor


def funding(work: RoundOrders) -> None:
    state = work.state
    for given in work.of(Grant, PledgePooledFund, SecondStaff):
        seat, order = given.seat, given.order
        if not work.charge(seat, order):
            continue
        if isinstance(order, Grant):
            state.seats[order.to].funds += order.amount
            key = f"{seat}|{order.purpose}|{state.round + 1}"
            earmarks = state.seats[order.to].earmarks
            earmarks[key] = earmarks.get(key, 0) + order.amount
            work.emit(
                "grant",
                f"{work.name(seat)} gave {work.name(order.to)} a grant of {order.amount} for a {order.purpose}.",
                (seat, order.to),
                donor=seat,
                recipient=order.to,
                amount=order.amount,
                purpose=order.purpose,
            )
        elif isinstance(order, PledgePooledFund):
            state.pooled_fund += order.amount
            work.emit(
                "pooled_fund",
                f"{work.name(seat)} pledged {order.amount} to the pooled fund.",
                seat=seat,
                amount=order.amount,
            )
        elif isinstance(order, SecondStaff):
            r = work.scenario.rules
            state.seats[order.to].funds += r.second_cost_funds
            moved = min(r.second_expertise, state.seats[seat].expertise)
            state.seats[seat].expertise -= moved
            state.seats[order.to].expertise += moved
            state.seats[order.to].seconded_next += 1
            if not state.are_linked(seat, order.to):
                state.links.append((seat, order.to))
            work.emit(
                "secondment",
                f"{work.name(seat)} seconded staff to {work.name(order.to)}: a revolving-door link.",
                seat=seat,
                to=order.to,
            )


def studies_and_panels(work: RoundOrders) -> None:
    state, scenario, r = work.state, work.scenario, work.scenario.rules
    for given in work.of(CommissionStudy):
        seat, order = given.seat, given.order
        assert isinstance(order, CommissionStudy)
        if not work.charge(seat, order):
            continue
        if order.performer != seat:
            state.seats[order.performer].funds += order.funds
        # else: an in-house study pays the seat's own researchers; the funds are spent.
        work.use_earmarks(seat, "study", order.funds)
        gained = r.study_expertise + order.funds // r.study_funds_per_extra_expertise
        state.seats[seat].expertise += gained
        boost = r.study_ripeness * state.seats[order.performer].credibility / 100.0
        add_ripeness(scenario, state, boost)
        work.emit(
            "study",
            f"{work.name(order.performer)} published a study for {work.name(seat)}.",
            seat=seat,
            performer=order.performer,
            expertise=gained,
            ripeness=round(boost, 3),
        )
    panels: dict[str, list[str]] = {}
    for given in work.of(ConvenePanel):
        assert isinstance(given.order, ConvenePanel)
        alliance = given.order.alliance
        if alliance in state.alliances and given.seat in state.alliances[alliance].members:
            panels.setdefault(alliance, []).append(given.seat)
    for alliance_id, seats in panels.items():
        span = work.span(seats)
        name = state.alliances[alliance_id].name
        if span < r.panel_min_kinds:
            work.emit(
                "panel_failed",
                f"The panel of “{name}” did not meet: it drew {span} kinds of seat, "
                f"and a panel needs {r.panel_min_kinds}.",
                tuple(seats),
                alliance=alliance_id,
                span=span,
            )
            continue
        shares = work.split(r.panel_cost_funds, seats)
        payers = [s for s in seats if work.pay(s, funds=shares[s])]
        if not payers:
            continue
        for s in payers:
            work.use_earmarks(s, "panel", shares[s])
        boost = r.panel_ripeness * span_factor(scenario, span - r.panel_min_kinds + 1)
        add_ripeness(scenario, state, boost)
        for s in payers:
            state.seats[s].expertise += r.panel_expertise
        work.emit(
            "panel",
            f"A high-level panel convened by “{name}” reported ({span} kinds of seat took part).",
            alliance=alliance_id,
            seats=list(payers),
            span=span,
            ripeness=round(boost, 3),
        )


def consultations(work: RoundOrders) -> None:
    state, scenario, r = work.state, work.scenario, work.scenario.rules
    groups: dict[tuple[str, str], list[Given]] = {}
    for given in work.of(HostConsultation):
        order = given.order
        assert isinstance(order, HostConsultation)
        joint = order.alliance if order.alliance in state.alliances else ""
        if joint and given.seat not in state.alliances[joint].members:
            joint = ""
        key = (order.venue, joint or f"seat:{given.seat}")
        groups.setdefault(key, []).append(given)
    for (venue_id, _host), group in groups.items():
        seats = [g.seat for g in group]
        shares = work.split(r.consultation_cost_funds, seats)
        hosts: list[str] = []
        expertise = 0
        for g in group:
            assert isinstance(g.order, HostConsultation)
            if work.pay(g.seat, funds=shares[g.seat], expertise=g.order.expertise):
                work.use_earmarks(g.seat, "consultation", shares[g.seat])
                hosts.append(g.seat)
                expertise += g.order.expertise
        if not hosts:
            continue
        span = work.span(hosts)
        credibility = sum(state.seats[s].credibility for s in hosts) / len(hosts) / 100.0
        depth = 1.0 + r.consultation_expertise_bonus * min(expertise, r.consultation_max_expertise)
        factor = credibility * depth * span_factor(scenario, span)
        venue = scenario.venue(venue_id)
        for bloc_id in venue.blocs:
            live = state.blocs[bloc_id]
            live.ownership = clamp(live.ownership + r.consultation_ownership * factor)
            live.goodwill += r.consultation_goodwill * factor
        for constituency in venue.constituencies:
            value = state.constituencies[constituency] + r.consultation_ownership * factor
            state.constituencies[constituency] = clamp(value)
        work.emit(
            "consultation",
            f"A regional consultation in {venue.name} hosted by "
            f"{', '.join(work.name(s) for s in hosts)} built ownership among "
            f"{', '.join(venue.blocs + venue.constituencies) or 'nobody'}.",
            venue=venue_id,
            hosts=list(hosts),
            span=span,
            ownership=round(r.consultation_ownership * factor, 3),
        )
    for given in work.of(TrialBalloon):
        order = given.order
        assert isinstance(order, TrialBalloon)
        _trial_balloon(work, given.seat, order)


def _trial_balloon(work: RoundOrders, seat: str, order: TrialBalloon) -> None:
    state, scenario = work.state, work.scenario
    proposed = dict(state.levels)
    proposed[order.provision] = order.level
    reactions = {
        b.id: round(disposition(scenario, state, b.id, proposed) - disposition(scenario, state, b.id), 3)
        for b in scenario.blocs
    }
    kind = scenario.seat(seat).kind
    cost = 0
    if kind in ("state", "agency"):
        # The UN and its members cannot float ideas for free: the blocs that dislike it remember.
        displeased = sum(1 for v in reactions.values() if v < 0)
        cost = min(state.seats[seat].credibility, displeased * scenario.rules.trial_balloon_credibility)
        state.seats[seat].credibility -= cost
    audience = {seat}
    for alliance in alliances_of(state, seat):
        audience.update(alliance.members)
    state.soundings.append(
        Sounding(
            round=state.round,
            seat=seat,
            provision=order.provision,
            level=order.level,
            reactions=reactions,
            audience=tuple(sorted(audience)),
        )
    )
    level_name = scenario.provision(order.provision).levels[order.level]
    work.emit(
        "trial_balloon",
        f"{work.name(seat)} floated “{level_name}” for {scenario.provision(order.provision).name}.",
        tuple(sorted(audience)),
        seat=seat,
        provision=order.provision,
        level=order.level,
        reactions=reactions,
        credibility_cost=cost,
    )
