"""The spoiler: defends its turf. Waters provisions down in the HQ loop, blocks amendments it
hears about through its links, delays a vote on a text it cannot live with."""

from __future__ import annotations

from collections.abc import Iterator

from bots.character import CharacterBot
from bots.menu import Menu
from bots.reading import Reading
from bots.tactics import amendment_toward_ideal, lobby_weakest
from game_rules.actions import SubmitOrder


class Spoiler(CharacterBot):
    name = "spoiler"
    spoils = True

    def _limits(self, r: Reading) -> dict[str, int]:
        """The highest level of each provision this seat can live with."""
        limits = {pid: level for pid, level in r.ideal.items()}
        for pid, level in r.turf.items():
            limits[pid] = min(limits.get(pid, level), level)
        return limits

    def plan(self, r: Reading, menu: Menu) -> Iterator[SubmitOrder]:
        levels = r.levels
        limits = self._limits(r)
        too_far = [pid for pid, limit in limits.items() if levels[pid] > limit]
        heard = [m["order"] for m in r.view.get("linked_moves", [])]
        for move in heard:
            if move["type"] == "propose_amendment" and move["direction"] > 0:
                pid = move["provision"]
                if pid in limits and levels[pid] + 1 > limits[pid]:
                    found = menu.first_order("spoil", lambda o, p=pid: o.mode == "block_amendment" and o.provision == p)
                    if found:
                        yield found
            if move["type"] == "call_vote" and not r.wants_adoption():
                found = menu.first_order("spoil", lambda o: o.mode == "delay_vote")
                if found:
                    yield found
        for pid in too_far[:1]:
            found = menu.first_order("spoil", lambda o, p=pid: o.mode == "water_down" and o.provision == p)
            if found:
                yield found
        amendment = amendment_toward_ideal(r, menu)
        if amendment:
            yield amendment
        if r.wants_adoption():
            lobby = lobby_weakest(r, menu)
            if lobby:
                yield lobby
