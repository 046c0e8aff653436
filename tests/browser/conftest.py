"""Real headless Chromium (Debian's, driven by Playwright) against a real `normarena serve`
on a real Redis. Every page a test visits can be photographed into test-output/browser/."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.embedded_redis import EmbeddedRedis, end_process, free_port

playwright_api = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, ViewportSize, sync_playwright  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--disable-dev-shm-usage",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1280, "height": 860}
PROJECTOR: ViewportSize = {"width": 1920, "height": 1080}


@pytest.fixture(scope="package")
def redis_for_browser() -> Iterator[EmbeddedRedis]:
    server = EmbeddedRedis().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="package")
def base_url(redis_for_browser: EmbeddedRedis) -> Iterator[str]:
    """A real `normarena serve` in its own process, run from this checkout."""
    with serve(redis_for_browser.url, "server") as url:
        yield url


@contextlib.contextmanager
def serve(redis_url: str, log: str, *options: str) -> Iterator[str]:
    """`normarena serve` on a free loopback port with `options`; its output goes to
    test-output/browser/LOG.log. Yields its address, and stops it at the end."""
    port = free_port()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with (OUTPUT / f"{log}.log").open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "normarena", "serve", "--port", str(port), "--redis-url", redis_url, *options],
            cwd=ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_ready(url, process, log)
            yield url
        finally:
            end_process(process)


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], log: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"normarena serve exited; see test-output/browser/{log}.log")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("normarena serve did not become ready")


# Package scope, not session: Playwright's sync driver keeps an event loop set on the
# main thread while it runs, and the asyncio tests collected after this folder must not
# find one (pytest-asyncio refuses to start its own inside a running loop).
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield launched
    finally:
        launched.close()


class Contexts:
    """Browser contexts for one test (each a separate person: own storage, own cookies),
    closed at the end; every console error and page error is collected."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.opened: list[BrowserContext] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

    def new(self, viewport: ViewportSize | None = None, locale: str = "en-GB", **options: object) -> BrowserContext:
        options.setdefault("base_url", self.base_url)
        context = self.browser.new_context(
            viewport=viewport or LAPTOP,
            locale=locale,
            **options,  # type: ignore[arg-type]
        )
        context.set_default_timeout(15_000)
        self.opened.append(context)
        context.on("page", self._watch)
        return context

    def page(self, viewport: ViewportSize | None = None, locale: str = "en-GB", **options: object) -> Page:
        return self.new(viewport, locale, **options).new_page()

    def _watch(self, page: Page) -> None:
        def on_console(message: object) -> None:
            kind = getattr(message, "type", "")
            text = str(getattr(message, "text", ""))
            # A refusal the page expects and shows in words (a wrong or locked join code, a
            # missing operator token) is also logged by the browser as a failed load.
            probed = "Failed to load resource" in text and re.search(r"status of 4(01|03|04|09|10)", text)
            if kind == "error" and not probed:
                self.errors.append(f"{page.url}: {text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

        def on_dialog(dialog: object) -> None:
            self.dialogs.append(str(getattr(dialog, "message", "")))
            dialog.dismiss()  # type: ignore[attr-defined]

        page.on("dialog", on_dialog)

    def close(self) -> None:
        for context in self.opened:
            context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if call.when == "call":
        item.stash[_FAILED] = bool(getattr(report, "failed", False))
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def contexts(request: pytest.FixtureRequest, browser: Browser, base_url: str) -> Iterator[Contexts]:
    opened = Contexts(browser, base_url)
    try:
        yield opened
    finally:
        if request.node.stash.get(_FAILED, False):
            # What every open page showed when the test failed, to look at.
            pages = [page for context in opened.opened for page in context.pages]
            for number, page in enumerate(pages):
                shoot(page, f"failed-{request.node.name}-{number}")
        opened.close()


DOC_IMAGES = ROOT / "docs" / "img"


def shoot(page: Page, name: str, full_page: bool = True) -> Path:
    """A screenshot into test-output/browser/NAME.png. With NORMARENA_DOC_IMAGES=1, the ones
    docs/facilitator.md shows (those already in docs/img) are refreshed there too."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if os.environ.get("NORMARENA_DOC_IMAGES") == "1" and (DOC_IMAGES / path.name).exists():
        shutil.copyfile(path, DOC_IMAGES / path.name)
    return path


def axe_violations(page: Page) -> list[dict[str, object]]:
    """Serious and critical accessibility violations on the page, by the vendored axe-core
    (loaded from the server like any script, so the page's CSP allows it)."""
    page.add_script_tag(url=_axe_path())
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, { resultTypes: ["violations"] });
            return result.violations
              .filter((v) => v.impact === "serious" || v.impact === "critical")
              .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                             nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
        }"""
    )
    assert isinstance(found, list)
    return found


def _axe_path() -> str:
    vendored = sorted((ROOT / "client_web" / "vendor").glob("axe-core-*/axe.min.js"))
    assert vendored, "axe-core is not vendored"
    return "/" + vendored[-1].relative_to(ROOT / "client_web").as_posix()
