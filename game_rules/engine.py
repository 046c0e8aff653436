"""The engine's entry points: a new game, apply an action, close a phase.

`apply` is a reducer: it never changes the state it is given and never raises on bad
input. It returns `Applied` (the new state and its events) or `Rejected` (a code and a
sentence), and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from game_rules import negotiation, orders, rounds, voting
from game_rules.actions import (
    FACILITATOR,
    AcceptOffer,
    Action,
    CastVote,
    ClosePhase,
    DeclineOffer,
    EndGame,
    EndNegotiation,
    EndOrders,
    FoundAlliance,
    InjectEvent,
    InviteToAlliance,
    JoinAlliance,
    LeaveAlliance,
    MakeOffer,
    SendMessage,
    StartGame,
    SubmitOrder,
    WithdrawOffer,
    WithdrawOrder,
)
from game_rules.events import Event
from game_rules.rejections import Rejected, reject
from game_rules.rng import next_uniform, seed_state
from game_rules.scenario import Scenario
from game_rules.state import BlocState, GameState, Phase, SeatState

ABLATIONS = (
    "consultations",
    "cross_kind_alliances",
    "panels",
    "trial_balloons",
    "revolving_doors",
    "spoiling",
    "horse_trading",
    "low_ripeness",
)


@dataclass(frozen=True)
class Applied:
    """An accepted action: the new state and the events it caused."""

    state: GameState
    events: tuple[Event, ...]


Result = Applied | Rejected
_Handler = Callable[[Scenario, GameState, str, Any, list[Event]], Rejected | None]


def _mark_done(scenario: Scenario, state: GameState, seat: str, action: Any, events: list[Event]) -> Rejected | None:
    """The seat has finished the phase (negotiation or orders)."""
    state.seats[seat].done = True
    text = f"{scenario.seat(seat).name} is ready."
    events.append(Event(kind="seat_done", round=state.round, text=text, detail={"seat": seat}))
    return None


# Which phase each seat action belongs to, and who handles it.
_SEAT_HANDLERS: dict[type, tuple[Phase, _Handler]] = {
    SendMessage: ("negotiate", negotiation.send_message),
    MakeOffer: ("negotiate", negotiation.make_offer),
    AcceptOffer: ("negotiate", negotiation.accept_offer),
    DeclineOffer: ("negotiate", negotiation.decline_offer),
    WithdrawOffer: ("negotiate", negotiation.withdraw_offer),
    FoundAlliance: ("negotiate", negotiation.found_alliance),
    InviteToAlliance: ("negotiate", negotiation.invite_to_alliance),
    JoinAlliance: ("negotiate", negotiation.join_alliance),
    LeaveAlliance: ("negotiate", negotiation.leave_alliance),
    EndNegotiation: ("negotiate", _mark_done),
    SubmitOrder: ("act", orders.submit_order),
    WithdrawOrder: ("act", orders.withdraw_order),
    EndOrders: ("act", _mark_done),
    CastVote: ("vote", voting.cast_vote),
}

# The state's containers a handler changes in place, for the one action so frequent that copying
# every seat for it cost more than the handler itself: a message (it replaces the window and
# bumps counts). Any other action copies every container. The determinism tests (that `apply`
# never changes the state it is given) hold this list to the truth.
_CHANGED_IN_PLACE: dict[type, tuple[str, ...]] = {SendMessage: ("message_counts",)}


def new_game(scenario: Scenario, seed: int, ablations: tuple[str, ...] = (), id_salt: str = "") -> GameState:
    """A game in its lobby. `ablations` switch mechanics off, for experiments (see ABLATIONS);
    `id_salt` (a server's secret per game) makes private offers' ids unguessable."""
    unknown = [a for a in ablations if a not in ABLATIONS]
    if unknown:
        raise ValueError(f"unknown mechanic(s) to ablate: {', '.join(unknown)}; known: {', '.join(ABLATIONS)}")
    seats = {
        s.id: SeatState(
            id=s.id,
            capital=s.resources.capital,
            funds=s.resources.funds,
            expertise=s.resources.expertise,
            credibility=s.resources.credibility,
        )
        for s in scenario.seats
    }
    # When the window opens is itself uncertain: one seeded draw per game, hidden until the end.
    draw, rng = next_uniform(seed_state(seed))
    shift = round((2.0 * draw - 1.0) * scenario.ripeness_jitter, 6)
    # How the blocs lean on each side issue is not known exactly either: one draw per issue.
    leans: dict[str, dict[str, float]] = {}
    for issue in scenario.side_issues:
        draw, rng = next_uniform(rng)
        nudge = (2.0 * draw - 1.0) * scenario.rules.side_issue_jitter
        leans[issue.id] = {
            b.id: round(
                min(100.0, max(0.0, issue.bloc_lean.get(b.id, scenario.rules.side_issue_default_lean) + nudge)), 6
            )
            for b in scenario.blocs
        }
    return GameState(
        scenario_id=scenario.id,
        seed=seed,
        rng=f"{rng:016x}",
        ablations=tuple(sorted(set(ablations))),
        version=0,
        round=0,
        phase="lobby",
        ripeness_boost=0.0,
        ripeness_shift=shift,
        seats=seats,
        blocs={
            b.id: BlocState(id=b.id, goodwill=0.0, ownership=b.ownership, politicisation=0.0) for b in scenario.blocs
        },
        constituencies={c.id: c.ownership for c in scenario.constituencies},
        levels={p.id: p.start for p in scenario.provisions},
        tabled=False,
        sponsors=[],
        vote_called_by="",
        vote_delayed=False,
        alliances={},
        links=[tuple(pair) for pair in scenario.links],  # type: ignore[misc]
        offers={},
        pledges=[],
        messages=[],
        message_counts={},
        draft_history=[],
        spoils=[],
        soundings=[],
        pooled_fund=0,
        side_leans=leans,
        side_issue_results={},
        votes=[],
        bulletins=[],
        history=[],
        id_salt=id_salt,
    )


def apply(
    scenario: Scenario, state: GameState, actor: str, action: Action, expected_version: int | None = None
) -> Result:
    """Apply one action by a seat (its id) or the facilitator ("facilitator").

    With `expected_version`, an action against any other version is refused as stale."""
    try:
        return _apply(scenario, state, actor, action, expected_version)
    except (AttributeError, TypeError, ValueError, KeyError, IndexError) as error:
        # Totality: whatever arrives, the answer is a rejection, never an exception. Tests
        # assert that well-typed actions never land here.
        return reject("internal_error", f"The game could not apply this action ({type(error).__name__}: {error}).")


def _apply(scenario: Scenario, state: GameState, actor: str, action: Action, expected: int | None) -> Result:
    if expected is not None and expected != state.version:
        return reject("stale_version", f"The game has moved on (version {state.version}, not {expected}).")
    if actor == FACILITATOR:
        return _facilitate(scenario, state, action)
    if not isinstance(actor, str) or actor not in state.seats:
        return reject("unknown_seat", f"There is no seat {actor!r} in this game.")
    entry = _SEAT_HANDLERS.get(type(action))
    if entry is None:
        return reject("unknown_action", f"{type(action).__name__} is not something a seat can do.")
    phase, handler = entry
    if state.phase == "lobby":
        return reject("game_not_started", "The game has not started yet.")
    if state.phase == "ended":
        return reject("game_over", "The game is over.")
    if state.phase != phase:
        return reject("wrong_phase", f"That can be done in the {phase} phase; this is the {state.phase} phase.")
    if state.seats[actor].done and not isinstance(action, SendMessage | CastVote):
        return reject("already_done", "You have already finished this phase.")
    parts = _CHANGED_IN_PLACE.get(type(action))
    work = state.clone(parts)
    events: list[Event] = []
    problem = handler(scenario, work, actor, action, events)
    if problem is not None:
        return problem
    if rounds.everyone_done(work):
        if parts is not None:
            work = work.clone()  # closing the phase can change anything: share nothing with `state`
        rounds.close_phase(scenario, work, events)
    work.version += 1
    return Applied(work, tuple(events))


def _facilitate(scenario: Scenario, state: GameState, action: Action) -> Result:
    if state.phase == "ended":
        return reject("game_over", "The game is over.")
    work = state.clone()
    events: list[Event] = []
    if isinstance(action, StartGame):
        if state.phase != "lobby":
            return reject("wrong_phase", "The game has already started.")
        rounds.start_game(scenario, work, events)
    elif isinstance(action, ClosePhase):
        if state.phase == "lobby":
            return reject("game_not_started", "Start the game first.")
        rounds.close_phase(scenario, work, events)
    elif isinstance(action, InjectEvent):
        cards = {c.id: c for c in (*scenario.event_table, *scenario.scripted_events)}
        if action.card not in cards:
            return reject("unknown_card", f"The scenario has no event card {action.card!r}.")
        rounds.fire_event(scenario, work, cards[action.card], events)
    elif isinstance(action, EndGame):
        rounds.finish(scenario, work, "ended_by_facilitator", events)
    else:
        return reject("unknown_action", f"{type(action).__name__} is not a facilitator control.")
    work.version += 1
    return Applied(work, tuple(events))


def close_phase(scenario: Scenario, state: GameState) -> Result:
    """Close the current phase (its deadline passed): the same as the facilitator's skip."""
    return apply(scenario, state, FACILITATOR, ClosePhase())
