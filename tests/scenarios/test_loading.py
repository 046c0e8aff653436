"""Loading a scenario from text (an upload), its clocks and its class plan."""

from __future__ import annotations

import pytest

from scenarios import MAX_SCENARIO_BYTES, SCENARIO_DIR, ScenarioError, list_scenarios, load_scenario, load_scenario_text

CLASSROOM = (SCENARIO_DIR / "classroom-quick.toml").read_text(encoding="utf-8")


def test_text_loads_to_the_same_scenario_as_the_file() -> None:
    assert load_scenario_text(CLASSROOM) == load_scenario("classroom-quick")


def test_text_over_the_size_limit_is_refused_before_parsing() -> None:
    padded = CLASSROOM + "#" * MAX_SCENARIO_BYTES
    with pytest.raises(ScenarioError) as raised:
        load_scenario_text(padded, source="big.toml")
    (problem,) = raised.value.problems
    assert problem.file == "big.toml"
    assert "limit" in problem.message


def test_every_problem_in_uploaded_text_names_its_source_and_field() -> None:
    text = CLASSROOM.replace("rounds = 6", "rounds = 0").replace("threshold = 55", "threshold = 555")
    with pytest.raises(ScenarioError) as raised:
        load_scenario_text(text)
    assert {(p.file, p.path) for p in raised.value.problems} >= {("upload", "rounds"), ("upload", "ripeness.threshold")}


def test_text_that_is_not_toml_is_one_problem() -> None:
    with pytest.raises(ScenarioError) as raised:
        load_scenario_text("id = [")
    assert len(raised.value.problems) == 1 and "not valid TOML" in raised.value.problems[0].message


def test_clocks_default_phase_by_phase_from_the_defaults() -> None:
    text = CLASSROOM.replace("[clocks.classroom]\nnegotiate = 180\n", "[clocks.classroom]\n")
    clocks = load_scenario_text(text).clocks
    assert clocks["classroom"] == {"negotiate": 240.0, "act": 90.0, "vote": 30.0}
    assert set(clocks) == {"classroom", "distance"}


def test_a_scenario_without_minutes_gets_reading_rounds_and_debrief() -> None:
    text = CLASSROOM.replace("minutes = 45\n", "")
    # 5 minutes of reading, 6 rounds of (180 + 90 + 30) seconds, 10 minutes of debrief.
    assert load_scenario_text(text).minutes == 5 + 30 + 10


@pytest.mark.parametrize("name", list_scenarios())
def test_every_shipped_scenario_has_clocks_questions_and_a_length(name: str) -> None:
    scenario = load_scenario(name)
    for clock in ("classroom", "distance"):
        assert set(scenario.clocks[clock]) == {"negotiate", "act", "vote"}
        assert all(seconds > 0 for seconds in scenario.clocks[clock].values())
    assert len(scenario.discussion_questions) >= 3
    assert scenario.minutes >= 30


def test_classroom_quick_fits_a_45_minute_class_on_its_clock() -> None:
    scenario = load_scenario("classroom-quick")
    per_round = sum(scenario.clocks["classroom"].values()) / 60
    assert scenario.minutes == 45
    assert 5 + scenario.rounds * per_round + 10 <= scenario.minutes
