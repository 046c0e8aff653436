"""The spoiler: defends its turf. Waters provisions down in the HQ loop, blocks amendments it
hears about through its links, delays a vote on a text it cannot live with; but only when the
threat is real and the risk of exposure is worth it."""

from __future__ import annotations

from collections.abc import Iterator

from bots.character import CharacterBot
from bots.menu import Menu
from bots.reading import Reading
from bots.tactics import amendment_toward_ideal, lobby_weakest
from game_rules.actions import SubmitOrder

# Exposure chance is a base plus a share per link watching the spoiler (the scenario's
# numbers are not in the view; these are the defaults, close enough to judge by).
EXPOSURE_BASE, EXPOSURE_PER_LINK = 0.15, 0.10
MAX_RISK = 0.35
MIN_CREDIBILITY = 35


class Spoiler(CharacterBot):
    name = "spoiler"
    spoils = True

    def _limits(self, r: Reading) -> dict[str, int]:
        """The highest level of each provision this seat can live with."""
        limits = {pid: level for pid, level in r.ideal.items()}
        for pid, level in r.turf.items():
            limits[pid] = min(limits.get(pid, level), level)
        return limits

    def _dare(self, r: Reading) -> bool:
        """Whether spoiling is worth the risk of being exposed, now."""
        risk = EXPOSURE_BASE + EXPOSURE_PER_LINK * len(r.me["links"])
        return risk <= MAX_RISK and r.resources["credibility"] >= MIN_CREDIBILITY

    def plan(self, r: Reading, menu: Menu) -> Iterator[SubmitOrder]:
        if self._dare(r):
            spoil = self._spoil(r, menu)
            if spoil:
                yield spoil
        amendment = amendment_toward_ideal(r, menu)
        if amendment:
            yield amendment
        yield from self.joint_moves(r, menu)
        if r.wants_adoption():
            lobby = lobby_weakest(r, menu)
            if lobby:
                yield lobby

    def _spoil(self, r: Reading, menu: Menu) -> SubmitOrder | None:
        """One spoil a round at most: the most pressing threat first."""
        levels = r.levels
        limits = self._limits(r)
        for move in (m["order"] for m in r.view.get("linked_moves", [])):
            if move["type"] == "propose_amendment" and move["direction"] > 0:
                pid = move["provision"]
                if pid in limits and levels[pid] + 1 > limits[pid]:
                    return menu.first_order("spoil", mode="block_amendment", provision=pid)
            if move["type"] == "call_vote" and not r.wants_adoption():
                return menu.first_order("spoil", mode="delay_vote")
        if not r.view["draft"]["tabled"]:
            return None  # the HQ loop only bites once the text is on the table
        too_far = [pid for pid, limit in limits.items() if levels[pid] > limit]
        for pid in too_far:
            found = menu.first_order("spoil", mode="water_down", provision=pid)
            if found:
                return found
        return None
