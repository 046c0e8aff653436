"""What the benchmark reads from outside the server: the workers' CPU time and memory from the
OS, their /metrics, their logs, and the game's keys and counters in Redis."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx
import redis

from bench.processes import Child, server_errors

METRIC_LINE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+([-+0-9.eEinfaN]+)$")


@dataclass
class Workers:
    """The `normarena serve` processes of one measurement and their base URLs."""

    children: list[Child]
    bases: list[str]

    def cpu_seconds(self) -> float:
        return sum(c.cpu_seconds() for c in self.children)

    def run_queue_seconds(self) -> float:
        return sum(c.run_queue_seconds() for c in self.children)

    def rss_bytes(self) -> int:
        return sum(c.rss_bytes() for c in self.children)

    def errors_logged(self) -> int:
        return sum(server_errors(c.log_text()) for c in self.children)

    def alive(self) -> bool:
        return all(c.alive() for c in self.children)

    def metrics(self) -> dict[str, float]:
        """Every sample of every worker's /metrics, summed over the workers."""
        totals: dict[str, float] = {}
        for base in self.bases:
            try:
                text = httpx.get(f"{base}/metrics", timeout=10).text
            except httpx.HTTPError:
                continue
            for line in text.splitlines():
                match = METRIC_LINE.match(line)
                if match:
                    name = match.group(1) + (match.group(2) or "")
                    totals[name] = totals.get(name, 0.0) + float(match.group(3))
        return totals


def metric_delta(before: dict[str, float], after: dict[str, float], prefix: str) -> dict[str, float]:
    """The samples whose name starts with `prefix` that changed, and by how much."""
    out = {}
    for name, value in after.items():
        if name.startswith(prefix) and value != before.get(name, 0.0):
            out[name] = value - before.get(name, 0.0)
    return out


def error_codes(before: dict[str, float], after: dict[str, float]) -> dict[str, int]:
    """Errors the workers sent during a measurement, by code (from /metrics)."""
    out = {}
    for name, value in metric_delta(before, after, "normarena_errors_total").items():
        code = re.search(r'code="([^"]*)"', name)
        out[code.group(1) if code else name] = int(value)
    return out


def commit_tries(before: dict[str, float], after: dict[str, float], watches: int) -> tuple[float | None, str]:
    """Commit attempts during a measurement, and where the number comes from: the server's own
    counter if /metrics has one, else Redis' count of WATCH calls (one per optimistic try)."""
    exposed = metric_delta(before, after, "normarena_commit")
    tries = {n: v for n, v in exposed.items() if "tr" in n and not n.endswith(("_created", "_bucket"))}
    if tries:
        return sum(tries.values()), "the server's /metrics"
    if watches:
        return float(watches), "Redis WATCH calls (the server does not expose commit tries in /metrics)"
    return None, "not exposed: no commit counter in /metrics and no WATCH calls in Redis"


class RedisProbe:
    """Reads from the benchmark's Redis (never writes a game's keys)."""

    def __init__(self, url: str) -> None:
        self.client: Any = redis.Redis.from_url(url)

    def command_calls(self, command: str) -> int:
        stats = self.client.info("commandstats")
        return int(stats.get(f"cmdstat_{command}", {}).get("calls", 0))

    def state_bytes(self, game: str) -> tuple[int, int]:
        """The game's stored state: the `state` field's length, and the whole key's memory."""
        key = f"na:{{{game}}}:state"
        return int(self.client.hstrlen(key, "state")), int(self.client.memory_usage(key, samples=0) or 0)

    def game_memory(self, game: str) -> dict[str, int]:
        """Memory of every key of the game (and its join codes), by key, exactly (SAMPLES 0)."""
        out: dict[str, int] = {}
        for key in self.client.scan_iter(match=f"na:{{{game}}}:*", count=1000):
            out[key.decode()] = int(self.client.memory_usage(key, samples=0) or 0)
        for key in self.client.scan_iter(match="na:code:*", count=1000):
            value = self.client.get(key)
            if value is not None and value.decode().startswith(f"{game} "):
                out[key.decode()] = int(self.client.memory_usage(key, samples=0) or 0)
        return out

    def used_memory(self) -> int:
        return int(self.client.info("memory")["used_memory"])

    def version(self) -> str:
        return str(self.client.info("server")["redis_version"])

    def flush(self) -> None:
        self.client.flushall()

    def close(self) -> None:
        self.client.close()
