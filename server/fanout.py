"""Building what a change sends: each viewer's new view, its patch, and its frame, once.

A game's viewers are its seats, the facilitator and the spectators. During play every seat's
view is the public table plus the seat's own part (`game_rules.views.seat_part`), so the
public table is built and compared once per change, and each seat's part once; the patch a
seat receives is the public patch (minus the entries its own part overrides) plus the patch
of its part. Frames are encoded once per viewer and encoding and shared by its connections.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from game_rules import FACILITATOR, SPECTATOR, Event, GameState, Scenario, view
from game_rules.views import (
    can_see,
    only_messages,
    public_after_messages,
    public_touched,
    public_view,
    seat_part,
    seat_part_after_messages,
    seats_touched,
)
from server import transport, wire
from server.connection import Connection
from server.patch import Op, diff
from server.protocol import EventRecord
from server.store import Snapshot

# A room's live connections grouped by what they are sent: (viewer, encoding, connections).
Audience = list[tuple[str, str, list[Connection]]]

# The entries of a seat's view that its own part sets (see `game_rules.views.seat_part`).
SEAT_KEYS = frozenset(
    {"viewer", "you", "private_messages", "offers", "pledges", "alliances", "invitations", "soundings", "linked_moves"}
)


def event_record(seq: int, event: Event, by: str = "") -> EventRecord:
    """An event as the wire carries it, with its number."""
    return EventRecord(**_record(seq, event, by))


@dataclass
class Views:
    """The views of one game at one moment, for the viewers that are connected here."""

    public: dict[str, Any]
    seats: dict[str, dict[str, Any]] = field(default_factory=dict)  # seat -> its own part
    whole: dict[str, dict[str, Any]] = field(default_factory=dict)  # facilitator, or anyone once ended

    def of(self, viewer: str) -> dict[str, Any]:
        """The whole view of one viewer (built with `build`, which must have included it)."""
        if viewer in self.whole:
            return self.whole[viewer]
        if viewer in self.seats:
            return {**self.public, **self.seats[viewer]}
        return self.public


def build(
    scenario: Scenario,
    state: GameState,
    extras: dict[str, Any],
    viewers: Iterable[str],
    previous: Views | None = None,
    touched: set[str] | None = None,
    messages: bool = False,
    public_same: bool = False,
) -> Views:
    """The views of these viewers; `extras` (the clock, who is in the room) go into every view.
    With the `previous` views and the seats a change `touched` (`seats_touched`), the other
    seats keep their parts as they were: the same objects, which patches pass over at once;
    after a change that made only `messages` (`only_messages`), so do the touched seats but
    for their private messages, and the public table but for its public ones; it is kept
    whole if the change left it the same (`public_same`: see `public_touched`). Both need the
    same extras as before."""
    held = previous.public if previous is not None and touched is not None else None
    if held is not None and any(held.get(k) is not v for k, v in extras.items()):
        held = None
    if held is not None and public_same:
        public = held
    elif held is not None and messages:
        public = public_after_messages(state, held)
    else:
        public = {**public_view(scenario, state), **extras}
    built = Views(public=public)
    for viewer in viewers:
        if viewer == SPECTATOR:
            continue
        if viewer == FACILITATOR or state.phase == "ended":
            built.whole[viewer] = {**view(scenario, state, viewer), **extras}
        elif viewer in state.seats:
            kept = previous.seats.get(viewer) if previous is not None else None
            if kept is None or touched is None:
                built.seats[viewer] = seat_part(scenario, state, viewer, public)
            elif viewer not in touched:
                built.seats[viewer] = kept
            elif messages:
                built.seats[viewer] = seat_part_after_messages(state, viewer, kept)
            else:
                built.seats[viewer] = seat_part(scenario, state, viewer, public)
    return built


def patches(old: Views, new: Views, viewers: Iterable[str]) -> dict[str, list[Op]]:
    """Each viewer's patch from its old view to its new one. Viewers whose patches are the same
    share one list (so their frames are encoded once)."""
    public = diff(old.public, new.public)
    shared = [op for op in public if _top(op) not in SEAT_KEYS]
    if len(shared) == len(public):
        shared = public  # one list: seats and spectators then share one frame
    out: dict[str, list[Op]] = {}
    for viewer in viewers:
        if viewer in new.whole or viewer in old.whole:
            out[viewer] = diff(old.of(viewer), new.of(viewer))
        elif viewer in new.seats:
            own = diff(old.seats.get(viewer, {}), new.seats[viewer])
            out[viewer] = shared + own if own else shared
        else:
            out[viewer] = public
    return out


def _top(op: Op) -> str:
    path: str = op["path"]
    end = path.find("/", 1)
    return path[1:] if end < 0 else path[1:end]


@dataclass
class Frames:
    """One change's frames by viewer. Viewers that see the same events and the same patch
    share a frame, encoded once per encoding on first use."""

    messages: dict[str, dict[str, Any]]
    _encoded: dict[tuple[int, str], tuple[bytes | str, bytes]] = field(default_factory=dict)

    def encoded(self, viewer: str, protocol: str) -> tuple[bytes | str, bytes] | None:
        """A viewer's frame in an encoding, and the same as websocket frame bytes; None if the
        viewer gets nothing."""
        message = self.messages.get(viewer)
        if message is None:
            return None
        key = (id(message), protocol)
        made = self._encoded.get(key)
        if made is None:
            payload = wire.encode_plain(protocol, message)
            made = self._encoded[key] = (payload, transport.frame(payload))
        return made


def frames(seq: int, events: list[tuple[int, Event, str]], changes: dict[str, list[Op]]) -> Frames:
    """The `events` frame of each viewer: the events it may see and its patch. A viewer with
    neither gets no frame. Each event comes with its number and who made it."""
    records = [(event, _record(number, event, by)) for number, event, by in events]
    # Most changes make only events everyone hears (a public message): every viewer sees them all.
    everyone = [record for _, record in records] if not any(event.audience for event, _ in records) else None
    made: dict[tuple[tuple[int, ...] | None, int], dict[str, Any]] = {}
    out: dict[str, dict[str, Any]] = {}
    for viewer, patch in changes.items():
        if everyone is not None:
            shown, seen = everyone, None
        else:
            shown = [record for event, record in records if can_see(viewer, event)]
            seen = tuple(r["seq"] for r in shown)
        if not shown and not patch:
            continue
        key = (seen, id(patch))
        message = made.get(key)
        if message is None:
            message = made[key] = {"type": "events", "seq": seq, "events": shown, "patch": patch}
        out[viewer] = message
    return Frames(out)


def _record(seq: int, event: Event, by: str) -> dict[str, Any]:
    """An event as the wire carries it (an `EventRecord`), as a plain map."""
    return {
        "seq": seq,
        "kind": event.kind,
        "round": event.round,
        "text": event.text,
        "audience": list(event.audience),
        "detail": event.detail,
        "by": by,
    }


@dataclass
class Delivery:
    """What one change sends: the new views, and each group's frame (None: whole views). It
    keeps what it was made from, for the room to check that still holds when it is sent."""

    before: Snapshot | None
    previous: Views | None
    audience: Audience
    extras: dict[str, Any]
    views: Views | None = None
    frames: list[tuple[tuple[bytes | str, bytes] | None, list[Connection]]] | None = None


def prepare(
    scenario: Scenario,
    before: Snapshot | None,
    previous: Views | None,
    audience: Audience,
    viewers: set[str],
    state: GameState,
    seq: int,
    events: list[tuple[int, Event, str]],
    extras: dict[str, Any],
) -> Delivery:
    """What taking a room from `before` (its connections holding the `previous` views) to `state`
    sends each group of its `audience`; its events are numbered up to `seq`."""
    delivery = Delivery(before, previous, audience, extras)
    if not audience:
        return delivery  # no views: rebuilt from the snapshot when someone connects
    touched, public_same, happened = None, False, [event for _, event, _ in events]
    if before is not None and previous is not None:
        touched = seats_touched(before.state, state, happened)
        public_same = not public_touched(before.state, state, happened)
    delivery.views = build(scenario, state, extras, viewers, previous, touched, only_messages(happened), public_same)
    if previous is not None:
        made = frames(seq, events, patches(previous, delivery.views, viewers))
        delivery.frames = [(made.encoded(viewer, protocol), group) for viewer, protocol, group in audience]
    return delivery
