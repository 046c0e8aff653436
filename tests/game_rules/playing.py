"""Drivers and strategies shared by the property tests of RULES.md §12 (test_determinism,
test_conservation, test_totality, test_round_trip).

Games are driven by a Hypothesis-provided random generator choosing among the seats' legal
actions (one kind of action uniformly, then one action of that kind, as the random bot does),
with the facilitator closing a phase now and then; the totality tests mix in well-typed
actions with absurd field values and actions decoded from arbitrary plain values.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import msgpack
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from bots import make_bot, parse_lineup
from game_rules import (
    FACILITATOR,
    SPECTATOR,
    Action,
    Applied,
    Event,
    GameState,
    LegalAction,
    Result,
    Scenario,
    apply,
    legal_actions,
    new_game,
    to_plain,
    view,
)
from game_rules.actions import (
    AcceptOffer,
    CallVote,
    CastVote,
    ClosePhase,
    CommissionStudy,
    ConvenePanel,
    DeclineOffer,
    EndGame,
    EndNegotiation,
    EndOrders,
    FoundAlliance,
    Grant,
    HostConsultation,
    InjectEvent,
    InviteToAlliance,
    JoinAlliance,
    LeaveAlliance,
    Lobby,
    MakeOffer,
    Pledge,
    PledgePooledFund,
    ProposeAmendment,
    SecondStaff,
    SendMessage,
    Spoil,
    StartGame,
    SubmitOrder,
    TableDraft,
    Terms,
    TrialBalloon,
    WithdrawOffer,
    WithdrawOrder,
)
from scenarios import list_scenarios, load_scenario

SCENARIOS = list_scenarios()
STOCK_TEXTS = ("We are studying the text.", "Let us talk before the vote.", "Agreed.")

PROPERTY = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
seeds = st.integers(min_value=0, max_value=2**32 - 1)
scenario_names = st.sampled_from(SCENARIOS)


# --- driving games ---------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One call of `apply`: who asked, what, the state it was asked of, and the answer."""

    actor: str
    action: Action
    before: GameState
    result: Result


@dataclass(frozen=True)
class Game:
    scenario: Scenario
    seed: int
    steps: list[Step]

    @property
    def states(self) -> list[GameState]:
        """Every distinct state the game passed through, the first one included."""
        out = [self.steps[0].before] if self.steps else []
        out.extend(s.result.state for s in self.steps if isinstance(s.result, Applied))
        return out

    @property
    def final(self) -> GameState:
        return self.states[-1]

    @property
    def events(self) -> list[Event]:
        return [e for s in self.steps if isinstance(s.result, Applied) for e in s.result.events]


Mover = Callable[[Scenario, GameState, random.Random], tuple[str, Action]]


def encode(value: Any) -> bytes:
    """The wire bytes of a state, action or event (or a list of them)."""
    packed: bytes = msgpack.packb(to_plain(value))
    return packed


def through_the_wire(value: Any) -> Any:
    """A value's plain form after a msgpack round trip, as a client would send it back."""
    return msgpack.unpackb(encode(value), raw=False)


def pick_legal(rnd: random.Random, legal: list[LegalAction]) -> Action:
    """One kind of legal action uniformly, then one action of that kind; messages get text."""
    kinds: dict[str, list[Action]] = {}
    for item in legal:
        key = getattr(item.action, "order", item.action).type
        kinds.setdefault(key, []).append(item.action)
    action = rnd.choice(kinds[rnd.choice(sorted(kinds))])
    if isinstance(action, SendMessage):
        action = SendMessage(to=action.to, text=rnd.choice(STOCK_TEXTS))
    return action


def legal_move(
    scenario: Scenario, state: GameState, rnd: random.Random, close_chance: float = 0.04
) -> tuple[str, Action]:
    """A legal action of a random seat that has one, or the facilitator closing the phase."""
    if state.phase == "lobby":
        return FACILITATOR, StartGame()
    # Hypothesis's generator leans towards 0: make 0 the ordinary case (a seat moves).
    if rnd.random() > 1.0 - close_chance:
        return FACILITATOR, ClosePhase()
    seats = list(scenario.seat_ids)
    start = rnd.randrange(len(seats))
    for seat in seats[start:] + seats[:start]:
        legal = legal_actions(scenario, state, seat)
        if legal:
            return seat, pick_legal(rnd, legal)
    return FACILITATOR, ClosePhase()


def play(
    scenario: Scenario,
    seed: int,
    rnd: random.Random,
    max_steps: int = 250,
    move: Mover = legal_move,
    check: Callable[[Step], None] | None = None,
) -> Game:
    """Drive a game from its lobby for up to `max_steps` calls of `apply`, or to its end.

    `check` sees every step as it happens, so a failing property stops the game at once
    (which keeps Hypothesis's shrinking fast)."""
    state = new_game(scenario, seed)
    steps: list[Step] = []
    while len(steps) < max_steps and state.phase != "ended":
        actor, action = move(scenario, state, rnd)
        result = apply(scenario, state, actor, action)
        step = Step(actor, action, state, result)
        if check is not None:
            check(step)
        steps.append(step)
        if isinstance(result, Applied):
            state = result.state
    return Game(scenario, seed, steps)


def bot_mover(scenario: Scenario, lineup: str, seed: int) -> Mover:
    """Seats in turn, each played by its bot of `lineup`; the phase closes when none moves."""
    bots = {s: make_bot(b, seed, s) for s, b in parse_lineup(lineup, scenario).items()}
    seats = list(scenario.seat_ids)
    turn = [0]

    def move(scenario: Scenario, state: GameState, rnd: random.Random) -> tuple[str, Action]:
        if state.phase == "lobby":
            return FACILITATOR, StartGame()
        for _ in seats:
            seat = seats[turn[0] % len(seats)]
            turn[0] += 1
            legal = legal_actions(scenario, state, seat)
            if legal:
                return seat, bots[seat].act(view(scenario, state, seat), legal)
        return FACILITATOR, ClosePhase()

    return move


@cache
def waypoints(name: str) -> tuple[GameState, ...]:
    """The first state of every (round, phase) of a character game: starting points that
    random streams would rarely reach by themselves (the vote phase, the game's end)."""
    scenario = load_scenario(name)
    game = play(scenario, 1, random.Random(1), 2000, bot_mover(scenario, "auto", 1))
    seen: dict[tuple[int, str], GameState] = {}
    for state in game.states:
        seen.setdefault((state.round, state.phase), state)
    return tuple(seen.values())


def replay(scenario: Scenario, seed: int, log: list[tuple[str, Action]]) -> Iterator[Result]:
    """Apply a recorded (actor, action) log from a new game, yielding every answer."""
    state = new_game(scenario, seed)
    for actor, action in log:
        result = apply(scenario, state, actor, action)
        yield result
        if isinstance(result, Applied):
            state = result.state


# --- well-typed actions with absurd values -----------------------------------------------


def known_names(scenario: Scenario) -> list[str]:
    """Every id a field could plausibly hold, and some that no field should."""
    return [
        *scenario.seat_ids,
        *(b.id for b in scenario.blocs),
        *(p.id for p in scenario.provisions),
        *(v.id for v in scenario.venues),
        *(s.id for s in scenario.side_issues),
        *(c.id for c in (*scenario.event_table, *scenario.scripted_events)),
        *(f"a{i}" for i in range(1, 6)),
        *(f"alliance:a{i}" for i in range(1, 6)),
        *(f"o{i}" for i in range(1, 12)),
        "public",
        "alliance:",
        FACILITATOR,
        SPECTATOR,
        "",
        " ",
        "nobody",
        "x" * 100_000,
    ]


def absurd_strings(scenario: Scenario) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(known_names(scenario)), st.text(max_size=12))


absurd_ints = st.one_of(
    st.integers(min_value=-3, max_value=30),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.sampled_from([2**63, -(2**63), 10**30]),
)
choices = st.sampled_from(["yes", "no", "abstain"])


def well_typed_actions(scenario: Scenario) -> st.SearchStrategy[Action]:
    """Any action of any class, each field of its annotated type but of any value."""
    text = absurd_strings(scenario)
    pledges = st.builds(
        Pledge,
        kind=st.sampled_from(["vote", "amendment", "no_spoil", "join_alliance", "side_issue"]),
        target=text,
        value=st.one_of(st.sampled_from(["yes", "no", "abstain", "up", "down"]), text),
    )
    terms = st.builds(
        Terms,
        capital=absurd_ints,
        funds=absurd_ints,
        expertise=absurd_ints,
        pledges=st.lists(pledges, max_size=3).map(tuple),
    )
    orders = st.one_of(
        st.builds(CommissionStudy, performer=text, funds=absurd_ints),
        st.builds(HostConsultation, venue=text, expertise=absurd_ints, alliance=text),
        st.builds(ConvenePanel, alliance=text),
        st.builds(TrialBalloon, provision=text, level=absurd_ints),
        st.builds(
            Grant,
            to=text,
            amount=absurd_ints,
            purpose=st.sampled_from(["study", "consultation", "panel"]),
        ),
        st.builds(PledgePooledFund, amount=absurd_ints),
        st.builds(SecondStaff, to=text),
        st.just(TableDraft()),
        st.builds(ProposeAmendment, provision=text, direction=absurd_ints),
        st.builds(Lobby, target=text),
        st.builds(
            Spoil,
            mode=st.sampled_from(["block_amendment", "delay_vote", "water_down"]),
            provision=text,
        ),
        st.just(CallVote()),
    )
    return st.one_of(
        st.builds(SendMessage, to=text, text=text),
        st.builds(MakeOffer, to=text, gives=terms, gets=terms),
        st.builds(AcceptOffer, offer=text),
        st.builds(DeclineOffer, offer=text),
        st.builds(WithdrawOffer, offer=text),
        st.builds(FoundAlliance, name=text, platform=st.dictionaries(text, absurd_ints, max_size=3)),
        st.builds(InviteToAlliance, alliance=text, seat=text),
        st.builds(JoinAlliance, alliance=text),
        st.builds(LeaveAlliance, alliance=text),
        st.just(EndNegotiation()),
        st.builds(SubmitOrder, order=orders),
        st.builds(WithdrawOrder, index=absurd_ints),
        st.just(EndOrders()),
        st.builds(CastVote, draft=choices, side_issues=st.dictionaries(text, choices, max_size=3)),
        st.just(StartGame()),
        st.just(ClosePhase()),
        st.builds(InjectEvent, card=text),
        st.just(EndGame()),
    )
