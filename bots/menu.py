"""A seat's legal actions, sorted so a strategy can ask for "a lobby of bloc X" by name."""

from __future__ import annotations

from typing import Any

from game_rules import LegalAction, SeatAction
from game_rules.actions import SubmitOrder


class Menu:
    """The legal actions of one decision, indexed by action type and by order type."""

    def __init__(self, legal: list[LegalAction]) -> None:
        self.legal = legal
        self.by_type: dict[str, list[LegalAction]] = {}
        index = self.by_type
        for item in legal:
            action = item.action
            key = "order:" + action.order.type if type(action) is SubmitOrder else action.type
            found = index.get(key)
            if found is None:
                index[key] = [item]
            else:
                found.append(item)

    def actions(self, kind: str) -> list[SeatAction]:
        """Every legal action of this type (e.g. "accept_offer")."""
        return [item.action for item in self.by_type.get(kind, [])]

    def orders(self, kind: str, **fields: Any) -> list[SubmitOrder]:
        """Every legal submission of an order of this type whose fields equal those given."""
        out = []
        for item in self.by_type.get(f"order:{kind}", []):
            assert isinstance(item.action, SubmitOrder)
            order = item.action.order
            if all(getattr(order, name, None) == value for name, value in fields.items()):
                out.append(item.action)
        return out

    def first_order(self, kind: str, **fields: Any) -> SubmitOrder | None:
        """The first legal submission of such an order, or None."""
        found = self.orders(kind, **fields)
        return found[0] if found else None

    def one(self, kind: str) -> SeatAction | None:
        found = self.actions(kind)
        return found[0] if found else None
