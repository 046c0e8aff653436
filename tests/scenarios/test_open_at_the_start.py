"""No game is decided before round 1 (issue 8): in every shipped scenario, whatever the hidden
draws, the window can be opened by play and every side issue can still go either way."""

from __future__ import annotations

import pytest

from game_rules.scenario import Scenario, SideIssue
from game_rules.voting import bloc_weight, voters
from scenarios import list_scenarios, load_scenario


def bloc_margin(scenario: Scenario, issue: SideIssue, nudge: float) -> float:
    """yes minus no among the blocs alone, with every lean moved by `nudge`."""
    margin = 0.0
    for bloc in scenario.blocs:
        lean = min(100.0, max(0.0, issue.bloc_lean.get(bloc.id, scenario.rules.side_issue_default_lean) + nudge))
        margin += bloc_weight(scenario, bloc) * (2 * lean / 100.0 - 1)
    return margin


def seats_swing(scenario: Scenario) -> float:
    """How far the voting seats can move a side issue's yes minus no: each seat's own ballot
    (no to yes is two votes) and the pull its ballot has on its bloc."""
    pull = scenario.rules.side_issue_seat_pull / 100.0
    swing = 0.0
    for seat in voters(scenario):
        bloc = scenario.seat(seat).bloc
        weight = bloc_weight(scenario, scenario.bloc(bloc)) if bloc else 0
        swing += 2 + 4 * pull * weight
    return swing


@pytest.mark.parametrize("name", list_scenarios())
def test_play_can_open_the_window_after_the_lowest_draw(name: str) -> None:
    scenario = load_scenario(name)
    lowest = max(scenario.ripeness_schedule) - scenario.ripeness_jitter
    assert lowest + scenario.rules.ripeness_boost_max >= scenario.ripeness_threshold


@pytest.mark.parametrize("name", list_scenarios())
def test_the_window_is_not_open_before_anyone_plays(name: str) -> None:
    scenario = load_scenario(name)
    assert scenario.ripeness_schedule[0] + scenario.ripeness_jitter < scenario.ripeness_threshold


@pytest.mark.parametrize("name", list_scenarios())
def test_every_side_issue_can_go_either_way_whatever_the_draw(name: str) -> None:
    scenario = load_scenario(name)
    jitter = scenario.rules.side_issue_jitter
    swing = seats_swing(scenario)
    for issue in scenario.side_issues:
        for nudge in (-jitter, 0.0, jitter):
            assert abs(bloc_margin(scenario, issue, nudge)) < swing, (issue.id, nudge, swing)
