"""One game between bots, on the engine alone: no server, no clock.

Seats take turns in a fixed rotation, one action each, until every seat is done with the
phase; a phase that drags past its step budget is closed as a deadline would close it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from bots import REFERENCE_BOTS, Bot, make_bot
from game_rules import (
    FACILITATOR,
    Applied,
    Event,
    GameState,
    Rejected,
    Scenario,
    apply,
    close_phase,
    legal_actions,
    new_game,
    view,
)
from game_rules.actions import Action, ClosePhase, StartGame

STEPS_PER_SEAT_PHASE = 40


class BotMisplay(RuntimeError):
    """A bot chose an action the engine refused: a bug in the bot or the legal list."""


@dataclass
class PlayedGame:
    """A finished game: its last state, every event, the counts, and the action log (every
    action given to the engine, accepted or not, phase closes included): with the scenario
    and the seed, the log rebuilds the game."""

    state: GameState
    events: list[Event]
    actions: int
    rejections: int
    reducer_seconds: float
    query_seconds: float
    log: list[tuple[str, Action]]


def play_game(
    scenario: Scenario,
    seed: int,
    lineup: dict[str, str],
    ablations: tuple[str, ...] = (),
    strict: bool = True,
) -> PlayedGame:
    """Play one seeded game between the bots of `lineup` (seat -> bot name)."""
    bots: dict[str, Bot] = {seat: make_bot(name, seed, seat) for seat, name in lineup.items()}
    state = new_game(scenario, seed, ablations)
    events: list[Event] = []
    started = apply(scenario, state, FACILITATOR, StartGame())
    assert isinstance(started, Applied)
    state = started.state
    events.extend(started.events)
    log: list[tuple[str, Action]] = [(FACILITATOR, StartGame())]
    actions = rejections = 0
    # Time inside the engine, not in the bots: the reducer (apply, close_phase) and the queries
    # the bots make before each move (legal actions, views).
    reducer = queries = 0.0
    clock = time.perf_counter
    seats = list(scenario.seat_ids)
    while state.phase != "ended":
        phase_key = (state.round, state.phase)
        budget = STEPS_PER_SEAT_PHASE * len(seats)
        while (state.round, state.phase) == phase_key and budget > 0:
            moved = False
            for seat in seats:
                if (state.round, state.phase) != phase_key:
                    break
                began = clock()
                legal = legal_actions(scenario, state, seat)
                if not legal:
                    queries += clock() - began
                    continue
                seen = view(scenario, state, seat)
                queries += clock() - began
                action = bots[seat].act(seen, legal)
                began = clock()
                result = apply(scenario, state, seat, action)
                reducer += clock() - began
                log.append((seat, action))
                budget -= 1
                moved = True
                if isinstance(result, Rejected):
                    rejections += 1
                    if strict and lineup[seat] in REFERENCE_BOTS:
                        raise BotMisplay(f"{lineup[seat]} in {seat} chose {action!r}: {result.code} {result.message}")
                    continue
                actions += 1
                state = result.state
                events.extend(result.events)
            if not moved:
                break
        if (state.round, state.phase) == phase_key and state.phase != "ended":
            began = clock()
            closed = close_phase(scenario, state)
            reducer += clock() - began
            log.append((FACILITATOR, ClosePhase()))
            assert isinstance(closed, Applied), closed
            state = closed.state
            events.extend(closed.events)
    return PlayedGame(
        state=state,
        events=events,
        actions=actions,
        rejections=rejections,
        reducer_seconds=reducer,
        query_seconds=queries,
        log=log,
    )


__all__ = ["BotMisplay", "PlayedGame", "play_game"]
