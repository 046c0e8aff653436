"""The benchmark's delivery check itself: given what was acknowledged and what each connection
received, it counts what is missing, duplicated and late, and times only complete deliveries."""

from __future__ import annotations

from bench.clients import Collected, Sent
from bench.games import BenchGame
from bench.session import analyse, other_seats
from bench.wsclient import Ticket


def game_of_three() -> BenchGame:
    tickets = (
        Ticket("g/a", "", "g", "t1", "norway"),
        Ticket("g/b", "", "g", "t2", "china"),
        Ticket("g/s", "", "g", "t3", ""),
    )
    return BenchGame("g", ("norway", "china"), tickets)


def sent(marker: str, at: float, error: str = "") -> Sent:
    return Sent("g", marker, "g/a", at, at + 0.001, 1, error, 0)


def test_a_complete_delivery_is_timed_to_the_last_other_seat() -> None:
    receipts = {"g/a": [("~m.0~", 5, 1.010)], "g/b": [("~m.0~", 5, 1.020)], "g/s": [("~m.0~", 5, 1.050)]}
    collected = Collected(receipts, dict.fromkeys(receipts, "g"), {}, 0, 3, 0)
    delivery = analyse([game_of_three()], [sent("~m.0~", 1.0)], [collected], other_seats, True, 0)
    assert (delivery.acked, delivery.fully_delivered, delivery.missing, delivery.duplicates) == (1, 1, 0, 0)
    assert abs(delivery.latencies[0] - 0.020) < 1e-9  # the spectator is not a seat: not waited for
    assert delivery.correct


def test_missing_duplicated_and_refused_events_are_counted_and_never_timed() -> None:
    receipts = {
        "g/a": [("~m.0~", 5, 1.01), ("~m.1~", 6, 2.01)],
        "g/b": [("~m.0~", 5, 1.02), ("~m.0~", 5, 1.03)],
        "g/s": [("~m.0~", 5, 1.04), ("~m.1~", 6, 2.04)],
    }
    collected = Collected(receipts, dict.fromkeys(receipts, "g"), {"g/s": 1006}, 1, 6, 0)
    records = [sent("~m.0~", 1.0), sent("~m.1~", 2.0), sent("~m.2~", 3.0, error="busy")]
    delivery = analyse([game_of_three()], records, [collected], other_seats, True, 0)
    assert (delivery.acked, delivery.errors) == (2, {"busy": 1})
    assert (delivery.missing, delivery.duplicates, delivery.fully_delivered) == (1, 1, 1)
    assert (delivery.dropped, delivery.out_of_order) == (1, 1)
    assert len(delivery.latencies) == 1
    assert not delivery.correct
