"""The norm entrepreneur: builds a cross-kind alliance, consults before tabling, pays for
studies and for the restraint of those who could spoil, asks for votes, calls the vote when
the time is ripe. Norway in the article; NUPI or an advocate department in its alliance."""

from __future__ import annotations

from collections.abc import Iterator

from bots import talk, trading
from bots.character import CharacterBot
from bots.menu import Menu
from bots.reading import Reading
from bots.tactics import (
    amendment_toward_ideal,
    best_study,
    blockers_demands,
    blocs_ready,
    consultation_venue,
    host_consultation,
    lobby_weakest,
    sounded_well,
    trial_balloon,
)
from game_rules import SeatAction
from game_rules.actions import (
    FoundAlliance,
    InviteToAlliance,
    PledgePooledFund,
    ProposeAmendment,
    SendMessage,
    SubmitOrder,
)

ALLY_KINDS = ("think_tank", "agency", "ngo", "state")
RICH = 12  # funds from which a donor grants money for others' studies
COMPROMISE = 0.12  # how much of its own utility a sponsor gives up for one step toward an objector


class Entrepreneur(CharacterBot):
    name = "entrepreneur"

    def __init__(self, seed: int, seat: str) -> None:
        super().__init__(seed, seat)
        self.ripe_rounds: set[int] = set()  # while the window is open, waiting costs
        self.granted = False
        self.seconded = False

    # --- negotiation ---------------------------------------------------------------------

    def negotiation_moves(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        yield from self._alliance(r, menu)
        if r.kind == "state" and r.wants_adoption():
            yield from self._canvass(r)
        yield from self._trades(r)

    def _alliance(self, r: Reading, menu: Menu) -> Iterator[SeatAction]:
        mine = [a for a in r.my_alliances() if a["founder"] == r.seat]
        if not r.my_alliances():
            # In the first round, wait for an invitation if someone else has already founded one.
            founding = (r.wants_adoption() or r.round <= 2) and not (r.round == 1 and r.view["alliances"])
            if founding and menu.one("found_alliance"):
                yield FoundAlliance(name=f"{r.name} coalition"[-80:], platform=self.platform(r))
            return
        for holder in r.my_pledges("join_alliance", role="beneficiary"):
            invite = InviteToAlliance(alliance=holder["pledge"]["target"], seat=holder["pledger"])
            if invite in menu.actions("invite_to_alliance"):
                yield invite
        if not mine:
            return
        alliance = mine[0]
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
        # An invited seat of a kind the alliance lacks is worth paying to come in.
        for seat in sorted(invited):
            if r.kind_of(seat) not in kinds and r.free("funds") >= 6:
                found = trading.recruit(r, seat, alliance["id"], 2)
                if found:
                    yield found
                    break

    def _canvass(self, r: Reading) -> Iterator[SeatAction]:
        """Ask the voting states in doubt for their yes, and buy the yes of those who sell it."""
        if not r.tabled and r.round < r.rounds // 3:
            return
        voters = [s for s in r.seats if s != r.seat and r.votes(s)]
        pledged = {p["pledger"] for p in r.my_pledges("vote", role="beneficiary")}
        asked = 0
        for seat in voters:
            if seat in pledged or asked >= 2:
                continue
            asked += 1
            yield SendMessage(to=seat, text=talk.ask_vote(r))
        if r.tabled and r.free("capital") >= 4:
            for seat in voters:
                if seat not in pledged and seat not in r.allies():
                    found = trading.buy_vote(r, seat, 2)
                    if found:
                        yield found
                        break

    def _trades(self, r: Reading) -> Iterator[SeatAction]:
        """Restraint from the departments and states that could spoil; expertise where it is short."""
        if r.tabled and r.wants_adoption() and r.free("funds") >= 6:
            restrained = {p["pledger"] for p in r.my_pledges("no_spoil", role="beneficiary")}
            for seat in r.seats:
                if seat != r.seat and r.kind_of(seat) == "agency" and seat not in restrained and seat not in r.allies():
                    found = trading.buy_restraint(r, seat, 3)
                    if found:
                        yield found
                        break
        if r.kind in ("think_tank", "agency") and r.free("expertise") >= 3:
            for seat in sorted(r.allies()):
                if r.kind_of(seat) == "state":
                    found = trading.sell_expertise(r, seat, 2)
                    if found:
                        yield found
                        break
        if r.kind == "state" and r.free("expertise") < 1 and r.free("funds") >= 4:
            for seat in sorted(r.allies()):
                if r.kind_of(seat) in ("think_tank", "agency"):
                    found = trading.buy_expertise(r, seat, 2)
                    if found:
                        yield found
                        break
        for issue, stake in sorted(r.stakes.items(), key=lambda kv: -kv[1]):
            if stake >= talk.STRONG_STAKE and r.is_voter:
                for seat in sorted(r.allies()):
                    if r.votes(seat):
                        yield SendMessage(to=seat, text=talk.ask_side(r, issue))
                        break
                break

    def platform(self, r: Reading) -> dict[str, int]:
        """A platform others can sign: the text as it stands on the provisions this seat cares
        about (an adopted text within the platform's tolerance of it earns the alliance its bonus)."""
        return {pid: r.levels[pid] for pid in r.ideal}

    # --- orders ----------------------------------------------------------------------------

    def plan(self, r: Reading, menu: Menu) -> Iterator[SubmitOrder]:
        mine = r.my_alliances()
        joint = mine[0]["id"] if mine else ""
        hosted = host_consultation(menu, consultation_venue(r, own=True), joint, deep=True)
        if hosted:
            yield hosted
        yield from self.joint_moves(r, menu)
        if r.ripeness < 2:
            study = best_study(r, menu)
            if study:
                yield study
            if r.kind in ("think_tank", "ngo"):
                balloon = trial_balloon(r, menu)
                if balloon:
                    yield balloon
        if r.kind == "state":
            yield from self.formal_moves(r, menu)
        yield from self.support(r, menu)
        deal = self.compromise(r, menu)
        yield from deal
        amendment = amendment_toward_ideal(r, menu)
        if amendment and not deal and self._welcome(r, amendment):
            yield amendment
        lobby = lobby_weakest(r, menu)
        if lobby:
            yield lobby
        pledge = pooled_fund_pledge(r, menu)
        if pledge:
            yield pledge

    def formal_moves(self, r: Reading, menu: Menu) -> Iterator[SubmitOrder]:
        """Table once the blocs are ready (or time is short); call the vote when it is ripe."""
        ready = blocs_ready(r)
        if not r.tabled and (ready or r.round >= r.rounds - 3) and r.round > self.patience:
            found = menu.first_order("table_draft")
            if found:
                yield found
        if r.ripeness == 2:
            self.ripe_rounds.add(r.round)
        waited = len(self.ripe_rounds) > self.patience
        if r.tabled and r.can_call and r.ripeness == 2 and (ready or waited):
            found = menu.first_order("call_vote")
            if found:
                yield found

    def compromise(self, r: Reading, menu: Menu) -> list[SubmitOrder]:
        """Amendments toward what voting states not yet won over said the text needs, if the
        text would still be worth adopting to this seat: the price of consensus. The price a
        seat that stopped a vote alone named is paid in full, every provision at once (without
        it there is no text); otherwise one step, the most asked for, a round."""
        if not (r.tabled or r.ripeness >= 1):
            return []
        levels = dict(r.levels)
        paid: list[SubmitOrder] = []
        for pid, level in sorted(blockers_demands(r).items()):
            if level < levels[pid]:
                after = {**levels, pid: levels[pid] - 1}
                found = menu.first_order("propose_amendment", provision=pid, direction=-1)
                if found and r.adoption_gain(after) > 0:
                    levels = after
                    paid.append(found)
        if paid:
            return paid
        secured = {p["pledger"] for p in r.my_pledges("vote", role="beneficiary")}
        asked: dict[tuple[str, int], int] = {}
        for seat, wants in talk.demands(r, conditions_only=True).items():
            if not r.votes(seat) or seat in secured:
                continue
            for pid, level in wants.items():
                if level != r.levels[pid]:
                    move = (pid, 1 if level > r.levels[pid] else -1)
                    asked[move] = asked.get(move, 0) + 1
        for (pid, direction), _ in sorted(asked.items(), key=lambda kv: (-kv[1], kv[0])):
            after = {**r.levels, pid: r.levels[pid] + direction}
            if r.adoption_gain(after) > 0 and r.utility(after) >= r.utility() - COMPROMISE:
                found = menu.first_order("propose_amendment", provision=pid, direction=direction)
                if found:
                    return [found]
        return []

    def _welcome(self, r: Reading, amendment: SubmitOrder) -> bool:
        """Whether a trial balloon of this amendment (if anyone floated one) did not go down badly."""
        order = amendment.order
        assert isinstance(order, ProposeAmendment)
        return sounded_well(r, order.provision, r.levels[order.provision] + order.direction) is not False

    def support(self, r: Reading, menu: Menu) -> Iterator[SubmitOrder]:
        """A donor's money and people for its allies: a grant for a study, seconded staff."""
        allies = sorted(r.allies())
        if not allies:
            return
        if not self.granted and r.free("funds") >= RICH and r.ripeness < 2:
            for seat in allies:
                if r.kind_of(seat) in ("think_tank", "agency"):
                    found = menu.first_order("grant", to=seat, purpose="study", amount=5)
                    if found:
                        self.granted = True
                        yield found
                        break
        if not self.seconded and r.free("funds") >= RICH:
            linked = set(r.me["links"])
            for seat in allies:
                if seat not in linked and r.kind_of(seat) != "state":
                    found = menu.first_order("second_staff", to=seat)
                    if found:
                        self.seconded = True
                        yield found
                        break


def pooled_fund_pledge(r: Reading, menu: Menu) -> SubmitOrder | None:
    """Money into the pooled fund once a vote may come (the text tabled and ripe), so that an
    adopted norm is not skin deep: the largest standard amount within half the free funds."""
    if not (r.tabled and r.ripeness == 2):
        return None
    affordable = [
        o
        for o in menu.orders("pledge_pooled_fund")
        if isinstance(o.order, PledgePooledFund) and 2 * o.order.amount <= r.free("funds")
    ]
    return affordable[-1] if affordable else None
