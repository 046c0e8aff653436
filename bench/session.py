"""One measured load: a set of games' connections placed on the client processes, drives run
against them, and what arrived checked against what was acknowledged."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from bench.clients import ClientProcesses, Collected, Drive, Sent
from bench.games import BenchGame
from bench.wsclient import Ticket

DRAIN_QUIET = 3.0  # a load is over when no frame has arrived for this long...
DRAIN_LIMIT = 20.0  # ...or after this long, whatever is still missing counts as missing

# Who a public action's latency waits for: the other seats' players, or every connection.
Counts = Callable[[Ticket, Ticket], bool]


def other_seats(receiver: Ticket, sender: Ticket) -> bool:
    """The players of every seat but the sender's."""
    return bool(receiver.seat) and receiver.seat != sender.seat


def everyone(receiver: Ticket, sender: Ticket) -> bool:
    """Every connection of the game, the sender's own included."""
    return True


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank); NaN for none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


@dataclass
class Delivery:
    """What a load did: actions answered, how fast, and whether every event reached everyone."""

    sent: int = 0
    acked: int = 0
    errors: dict[str, int] = field(default_factory=dict)  # error code -> actions it ended
    retries: int = 0  # rate_limited or busy answers, each followed by sending again
    latencies: list[float] = field(default_factory=list)  # seconds, per acked action fully delivered
    acks: list[float] = field(default_factory=list)  # seconds from send to ack
    fully_delivered: int = 0
    missing: int = 0  # (connection, acked public event) pairs that never arrived
    duplicates: int = 0
    out_of_order: int = 0  # events whose number did not grow, at any connection
    dropped: int = 0  # connections the server closed or that broke
    close_codes: dict[int, int] = field(default_factory=dict)  # close code -> dropped connections
    connections: int = 0
    failed_connections: int = 0
    retried_connections: int = 0  # dropped by the server while opening, opened on a later try
    first_sent: float = 0.0
    last_answer: float = 0.0
    last_delivery: float = 0.0
    frames: int = 0
    statuses: int = 0

    @property
    def ack_rate(self) -> float:
        """Acknowledged actions a second, from the first send to the last answer."""
        span = self.last_answer - self.first_sent
        return self.acked / span if span > 0 else 0.0

    @property
    def delivered_rate(self) -> float:
        """Fully delivered actions a second, from the first send to the last delivery."""
        span = max(self.last_delivery, self.last_answer) - self.first_sent
        return self.fully_delivered / span if span > 0 else 0.0

    def latency_ms(self, share: float) -> float:
        return 1000 * percentile(self.latencies, share)

    def ack_ms(self, share: float) -> float:
        return 1000 * percentile(self.acks, share)

    @property
    def correct(self) -> bool:
        """Every acked public event reached every connection once, in order; nobody dropped."""
        return not (self.missing or self.duplicates or self.out_of_order or self.dropped or self.failed_connections)


def analyse(
    games: list[BenchGame], sent: list[Sent], collected: list[Collected], counts: Counts, public: bool, failed: int
) -> Delivery:
    """Match every acknowledged action with its event at every connection of its game."""
    tickets = {t.key: t for g in games for t in g.tickets}
    connected: dict[str, list[str]] = {}
    arrivals: dict[str, dict[str, list[float]]] = {}
    out = Delivery(failed_connections=failed)
    for part in collected:
        for key, receipts in part.receipts.items():
            connected.setdefault(part.games[key], []).append(key)
            mine = arrivals.setdefault(key, {})
            for marker, _, at in receipts:
                mine.setdefault(marker, []).append(at)
        out.dropped += len(part.dropped)
        for code in part.dropped.values():
            out.close_codes[code] = out.close_codes.get(code, 0) + 1
        out.out_of_order += part.out_of_order
        out.frames += part.frames
        out.statuses += part.statuses
    out.connections = sum(len(keys) for keys in connected.values())
    out.sent = len(sent)
    out.first_sent = min((s.sent_at for s in sent), default=0.0)
    out.last_answer = max((s.answered_at for s in sent), default=0.0)
    for record in sent:
        out.retries += record.retries
        if record.error:
            out.errors[record.error] = out.errors.get(record.error, 0) + 1
            continue
        out.acked += 1
        out.acks.append(record.answered_at - record.sent_at)
        if not public:
            continue
        sender = tickets[record.actor]
        complete, newest = True, 0.0
        for key in connected.get(record.game, ()):
            times = arrivals.get(key, {}).get(record.marker, [])
            out.duplicates += max(0, len(times) - 1)
            if not times:
                out.missing += 1
                complete = False
            elif counts(tickets[key], sender):
                newest = max(newest, times[0])
            if times:
                out.last_delivery = max(out.last_delivery, times[0])
        if complete:
            out.fully_delivered += 1
            out.latencies.append(newest - record.sent_at)
    return out


class Load:
    """The connections of some games on the client processes: a game's all in one process
    (`spread=False`, for many games), or each game's spread over every process."""

    def __init__(self, clients: ClientProcesses, games: list[BenchGame], spread: bool) -> None:
        self.clients, self.games = clients, games
        self.place: dict[str, int] = {}
        for index, game in enumerate(games):
            for n, ticket in enumerate(game.tickets):
                self.place[ticket.key] = (n if spread else index) % clients.count
        self.failed = 0  # connections that never opened
        self.retried = 0  # connections the server dropped while they opened, opened on a later try
        self.failures: list[str] = []

    async def connect(self, tickets: list[Ticket] | None = None) -> int:
        """Open every connection (or these); how many failed."""
        chosen = tickets if tickets is not None else [t for g in self.games for t in g.tickets]
        per: list[list[Ticket]] = [[] for _ in range(self.clients.count)]
        for ticket in chosen:
            per[self.place[ticket.key]].append(ticket)
        answers = await self.clients.each([("connect", (p,)) if p else None for p in per])
        opened = [a for a in answers if a is not None]
        self.failed = sum(len(failures) for failures, _ in opened)
        self.retried = sum(retried for _, retried in opened)
        self.failures = [error for failures, _ in opened for error in failures][:5]
        return self.failed

    def split(self, drive: Drive) -> list[Drive | None]:
        """The drive as each process runs it: whole where its actors all are; else each process
        takes its own actors (each in its own lane, or paced and interleaved in time)."""
        holders = sorted({self.place[a] for a in drive.actors})
        out: list[Drive | None] = [None] * self.clients.count
        if len(holders) == 1:
            out[holders[0]] = drive
            return out
        lanes_each = drive.in_flight == len(drive.actors)
        if not lanes_each and not (drive.in_flight == 1 and drive.rate > 0):
            raise ValueError("a drive split over processes needs a lane per actor or a paced single lane")
        for order, holder in enumerate(holders):
            mine = [i for i, a in enumerate(drive.actors) if self.place[a] == holder]
            share = len(mine) / len(drive.actors)
            out[holder] = replace(
                drive,
                tag=f"{drive.tag}p{holder}",
                actors=tuple(drive.actors[i] for i in mine),
                targets=tuple(drive.targets[i] for i in mine) if drive.targets else (),
                in_flight=len(mine) if lanes_each else 1,
                rate=drive.rate * share,
                count=round(drive.count * share),
                offset=order / drive.rate if drive.rate else 0.0,
            )
        return out

    async def run(self, drives: list[Drive], counts: Counts = other_seats, public: bool = True) -> Delivery:
        """Run the drives together from one start, wait for the last frames, and check them."""
        per: list[list[Drive]] = [[] for _ in range(self.clients.count)]
        for drive in drives:
            for holder, part in enumerate(self.split(drive)):
                if part is not None:
                    per[holder].append(part)
        start_at = time.monotonic() + 0.3
        answered = await self.clients.each([("drive", (p, start_at)) if p else None for p in per])
        sent = [record for part in answered if part for record in part]
        await self.clients.all("drain", DRAIN_QUIET, DRAIN_LIMIT)
        collected: list[Collected] = await self.clients.all("collect")
        delivery = analyse(self.games, sent, collected, counts, public, self.failed)
        delivery.retried_connections = self.retried
        return delivery

    async def disconnect(self) -> None:
        await self.clients.all("disconnect")
        await asyncio.sleep(0.2)  # let the servers see the sockets close
