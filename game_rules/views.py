"""All secrecy in one place: the state as a seat, the facilitator or a spectator may see it.

A view is built from named pieces (the public table, "you", your channels and business) and
is the only thing a client ever receives. Once the game has ended, everything hidden is
revealed to everyone: objectives, private offers, spoiling, the seeded draws.
"""

from __future__ import annotations

import operator
from typing import Any

from game_rules.actions import FACILITATOR, PUBLIC
from game_rules.codec import kept, kept_for, to_plain
from game_rules.events import Event
from game_rules.negotiation import alliance_span
from game_rules.orders import reserved, staff_of
from game_rules.scenario import Scenario, SeatSpec
from game_rules.scoring import epilogue, scores
from game_rules.standings import placed
from game_rules.state import WINDOW, Alliance, GameState, Message
from game_rules.voting import side_issue_outlook
from game_rules.world import disposition, disposition_band, legitimacy, ripeness, ripeness_band

SPECTATOR = "spectator"


def view(scenario: Scenario, state: GameState, viewer: str) -> dict[str, Any]:
    """The view for a seat id, "facilitator" or "spectator"."""
    if viewer == FACILITATOR or state.phase == "ended":
        return _full_view(scenario, state, viewer)
    table = public_view(scenario, state)
    if viewer == SPECTATOR or viewer not in state.seats:
        return table
    return {**table, **seat_part(scenario, state, viewer, table)}


def public_view(scenario: Scenario, state: GameState) -> dict[str, Any]:
    """What a spectator sees during play: the part of every seat's view that is the same for all."""
    table = _public(scenario, state, exact=False)
    table["viewer"] = SPECTATOR
    return table


def seat_part(scenario: Scenario, state: GameState, seat: str, table: dict[str, Any]) -> dict[str, Any]:
    """During play, the entries of a seat's view that differ from the public `table` (built by
    `public_view` from the same state): its own business, the private and alliance messages it
    may read, and its alliances with their platforms. A server builds the public table once per
    change, and this part only for the seats the change touched (`seats_touched`)."""
    part: dict[str, Any] = {"viewer": seat, "you": _you(scenario, state, seat)}
    part["private_messages"] = _window_messages(state.messages, seat)
    part["offers"] = [
        to_plain(o)
        for o in state.offers.values()
        if seat in (o.sender, o.recipient) and (o.status == "open" or o.round == state.round)
    ]
    part["pledges"] = [
        to_plain(p)
        for p in state.pledges
        if seat in (p.pledger, p.beneficiary) and (p.status == "pending" or p.round == state.round)
    ]
    alliances = []
    for alliance in table["alliances"]:
        live = state.alliances[alliance["id"]]
        if seat in live.members or seat in live.invited:
            alliance = {**alliance, "platform": dict(live.platform)}
        if seat in live.members:
            alliance["invited"] = list(live.invited)
        alliances.append(alliance)
    part["alliances"] = alliances
    part["invitations"] = [a.id for a in state.alliances.values() if seat in a.invited]
    part["soundings"] = [to_plain(s) for s in state.soundings if seat in s.audience]
    part["linked_moves"] = _linked_moves(state, seat)
    return part


def visible_events(events: tuple[Event, ...] | list[Event], viewer: str) -> list[Event]:
    """The events a viewer may receive: the facilitator all, a seat its own, a spectator public."""
    return [e for e in events if can_see(viewer, e)]


def can_see(viewer: str, event: Event) -> bool:
    """Whether a viewer may receive an event (see `visible_events`)."""
    return viewer == FACILITATOR or not event.audience or (viewer != SPECTATOR and viewer in event.audience)


# Events that change the public table only: they touch no seat's own part of its view.
PUBLIC_ONLY_EVENTS = frozenset({"message"})
# Events everyone hears that touch one seat's own part: the seat named in this detail field.
ONE_SEAT_EVENTS = {"seat_done": "seat"}


def seats_touched(before: GameState, after: GameState, events: tuple[Event, ...] | list[Event]) -> set[str] | None:
    """The seats whose own part of the view (`seat_part`) may differ between `before` and
    `after`, a change that made `events`; None when it may be any seat. A seat's part changes
    only with events it hears (besides the few above), or when a message it could read leaves
    the state's window of messages."""
    if (before.round, before.phase) != (after.round, after.phase):
        return None
    touched: set[str] = set()
    for event in events:
        if event.audience:
            touched.update(event.audience)
        elif event.kind in ONE_SEAT_EVENTS:
            touched.add(str(event.detail.get(ONE_SEAT_EVENTS[event.kind], "")))
        elif event.kind not in PUBLIC_ONLY_EVENTS:
            return None
    if before.messages and (not after.messages or after.messages[0] is not before.messages[0]):
        first = after.messages[0].number if after.messages else before.message_total + 1
        for message in before.messages:
            if message.number >= first:
                break
            touched.update(message.audience)
    return touched


def public_touched(before: GameState, after: GameState, events: tuple[Event, ...] | list[Event]) -> bool:
    """Whether the public table (`public_view`) may differ between `before` and `after`, a change
    that made `events`. Private messages leave it as it was, unless a public message left the
    state's window of messages to make room for them."""
    if not only_messages(events) or any(not event.audience for event in events):
        return True
    if (before.round, before.phase) != (after.round, after.phase) or not after.messages:
        return True
    for sender in {str(event.detail.get("sender", "")) for event in events}:
        # The public count (`message_count`) takes a message to an alliance of one, too.
        if before.message_counts.get(sender, {}).get(PUBLIC) != after.message_counts.get(sender, {}).get(PUBLIC):
            return True
    first = after.messages[0].number
    for message in before.messages:
        if message.number >= first:
            return False
        if message.to == PUBLIC:
            return True
    return False


def only_messages(events: tuple[Event, ...] | list[Event]) -> bool:
    """Whether a change made messages and nothing else: then a seat's part changes only in its
    private messages (`seat_part_after_messages`)."""
    return bool(events) and all(event.kind == "message" for event in events)


def public_after_messages(state: GameState, table: dict[str, Any]) -> dict[str, Any]:
    """The public table after a change that made only messages (`only_messages`) in the same
    phase: the `table` it had, with the public messages and their count now. Everything else
    stays the same objects, which a server's patch passes over at once."""
    return {**table, "messages": _window_messages(state.messages, PUBLIC), "message_count": _public_count(state)}


def seat_part_after_messages(state: GameState, seat: str, part: dict[str, Any]) -> dict[str, Any]:
    """A seat's part (`seat_part`) after a change that made only messages: the part it had, with
    the private messages it may read now. Everything else stays the same objects, which a
    server's patch passes over at once."""
    return {**part, "private_messages": _window_messages(state.messages, seat)}


def _message(message: Message) -> dict[str, Any]:
    """A message as views show it (without its audience), made once per message."""
    plain: dict[str, Any] = kept(
        message,
        "_view",
        lambda: {
            "number": message.number,
            "round": message.round,
            "sender": message.sender,
            "to": message.to,
            "text": message.text,
        },
    )
    return plain


def objectives(spec: SeatSpec) -> dict[str, Any]:
    """A seat's secret objectives as views and exports show them, made once per seat."""
    plain: dict[str, Any] = kept(
        spec,
        "_objectives",
        lambda: {
            "ideal": dict(spec.preferences.ideal),
            "weights": dict(spec.preferences.weights),
            "failure": spec.failure_value,
            "side_stakes": dict(spec.side_stakes),
            "turf": dict(spec.turf),
            "goals": [to_plain(g) for g in spec.goals],
        },
    )
    return plain


def _shown(scenario: Scenario, value: float, show: str) -> float | str | None:
    """A bloc's or constituency's measure as the scenario shows it: exact, as a band, or not."""
    if show == "exact":
        return round(value, 3)
    if show == "band":
        return disposition_band(scenario, value)
    return None


def _constituency(scenario: Scenario, state: GameState, cid: str, name: str, show: str) -> dict[str, Any]:
    """A constituency as blocs are shown (a seat whose goal is its ownership must see how it stands)."""
    entry: dict[str, Any] = {"id": cid, "name": name}
    owned = _shown(scenario, state.constituencies[cid], show)
    if owned is not None:
        entry["ownership"] = owned
    return entry


def _public(scenario: Scenario, state: GameState, exact: bool) -> dict[str, Any]:
    current = ripeness(scenario, state)
    show = "exact" if exact else scenario.bloc_visibility
    levels = tuple(map(state.levels.__getitem__, _ids(scenario, "provisions")))  # the text, in the scenario's order
    table: dict[str, Any] = {
        "scenario": scenario.id,
        "title": scenario.title,
        "round": state.round,
        "rounds": scenario.rounds,
        "phase": state.phase,
        "decision_rule": scenario.decision_rule,
        "ripeness": {"band": ripeness_band(scenario, current)},
        "draft": {
            "tabled": state.tabled,
            "sponsors": list(state.sponsors),
            "vote_called": bool(state.vote_called_by),
            "provisions": _provisions(scenario, levels),
            "history": [to_plain(c) for c in state.draft_history],
        },
        "blocs": _blocs(scenario, state, show, levels),
        "constituencies": kept_for(
            scenario,
            "_constituencies_view",
            (show, *state.constituencies.values()),
            lambda: [_constituency(scenario, state, c.id, c.name, show) for c in scenario.constituencies],
        ),
        "venues": kept(scenario, "_venues_view", lambda: _venues(scenario)),
        "seats": kept_for(
            scenario,
            "_seats_view",
            (tuple(state.seats), tuple(map(_DONE, state.seats.values()))),
            lambda: [_seat(s, state.seats[s.id].done) for s in scenario.seats],
        ),
        "alliances": [_alliance(scenario, a) for a in state.alliances.values()],
        "links": [list(pair) for pair in state.links],
        "messages": _window_messages(state.messages, PUBLIC),
        "message_count": _public_count(state),
        "bulletins": list(state.bulletins),
        "votes": [to_plain(v) for v in state.votes],
        "side_issues": _side_issues(scenario, state),
        "pooled_fund": state.pooled_fund,
        "score_weights": to_plain(scenario.score_weights),
        "rules": to_plain(scenario.rules),
        "outcome": state.outcome,
    }
    if exact:
        table["ripeness"].update(
            value=round(current, 3), threshold=scenario.ripeness_threshold, floor=scenario.ripeness_floor
        )
    return table


# Keys made in C (`map`) rather than by generators: they are made on every build.
_DONE = operator.attrgetter("done")
_BLOC_NUMBERS = operator.attrgetter("goodwill", "ownership", "politicisation")
_PUBLIC_COUNT = operator.methodcaller("get", PUBLIC, 0)


def _public_count(state: GameState) -> int:
    """Public messages sent (`message_count`)."""
    return sum(map(_PUBLIC_COUNT, state.message_counts.values()))


def _ids(scenario: Scenario, part: str) -> tuple[str, ...]:
    """The ids of a scenario's provisions or side issues, in order."""
    ids: tuple[str, ...] = kept(scenario, f"_{part}_ids", lambda: tuple(x.id for x in getattr(scenario, part)))
    return ids


# The public table is built on every change a server sends, and most changes (a message, an
# order) leave most of it as it was. Its parts that derive from the scenario and a few numbers
# of the state are kept per those numbers (`kept_for`), so an unchanged part is the same object
# from one build to the next: a server's patch passes over it at once.


def _provisions(scenario: Scenario, levels: tuple[int, ...]) -> list[dict[str, Any]]:
    def build() -> list[dict[str, Any]]:
        return [
            {"id": p.id, "name": p.name, "level": level, "wording": p.levels[level], "levels": list(p.levels)}
            for p, level in zip(scenario.provisions, levels, strict=True)
        ]

    made: list[dict[str, Any]] = kept_for(scenario, "_provisions_view", levels, build)
    return made


def _blocs(scenario: Scenario, state: GameState, show: str, levels: tuple[int, ...]) -> list[dict[str, Any]]:
    # A bloc's disposition reads the text's levels and the bloc's own numbers, nothing else.
    live = tuple(map(_BLOC_NUMBERS, state.blocs.values()))
    key = (show, levels, tuple(state.blocs), live)

    def build() -> list[dict[str, Any]]:
        blocs = []
        for bloc in scenario.blocs:
            entry: dict[str, Any] = {"id": bloc.id, "name": bloc.name, "votes": bloc.votes}
            value = disposition(scenario, state, bloc.id)
            if show in ("exact", "band"):
                ownership = state.blocs[bloc.id].ownership
                entry.update(disposition=_shown(scenario, value, show), ownership=_shown(scenario, ownership, show))
            if show == "exact":
                entry["politicisation"] = round(state.blocs[bloc.id].politicisation, 3)
            blocs.append(entry)
        return blocs

    made: list[dict[str, Any]] = kept_for(scenario, "_blocs_view", key, build)
    return made


def _side_issues(scenario: Scenario, state: GameState) -> list[dict[str, Any]]:
    leans = tuple(map(tuple, map(dict.items, state.side_leans.values())))
    results = tuple(map(state.side_issue_results.get, _ids(scenario, "side_issues")))

    def build() -> list[dict[str, Any]]:
        # How each side issue would go on the blocs' leans now, before any seat votes.
        outlook = side_issue_outlook(scenario, state.side_leans)
        return [
            {"id": s.id, "name": s.name, "result": result, "outlook": outlook[s.id]}
            for s, result in zip(scenario.side_issues, results, strict=True)
        ]

    key = (tuple(state.side_leans), leans, results)
    made: list[dict[str, Any]] = kept_for(scenario, "_side_issues_view", key, build)
    return made


def _venues(scenario: Scenario) -> list[dict[str, Any]]:
    return [
        {"id": v.id, "name": v.name, "blocs": list(v.blocs), "constituencies": list(v.constituencies)}
        for v in scenario.venues
    ]


def _seat(spec: SeatSpec, done: bool) -> dict[str, Any]:
    return {"id": spec.id, "name": spec.name, "kind": spec.kind, "bloc": spec.bloc, "votes": spec.votes, "done": done}


def _alliance(scenario: Scenario, alliance: Alliance) -> dict[str, Any]:
    members = tuple(alliance.members)
    made: dict[str, Any] = kept_for(
        scenario,
        "_alliances_view",
        (alliance.id, alliance.name, alliance.founder, members),
        lambda: {
            "id": alliance.id,
            "name": alliance.name,
            "founder": alliance.founder,
            "members": list(members),
            "span": alliance_span(scenario, alliance),
        },
    )
    return made


def _window_messages(window: list[Message], reader: str) -> list[dict[str, Any]]:
    """The messages of a message window as views show them: the public ones (`reader` is
    PUBLIC), or those a seat could read in private or in an alliance. Kept per reader on the
    window's newest message and made from the newest earlier one that keeps it, so a new
    message costs one entry, not sixty."""
    if not window:
        return []
    newest, first = window[-1], window[0].number
    kept_here: dict[str, Any] | None = newest.__dict__.get(WINDOW)
    if kept_here is None:
        kept_here = {}
        object.__setattr__(newest, WINDOW, kept_here)
    made = kept_here.get(reader)
    if made is not None and made[0] == first and made[1] == len(window):
        shown: list[dict[str, Any]] = made[2]
        return shown
    # A seat's list is made only when a change touches the seat, which may be many messages
    # back: look for the newest message that keeps one. What is kept names the window's first
    # message by number, not by the message itself, which would chain every message to older
    # ones and keep a game's whole history alive.
    at, before = len(window) - 1, None
    while before is None and at > 0:
        at -= 1
        before = window[at].__dict__.get(WINDOW, {}).get(reader)
    if before is not None and before[0] <= first:
        # That window, less what dropped off its front, plus the messages since.
        earlier = before[2]
        dropped = 0
        while dropped < len(earlier) and earlier[dropped]["number"] < first:
            dropped += 1
        shown = earlier[dropped:]
        shown.extend(_message(m) for m in window[at + 1 :] if _reads(m, reader))
    else:
        shown = [_message(m) for m in window if _reads(m, reader)]
    kept_here[reader] = (first, len(window), shown)
    return shown


def _reads(message: Message, reader: str) -> bool:
    if reader == PUBLIC:
        return message.to == PUBLIC
    return bool(message.audience) and reader in message.audience


def _you(scenario: Scenario, state: GameState, seat: str) -> dict[str, Any]:
    spec = scenario.seat(seat)
    live = state.seats[seat]
    held = reserved(scenario, state, seat)
    return {
        "seat": seat,
        "name": spec.name,
        "kind": spec.kind,
        "bloc": spec.bloc,
        "resources": {
            "capital": live.capital,
            "funds": live.funds,
            "expertise": live.expertise,
            "credibility": live.credibility,
        },
        "staff": staff_of(scenario, state, seat),
        "reserved": to_plain(held),
        "orders": [to_plain(o) for o in live.orders],
        "done": live.done,
        "ballot": live.ballot,
        "objectives": objectives(spec),
        "links": state.links_of(seat),
        "grants": [
            {"donor": donor, "purpose": purpose, "left": left, "until": int(until)}
            for key, left in sorted(live.earmarks.items())
            for donor, purpose, until in [key.split("|")]
        ],
        "role_sheet": spec.role_sheet,
    }


def _linked_moves(state: GameState, seat: str) -> list[dict[str, Any]]:
    """Formal-arena orders of linked seats, seen a phase before they resolve."""
    moves = []
    for other in state.links_of(seat):
        for order in state.seats[other].orders:
            if order.arena == "narrow":
                moves.append({"seat": other, "order": to_plain(order)})
    return moves


def _full_view(scenario: Scenario, state: GameState, viewer: str) -> dict[str, Any]:
    """Everything: for the facilitator during play, and for everyone once the game is over."""
    table = _public(scenario, state, exact=True)
    table["viewer"] = viewer if viewer in (FACILITATOR, SPECTATOR) or viewer in state.seats else SPECTATOR
    table["state"] = to_plain(state)
    table["objectives"] = {s.id: objectives(s) for s in scenario.seats}
    cards = scores(scenario, state)
    table["scores"] = {k: to_plain(v) for k, v in cards.items()}
    table["standings"] = {k: placed(scenario, k, card.score) for k, card in cards.items()}
    table["legitimacy"] = round(legitimacy(scenario, state), 3)
    ending = epilogue(scenario, state)
    table["epilogue"] = to_plain(ending) if ending else None
    if viewer in state.seats:
        table["you"] = _you(scenario, state, viewer)
    return table
