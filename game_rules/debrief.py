"""The debrief's reading of a game: which of the article's claims it showed, and when.

Each claim of RULES.md §1 is tied to the moments that show it, with the facts that make the
point (who, where, how much), read from the game's events (all of them, as the debrief sees
them once the game is over) and the round records. Clients turn each into a sentence in the
reader's language; researchers read the facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from game_rules.events import Event
from game_rules.scenario import Scenario
from game_rules.scoring import epilogue
from game_rules.state import GameState, VoteRecord
from game_rules.world import legitimacy

# The claims, in RULES.md §1's order.
CLAIMS = (
    "horse_trading",
    "spoiling",
    "linked_ecologies",
    "revolving_doors",
    "trial_balloons",
    "panels",
    "consultations",
    "funding",
    "ripeness",
    "watering_down",
    "legitimacy",
    "skin_deep",
)
SHIELDED = 1.0  # a bloc with less politicisation than this at a vote lost (almost) no votes to it
FLOATERS = ("think_tank", "ngo")  # who may float an idea at no cost (the article's third point)


@dataclass(frozen=True)
class ClaimShown:
    """A moment of the game that shows one of the article's claims."""

    claim: str
    round: int
    facts: dict[str, Any] = field(default_factory=dict)


def claims_shown(scenario: Scenario, state: GameState, events: Sequence[Event]) -> list[ClaimShown]:
    """Every moment of the game that shows one of the article's claims, in the order they came."""
    shown: list[ClaimShown] = []
    offers: dict[str, dict[str, Any]] = {}
    spans: dict[str, int] = {}
    for event in events:
        detail, moment = event.detail, event.round
        if event.kind == "offer_made":
            offers[detail["offer"]] = detail
        elif event.kind == "offer_accepted":
            made = offers.get(detail["offer"], {})
            pledges = [*made.get("gives", {}).get("pledges", ()), *made.get("gets", {}).get("pledges", ())]
            if pledges:
                facts = {"sender": detail["sender"], "recipient": detail["recipient"], "pledges": pledges}
                shown.append(ClaimShown("horse_trading", moment, facts))
        elif event.kind == "pledge_broken":
            shown.append(ClaimShown("horse_trading", moment, {"broken_by": detail["pledger"]}))
        elif event.kind in ("spoiler_exposed", "amendment_blocked"):
            shown.append(ClaimShown("spoiling", moment, {"event": event.kind, **detail}))
        elif event.kind == "alliance_joined":
            alliance, span = detail["alliance"], int(detail.get("span", 0))
            if span >= 3 and spans.get(alliance, 0) < 3:
                shown.append(ClaimShown("linked_ecologies", moment, {"alliance": alliance, "span": span}))
            spans[alliance] = span
        elif event.kind == "secondment":
            shown.append(ClaimShown("revolving_doors", moment, {"seat": detail["seat"], "to": detail["to"]}))
        elif event.kind == "trial_balloon":
            kind = scenario.seat(detail["seat"]).kind
            facts = {"seat": detail["seat"], "provision": detail["provision"], "level": detail["level"]}
            shown.append(ClaimShown("trial_balloons", moment, {**facts, "free": kind in FLOATERS}))
        elif event.kind == "panel":
            facts = {"alliance": detail["alliance"], "seats": detail["seats"], "span": detail["span"]}
            shown.append(ClaimShown("panels", moment, facts))
        elif event.kind == "consultation":
            shown.append(ClaimShown("consultations", moment, _consultation(scenario, state, moment, detail)))
        elif event.kind in ("grant", "pooled_fund"):
            shown.append(ClaimShown("funding", moment, {"event": event.kind, **detail}))
        elif event.kind == "study":
            facts = {"performer": detail["performer"], "ripeness": detail["ripeness"]}
            shown.append(ClaimShown("ripeness", moment, facts))
        elif event.kind == "watered_down":
            facts = {"provision": detail["provision"], "level": detail["level"]}
            shown.append(ClaimShown("watering_down", moment, facts))
    for vote in state.votes:
        if not vote.ripe:
            shown.append(ClaimShown("ripeness", vote.round, {"vote_unripe": True, "ripeness": vote.ripeness}))
    if state.phase == "ended":
        shown.extend(_ending(scenario, state))
    return shown


def _consultation(scenario: Scenario, state: GameState, moment: int, detail: dict[str, Any]) -> dict[str, Any]:
    """A consultation's facts, and what became of the blocs it reached at the next vote: the
    article's claim is that ownership shields a norm from political horse-trading."""
    venue = next(v for v in scenario.venues if v.id == detail["venue"])
    facts: dict[str, Any] = {
        "venue": venue.id,
        "hosts": detail["hosts"],
        "blocs": list(venue.blocs),
        "constituencies": list(venue.constituencies),
        "ownership": detail["ownership"],
    }
    vote = next((v for v in state.votes if v.round >= moment), None)
    if vote is not None:
        facts["vote_round"] = vote.round
        facts["shielded"] = _shielded(state, vote, venue.blocs)
        facts["lost_to_politicisation"] = vote.lost_to_politicisation
    return facts


def _shielded(state: GameState, vote: VoteRecord, blocs: Sequence[str]) -> list[str]:
    """The blocs that lost no votes to politicisation at a vote (by the round's record)."""
    record = next((r for r in state.history if r.round == vote.round), None)
    if record is None:
        return []
    return [b for b in blocs if b in record.blocs and record.blocs[b].politicisation < SHIELDED]


def _ending(scenario: Scenario, state: GameState) -> list[ClaimShown]:
    out = [
        ClaimShown(
            "legitimacy",
            state.round,
            {
                "legitimacy": round(legitimacy(scenario, state), 3),
                "ownership": {b: round(live.ownership, 3) for b, live in state.blocs.items()},
                "constituencies": {c: round(v, 3) for c, v in state.constituencies.items()},
                "outcome": state.outcome,
            },
        )
    ]
    ending = epilogue(scenario, state)
    if ending is not None and ending.label == "skin deep":
        out.append(ClaimShown("skin_deep", state.round, {"depth": ending.depth, "pooled_fund": state.pooled_fund}))
    return out
