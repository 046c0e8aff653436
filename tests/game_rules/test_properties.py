"""Property-based tests of the promises in RULES.md §12: deterministic, conserving, total,
encodable and replayable.

Games are driven by a Hypothesis-provided random generator choosing among the seats' legal
actions (one kind of action uniformly, then one action of that kind, as the random bot does),
with the facilitator closing a phase now and then; the totality tests mix in well-typed
actions with absurd field values and actions decoded from arbitrary plain values.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from functools import cache
from typing import Any

import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simulation.play
from bots import make_bot, parse_lineup
from game_rules import (
    FACILITATOR,
    SPECTATOR,
    Action,
    Applied,
    DecodeError,
    Event,
    GameState,
    LegalAction,
    Rejected,
    Result,
    Scenario,
    apply,
    decode_action,
    from_plain,
    legal_actions,
    new_game,
    to_plain,
    view,
)
from game_rules.actions import (
    FACILITATOR_ACTION_TYPES,
    SEAT_ACTION_TYPES,
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
from game_rules.rejections import CODES
from scenarios import list_scenarios, load_file, load_scenario, scenario_path
from tests.conftest import started

SCENARIOS = list_scenarios()
RESOURCES = ("capital", "funds", "expertise", "credibility")
TRANSFERABLE = ("capital", "funds", "expertise")
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


def totals(state: GameState, names: tuple[str, ...] = TRANSFERABLE) -> dict[str, int]:
    return {n: sum(getattr(live, n) for live in state.seats.values()) for n in names}


def differing_fields(a: Any, b: Any) -> list[str]:
    """The names of the dataclass fields on which two values differ (for failure messages)."""
    return [f.name for f in fields(a) if getattr(a, f.name) != getattr(b, f.name)]


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


def actors(scenario: Scenario) -> st.SearchStrategy[str]:
    """Mostly seats (so actions get past the door), sometimes anyone at all."""
    seats = st.sampled_from(list(scenario.seat_ids))
    return st.one_of(
        seats,
        seats,
        seats,
        st.sampled_from([FACILITATOR, SPECTATOR, "", "nobody", "public", "x" * 10_000]),
        st.text(max_size=8),
    )


plain_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True),
        st.text(max_size=10),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=12,
)


def _containers(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every dict and list inside a plain value, the value itself first."""
    if isinstance(value, dict | list):
        yield path
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            yield from _containers(item, (*path, key))


@st.composite
def mangled_wire_actions(draw: st.DrawFn, scenario: Scenario) -> Any:
    """An action's wire form with one container damaged: a field dropped, added or replaced,
    its type tag changed, or the whole thing swapped for an arbitrary plain value."""
    plain = to_plain(draw(well_typed_actions(scenario)))
    how = draw(st.sampled_from(["drop", "add", "replace", "retag", "arbitrary", "none"]))
    if how == "arbitrary":
        return draw(plain_values)
    if how == "none":
        return plain
    where = draw(st.sampled_from(list(_containers(plain))))
    target = plain
    for key in where:
        target = target[key]
    keys = list(target) if isinstance(target, dict) else list(range(len(target)))
    if how == "drop" and keys:
        del target[draw(st.sampled_from(keys))]
    elif how == "add" and isinstance(target, dict):
        target[draw(st.text(max_size=8))] = draw(plain_values)
    elif how == "add":
        target.append(draw(plain_values))
    elif how == "replace" and keys:
        target[draw(st.sampled_from(keys))] = draw(plain_values)
    elif how == "retag" and isinstance(target, dict):
        tags = [c.type for c in (*SEAT_ACTION_TYPES, *FACILITATOR_ACTION_TYPES)]
        target["type"] = draw(st.one_of(st.sampled_from(tags), plain_values))
    return plain


def assert_well_handled(result: Any, what: str) -> None:
    """Totality: an answer, never anything else, and never the engine's own failure."""
    assert isinstance(result, Applied | Rejected), f"{what} gave {result!r}"
    if isinstance(result, Rejected):
        assert result.code in CODES, f"{what}: unknown rejection code {result.code!r}"
        assert result.code != "internal_error", f"{what} hit an engine bug: {result.message}"


# --- determinism ---------------------------------------------------------------------------


@PROPERTY
@given(name=scenario_names, seed=seeds, rnd=st.randoms(use_true_random=False))
def test_same_seed_and_actions_give_byte_identical_states_and_events(name: str, seed: int, rnd: random.Random) -> None:
    scenario = load_scenario(name)
    game = play(scenario, seed, rnd, max_steps=250)
    # A separately loaded copy of the scenario: nothing may hang on object identity.
    fresh = load_file(scenario_path(name))
    state = new_game(fresh, seed)
    assert encode(state) == encode(game.steps[0].before)
    for number, step in enumerate(game.steps):
        result = apply(fresh, state, step.actor, step.action)
        assert type(result) is type(step.result), f"step {number}: {step.action!r}"
        if isinstance(result, Applied):
            assert isinstance(step.result, Applied)
            assert encode(result.state) == encode(step.result.state), f"step {number}"
            assert encode(list(result.events)) == encode(list(step.result.events))
            state = result.state
        else:
            assert result == step.result


@PROPERTY
@given(name=scenario_names, seed=seeds, rnd=st.randoms(use_true_random=False))
def test_apply_never_changes_the_state_it_is_given(name: str, seed: int, rnd: random.Random) -> None:
    scenario = load_scenario(name)
    game = play(scenario, seed, rnd, max_steps=150)
    snapshots = [encode(s.before) for s in game.steps]
    # Every step has been applied by now; the states it started from must be untouched.
    for number, (step, snapshot) in enumerate(zip(game.steps, snapshots, strict=True)):
        again = apply(scenario, step.before, step.actor, step.action)
        assert encode(step.before) == snapshot, f"step {number} mutated its input"
        if isinstance(again, Applied):
            assert isinstance(step.result, Applied)
            assert encode(again.state) == encode(step.result.state)


@PROPERTY
@given(name=scenario_names, seed=seeds, rnd=st.randoms(use_true_random=False))
def test_every_legal_action_is_accepted(name: str, seed: int, rnd: random.Random) -> None:
    """legal.py's promise: every action it lists is accepted by `apply` as it stands."""
    scenario = load_scenario(name)
    game = play(scenario, seed, rnd, max_steps=200)
    for step in game.steps:
        if step.actor != FACILITATOR:
            assert isinstance(step.result, Applied), (
                f"{step.actor} {step.action!r} in {step.before.phase}: {step.result}"
            )


# --- conservation ----------------------------------------------------------------------


def assert_offer_conserves(step: Step) -> None:
    """An accepted offer moves exactly its terms between its two seats, atomically."""
    assert isinstance(step.action, AcceptOffer)
    assert isinstance(step.result, Applied)
    before, after = step.before, step.result.state
    offer = before.offers[step.action.offer]
    sender, recipient = offer.sender, offer.recipient
    for name in TRANSFERABLE:
        pair_before = getattr(before.seats[sender], name) + getattr(before.seats[recipient], name)
        pair_after = getattr(after.seats[sender], name) + getattr(after.seats[recipient], name)
        assert pair_before == pair_after, f"{name} not conserved by {offer!r}"
        moved = getattr(offer.gives, name) - getattr(offer.gets, name)
        assert getattr(after.seats[sender], name) == getattr(before.seats[sender], name) - moved
    for seat in before.seats:
        if seat not in (sender, recipient):
            assert after.seats[seat] == before.seats[seat], f"{seat} touched by {offer.id}"
    assert after.offers[offer.id].status == "accepted"


def assert_resources_in_range(state: GameState) -> None:
    assert state.pooled_fund >= 0
    for seat, live in state.seats.items():
        for resource in RESOURCES:
            value = getattr(live, resource)
            assert value >= 0, f"round {state.round} {state.phase}: {seat} {resource}={value}"
        assert live.credibility <= 100, f"{seat} credibility {live.credibility}"


def check_conservation(step: Step) -> None:
    """Never negative; negotiation neither creates nor destroys; offers move exactly."""
    if not isinstance(step.result, Applied):
        return
    before, after = step.before, step.result.state
    assert_resources_in_range(after)
    if step.actor != FACILITATOR and before.phase == "negotiate":
        # Orders and resolution may spend or create; negotiation only ever moves.
        assert totals(after) == totals(before), f"{step.actor} {step.action!r}"
        assert after.pooled_fund == before.pooled_fund
    if isinstance(step.action, AcceptOffer):
        assert_offer_conserves(step)


@settings(PROPERTY, max_examples=40)
@given(name=scenario_names, seed=seeds, rnd=st.randoms(use_true_random=False))
def test_random_play_keeps_resources_non_negative_and_negotiation_conserving(
    name: str, seed: int, rnd: random.Random
) -> None:
    scenario = load_scenario(name)
    assert_resources_in_range(new_game(scenario, seed))
    play(scenario, seed, rnd, max_steps=250, check=check_conservation)


@settings(PROPERTY, max_examples=40)
@given(
    name=scenario_names,
    seed=seeds,
    pair=st.data(),
    amounts=st.lists(st.integers(min_value=0, max_value=40), min_size=6, max_size=6),
)
def test_an_accepted_offer_of_any_amounts_conserves_each_resource(
    name: str, seed: int, pair: st.DataObject, amounts: list[int]
) -> None:
    scenario = load_scenario(name)
    state = started(scenario, seed)
    sender = pair.draw(st.sampled_from(list(scenario.seat_ids)), label="sender")
    recipient = pair.draw(st.sampled_from([s for s in scenario.seat_ids if s != sender]), label="recipient")
    gives = Terms(capital=amounts[0], funds=amounts[1], expertise=amounts[2])
    gets = Terms(capital=amounts[3], funds=amounts[4], expertise=amounts[5])
    made = apply(scenario, state, sender, MakeOffer(to=recipient, gives=gives, gets=gets))
    live = state.seats[sender]
    affordable = all(getattr(live, n) >= getattr(gives, n) for n in TRANSFERABLE)
    assert isinstance(made, Applied) == affordable, made
    if not isinstance(made, Applied):
        assert isinstance(made, Rejected) and made.code == "insufficient_resources"
        return
    offer_id = next(iter(made.state.offers))
    accept = AcceptOffer(offer=offer_id)
    result = apply(scenario, made.state, recipient, accept)
    other = made.state.seats[recipient]
    if all(getattr(other, n) >= getattr(gets, n) for n in TRANSFERABLE):
        assert isinstance(result, Applied), result
        assert_offer_conserves(Step(recipient, accept, made.state, result))
    else:
        # Atomic: no half-done trade; the offer stays open and nobody's holdings move.
        assert isinstance(result, Rejected) and result.code == "insufficient_resources"
        assert made.state.offers[offer_id].status == "open"


# --- totality ------------------------------------------------------------------------------


@settings(PROPERTY, max_examples=50)
@given(name=scenario_names, seed=seeds, data=st.data())
def test_random_and_malformed_action_streams_are_always_applied_or_rejected(
    name: str, seed: int, data: st.DataObject
) -> None:
    scenario = load_scenario(name)
    rnd = data.draw(st.randoms(use_true_random=False), label="legal choices")
    state = data.draw(st.sampled_from((new_game(scenario, seed), *waypoints(name))))
    garbage = well_typed_actions(scenario)
    after_the_end = 0
    for _ in range(data.draw(st.integers(min_value=10, max_value=120), label="steps")):
        if state.phase == "ended":
            # A few tries at a finished game are enough: it must refuse them all.
            after_the_end += 1
            if after_the_end > 5:
                break
        mode = data.draw(st.sampled_from(["legal", "legal", "absurd", "absurd", "close"]))
        if mode == "legal":
            actor, action = legal_move(scenario, state, rnd, close_chance=0.0)
        elif mode == "close":
            actor, action = FACILITATOR, ClosePhase()
        else:
            actor = data.draw(actors(scenario), label="actor")
            action = data.draw(garbage, label="action")
        snapshot = encode(state)
        result = apply(scenario, state, actor, action)
        assert_well_handled(result, f"{actor!r} {action!r} in {state.phase}")
        assert encode(state) == snapshot, "apply changed the state it was given"
        is_seat_action = isinstance(action, SEAT_ACTION_TYPES)
        if actor == FACILITATOR and is_seat_action:
            assert isinstance(result, Rejected), f"the facilitator did a seat's {action!r}"
        elif actor in state.seats and not is_seat_action:
            assert isinstance(result, Rejected), f"{actor} used facilitator control {action!r}"
        elif actor != FACILITATOR and actor not in state.seats:
            assert isinstance(result, Rejected), f"non-seat {actor!r} did {action!r}"
        if state.phase == "ended":
            assert isinstance(result, Rejected), f"{action!r} was applied after the end"
        if isinstance(result, Applied):
            state = result.state


@settings(PROPERTY, max_examples=60)
@given(name=scenario_names, seed=seeds, data=st.data())
def test_decoding_any_plain_value_gives_an_action_or_a_decode_error(name: str, seed: int, data: st.DataObject) -> None:
    scenario = load_scenario(name)
    states = [new_game(scenario, seed), started(scenario, seed)]
    for raw in data.draw(st.lists(mangled_wire_actions(scenario), min_size=1, max_size=8)):
        try:
            action = decode_action(raw)
        except DecodeError as error:
            assert isinstance(error.path, str)
            continue
        # What decodes is well typed: it encodes back to itself and the engine answers it.
        assert decode_action(through_the_wire(action)) == action
        for state in states:
            actor = data.draw(actors(scenario), label="actor")
            assert_well_handled(apply(scenario, state, actor, action), f"{raw!r} by {actor!r}")


# --- round trips ---------------------------------------------------------------------------


def assert_state_round_trips(state: GameState) -> None:
    try:
        back = from_plain(GameState, through_the_wire(state))
    except DecodeError as error:
        pytest.fail(f"a reachable state does not decode: {error} (path {error.path!r})")
    assert back == state, f"fields changed by the round trip: {differing_fields(back, state)}"


@PROPERTY
@given(name=scenario_names, seed=seeds, rnd=st.randoms(use_true_random=False))
def test_every_reached_state_survives_the_wire(name: str, seed: int, rnd: random.Random) -> None:
    scenario = load_scenario(name)

    def check(step: Step) -> None:
        assert_state_round_trips(step.before)
        if isinstance(step.result, Applied):
            assert_state_round_trips(step.result.state)

    play(scenario, seed, rnd, max_steps=200, check=check)


@settings(PROPERTY, max_examples=15)
@given(name=scenario_names, seed=seeds, rnd=st.randoms(use_true_random=False))
def test_every_legal_action_and_every_event_survives_the_wire(name: str, seed: int, rnd: random.Random) -> None:
    scenario = load_scenario(name)
    game = play(scenario, seed, rnd, max_steps=200)
    for state in game.states[::20]:
        for seat in scenario.seat_ids:
            for item in legal_actions(scenario, state, seat):
                assert from_plain(LegalAction, through_the_wire(item)) == item
                assert decode_action(through_the_wire(item.action)) == item.action
    for step in game.steps:
        assert decode_action(through_the_wire(step.action)) == step.action
    for event in game.events:
        assert from_plain(Event, through_the_wire(event)) == event, event


@settings(PROPERTY, max_examples=40)
@given(name=scenario_names, data=st.data())
def test_any_well_typed_action_survives_the_wire(name: str, data: st.DataObject) -> None:
    scenario = load_scenario(name)
    for action in data.draw(st.lists(well_typed_actions(scenario), min_size=1, max_size=10)):
        plain = to_plain(action)
        huge = any(abs(v) > 2**53 for v in _ints(plain))
        # msgpack carries 64-bit integers; beyond that the plain form is all there is.
        if all(-(2**63) <= v < 2**64 for v in _ints(plain)):
            plain = through_the_wire(action)
        try:
            back = decode_action(plain)
        except DecodeError as error:
            # Only numbers beyond what JSON clients carry exactly may be refused.
            assert huge, f"{action!r} was refused: {error}"
            continue
        assert back == action


def _ints(value: Any) -> Iterator[int]:
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _ints(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ints(item)


# --- replay --------------------------------------------------------------------------------


def mixed_move(scenario: Scenario, state: GameState, rnd: random.Random) -> tuple[str, Action]:
    """Mostly legal play, with some actions the engine must refuse (stale offer ids, orders
    in the wrong phase, unknown seats): a log holds those too."""
    roll = rnd.random()
    if roll < 0.08 and state.phase != "lobby":
        seat = rnd.choice(list(scenario.seat_ids))
        refusable: list[Action] = [
            AcceptOffer(offer=f"o{rnd.randrange(1, 20)}"),
            SubmitOrder(order=Lobby(target=rnd.choice([b.id for b in scenario.blocs]))),
            CastVote(draft="yes"),
            EndNegotiation(),
        ]
        return seat, rnd.choice(refusable)
    if roll < 0.1:
        return "nobody", EndOrders()
    return legal_move(scenario, state, rnd)


@PROPERTY
@given(name=scenario_names, seed=seeds, rnd=st.randoms(use_true_random=False))
def test_replaying_the_action_log_rebuilds_every_state(name: str, seed: int, rnd: random.Random) -> None:
    scenario = load_scenario(name)
    game = play(scenario, seed, rnd, max_steps=250, move=mixed_move)
    # The log as a server would store it: actor and wire-form action, nothing else.
    stored = [(s.actor, through_the_wire(s.action)) for s in game.steps]
    log = [(actor, decode_action(plain)) for actor, plain in stored]
    answers = list(replay(scenario, seed, log))
    assert len(answers) == len(game.steps)
    for number, (answer, step) in enumerate(zip(answers, game.steps, strict=True)):
        assert type(answer) is type(step.result), f"step {number}"
        if isinstance(answer, Applied):
            assert isinstance(step.result, Applied)
            assert answer.state == step.result.state, f"step {number}"
    final = next((a.state for a in reversed(answers) if isinstance(a, Applied)), None)
    assert encode(final or new_game(scenario, seed)) == encode(game.final)


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("lineup", ["random", "auto"])
@pytest.mark.parametrize("seed", [1, 2])
def test_a_bot_game_is_its_scenario_seed_and_action_log(name: str, lineup: str, seed: int) -> None:
    """Replay the action log the local runner kept, from a new game with the same seed."""
    scenario = load_scenario(name)
    played = simulation.play.play_game(scenario, seed, parse_lineup(lineup, scenario))
    assert played.state.phase == "ended"
    log = played.log
    assert log[0] == (FACILITATOR, StartGame())
    answers = list(replay(scenario, seed, log))
    applied = [a for a in answers if isinstance(a, Applied)]
    assert encode(applied[-1].state) == encode(played.state)
    assert encode([e for a in applied for e in a.events]) == encode(played.events)


def test_a_game_can_be_rebuilt_up_to_any_round() -> None:
    scenario = load_scenario(SCENARIOS[0])
    game = play(scenario, 11, random.Random(5), max_steps=400)
    log = [(s.actor, s.action) for s in game.steps]
    rounds_seen = sorted({s.round for s in game.states})
    assert len(rounds_seen) >= 2, "the game should get past its first round"
    for wanted in rounds_seen:
        # The last step that leaves the game in this round, rebuilt from the log's prefix.
        cut = max(i for i, s in enumerate(game.steps) if s.before.round == wanted)
        answers = list(replay(scenario, game.seed, log[: cut + 1]))
        last = next(a.state for a in reversed(answers) if isinstance(a, Applied))
        expected = next(s.result.state for s in reversed(game.steps[: cut + 1]) if isinstance(s.result, Applied))
        assert encode(last) == encode(expected)
