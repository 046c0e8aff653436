"""Why an action was refused: a stable code for programs and a sentence for people.

Three families, as python-chess has three errors: the request could not be understood
(malformed), it is not allowed now (illegal), or it answers an old state (stale). The
server maps each family to its wire error in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Family = Literal["malformed", "illegal", "stale"]

CODES: dict[str, Family] = {
    "malformed_action": "malformed",
    "unknown_action": "malformed",
    "unknown_seat": "malformed",
    "unknown_provision": "malformed",
    "unknown_venue": "malformed",
    "unknown_bloc": "malformed",
    "unknown_alliance": "malformed",
    "unknown_offer": "malformed",
    "unknown_side_issue": "malformed",
    "unknown_card": "malformed",
    "invalid_amount": "malformed",
    "invalid_choice": "malformed",
    "invalid_level": "malformed",
    "message_empty": "malformed",
    "message_too_long": "malformed",
    "game_not_started": "illegal",
    "game_over": "illegal",
    "wrong_phase": "illegal",
    "already_done": "illegal",
    "not_allowed_for_kind": "illegal",
    "not_allowed_for_seat": "illegal",
    "mechanic_disabled": "illegal",
    "insufficient_resources": "illegal",
    "no_staff_left": "illegal",
    "self_target": "illegal",
    "not_a_member": "illegal",
    "already_member": "illegal",
    "not_invited": "illegal",
    "offer_not_open": "illegal",
    "draft_not_tabled": "illegal",
    "draft_already_tabled": "illegal",
    "not_a_sponsor": "illegal",
    "not_a_voter": "illegal",
    "no_such_order": "illegal",
    "level_out_of_range": "illegal",
    "stale_version": "stale",
    "internal_error": "malformed",
}


@dataclass(frozen=True)
class Rejected:
    """An action the game refused; the state is unchanged."""

    code: str
    message: str

    @property
    def family(self) -> Family:
        return CODES.get(self.code, "illegal")


def reject(code: str, message: str) -> Rejected:
    """A rejection with a code from `CODES` (asserted, so a typo fails in tests)."""
    assert code in CODES, code
    return Rejected(code=code, message=message)
