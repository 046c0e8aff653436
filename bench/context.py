"""What every figure shares: the run's plan (how much of everything), its processes (Redis, the
floor server, the client processes), fresh `normarena serve` workers per figure, and loads on
the game server or on the floor server."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from bench.clients import ClientProcesses, Drive
from bench.games import BenchGame, create_games, floor_games, start_games
from bench.observe import RedisProbe, Workers
from bench.processes import Child, Processes
from bench.session import Delivery, Load, everyone, other_seats


@dataclass(frozen=True)
class Plan:
    """How much of everything one run measures; `quick()` is the small version."""

    rate: float = 10.0  # actions a second for the paced figures (latency, CPU per action)
    paced_seconds: float = 20.0
    floor_samples: int = 100  # paced samples of each floor part (a hot loop takes 3x as many)
    fanout_actions: int = 100
    hot_actions: int = 400  # public messages back to back for the hot-loop latency figure
    load_seconds: float = 10.0  # each saturation drive
    saturation_games: tuple[int, ...] = (24, 100)
    many_games: int = 500
    idle_connections: int = 500
    crowd_teams: int = 10  # players per seat in the 150-person game (and as many spectators)
    crowd_rate: float = 5.0
    crowd_actions: int = 100
    history: tuple[int, int, int] = (100, 900, 100)  # measured, then unmeasured, then measured

    @classmethod
    def quick(cls) -> Plan:
        return cls(
            paced_seconds=4.0,
            floor_samples=30,
            fanout_actions=30,
            hot_actions=60,
            load_seconds=3.0,
            saturation_games=(4, 8),
            many_games=20,
            idle_connections=100,
            crowd_actions=20,
            history=(30, 100, 30),
        )


def note(message: str) -> None:
    """Progress for the person running the benchmark (stderr: stdout is for the table or JSON)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Bench:
    """One benchmark session's shared processes and plan."""

    plan: Plan
    processes: Processes
    clients: ClientProcesses
    redis_url: str
    workers_count: int
    seats: tuple[str, ...] = ()
    _tags: itertools.count[int] = field(default_factory=itertools.count)
    _floor: tuple[Child, str] | None = None

    def _started_floor(self) -> tuple[Child, str]:
        if self._floor is None:
            self._floor = self.processes.floor_server(self.redis_url)
        return self._floor

    @property
    def floor(self) -> Child:
        """The floor server, started the first time a figure needs it."""
        return self._started_floor()[0]

    @property
    def floor_base(self) -> str:
        return self._started_floor()[1]

    def tag(self, name: str) -> str:
        """A marker tag no other drive of this session uses."""
        return f"{name}{next(self._tags)}"

    @contextlib.asynccontextmanager
    async def workers(self, count: int = 0) -> AsyncIterator[Workers]:
        """Fresh `normarena serve` workers on the session's Redis, emptied again afterwards."""
        started = await asyncio.to_thread(self.processes.workers, self.redis_url, count or self.workers_count)
        workers = Workers([child for child, _ in started], [base for _, base in started])
        try:
            yield workers
        finally:
            for child in workers.children:
                self.processes.stop(child)
            probe = RedisProbe(self.redis_url)
            probe.flush()
            probe.close()

    async def server_games(
        self, workers: Workers, count: int, name: str, players_per_seat: int = 1, spectators: int = 1
    ) -> list[BenchGame]:
        """Started integrated-missions games on the game server."""
        games = await create_games(workers.bases, count, self.tag(name), players_per_seat, spectators)
        await start_games(games)
        return games

    def floor_games(
        self, count: int, name: str, path: str = "/game", players_per_seat: int = 1, spectators: int = 1
    ) -> list[BenchGame]:
        """The same shape of games on the floor server."""
        return floor_games(self.floor_base, count, self.tag(name), self.seats, path, players_per_seat, spectators)

    @contextlib.asynccontextmanager
    async def load(self, games: list[BenchGame], spread: bool) -> AsyncIterator[Load]:
        """The games' connections open on the client processes for the block's length."""
        load = Load(self.clients, games, spread)
        try:
            await load.connect()
            yield load
        finally:
            await load.disconnect()


def drive_for(
    game: BenchGame,
    tag: str,
    *,
    private: bool = False,
    actors: tuple[str, ...] = (),
    in_flight: int = 1,
    rate: float = 0.0,
    count: int = 0,
    duration: float = 0.0,
    own_copy: bool = False,
) -> Drive:
    """A drive of a game through its first team's seats (or these actors); private messages go
    from each actor to the next actor's seat."""
    chosen = actors or tuple(t.key for t in game.first_team)
    seat_of = {t.key: t.seat for t in game.tickets}
    targets = tuple(seat_of[chosen[(i + 1) % len(chosen)]] for i in range(len(chosen))) if private else ()
    if any(seat_of[a] == t for a, t in zip(chosen, targets, strict=False)):
        raise ValueError("a private message needs a recipient other than its sender")
    return Drive(game.game, tag, chosen, targets, in_flight, rate, count, duration, own_copy)


@dataclass(frozen=True)
class Measured:
    """A load's delivery with the CPU the measured server(s) and the client processes used."""

    delivery: Delivery
    server_cpu: float
    client_cpu: float
    wall: float  # seconds from before the drive to after the drain
    server_waited: float = 0.0  # seconds the server was ready to run but had no core

    @property
    def active(self) -> float:
        """Seconds from the first action sent to the last answer or delivery."""
        d = self.delivery
        return max(d.last_answer, d.last_delivery) - d.first_sent if d.first_sent else self.wall

    def busy(self, cpu: float) -> float:
        """A share of one core over the active time (the drain's quiet second is nearly idle)."""
        return cpu / self.active if self.active > 0 else float("nan")


async def measured_run(
    bench: Bench,
    load: Load,
    drives: list[Drive],
    server_cpu: Callable[[], float],
    public: bool = True,
    crowd: bool = False,
    server_waited: Callable[[], float] = lambda: 0.0,
) -> Measured:
    """Run drives on a load and read the server's and the clients' CPU time around them."""
    server_before, clients_before, began = server_cpu(), bench.clients.cpu_seconds(), time.monotonic()
    waited_before = server_waited()
    delivery = await load.run(drives, everyone if crowd else other_seats, public)
    return Measured(
        delivery,
        server_cpu() - server_before,
        bench.clients.cpu_seconds() - clients_before,
        time.monotonic() - began,
        server_waited() - waited_before,
    )


async def idle_cpu_rate(server_cpu: Callable[[], float], seconds: float = 2.0) -> float:
    """CPU seconds a second the server uses with its connections open and nobody acting."""
    before = server_cpu()
    await asyncio.sleep(seconds)
    return (server_cpu() - before) / seconds
