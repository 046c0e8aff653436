"""The checks a scenario file must pass beyond its schema: cross-references, and the rules of
the deciding body. Each problem names the field that causes it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scenarios.problems import ScenarioProblem

# Goals whose `value` decides whether they are met; "adopted" and "not_adopted" need none.
GOALS_WITH_VALUE = (
    "ownership_at_least",
    "provision_at_least",
    "provision_at_most",
    "side_issue",
    "legitimacy_at_least",
)
COUNCIL_SIZE = 15  # the Security Council's members, fixed by the UN Charter (Art. 23)

_Report = Callable[[str, str], None]
_WITHOUT_COUNCIL = {
    "consensus": {"veto": "any voting state's no is an objection that stops the draft", "council": "drop it"},
    "two_thirds": {"veto": "every state's vote counts once, permanent members' too", "council": "drop it"},
}


def references(raw: dict[str, Any], file: str) -> list[ScenarioProblem]:
    """Every problem a schema-valid scenario still has: dangling ids, impossible levels and
    goals, a window that cannot work, a deciding body its rule does not have."""
    problems: list[ScenarioProblem] = []

    def problem(path: str, message: str) -> None:
        problems.append(ScenarioProblem(file, path, message))

    _unique_ids(raw, problem)
    _preferences_everywhere(raw, problem)
    _places_and_events(raw, problem)
    _seats(raw, problem)
    _window(raw, problem)
    _deciding_body(raw, problem)
    return problems


def _unique_ids(raw: dict[str, Any], problem: _Report) -> None:
    for name in ("provisions", "blocs", "seats", "venues", "side_issues", "constituencies"):
        seen: set[str] = set()
        for i, item in enumerate(raw.get(name, [])):
            if item["id"] in seen:
                problem(f"{name}[{i}].id", f"duplicate id {item['id']!r}")
            seen.add(item["id"])
    clash = {b["id"] for b in raw["blocs"]} & {s["id"] for s in raw["seats"]}
    if clash:
        problem("seats", f"ids used for both a bloc and a seat: {', '.join(sorted(clash))}")


def _top(raw: dict[str, Any], provision: str) -> int | None:
    """The highest level of a provision, or None if there is no such provision."""
    for p in raw["provisions"]:
        if p["id"] == provision:
            return len(p["levels"]) - 1
    return None


def _levels(raw: dict[str, Any], path: str, levels: dict[str, int], problem: _Report) -> None:
    for pid, level in levels.items():
        top = _top(raw, pid)
        if top is None:
            problem(f"{path}.{pid}", f"no provision {pid!r}")
        elif level > top:
            problem(f"{path}.{pid}", f"level {level} is beyond the provision's {top + 1} levels (0 to {top})")


def _preferences(raw: dict[str, Any], path: str, holder: dict[str, Any], problem: _Report) -> None:
    ideal = holder.get("ideal", {})
    _levels(raw, f"{path}.ideal", ideal, problem)
    for pid in holder.get("weights", {}):
        if _top(raw, pid) is None:
            problem(f"{path}.weights.{pid}", f"no provision {pid!r}")
        elif pid not in ideal:
            problem(
                f"{path}.weights.{pid}", f"a weight for {pid!r}, which has no ideal level here: give one or drop it"
            )


def _preferences_everywhere(raw: dict[str, Any], problem: _Report) -> None:
    for i, p in enumerate(raw["provisions"]):
        if p["start"] > len(p["levels"]) - 1:
            problem(f"provisions[{i}].start", f"start level {p['start']} is beyond the provision's levels")
    for i, bloc in enumerate(raw["blocs"]):
        _preferences(raw, f"blocs[{i}]", bloc, problem)
    for i, seat in enumerate(raw["seats"]):
        _preferences(raw, f"seats[{i}].objectives", seat["objectives"], problem)
        _levels(raw, f"seats[{i}].objectives.turf", seat["objectives"].get("turf", {}), problem)


def _places_and_events(raw: dict[str, Any], problem: _Report) -> None:
    blocs = {b["id"] for b in raw["blocs"]}
    constituencies = {c["id"] for c in raw.get("constituencies", [])}
    seats = {s["id"] for s in raw["seats"]}
    provisions = {p["id"] for p in raw["provisions"]}
    for i, v in enumerate(raw["venues"]):
        for j, b in enumerate(v.get("blocs", [])):
            if b not in blocs:
                problem(f"venues[{i}].blocs[{j}]", f"no bloc {b!r}")
        for j, c in enumerate(v.get("constituencies", [])):
            if c not in constituencies:
                problem(f"venues[{i}].constituencies[{j}]", f"no constituency {c!r}")
    for i, s in enumerate(raw.get("side_issues", [])):
        for b in s.get("bloc_lean", {}):
            if b not in blocs:
                problem(f"side_issues[{i}].bloc_lean.{b}", f"no bloc {b!r}")
    for i, link in enumerate(raw.get("links", [])):
        for j, seat in enumerate(link["seats"]):
            if seat not in seats:
                problem(f"links[{i}].seats[{j}]", f"no seat {seat!r}")
    rounds = raw["rounds"]
    for i, card in enumerate(raw.get("events", [])):
        if card.get("round", 0) > rounds:
            problem(f"events[{i}].round", f"round {card['round']} is after the last round ({rounds})")
    for section in ("events", "event_table"):
        for i, card in enumerate(raw.get(section, [])):
            fx = card.get("effects", {})
            for key in ("ownership", "goodwill", "politicisation"):
                # Ownership reaches constituencies too; goodwill and politicisation are blocs' only.
                allowed = blocs | constituencies if key == "ownership" else blocs
                what = "bloc or constituency" if key == "ownership" else "bloc"
                for target in fx.get(key, {}):
                    if target != "*" and target not in allowed:
                        problem(f"{section}[{i}].effects.{key}.{target}", f"no {what} {target!r}")
            for key in ("credibility", "capital", "funds", "expertise"):
                for target in fx.get(key, {}):
                    if target != "*" and target not in seats:
                        problem(f"{section}[{i}].effects.{key}.{target}", f"no seat {target!r}")
            for target in fx.get("provisions", {}):
                if target not in provisions:
                    problem(f"{section}[{i}].effects.provisions.{target}", f"no provision {target!r}")


def _seats(raw: dict[str, Any], problem: _Report) -> None:
    blocs = {b["id"] for b in raw["blocs"]}
    constituencies = {c["id"] for c in raw.get("constituencies", [])}
    issues = {s["id"] for s in raw.get("side_issues", [])}
    provisions = {p["id"] for p in raw["provisions"]}
    targets = {
        "ownership_at_least": blocs | constituencies,
        "provision_at_least": provisions,
        "provision_at_most": provisions,
        "side_issue": issues,
    }
    for i, s in enumerate(raw["seats"]):
        where = f"seats[{i}]"
        if "bloc" in s and s["bloc"] not in blocs:
            problem(f"{where}.bloc", f"no bloc {s['bloc']!r}")
        objectives = s["objectives"]
        for issue in objectives.get("side_stakes", {}):
            if issue not in issues:
                problem(f"{where}.objectives.side_stakes.{issue}", f"no side issue {issue!r}")
        for j, goal in enumerate(objectives.get("goals", [])):
            _goal(raw, f"{where}.objectives.goals[{j}]", goal, targets, problem)


def _goal(raw: dict[str, Any], path: str, goal: dict[str, Any], targets: dict[str, set[str]], problem: _Report) -> None:
    kind = goal["kind"]
    target = goal.get("target", "")
    if kind in targets and target not in targets[kind]:
        problem(f"{path}.target", f"{target!r} is not a valid target for {kind}")
    if kind not in GOALS_WITH_VALUE:
        return
    if "value" not in goal:
        problem(f"{path}.value", f"a {kind} goal needs a value")
        return
    value = goal["value"]
    if kind in ("provision_at_least", "provision_at_most"):
        top = _top(raw, target)
        if value != int(value) or value < 0:
            problem(f"{path}.value", f"a level is a whole number from 0, not {value}")
        elif top is not None and value > top:
            problem(f"{path}.value", f"level {value:g} is beyond {target}'s levels (0 to {top})")
    elif kind == "side_issue" and value not in (0, 1):
        problem(f"{path}.value", f"a side_issue goal's value is 1 (carried) or 0 (rejected), not {value}")
    elif kind in ("ownership_at_least", "legitimacy_at_least") and not 0 <= value <= 100:
        problem(f"{path}.value", f"{value} is outside 0 to 100")


def _window(raw: dict[str, Any], problem: _Report) -> None:
    ripeness = raw["ripeness"]
    if len(ripeness["schedule"]) > raw["rounds"]:
        problem(
            "ripeness.schedule",
            f"the schedule has {len(ripeness['schedule'])} rounds, more than the game's {raw['rounds']}",
        )
    if ripeness["threshold"] < ripeness["floor"]:
        problem(
            "ripeness.threshold",
            f"the threshold ({ripeness['threshold']:g}) is below the floor ({ripeness['floor']:g}): "
            "the window would close before it could open",
        )


def _deciding_body(raw: dict[str, Any], problem: _Report) -> None:
    """Who votes under each rule: under consensus and two-thirds the member states with a vote;
    in the Security Council its fifteen members, of whom only permanent ones hold a veto."""
    council_rule = raw["decision_rule"] == "security_council"
    seats = raw["seats"]
    if not any(s["kind"] == "state" and s.get("votes", s.get("council", not council_rule)) for s in seats):
        problem("seats", "at least one member state must have a vote")
    for i, s in enumerate(seats):
        where = f"seats[{i}]"
        if not council_rule:
            for key in ("veto", "council"):
                if s.get(key):
                    problem(
                        f"{where}.{key}",
                        f"{raw['decision_rule']} has no {key}: " + _WITHOUT_COUNCIL[raw["decision_rule"]][key],
                    )
            continue
        if s.get("veto") and not (s["kind"] == "state" and s.get("council")):
            problem(f"{where}.veto", "only a member state on the council (council = true) can hold a veto")
        if s.get("council") and s["kind"] != "state":
            problem(f"{where}.council", f"a {s['kind']} cannot sit on the council: only member states can")
        elif s.get("council") and s.get("votes") is False:
            problem(f"{where}.votes", "a council member that can never vote: drop votes = false")
        elif not s.get("council") and s.get("votes"):
            problem(f"{where}.votes", "in the Security Council only its members vote: set council = true or drop votes")
    if not council_rule:
        for i, b in enumerate(raw["blocs"]):
            if b.get("council_seats"):
                problem(f"blocs[{i}].council_seats", f"{raw['decision_rule']} has no council: drop council_seats")
        return
    council = sum(1 for s in seats if s.get("council")) + sum(b.get("council_seats", 0) for b in raw["blocs"])
    if council != COUNCIL_SIZE:
        problem(
            "blocs",
            f"the Security Council has {COUNCIL_SIZE} members; council seats and council_seats add up to {council}",
        )
