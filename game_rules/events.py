"""Events: what happened, told to whom. The engine emits them; the server numbers and sends them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

EventKind = Literal[
    "game_started",
    "phase_changed",
    "message",
    "offer_made",
    "offer_accepted",
    "offer_declined",
    "offer_withdrawn",
    "offer_expired",
    "alliance_founded",
    "alliance_invitation",
    "alliance_joined",
    "alliance_left",
    "seat_done",
    "order_submitted",
    "order_withdrawn",
    "linked_move",
    "grant",
    "pooled_fund",
    "secondment",
    "study",
    "panel",
    "panel_failed",
    "consultation",
    "trial_balloon",
    "lobbying",
    "draft_tabled",
    "amendment",
    "amendment_blocked",
    "watered_down",
    "spoiler_exposed",
    "vote_called",
    "vote_delayed",
    "vote_call_joined",
    "order_failed",
    "ballot_cast",
    "vote_result",
    "side_issue_result",
    "pledge_broken",
    "scenario_event",
    "round_ended",
    "game_ended",
    "game_paused",
    "game_resumed",
    "deadline_extended",
    "seat_reissued",
    "game_rolled_back",
    "joining_locked",
    "joining_unlocked",
    "bot_seated",
    "bot_unseated",
]


@dataclass(frozen=True)
class Event:
    """One thing that happened. An empty audience means everyone; otherwise only those seats
    (and the facilitator) may see it until the game ends."""

    kind: EventKind
    round: int
    text: str
    audience: tuple[str, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def is_public(self) -> bool:
        return not self.audience

    def is_visible_to(self, seat: str) -> bool:
        return not self.audience or seat in self.audience
