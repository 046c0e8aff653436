"""`scenario validate` names the field behind every problem beyond the schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import SCENARIO_DIR, validate_file

CLASSROOM = (SCENARIO_DIR / "classroom-quick.toml").read_text(encoding="utf-8")
NORWAY_WEIGHTS = "weights = { authority = 1.0, humanitarian_space = 0.4, joint_planning = 1.0 }"
MSF_GOAL = '{ kind = "provision_at_least", target = "humanitarian_space", value = 2,'


def problems_of(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    return [(p.path, p.message) for p in validate_file(path)]


def one_problem(tmp_path: Path, text: str) -> tuple[str, str]:
    found = problems_of(tmp_path, text)
    assert len(found) == 1, found
    return found[0]


def test_an_unknown_provision_in_a_seats_weights_is_named(tmp_path: Path) -> None:
    text = CLASSROOM.replace(NORWAY_WEIGHTS, NORWAY_WEIGHTS.replace("joint_planning = 1.0", "joint_plan = 1.0"))
    path, message = one_problem(tmp_path, text)
    assert path == "seats[0].objectives.weights.joint_plan"
    assert "no provision" in message


def test_an_unknown_provision_in_a_blocs_weights_is_named(tmp_path: Path) -> None:
    text = CLASSROOM.replace("humanitarian_space = 0.8, joint_planning = 1.0 }", "humanitarian = 0.8 }", 1)
    assert one_problem(tmp_path, text)[0] == "blocs[0].weights.humanitarian"


def test_a_weight_without_an_ideal_level_is_named(tmp_path: Path) -> None:
    text = CLASSROOM.replace(
        "ideal = { authority = 3, humanitarian_space = 1, joint_planning = 2 }\n" + NORWAY_WEIGHTS,
        "ideal = { authority = 3, humanitarian_space = 1 }\n" + NORWAY_WEIGHTS,
    )
    path, message = one_problem(tmp_path, text)
    assert path == "seats[0].objectives.weights.joint_planning"
    assert "no ideal level" in message


def test_a_goal_level_beyond_its_provisions_levels_is_named(tmp_path: Path) -> None:
    text = CLASSROOM.replace(MSF_GOAL, MSF_GOAL.replace("value = 2", "value = 5"))
    path, message = one_problem(tmp_path, text)
    assert path == "seats[4].objectives.goals[0].value"
    assert "beyond" in message


def test_a_goal_without_a_value_is_named(tmp_path: Path) -> None:
    text = CLASSROOM.replace(MSF_GOAL, MSF_GOAL.replace(" value = 2,", ""))
    path, message = one_problem(tmp_path, text)
    assert path == "seats[4].objectives.goals[0].value"
    assert "needs a value" in message


def test_a_schedule_longer_than_the_rounds_is_named(tmp_path: Path) -> None:
    text = CLASSROOM.replace("schedule = [34, 38, 42, 45, 44, 40]", "schedule = [34, 38, 42, 45, 44, 40, 38]")
    assert one_problem(tmp_path, text)[0] == "ripeness.schedule"


def test_a_threshold_below_the_floor_is_named(tmp_path: Path) -> None:
    text = CLASSROOM.replace("threshold = 55\nfloor = 30", "threshold = 25\nfloor = 30")
    path, message = one_problem(tmp_path, text)
    assert path == "ripeness.threshold"
    assert "below the floor" in message


def test_a_veto_under_consensus_is_named(tmp_path: Path) -> None:
    text = CLASSROOM.replace('bloc = "asia_pacific"\n', 'bloc = "asia_pacific"\nveto = true\n', 1)
    path, message = one_problem(tmp_path, text)
    assert path == "seats[1].veto"
    assert "consensus has no veto" in message


def test_council_seats_under_consensus_are_named(tmp_path: Path) -> None:
    text = CLASSROOM.replace("votes = 53\n", "votes = 53\ncouncil_seats = 2\n", 1)
    assert one_problem(tmp_path, text)[0] == "blocs[1].council_seats"


def security_council(text: str) -> str:
    """The classroom file under the Security Council: China and Norway on the council, 13
    elected members among the blocs."""
    text = text.replace('decision_rule = "consensus"', 'decision_rule = "security_council"')
    text = text.replace('bloc = "weog"\n', 'bloc = "weog"\ncouncil = true\n', 1)
    text = text.replace('bloc = "asia_pacific"\n', 'bloc = "asia_pacific"\ncouncil = true\nveto = true\n', 1)
    for votes, seats in (("54", 4), ("53", 3), ("33", 2), ("28", 2), ("23", 2)):
        text = text.replace(f"votes = {votes}\n", f"votes = {votes}\ncouncil_seats = {seats}\n", 1)
    return text


def test_the_security_council_variant_is_valid(tmp_path: Path) -> None:
    assert problems_of(tmp_path, security_council(CLASSROOM)) == []


def test_a_veto_on_a_seat_off_the_council_is_named(tmp_path: Path) -> None:
    text = security_council(CLASSROOM).replace('bloc = "african"\n', 'bloc = "african"\nveto = true\n', 1)
    path, message = one_problem(tmp_path, text)
    assert path == "seats[2].veto"
    assert "on the council" in message


def test_a_veto_on_an_agency_is_named(tmp_path: Path) -> None:
    text = security_council(CLASSROOM).replace('kind = "agency"\n', 'kind = "agency"\nveto = true\n', 1)
    assert one_problem(tmp_path, text)[0] == "seats[3].veto"


def test_a_council_member_that_can_never_vote_is_named(tmp_path: Path) -> None:
    text = security_council(CLASSROOM).replace("council = true\nveto = true\n", "council = true\nvotes = false\n")
    path, message = one_problem(tmp_path, text)
    assert path == "seats[1].votes"
    assert "can never vote" in message


def test_a_council_that_is_not_fifteen_is_named(tmp_path: Path) -> None:
    text = security_council(CLASSROOM).replace("council_seats = 4", "council_seats = 3")
    path, message = one_problem(tmp_path, text)
    assert path == "blocs" and "add up to 14" in message


def test_goodwill_for_a_constituency_is_named(tmp_path: Path) -> None:
    text = CLASSROOM.replace("goodwill = { african = -2 }", "goodwill = { humanitarian = -2 }")
    path, message = one_problem(tmp_path, text)
    assert path == "event_table[1].effects.goodwill.humanitarian"
    assert "no bloc" in message


@pytest.mark.parametrize("name", ["classroom-quick", "integrated-missions", "responsibility-to-protect"])
def test_the_shipped_files_pass_every_check(name: str) -> None:
    assert validate_file(SCENARIO_DIR / f"{name}.toml") == []
