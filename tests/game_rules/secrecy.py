"""Helpers of the secrecy tests (RULES.md §11): what a seat, a spectator and the facilitator
may see.

Every view is searched for other seats' secrets, and checked structurally: where resources,
objectives, orders, offers and pledges may appear at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from game_rules import FACILITATOR, PUBLIC, SPECTATOR, Event, GameState, Scenario, to_plain, view, visible_events
from game_rules.actions import ORDER_TYPES, Action
from game_rules.negotiation import ALLIANCE_PREFIX
from game_rules.state import Message
from scenarios import list_scenarios

SCENARIOS = list_scenarios()
OBJECTIVE_KEYS = {"ideal", "weights", "failure", "side_stakes", "turf"}
RESOURCE_KEYS = {"capital", "funds", "expertise", "credibility"}
# Hidden until the end: the seeded draws, the window's jitter, who spoiled unexposed.
HIDDEN_KEYS = {"rng", "seed", "ripeness_shift", "spoils", "draw"}
FULL_VIEW_KEYS = {"state", "objectives", "scores"}
ORDER_TAGS = {cls.type for cls in ORDER_TYPES}
NARROW_TAGS = {cls.type for cls in ORDER_TYPES if getattr(cls, "arena", "") == "narrow"}
PRIVATE_EVENT_KINDS = {
    "offer_made",
    "offer_accepted",
    "offer_declined",
    "offer_withdrawn",
    "offer_expired",
    "order_submitted",
    "order_withdrawn",
    "linked_move",
    "pledge_broken",
    "trial_balloon",
    "order_failed",
}


# --- helpers -------------------------------------------------------------------------------


def dump(value: Any) -> str:
    """A view as a client receives it; fails if it is not plain JSON."""
    return json.dumps(value, ensure_ascii=False)


def as_json(text: str) -> str:
    """How a string appears inside `dump`'s output."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def dicts(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Every map inside a plain value, with its path (iteratively: views are large)."""
    stack: list[tuple[tuple[Any, ...], Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, dict):
            yield where, item
            stack.extend(((*where, k), v) for k, v in item.items() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(((*where, i), v) for i, v in enumerate(item) if isinstance(v, dict | list))


def objective_like(value: dict[str, Any]) -> bool:
    """A seat's objectives, or part of them (score weights, say, are not)."""
    goals = value.get("goals")
    return bool(OBJECTIVE_KEYS & set(value)) or (
        isinstance(goals, list) and any(isinstance(g, dict) and "kind" in g for g in goals)
    )


def resource_like(value: dict[str, Any], seats: set[str]) -> bool:
    """Holdings: two or more resources side by side, or one resource given per seat."""
    if len(RESOURCE_KEYS & set(value)) >= 2:
        return True
    return any(isinstance(value.get(r), dict) and set(value[r]) & seats for r in RESOURCE_KEYS)


def secret_text(number: int, sender: str, to: str) -> str:
    """A message text that appears nowhere else: «#0007 norway→alliance:a3»."""
    return f"«#{number:04d} {sender}→{to}»"


def readers(state: GameState, sender: str, to: str) -> set[str]:
    """Who may read a message now: everyone (None-like: all seats), or the named seats."""
    if to == PUBLIC:
        return set(state.seats)
    if to.startswith(ALLIANCE_PREFIX):
        alliance = state.alliances.get(to[len(ALLIANCE_PREFIX) :])
        return {sender} | (set(alliance.members) if alliance else set())
    return {sender, to}


def can_read(message: Message, seat: str) -> bool:
    """Who may read a message is settled when it is sent (its event's audience, checked by
    `assert_events_reach_only_their_audience`): a later member of an alliance does not read
    what its channel carried before."""
    return not message.audience or seat in message.audience


@dataclass(frozen=True)
class Moment:
    """One applied action: who did what, the states on either side, and its events."""

    actor: str
    action: Action
    before: GameState
    after: GameState
    events: tuple[Event, ...]


# --- what each viewer may see ----------------------------------------------------------------


_SECRET_TEXTS: dict[tuple[str, str], list[str]] = {}


def other_seats_secret_texts(scenario: Scenario, seat: str) -> list[str]:
    """Goal texts and role sheets of the other seats that are not also the seat's own,
    as they appear in JSON."""
    key = (scenario.id, seat)
    if key not in _SECRET_TEXTS:
        mine = scenario.seat(seat)
        own = {g.text for g in mine.goals} | {mine.role_sheet}
        texts: list[str] = []
        for spec in scenario.seats:
            if spec.id != seat:
                texts.extend(g.text for g in spec.goals if g.text and g.text not in own)
                if spec.role_sheet.strip() and spec.role_sheet not in own:
                    texts.append(spec.role_sheet)
        _SECRET_TEXTS[key] = [as_json(t) for t in texts]
    return _SECRET_TEXTS[key]


@dataclass(frozen=True)
class Checkpoint:
    """A state to check, with what every check needs worked out once."""

    scenario: Scenario
    state: GameState
    texts: dict[int, str]  # message number -> its text as it appears in JSON
    public: dict[str, Any]  # the spectator's view, checked first

    @classmethod
    def of(cls, scenario: Scenario, state: GameState) -> Checkpoint:
        texts = {m.number: as_json(m.text) for m in state.messages if m.text.startswith("«#")}
        return cls(scenario, state, texts, view(scenario, state, SPECTATOR))


def assert_no_hidden_keys(seen: dict[str, Any], who: str, keys: set[str]) -> None:
    assert not FULL_VIEW_KEYS & set(seen), f"{who} has the full view during play"
    for path, value in dicts({k: seen[k] for k in keys}):
        leaked = HIDDEN_KEYS & set(value)
        assert not leaked, f"{who} sees {sorted(leaked)} at {path}"
    assert set(seen["ripeness"]) == {"band"}, f"{who} sees the exact ripeness"


def assert_blocs_as_the_scenario_allows(scenario: Scenario, seen: dict[str, Any]) -> None:
    for bloc in seen["blocs"]:
        if scenario.bloc_visibility == "hidden":
            assert "disposition" not in bloc and "ownership" not in bloc
        elif scenario.bloc_visibility == "band":
            assert isinstance(bloc.get("disposition"), str), bloc
            assert "politicisation" not in bloc


def assert_spectator_view_is_public(point: Checkpoint, who: str = SPECTATOR) -> None:
    scenario, state = point.scenario, point.state
    seen = point.public if who == SPECTATOR else view(scenario, state, who)
    if who != SPECTATOR:
        assert seen == point.public, f"{who!r} (no seat) should get the spectator's view"
        return
    text = dump(seen)
    assert seen["viewer"] == SPECTATOR
    for key in ("you", "offers", "pledges", "soundings", "linked_moves", "invitations"):
        assert key not in seen, f"a spectator sees {key!r}"
    assert_no_hidden_keys(seen, SPECTATOR, set(seen))
    assert_blocs_as_the_scenario_allows(scenario, seen)
    assert all(m["to"] == PUBLIC for m in seen["messages"]), "a spectator sees a private message"
    listed = {m["number"] for m in seen["messages"]}
    assert {m.number for m in state.messages if m.to == PUBLIC} == listed
    for message in state.messages:
        if message.to != PUBLIC and message.number in point.texts:
            assert point.texts[message.number] not in text, f"a spectator sees {message.text}"
    for spec in scenario.seats:
        for goal in spec.goals:
            if goal.text:
                assert as_json(goal.text) not in text, f"a spectator sees {goal.text!r}"
    for path, value in dicts(seen):
        assert not objective_like(value), f"a spectator sees objectives at {path}"
        assert not resource_like(value, set(state.seats)), f"a spectator sees {path}: {value}"
        assert value.get("type") not in ORDER_TAGS, f"a spectator sees an order at {path}"


def assert_seat_view_keeps_secrets(point: Checkpoint, seat: str) -> None:
    scenario, state = point.scenario, point.state
    seen = view(scenario, state, seat)
    text = dump(seen)
    assert seen["viewer"] == seat
    you = seen["you"]
    assert you["seat"] == seat
    spec = scenario.seat(seat)
    assert you["objectives"]["ideal"] == dict(spec.preferences.ideal)
    live = state.seats[seat]
    assert you["resources"] == {r: getattr(live, r) for r in RESOURCE_KEYS}
    # What the spectator sees too has passed the stricter public checks: walk the rest.
    private = {k for k in seen if k not in point.public or seen[k] != point.public[k]}
    assert_no_hidden_keys(seen, seat, private)
    assert_blocs_as_the_scenario_allows(scenario, seen)

    # Other seats' objectives: neither their texts nor any objective field outside "you".
    for secret in other_seats_secret_texts(scenario, seat):
        assert secret not in text, f"{seat} sees another seat's objective {secret[:40]!r}"
    links = set(state.links_of(seat))
    for path, value in dicts({k: seen[k] for k in private}):
        if objective_like(value):
            assert path == ("you", "objectives"), f"{seat} sees objectives at {path}"
        if resource_like(value, set(state.seats)):
            in_offer = len(path) == 3 and path[0] == "offers" and path[2] in ("gives", "gets")
            mine = path in (("you", "resources"), ("you", "reserved"))
            assert mine or in_offer, f"{seat} sees resources at {path}: {value}"
        if value.get("type") in ORDER_TAGS and path[:2] != ("you", "orders"):
            # Orders: one's own, and linked seats' formal-arena moves, nothing else.
            assert path[0] == "linked_moves" and path[2:] == ("order",), f"order at {path}"
            mover = seen["linked_moves"][path[1]]["seat"]
            assert mover in links, f"{seat} sees orders of unlinked {mover}"
            assert value["type"] in NARROW_TAGS, f"{seat} sees {mover}'s wide order {value}"
            assert value in [to_plain(o) for o in state.seats[mover].orders]
        if "gives" in value or "gets" in value:
            assert path[:1] == ("offers",), f"{seat} sees an offer at {path}"
        if "pledger" in value:
            assert path[:1] == ("pledges",), f"{seat} sees a pledge at {path}"

    # Messages: exactly those it may read, the public ones in `messages` and the others in
    # `private_messages`; no other message's text anywhere in the view.
    assert all(m["to"] == PUBLIC for m in seen["messages"]), f"{seat} has a private message among the public"
    assert all(m["to"] != PUBLIC for m in seen["private_messages"]), f"{seat} has a public message among its own"
    listed = {m["number"] for m in (*seen["messages"], *seen["private_messages"])}
    for message in state.messages:
        readable = can_read(message, seat)
        assert (message.number in listed) == readable, f"{seat}: {message}"
        if not readable and message.number in point.texts:
            assert point.texts[message.number] not in text, f"{seat} sees {message.text}"

    # Offers and pledges: only those it is party to, and every offer still open.
    for offer in seen["offers"]:
        assert seat in (offer["sender"], offer["recipient"]), f"{seat} sees {offer}"
    is_open = {o.id for o in state.offers.values() if seat in (o.sender, o.recipient) and o.status == "open"}
    assert is_open <= {o["id"] for o in seen["offers"]}, f"{seat} misses an open offer"
    for pledge in seen["pledges"]:
        assert seat in (pledge["pledger"], pledge["beneficiary"]), f"{seat} sees {pledge}"
    for sounding in seen["soundings"]:
        assert seat in sounding["audience"]
    for alliance_id in seen["invitations"]:
        assert seat in state.alliances[alliance_id].invited

    # Linked moves: every formal-arena order of every linked seat, before it resolves.
    expected = sorted(
        (other, order.type) for other in links for order in state.seats[other].orders if order.type in NARROW_TAGS
    )
    assert sorted((m["seat"], m["order"]["type"]) for m in seen["linked_moves"]) == expected


def assert_full_view(scenario: Scenario, state: GameState, who: str) -> None:
    """Everything: the whole state, every seat's objectives, the scores."""
    seen = view(scenario, state, who)
    text = dump(seen)
    assert seen["state"] == to_plain(state)
    assert set(seen["objectives"]) == set(scenario.seat_ids)
    for spec in scenario.seats:
        assert seen["objectives"][spec.id]["ideal"] == dict(spec.preferences.ideal)
        assert seen["objectives"][spec.id]["failure"] == spec.failure_value
    assert set(seen["scores"]) == set(scenario.seat_ids)
    assert "value" in seen["ripeness"]
    for message in state.messages:
        assert as_json(message.text) in text


def assert_every_view_keeps_its_secrets(scenario: Scenario, state: GameState) -> None:
    if state.phase == "ended":
        for who in (*scenario.seat_ids, SPECTATOR, FACILITATOR):
            assert_full_view(scenario, state, who)
        return
    point = Checkpoint.of(scenario, state)
    assert_spectator_view_is_public(point)
    assert_spectator_view_is_public(point, "nobody")
    for seat in scenario.seat_ids:
        assert_seat_view_keeps_secrets(point, seat)
    assert view(scenario, state, FACILITATOR)["viewer"] == FACILITATOR
    assert_full_view(scenario, state, FACILITATOR)


def assert_events_reach_only_their_audience(scenario: Scenario, moment: Moment) -> None:
    events, after = list(moment.events), moment.after
    assert visible_events(events, FACILITATOR) == events
    assert visible_events(events, SPECTATOR) == [e for e in events if not e.audience]
    for seat in scenario.seat_ids:
        mine = visible_events(events, seat)
        assert mine == [e for e in events if not e.audience or seat in e.audience]
        # No event a seat receives carries a message it may not read.
        text = dump([to_plain(e) for e in mine])
        for message in after.messages:
            if message.round == after.round and not can_read(message, seat):
                assert as_json(message.text) not in text, f"{seat} hears {message.text}"
    for event in events:
        if event.kind in PRIVATE_EVENT_KINDS:
            assert event.audience, f"a {event.kind} event is public: {event.text}"
        if event.kind == "message":
            sender, to = event.detail["sender"], event.detail["to"]
            expected = set() if to == PUBLIC else readers(after, sender, to)
            assert set(event.audience) == expected, event
            kept = [m for m in after.messages if m.number == event.detail["number"]]
            assert [set(m.audience) for m in kept] == [expected], event
        if event.kind.startswith("offer_"):
            # An answered offer leaves the state at the end of its round.
            offer = moment.before.offers.get(event.detail["offer"]) or after.offers[event.detail["offer"]]
            assert set(event.audience) <= {offer.sender, offer.recipient}, event
        if event.kind in ("order_submitted", "order_withdrawn"):
            assert event.audience == (moment.actor,), event
        if event.kind == "linked_move":
            assert set(event.audience) <= set(after.links_of(moment.actor)), event
            assert event.detail["order"] in NARROW_TAGS, event
    if moment.actor != FACILITATOR and moment.before.phase == after.phase == "act":
        # Orders stay secret while the act phase lasts: all anyone else hears is "ready".
        public = [e.kind for e in events if not e.audience]
        assert set(public) <= {"seat_done"}, public


def three_seats(scenario: Scenario) -> tuple[str, str, str]:
    a, b, c = list(scenario.seat_ids)[:3]
    return a, b, c
