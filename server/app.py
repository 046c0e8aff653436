"""The starlette application: the HTTP routes, the websocket, the browser client, and the
lifespan that makes and stops the worker (Redis, the hub, autopilots, the deadline loop)."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Mount, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import web
from server.api import ROUTES
from server.session import websocket_endpoint
from server.settings import Settings
from server.workers import Worker

CLIENT_DIR = Path(__file__).resolve().parent.parent / "client_web"
log = logging.getLogger("normarena.http")


def create_app(settings: Settings) -> Starlette:
    """The server for these settings; Redis must be reachable at `settings.redis_url`."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        worker = Worker.make(settings)
        app.state.worker = worker
        await worker.start()
        try:
            yield
        finally:
            await worker.stop()

    routes = [
        *ROUTES,
        WebSocketRoute("/ws", websocket_endpoint),
        Mount("/", web.client(CLIENT_DIR), name="client"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(Guard, limit=settings.max_upload_bytes)
    app.add_middleware(web.SecurityHeaders, directory=CLIENT_DIR)
    return app


class Guard:
    """Every HTTP request: a body over the limit is refused with 413 before the app reads it,
    and an unexpected failure answers JSON 500 (logged here, never shown to the client)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            await _answer(send, 413, "body_too_large", f"Request bodies are limited to {self.limit} bytes.")
            return
        received = 0
        started = False

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, tracking)
        except _TooLarge:
            if not started:
                await _answer(send, 413, "body_too_large", f"Request bodies are limited to {self.limit} bytes.")
        except Exception:
            log.exception("%s %s failed", scope.get("method"), scope.get("path"))
            if not started:
                await _answer(send, 500, "internal_error", "The server failed on this request; it has been logged.")


class _TooLarge(Exception):
    pass


async def _answer(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": code, "message": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
