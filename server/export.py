"""A game's export for the facilitator: what it was made from, its action log, every event,
the scores, and a participation report per seat (as JSON, or the report as CSV)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

from game_rules import epilogue, legitimacy, scores, to_plain
from scenarios import load_scenario
from server.store import GameStore

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


async def export_game(store: GameStore, game_id: str) -> dict[str, Any]:
    """Everything about a game, hidden things included: for the facilitator's debrief."""
    meta = await store.meta(game_id)
    scenario = load_scenario(meta["scenario"])
    snapshot = await store.load(game_id)
    assert snapshot is not None
    state = snapshot.state
    log = await store.action_log(game_id)
    events = await store.events_since(game_id, 0)
    actions = Counter(actor for actor, _ in log)
    orders = Counter(actor for actor, action in log if action.get("type") == "submit_order")
    # Answered offers leave the state at the end of their round; the event log keeps them all.
    offers_made = Counter(s.event.detail["sender"] for s in events if s.event.kind == "offer_made")
    accepted = Counter(s.event.detail["recipient"] for s in events if s.event.kind == "offer_accepted")
    broken = Counter(p.pledger for p in state.pledges if p.status == "broken")
    cards = scores(scenario, state)
    by_player: dict[tuple[str, str], Counter[str]] = {}
    for actor, player, action in await store.action_entries(game_id):
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
        "scenario": meta["scenario"],
        "seed": int(meta["seed"]),
        "clock": meta.get("clock", ""),
        "forked_from": meta.get("forked_from", ""),
        "round": state.round,
        "phase": state.phase,
        "outcome": state.outcome,
        "actions": [{"actor": actor, "action": action} for actor, action in log],
        "events": [{"seq": s.seq, **to_plain(s.event)} for s in events],
        "scores": {k: to_plain(v) for k, v in cards.items()},
        "legitimacy": round(legitimacy(scenario, state), 3),
        "epilogue": to_plain(ending) if ending else None,
        "history": to_plain(state.history),
        "message_counts": state.message_counts,
        "participation": report,
        "players": players,
    }


def participation_csv(exported: dict[str, Any]) -> str:
    """The participation report, one row per seat."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(exported["participation"])
    return out.getvalue()
