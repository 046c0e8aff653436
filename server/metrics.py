"""Prometheus metrics of one worker: connections, games, requests, errors, latency.

Each application has its own registry (two apps in one process are two workers); a scraper
sums the workers."""

from __future__ import annotations

from typing import Generic, TypeVar

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

CONTENT_TYPE = CONTENT_TYPE_LATEST
LATENCY_BUCKETS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0)


Labelled = TypeVar("Labelled", Counter, Histogram)


class ByLabel(Generic[Labelled]):
    """A metric with one label, its children made once: `labels()` checks its arguments and
    takes a lock on every call, which every action paid several times over."""

    def __init__(self, metric: Labelled) -> None:
        self.metric: Labelled = metric
        self._children: dict[str, Labelled] = {}

    def __getitem__(self, label: str) -> Labelled:
        child = self._children.get(label)
        if child is None:
            child = self._children[label] = self.metric.labels(label)
        return child


class Metrics:
    """The counters one worker keeps."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.connections = Gauge("normarena_connections", "Open websocket connections.", registry=self.registry)
        self.games = Gauge("normarena_games_connected", "Games with a connection here.", registry=self.registry)
        self.requests = Counter(
            "normarena_requests", "Websocket requests answered, by type.", ["type"], registry=self.registry
        )
        self.errors = Counter("normarena_errors", "Errors sent to clients, by code.", ["code"], registry=self.registry)
        self.commits = Counter(
            "normarena_commit_tries",
            "Commit attempts of game changes, by result: committed, stale (another worker was first), refused.",
            ["result"],
            registry=self.registry,
        )
        self.acked = Counter("normarena_actions_acked", "Actions applied and acknowledged.", registry=self.registry)
        self.batch = Histogram(
            "normarena_commit_batch",
            "Actions committed together in one write.",
            buckets=(1, 2, 4, 8, 16, 32, 64),
            registry=self.registry,
        )
        self.latency = Histogram(
            "normarena_request_seconds",
            "Time from a request's arrival to its answer being queued, by type.",
            ["type"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.requests_by_type = ByLabel(self.requests)
        self.latency_by_type = ByLabel(self.latency)
        self.commits_by_result = ByLabel(self.commits)

    def render(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)
