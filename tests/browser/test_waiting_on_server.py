"""What the browser does once the server has the features of issue 7's "Server changes"
(docs: /work/notes/wire-v2.md, the contract the lead is building). Each test is written
against that contract and marked xfail(strict=True): it flips to a failure, as a reminder to
drop the mark, the day the server feature lands."""

from __future__ import annotations

import time

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PHONE, Contexts, shoot
from tests.browser.flow import api_game, api_join, facilitate_in_browser, facilitator_control, seat_in_browser


@pytest.mark.xfail(strict=True, reason="needs the wire v2 subprotocol normarena.v2.json from the server")
def test_the_browser_speaks_wire_v2(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    page = contexts.page(LAPTOP)
    facilitate_in_browser(page, made)
    expect(page.locator("[data-wire]")).to_have_attribute("data-wire", "normarena.v2.json", timeout=4_000)


@pytest.mark.xfail(strict=True, reason="needs the phase's deadline in the view (view.clock) from the server")
def test_the_countdown_runs_and_stops_when_paused(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url, clock="classroom")
    norway = api_join(base_url, made["join_codes"]["norway"], "Ingrid")
    facilitator_control(base_url, made, "start")
    page = contexts.page(PHONE)
    seat_in_browser(page, made["game"], "norway", norway["token"], "Ingrid")
    countdown = page.locator(".countdown")
    expect(countdown).to_be_visible(timeout=4_000)
    first = int(countdown.get_attribute("data-countdown") or 0)
    assert 200 < first <= 240
    page.wait_for_timeout(2200)
    assert int(countdown.get_attribute("data-countdown") or 0) < first
    facilitator_control(base_url, made, "pause")
    expect(page.locator(".countdown-label")).to_have_text("Paused")
    held = countdown.get_attribute("data-countdown")
    page.wait_for_timeout(1500)
    assert countdown.get_attribute("data-countdown") == held
    shoot(page, "board-countdown-paused")


@pytest.mark.xfail(strict=True, reason="needs the facilitator's game endpoint GET /api/games/{id} from the server")
def test_the_lobby_shows_who_joined_by_name(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    page = contexts.page(LAPTOP)
    facilitate_in_browser(page, made, "/lobby")
    api_join(base_url, made["join_codes"]["norway"], "Ingrid")
    api_join(base_url, made["join_codes"]["norway"], "Lars")
    card = page.locator('.seat-card[data-seat="norway"]')
    expect(card.locator(".players li")).to_have_text(["Ingrid", "Lars"], timeout=4_000)
    expect(page.locator(".lock-state")).to_contain_text("1 of 6 seats taken")


@pytest.mark.xfail(strict=True, reason="needs bots stepping aside for a person and the game endpoint from the server")
def test_a_bot_steps_aside_when_a_person_joins_its_seat(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    assert facilitator_control(base_url, made, "bot", seat="china", strategy="broker")["type"] == "ack"
    api_join(base_url, made["join_codes"]["china"], "Li")
    page = contexts.page(LAPTOP)
    facilitate_in_browser(page, made, "/lobby")
    card = page.locator('.seat-card[data-seat="china"]')
    expect(card.locator(".players li")).to_have_text(["Li"], timeout=4_000)
    expect(card.locator(".bot-note")).to_have_count(0)


@pytest.mark.xfail(strict=True, reason="needs lock messages (joining_locked, not unknown_code) from the server")
def test_a_locked_code_says_joining_is_locked(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    facilitator_control(base_url, made, "lock")
    page = contexts.page(PHONE)
    page.goto(f"/join/{made['join_codes']['norway']}")
    page.locator('input[name="name"]').fill("Late")
    page.locator(".join-form button[type=submit]").click()
    expect(page.locator(".refusal")).to_have_attribute("data-refusal", "joining_locked")


@pytest.mark.xfail(strict=True, reason="needs the materials endpoint GET /api/games/{id}/materials from the server")
def test_role_sheets_and_the_brief_print(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    page = contexts.page(LAPTOP)
    facilitate_in_browser(page, made, "/print/roles")
    expect(page.locator(".role-sheet-page")).to_have_count(6, timeout=4_000)
    expect(page.locator('.role-sheet-page[data-seat="norway"]')).to_contain_text("Ministry of Foreign Affairs")
    shoot(page, "print-role-sheets")
    for paper in ("A4", "Letter"):
        page.emulate_media(media="print")
        assert page.pdf(format=paper).startswith(b"%PDF")
    page.goto(f"/game/{made['game']}/print/brief")
    expect(page.locator(".brief")).to_contain_text("FACILITATOR'S BRIEF")


@pytest.mark.xfail(strict=True, reason="needs the export for any token of an ended game from the server")
def test_players_download_the_debrief_once_the_game_ends(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    norway = api_join(base_url, made["join_codes"]["norway"], "Ingrid")
    facilitator_control(base_url, made, "start")
    facilitator_control(base_url, made, "end")
    for _ in range(30):  # the end reaches every worker's copy of the game within moments
        exported = httpx.get(
            f"{base_url}/api/games/{made['game']}/export", headers={"authorization": f"Bearer {norway['token']}"}
        )
        if exported.status_code != 409:
            break
        time.sleep(0.1)
    assert exported.status_code == 200
    page = contexts.page(LAPTOP)
    seat_in_browser(page, made["game"], "norway", norway["token"], "Ingrid")
    page.goto(f"/game/{made['game']}/debrief")
    expect(page.locator(".downloads button")).to_have_count(2)


@pytest.mark.xfail(
    strict=True, reason="needs each scenario's clocks and class length in /api/scenarios from the server"
)
def test_each_scenario_suggests_clocks_that_fit_its_class(contexts: Contexts) -> None:
    page = contexts.page(LAPTOP)
    page.goto("/")
    quick = page.locator(".scenario-option.chosen")
    expect(quick).to_contain_text("about 45 minutes")
    scenarios = httpx.get(page.url.rstrip("/") + "/api/scenarios").json()
    classroom = next(s for s in scenarios if s["id"] == "classroom-quick")["clocks"]["classroom"]
    expect(page.locator(".durations input").first).to_have_value(str(classroom["negotiate"]))


@pytest.mark.xfail(strict=True, reason="needs the scenario's ripeness threshold in the view (view.ripeness.threshold)")
def test_the_ripeness_chart_draws_the_threshold(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url, clock="bots")
    for command in ("start", "skip", "skip"):
        facilitator_control(base_url, made, command)
    page = contexts.page(LAPTOP)
    facilitate_in_browser(page, made, "/debrief")
    chart = page.locator('.chart[data-chart="ripeness"]')
    expect(chart.locator(".chart-data tbody tr")).to_have_count(2, timeout=4_000)  # ripeness and the threshold
