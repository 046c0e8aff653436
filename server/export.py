"""What the facilitator (and, once a game ends, everyone in it) can take away: the game's
record for the console, the printable materials, and the debrief export (as JSON, or the
participation report as CSV)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

from game_rules import Scenario, epilogue, legitimacy, scores, to_plain
from game_rules.actions import PUBLIC
from game_rules.debrief import claims_shown
from game_rules.standings import placed
from game_rules.views import objectives
from server.deadlines import clock_view
from server.room import Room
from server.store import GameStore, StoredEvent

REPORT_COLUMNS = (
    "seat",
    "name",
    "kind",
    "score",
    "credibility",
    "messages_sent",
    "actions",
    "orders",
    "offers_made",
    "offers_accepted",
    "pledges_broken",
)


def _objectives(scenario: Scenario) -> dict[str, Any]:
    return {s.id: objectives(s) for s in scenario.seats}


def materials(scenario: Scenario) -> dict[str, Any]:
    """The facilitator's printables: the brief and each seat's role sheet with its objectives."""
    objectives = _objectives(scenario)
    return {
        "scenario": scenario.id,
        "title": scenario.title,
        "period": scenario.period,
        "summary": scenario.summary,
        "brief": scenario.brief,
        "rounds": scenario.rounds,
        "decision_rule": scenario.decision_rule,
        "provisions": [{"id": p.id, "name": p.name, "levels": list(p.levels)} for p in scenario.provisions],
        "seats": [
            {"id": s.id, "name": s.name, "kind": s.kind, "role_sheet": s.role_sheet, "objectives": objectives[s.id]}
            for s in scenario.seats
        ],
        "discussion_questions": list(getattr(scenario, "discussion_questions", ())),
        "cards": [
            {"id": card.id, "title": card.title, "text": card.text, "round": card.round}
            for card in (*scenario.scripted_events, *scenario.event_table)
        ],
    }


async def game_record(store: GameStore, game_id: str, room: Room) -> dict[str, Any]:
    """The facilitator's console: the game's state of play and every seat's code and people."""
    meta = await store.meta(game_id)
    head = await store.head(game_id)
    snapshot = room.snapshot
    state = snapshot.state if snapshot is not None else None
    seats = []
    for spec in room.scenario.seats:
        present = room.presence["seats"].get(spec.id, {})
        seats.append(
            {
                "id": spec.id,
                "name": spec.name,
                "kind": spec.kind,
                "code": meta.get(f"code:{spec.id}", ""),
                "bot": meta.get(f"bot:{spec.id}", ""),
                "players": present.get("players", []),
                "online": present.get("online", 0),
                "done": bool(state and state.seats[spec.id].done),
            }
        )
    return {
        "game": game_id,
        "scenario": meta.get("scenario", ""),
        "title": room.scenario.title,
        "created": float(meta.get("created", "0")),
        "clock": meta.get("clock", ""),
        "seed": int(meta.get("seed", "0")),
        "round": state.round if state else 0,
        "rounds": room.scenario.rounds,
        "phase": state.phase if state else "",
        "outcome": state.outcome if state else "",
        "seq": head[1] if head else 0,
        "codes_locked": meta.get("codes_locked") == "1",
        "forked_from": meta.get("forked_from", ""),
        "timer": clock_view(meta),
        "spectators": room.presence.get("spectators", 0),
        "seats": seats,
    }


async def export_game(store: GameStore, game_id: str, scenario: Scenario) -> dict[str, Any]:
    """Everything about a game, hidden things included: the debrief's record."""
    meta = await store.meta(game_id)
    snapshot = await store.load(game_id, scenario)
    assert snapshot is not None
    state = snapshot.state
    entries = await store.action_entries(game_id)
    every = await store.events_since(game_id, 0)
    events = standing(every)
    actions = Counter(actor for actor, _, _ in entries)
    orders = Counter(actor for actor, _, action in entries if action.get("type") == "submit_order")
    # Answered offers leave the state at the end of their round; the event log keeps them all.
    offers_made = Counter(s.event.detail["sender"] for s in events if s.event.kind == "offer_made")
    accepted = Counter(s.event.detail["recipient"] for s in events if s.event.kind == "offer_accepted")
    broken = Counter(s.event.detail.get("pledger", "") for s in events if s.event.kind == "pledge_broken")
    cards = scores(scenario, state)
    by_player: dict[tuple[str, str], Counter[str]] = {}
    for actor, player, action in entries:
        if actor in state.seats:
            tally = by_player.setdefault((player or actor, actor), Counter())
            tally["actions"] += 1
            tally["messages"] += action.get("type") == "send_message"
            tally["orders"] += action.get("type") == "submit_order"
    players = [
        {"player": player, "seat": seat, **{k: tally[k] for k in ("actions", "messages", "orders")}}
        for (player, seat), tally in sorted(by_player.items())
    ]
    report = [
        {
            "seat": seat.id,
            "name": seat.name,
            "kind": seat.kind,
            "score": cards[seat.id].score,
            "credibility": state.seats[seat.id].credibility,
            "messages_sent": sum(state.message_counts.get(seat.id, {}).values()),
            "actions": actions[seat.id],
            "orders": orders[seat.id],
            "offers_made": offers_made[seat.id],
            "offers_accepted": accepted[seat.id],
            "pledges_broken": broken[seat.id],
        }
        for seat in scenario.seats
    ]
    ending = epilogue(scenario, state)
    return {
        "game": game_id,
        "scenario": meta.get("scenario", scenario.id),
        "title": scenario.title,
        "seed": int(meta["seed"]),
        "clock": meta.get("clock", ""),
        "forked_from": meta.get("forked_from", ""),
        "round": state.round,
        "rounds": scenario.rounds,
        "phase": state.phase,
        "outcome": state.outcome,
        "ripeness": {"threshold": scenario.ripeness_threshold, "floor": scenario.ripeness_floor},
        "provisions": [{"id": p.id, "name": p.name, "levels": list(p.levels)} for p in scenario.provisions],
        "blocs": [{"id": b.id, "name": b.name, "votes": b.votes} for b in scenario.blocs],
        "constituencies": [{"id": c.id, "name": c.name} for c in scenario.constituencies],
        "seats": [{"id": s.id, "name": s.name, "kind": s.kind} for s in scenario.seats],
        "objectives": _objectives(scenario),
        "actions": [{"actor": actor, "player": player, "action": action} for actor, player, action in entries],
        "events": [{"seq": s.seq, **to_plain(s.event), "by": s.by} for s in every],
        "undone": sorted({s.seq for s in every} - {s.seq for s in events}),
        "scores": {k: to_plain(v) for k, v in cards.items()},
        "standings": {k: placed(scenario, k, card.score) for k, card in cards.items()},
        "legitimacy": round(legitimacy(scenario, state), 3),
        "epilogue": to_plain(ending) if ending else None,
        "history": to_plain(state.history),
        "votes": to_plain(state.votes),
        "spoils": to_plain(state.spoils),
        "links": [list(pair) for pair in state.links],
        "alliances": [to_plain(a) for a in state.alliances.values()],
        "message_counts": state.message_counts,
        "public": PUBLIC,
        "participation": report,
        "players": players,
        "discussion_questions": list(getattr(scenario, "discussion_questions", ())),
        "claims": to_plain(claims_shown(scenario, state, [s.event for s in events])),
    }


def standing(events: list[StoredEvent]) -> list[StoredEvent]:
    """The events that still stand: a rollback to round R undoes everything after round R's
    negotiation opened (up to the rollback, which stands). The log keeps them all."""
    kept: list[StoredEvent] = []
    for stored in events:
        event = stored.event
        if event.kind == "game_rolled_back":
            round_number = int(event.detail.get("round", event.round))
            opened = next(
                (
                    index
                    for index in range(len(kept) - 1, -1, -1)
                    if kept[index].event.kind == "phase_changed"
                    and kept[index].event.detail == {"round": round_number, "phase": "negotiate"}
                ),
                None,
            )
            if opened is not None:
                del kept[opened + 1 :]
        kept.append(stored)
    return kept


def participation_csv(exported: dict[str, Any]) -> str:
    """The participation report, one row per seat."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(exported["participation"])
    return out.getvalue()
