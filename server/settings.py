"""The server's settings: one frozen record, built from the command line and the environment."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass

CLUSTER_SCHEME = "redis+cluster://"
ENVIRONMENT = {
    "REDIS_URL": "redis_url",
    "NORMARENA_DATA": "data_dir",
    "NORMARENA_OPERATOR_TOKEN": "operator_token",
    "NORMARENA_PUBLIC_URL": "public_url",
    "NORMARENA_GAME_IDLE_DAYS": "game_idle_days",
}
_VARIABLES = {name: variable for variable, name in ENVIRONMENT.items()}


@dataclass(frozen=True)
class Settings:
    """Where to listen, which Redis to use, and the limits that protect a worker and its players.
    docs/operations.md describes each limit."""

    host: str = "127.0.0.1"
    port: int = 8000
    redis_url: str = ""  # empty: start an embedded Redis server in `data_dir`
    cluster: bool = False  # the address is one node of a Redis Cluster
    data_dir: str = ""  # the embedded Redis's folder; empty: the per-user default
    operator_token: str = ""  # needed to create games; empty: anyone on loopback, nobody elsewhere
    public_url: str = ""  # the address players reach, for join links; empty: as the browser sees it
    game_idle_days: float = 14.0  # a game nobody touches for this long expires, codes and all
    max_frame_bytes: int = 64 * 1024  # above this a frame gets a `frame_too_large` error...
    max_body_bytes: int = 64 * 1024  # ...and an HTTP body a 413 (a scenario upload may be larger:)
    max_upload_bytes: int = 256 * 1024
    rate_per_second: float = 30.0  # requests per player token once greeted, shared
    rate_burst: int = 60  # by all its connections
    bot_rate_per_second: float = 400.0  # the same, in games on the bots clock (tournaments)
    address_rate_per_second: float = 300.0  # an address's hellos, and its greeted tokens together
    address_rate_burst: int = 600  # outside the bots clock: a class behind one NAT fits, a flood not
    failed_joins_per_second: float = 1.0  # wrong join codes per address
    failed_joins_burst: int = 30
    creates_per_second: float = 1.0  # games created per address (not on loopback)
    creates_burst: int = 100
    connections_per_address: int = 512
    connections_per_token: int = 8  # seats and the facilitator; a spectator link may be shared
    players_per_seat: int = 12
    send_queue: int = 512  # frames queued for a client before it is dropped as too slow...
    send_queue_bytes: int = 2 * 1024 * 1024  # ...or this many bytes
    redis_connections: int = 64  # the pool is bounded and blocks when all are in use
    deadline_poll_seconds: float = 0.25
    lease_ms: int = 5000

    @property
    def hard_frame_bytes(self) -> int:
        """...and above this the websocket layer closes the connection (1009, message too big)."""
        return 4 * self.max_frame_bytes

    @property
    def game_ttl_seconds(self) -> int:
        return int(self.game_idle_days * 86_400)

    @property
    def on_loopback(self) -> bool:
        return self.host in ("127.0.0.1", "localhost", "::1")

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then the environment, then explicit overrides that are not None. Besides the
        names in ENVIRONMENT, every limit may be set as NORMARENA_ and its name in capitals
        (`NORMARENA_RATE_PER_SECOND=60`); a value that is not a number raises ValueError."""
        values: dict[str, object] = {}
        for field in dataclasses.fields(cls):
            variable = _VARIABLES.get(field.name, f"NORMARENA_{field.name.upper()}")
            raw = os.environ.get(variable)
            if raw and field.type in ("int", "float"):
                try:
                    values[field.name] = int(raw) if field.type == "int" else float(raw)
                except ValueError:
                    raise ValueError(f"{variable} must be a number, not {raw!r}.") from None
            elif raw and field.type == "str":
                values[field.name] = raw
        if os.environ.get("REDIS_CLUSTER", "").lower() in ("1", "true", "yes"):
            values["cluster"] = True
        values.update({k: v for k, v in overrides.items() if v is not None})
        url = str(values.get("redis_url", ""))
        if url.startswith(CLUSTER_SCHEME):
            # redis+cluster://host:port names a cluster node; redis-py wants redis:// for it.
            values["redis_url"] = "redis://" + url[len(CLUSTER_SCHEME) :]
            values["cluster"] = True
        return cls(**values)  # type: ignore[arg-type]
