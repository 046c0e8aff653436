"""A server started as for a classroom (an operator token, a public address for the phones)
and what the browser does when that server's Redis goes away and comes back. Each test runs
its own `normarena serve` on its own real Redis."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import expect

from server.embedded_redis import EmbeddedRedis
from tests.browser.conftest import LAPTOP, PROJECTOR, Contexts, serve, shoot
from tests.browser.flow import facilitator_control, seat_in_browser, send_message

OPERATOR = "operator-token-for-the-test"
PUBLIC = "http://192.0.2.10:8000"  # a documentation address: shown in links, never reached


@pytest.fixture(scope="module")
def classroom_redis() -> Iterator[EmbeddedRedis]:
    server = EmbeddedRedis(fsync="always").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def classroom_url(classroom_redis: EmbeddedRedis) -> Iterator[str]:
    with serve(classroom_redis.url, "classroom-server", "--operator-token", OPERATOR, "--public-url", PUBLIC) as url:
        yield url


def test_the_operators_link_is_remembered_and_taken_out_of_the_address(contexts: Contexts, classroom_url: str) -> None:
    first = contexts.page(LAPTOP, base_url=classroom_url)
    first.goto("/")
    expect(first.locator('input[name="operator"]')).to_be_visible()  # asked: this browser has none
    page = first.context.new_page()  # the link the server printed, opened in the same browser
    page.goto(f"/#operator={OPERATOR}")
    expect(page.locator(".scenario-option").first).to_be_visible()
    assert page.url == classroom_url + "/", "the token left the address bar"
    assert page.evaluate("JSON.parse(localStorage.getItem('normarena.operator'))") == OPERATOR
    expect(page.locator('input[name="operator"]')).to_have_count(0)  # and not asked again
    page.reload()
    expect(page.locator(".scenario-option").first).to_be_visible()
    expect(page.locator('input[name="operator"]')).to_have_count(0)
    page.get_by_role("button", name="Create the game").click()
    expect(page.locator("[data-bookmark]")).to_contain_text(f"{PUBLIC}/game/")
    page.get_by_role("button", name="Open the lobby").click()
    expect(page.locator(".seat-card")).to_have_count(6)
    link = page.locator(".seat-card .join-link a").first
    assert (link.get_attribute("href") or "").startswith(f"{PUBLIC}/join/"), "phones get the LAN address"
    assert (page.locator(".seat-card svg.qr").first.get_attribute("data-qr") or "").startswith(f"{PUBLIC}/join/")
    expect(page.locator("[data-loopback]")).to_have_count(0)
    # A class joining, as the guide shows it: two students, a bot, joining locked.
    codes = {seat: page.locator(f'.seat-card[data-seat="{seat}"] [data-code]').get_attribute("data-code") or ""
             for seat in ("norway", "south_africa")}  # fmt: skip
    httpx.post(f"{classroom_url}/api/join", json={"code": codes["norway"], "name": "Ingrid"})
    httpx.post(f"{classroom_url}/api/join", json={"code": codes["south_africa"], "name": "Thabo"})
    china = page.locator('.seat-card[data-seat="china"]')
    china.locator('[data-control="bot"]').click()
    expect(china.locator(".bot-note")).to_be_visible()
    page.locator('[data-control="lock"]').click()
    expect(page.locator('.seat-card[data-seat="south_africa"] .players li')).to_have_text(["Thabo"])
    shoot(page, "03-lobby")
    codes_page = page.context.new_page()
    codes_page.set_viewport_size(PROJECTOR)
    codes_page.goto(page.url.replace("/lobby", "").rstrip("/") + "/codes")
    expect(codes_page.locator(".code-tile")).to_have_count(6)
    expect(codes_page.locator(".codes-how")).to_contain_text("192.0.2.10:8000/join")
    expect(codes_page.locator('.code-tile[data-seat="norway"] .joined')).to_have_text("Ingrid")
    shoot(codes_page, "02-codes-projector", full_page=False)
    assert contexts.errors == []


def test_a_wrong_operator_token_is_asked_for_again(contexts: Contexts, classroom_url: str) -> None:
    page = contexts.page(LAPTOP, base_url=classroom_url)
    page.goto("/#operator=not-the-token")
    page.get_by_role("button", name="Create the game").click()
    expect(page.locator(".run-form .refusal")).to_contain_text("not this server's operator token")
    page.locator('input[name="operator"]').fill(OPERATOR)
    page.get_by_role("button", name="Create the game").click()
    expect(page.locator("[data-bookmark]")).to_be_visible()
    assert page.evaluate("JSON.parse(localStorage.getItem('normarena.operator'))") == OPERATOR


def test_a_redis_outage_is_told_and_what_was_sent_meanwhile_arrives_once(
    contexts: Contexts, classroom_url: str, classroom_redis: EmbeddedRedis
) -> None:
    created = httpx.post(
        f"{classroom_url}/api/games",
        json={"scenario": "classroom-quick", "seed": 5, "clock": "bots"},
        headers={"authorization": f"Bearer {OPERATOR}"},
    )
    made = created.json()
    norway = httpx.post(f"{classroom_url}/api/join", json={"code": made["join_codes"]["norway"], "name": "Ingrid"})
    facilitator_control(classroom_url, made, "start")
    page = contexts.page(LAPTOP, base_url=classroom_url)
    seat_in_browser(page, made["game"], "norway", norway.json()["token"], "Ingrid")
    send_message(page, "public", "Before the outage")
    classroom_redis.kill()
    try:
        expect(page.locator("[data-degraded]")).to_be_visible()
        page.locator(".composer textarea").fill("Written while the store was away")
        page.locator(".composer button[type=submit]").click()
        expect(page.locator(".connection")).to_contain_text("1 action waiting to be sent")
        shoot(page, "board-degraded")
    finally:
        classroom_redis.restart()
    expect(page.locator("[data-degraded]")).to_have_count(0, timeout=20_000)
    texts = ["Before the outage", "Written while the store was away"]
    expect(page.locator(".thread .message .text")).to_have_text(texts)
    expect(page.locator(".composer textarea")).to_have_value("")
    exported = httpx.get(
        f"{classroom_url}/api/games/{made['game']}/export",
        headers={"authorization": f"Bearer {made['facilitator_token']}"},
    ).json()
    sent = [a["action"]["text"] for a in exported["actions"] if a["action"]["type"] == "send_message"]
    assert sent == texts
