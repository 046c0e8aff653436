"""Resolution rules that were wrong once: studies and earmarks, co-sponsors, blocked
amendments, and a window that closes."""

from __future__ import annotations

from game_rules import Scenario
from game_rules.actions import CommissionStudy, Grant, ProposeAmendment, Spoil, TableDraft
from tests.conftest import started
from tests.game_rules.test_resolution import of_kind, play, resolve


def test_a_study_performed_in_house_spends_its_funds(calm: Scenario) -> None:
    state = play(calm, started(calm), {"nupi": [CommissionStudy(performer="nupi", funds=4)]})
    assert state.seats["nupi"].funds == calm.seat("nupi").resources.funds - 4
    gained = calm.rules.study_expertise + 4 // calm.rules.study_funds_per_extra_expertise
    assert state.seats["nupi"].expertise == calm.seat("nupi").resources.expertise + gained


def test_an_earmark_is_used_only_as_far_as_its_funds_are_spent(calm: Scenario) -> None:
    """Five for a study, two spent on one: three go back to the donor when the grant expires."""
    state = play(calm, started(calm), {"norway": [Grant(to="nupi", amount=5, purpose="study")]})
    state = play(calm, state, {"nupi": [CommissionStudy(performer="nupi", funds=2)]})
    assert state.seats["norway"].funds == 24 - 5 + 3
    assert state.seats["nupi"].funds == 4 + 5 - 2 - 3
    assert state.seats["nupi"].earmarks == {}


def test_an_earmark_spent_in_full_stays_with_the_recipient(calm: Scenario) -> None:
    state = play(calm, started(calm), {"norway": [Grant(to="nupi", amount=5, purpose="study")]})
    state = play(calm, state, {"nupi": [CommissionStudy(performer="dpko", funds=5)]})
    assert (state.seats["norway"].funds, state.seats["nupi"].funds) == (19, 4)
    assert state.seats["nupi"].earmarks == {}


def test_co_sponsors_from_two_blocs_politicise_less_than_one_sponsor(calm: Scenario) -> None:
    alone = play(calm, started(calm), {"norway": [TableDraft()]})
    together = play(calm, started(calm), {"norway": [TableDraft()], "south_africa": [TableDraft()]})
    total_alone = sum(b.politicisation for b in alone.blocs.values())
    total_together = sum(b.politicisation for b in together.blocs.values())
    assert total_together < total_alone
    # A bloc that has a sponsor of its own does not read the draft as imposed on it.
    assert together.blocs["african"].politicisation == 0.0 < alone.blocs["african"].politicisation


def test_a_blocked_amendment_is_announced_once_as_blocked_and_never_as_adopted(calm: Scenario) -> None:
    state, events = resolve(
        calm,
        started(calm),
        {
            "norway": [ProposeAmendment(provision="humanitarian_space", direction=1)],
            "dpko": [Spoil(mode="block_amendment", provision="humanitarian_space")],
        },
    )
    assert state.levels["humanitarian_space"] == 1
    assert of_kind(events, "amendment") == []
    (blocked,) = of_kind(events, "amendment_blocked")
    assert blocked.detail["proposer"] == "norway"
    assert state.draft_history == []


def test_an_amendment_nobody_blocks_is_announced_after_spoiling(calm: Scenario) -> None:
    state, events = resolve(
        calm,
        started(calm),
        {
            "norway": [ProposeAmendment(provision="authority", direction=1)],
            "dpko": [Spoil(mode="block_amendment", provision="humanitarian_space")],
        },
    )
    assert state.levels["authority"] == 2
    kinds = [e.kind for e in events]
    assert kinds.count("amendment") == 1 and "amendment_blocked" not in kinds


def test_the_window_closes_in_a_shipped_scenario_once_past_its_peak(calm: Scenario) -> None:
    """The classroom case with its window never opening (the low_ripeness experiment) and no
    studies or panels: once the schedule is past its peak the game ends early, closed."""
    state = started(calm, ablations=("low_ripeness",))
    while state.phase != "ended":
        state = play(calm, state, {})
    peak = calm.ripeness_schedule.index(max(calm.ripeness_schedule)) + 1
    assert state.outcome == "window_closed"
    assert peak <= state.round < calm.rounds
