"""The round's flow: lobby → (negotiate → act → resolve → [vote] → upkeep)* → ended.

Phases close on the clock (the server calls `close_phase`), at the facilitator's word, or as
soon as every seat that has something to do in them is done.
"""

from __future__ import annotations

import operator

from game_rules.events import Event
from game_rules.negotiation import alliance_span, expire_offers
from game_rules.resolution import resolve_round
from game_rules.scenario import EventCard, Scenario
from game_rules.state import (
    AllianceSnapshot,
    BlocSnapshot,
    GameState,
    Outcome,
    Phase,
    RoundRecord,
)
from game_rules.voting import break_pledge, close_session, hold_vote, keep_pledge, pending_pledges, voters
from game_rules.world import add_ripeness, baseline_ripeness, clamp, disposition, move_provision, ripeness


def _enter(scenario: Scenario, state: GameState, phase: Phase, events: list[Event]) -> None:
    state.phase = phase
    voting = set(voters(scenario))
    for seat_id, live in state.seats.items():
        # Seats with nothing to do in a phase count as done, so it can close without them.
        live.done = phase == "vote" and seat_id not in voting
        if phase == "vote":
            live.ballot = None
            live.side_ballots = {}
    events.append(
        Event(
            kind="phase_changed",
            round=state.round,
            text=f"Round {state.round}: {phase}.",
            detail={"round": state.round, "phase": phase},
        )
    )


def start_game(scenario: Scenario, state: GameState, events: list[Event]) -> None:
    """Leave the lobby: round 1's scripted events fire and negotiation opens."""
    state.round = 1
    events.append(Event(kind="game_started", round=1, text=f"{scenario.title}: the game begins."))
    _fire_round_events(scenario, state, events)
    _enter(scenario, state, "negotiate", events)


def close_phase(scenario: Scenario, state: GameState, events: list[Event]) -> None:
    """End the current phase and move on, resolving the round when the act phase closes."""
    if state.phase == "negotiate":
        _enter(scenario, state, "act", events)
    elif state.phase == "act":
        if resolve_round(scenario, state, events):
            _enter(scenario, state, "vote", events)
        else:
            _end_round(scenario, state, events)
    elif state.phase == "vote":
        record = hold_vote(scenario, state, events)
        state.vote_called_by = ""
        if record.adopted:
            finish(scenario, state, "adopted", events)
        else:
            _end_round(scenario, state, events)


_DONE = operator.attrgetter("done")


def everyone_done(state: GameState) -> bool:
    """Whether every seat has finished the phase (asked after every action: `map` runs in C)."""
    return all(map(_DONE, state.seats.values()))


def finish(scenario: Scenario, state: GameState, outcome: Outcome, events: list[Event]) -> None:
    """End the game: the session closes (side issues, pledges due at the final vote); from now
    on every view reveals everything."""
    if state.phase != "ended":
        expire_offers(state, events)
        close_session(scenario, state, events)
        _record_round(scenario, state)
    state.outcome = outcome
    state.phase = "ended"
    for live in state.seats.values():
        live.orders = []
        live.done = True
    events.append(
        Event(
            kind="game_ended",
            round=state.round,
            text=f"The game is over: {outcome.replace('_', ' ')}.",
            detail={"outcome": outcome},
        )
    )


def _end_round(scenario: Scenario, state: GameState, events: list[Event]) -> None:
    rules = scenario.rules
    for index, record in pending_pledges(state, "join_alliance"):
        alliance = state.alliances.get(record.pledge.target)
        if alliance is not None and record.pledger in alliance.members:
            keep_pledge(state, index)
        else:
            break_pledge(scenario, state, index, events, "promised to join an alliance")
    expire_offers(state, events)
    for seat_id, live in state.seats.items():
        spec = scenario.seat(seat_id)
        live.capital = max(live.capital, min(rules.capital_cap, live.capital + spec.capital_regen))
        # Staff seconded during this round's resolution work for the host next round.
        live.seconded_in, live.seconded_next = live.seconded_next, 0
    for live_bloc in state.blocs.values():
        live_bloc.politicisation *= 1.0 - rules.politicisation_decay
        live_bloc.goodwill *= 1.0 - rules.goodwill_decay
    state.ripeness_boost *= 1.0 - rules.ripeness_boost_decay
    _record_round(scenario, state)
    events.append(
        Event(
            kind="round_ended", round=state.round, text=f"Round {state.round} is over.", detail={"round": state.round}
        )
    )
    if state.round >= scenario.rounds:
        finish(scenario, state, "round_limit", events)
        return
    upcoming = state.round + 1
    if window_closing(scenario, state, upcoming):
        finish(scenario, state, "window_closed", events)
        return
    state.round = upcoming
    _fire_round_events(scenario, state, events)
    _enter(scenario, state, "negotiate", events)


def window_closing(scenario: Scenario, state: GameState, upcoming: int) -> bool:
    """Whether the window of opportunity shuts before round `upcoming`: the schedule is past
    its peak and ripeness, with what studies, panels and events still hold up, is below the
    floor. Before the peak a low ripeness is a window not yet open, not a closed one."""
    schedule = scenario.ripeness_schedule
    peak = schedule.index(max(schedule)) + 1
    if upcoming <= peak:
        return False
    return clamp(baseline_ripeness(scenario, state, upcoming) + state.ripeness_boost) < scenario.ripeness_floor


def _record_round(scenario: Scenario, state: GameState) -> None:
    if state.history and state.history[-1].round == state.round:
        return
    state.history.append(
        RoundRecord(
            round=state.round,
            ripeness=round(ripeness(scenario, state), 6),
            blocs={
                b.id: BlocSnapshot(
                    disposition=round(disposition(scenario, state, b.id), 6),
                    ownership=round(state.blocs[b.id].ownership, 6),
                    politicisation=round(state.blocs[b.id].politicisation, 6),
                )
                for b in scenario.blocs
            },
            constituencies={k: round(v, 6) for k, v in state.constituencies.items()},
            provisions=dict(state.levels),
            alliances=tuple(
                AllianceSnapshot(id=a.id, members=tuple(a.members), span=alliance_span(scenario, a))
                for a in state.alliances.values()
            ),
            links=tuple(state.links),
            credibility={k: v.credibility for k, v in state.seats.items()},
        )
    )


def _fire_round_events(scenario: Scenario, state: GameState, events: list[Event]) -> None:
    for card in scenario.scripted_events:
        if card.round == state.round:
            fire_event(scenario, state, card, events)
    if scenario.event_table:
        draw = state.draw()
        if draw < scenario.rules.random_event_chance:
            index = state.pick([c.weight for c in scenario.event_table])
            fire_event(scenario, state, scenario.event_table[index], events)


def _targets(keys: dict[str, float] | dict[str, int], every: list[str]) -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    for key, value in keys.items():
        out.extend((k, float(value)) for k in (every if key == "*" else [key]))
    return out


def fire_event(scenario: Scenario, state: GameState, card: EventCard, events: list[Event]) -> None:
    """Apply an event card's effects and announce it with its text."""
    fx = card.effects
    add_ripeness(scenario, state, fx.ripeness)
    bloc_ids = [b.id for b in scenario.blocs]
    for bloc_id, value in _targets(dict(fx.ownership), bloc_ids + list(state.constituencies)):
        if bloc_id in state.blocs:
            state.blocs[bloc_id].ownership = clamp(state.blocs[bloc_id].ownership + value)
        elif bloc_id in state.constituencies:
            state.constituencies[bloc_id] = clamp(state.constituencies[bloc_id] + value)
    for bloc_id, value in _targets(dict(fx.goodwill), bloc_ids):
        state.blocs[bloc_id].goodwill += value
    for bloc_id, value in _targets(dict(fx.politicisation), bloc_ids):
        state.blocs[bloc_id].politicisation = clamp(state.blocs[bloc_id].politicisation + value)
    seat_ids = list(scenario.seat_ids)
    for name in ("credibility", "capital", "funds", "expertise"):
        for seat_id, value in _targets(dict(getattr(fx, name)), seat_ids):
            live = state.seats[seat_id]
            current = getattr(live, name)
            # Events add or remove from outside the game; they never push a resource below zero.
            new = max(0, current + int(value))
            if name == "credibility":
                new = min(100, new)
            setattr(live, name, new)
    for provision_id, delta in fx.provisions.items():
        move_provision(scenario, state, "", provision_id, delta, "event")
    state.bulletins.append(f"{card.title}: {card.text}")
    events.append(
        Event(
            kind="scenario_event",
            round=state.round,
            text=f"{card.title}: {card.text}",
            detail={"card": card.id, "title": card.title},
        )
    )
