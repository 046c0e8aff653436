"""The broker: horse-trades. Buys pledges with capital, sells its vote for side issues, and
spends what it gains lobbying and amending toward its own ideal."""

from __future__ import annotations

from collections.abc import Iterator

from bots.character import CharacterBot
from bots.menu import Menu
from bots.reading import Reading
from bots.tactics import amendment_toward_ideal, consultation_venue, lobby_weakest
from game_rules import SeatAction
from game_rules.actions import MakeOffer, SubmitOrder


class Broker(CharacterBot):
    name = "broker"

    def negotiation_moves(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        offers = [a for a in menu.actions("make_offer") if isinstance(a, MakeOffer)]
        pending = {o["recipient"] for o in r.view.get("offers", []) if o["sender"] == r.seat and o["status"] == "open"}
        pledged = {p["pledger"] for p in r.view.get("pledges", []) if p["beneficiary"] == r.seat}
        stakes = r.me["objectives"]["side_stakes"]
        made = 0
        for offer in offers:
            if made >= 2 or offer.to in pending or offer.to in pledged:
                continue
            wanted = [p.kind for p in offer.gets.pledges]
            if wanted == ["vote"] and r.wants_adoption() and offer.gets.pledges[0].value == "yes":
                made += 1
                yield offer
            elif wanted == ["side_issue"] and stakes.get(offer.gets.pledges[0].target, 0) > 0.3:
                keepable = not offer.gives.pledges or self.can_keep(r, {"kind": "vote", "value": "yes"})
                if keepable:
                    made += 1
                    yield offer

    def plan(self, r: Reading, menu: Menu) -> Iterator[SubmitOrder]:
        yield from self.joint_moves(r, menu)
        mine = r.my_alliances()
        if mine:
            venue = consultation_venue(r)
            found = menu.first_order("host_consultation", venue=venue, alliance=mine[0]["id"])
            if venue and found:
                yield found
        if r.wants_adoption():
            lobby = lobby_weakest(r, menu)
            if lobby:
                yield lobby
        amendment = amendment_toward_ideal(r, menu)
        if amendment:
            yield amendment
        if r.kind == "state" and r.wants_adoption() and r.view["draft"]["tabled"] and r.ripeness == 2:
            found = menu.first_order("call_vote")
            if found:
                yield found
