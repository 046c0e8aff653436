"""Small judgements the characters share: where to consult, whom to lobby, what to amend,
what to study and whom to fund."""

from __future__ import annotations

from typing import Any

from bots import talk
from bots.menu import Menu
from bots.reading import Reading
from game_rules.actions import CommissionStudy, SubmitOrder

READY_SHARE = 0.6  # the share of votes in open or supportive blocs that makes a sponsor move


def weakest_bloc(r: Reading, key: str = "disposition") -> dict[str, Any] | None:
    """The bloc with the lowest band on `key`, the biggest first among equals."""
    blocs = r.view["blocs"]
    if not blocs:
        return None
    weakest: dict[str, Any] = min(blocs, key=lambda b: (r.bloc_band(b, key), -b["votes"]))
    return weakest


# A venue reaching what a seat's own goal wants owned outweighs any count of bloc votes.
OWN_GOAL_VOTES = 1000.0


def consultation_venue(r: Reading, own: bool = False) -> str | None:
    """The venue reaching the most votes among blocs whose ownership is still low; with `own`,
    first one reaching a bloc or constituency whose ownership this seat's goals want higher.

    Every member of an alliance reads the same view, so they pick the same venue and co-host
    (unless a member's own goals send it elsewhere)."""
    low = {b["id"]: b["votes"] for b in r.view["blocs"] if r.bloc_band(b) < 2}
    wanted = set(r.unmet_ownership()) if own else set()
    best, best_value = None, 0.0
    for venue in r.view["venues"]:
        reached = [*venue["blocs"], *venue.get("constituencies", [])]
        value = sum(low.get(b, 0) for b in venue["blocs"]) + OWN_GOAL_VOTES * len(wanted.intersection(reached))
        if value > best_value:
            best, best_value = venue["id"], value
    return best


def host_consultation(menu: Menu, venue: str | None, alliance: str, deep: bool) -> SubmitOrder | None:
    """The order hosting a consultation at `venue` (with `alliance` as co-hosts); `deep` puts
    two expertise into it when the seat has them, which widens what the consultation builds."""
    if not venue:
        return None
    for expertise in (2, 0) if deep else (0,):
        found = menu.first_order("host_consultation", venue=venue, alliance=alliance, expertise=expertise)
        if found:
            return found
    return None


def blockers_demands(r: Reading) -> dict[str, int]:
    """Per provision, the lowest level that a seat which has already stopped a vote alone (see
    `Reading.blockers`) says the text needs: what it takes to get the draft past it."""
    blockers = r.blockers()
    wanted: dict[str, int] = {}
    for seat, levels in talk.demands(r).items():
        if seat in blockers:
            for pid, level in levels.items():
                wanted[pid] = min(wanted.get(pid, level), level)
    return wanted


def amendment_toward_ideal(r: Reading, menu: Menu) -> SubmitOrder | None:
    """An amendment closing this seat's biggest gap between draft and ideal (or turf); never,
    for a seat that wants the text adopted, one past what a seat that blocked a vote asks, nor
    any step up while such a seat says the text goes too far."""
    weights = r.objectives["weights"]
    limits = r.limits()
    if r.wants_adoption():
        blocked = blockers_demands(r)
        for pid, level in blocked.items():
            limits[pid] = min(limits.get(pid, level), level)
        if any(level < r.levels[pid] for pid, level in blocked.items()):
            # The text already goes too far for a seat that can stop it: every step further
            # raises its price.
            limits = {pid: min(limit, r.levels[pid]) for pid, limit in limits.items()}
    gaps = dict(r.gaps())
    for pid, limit in limits.items():
        if r.levels[pid] > limit:
            gaps[pid] = limit - r.levels[pid]
    ranked = sorted(gaps.items(), key=lambda item: -abs(item[1]) * float(weights.get(item[0], 1.0)))
    for pid, gap in ranked:
        direction = 1 if gap > 0 else -1
        if direction > 0 and r.levels[pid] + 1 > limits.get(pid, r.tops[pid]):
            continue  # never amend a provision past what the seat's turf tolerates
        found = menu.first_order("propose_amendment", provision=pid, direction=direction)
        if found:
            return found
    return None


def lobby_weakest(r: Reading, menu: Menu) -> SubmitOrder | None:
    bloc = weakest_bloc(r)
    if bloc is None or r.bloc_band(bloc, "disposition") >= 3:
        return None
    return menu.first_order("lobby", target=bloc["id"])


def blocs_ready(r: Reading) -> bool:
    """Whether most votes sit in blocs at least open to the draft."""
    total = sum(int(b["votes"]) for b in r.view["blocs"]) or 1
    ready = sum(int(b["votes"]) for b in r.view["blocs"] if r.bloc_band(b, "disposition") >= 2)
    return ready / total >= READY_SHARE


def best_study(r: Reading, menu: Menu) -> SubmitOrder | None:
    """The biggest study from an ally, a think tank if possible; in-house for a think tank or
    agency holding a grant for one."""
    allies = r.allies()
    earmarked = any(grant["purpose"] == "study" for grant in r.me.get("grants", []))
    best: tuple[bool, bool, bool, int] | None = None
    chosen = None
    for action in menu.orders("commission_study"):
        order = action.order
        assert isinstance(order, CommissionStudy)
        in_house = order.performer == r.seat
        if in_house and not earmarked:
            continue
        rank = (not in_house, order.performer not in allies, r.kind_of(order.performer) != "think_tank", -order.funds)
        if best is None or rank < best:
            best, chosen = rank, action
    return chosen


def trial_balloon(r: Reading, menu: Menu) -> SubmitOrder | None:
    """Float the next step toward this seat's ideal on the provision it cares most about, unless
    it already has a sounding of it."""
    sounded = {(s["provision"], s["level"]) for s in r.view.get("soundings", [])}
    weights = r.objectives["weights"]
    for pid, gap in sorted(r.gaps().items(), key=lambda item: -abs(item[1]) * float(weights.get(item[0], 1.0))):
        level = r.levels[pid] + (1 if gap > 0 else -1)
        if (pid, level) not in sounded:
            found = menu.first_order("trial_balloon", provision=pid, level=level)
            if found:
                return found
    return None


def sounded_well(r: Reading, provision: str, level: int) -> bool | None:
    """Whether the blocs welcomed a level this seat (or its alliance) floated: None if unknown."""
    for sounding in r.view.get("soundings", []):
        if sounding["provision"] == provision and sounding["level"] == level:
            return sum(float(v) for v in sounding["reactions"].values()) >= 0
    return None
