"""Client processes. Each holds some of a run's connections and drives some of its games, on
commands the coordinator sends over a pipe: one Python process cannot decode every frame of
a hundred games, so the load comes from several, and the output says how many.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import itertools
import math
import multiprocessing
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from bench.processes import cpu_seconds
from bench.wsclient import MARK, BenchConnection, ClientError, Ticket

FILLER = "Consult the regional groups before the text is tabled, and bring the agencies in early."
CONNECT_AT_ONCE = 64  # per process: enough to open thousands in seconds without a SYN storm
CONNECT_TRIES = 4
REPLY_TIMEOUT = 1800.0


@dataclass(frozen=True)
class Drive:
    """How one game acts: its acting connections in turn, `in_flight` actions outstanding at once,
    at `rate` a second (0: as fast as answers come), until `count` actions or `duration` seconds.
    `targets` (a seat per actor) makes the messages private; `own_copy` makes each lane wait for
    the actor's own copy of the event before its next action."""

    game: str
    tag: str
    actors: tuple[str, ...]
    targets: tuple[str, ...] = ()
    in_flight: int = 1
    rate: float = 0.0
    count: int = 0
    duration: float = 0.0
    own_copy: bool = False
    offset: float = 0.0  # seconds after the common start (paced drives split over processes)


@dataclass(frozen=True)
class Sent:
    """One action: who sent it, when, and what came back (`error` is "" for an ack)."""

    game: str
    marker: str
    actor: str
    sent_at: float
    answered_at: float
    seq: int
    error: str
    retries: int


@dataclass(frozen=True)
class Collected:
    """What one process's connections received since the last collection."""

    receipts: dict[str, list[tuple[str, int, float]]]  # connection key -> (marker, seq, when)
    games: dict[str, str]  # connection key -> game
    dropped: dict[str, int]  # connection key -> close code, for those the server dropped
    out_of_order: int
    frames: int
    statuses: int


async def run_drive(drive: Drive, connections: dict[str, BenchConnection], start_at: float) -> list[Sent]:
    """Act as the drive says; every action's record."""
    sent: list[Sent] = []
    numbers = itertools.count()
    stop_at = start_at + drive.duration if drive.duration else math.inf
    start_at += drive.offset
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))

    async def lane(turn: int) -> None:
        while True:
            number = next(numbers)
            if drive.count and number >= drive.count:
                return
            if drive.rate:
                await asyncio.sleep(max(0.0, start_at + number / drive.rate - time.monotonic()))
            if time.monotonic() >= stop_at:
                return
            index = turn % len(drive.actors)
            turn += drive.in_flight
            marker = f"{MARK}{drive.tag}.{number}{MARK}"
            target = drive.targets[index] if drive.targets else "public"
            action = {"type": "send_message", "to": target, "text": f"{marker} {FILLER}"}
            began = time.monotonic()
            connection = connections.get(drive.actors[index])
            if connection is None:  # it never opened: the lane has nobody to act through
                sent.append(Sent(drive.game, marker, drive.actors[index], began, began, 0, "not_connected", 0))
                return
            answer = await connection.act(action, marker, drive.own_copy)
            record = Sent(
                drive.game,
                marker,
                drive.actors[index],
                began,
                answer.answered_at,
                answer.seq,
                answer.error,
                answer.retries,
            )
            sent.append(record)
            if answer.error in ("dropped", "timeout"):
                return  # this lane's connection is gone; the others go on

    await asyncio.gather(*(lane(j) for j in range(drive.in_flight)))
    return sent


class ClientProcess:
    """The commands one client process carries out, on its own event loop."""

    def __init__(self) -> None:
        self.connections: dict[str, BenchConnection] = {}

    async def connect(self, tickets: list[Ticket]) -> tuple[list[str], int]:
        """Open every ticket's connection, trying again (as a person's client would) when the
        server drops one while it opens; the errors of those that never opened, and how many
        connections needed more than one try."""
        gate = asyncio.Semaphore(CONNECT_AT_ONCE)
        failures: list[str] = []
        retried = 0

        async def one(ticket: Ticket) -> None:
            nonlocal retried
            async with gate:
                for attempt in range(CONNECT_TRIES):
                    connection = BenchConnection(ticket)
                    try:
                        await connection.open()
                    except ClientError as error:
                        if attempt == CONNECT_TRIES - 1:
                            failures.append(str(error))
                            return
                        await connection.close()
                        await asyncio.sleep(0.2 * 2**attempt)
                        continue
                    retried += attempt > 0
                    self.connections[ticket.key] = connection
                    return

        await asyncio.gather(*(one(t) for t in tickets))
        return failures, retried

    async def drive(self, drives: list[Drive], start_at: float) -> list[Sent]:
        """Run every drive from the common start; every action's record."""
        done = await asyncio.gather(*(run_drive(d, self.connections, start_at) for d in drives))
        return [record for records in done for record in records]

    async def drain(self, quiet: float, limit: float) -> None:
        """Wait until no frame has come for `quiet` seconds (at most `limit` seconds)."""
        give_up = time.monotonic() + limit
        while time.monotonic() < give_up:
            newest = max((c.last_frame_at for c in self.connections.values()), default=0.0)
            if time.monotonic() - newest >= quiet:
                return
            await asyncio.sleep(0.05)

    def collect(self) -> Collected:
        """Hand over (and forget) what arrived since the last collection."""
        receipts: dict[str, list[tuple[str, int, float]]] = {}
        for key, connection in self.connections.items():
            receipts[key], connection.receipts = connection.receipts, []
        everyone = list(self.connections.values())
        collected = Collected(
            receipts=receipts,
            games={key: c.ticket.game for key, c in self.connections.items()},
            dropped={key: c.dropped for key, c in self.connections.items() if c.dropped},
            out_of_order=sum(c.out_of_order for c in everyone),
            frames=sum(c.frames for c in everyone),
            statuses=sum(c.statuses for c in everyone),
        )
        for connection in everyone:
            connection.out_of_order = connection.frames = connection.statuses = 0
        return collected

    async def close(self) -> None:
        await asyncio.gather(*(c.close() for c in self.connections.values()))
        self.connections.clear()

    async def serve(self, pipe: Connection) -> None:
        """Carry out commands until told to stop (or the coordinator is gone)."""
        while True:
            try:
                name, arguments = await asyncio.to_thread(pipe.recv)
            except EOFError:
                await self.close()
                return
            try:
                if name == "connect":
                    result: Any = await self.connect(*arguments)
                elif name == "drive":
                    result = await self.drive(*arguments)
                elif name == "drain":
                    await self.drain(*arguments)
                    result = None
                elif name == "collect":
                    result = self.collect()
                else:  # "disconnect" (the process stays for the next load) or "close"
                    await self.close()
                    result = None
                pipe.send(("ok", result))
            except Exception:
                pipe.send(("error", traceback.format_exc()))
            if name == "close":
                return


def client_main(pipe: Connection) -> None:
    """A client process's entry point."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the coordinator's to handle: it stops us
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        runner.run(ClientProcess().serve(pipe))


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop where it is installed, as the server runs on: the clients' loop costs the shared
    cores less."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


class ClientProcesses:
    """The coordinator's side: `count` client processes, and commands to all of them at once."""

    def __init__(self, count: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipes: list[Connection] = []
        self.processes: list[Any] = []
        self._waiter = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="clients")
        for _ in range(count):
            mine, theirs = context.Pipe()
            process = context.Process(target=client_main, args=(theirs,), daemon=True)
            process.start()
            theirs.close()
            self.pipes.append(mine)
            self.processes.append(process)

    @property
    def count(self) -> int:
        return len(self.processes)

    def cpu_seconds(self) -> float:
        """CPU time all client processes have used so far."""
        return sum(cpu_seconds(p.pid) for p in self.processes)

    def call(self, commands: list[tuple[str, tuple[Any, ...]] | None]) -> list[Any]:
        """Send each process its command (None: nothing) and wait for every answer."""
        for pipe, command in zip(self.pipes, commands, strict=True):
            if command is not None:
                pipe.send(command)
        answers: list[Any] = []
        failures: list[str] = []
        for pipe, command in zip(self.pipes, commands, strict=True):
            if command is None:
                answers.append(None)
                continue
            if not pipe.poll(REPLY_TIMEOUT):
                raise RuntimeError(f"a client process did not answer {command[0]!r} in {REPLY_TIMEOUT:.0f} s")
            status, result = pipe.recv()  # every answer is read, so the next command gets its own
            if status == "error":
                failures.append(f"a client process failed on {command[0]!r}:\n{result}")
            answers.append(result)
        if failures:
            raise RuntimeError(failures[0])
        return answers

    async def each(self, commands: list[tuple[str, tuple[Any, ...]] | None]) -> list[Any]:
        """`call`, without blocking the coordinator's event loop. On a thread of our own, not the
        loop's default executor, which an interrupted asyncio.run would wait for."""
        return await asyncio.get_running_loop().run_in_executor(self._waiter, self.call, commands)

    async def all(self, name: str, *arguments: Any) -> list[Any]:
        """The same command to every process."""
        return await self.each([(name, arguments)] * self.count)

    def close(self, graceful: bool = True) -> None:
        """Close every connection, then end the processes (killing any that hang); not graceful
        (after an error or Ctrl-C, when a command may still be running): end them at once."""
        if graceful:
            for pipe in self.pipes:
                with contextlib.suppress(OSError):
                    pipe.send(("close", ()))
            for pipe in self.pipes:
                with contextlib.suppress(OSError, EOFError):
                    if pipe.poll(15):
                        pipe.recv()
        for process in self.processes:
            process.join(5 if graceful else 0)
            if process.is_alive():
                process.terminate()
                process.join(5)
            if process.is_alive():
                process.kill()
                process.join()
        for pipe in self.pipes:
            pipe.close()
        self._waiter.shutdown(wait=False)
