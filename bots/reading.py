"""Reading a seat's view: the small vocabulary the character bots think in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

BAND_ORDER = {"hostile": 0, "sceptical": 1, "open": 2, "supportive": 3}
RIPENESS_ORDER = {"closed": 0, "opening": 1, "ripe": 2}


@dataclass(frozen=True)
class Reading:
    """What a seat's view says, in the terms a strategy needs."""

    view: dict[str, Any]

    @property
    def me(self) -> dict[str, Any]:
        you: dict[str, Any] = self.view["you"]
        return you

    @property
    def seat(self) -> str:
        return str(self.me["seat"])

    @property
    def kind(self) -> str:
        return str(self.me["kind"])

    @property
    def phase(self) -> str:
        return str(self.view["phase"])

    @property
    def round(self) -> int:
        return int(self.view["round"])

    @property
    def rounds(self) -> int:
        return int(self.view["rounds"])

    @property
    def levels(self) -> dict[str, int]:
        return {p["id"]: p["level"] for p in self.view["draft"]["provisions"]}

    @property
    def tops(self) -> dict[str, int]:
        return {p["id"]: len(p["levels"]) - 1 for p in self.view["draft"]["provisions"]}

    @property
    def ideal(self) -> dict[str, int]:
        return dict(self.me["objectives"]["ideal"])

    @property
    def turf(self) -> dict[str, int]:
        return dict(self.me["objectives"]["turf"])

    @property
    def resources(self) -> dict[str, int]:
        return dict(self.me["resources"])

    @property
    def ripeness(self) -> int:
        return RIPENESS_ORDER[self.view["ripeness"]["band"]]

    @property
    def is_voter(self) -> bool:
        return any(s["id"] == self.seat and s["votes"] and s["kind"] == "state" for s in self.view["seats"])

    def utility(self, levels: dict[str, int] | None = None) -> float:
        """The seat's own utility for a text (1 at its ideal), as the engine scores it."""
        levels = levels if levels is not None else self.levels
        weights = self.me["objectives"]["weights"]
        tops = self.tops
        total = loss = 0.0
        for pid, ideal in self.ideal.items():
            w = weights.get(pid, 1.0)
            total += w
            loss += w * abs(levels[pid] - ideal) / (tops[pid] or 1)
        utility = 1.0 - loss / total if total else 0.5
        turf = self.turf
        if turf:
            excess = sum(max(0, levels[p] - t) / (tops[p] or 1) for p, t in turf.items()) / len(turf)
            utility = 0.5 * utility + 0.5 * (1.0 - excess)
        return utility

    def goals_met(self, adopted: bool, levels: dict[str, int] | None = None) -> float:
        """The share of this seat's goals it expects to meet if the norm is (not) adopted with
        this text; what it cannot see (side issues, legitimacy) counts as a coin toss."""
        goals = self.me["objectives"]["goals"]
        if not goals:
            return 0.5
        levels = levels if levels is not None else self.levels
        met = 0.0
        for goal in goals:
            kind, target, value = goal["kind"], goal["target"], goal["value"]
            if kind == "adopted":
                met += adopted
            elif kind == "not_adopted":
                met += not adopted
            elif kind == "provision_at_least":
                met += adopted and levels[target] >= value
            elif kind == "provision_at_most":
                met += (not adopted) or levels[target] <= value
            elif kind == "ownership_at_least":
                bloc = next((b for b in self.view["blocs"] if b["id"] == target), None)
                owned = bloc is not None and self.bloc_band(bloc) >= (2 if value >= 50 else 1)
                met += adopted and owned
            else:
                met += 0.5
        return met / len(goals)

    def outcome_value(self, adopted: bool, levels: dict[str, int] | None = None) -> float:
        """What adoption (of this text) or failure is worth to this seat, in the parts of its
        score that depend on it."""
        weights = self.view["score_weights"]
        text = self.utility(levels) if adopted else float(self.me["objectives"]["failure"])
        return float(weights["text"]) * text + float(weights["goals"]) * self.goals_met(adopted, levels)

    def wants_adoption(self) -> bool:
        """Whether the text as it stands is worth more to this seat than failure."""
        return self.outcome_value(True) > self.outcome_value(False)

    def gaps(self) -> dict[str, int]:
        """Per provision, how far (and which way) the draft is from this seat's ideal."""
        levels = self.levels
        return {pid: ideal - levels[pid] for pid, ideal in self.ideal.items() if ideal != levels[pid]}

    def bloc_band(self, bloc: dict[str, Any], key: str = "ownership") -> int:
        value = bloc.get(key)
        if isinstance(value, str):
            return BAND_ORDER.get(value, 1)
        if isinstance(value, int | float):
            return 0 if value < 35 else 1 if value < 50 else 2 if value < 65 else 3
        return 1

    def my_alliances(self) -> list[dict[str, Any]]:
        return [a for a in self.view["alliances"] if self.seat in a["members"]]

    def kind_of(self, seat: str) -> str:
        return next(str(s["kind"]) for s in self.view["seats"] if s["id"] == seat)
