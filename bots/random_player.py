"""The random legal player: the baseline every character must beat."""

from __future__ import annotations

from typing import Any

from bots.base import bot_random
from game_rules import LegalAction, SeatAction
from game_rules.actions import SendMessage
from game_rules.legal import MESSAGE_PLACEHOLDER

STOCK_MESSAGES = (
    "We are studying the text.",
    "Our capital has instructions to follow this closely.",
    "We could support this with changes.",
    "Let us talk before the vote.",
)


class RandomPlayer:
    """Picks a kind of action uniformly, then one action of that kind: every kind gets tried."""

    name = "random"

    def __init__(self, seed: int, seat: str) -> None:
        self.rng = bot_random(seed, seat, self.name)

    def act(self, view: dict[str, Any], legal: list[LegalAction]) -> SeatAction:
        """A uniformly random kind of legal action, then a uniformly random one of that kind."""
        kinds: dict[str, list[SeatAction]] = {}
        for item in legal:
            key = getattr(item.action, "order", item.action).type
            kinds.setdefault(key, []).append(item.action)
        names = sorted(kinds)
        action = self.rng.choice(kinds[self.rng.choice(names)])
        if isinstance(action, SendMessage) and action.text == MESSAGE_PLACEHOLDER:
            action = SendMessage(to=action.to, text=self.rng.choice(STOCK_MESSAGES))
        return action
