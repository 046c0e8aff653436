"""What every character bot shares: answering offers, invitations and private messages,
keeping its word (or breaking it when that pays), and voting its interest.

A character differs in what it tries in negotiation and which orders it gives; both come from
`negotiation_moves` and `plan`, which subclasses write.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bots import talk, trading
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
    LeaveAlliance,
    MakeOffer,
    ProposeAmendment,
    SendMessage,
    SubmitOrder,
    WithdrawOffer,
)

PANEL_KINDS = 3
MAX_ALLIANCES = 2
BREAK_COST = 1.5  # score points a broken pledge costs in credibility (10 credibility at weight 0.15)


class CharacterBot:
    """A seat that pursues its own objectives, talks, trades and (mostly) keeps its pledges."""

    name = "character"
    spoils = False  # whether this character spoils in the HQ loop
    lapse = 0.12  # chance of letting a planned move pass: people (and bots) are not machines

    def __init__(self, seed: int, seat: str) -> None:
        self.seat = seat
        self.rng = bot_random(seed, seat, self.name)
        # How many rounds this player waits beyond the obvious moment: games differ.
        self.patience = self.rng.randint(0, 2)
        self._phase: tuple[int, str] = (0, "")
        self._tried: set[str] = set()
        self._answered: set[int] = set()
        self._said = ""

    # --- the one entry point ---------------------------------------------------------

    def act(self, view: dict[str, Any], legal: list[LegalAction]) -> SeatAction:
        """The next action for this seat, from its legal actions (an offer or a message's
        terms and text filled in)."""
        r = Reading(view)
        menu = Menu(legal)
        if (r.round, r.phase) != self._phase:
            self._phase = (r.round, r.phase)
            self._tried = set()
        if r.phase == "vote":
            return self.vote(r, menu)
        chosen = self._first_untried(r, self._moves(r, menu), menu)
        if chosen is not None:
            return chosen
        finish = menu.one("end_negotiation") or menu.one("end_orders")
        return finish or (EndNegotiation() if r.phase == "negotiate" else EndOrders())

    def _moves(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        if r.phase == "negotiate":
            yield from self.answer_offers(r, menu)
            yield from self.answer_invitations(r, menu)
            yield from self.answer_messages(r, menu)
            yield from self.withdraw_stale_offers(r, menu)
            yield from self.explain_vote(r, menu)
            yield from self.negotiation_moves(r, menu)
            yield from self.leave_alliances(r, menu)
            yield from self.messages(r, menu)
        elif r.phase == "act":
            yield from self.plan(r, menu)

    def _first_untried(self, r: Reading, moves: Iterator[SeatAction], menu: Menu) -> SeatAction | None:
        trading_open = bool(menu.actions("make_offer"))
        for move in moves:
            key = repr(move)
            if key in self._tried:
                continue
            if isinstance(move, MakeOffer) and not trading_open:
                continue  # horse-trading is switched off in this game
            if counters_own_pledge(r, move):
                continue  # a promise to back an amendment is kept: breaking it costs credibility
            self._tried.add(key)
            # Answers are given and promises kept; plans may lapse.
            answer = isinstance(move, AcceptOffer | DeclineOffer | SendMessage) or keeps_promise(r, move)
            if not answer and self.rng.random() < self.lapse:
                continue
            return move
        return None

    # --- what characters write ---------------------------------------------------------

    def negotiation_moves(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        """Alliances, asks and offers this character tries while negotiating."""
        return iter(())

    def plan(self, r: Reading, menu: Menu) -> Iterator[SubmitOrder]:
        """Orders in order of preference; the first affordable ones are given."""
        return iter(())

    def proposal(self, r: Reading, asker: str, asked: talk.Ask, issue: str) -> MakeOffer | None:
        """The offer this seat makes to someone who asked it something, if any."""
        if asked == "vote" and r.is_voter and r.wants_adoption():
            wanted = self.wanted_issue(r, asker)
            if wanted:
                return trading.vote_for_side_issue(r, asker, wanted)
            return trading.sell_vote(r, asker, 2)
        if asked == "side" and issue and r.is_voter and r.stakes.get(issue, 0.0) >= 0:
            wanted = self.wanted_issue(r, asker, exclude=issue)
            if wanted:
                return trading.side_for_side(r, asker, wanted, issue)
            return trading.sell_side_vote(r, asker, issue, 1)
        return None

    # --- shared judgement ----------------------------------------------------------------

    def wanted_issue(self, r: Reading, other: str, exclude: str = "") -> str:
        """The side issue this seat most wants another's vote on (if the other votes)."""
        if not r.votes(other):
            return ""
        known = talk.positions(r).get(other, {})
        ranked = sorted(
            (i for i, s in r.stakes.items() if s >= talk.STRONG_STAKE and i != exclude and known.get(i, 0) <= 0),
            key=lambda i: -r.stakes[i],
        )
        return ranked[0] if ranked else ""

    def intended_vote(self, r: Reading) -> str:
        pledged = [p["pledge"]["value"] for p in r.my_pledges("vote")]
        mine = trading.intended_vote(r)
        if not pledged:
            return mine
        # A pledge is kept unless breaking it pays: the outcome must be worth more than the
        # credibility it costs.
        if pledged[0] != mine and abs(r.adoption_gain()) * 100 > BREAK_COST * 2 and self.breaks_pledges(r):
            return mine
        return str(pledged[0])

    def breaks_pledges(self, r: Reading) -> bool:
        """Whether this character will break a pledge when that pays."""
        return False

    def side_choice(self, r: Reading, issue: str) -> str:
        for record in r.my_pledges("side_issue"):
            if record["pledge"]["target"] == issue:
                return str(record["pledge"]["value"])
        return trading.intended_side_vote(r, issue)

    def answer_offers(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        acceptable = {a.offer for a in menu.actions("accept_offer") if isinstance(a, AcceptOffer)}
        for offer in r.open_offers("recipient"):
            net = trading.offer_net(r, offer, self.spoils)
            if net is not None and net >= trading.MARGIN and offer["id"] in acceptable:
                yield AcceptOffer(offer=offer["id"])
            else:
                yield DeclineOffer(offer=offer["id"])

    def answer_invitations(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        """Join an alliance this seat promised to join, or one whose platform suits it: nothing
        about an alliance binds, and its members share the entrepreneur bonus."""
        promised = {p["pledge"]["target"] for p in r.my_pledges("join_alliance")}
        for alliance in r.view["alliances"]:
            if alliance["id"] not in r.view.get("invitations", []):
                continue
            if alliance["id"] in promised:
                yield JoinAlliance(alliance=alliance["id"])
                continue
            if len(r.my_alliances()) >= MAX_ALLIANCES:
                continue
            platform = alliance.get("platform") or {}
            close = all(abs(r.levels[p] - target) <= 1 for p, target in platform.items())
            if r.utility({**r.levels, **platform}) >= r.utility() or (close and alliance["span"] >= 2):
                yield JoinAlliance(alliance=alliance["id"])

    def answer_messages(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        """Every private message gets a private answer in the same round, and an offer when
        the sender asked for something this seat can give."""
        for message in r.private_messages():
            number = talk.message_key(message)
            if number in self._answered:
                continue
            self._answered.add(number)
            sender = str(message["sender"])
            asked, issue = talk.ask_of(r, str(message["text"]))
            proposal = self.proposal(r, sender, asked, issue) if menu.actions("make_offer") else None
            answer = "We are sending you an offer." if proposal else ""
            yield SendMessage(to=sender, text=talk.reply(r, asked, issue, answer))
            if proposal:
                yield proposal

    def explain_vote(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        """After stopping a vote on its own (a veto, an objection), say in public, first thing
        in the next round, what the text would need: the others cannot meet a price they do not
        hear."""
        votes = r.view["votes"]
        if not votes or votes[-1]["adopted"] or votes[-1]["round"] != r.round - 1:
            return
        if r.seat in r.stopped_by(votes[-1]):
            yield SendMessage(to=PUBLIC, text=talk.explanation(r))

    def withdraw_stale_offers(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        """Withdraw offers to seats that have finished negotiating: they will not answer."""
        for offer in r.open_offers("sender"):
            if r.is_done(offer["recipient"]):
                yield WithdrawOffer(offer=offer["id"])

    def leave_alliances(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        """Leave an alliance (founded by another) whose platform this seat now finds worse than
        the text as it stands."""
        promised = {p["pledge"]["target"] for p in r.my_pledges("join_alliance")}
        for alliance in r.my_alliances():
            platform = alliance.get("platform") or {}
            worse = platform and r.utility({**r.levels, **platform}) < r.utility() - 0.15
            if alliance["founder"] != r.seat and worse and alliance["id"] not in promised:
                yield LeaveAlliance(alliance=alliance["id"])

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
        """A public statement whenever this seat's stance changes, and a word to each alliance
        it founded."""
        text = talk.statement(r)
        if text != self._said:
            self._said = text
            yield SendMessage(to=PUBLIC, text=text)
        for alliance in r.my_alliances():
            if alliance["founder"] == r.seat and r.round % 2 == 1:
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


def counters_own_pledge(r: Reading, move: SeatAction) -> bool:
    """Whether an order proposes an amendment against one this seat has pledged to back."""
    if not (isinstance(move, SubmitOrder) and isinstance(move.order, ProposeAmendment)):
        return False
    for record in r.my_pledges("amendment"):
        wanted = 1 if record["pledge"]["value"] == "up" else -1
        if record["pledge"]["target"] == move.order.provision and move.order.direction == -wanted:
            return True
    return False


def keeps_promise(r: Reading, move: SeatAction) -> bool:
    """Whether a move joins an alliance this seat was paid to join."""
    return isinstance(move, JoinAlliance) and any(
        p["pledge"]["target"] == move.alliance for p in r.my_pledges("join_alliance")
    )
