"""Resolving a round: every seat's secret orders applied in RULES.md's fixed order.

funding → studies and panels → consultations (and trial balloons) → lobbying →
tabling and amendments → spoiling → calls. Within a step, seats act in an order drawn from
the game's generator, so ties are broken by the seed and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from game_rules.actions import (
    CallVote,
    CommissionStudy,
    ConvenePanel,
    Grant,
    HostConsultation,
    Lobby,
    Order,
    PledgePooledFund,
    ProposeAmendment,
    SecondStaff,
    Spoil,
    TableDraft,
    TrialBalloon,
)
from game_rules.events import Event
from game_rules.negotiation import alliances_of
from game_rules.orders import order_cost
from game_rules.scenario import Scenario
from game_rules.state import DraftChange, GameState, Sounding, SpoilRecord
from game_rules.voting import break_pledge, pending_pledges
from game_rules.world import add_ripeness, clamp, disposition, politicise, span_factor


@dataclass(frozen=True)
class _Given:
    seat: str
    order: Order


class _Round:
    """One resolution's working set: the orders in play, the seat order, and the events."""

    def __init__(self, scenario: Scenario, state: GameState, events: list[Event]) -> None:
        self.scenario = scenario
        self.state = state
        self.events = events
        order = state.shuffle(list(scenario.seat_ids))
        self.seat_order = order
        self.given = [_Given(seat, o) for seat in order for o in state.seats[seat].orders]
        self.amended: dict[str, tuple[int, str]] = {}
        self.performed: set[tuple[str, str]] = set()

    def of(self, *kinds: type) -> Iterator[_Given]:
        return (g for g in self.given if isinstance(g.order, kinds))

    def name(self, seat: str) -> str:
        return self.scenario.seat(seat).name

    def emit(self, kind: str, text: str, audience: tuple[str, ...] = (), **detail: object) -> None:
        self.events.append(
            Event(kind=kind, round=self.state.round, text=text, audience=audience, detail=dict(detail))  # type: ignore[arg-type]
        )

    def pay(self, seat: str, capital: int = 0, funds: int = 0, expertise: int = 0) -> bool:
        """Charge a seat, or charge nothing and say so if it cannot pay in full."""
        live = self.state.seats[seat]
        if live.capital < capital or live.funds < funds or live.expertise < expertise:
            self.emit("order_failed", f"{self.name(seat)} could not pay for an order.", (seat,), seat=seat)
            return False
        live.capital -= capital
        live.funds -= funds
        live.expertise -= expertise
        return True

    def charge(self, seat: str, order: Order) -> bool:
        cost = order_cost(self.scenario, order)
        return self.pay(seat, cost.capital, cost.funds, cost.expertise)

    def links_among(self, seats: list[str]) -> int:
        return sum(
            1 for i, a in enumerate(seats) for b in seats[i + 1 :] if self.state.are_linked(a, b)
        )

    def split(self, total: int, seats: list[str]) -> dict[str, int]:
        """A joint cost split evenly, cheaper for each revolving-door link among the takers."""
        r = self.scenario.rules
        discount = min(r.link_discount_max, r.link_discount * self.links_among(seats))
        total = round(total * (1.0 - discount))
        share, rest = divmod(total, len(seats))
        return {s: share + (1 if i < rest else 0) for i, s in enumerate(seats)}

    def span(self, seats: list[str]) -> int:
        return len({self.scenario.seat(s).kind for s in seats})


def resolve_round(scenario: Scenario, state: GameState, events: list[Event]) -> bool:
    """Apply every pending order in the fixed order. Returns whether a vote now follows."""
    work = _Round(scenario, state, events)
    _funding(work)
    _studies_and_panels(work)
    _consultations(work)
    _lobbying(work)
    _amendments(work)
    _spoiling(work)
    vote_follows = _calls(work)
    _settle_earmarks(work)
    _check_order_pledges(work)
    for live in state.seats.values():
        live.orders = []
    return vote_follows


def _funding(work: _Round) -> None:
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


def _studies_and_panels(work: _Round) -> None:
    state, scenario, r = work.state, work.scenario, work.scenario.rules
    for given in work.of(CommissionStudy):
        seat, order = given.seat, given.order
        assert isinstance(order, CommissionStudy)
        if not work.charge(seat, order):
            continue
        state.seats[order.performer].funds += order.funds
        gained = r.study_expertise + order.funds // r.study_funds_per_extra_expertise
        state.seats[seat].expertise += gained
        boost = r.study_ripeness * state.seats[order.performer].credibility / 100.0
        add_ripeness(scenario, state, boost)
        work.performed.add((seat, "study"))
        work.performed.add((order.performer, "study"))
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
        boost = r.panel_ripeness * span_factor(scenario, span - r.panel_min_kinds + 1)
        add_ripeness(scenario, state, boost)
        for s in payers:
            state.seats[s].expertise += r.panel_expertise
            work.performed.add((s, "panel"))
        work.emit(
            "panel",
            f"A high-level panel convened by “{name}” reported ({span} kinds of seat took part).",
            alliance=alliance_id,
            seats=list(payers),
            span=span,
            ripeness=round(boost, 3),
        )


def _consultations(work: _Round) -> None:
    state, scenario, r = work.state, work.scenario, work.scenario.rules
    groups: dict[tuple[str, str], list[_Given]] = {}
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
        for s in hosts:
            work.performed.add((s, "consultation"))
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


def _trial_balloon(work: _Round, seat: str, order: TrialBalloon) -> None:
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


def _lobbying(work: _Round) -> None:
    state, scenario, r = work.state, work.scenario, work.scenario.rules
    for given in work.of(Lobby):
        seat, order = given.seat, given.order
        assert isinstance(order, Lobby)
        if not work.charge(seat, order):
            continue
        strength = state.seats[seat].credibility / 100.0
        if order.target in state.blocs:
            bloc_id = order.target
        else:
            target = scenario.seat(order.target)
            bloc_id = target.bloc or ""
            strength *= r.seat_lobby_share
            if state.are_linked(seat, order.target):
                strength *= r.link_persuasion
        if bloc_id not in state.blocs:
            continue
        live = state.blocs[bloc_id]
        gain = r.lobby_goodwill * strength * (1 - live.politicisation / 100.0) * (0.5 + live.ownership / 100.0)
        live.goodwill += gain
        politicise(scenario, state, [bloc_id])
        work.emit(
            "lobbying",
            f"{work.name(seat)} lobbied {scenario.bloc(bloc_id).name} in New York.",
            seat=seat,
            target=order.target,
            bloc=bloc_id,
        )


def _move(work: _Round, seat: str, provision: str, delta: int, via: str) -> bool:
    state = work.state
    top = work.scenario.provision(provision).top
    before = state.levels[provision]
    after = max(0, min(top, before + delta))
    if after == before:
        return False
    state.levels[provision] = after
    state.draft_history.append(
        DraftChange(round=state.round, seat=seat, provision=provision, before=before, after=after, via=via)  # type: ignore[arg-type]
    )
    return True


def _amendments(work: _Round) -> None:
    state, scenario = work.state, work.scenario
    all_blocs = [b.id for b in scenario.blocs]
    tablers = [g.seat for g in work.of(TableDraft)]
    payers = [s for s in tablers if work.charge(s, TableDraft())]
    if payers:
        newly = not state.tabled
        state.tabled = True
        state.sponsors.extend(s for s in payers if s not in state.sponsors)
        # Co-sponsors from several kinds and blocs spread the "imposed" reading of a draft.
        politicise(scenario, state, all_blocs, scale=1.0 / work.span(payers + state.sponsors))
        work.emit(
            "draft_tabled",
            ("The draft was tabled in New York by " if newly else "The draft gained co-sponsors: ")
            + ", ".join(work.name(s) for s in payers)
            + ".",
            sponsors=list(state.sponsors),
        )
    proposals: dict[str, list[tuple[str, int]]] = {}
    for given in work.of(ProposeAmendment):
        order = given.order
        assert isinstance(order, ProposeAmendment)
        if work.charge(given.seat, order):
            proposals.setdefault(order.provision, []).append((given.seat, order.direction))
    for provision, moves in proposals.items():
        net = sum(d for _, d in moves)
        if net == 0:
            u = state.draw()
            winner = moves[int(u * len(moves))]
        else:
            winner = next(m for m in moves if (m[1] > 0) == (net > 0))
        seat, direction = winner
        politicise(scenario, state, all_blocs)
        if _move(work, seat, provision, direction, "amendment"):
            work.amended[provision] = (state.levels[provision] - direction, seat)
            p = scenario.provision(provision)
            work.emit(
                "amendment",
                f"Amendment adopted on {p.name}: now “{p.levels[state.levels[provision]]}” "
                f"(proposed by {work.name(seat)}).",
                seat=seat,
                provision=provision,
                level=state.levels[provision],
                direction=direction,
            )


def _spoiling(work: _Round) -> None:
    state, scenario, r = work.state, work.scenario, work.scenario.rules
    for given in work.of(Spoil):
        seat, order = given.seat, given.order
        assert isinstance(order, Spoil)
        if not work.charge(seat, order):
            continue
        watchers = len(state.links_of(seat))
        chance = min(1.0, r.spoil_exposure_base + r.spoil_exposure_per_link * watchers)
        draw = state.draw()
        exposed = draw < chance
        state.spoils.append(
            SpoilRecord(
                round=state.round, seat=seat, mode=order.mode, provision=order.provision, exposed=exposed, draw=draw
            )
        )
        _spoil_effect(work, seat, order)
        if exposed:
            loss = min(state.seats[seat].credibility, r.spoil_exposure_credibility)
            state.seats[seat].credibility -= loss
            state.seats[seat].spoils_exposed += 1
            work.emit(
                "spoiler_exposed",
                f"{work.name(seat)} was exposed spoiling ({order.mode.replace('_', ' ')}).",
                seat=seat,
                mode=order.mode,
                credibility_lost=loss,
            )


def _spoil_effect(work: _Round, seat: str, order: Spoil) -> None:
    state, scenario = work.state, work.scenario
    if order.mode == "block_amendment":
        if order.provision in work.amended:
            before, proposer = work.amended.pop(order.provision)
            _move(work, seat, order.provision, before - state.levels[order.provision], "hq_loop")
            work.emit(
                "amendment_blocked",
                f"The amendment on {scenario.provision(order.provision).name} was blocked.",
                provision=order.provision,
                proposer=proposer,
            )
    elif order.mode == "water_down":
        if _move(work, seat, order.provision, -1, "hq_loop"):
            p = scenario.provision(order.provision)
            work.emit(
                "watered_down",
                f"{p.name} was watered down in the HQ loop to “{p.levels[state.levels[order.provision]]}”.",
                provision=order.provision,
                level=state.levels[order.provision],
            )
    elif order.mode == "delay_vote":
        state.vote_delayed = True


def _calls(work: _Round) -> bool:
    state = work.state
    for given in work.of(CallVote):
        if not (state.tabled and given.seat in state.sponsors):
            work.emit(
                "order_failed",
                f"{work.name(given.seat)} could not call the vote: it does not sponsor a tabled draft.",
                (given.seat,),
                seat=given.seat,
            )
            continue
        if work.charge(given.seat, given.order) and not state.vote_called_by:
            state.vote_called_by = given.seat
            politicise(work.scenario, state, [b.id for b in work.scenario.blocs])
    if not state.vote_called_by:
        state.vote_delayed = False
        return False
    if state.vote_delayed:
        state.vote_delayed = False
        work.emit("vote_delayed", "The vote was delayed by a round.", by=state.vote_called_by)
        return False
    work.emit(
        "vote_called",
        f"{work.name(state.vote_called_by)} called the vote on the draft.",
        by=state.vote_called_by,
    )
    return True


def _settle_earmarks(work: _Round) -> None:
    """Earmarked grants unused by the end of the next round go back to the donor."""
    state = work.state
    for seat, live in state.seats.items():
        for key in list(live.earmarks):
            donor, purpose, expires = key.split("|")
            if (seat, purpose) in work.performed:
                del live.earmarks[key]
            elif int(expires) <= state.round:
                amount = min(live.earmarks.pop(key), live.funds)
                live.funds -= amount
                state.seats[donor].funds += amount


def _check_order_pledges(work: _Round) -> None:
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
