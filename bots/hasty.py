"""The shortcut the balance tests measure: a sponsor that tables at once and calls the vote
every round, ripe or not. Otherwise it plays as the entrepreneur."""

from __future__ import annotations

from collections.abc import Iterator

from bots.entrepreneur import Entrepreneur
from bots.menu import Menu
from bots.reading import Reading
from game_rules.actions import SubmitOrder


class Hasty(Entrepreneur):
    name = "hasty"
    lapse = 0.0  # it never lets a round pass without calling

    def formal_moves(self, r: Reading, menu: Menu) -> Iterator[SubmitOrder]:
        for kind in ("table_draft", "call_vote"):
            found = menu.first_order(kind)
            if found:
                yield found

    def plan(self, r: Reading, menu: Menu) -> Iterator[SubmitOrder]:
        # The formal moves come first: nothing is allowed to crowd them out of its staff.
        yield from self.formal_moves(r, menu)
        yield from super().plan(r, menu)
