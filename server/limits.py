"""Limits that protect a worker and the other players: token buckets shared by everything a
token (or an address) does, and counts of open connections.

A bucket is kept per player token (after hello) and per client address (before, and for
HTTP), so opening many connections buys no extra rate. Buckets live in the worker's memory,
bounded in number: several workers each allow the rate (see docs/operations.md).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field

BUCKETS_KEPT = 50_000  # the least recently used bucket is forgotten beyond this (a full one)


@dataclass
class Bucket:
    """`rate` per second, up to `burst` at once."""

    rate: float
    burst: float
    tokens: float = -1.0
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.burst

    def take(self, now: float, amount: float = 1.0) -> bool:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= amount:
            self.tokens -= amount
            return True
        return False


class Limiter:
    """Buckets by key, all with the same rate and burst."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self._buckets: OrderedDict[str, Bucket] = OrderedDict()

    def allow(self, key: str, amount: float = 1.0) -> bool:
        """Whether `key` may do this now; spends from its bucket if so."""
        return self._bucket(key).take(time.monotonic(), amount)

    def has(self, key: str) -> bool:
        """Whether `key` has anything left, without spending it."""
        bucket = self._bucket(key)
        bucket.take(time.monotonic(), 0.0)
        return bucket.tokens >= 1.0

    def _bucket(self, key: str) -> Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = Bucket(self.rate, self.burst)
            if len(self._buckets) > BUCKETS_KEPT:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
        return bucket


class Counter:
    """Open things (connections) per key, with a ceiling."""

    def __init__(self, ceiling: int) -> None:
        self.ceiling = ceiling
        self._open: dict[str, int] = {}

    def enter(self, key: str) -> bool:
        """Count one more for `key` unless it is at the ceiling."""
        now = self._open.get(key, 0)
        if now >= self.ceiling:
            return False
        self._open[key] = now + 1
        return True

    def leave(self, key: str) -> None:
        now = self._open.get(key, 0) - 1
        if now > 0:
            self._open[key] = now
        else:
            self._open.pop(key, None)

    def count(self, key: str) -> int:
        return self._open.get(key, 0)
