"""The norm entrepreneur: builds a cross-kind alliance, consults before tabling, calls the vote
when the time is ripe. Norway in the article."""

from __future__ import annotations

from collections.abc import Iterator

from bots.character import CharacterBot
from bots.menu import Menu
from bots.reading import Reading
from bots.tactics import amendment_toward_ideal, blocs_ready, consultation_venue, lobby_weakest
from game_rules import SeatAction
from game_rules.actions import FoundAlliance, InviteToAlliance, SubmitOrder

ALLY_KINDS = ("think_tank", "agency", "ngo", "state")


class Entrepreneur(CharacterBot):
    name = "entrepreneur"

    def negotiation_moves(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        mine = r.my_alliances()
        if not mine:
            if r.wants_adoption() or r.round <= 2:
                found = menu.one("found_alliance")
                if isinstance(found, FoundAlliance):
                    yield FoundAlliance(name=f"{r.me['name']} coalition", platform=r.ideal)
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

    def plan(self, r: Reading, menu: Menu) -> Iterator[SubmitOrder]:
        mine = r.my_alliances()
        joint = mine[0]["id"] if mine else ""
        venue = consultation_venue(r)
        if venue:
            for expertise in (2, 0):
                found = menu.first_order(
                    "host_consultation",
                    lambda o, e=expertise: o.venue == venue and o.alliance == joint and o.expertise == e,
                )
                if found:
                    yield found
                    break
        if r.ripeness < 2:
            for alliance in mine:
                if alliance["span"] >= 3:
                    panel = menu.first_order("convene_panel", lambda o, a=alliance["id"]: o.alliance == a)
                    if panel:
                        yield panel
            study = self._study(r, menu)
            if study:
                yield study
        if r.kind == "state":
            ready = blocs_ready(r)
            if not r.view["draft"]["tabled"] and (ready or r.round >= r.rounds - 3):
                found = menu.first_order("table_draft")
                if found:
                    yield found
            if r.view["draft"]["tabled"] and r.ripeness == 2 and (ready or r.round >= r.rounds - 1):
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
        allies = {m for a in r.my_alliances() for m in a["members"]}
        studies = menu.orders("commission_study")
        if not studies:
            return None
        studies.sort(key=lambda a: (a.order.performer not in allies, r.kind_of(a.order.performer) != "think_tank", -a.order.funds))
        return studies[0]
