"""Fixtures for the engine's tests beyond the shared ones in tests/conftest.py."""

from __future__ import annotations

import dataclasses

import pytest

from game_rules import Scenario


@pytest.fixture
def council(calm: Scenario) -> Scenario:
    """A Security Council variant: Norway and China (permanent, veto) sit on it; the blocs fill 13 seats."""
    seats = tuple(dataclasses.replace(s, council=s.id in ("norway", "china"), veto=s.id == "china") for s in calm.seats)
    council_seats = {"african": 3, "asia_pacific": 3, "grulac": 3, "weog": 2, "eeg": 2}
    blocs = tuple(dataclasses.replace(b, council_seats=council_seats[b.id]) for b in calm.blocs)
    assert sum(s.council for s in seats) + sum(b.council_seats for b in blocs) == 15
    return dataclasses.replace(calm, decision_rule="security_council", seats=seats, blocs=blocs)
