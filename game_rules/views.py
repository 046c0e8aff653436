"""All secrecy in one place: the state as a seat, the facilitator or a spectator may see it.

A view is built from named pieces (the public table, "you", your channels and business) and
is the only thing a client ever receives. Once the game has ended, everything hidden is
revealed to everyone: objectives, private offers, spoiling, the seeded draws.
"""

from __future__ import annotations

from typing import Any

from game_rules.actions import FACILITATOR, PUBLIC
from game_rules.codec import kept, to_plain
from game_rules.events import Event
from game_rules.negotiation import alliance_span
from game_rules.orders import reserved, staff_of
from game_rules.scenario import Scenario, SeatSpec
from game_rules.scoring import epilogue, scores
from game_rules.standings import placed
from game_rules.state import GameState, Message
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
    part["private_messages"] = [_message(m) for m in state.messages if m.audience and seat in m.audience]
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
    # How each side issue would go on the blocs' leans now, before any seat votes.
    outlook = side_issue_outlook(scenario, state.side_leans)
    show = "exact" if exact else scenario.bloc_visibility
    blocs = []
    for bloc in scenario.blocs:
        entry: dict[str, Any] = {"id": bloc.id, "name": bloc.name, "votes": bloc.votes}
        live = state.blocs[bloc.id]
        value = disposition(scenario, state, bloc.id)
        if show in ("exact", "band"):
            entry.update(disposition=_shown(scenario, value, show), ownership=_shown(scenario, live.ownership, show))
        if show == "exact":
            entry["politicisation"] = round(live.politicisation, 3)
        blocs.append(entry)
    table: dict[str, Any] = {
        "scenario": scenario.id,
        "title": scenario.title,
        "round": state.round,
        "rounds": scenario.rounds,
        "phase": state.phase,
        "version": state.version,
        "decision_rule": scenario.decision_rule,
        "ripeness": {"band": ripeness_band(scenario, current)},
        "draft": {
            "tabled": state.tabled,
            "sponsors": list(state.sponsors),
            "vote_called": bool(state.vote_called_by),
            "provisions": [
                {
                    "id": p.id,
                    "name": p.name,
                    "level": state.levels[p.id],
                    "wording": p.levels[state.levels[p.id]],
                    "levels": list(p.levels),
                }
                for p in scenario.provisions
            ],
            "history": [to_plain(c) for c in state.draft_history],
        },
        "blocs": blocs,
        "constituencies": [_constituency(scenario, state, c.id, c.name, show) for c in scenario.constituencies],
        "venues": [
            {"id": v.id, "name": v.name, "blocs": list(v.blocs), "constituencies": list(v.constituencies)}
            for v in scenario.venues
        ],
        "seats": [
            {
                "id": s.id,
                "name": s.name,
                "kind": s.kind,
                "bloc": s.bloc,
                "votes": s.votes,
                "done": state.seats[s.id].done,
            }
            for s in scenario.seats
        ],
        "alliances": [
            {
                "id": a.id,
                "name": a.name,
                "founder": a.founder,
                "members": list(a.members),
                "span": alliance_span(scenario, a),
            }
            for a in state.alliances.values()
        ],
        "links": [list(pair) for pair in state.links],
        "messages": [_message(m) for m in state.messages if m.to == PUBLIC],
        "message_count": sum(counts.get(PUBLIC, 0) for counts in state.message_counts.values()),
        "bulletins": list(state.bulletins),
        "votes": [to_plain(v) for v in state.votes],
        "side_issues": [
            {"id": s.id, "name": s.name, "result": state.side_issue_results.get(s.id), "outlook": outlook[s.id]}
            for s in scenario.side_issues
        ],
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
