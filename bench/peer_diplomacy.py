"""The peer: the `diplomacy` 1.1.2 server (tornado, PyPI), measured the way server_load.py
measures ours: server CPU per message at a steady rate, and saturation (messages a second,
fully delivered) for one game with 28 messages in flight and for 24 games with one each.

It runs in its own virtualenv, never the project's (no code of the peer is in this project):

    python3 -m venv /work/peer-venv && /work/peer-venv/bin/pip install diplomacy==1.1.2
    /work/peer-venv/bin/python bench/peer_diplomacy.py [--quick] [--json]

A message is a global (public) press message from one of the seven powers; it is fully
delivered when the six other powers' clients have it. Each power is one user with one
connection carrying all its games (diplomacy's own client model: every login costs the
server a bcrypt check of about a second, so a connection per game and power would take
minutes to set up). Only the standard library and the peer's own packages are imported.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import itertools
import json
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

POWERS = ("AUSTRIA", "ENGLAND", "FRANCE", "GERMANY", "ITALY", "RUSSIA", "TURKEY")
RULES = ["POWER_CHOICE", "REAL_TIME"]  # press allowed, no deadline: messages only
FILLER = "Consult the regional groups before the text is tabled, and bring the agencies in early."
QUIET = 1.0  # a load is over when no message has arrived for this long


def cpu_seconds(pid: int) -> float:
    """CPU time every thread of a process has used, to the nanosecond (as server_load.py reads it)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += int((task / "schedstat").read_text().split()[0])
    return total / 1e9


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


async def connect(port: int, user: str, password: str) -> Any:
    """A logged-in channel of diplomacy's own client."""
    client: Any = importlib.import_module("diplomacy.client.connection")
    connection = await client.connect("127.0.0.1", port)
    return await connection.authenticate(user, password)


class PeerClients:
    """One client process's side of a load: seven powers' games, sends and arrivals."""

    def __init__(self) -> None:
        self.games: dict[tuple[str, str], Any] = {}
        self.arrivals: list[tuple[str, str, float]] = []  # (marker, power, when)
        self.last_arrival = 0.0

    async def join(self, port: int, game_ids: list[str], powers: tuple[str, ...]) -> None:
        for power in powers:
            channel = await connect(port, f"bench_{power.lower()}", "bench")
            for game_id in game_ids:
                game = await channel.join_game(game_id=game_id, power_name=power)
                game.add_on_game_message_received(self._arrived(power))
                self.games[(game_id, power)] = game

    def _arrived(self, power: str) -> Any:
        def record(game: Any, notification: Any) -> None:
            now = time.monotonic()
            body = str(notification.message.message)
            if body.startswith("~"):
                self.arrivals.append((body.split(" ", 1)[0], power, now))
                self.last_arrival = now

        return record

    async def drive(
        self, game_ids: list[str], powers: tuple[str, ...], lanes: int, rate: float, seconds: float, start_at: float
    ) -> list[Any]:
        """Each game: `lanes` messages in flight, the powers in turn, paced at `rate` if given; with
        as many lanes as powers or more, each lane keeps to one power."""
        sent: list[Any] = []
        stop_at = start_at + seconds
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))

        async def lane(game_id: str, numbers: Any, turn: int) -> None:
            while True:
                number = next(numbers)
                if rate:
                    await asyncio.sleep(max(0.0, start_at + number / rate - time.monotonic()))
                if time.monotonic() >= stop_at:
                    return
                power = powers[turn % len(powers)]
                turn += lanes
                game = self.games[(game_id, power)]
                marker = f"~{game_id}.{power}.{number}~"
                began = time.monotonic()
                try:
                    await game.send_game_message(message=game.new_global_message(f"{marker} {FILLER}"))
                    sent.append((game_id, marker, power, began, time.monotonic(), ""))
                except Exception as error:
                    sent.append((game_id, marker, power, began, time.monotonic(), type(error).__name__))

        tasks = []
        for game_id in game_ids:
            numbers = itertools.count()
            tasks += [lane(game_id, numbers, j) for j in range(lanes)]
        await asyncio.gather(*tasks)
        while time.monotonic() - max(self.last_arrival, stop_at) < QUIET:
            await asyncio.sleep(0.05)
        return sent

    async def serve(self, pipe: Connection) -> None:
        while True:
            name, arguments = await asyncio.to_thread(pipe.recv)
            if name == "join":
                await self.join(*arguments)
                pipe.send(None)
            elif name == "drive":
                sent = await self.drive(*arguments)
                pipe.send((sent, self.arrivals))
                self.arrivals = []
            else:
                pipe.send(None)
                return


def client_main(pipe: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us
    asyncio.run(PeerClients().serve(pipe))


class PeerServer:
    """`python -m diplomacy.server.run` in a folder of its own."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="diplomacy-peer-"))
        self.port = free_port()
        self.log = (self.folder / "server.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "diplomacy.server.run", "--port", str(self.port)],
            cwd=self.folder,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 600.0) -> None:
        """Until it accepts connections (the first start builds a cache of convoy paths: minutes)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the diplomacy server exited: " + (self.folder / "server.log").read_text()[-2000:])
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return
            time.sleep(0.2)
        raise RuntimeError("the diplomacy server did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


async def create_games(port: int, count: int) -> list[str]:
    """`count` press games created by the server's admin; their ids."""
    admin = await connect(port, "admin", "password")
    games = [await admin.create_game(map_name="standard", rules=RULES, deadline=0) for _ in range(count)]
    return [str(g.game_id) for g in games]


def summarise(sent: list[Any], arrivals: list[tuple[str, str, float]]) -> dict[str, float]:
    """Acks and full deliveries a second, and the latency to the six other powers."""
    got: dict[str, list[float]] = {}
    for marker, _, when in arrivals:
        got.setdefault(marker, []).append(when)
    acked = [s for s in sent if not s[5]]
    delivered = [(s, got[s[1]]) for s in acked if len(got.get(s[1], [])) >= len(POWERS) - 1]
    first = min((s[3] for s in sent), default=0.0)
    last = max([s[4] for s in sent] + [max(t) for _, t in delivered] + [first])
    return {
        "sent": len(sent),
        "acked": len(acked),
        "errors": len(sent) - len(acked),
        "fully_delivered": len(delivered),
        "delivered_per_s": len(delivered) / (last - first) if last > first else 0.0,
        "latency_p50_ms": 1000 * percentile([max(t) - s[3] for s, t in delivered], 0.5),
        "ack_p50_ms": 1000 * percentile([s[4] - s[3] for s in acked], 0.5),
    }


def measure(
    server: PeerServer,
    pipes: list[Connection],
    cpu: list[int],
    games: list[str],
    lanes: int,
    rate: float,
    seconds: float,
) -> dict[str, float]:
    """Drive the games and read the server's and the clients' CPU around it. With one game and a
    lane per power or more, the powers are split over the client processes; else the games are."""
    by_power = len(games) == 1 and lanes >= len(POWERS)
    jobs: list[tuple[list[str], tuple[str, ...], int]] = []
    for n in range(len(pipes)):
        if by_power:
            jobs.append((games, POWERS[n :: len(pipes)], lanes // len(POWERS)))
        else:
            jobs.append((games[n :: len(pipes)], POWERS, lanes))
    jobs = [job if job[0] and job[1] else ([], (), 0) for job in jobs]
    for pipe, (mine, powers, _) in zip(pipes, jobs, strict=True):
        if mine:
            pipe.send(("join", (server.port, mine, powers)))
    for pipe, (mine, _, _) in zip(pipes, jobs, strict=True):
        if mine:
            pipe.recv()
    idle_before = cpu_seconds(server.process.pid)
    time.sleep(2.0)
    idle = (cpu_seconds(server.process.pid) - idle_before) / 2.0
    start_at, before, began = time.monotonic() + 0.3, cpu_seconds(server.process.pid), time.monotonic()
    clients_before = sum(cpu_seconds(pid) for pid in cpu)
    for pipe, (mine, powers, my_lanes) in zip(pipes, jobs, strict=True):
        if mine:
            pipe.send(("drive", (mine, powers, my_lanes, rate, seconds, start_at)))
    sent: list[Any] = []
    arrivals: list[Any] = []
    for pipe, (mine, _, _) in zip(pipes, jobs, strict=True):
        if mine:
            part, got = pipe.recv()
            sent += part
            arrivals += got
    wall = time.monotonic() - began
    used = cpu_seconds(server.process.pid) - before
    out = summarise(sent, arrivals)
    out["server_cpu_per_message_ms"] = 1000 * (used - idle * wall) / max(1, out["acked"])
    out["server_busy"] = used / wall
    out["clients_busy"] = (sum(cpu_seconds(pid) for pid in cpu) - clients_before) / wall
    out["idle_cpu_ms_per_s"] = 1000 * idle
    return out


def run(games_many: int, seconds: float, paced: float, clients: int) -> dict[str, Any]:
    """Start the peer's server, measure the three shapes one after another, stop it."""
    server = PeerServer()
    context = multiprocessing.get_context("spawn")
    processes, pipes = [], []
    try:
        server.wait_ready()
        for _ in range(clients):
            mine, theirs = context.Pipe()
            process = context.Process(target=client_main, args=(theirs,), daemon=True)
            process.start()
            processes.append(process)
            pipes.append(mine)
        results: dict[str, Any] = {"version": importlib.import_module("diplomacy.version").PACKAGE_VERSION}
        pids = [p.pid for p in processes if p.pid is not None]
        one = asyncio.run(create_games(server.port, 1))
        results["paced"] = measure(server, pipes, pids, one, 1, 10.0, paced)
        one = asyncio.run(create_games(server.port, 1))
        results["one_game_28_in_flight"] = measure(server, pipes, pids, one, 28, 0.0, seconds)
        many = asyncio.run(create_games(server.port, games_many))
        results["games_many_one_in_flight"] = measure(server, pipes, pids, many, 1, 0.0, seconds)
        results["games_many"] = games_many
        results["client_processes"] = clients
        return results
    finally:
        for pipe in pipes:
            with contextlib.suppress(OSError):
                pipe.send(("close", ()))
        for process in processes:
            process.join(5)
            if process.is_alive():
                process.kill()
        server.stop()


def main() -> int:
    """Measure the peer and print its figures (one JSON object with --json)."""
    parser = argparse.ArgumentParser(description="Measure the diplomacy 1.1.2 server as server_load.py measures ours.")
    parser.add_argument("--quick", action="store_true", help="4 games, 3 s loads, 4 s paced")
    parser.add_argument("--games", type=int, default=0, help="games for the many-games shape (default 24)")
    parser.add_argument("--seconds", type=float, default=0.0, help="each saturation load (default 10)")
    parser.add_argument("--paced-seconds", type=float, default=0.0, help="the paced load (default 20)")
    parser.add_argument("--clients", type=int, default=2, help="client processes (default 2)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    # Stopped by server_load.py (SIGTERM): unwind, so the finally blocks stop the peer's server.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    games = args.games or (4 if args.quick else 24)
    seconds = args.seconds or (3.0 if args.quick else 10.0)
    paced = args.paced_seconds or (4.0 if args.quick else 20.0)
    results = run(games, seconds, paced, args.clients)
    if args.json:
        print(json.dumps(results))
    else:
        for name, value in results.items():
            print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
