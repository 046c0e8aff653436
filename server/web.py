"""Serving the browser client: the app shell on its routes, static files with a cache policy,
and security headers (a Content-Security-Policy with no inline script) on every response.

The client is plain ES modules under `client_web/`; the one inline element is the import
map, which the policy allows by its sha256 (computed here from the page), not by
'unsafe-inline'.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Paths the browser app draws itself: each gets the app shell (index.html).
APP_ROUTES = re.compile(r"^/(join(/[^/]*)?|game/[^/]+(/[a-z]+)*|play/[^/]+|rules)/?$")
IMMUTABLE = "public, max-age=31536000, immutable"  # vendored files carry their version in the path
REVALIDATE = "no-cache"  # the app's own modules and pages: always checked, served from cache if unchanged
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)


def inline_script_hashes(page: bytes) -> list[str]:
    """CSP sources for the page's inline scripts (the import map): 'sha256-...' each."""
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'" for body in _INLINE_SCRIPT.findall(page)
    ]


def content_security_policy(hashes: list[str]) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' " + " ".join(hashes),
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


class ClientApp:
    """The client's files at `/`, and the app shell for the app's own routes."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.shell = directory / "index.html"
        self.files = StaticFiles(directory=directory, html=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "/")
        if scope["type"] == "http" and APP_ROUTES.match(path):
            response: Response = FileResponse(self.shell, headers={"cache-control": REVALIDATE})
            await response(scope, receive, send)
            return
        await self.files(scope, receive, send)


class SecurityHeaders:
    """Adds the security headers and a cache policy to every HTTP response."""

    def __init__(self, app: ASGIApp, directory: Path) -> None:
        self.app = app
        page = (directory / "index.html").read_bytes()
        self.headers = [
            (b"content-security-policy", content_security_policy(inline_script_hashes(page)).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                cache = [v for k, v in message.get("headers", []) if k.lower() == b"cache-control"]
                headers.extend(self.headers)
                headers.append((b"cache-control", _cache_policy(path, cache[0] if cache else b"")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cache_policy(path: str, given: bytes) -> bytes:
    if path.startswith("/vendor/"):
        return IMMUTABLE.encode()
    if path.startswith("/api/"):
        return b"no-store"  # answers carry tokens
    return given or REVALIDATE.encode()


def client(directory: Path) -> ClientApp:
    """The ASGI app to mount at `/`."""
    return ClientApp(directory)
