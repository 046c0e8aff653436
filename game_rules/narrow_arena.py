"""Resolving the narrow arena, the formal one in New York: lobbying, tabling and amendments,
spoiling, calls (RULES.md §5.2), in that order."""

from __future__ import annotations

from game_rules.actions import CallVote, Lobby, ProposeAmendment, Spoil, TableDraft
from game_rules.round_orders import RoundOrders
from game_rules.state import DraftVia, SpoilRecord
from game_rules.voting import is_reconsideration
from game_rules.world import clamp, move_provision, politicise


def lobbying(work: RoundOrders) -> None:
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
        # Lobbying in New York is also horse-trading: the lobbyist asks for its side issues too.
        for issue, stake in scenario.seat(seat).side_stakes.items():
            leans = state.side_leans[issue]
            leans[bloc_id] = clamp(leans[bloc_id] + r.side_issue_lobby_lean * stake * strength)
        politicise(scenario, state, [bloc_id])
        work.emit(
            "lobbying",
            f"{work.name(seat)} lobbied {scenario.bloc(bloc_id).name} in New York.",
            seat=seat,
            target=order.target,
            bloc=bloc_id,
        )


def _move(work: RoundOrders, seat: str, provision: str, delta: int, via: DraftVia) -> bool:
    return move_provision(work.scenario, work.state, seat, provision, delta, via)


def amendments(work: RoundOrders) -> None:
    state, scenario = work.state, work.scenario
    all_blocs = [b.id for b in scenario.blocs]
    tablers = [g.seat for g in work.of(TableDraft)]
    payers = [s for s in tablers if work.charge(s, TableDraft())]
    if payers:
        newly = not state.tabled
        state.tabled = True
        state.sponsors.extend(s for s in payers if s not in state.sponsors)
        # A bloc with a sponsor of its own does not read the draft as imposed on it, and sponsors
        # from several blocs spread what is left of the "imposed by the West" reading.
        own = {scenario.seat(s).bloc for s in state.sponsors}
        politicise(scenario, state, [b for b in all_blocs if b not in own], scale=1.0 / max(1, len(own)))
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
            # Announced after spoiling, when it is known whether the HQ loop blocked it.
            work.amended[provision] = (seat, direction, state.draft_history[-1])


def announce_amendments(work: RoundOrders) -> None:
    """The amendments that survived spoiling, now in the text."""
    state, scenario = work.state, work.scenario
    for provision, (seat, direction, _change) in work.amended.items():
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


def spoiling(work: RoundOrders) -> None:
    state, r = work.state, work.scenario.rules
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
            work.emit(
                "spoiler_exposed",
                f"{work.name(seat)} was exposed spoiling ({order.mode.replace('_', ' ')}).",
                seat=seat,
                mode=order.mode,
                credibility_lost=loss,
            )


def _spoil_effect(work: RoundOrders, seat: str, order: Spoil) -> None:
    state, scenario = work.state, work.scenario
    if order.mode == "block_amendment":
        if order.provision in work.amended:
            # A blocked amendment never enters the text: its move is undone and struck from the
            # draft's history (the spoil record keeps who blocked it, for the debrief).
            proposer, direction, change = work.amended.pop(order.provision)
            top = scenario.provision(order.provision).top
            state.levels[order.provision] = max(0, min(top, state.levels[order.provision] - direction))
            state.draft_history = [c for c in state.draft_history if c is not change]
            p = scenario.provision(order.provision)
            work.emit(
                "amendment_blocked",
                f"The amendment on {p.name} proposed by {work.name(proposer)} was blocked in the HQ loop; "
                f"it stays “{p.levels[state.levels[order.provision]]}”.",
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


def calls(work: RoundOrders) -> bool:
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
        if is_reconsideration(state):
            work.emit(
                "order_failed",
                f"{work.name(given.seat)} could not call the vote: the text was rejected and has not changed since.",
                (given.seat,),
                seat=given.seat,
            )
            continue
        if state.vote_called_by:
            # The vote is called once: a second sponsor's call joins the first and costs nothing.
            work.emit(
                "vote_call_joined",
                f"{work.name(state.vote_called_by)} had already called the vote; your call cost nothing.",
                (given.seat,),
                seat=given.seat,
                by=state.vote_called_by,
            )
        elif work.charge(given.seat, given.order):
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
