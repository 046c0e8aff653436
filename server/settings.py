"""The server's settings: one frozen record, built from the command line and the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass

CLUSTER_SCHEME = "redis+cluster://"


@dataclass(frozen=True)
class Settings:
    """Where to listen, which Redis to use, and the limits that protect a worker."""

    host: str = "127.0.0.1"
    port: int = 8000
    redis_url: str = ""  # empty: start an embedded Redis server
    cluster: bool = False  # the address is one node of a Redis Cluster
    max_frame_bytes: int = 64 * 1024  # above this a frame gets a `frame_too_large` error...
    rate_per_second: float = 30.0
    rate_burst: int = 60
    send_queue: int = 256
    deadline_poll_seconds: float = 0.25
    lease_ms: int = 5000

    @property
    def hard_frame_bytes(self) -> int:
        """...and above this the websocket layer closes the connection (1009, message too big)."""
        return 4 * self.max_frame_bytes

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then the environment (REDIS_URL), then explicit overrides that are not None."""
        values: dict[str, object] = {}
        if os.environ.get("REDIS_URL"):
            values["redis_url"] = os.environ["REDIS_URL"]
        if os.environ.get("REDIS_CLUSTER", "").lower() in ("1", "true", "yes"):
            values["cluster"] = True
        values.update({k: v for k, v in overrides.items() if v is not None})
        url = str(values.get("redis_url", ""))
        if url.startswith(CLUSTER_SCHEME):
            # redis+cluster://host:port names a cluster node; redis-py wants redis:// for it.
            values["redis_url"] = "redis://" + url[len(CLUSTER_SCHEME) :]
            values["cluster"] = True
        return cls(**values)  # type: ignore[arg-type]
