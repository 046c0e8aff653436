"""Phase deadlines: what a game's meta says about its clock, and how a change moves it.

A game's meta holds its phase lengths (`durations`, JSON), the current deadline's member in
the shared sorted set (`deadline`: `<game>|<round>|<phase>`) and its time (`deadline_at`,
Unix seconds), and while paused the time that was left (`remaining`). The sorted set is
written before the commit that needs it, so a worker that dies in between leaves a member
the deadline loop drops (its round and phase no longer match), never a phase without a timer.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any

from game_rules import GameState

PHASES = ("negotiate", "act", "vote")


def durations_of(meta: dict[str, str]) -> dict[str, float]:
    """The clock's phase lengths in seconds, as stored in a game's meta."""
    return _durations(meta.get("durations", ""))


def _durations(raw: str) -> dict[str, float]:
    if not raw:
        return {}
    loaded = json.loads(raw)
    return {k: float(v) for k, v in loaded.items() if k in PHASES}


def member(game_id: str, state: GameState) -> str:
    return f"{game_id}|{state.round}|{state.phase}"


@dataclass
class Move:
    """What a phase change does to the clock: meta to set and drop, and the sorted set's
    member to add (with its time) and the old one to remove."""

    meta: dict[str, str] = field(default_factory=dict)
    unmeta: tuple[str, ...] = ()
    add: tuple[str, float] | None = None
    remove: str = ""


def after_change(game_id: str, meta: dict[str, str], before: GameState, after: GameState, now: float) -> Move | None:
    """The clock's move when a change takes the game from `before` to `after`; None if the phase
    is the same."""
    if (before.round, before.phase) == (after.round, after.phase):
        return None
    move = Move(remove=meta.get("deadline", ""))
    length = durations_of(meta).get(after.phase)
    if length is None or after.phase == "ended":
        move.unmeta = ("deadline", "deadline_at", "remaining")
        return move
    if meta.get("paused") == "1":
        # Paused: the new phase waits with its whole length left, and starts when resumed.
        move.meta = {"deadline": member(game_id, after), "remaining": f"{length:.3f}"}
        move.unmeta = ("deadline_at",)
        return move
    due = now + length
    move.meta = {"deadline": member(game_id, after), "deadline_at": f"{due:.3f}"}
    move.unmeta = ("remaining",)
    move.add = (member(game_id, after), due)
    return move


def clock_view(meta: dict[str, str]) -> dict[str, Any]:
    """The `clock` entry of every view: when the phase ends, or what is left while paused. The
    same meta gives the same object (read-only), which a view's patch passes over at once."""
    return _clock(meta.get("paused") == "1", meta.get("deadline_at"), meta.get("remaining"), meta.get("durations", ""))


@functools.lru_cache(maxsize=1024)
def _clock(paused: bool, deadline: str | None, remaining: str | None, durations: str) -> dict[str, Any]:
    return {
        "deadline": float(deadline) if deadline and not paused else None,
        "remaining": float(remaining) if remaining and paused else None,
        "paused": paused,
        "durations": _durations(durations),
    }
