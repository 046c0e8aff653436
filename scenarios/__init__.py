"""Scenario files: find them, check them against the published schema, load them.

A scenario is a TOML file in this folder (or anywhere, by path). Checking names, for each
problem, the file, the field's path and what is wrong; loading merges `defaults.toml` under
the file's own [rules] and [score_weights] and hands the engine an immutable `Scenario`.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from game_rules.scenario import Scenario, scenario_from_mapping

SCENARIO_DIR = Path(__file__).resolve().parent
SCHEMA_PATH = SCENARIO_DIR / "scenario.schema.json"
DEFAULTS_PATH = SCENARIO_DIR / "defaults.toml"


@dataclass(frozen=True)
class ScenarioProblem:
    """One thing wrong with a scenario file."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path or '(top level)'}: {self.message}"


class ScenarioError(ValueError):
    """A scenario that cannot be loaded, with every problem found."""

    def __init__(self, problems: list[ScenarioProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def schema() -> dict[str, Any]:
    """The published JSON Schema for scenario files."""
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def list_scenarios() -> list[str]:
    """The names of the scenarios shipped with Norm Arena."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml") if p.name != DEFAULTS_PATH.name)


def scenario_path(name_or_path: str) -> Path:
    """A shipped scenario's file by name, or the given path."""
    candidate = SCENARIO_DIR / f"{name_or_path}.toml"
    if candidate.exists() and "/" not in name_or_path:
        return candidate
    return Path(name_or_path)


def _json_path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def check(raw: dict[str, Any], file: str) -> list[ScenarioProblem]:
    """Every problem with a parsed scenario: schema first, then cross-references."""
    validator = jsonschema.Draft202012Validator(schema())
    problems = [
        ScenarioProblem(file, _json_path(e.absolute_path), e.message)
        for e in sorted(validator.iter_errors(raw), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    ]
    if problems:
        return problems
    return _references(raw, file)


def _references(raw: dict[str, Any], file: str) -> list[ScenarioProblem]:
    problems: list[ScenarioProblem] = []

    def problem(path: str, message: str) -> None:
        problems.append(ScenarioProblem(file, path, message))

    provisions = {p["id"]: p for p in raw["provisions"]}
    blocs = {b["id"] for b in raw["blocs"]}
    constituencies = {c["id"] for c in raw.get("constituencies", [])}
    seats = {s["id"]: s for s in raw["seats"]}
    issues = {s["id"] for s in raw.get("side_issues", [])}
    for name, items in (
        ("provisions", raw["provisions"]),
        ("blocs", raw["blocs"]),
        ("seats", raw["seats"]),
        ("venues", raw["venues"]),
    ):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item["id"] in seen:
                problem(f"{name}[{i}].id", f"duplicate id {item['id']!r}")
            seen.add(item["id"])
    clash = blocs & set(seats)
    if clash:
        problem("seats", f"ids used for both a bloc and a seat: {', '.join(sorted(clash))}")

    def check_levels(path: str, levels: dict[str, int]) -> None:
        for pid, level in levels.items():
            if pid not in provisions:
                problem(f"{path}.{pid}", f"no provision {pid!r}")
            elif level > len(provisions[pid]["levels"]) - 1:
                problem(
                    f"{path}.{pid}", f"level {level} is beyond the provision's {len(provisions[pid]['levels'])} levels"
                )

    for i, p in enumerate(raw["provisions"]):
        if p["start"] > len(p["levels"]) - 1:
            problem(f"provisions[{i}].start", f"start level {p['start']} is beyond the provision's levels")
    for i, b in enumerate(raw["blocs"]):
        check_levels(f"blocs[{i}].ideal", b["ideal"])
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
    for i, s in enumerate(raw["seats"]):
        where = f"seats[{i}]"
        if "bloc" in s and s["bloc"] not in blocs:
            problem(f"{where}.bloc", f"no bloc {s['bloc']!r}")
        objectives = s["objectives"]
        check_levels(f"{where}.objectives.ideal", objectives["ideal"])
        check_levels(f"{where}.objectives.turf", objectives.get("turf", {}))
        for issue in objectives.get("side_stakes", {}):
            if issue not in issues:
                problem(f"{where}.objectives.side_stakes.{issue}", f"no side issue {issue!r}")
        for j, goal in enumerate(objectives.get("goals", [])):
            target = goal.get("target", "")
            kind = goal["kind"]
            valid = {
                "ownership_at_least": blocs | constituencies,
                "provision_at_least": set(provisions),
                "provision_at_most": set(provisions),
                "side_issue": issues,
            }.get(kind)
            if valid is not None and target not in valid:
                problem(f"{where}.objectives.goals[{j}].target", f"{target!r} is not a valid target for {kind}")
    for i, link in enumerate(raw.get("links", [])):
        for j, seat in enumerate(link["seats"]):
            if seat not in seats:
                problem(f"links[{i}].seats[{j}]", f"no seat {seat!r}")
    rounds = raw["rounds"]
    for i, card in enumerate(raw.get("events", [])):
        if card["round"] > rounds:
            problem(f"events[{i}].round", f"round {card['round']} is after the last round ({rounds})")
    for section in ("events", "event_table"):
        for i, card in enumerate(raw.get(section, [])):
            fx = card.get("effects", {})
            for key in ("ownership", "goodwill", "politicisation"):
                for target in fx.get(key, {}):
                    if target != "*" and target not in blocs | constituencies:
                        problem(f"{section}[{i}].effects.{key}.{target}", f"no bloc or constituency {target!r}")
            for key in ("credibility", "capital", "funds", "expertise"):
                for target in fx.get(key, {}):
                    if target != "*" and target not in seats:
                        problem(f"{section}[{i}].effects.{key}.{target}", f"no seat {target!r}")
            for target in fx.get("provisions", {}):
                if target not in provisions:
                    problem(f"{section}[{i}].effects.provisions.{target}", f"no provision {target!r}")
    if not any(s["kind"] == "state" and s.get("votes", True) for s in raw["seats"]):
        problem("seats", "at least one member state must have a vote")
    if raw["decision_rule"] == "security_council":
        council = sum(1 for s in raw["seats"] if s.get("council")) + sum(
            b.get("council_seats", 0) for b in raw["blocs"]
        )
        if council != 15:
            problem(
                "blocs", f"the Security Council has 15 members; council seats and council_seats add up to {council}"
            )
    return problems


def read(path: Path) -> tuple[dict[str, Any] | None, list[ScenarioProblem]]:
    """Parse a scenario file; a file that is not TOML is one problem, not an exception."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [ScenarioProblem(str(path), "", "no such file")]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        return None, [ScenarioProblem(str(path), "", f"not valid TOML: {error}")]
    return raw, []


def validate_file(path: str | Path) -> list[ScenarioProblem]:
    """Every problem with a scenario file; an empty list means it is valid."""
    raw, problems = read(Path(path))
    if raw is None:
        return problems
    return check(raw, str(path))


def _with_defaults(raw: dict[str, Any]) -> dict[str, Any]:
    defaults = tomllib.loads(DEFAULTS_PATH.read_text(encoding="utf-8"))
    merged = dict(raw)
    merged["rules"] = {**defaults["rules"], **raw.get("rules", {})}
    merged["score_weights"] = {**defaults["score_weights"], **raw.get("score_weights", {})}
    return merged


def load_file(path: str | Path) -> Scenario:
    """Load and check a scenario file; raises ScenarioError listing every problem."""
    raw, problems = read(Path(path))
    if raw is not None:
        problems = check(raw, str(path))
    if problems or raw is None:
        raise ScenarioError(problems)
    return scenario_from_mapping(_with_defaults(raw))


@cache
def load_scenario(name_or_path: str) -> Scenario:
    """A shipped scenario by name (e.g. "classroom-quick"), or a scenario file by path."""
    return load_file(scenario_path(name_or_path))
