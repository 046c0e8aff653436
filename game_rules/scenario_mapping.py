"""Building a `Scenario` from a parsed, checked scenario file with its defaults merged in."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from game_rules.scenario import (
    PHASE_CLOCKS,
    Bloc,
    Constituency,
    Effects,
    EventCard,
    Goal,
    Preferences,
    Provision,
    Resources,
    Rules,
    Scenario,
    ScoreWeights,
    SeatSpec,
    SideIssue,
    Venue,
)


def _preferences(raw: Mapping[str, Any]) -> Preferences:
    ideal = {k: int(v) for k, v in raw.get("ideal", {}).items()}
    weights = {k: float(raw.get("weights", {}).get(k, 1.0)) for k in ideal}
    return Preferences(ideal=ideal, weights=weights)


def _effects(raw: Mapping[str, Any]) -> Effects:
    return Effects(
        ripeness=float(raw.get("ripeness", 0.0)),
        ownership={k: float(v) for k, v in raw.get("ownership", {}).items()},
        goodwill={k: float(v) for k, v in raw.get("goodwill", {}).items()},
        politicisation={k: float(v) for k, v in raw.get("politicisation", {}).items()},
        credibility={k: int(v) for k, v in raw.get("credibility", {}).items()},
        capital={k: int(v) for k, v in raw.get("capital", {}).items()},
        funds={k: int(v) for k, v in raw.get("funds", {}).items()},
        expertise={k: int(v) for k, v in raw.get("expertise", {}).items()},
        provisions={k: int(v) for k, v in raw.get("provisions", {}).items()},
    )


def _event(raw: Mapping[str, Any]) -> EventCard:
    return EventCard(
        id=raw["id"],
        title=raw["title"],
        text=raw["text"],
        effects=_effects(raw.get("effects", {})),
        round=int(raw.get("round", 0)),
        weight=float(raw.get("weight", 1.0)),
    )


def _seat(raw: Mapping[str, Any], council_rule: bool) -> SeatSpec:
    res = raw["resources"]
    objectives = raw["objectives"]
    # Who votes depends on the body: in the Security Council its members, elsewhere every state.
    member = bool(raw.get("council", False)) if council_rule else True
    return SeatSpec(
        id=raw["id"],
        name=raw["name"],
        kind=raw["kind"],
        bloc=raw.get("bloc"),
        votes=bool(raw.get("votes", raw["kind"] == "state" and member)),
        veto=bool(raw.get("veto", False)),
        council=bool(raw.get("council", False)),
        resources=Resources(
            capital=int(res["capital"]),
            funds=int(res["funds"]),
            expertise=int(res["expertise"]),
            credibility=int(res["credibility"]),
        ),
        capital_regen=int(res["capital_regen"]),
        staff=int(res["staff"]),
        preferences=_preferences(objectives),
        failure_value=float(objectives["failure"]),
        side_stakes={k: float(v) for k, v in objectives.get("side_stakes", {}).items()},
        turf={k: int(v) for k, v in objectives.get("turf", {}).items()},
        goals=tuple(
            Goal(
                kind=g["kind"],
                target=str(g.get("target", "")),
                value=float(g.get("value", 0.0)),
                text=str(g.get("text", "")),
            )
            for g in objectives.get("goals", [])
        ),
        role_sheet=raw["role_sheet"],
    )


def _minutes(raw: Mapping[str, Any], clocks: Mapping[str, Mapping[str, float]]) -> int:
    """The suggested length of a class: what the file says, or reading, every round on the
    classroom clock with a vote, and the debrief."""
    if "minutes" in raw:
        return int(raw["minutes"])
    lesson = raw["lesson"]
    per_round = sum(clocks["classroom"][phase] for phase in PHASE_CLOCKS) / 60.0
    return int(lesson["reading_minutes"] + math.ceil(raw["rounds"] * per_round) + lesson["debrief_minutes"])


def scenario_from_mapping(raw: Mapping[str, Any]) -> Scenario:
    """Build a Scenario from a parsed, schema-valid mapping (defaults already merged)."""
    ripeness = raw["ripeness"]
    rules = dict(raw["rules"])
    rules["grant_amounts"] = tuple(int(x) for x in rules["grant_amounts"])
    rules["offer_amounts"] = tuple(int(x) for x in rules["offer_amounts"])
    rules["disposition_bands"] = tuple(float(x) for x in rules["disposition_bands"])
    clocks = {name: {phase: float(phases[phase]) for phase in PHASE_CLOCKS} for name, phases in raw["clocks"].items()}
    council_rule = raw["decision_rule"] == "security_council"
    return Scenario(
        id=raw["id"],
        title=raw["title"],
        period=raw.get("period", ""),
        summary=raw["summary"],
        brief=raw["brief"],
        discussion_questions=tuple(str(q) for q in raw.get("discussion_questions", [])),
        clocks=clocks,
        minutes=_minutes(raw, clocks),
        decision_rule=raw["decision_rule"],
        rounds=int(raw["rounds"]),
        ripeness_threshold=float(ripeness["threshold"]),
        ripeness_floor=float(ripeness["floor"]),
        ripeness_schedule=tuple(float(x) for x in ripeness["schedule"]),
        ripeness_jitter=float(ripeness.get("jitter", 0.0)),
        bloc_visibility=raw.get("bloc_visibility", "band"),
        provisions=tuple(
            Provision(id=p["id"], name=p["name"], levels=tuple(p["levels"]), start=int(p["start"]))
            for p in raw["provisions"]
        ),
        blocs=tuple(
            Bloc(
                id=b["id"],
                name=b["name"],
                votes=int(b["votes"]),
                attitude=float(b["attitude"]),
                ownership=float(b["ownership"]),
                preferences=_preferences(b),
                council_seats=int(b.get("council_seats", 0)),
            )
            for b in raw["blocs"]
        ),
        constituencies=tuple(
            Constituency(
                id=c["id"],
                name=c["name"],
                ownership=float(c["ownership"]),
                weight=float(c.get("weight", 1.0)),
            )
            for c in raw.get("constituencies", [])
        ),
        venues=tuple(
            Venue(
                id=v["id"],
                name=v["name"],
                blocs=tuple(v.get("blocs", [])),
                constituencies=tuple(v.get("constituencies", [])),
            )
            for v in raw["venues"]
        ),
        side_issues=tuple(
            SideIssue(
                id=s["id"],
                name=s["name"],
                bloc_lean={k: float(v) for k, v in s.get("bloc_lean", {}).items()},
            )
            for s in raw.get("side_issues", [])
        ),
        seats=tuple(_seat(s, council_rule) for s in raw["seats"]),
        links=tuple((ln["seats"][0], ln["seats"][1]) for ln in raw.get("links", [])),
        scripted_events=tuple(_event(e) for e in raw.get("events", [])),
        event_table=tuple(_event(e) for e in raw.get("event_table", [])),
        rules=Rules(**rules),
        score_weights=ScoreWeights(**raw["score_weights"]),
    )
