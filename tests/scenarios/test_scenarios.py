"""Scenario files: every shipped one is valid and complete; bad ones are named precisely."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game_rules.scenario import SEAT_KINDS
from scenarios import SCENARIO_DIR, ScenarioError, list_scenarios, load_file, load_scenario, schema, validate_file

SHIPPED = list_scenarios()
CLASSROOM = (SCENARIO_DIR / "classroom-quick.toml").read_text(encoding="utf-8")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "normarena", *args], capture_output=True, text=True, check=False, timeout=120
    )


def test_the_three_required_scenarios_ship() -> None:
    assert {"integrated-missions", "classroom-quick", "responsibility-to-protect"} <= set(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenario_is_valid(name: str) -> None:
    assert validate_file(SCENARIO_DIR / f"{name}.toml") == []


@pytest.mark.parametrize("name", SHIPPED)
def test_every_seat_has_a_role_sheet_and_the_facilitator_a_brief(name: str) -> None:
    scenario = load_scenario(name)
    assert len(scenario.brief) >= 200
    for seat in scenario.seats:
        assert len(seat.role_sheet.strip()) >= 200, seat.id
        assert seat.preferences.ideal, seat.id


def test_integrated_missions_covers_the_articles_case() -> None:
    scenario = load_scenario("integrated-missions")
    assert len(scenario.seats) >= 12
    assert {s.kind for s in scenario.seats} == set(SEAT_KINDS)
    venues = {v.name for v in scenario.venues}
    for city in ("Beijing", "Addis Ababa", "Geneva", "New York", "Johannesburg", "Brussels", "Oslo"):
        assert any(city in v for v in venues), city
    assert len(scenario.blocs) == 5
    assert scenario.side_issues
    assert len(scenario.scripted_events) >= 4


def test_classroom_quick_fits_a_45_minute_class() -> None:
    scenario = load_scenario("classroom-quick")
    assert len(scenario.seats) == 6
    assert scenario.rounds == 6


def test_schema_file_is_a_json_schema_for_scenarios() -> None:
    published = schema()
    assert published["$schema"].endswith("2020-12/schema")
    assert "seats" in published["required"]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_wrong_type_is_named_with_file_and_field_path(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        CLASSROOM.replace(
            "capital = 6\ncapital_regen = 3\nfunds = 24", 'capital = "lots"\ncapital_regen = 3\nfunds = 24'
        ),
    )
    problems = validate_file(path)
    assert len(problems) == 1
    assert problems[0].file == str(path)
    assert problems[0].path == "seats[0].resources.capital"
    assert "integer" in problems[0].message


def test_a_dangling_reference_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, CLASSROOM.replace('blocs = ["african"]', 'blocs = ["atlantis"]', 1))
    problems = validate_file(path)
    assert [p.path for p in problems] == ["venues[0].blocs[0]"]
    assert "atlantis" in problems[0].message


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    text = CLASSROOM.replace("rounds = 6", "rounds = 0").replace(
        'decision_rule = "consensus"', 'decision_rule = "shouting"'
    )
    problems = validate_file(_write(tmp_path, text))
    assert {p.path for p in problems} >= {"rounds", "decision_rule"}


def test_not_toml_is_one_clear_problem(tmp_path: Path) -> None:
    problems = validate_file(_write(tmp_path, "id = [unclosed"))
    assert len(problems) == 1 and "not valid TOML" in problems[0].message


def test_loading_a_bad_file_raises_with_every_problem(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as raised:
        load_file(_write(tmp_path, CLASSROOM.replace("start = 1", "start = 9", 1)))
    assert raised.value.problems[0].path == "provisions[0].start"


def test_validate_command_exits_non_zero_and_names_file_path_and_problem(tmp_path: Path) -> None:
    path = _write(tmp_path, CLASSROOM.replace("credibility = 75", "credibility = 175"))
    result = run_cli("scenario", "validate", str(path))
    assert result.returncode == 1
    assert f"{path}: seats[0].resources.credibility:" in result.stderr
    assert "175" in result.stderr


def test_validate_command_accepts_the_shipped_files() -> None:
    result = run_cli("scenario", "validate", *(str(SCENARIO_DIR / f"{n}.toml") for n in SHIPPED))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": valid") == len(SHIPPED)


def test_schema_command_prints_the_published_schema() -> None:
    result = run_cli("scenario", "schema")
    assert json.loads(result.stdout) == schema()
