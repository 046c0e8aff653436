"""The spoiler: a broker that also defends its turf or its interest in failure. Waters
provisions down in the HQ loop, blocks amendments it hears about through its links, delays a
vote on a text it cannot live with, sells its restraint, and breaks a promise of restraint
when the threat is worth more than its word; but only when the risk of exposure is worth it.
Otherwise it trades as a broker does."""

from __future__ import annotations

from collections.abc import Iterator

from bots import trading
from bots.broker import Broker
from bots.character import BREAK_COST
from bots.menu import Menu
from bots.reading import Reading
from game_rules import SeatAction
from game_rules.actions import SubmitOrder

MAX_RISK = 0.35
MIN_CREDIBILITY = 35


class Spoiler(Broker):
    name = "spoiler"
    spoils = True

    def __init__(self, seed: int, seat: str) -> None:
        super().__init__(seed, seat)
        self.broken = False  # whether it has broken a promise of restraint this game
        self.delayed = False  # whether it has delayed a vote this game: it does once at most

    def breaks_pledges(self, r: Reading) -> bool:
        return True

    def _risk(self, r: Reading) -> float:
        """The chance of being exposed if this seat spoils now."""
        rules = r.rules
        base = float(rules.get("spoil_exposure_base", 0.15))
        return base + float(rules.get("spoil_exposure_per_link", 0.1)) * len(r.me["links"])

    def _dare(self, r: Reading) -> bool:
        """Whether spoiling is worth the risk of being exposed, now."""
        return self._risk(r) <= MAX_RISK and r.resources["credibility"] >= MIN_CREDIBILITY

    def _pays(self, r: Reading, spoiled: dict[str, int], unspoiled: dict[str, int]) -> bool:
        """Whether the text as spoiling leaves it is worth more than it would be otherwise, by
        more than what exposure would cost on average in the credibility part of the score."""
        weights = r.view["score_weights"]
        gain = float(weights["text"]) * (r.utility(spoiled) - r.utility(unspoiled)) * 100
        exposure = float(r.rules.get("spoil_exposure_credibility", 15)) * float(weights["credibility"])
        return gain > self._risk(r) * exposure * 1.5

    def negotiation_moves(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        yield from self._restraint_moves(r)
        yield from super().negotiation_moves(r, menu)

    def _restraint_moves(self, r: Reading) -> Iterator[SeatAction]:
        """Sell restraint to the sponsors once the text is on the table; pay for backing of the
        amendments that would bring it back within this seat's limits."""
        if not r.tabled:
            return
        sponsors = [s for s in r.view["draft"]["sponsors"] if s != r.seat]
        restrained = bool(r.my_pledges("no_spoil"))
        if sponsors and not restrained and r.wants_adoption():
            found = trading.sell_restraint(r, sponsors[0], 3)
            if found:
                yield found
        limits = r.limits()
        for pid, limit in limits.items():
            if r.levels[pid] > limit and r.free("capital") >= 4:
                for seat in sponsors:
                    found = trading.buy_backing(r, seat, pid, up=False, capital=1)
                    if found:
                        yield found
                        return

    def plan(self, r: Reading, menu: Menu) -> Iterator[SubmitOrder]:
        if self._dare(r):
            spoil = self._spoil(r, menu)
            if spoil:
                yield spoil
        yield from super().plan(r, menu)

    def _worth_breaking(self, r: Reading, levels: dict[str, int]) -> bool:
        """Whether spoiling against these levels pays for breaking a promise of restraint: a
        spoiler breaks its word once in a game at most, and only for a clear gain."""
        if not r.my_pledges("no_spoil"):
            return True
        if self.broken:
            return False
        weight = float(r.view["score_weights"]["text"])
        worth = weight * (r.utility(levels) - r.utility()) * 100 > 3 * BREAK_COST
        self.broken = worth
        return worth

    def _spoil(self, r: Reading, menu: Menu) -> SubmitOrder | None:
        """One spoil a round at most: the most pressing threat first."""
        levels = r.levels
        limits = r.limits()
        for move in (m["order"] for m in r.view.get("linked_moves", [])):
            if move["type"] == "propose_amendment" and move["direction"] > 0:
                pid = move["provision"]
                higher = {**levels, pid: levels[pid] + 1}
                threat = pid in limits and levels[pid] + 1 > limits[pid] and self._pays(r, levels, higher)
                if threat and self._worth_breaking(r, levels):
                    return menu.first_order("spoil", mode="block_amendment", provision=pid)
            beyond = any(levels[p] > limit for p, limit in limits.items())
            if move["type"] == "call_vote" and (beyond or not r.wants_adoption()) and self._worth_breaking(r, levels):
                # A vote on a text this seat cannot live with: buy a round to water it down.
                return menu.first_order("spoil", mode="delay_vote")
        if not r.tabled:
            return None  # the HQ loop only bites once the text is on the table
        excess = sum(max(0, levels[p] - limit) for p, limit in limits.items())
        if not r.is_voter and r.ripeness == 2 and excess >= 2 and not self.delayed and self._worth_breaking(r, levels):
            # Ripe, so a vote may come this round, on a text one watering-down would not bring
            # within what this seat can live with; without a vote of its own to cast against
            # it, buy a round, once, to work on it.
            self.delayed = True
            return menu.first_order("spoil", mode="delay_vote")
        for pid in (p for p, limit in limits.items() if levels[p] > limit):
            lower = {**levels, pid: levels[pid] - 1}
            if self._pays(r, lower, levels) and self._worth_breaking(r, lower):
                found = menu.first_order("spoil", mode="water_down", provision=pid)
                if found:
                    return found
        return None
