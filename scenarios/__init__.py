"""Scenario files: find them, check them against the published schema, load them.

A scenario is a TOML file in this folder, anywhere by path, or text a facilitator uploads.
Checking names, for each problem, the file, the field's path and what is wrong; loading merges
`defaults.toml` under the file's own [rules], [score_weights] and [clocks] and hands the
engine an immutable `Scenario`.
"""

from __future__ import annotations

import json
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from game_rules.scenario import Scenario
from game_rules.scenario_mapping import scenario_from_mapping
from scenarios.checks import references
from scenarios.problems import ScenarioError, ScenarioProblem

SCENARIO_DIR = Path(__file__).resolve().parent
SCHEMA_PATH = SCENARIO_DIR / "scenario.schema.json"
DEFAULTS_PATH = SCENARIO_DIR / "defaults.toml"
# The largest scenario text accepted from outside (an upload): four times the largest shipped
# file, so a real scenario always fits and a server never parses megabytes for one game.
MAX_SCENARIO_BYTES = 256 * 1024

__all__ = [
    "DEFAULTS_PATH",
    "MAX_SCENARIO_BYTES",
    "SCENARIO_DIR",
    "SCHEMA_PATH",
    "ScenarioError",
    "ScenarioProblem",
    "check",
    "list_scenarios",
    "load_file",
    "load_scenario",
    "load_scenario_text",
    "parse_text",
    "scenario_path",
    "schema",
    "validate_file",
]


@cache
def _schema_text() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


def schema() -> dict[str, Any]:
    """The published JSON Schema for scenario files."""
    loaded: dict[str, Any] = json.loads(_schema_text())
    return loaded


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


@cache
def _defaults() -> dict[str, Any]:
    return tomllib.loads(DEFAULTS_PATH.read_text(encoding="utf-8"))


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
    problems = [
        ScenarioProblem(file, _json_path(e.absolute_path), e.message)
        for e in sorted(_validator().iter_errors(raw), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    ]
    if problems:
        return problems
    return references(raw, file)


def parse_text(text: str, source: str) -> tuple[dict[str, Any] | None, list[ScenarioProblem]]:
    """Parse scenario text; text that is too long or not TOML is one problem, not an exception."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_SCENARIO_BYTES:
        return None, [ScenarioProblem(source, "", f"{size} bytes is more than the limit of {MAX_SCENARIO_BYTES}")]
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as error:
        return None, [ScenarioProblem(source, "", f"not valid TOML: {error}")]


def read(path: Path) -> tuple[dict[str, Any] | None, list[ScenarioProblem]]:
    """Parse a scenario file; a file that is missing or not TOML is one problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [ScenarioProblem(str(path), "", "no such file")]
    except (UnicodeDecodeError, IsADirectoryError) as error:
        return None, [ScenarioProblem(str(path), "", f"not a text file: {error}")]
    return parse_text(text, str(path))


def validate_file(path: str | Path) -> list[ScenarioProblem]:
    """Every problem with a scenario file; an empty list means it is valid."""
    raw, problems = read(Path(path))
    if raw is None:
        return problems
    return check(raw, str(path))


def _with_defaults(raw: dict[str, Any]) -> dict[str, Any]:
    defaults = _defaults()
    merged = dict(raw)
    merged["rules"] = {**defaults["rules"], **raw.get("rules", {})}
    merged["score_weights"] = {**defaults["score_weights"], **raw.get("score_weights", {})}
    clocks = raw.get("clocks", {})
    merged["clocks"] = {name: {**phases, **clocks.get(name, {})} for name, phases in defaults["clocks"].items()}
    merged["lesson"] = defaults["lesson"]
    return merged


def _load(raw: dict[str, Any] | None, problems: list[ScenarioProblem], source: str) -> Scenario:
    if raw is not None:
        problems = check(raw, source)
    if problems or raw is None:
        raise ScenarioError(problems)
    return scenario_from_mapping(_with_defaults(raw))


def load_scenario_text(text: str, source: str = "upload") -> Scenario:
    """Check and load a scenario from TOML text (a facilitator's upload, say), at most
    `MAX_SCENARIO_BYTES` long; raises ScenarioError naming `source` in every problem."""
    raw, problems = parse_text(text, source)
    return _load(raw, problems, source)


def load_file(path: str | Path) -> Scenario:
    """Load and check a scenario file; raises ScenarioError listing every problem."""
    raw, problems = read(Path(path))
    return _load(raw, problems, str(path))


@cache
def load_scenario(name_or_path: str) -> Scenario:
    """A shipped scenario by name (e.g. "classroom-quick"), or a scenario file by path."""
    return load_file(scenario_path(name_or_path))
