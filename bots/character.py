"""What every character bot shares: keeping its word, judging offers, voting its interest.

A character differs in what it tries in negotiation and which orders it gives; both come
from `negotiation_moves` and `plan`, which subclasses write.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bots.base import bot_random
from bots.menu import Menu
from bots.reading import Reading
from game_rules import LegalAction, SeatAction
from game_rules.actions import (
    PUBLIC,
    AcceptOffer,
    CastVote,
    DeclineOffer,
    EndNegotiation,
    EndOrders,
    JoinAlliance,
    SendMessage,
    SubmitOrder,
)

RESOURCE_VALUE = {"capital": 1.0, "funds": 0.5, "expertise": 1.0}
PANEL_KINDS = 3
MAX_ALLIANCES = 3


class CharacterBot:
    """A seat that pursues its own objectives and keeps its pledges."""

    name = "character"
    spoils = False
    lapse = 0.15  # chance of letting a planned move pass: people (and bots) are not machines

    def __init__(self, seed: int, seat: str) -> None:
        self.seat = seat
        self.rng = bot_random(seed, seat, self.name)
        # How many rounds this player waits beyond the obvious moment: games differ.
        self.patience = self.rng.randint(0, 2)
        self._phase: tuple[int, str] = (0, "")
        self._tried: set[str] = set()

    # --- the one entry point ---------------------------------------------------------

    def act(self, view: dict[str, Any], legal: list[LegalAction]) -> SeatAction:
        """The next action for this seat, from its legal actions."""
        r = Reading(view)
        menu = Menu(legal)
        if (r.round, r.phase) != self._phase:
            self._phase = (r.round, r.phase)
            self._tried = set()
        if r.phase == "vote":
            return self.vote(r, menu)
        chosen = self._first_untried(self._moves(r, menu))
        if chosen is not None:
            return chosen
        finish = menu.one("end_negotiation") or menu.one("end_orders")
        return finish or (EndNegotiation() if r.phase == "negotiate" else EndOrders())

    def _moves(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        if r.phase == "negotiate":
            yield from self.answer_offers(r, menu)
            yield from self.answer_invitations(r, menu)
            yield from self.negotiation_moves(r, menu)
            yield from self.messages(r, menu)
        elif r.phase == "act":
            yield from self.plan(r, menu)

    def _first_untried(self, moves: Iterator[SeatAction]) -> SeatAction | None:
        for move in moves:
            key = repr(move)
            if key not in self._tried:
                self._tried.add(key)
                if self.rng.random() < self.lapse:
                    continue
                return move
        return None

    # --- what characters write ---------------------------------------------------------

    def negotiation_moves(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        """Alliances and offers this character tries while negotiating."""
        return iter(())

    def plan(self, r: Reading, menu: Menu) -> Iterator[SubmitOrder]:
        """Orders in order of preference; the first affordable ones are given."""
        return iter(())

    # --- shared judgement ----------------------------------------------------------------

    def intended_vote(self, r: Reading) -> str:
        for pledge in self.my_pledges(r, "vote"):
            return str(pledge["value"])
        return "yes" if r.wants_adoption() else "no"

    def side_choice(self, r: Reading, issue: str) -> str:
        for pledge in self.my_pledges(r, "side_issue"):
            if pledge["target"] == issue:
                return str(pledge["value"])
        stake = float(r.me["objectives"]["side_stakes"].get(issue, 0.0))
        return "yes" if stake > 0 else "no" if stake < 0 else "abstain"

    def my_pledges(self, r: Reading, kind: str) -> list[dict[str, Any]]:
        return [
            p["pledge"]
            for p in r.view.get("pledges", [])
            if p["pledger"] == r.seat and p["status"] == "pending" and p["pledge"]["kind"] == kind
        ]

    def can_keep(self, r: Reading, pledge: dict[str, Any]) -> bool:
        kind = pledge["kind"]
        if kind == "vote":
            return r.is_voter and pledge["value"] == self.intended_vote(r)
        if kind == "side_issue":
            return self.side_choice(r, pledge["target"]) in (pledge["value"], "abstain")
        if kind == "no_spoil":
            return not self.spoils or r.wants_adoption()
        if kind == "amendment":
            gap = r.gaps().get(pledge["target"], 0)
            return (gap > 0) == (pledge["value"] == "up") or gap == 0
        if kind == "join_alliance":
            return False
        return False

    def worth(self, terms: dict[str, Any]) -> float:
        return sum(RESOURCE_VALUE[k] * float(terms.get(k, 0)) for k in RESOURCE_VALUE)

    def answer_offers(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        acceptable = {a.offer for a in menu.actions("accept_offer") if isinstance(a, AcceptOffer)}
        for offer in r.view.get("offers", []):
            if offer["status"] != "open" or offer["recipient"] != r.seat:
                continue
            keepable = all(self.can_keep(r, p) for p in offer["gets"]["pledges"])
            gain = self.worth(offer["gives"]) + 0.5 * len(offer["gives"]["pledges"]) - self.worth(offer["gets"])
            if keepable and gain >= 0 and offer["id"] in acceptable:
                yield AcceptOffer(offer=offer["id"])
            else:
                yield DeclineOffer(offer=offer["id"])

    def answer_invitations(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        """Join alliances whose platform suits this seat or is close to the text: nothing about
        an alliance binds, and the entrepreneur bonus goes to members of one whose platform the
        adopted text meets."""
        if len(r.my_alliances()) >= MAX_ALLIANCES:
            return
        for alliance in r.view["alliances"]:
            if alliance["id"] not in r.view.get("invitations", []):
                continue
            platform = alliance.get("platform") or {}
            levels = r.levels
            # Worth joining if its platform suits us, or if the text is already close to the
            # platform: members share the entrepreneur bonus when the adopted text meets it.
            close = all(abs(levels[p] - target) <= 1 for p, target in platform.items())
            if r.utility({**levels, **platform}) >= r.utility() or (close and alliance["span"] >= 2):
                yield JoinAlliance(alliance=alliance["id"])

    def joint_moves(self, r: Reading, menu: Menu) -> Iterator[SubmitOrder]:
        """What every member of a cross-kind alliance does together while the time is not yet
        ripe: convene a panel. All members read the same view, so they convene in the same round."""
        if r.ripeness >= 2 or not r.wants_adoption():
            return
        for alliance in r.my_alliances():
            if alliance["span"] >= PANEL_KINDS:
                panel = menu.first_order("convene_panel", alliance=alliance["id"])
                if panel:
                    yield panel

    def messages(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        """One public statement a round, and a word to each alliance: talk is part of the game."""
        gaps = r.gaps()
        if gaps:
            pid, gap = max(gaps.items(), key=lambda item: abs(item[1]))
            name = next(p["name"] for p in r.view["draft"]["provisions"] if p["id"] == pid)
            stance = "should go further" if gap > 0 else "goes too far"
            text = f"{r.me['name']}: the text on {name} {stance}."
        else:
            text = f"{r.me['name']}: we can support the draft as it stands."
        yield SendMessage(to=PUBLIC, text=text)
        for alliance in r.my_alliances():
            if alliance["founder"] == r.seat:
                yield SendMessage(to=f"alliance:{alliance['id']}", text=f"Round {r.round}: {text}")

    def vote(self, r: Reading, menu: Menu) -> SeatAction:
        draft = self.intended_vote(r)
        wanted = {s["id"]: self.side_choice(r, s["id"]) for s in r.view["side_issues"]}
        ballots = [a for a in menu.actions("cast_vote") if isinstance(a, CastVote)]
        for ballot in ballots:
            if ballot.draft == draft and all(
                ballot.side_issues.get(k) == v for k, v in wanted.items() if v != "abstain"
            ):
                return ballot
        for ballot in ballots:
            if ballot.draft == draft:
                return ballot
        return CastVote(draft="abstain")
