"""What a bot is: a strategy that sees only its seat's view and legal actions.

A bot answers one question, again and again: given what my seat sees and may do, what do I
do next? It returns one of the legal actions (a message's text may be filled in). Bots keep
their own seeded generator; none touches global random state.
"""

from __future__ import annotations

import random
from typing import Any, Protocol

from game_rules import LegalAction, SeatAction


class Bot(Protocol):
    """A strategy for one seat."""

    name: str

    def act(self, view: dict[str, Any], legal: list[LegalAction]) -> SeatAction:
        """The seat's next action, chosen from `legal`."""
        ...


def bot_random(seed: int, seat: str, salt: str) -> random.Random:
    """A generator private to one bot in one game, the same on every run and platform."""
    return random.Random(f"{salt}:{seed}:{seat}")
