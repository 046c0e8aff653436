"""The norm entrepreneur: builds a cross-kind alliance, consults before tabling, calls the vote
when the time is ripe. Norway in the article."""

from __future__ import annotations

from collections.abc import Iterator

from bots.character import CharacterBot
from bots.menu import Menu
from bots.reading import Reading
from bots.tactics import amendment_toward_ideal, blocs_ready, consultation_venue, lobby_weakest
from game_rules import SeatAction
from game_rules.actions import CommissionStudy, FoundAlliance, InviteToAlliance, SubmitOrder

ALLY_KINDS = ("think_tank", "agency", "ngo", "state")


class Entrepreneur(CharacterBot):
    name = "entrepreneur"

    def __init__(self, seed: int, seat: str) -> None:
        super().__init__(seed, seat)
        self.ripe_rounds: set[int] = set()  # while the window is open, waiting costs

    def negotiation_moves(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        mine = r.my_alliances()
        if not mine:
            # In the first round, wait for an invitation if someone else has already founded one.
            if (r.wants_adoption() or r.round <= 2) and not (r.round == 1 and r.view["alliances"]):
                found = menu.one("found_alliance")
                if isinstance(found, FoundAlliance):
                    yield FoundAlliance(name=f"{r.me['name']} coalition"[-80:], platform=self.platform(r))
            return
        alliance = mine[0]
        if alliance["founder"] != r.seat:
            return
        kinds = {r.kind_of(m) for m in alliance["members"]}
        invited = set(alliance.get("invited", []))
        linked = set(r.me["links"])
        candidates = [s for s in r.view["seats"] if s["id"] not in alliance["members"] and s["id"] not in invited]
        # Links first (people who know each other), then one of each missing kind.
        candidates.sort(key=lambda s: (s["id"] not in linked, s["kind"] in kinds, ALLY_KINDS.index(s["kind"])))
        for seat in candidates[:2]:
            action = InviteToAlliance(alliance=alliance["id"], seat=seat["id"])
            if action in menu.actions("invite_to_alliance"):
                yield action

    def platform(self, r: Reading) -> dict[str, int]:
        """A platform others can sign: one step from the current text toward this seat's ideal."""
        levels = r.levels
        return {pid: levels[pid] + max(-1, min(1, ideal - levels[pid])) for pid, ideal in r.ideal.items()}

    def plan(self, r: Reading, menu: Menu) -> Iterator[SubmitOrder]:
        mine = r.my_alliances()
        joint = mine[0]["id"] if mine else ""
        venue = consultation_venue(r)
        if venue:
            for expertise in (2, 0):
                found = menu.first_order("host_consultation", venue=venue, alliance=joint, expertise=expertise)
                if found:
                    yield found
                    break
        yield from self.joint_moves(r, menu)
        if r.ripeness < 2:
            study = self._study(r, menu)
            if study:
                yield study
        if r.kind == "state":
            ready = blocs_ready(r)
            if not r.view["draft"]["tabled"] and (ready or r.round >= r.rounds - 3) and r.round > self.patience:
                found = menu.first_order("table_draft")
                if found:
                    yield found
            if r.ripeness == 2:
                self.ripe_rounds.add(r.round)
            waited = len(self.ripe_rounds) > self.patience
            if r.view["draft"]["tabled"] and r.ripeness == 2 and (ready or waited):
                found = menu.first_order("call_vote")
                if found:
                    yield found
        amendment = amendment_toward_ideal(r, menu)
        if amendment:
            yield amendment
        lobby = lobby_weakest(r, menu)
        if lobby:
            yield lobby
        if r.resources["funds"] >= 10 and r.round >= r.rounds // 2:
            pooled = menu.orders("pledge_pooled_fund")
            if pooled:
                yield pooled[-1]

    def _study(self, r: Reading, menu: Menu) -> SubmitOrder | None:
        """The biggest study from an ally, a think tank if possible."""
        allies = {m for a in r.my_alliances() for m in a["members"]}
        best: tuple[bool, bool, int] | None = None
        chosen = None
        for action in menu.orders("commission_study"):
            order = action.order
            assert isinstance(order, CommissionStudy)
            rank = (order.performer not in allies, r.kind_of(order.performer) != "think_tank", -order.funds)
            if best is None or rank < best:
                best, chosen = rank, action
        return chosen
