"""One round's orders in play: who gave what, in the seeded order, and paying for them.

The resolution steps (`wide_arena`, `narrow_arena`) share this working set; it draws the
seats' order once from the game's generator, so every tie is broken by the seed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from game_rules.actions import Order
from game_rules.events import Event
from game_rules.orders import order_cost
from game_rules.scenario import Scenario
from game_rules.state import DraftChange, GameState


@dataclass(frozen=True)
class Given:
    seat: str
    order: Order


class RoundOrders:
    """One resolution's working set: the orders in play, the seat order, and the events."""

    def __init__(self, scenario: Scenario, state: GameState, events: list[Event]) -> None:
        self.scenario = scenario
        self.state = state
        self.events = events
        order = state.shuffle(list(scenario.seat_ids))
        self.given = [Given(seat, o) for seat in order for o in state.seats[seat].orders]
        self.amended: dict[str, tuple[str, int, DraftChange]] = {}  # provision -> proposer, direction, move

    def of(self, *kinds: type) -> Iterator[Given]:
        return (g for g in self.given if isinstance(g.order, kinds))

    def name(self, seat: str) -> str:
        return self.scenario.seat(seat).name

    def emit(self, kind: str, text: str, audience: tuple[str, ...] = (), **detail: object) -> None:
        self.events.append(
            Event(kind=kind, round=self.state.round, text=text, audience=audience, detail=dict(detail))  # type: ignore[arg-type]
        )

    def pay(self, seat: str, capital: int = 0, funds: int = 0, expertise: int = 0) -> bool:
        """Charge a seat, or charge nothing and say so if it cannot pay in full."""
        live = self.state.seats[seat]
        if live.capital < capital or live.funds < funds or live.expertise < expertise:
            self.emit("order_failed", f"{self.name(seat)} could not pay for an order.", (seat,), seat=seat)
            return False
        live.capital -= capital
        live.funds -= funds
        live.expertise -= expertise
        return True

    def charge(self, seat: str, order: Order) -> bool:
        cost = order_cost(self.scenario, order)
        return self.pay(seat, cost.capital, cost.funds, cost.expertise)

    def use_earmarks(self, seat: str, purpose: str, amount: int) -> None:
        """Count funds a seat spent on `purpose` against its earmarked grants, oldest first."""
        earmarks = self.state.seats[seat].earmarks
        for key in sorted(earmarks, key=lambda k: int(k.rsplit("|", 1)[1])):
            if amount <= 0:
                break
            if key.split("|")[1] != purpose:
                continue
            used = min(amount, earmarks[key])
            earmarks[key] -= used
            amount -= used
            if not earmarks[key]:
                del earmarks[key]

    def links_among(self, seats: list[str]) -> int:
        return sum(1 for i, a in enumerate(seats) for b in seats[i + 1 :] if self.state.are_linked(a, b))

    def split(self, total: int, seats: list[str]) -> dict[str, int]:
        """A joint cost split evenly, cheaper for each revolving-door link among the takers."""
        r = self.scenario.rules
        discount = min(r.link_discount_max, r.link_discount * self.links_among(seats))
        total = round(total * (1.0 - discount))
        share, rest = divmod(total, len(seats))
        return {s: share + (1 if i < rest else 0) for i, s in enumerate(seats)}

    def span(self, seats: list[str]) -> int:
        return len({self.scenario.seat(s).kind for s in seats})
