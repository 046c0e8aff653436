"""The broker: horse-trades. Sells its vote and its side-issue votes, log-rolls with other
states, buys backing for the provisions it cares about, and spends what it gains lobbying and
amending toward its own ideal."""

from __future__ import annotations

from collections.abc import Iterator

from bots import talk, trading
from bots.character import CharacterBot
from bots.menu import Menu
from bots.reading import Reading
from bots.tactics import amendment_toward_ideal, consultation_venue, host_consultation, lobby_weakest, trial_balloon
from game_rules import SeatAction
from game_rules.actions import SendMessage, SubmitOrder


class Broker(CharacterBot):
    name = "broker"

    def negotiation_moves(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        pending = {o["recipient"] for o in r.open_offers("sender")}
        # Deals already struck stand until the final vote: do not sell the same thing twice.
        pending |= {p["beneficiary"] for p in r.my_pledges("vote")} | {
            p["beneficiary"] for p in r.my_pledges("side_issue")
        }
        pending |= {p["pledger"] for p in r.my_pledges("side_issue", role="beneficiary")}
        sponsors = [s for s in r.view["draft"]["sponsors"] if s != r.seat]
        voters = [s for s in r.seats if s != r.seat and r.votes(s)]
        known = talk.positions(r)
        made = 0
        strong = [i for i, s in sorted(r.stakes.items(), key=lambda kv: -kv[1]) if s >= talk.STRONG_STAKE]
        if r.is_voter and strong:
            # The sponsors need our yes: it has a price on the side issues.
            for seat in sponsors:
                if seat not in pending and trading.intended_vote(r) == "yes" and made < 2:
                    found = trading.vote_for_side_issue(r, seat, strong[0])
                    if found:
                        made += 1
                        yield found
            # Log-rolling with states that have said what they back.
            for seat in voters:
                theirs = [i for i, sign in known.get(seat, {}).items() if sign > 0 and r.stakes.get(i, 0.0) >= 0]
                if theirs and seat not in pending and made < 2 and strong[0] not in theirs:
                    found = trading.side_for_side(r, seat, strong[0], theirs[0])
                    if found:
                        made += 1
                        yield found
            if made < 2 and r.free("capital") >= 5:
                for seat in voters:
                    if seat not in pending and known.get(seat, {}).get(strong[0], 0) <= 0:
                        found = trading.capital_for_side_issue(r, seat, strong[0], 1)
                        if found:
                            yield found
                            break
            for seat in voters[:1]:
                if known.get(seat, {}).get(strong[0]) is None:
                    yield SendMessage(to=seat, text=talk.ask_side(r, strong[0]))
        # Funds its own goals need for a consultation are kept for it.
        reserve = int(r.rules.get("consultation_cost_funds", 6)) if r.unmet_ownership() else 0
        if not r.is_voter and r.free("funds") - reserve >= 4:
            # Without a vote, money buys backing for the provision this seat cares most about.
            gaps = r.gaps()
            if gaps:
                pid, gap = max(gaps.items(), key=lambda kv: abs(kv[1]) * float(r.objectives["weights"].get(kv[0], 1.0)))
                for seat in voters:
                    if seat not in pending:
                        found = trading.fund_backing(r, seat, pid, up=gap > 0, funds=2)
                        if found:
                            yield found
                            break

    def plan(self, r: Reading, menu: Menu) -> Iterator[SubmitOrder]:
        yield from self.joint_moves(r, menu)
        mine = r.my_alliances()
        if mine or r.unmet_ownership():
            # With its allies where votes are still to be won, unless its own goals want
            # ownership built somewhere: then there, with whoever comes.
            # Its own goal is worth the expertise that deepens the consultation.
            joint = mine[0]["id"] if mine else ""
            hosted = host_consultation(menu, consultation_venue(r, own=True), joint, deep=bool(r.unmet_ownership()))
            if hosted:
                yield hosted
        if r.kind in ("ngo", "think_tank") and r.ripeness < 2:
            balloon = trial_balloon(r, menu)
            if balloon:
                yield balloon
        if r.wants_adoption():
            lobby = lobby_weakest(r, menu)
            if lobby:
                yield lobby
        amendment = amendment_toward_ideal(r, menu)
        if amendment:
            yield amendment
        if r.kind == "state" and r.wants_adoption() and r.tabled and r.can_call and r.ripeness == 2:
            found = menu.first_order("call_vote")
            if found:
                yield found
