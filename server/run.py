"""`normarena serve`: claim the port, start Redis if none is given, then the server on uvicorn.

Whatever goes wrong before the server runs (the port is taken, the data folder is in use,
Redis cannot be reached) is said in one sentence, and `serve` exits non-zero.
"""

from __future__ import annotations

import dataclasses
import errno
import gc
import secrets
import socket
import sys
import warnings
from pathlib import Path

import redis
import uvicorn

from server.app import create_app
from server.embedded_redis import DataFolderBusy, EmbeddedRedis, default_data_dir
from server.settings import Settings
from server.transport import uvicorn_config

OPERATOR_FILE = "operator-token"
# The collector's thresholds for a serving process (Python's defaults are 700, 10, 10). With
# 7,500 connections the defaults ran about 20 full collections a minute-long load, the longest
# 1.0 to 1.6 s, in which no frame went out: 10 to 12 s of every 70 (bench/README.md, many-games).
# Young garbage is still collected often; a full pass comes after about 100 middle ones.
GC_THRESHOLDS = (50_000, 20, 100)


class ServeError(RuntimeError):
    """Why the server could not start, in one sentence."""


def serve(settings: Settings) -> int:
    """Run the server until interrupted; with no Redis address, on an embedded real Redis."""
    try:
        listener = _claim(settings.host, settings.port)
    except ServeError as error:
        print(f"normarena serve: {error}", file=sys.stderr)
        return 2
    embedded = None
    try:
        if not settings.redis_url:
            data = Path(settings.data_dir) if settings.data_dir else default_data_dir()
            try:
                embedded = EmbeddedRedis(directory=data, unix_socket=True).start()
            except DataFolderBusy as error:
                raise ServeError(str(error)) from error
            settings = dataclasses.replace(settings, redis_url=embedded.url, data_dir=str(data))
            print(f"Games are kept in {data} (an embedded Redis, append-only).", file=sys.stderr)
        else:
            _check_redis(settings)
        settings = _with_operator(settings)
        if not settings.public_url and settings.host in ("0.0.0.0", "::"):
            settings = dataclasses.replace(settings, public_url=f"http://{_lan_address()}:{settings.port}")
        _announce(settings)
        warnings.filterwarnings("ignore", message=".*`websockets` implementation is deprecated", category=UserWarning)
        gc.set_threshold(*GC_THRESHOLDS)
        # The socket itself, not its fd: uvicorn takes an fd for a Unix socket, so TCP clients were
        # served without TCP_NODELAY, and a frame sent right after another (an ack after its
        # events) waited up to 40 ms for the client's delayed ACK. (Found by the reliability tests.)
        uvicorn.Server(uvicorn_config(create_app(settings), settings)).run(sockets=[listener])
    except ServeError as error:
        print(f"normarena serve: {error}", file=sys.stderr)
        return 1
    finally:
        listener.close()
        if embedded is not None:
            embedded.stop()
    return 0


def _claim(host: str, port: int) -> socket.socket:
    """Bind the listening socket before anything starts, so a taken port stops us at once."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as error:
        listener.close()
        if error.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} on {host} is already in use (another server?); choose one with --port"
            ) from error
        raise ServeError(f"cannot listen on {host}:{port}: {error.strerror}") from error
    listener.listen(2048)
    listener.set_inheritable(True)
    return listener


def _check_redis(settings: Settings) -> None:
    if settings.cluster:
        return  # the cluster client checks its nodes when the app starts
    client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except (redis.RedisError, OSError, ValueError) as error:
        raise ServeError(f"cannot reach Redis at {settings.redis_url}: {error}") from error
    finally:
        client.close()


def _with_operator(settings: Settings) -> Settings:
    """Off loopback, creating games needs the operator's token: make one if none was given (kept
    in the data folder when there is one, so it stays the same across restarts)."""
    if settings.operator_token or settings.on_loopback:
        return settings
    token = ""
    stored = Path(settings.data_dir) / OPERATOR_FILE if settings.data_dir else None
    if stored is not None and stored.exists():
        token = stored.read_text(encoding="utf-8").strip()
    if not token:
        token = secrets.token_urlsafe(16)
        if stored is not None:
            stored.write_text(token, encoding="utf-8")
            stored.chmod(0o600)
    return dataclasses.replace(settings, operator_token=token)


def _lan_address() -> str:
    """This machine's address on its local network, as students' devices would reach it."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))  # no packet is sent: this only picks a route
        address: str = probe.getsockname()[0]
        return address
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def _announce(settings: Settings) -> None:
    base = settings.public_url or f"http://{settings.host}:{settings.port}"
    print(f"Norm Arena is serving at {base}/  (websocket: {base.replace('http', 'ws', 1)}/ws)", file=sys.stderr)
    if settings.operator_token:
        print(
            f"Open {base}/#operator={settings.operator_token} on the facilitator's computer to run games "
            f"(the operator token lets it create them).",
            file=sys.stderr,
        )
    else:
        print(f"Open {base}/ in a browser to run a game; players join from the same address.", file=sys.stderr)
