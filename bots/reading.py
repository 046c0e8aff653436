"""Reading a seat's view: the small vocabulary the character bots think in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

BAND_ORDER = {"hostile": 0, "sceptical": 1, "open": 2, "supportive": 3}
RIPENESS_ORDER = {"closed": 0, "opening": 1, "ripe": 2}


@dataclass(frozen=True)
class Reading:
    """What a seat's view says, in the terms a strategy needs."""

    view: dict[str, Any]

    @cached_property
    def me(self) -> dict[str, Any]:
        you: dict[str, Any] = self.view["you"]
        return you

    @cached_property
    def seat(self) -> str:
        return str(self.me["seat"])

    @property
    def name(self) -> str:
        return str(self.me["name"])

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
    def rules(self) -> dict[str, Any]:
        rules: dict[str, Any] = self.view.get("rules", {})
        return rules

    @cached_property
    def levels(self) -> dict[str, int]:
        return {p["id"]: p["level"] for p in self.view["draft"]["provisions"]}

    @cached_property
    def tops(self) -> dict[str, int]:
        return {p["id"]: len(p["levels"]) - 1 for p in self.view["draft"]["provisions"]}

    @cached_property
    def objectives(self) -> dict[str, Any]:
        objectives: dict[str, Any] = self.me["objectives"]
        return objectives

    @property
    def ideal(self) -> dict[str, int]:
        return dict(self.objectives["ideal"])

    @property
    def turf(self) -> dict[str, int]:
        return dict(self.objectives["turf"])

    @property
    def stakes(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.objectives["side_stakes"].items()}

    @property
    def resources(self) -> dict[str, int]:
        return dict(self.me["resources"])

    def free(self, resource: str) -> int:
        """What the seat holds of a resource beyond what its pending orders reserve."""
        return int(self.me["resources"][resource]) - int(self.me["reserved"].get(resource, 0))

    @property
    def ripeness(self) -> int:
        return RIPENESS_ORDER[self.view["ripeness"]["band"]]

    @property
    def tabled(self) -> bool:
        return bool(self.view["draft"]["tabled"])

    @property
    def can_call(self) -> bool:
        """Whether a vote called now would not be refused as the reconsideration of a text
        rejected unchanged (an amendment this round would change that, but is not certain)."""
        votes = self.view["votes"]
        return not votes or votes[-1]["adopted"] or votes[-1]["levels"] != self.levels

    @cached_property
    def seats(self) -> dict[str, dict[str, Any]]:
        return {s["id"]: s for s in self.view["seats"]}

    @property
    def is_voter(self) -> bool:
        return self.votes(self.seat)

    def votes(self, seat: str) -> bool:
        """Whether a seat has a vote in this body."""
        spec = self.seats[seat]
        return bool(spec["votes"]) and spec["kind"] == "state"

    def kind_of(self, seat: str) -> str:
        return str(self.seats[seat]["kind"])

    def is_done(self, seat: str) -> bool:
        return bool(self.seats[seat]["done"])

    def utility(self, levels: dict[str, int] | None = None) -> float:
        """The seat's own value for a text (1 at its ideal), as the engine scores it."""
        levels = levels if levels is not None else self.levels
        weights = self.objectives["weights"]
        tops = self.tops
        total = loss = 0.0
        for pid, ideal in self.ideal.items():
            w = weights.get(pid, 1.0)
            total += w
            loss += w * abs(levels[pid] - ideal) / (tops[pid] or 1)
        utility = 1.0 - loss / total if total else 0.5
        turf = self.turf
        if turf:
            share = float(self.rules.get("agency_turf_share", 0.5))
            excess = sum(max(0, levels[p] - t) / (tops[p] or 1) for p, t in turf.items()) / len(turf)
            utility = (1.0 - share) * utility + share * (1.0 - excess)
        return utility

    def goals_met(self, adopted: bool, levels: dict[str, int] | None = None) -> float:
        """The share of this seat's goals it expects to meet if the norm is (not) adopted with
        this text; what it cannot see counts as a coin toss."""
        goals = self.objectives["goals"]
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
                met += adopted and self.owned(target, value)
            elif kind == "side_issue":
                met += self.side_outlook(target) == (value > 0)
            else:
                met += 0.5 if adopted else 0.0
        return met / len(goals)

    def outcome_value(self, adopted: bool, levels: dict[str, int] | None = None) -> float:
        """What adoption (of this text) or failure is worth to this seat, in the parts of its
        score that depend on it."""
        weights = self.view["score_weights"]
        text = self.utility(levels) if adopted else float(self.objectives["failure"])
        return float(weights["text"]) * text + float(weights["goals"]) * self.goals_met(adopted, levels)

    def adoption_gain(self, levels: dict[str, int] | None = None) -> float:
        """How much more adoption of this text is worth than failure (negative: failure is better)."""
        if levels is None:
            return self._gain_now
        return self.outcome_value(True, levels) - self.outcome_value(False, levels)

    @cached_property
    def _gain_now(self) -> float:
        return self.outcome_value(True) - self.outcome_value(False)

    def wants_adoption(self) -> bool:
        """Whether the text as it stands is worth more to this seat than failure."""
        return self.adoption_gain() > 0

    def gaps(self) -> dict[str, int]:
        """Per provision, how far (and which way) the draft is from this seat's ideal."""
        levels = self.levels
        return {pid: ideal - levels[pid] for pid, ideal in self.ideal.items() if ideal != levels[pid]}

    def limits(self) -> dict[str, int]:
        """The highest level of each provision this seat can live with (its ideal, or its turf)."""
        limits = dict(self.ideal)
        for pid, level in self.turf.items():
            limits[pid] = min(limits.get(pid, level), level)
        return limits

    def owned(self, target: str, value: float) -> bool:
        """Whether a bloc's or a constituency's ownership looks at least `value` from the view
        (a band reads as its lower edge; what the view does not show counts as met)."""
        entries = [*self.view["blocs"], *self.view.get("constituencies", [])]
        entry = next((e for e in entries if e["id"] == target), None)
        if entry is None or entry.get("ownership") is None:
            return True
        if isinstance(entry["ownership"], int | float):
            return float(entry["ownership"]) >= value
        return self.bloc_band(entry) >= (2 if value >= 50 else 1)

    def unmet_ownership(self) -> list[str]:
        """The blocs and constituencies whose ownership this seat's goals want higher than it is."""
        return [
            g["target"]
            for g in self.objectives["goals"]
            if g["kind"] == "ownership_at_least" and not self.owned(g["target"], g["value"])
        ]

    def bloc_band(self, bloc: dict[str, Any], key: str = "ownership") -> int:
        value = bloc.get(key)
        if isinstance(value, str):
            return BAND_ORDER.get(value, 1)
        if isinstance(value, int | float):
            bands = self.rules.get("disposition_bands", (35, 50, 65))
            return sum(value >= edge for edge in bands)
        return 1

    def side_outlook(self, issue: str) -> bool | None:
        """How a side issue stands: its result once settled, else the blocs' leaning now."""
        for entry in self.view["side_issues"]:
            if entry["id"] == issue:
                result = entry.get("result")
                return bool(result) if result is not None else entry.get("outlook")
        return None

    def stopped_by(self, vote: dict[str, Any]) -> set[str]:
        """The seats that stopped a vote on the draft on their own: the permanent members that
        vetoed it. (Under consensus every no objects, and the sponsor already bargains with
        the objectors one by one; under a majority rule no single no stops a vote.)"""
        return set() if vote["adopted"] else set(vote["vetoes"])

    def blockers(self) -> set[str]:
        """The other seats that have stopped a vote on the draft on their own."""
        return {seat for vote in self.view["votes"] for seat in self.stopped_by(vote)} - {self.seat}

    def my_alliances(self) -> list[dict[str, Any]]:
        return [a for a in self.view["alliances"] if self.seat in a["members"]]

    def allies(self) -> set[str]:
        return {m for a in self.my_alliances() for m in a["members"]} - {self.seat}

    def my_pledges(self, kind: str, role: str = "pledger") -> list[dict[str, Any]]:
        """Pending pledges of a kind this seat made (role "pledger") or holds ("beneficiary")."""
        return [
            p
            for p in self.view.get("pledges", [])
            if p[role] == self.seat and p["status"] == "pending" and p["pledge"]["kind"] == kind
        ]

    def open_offers(self, role: str) -> list[dict[str, Any]]:
        """Open offers this seat sent (role "sender") or received ("recipient")."""
        return [o for o in self.view.get("offers", []) if o[role] == self.seat and o["status"] == "open"]

    def messages(self) -> list[dict[str, Any]]:
        """Every message this seat may read in its view's window, oldest first (views keep
        the public ones apart from its private and alliance ones)."""
        return sorted([*self.view["messages"], *self.view.get("private_messages", [])], key=lambda m: m["number"])

    def private_messages(self) -> list[dict[str, Any]]:
        """Private messages to this seat this round, oldest first."""
        return [m for m in self.view.get("private_messages", []) if m["to"] == self.seat and m["round"] == self.round]

    def provision_name(self, provision: str) -> str:
        return next(str(p["name"]) for p in self.view["draft"]["provisions"] if p["id"] == provision)

    def wording(self, provision: str, level: int) -> str:
        p = next(p for p in self.view["draft"]["provisions"] if p["id"] == provision)
        return str(p["levels"][level])

    def issue_name(self, issue: str) -> str:
        return next(str(s["name"]) for s in self.view["side_issues"] if s["id"] == issue)
