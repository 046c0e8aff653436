"""What a game's events and actions add up to: votes by cause, vetoes, pledges, offers by kind,
messages answered, and which actions and orders were used.

Works on plain events and actions (a server's export) as well as the engine's own, so
`normarena simulate` and `normarena tournament` report the same numbers the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from game_rules import Action, Event

VOTE_CAUSES = ("adopted", "unripe", "vetoed", "objection", "short")
RESOURCES = ("capital", "funds", "expertise")


def offer_side(terms: Mapping[str, Any]) -> str:
    """One side of an offer in words: the resources and pledges it hands over."""
    parts = [name for name in RESOURCES if terms.get(name)]
    parts += sorted(str(p["kind"]) for p in terms.get("pledges", ()))
    return "+".join(parts) or "nothing"


def offer_kind(gives: Mapping[str, Any], gets: Mapping[str, Any]) -> str:
    """An offer's kind, from what the sender gives and what it asks: "capital for vote"."""
    return f"{offer_side(gives)} for {offer_side(gets)}"


def _plain_event(event: Event | Mapping[str, Any]) -> tuple[str, int, Mapping[str, Any]]:
    if isinstance(event, Event):
        return event.kind, event.round, event.detail
    return str(event["kind"]), int(event.get("round", 0)), event.get("detail", {})


def tally_events(events: Iterable[Event | Mapping[str, Any]]) -> dict[str, Any]:
    """Counts for one game from its events (engine events or their plain form)."""
    causes: Counter[str] = Counter()
    vetoes: Counter[str] = Counter()
    offers: Counter[str] = Counter()
    made: dict[str, Mapping[str, Any]] = {}
    accepted = declined = pledges = broken = 0
    private: dict[tuple[int, str, str], int] = {}
    answered: set[tuple[int, str, str]] = set()
    grants: list[tuple[str, str, int]] = []  # recipient, purpose, round
    done: set[tuple[str, str, int]] = set()  # seat, purpose, round
    for kind, round_number, detail in map(_plain_event, events):
        if kind == "grant":
            grants.append((str(detail["recipient"]), str(detail["purpose"]), round_number))
        elif kind == "study":
            done.add((str(detail["seat"]), "study", round_number))
        elif kind == "consultation":
            done.update((str(s), "consultation", round_number) for s in detail.get("hosts", ()))
        elif kind == "panel":
            done.update((str(s), "panel", round_number) for s in detail.get("seats", ()))
        elif kind == "vote_result":
            causes[str(detail.get("cause", "adopted" if detail.get("adopted") else "short"))] += 1
            vetoes.update(str(s) for s in detail.get("vetoes", ()))
        elif kind == "offer_made":
            made[str(detail["offer"])] = detail
            offers[offer_kind(detail.get("gives", {}), detail.get("gets", {}))] += 1
        elif kind == "offer_accepted":
            accepted += 1
            offer = made.get(str(detail["offer"]), {})
            pledges += sum(len(offer.get(side, {}).get("pledges", ())) for side in ("gives", "gets"))
        elif kind == "offer_declined":
            declined += 1
        elif kind == "pledge_broken":
            broken += 1
        elif kind == "message" and not str(detail["to"]).startswith("alliance:") and detail["to"] != "public":
            sender, to = str(detail["sender"]), str(detail["to"])
            private[(round_number, sender, to)] = private.get((round_number, sender, to), 0) + 1
            if (round_number, to, sender) in private:
                answered.add((round_number, to, sender))
    return {
        "votes_by_cause": {c: causes[c] for c in VOTE_CAUSES},
        "vetoes": dict(vetoes),
        "offers_by_kind": dict(offers),
        "offers": sum(offers.values()),
        "offers_accepted": accepted,
        "offers_declined": declined,
        "pledges": pledges,
        "pledges_broken": broken,
        "private_threads": len(private),
        "private_answered": len(answered),
        "grants": len(grants),
        # A grant is used when its recipient does what it was for, that round or the next.
        "grants_used": sum(any((s, p, r + d) in done for d in (0, 1)) for s, p, r in grants),
    }


def _plain_action(action: Action | Mapping[str, Any]) -> tuple[str, str, str]:
    """An action's type, its order's type and a spoil's mode (empty where there is none)."""
    if isinstance(action, Mapping):
        order = action.get("order") or {}
        return str(action.get("type", "")), str(order.get("type", "")), str(order.get("mode", ""))
    order_value = getattr(action, "order", None)
    return action.type, getattr(order_value, "type", ""), str(getattr(order_value, "mode", ""))


def tally_actions(log: Iterable[tuple[str, Action | Mapping[str, Any]]]) -> dict[str, Any]:
    """Which actions, orders and spoiling modes the seats used in one game (facilitator's aside)."""
    actions: Counter[str] = Counter()
    orders: Counter[str] = Counter()
    spoils: Counter[str] = Counter()
    for actor, action in log:
        if actor == "facilitator":
            continue
        kind, order, mode = _plain_action(action)
        actions[kind] += 1
        if order:
            orders[order] += 1
        if mode:
            spoils[mode] += 1
    return {"actions": dict(actions), "orders": dict(orders), "spoil_modes": dict(spoils)}


def merge(tallies: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Many games' tallies added up: counts summed, maps summed key by key."""
    total: dict[str, Any] = {}
    for one in tallies:
        for key, value in one.items():
            if isinstance(value, Mapping):
                into = total.setdefault(key, {})
                for k, v in value.items():
                    into[k] = into.get(k, 0) + v
            else:
                total[key] = total.get(key, 0) + value
    return total


def format_tally(total: Mapping[str, Any], games: int, indent: str = "  ") -> list[str]:
    """The report's lines on votes, vetoes, pledges and offers."""
    causes = total.get("votes_by_cause", {})
    votes = sum(causes.values())
    lines = [
        f"{indent}votes held            {votes} ({votes / games:.2f} per game): "
        + ", ".join(f"{c} {causes.get(c, 0)}" for c in VOTE_CAUSES),
        f"{indent}vetoes per seat       "
        + (", ".join(f"{s} {n}" for s, n in sorted(total.get("vetoes", {}).items())) or "none"),
    ]
    pledges, broken = total.get("pledges", 0), total.get("pledges_broken", 0)
    share = f" ({broken / pledges:.1%})" if pledges else ""
    lines.append(f"{indent}pledges               {pledges} made, {broken} broken{share}")
    offers = total.get("offers", 0)
    lines.append(
        f"{indent}offers                {offers} made, {total.get('offers_accepted', 0)} accepted, "
        f"{total.get('offers_declined', 0)} declined; by kind:"
    )
    for kind, count in sorted(total.get("offers_by_kind", {}).items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"{indent}  {kind:<36} {count:>6}  ({count / offers:.1%})")
    return lines
