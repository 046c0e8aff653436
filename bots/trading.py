"""Horse-trading for bots: what an offer is worth to a seat, and the offers a character makes.

Values are in units of political capital: funds count half, expertise one; a pledge is worth
what it changes for the seat's objectives. Every offer built here is one the engine accepts
from this seat now (it holds what it gives, and each pledge is one its giver can make).
"""

from __future__ import annotations

from typing import Any

from bots.reading import Reading
from game_rules.actions import MakeOffer, Pledge, Terms

RESOURCE_VALUE = {"capital": 1.0, "funds": 0.5, "expertise": 1.0}
VOTE_WORTH = 3.0  # a yes (or no) on the draft, to a seat with everything riding on it
SIDE_WORTH = 5.0  # a side-issue vote, per unit of stake
RESTRAINT_WORTH = 2.5  # a promise not to spoil, to a seat that wants the text adopted
AMENDMENT_WORTH = 1.5  # a promise to back (not block or counter) an amendment
ALLIANCE_WORTH = 1.0  # a new member of another kind, to an alliance's founder
FAVOUR = 0.2  # the cost of a promise that costs the giver nothing: a favour owed
MARGIN = 0.25  # what a trade must be worth, net, before a bot takes it


def resources_worth(terms: dict[str, Any]) -> float:
    return sum(RESOURCE_VALUE[k] * float(terms.get(k, 0)) for k in RESOURCE_VALUE)


def eagerness(r: Reading) -> float:
    """How much the outcome matters to this seat, 0 to 1 (scaled from its adoption gain)."""
    return max(0.0, min(1.0, abs(r.adoption_gain()) * 8.0))


def intended_vote(r: Reading) -> str:
    """How the seat means to vote on the draft, pledges aside."""
    return "yes" if r.wants_adoption() else "no"


def intended_side_vote(r: Reading, issue: str) -> str:
    stake = r.stakes.get(issue, 0.0)
    return "yes" if stake > 0 else "no" if stake < 0 else "abstain"


def pledge_value(r: Reading, pledge: dict[str, Any]) -> float:
    """What another seat's pledge is worth to this one."""
    kind = pledge["kind"]
    if kind == "vote":
        wants = "yes" if r.wants_adoption() else "no"
        return VOTE_WORTH * eagerness(r) * (1 if pledge["value"] == wants else -1)
    if kind == "side_issue":
        stake = r.stakes.get(pledge["target"], 0.0)
        return SIDE_WORTH * stake * (1 if pledge["value"] == "yes" else -1)
    if kind == "no_spoil":
        return RESTRAINT_WORTH * eagerness(r) if r.wants_adoption() else 0.0
    if kind == "amendment":
        gap = r.gaps().get(pledge["target"], 0)
        wanted = 1 if pledge["value"] == "up" else -1
        return AMENDMENT_WORTH if gap * wanted > 0 else -AMENDMENT_WORTH if gap * wanted < 0 else 0.0
    if kind == "join_alliance":
        return ALLIANCE_WORTH
    return 0.0


def pledge_cost(r: Reading, pledge: dict[str, Any], spoils: bool) -> float | None:
    """What making a pledge costs this seat, or None if it could not keep it at any price."""
    kind = pledge["kind"]
    if kind == "vote":
        if not r.is_voter:
            return None
        return FAVOUR if pledge["value"] == intended_vote(r) else None
    if kind == "side_issue":
        if not r.is_voter:
            return None
        stake = r.stakes.get(pledge["target"], 0.0)
        against = stake if pledge["value"] == "no" else -stake
        return FAVOUR + max(0.0, SIDE_WORTH * against)
    if kind == "no_spoil":
        if not spoils:
            return FAVOUR
        return RESTRAINT_WORTH * (1.0 + eagerness(r)) if not r.wants_adoption() else RESTRAINT_WORTH * 0.6
    if kind == "amendment":
        gap = r.gaps().get(pledge["target"], 0)
        wanted = 1 if pledge["value"] == "up" else -1
        weight = float(r.objectives["weights"].get(pledge["target"], 1.0))
        return FAVOUR if gap * wanted >= 0 else FAVOUR + 2.0 * weight
    if kind == "join_alliance":
        return FAVOUR
    return None


def offer_net(r: Reading, offer: dict[str, Any], spoils: bool) -> float | None:
    """What accepting an offer made to this seat is worth to it, or None if it could not keep
    what it would promise."""
    gain = resources_worth(offer["gives"]) + sum(pledge_value(r, p) for p in offer["gives"]["pledges"])
    cost = resources_worth(offer["gets"])
    for pledge in offer["gets"]["pledges"]:
        price = pledge_cost(r, pledge, spoils)
        if price is None:
            return None
        cost += price
    return gain - cost


def holds(r: Reading, terms: Terms) -> bool:
    held = r.resources
    return terms.capital <= held["capital"] and terms.funds <= held["funds"] and terms.expertise <= held["expertise"]


def offer(r: Reading, to: str, gives: Terms, gets: Terms) -> MakeOffer | None:
    """An offer the engine will take, or None (this seat does not hold what it would give)."""
    if to == r.seat or not holds(r, gives):
        return None
    if any(p.kind in ("vote", "side_issue") for p in gets.pledges) and not r.votes(to):
        return None
    if any(p.kind in ("vote", "side_issue") for p in gives.pledges) and not r.is_voter:
        return None
    if any(p.kind == "no_spoil" for p in gets.pledges) and r.kind_of(to) not in ("state", "agency"):
        return None
    return MakeOffer(to=to, gives=gives, gets=gets)


def buy_vote(r: Reading, to: str, capital: int) -> MakeOffer | None:
    """Capital for a yes on the draft."""
    return offer(r, to, Terms(capital=capital), Terms(pledges=(Pledge("vote", "", "yes"),)))


def vote_for_side_issue(r: Reading, to: str, issue: str) -> MakeOffer | None:
    """This seat's yes on the draft for the other's yes on a side issue it cares about."""
    return offer(
        r, to, Terms(pledges=(Pledge("vote", "", "yes"),)), Terms(pledges=(Pledge("side_issue", issue, "yes"),))
    )


def sell_vote(r: Reading, to: str, capital: int) -> MakeOffer | None:
    """This seat's yes on the draft, for capital."""
    return offer(r, to, Terms(pledges=(Pledge("vote", "", "yes"),)), Terms(capital=capital))


def sell_side_vote(r: Reading, to: str, issue: str, capital: int) -> MakeOffer | None:
    """This seat's yes on another's side issue, for capital."""
    return offer(r, to, Terms(pledges=(Pledge("side_issue", issue, "yes"),)), Terms(capital=capital))


def fund_backing(r: Reading, to: str, provision: str, up: bool, funds: int) -> MakeOffer | None:
    """Funds for a promise to back (not block or counter) an amendment: what a seat without a
    vote pays a state for."""
    pledge = Pledge("amendment", provision, "up" if up else "down")
    return offer(r, to, Terms(funds=funds), Terms(pledges=(pledge,)))


def capital_for_side_issue(r: Reading, to: str, issue: str, capital: int) -> MakeOffer | None:
    return offer(r, to, Terms(capital=capital), Terms(pledges=(Pledge("side_issue", issue, "yes"),)))


def side_for_side(r: Reading, to: str, mine: str, theirs: str) -> MakeOffer | None:
    """Log-rolling: this seat's yes on the other's side issue for its yes on ours."""
    return offer(
        r,
        to,
        Terms(pledges=(Pledge("side_issue", theirs, "yes"),)),
        Terms(pledges=(Pledge("side_issue", mine, "yes"),)),
    )


def buy_restraint(r: Reading, to: str, funds: int) -> MakeOffer | None:
    """Funds for a promise not to spoil."""
    return offer(r, to, Terms(funds=funds), Terms(pledges=(Pledge("no_spoil"),)))


def sell_restraint(r: Reading, to: str, funds: int) -> MakeOffer | None:
    """A promise not to spoil, for funds: what a department guarding its turf can sell."""
    return offer(r, to, Terms(pledges=(Pledge("no_spoil"),)), Terms(funds=funds))


def buy_backing(r: Reading, to: str, provision: str, up: bool, capital: int) -> MakeOffer | None:
    """Capital for a promise to back (not block or counter) an amendment."""
    pledge = Pledge("amendment", provision, "up" if up else "down")
    return offer(r, to, Terms(capital=capital), Terms(pledges=(pledge,)))


def recruit(r: Reading, to: str, alliance: str, funds: int) -> MakeOffer | None:
    """Funds for joining an alliance (its founder invites the new member once it accepts)."""
    return offer(r, to, Terms(funds=funds), Terms(pledges=(Pledge("join_alliance", alliance),)))


def sell_expertise(r: Reading, to: str, funds: int) -> MakeOffer | None:
    return offer(r, to, Terms(expertise=1), Terms(funds=funds))


def buy_expertise(r: Reading, to: str, funds: int) -> MakeOffer | None:
    return offer(r, to, Terms(funds=funds), Terms(expertise=1))
