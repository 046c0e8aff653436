"""The `normarena simulate` command: same arguments, same output, byte for byte."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path


def simulate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "normarena", "simulate", "--quiet", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_same_arguments_give_byte_identical_output() -> None:
    first = simulate("--scenario", "classroom-quick", "--games", "8", "--seed", "3")
    second = simulate("--scenario", "classroom-quick", "--games", "8", "--seed", "3")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert "adoption rate" in first.stdout


def test_the_number_of_workers_does_not_change_the_output() -> None:
    one = simulate("--scenario", "classroom-quick", "--games", "6", "--seed", "5", "--json", "--workers", "1")
    two = simulate("--scenario", "classroom-quick", "--games", "6", "--seed", "5", "--json", "--workers", "2")
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert one.stdout == two.stdout


def test_another_seed_gives_other_games() -> None:
    one = json.loads(simulate("--scenario", "classroom-quick", "--games", "8", "--seed", "3", "--json").stdout)
    two = json.loads(simulate("--scenario", "classroom-quick", "--games", "8", "--seed", "4", "--json").stdout)
    assert one["mean_score"] != two["mean_score"]


def test_json_summary_is_one_object_with_the_reported_figures() -> None:
    result = simulate("--scenario", "classroom-quick", "--games", "6", "--seed", "1", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["games"] == 6
    assert 0.0 <= summary["adoption_rate"] <= 1.0
    assert set(summary["mean_score"]) == {"norway", "china", "south_africa", "dpko", "msf", "nupi"}
    assert summary["rounds_played"]["min"] >= 1
    for key in ("final_vote_margin", "legitimacy", "votes_lost_to_politicisation", "first_place_share"):
        assert key in summary
    assert sum(summary["outcomes"].values()) == 6


def test_csv_has_one_row_per_game(tmp_path: Path) -> None:
    path = tmp_path / "games.csv"
    result = simulate("--scenario", "classroom-quick", "--games", "5", "--seed", "2", "--csv", str(path), "--json")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == 5
    summary = json.loads(result.stdout)
    adopted = sum(int(r["adopted"]) for r in rows)
    assert adopted / 5 == summary["adoption_rate"]


def test_random_bots_and_ablations_are_accepted() -> None:
    result = simulate(
        "--scenario",
        "classroom-quick",
        "--games",
        "3",
        "--bots",
        "norway=entrepreneur,*=random",
        "--ablate",
        "consultations",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["ablations"] == ["consultations"]
    assert summary["bots"]["norway"] == "entrepreneur" and summary["bots"]["china"] == "random"


def test_unknown_scenario_fails_with_a_sentence() -> None:
    result = simulate("--scenario", "atlantis", "--games", "1")
    assert result.returncode == 2
    assert "atlantis" in result.stderr and "no such file" in result.stderr


def test_unknown_seat_in_bot_spec_fails_with_the_known_seats() -> None:
    result = simulate("--scenario", "classroom-quick", "--bots", "narnia=random")
    assert result.returncode == 2
    assert "narnia" in result.stderr and "norway" in result.stderr


def test_unknown_mechanic_is_refused() -> None:
    result = simulate("--scenario", "classroom-quick", "--ablate", "gravity")
    assert result.returncode == 2
    assert "gravity" in result.stderr


def test_every_scenario_command_the_help_names_exists() -> None:
    listed = subprocess.run(
        [sys.executable, "-m", "normarena", "scenario", "--help"], capture_output=True, text=True, check=False
    )
    for command in ("list", "validate", "describe", "schema"):
        assert command in listed.stdout


def test_scenario_describe_shows_the_clocks_the_length_and_the_questions() -> None:
    described = subprocess.run(
        [sys.executable, "-m", "normarena", "scenario", "describe", "classroom-quick"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert described.returncode == 0, described.stderr
    assert "a class of about 45 minutes" in described.stdout
    assert "classroom clock negotiate 3 min, act 1.5 min, vote 30 s" in described.stdout
    assert "Discussion questions:" in described.stdout and "  1. " in described.stdout


MY_BOT = '''
class MyBot:
    """Ends every phase at once and abstains: the smallest bot there is."""

    name = "mine"

    def __init__(self, seed, seat):
        self.seat = seat

    def act(self, view, legal):
        for item in legal:
            if item.action.type in ("end_negotiation", "end_orders"):
                return item.action
        return legal[0].action
'''


SMALL_RUN = ("--games", "2", "--json")


def own_bot(tmp_path: Path, spec: str) -> subprocess.CompletedProcess[str]:
    """Simulate with a bot of one's own from a folder that is not on the path: -P keeps Python
    from adding the current folder, as the installed `normarena` script does not add it."""
    (tmp_path / "mybot.py").write_text(MY_BOT, encoding="utf-8")
    project = str(Path(__file__).resolve().parents[1])
    return subprocess.run(
        [
            sys.executable,
            "-P",
            "-m",
            "normarena",
            "simulate",
            "--quiet",
            "--scenario",
            "classroom-quick",
            *SMALL_RUN,
            "--bots",
            f"norway={spec}",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": project},
    )


def test_a_bot_of_ones_own_is_found_in_the_current_folder(tmp_path: Path) -> None:
    result = own_bot(tmp_path, "mybot:MyBot")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["bots"]["norway"] == "mybot:MyBot"


def test_a_bot_of_ones_own_is_found_by_its_file_path(tmp_path: Path) -> None:
    result = own_bot(tmp_path, f"{tmp_path / 'mybot.py'}:MyBot")
    assert result.returncode == 0, result.stderr


def test_a_missing_bot_is_a_clear_error(tmp_path: Path) -> None:
    result = own_bot(tmp_path, "nobot:NoBot")
    assert result.returncode == 2
    assert "nobot" in result.stderr
