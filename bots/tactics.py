"""Small judgements the characters share: where to consult, whom to lobby, what to amend."""

from __future__ import annotations

from typing import Any

from bots.menu import Menu
from bots.reading import Reading
from game_rules.actions import SubmitOrder

READY_SHARE = 0.6  # the share of votes in open or supportive blocs that makes a sponsor move


def weakest_bloc(r: Reading, key: str = "disposition") -> dict[str, Any] | None:
    """The bloc with the lowest band on `key`, the biggest first among equals."""
    blocs = r.view["blocs"]
    if not blocs:
        return None
    weakest: dict[str, Any] = min(blocs, key=lambda b: (r.bloc_band(b, key), -b["votes"]))
    return weakest


def consultation_venue(r: Reading) -> str | None:
    """The venue reaching the most votes among blocs whose ownership is still low.

    Every member of an alliance reads the same view, so they pick the same venue and co-host."""
    low = {b["id"]: b["votes"] for b in r.view["blocs"] if r.bloc_band(b) < 2}
    best, best_votes = None, 0
    for venue in r.view["venues"]:
        votes = sum(low.get(b, 0) for b in venue["blocs"])
        if votes > best_votes:
            best, best_votes = venue["id"], votes
    return best


def amendment_toward_ideal(r: Reading, menu: Menu) -> SubmitOrder | None:
    """An amendment closing this seat's biggest gap between draft and ideal."""
    weights = r.me["objectives"]["weights"]
    gaps = sorted(r.gaps().items(), key=lambda item: -abs(item[1]) * weights.get(item[0], 1.0))
    for pid, gap in gaps:
        direction = 1 if gap > 0 else -1
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
