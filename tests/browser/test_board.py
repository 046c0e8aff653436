"""The player's board against the real server: the countdown from the view's clock, a team
sharing a seat told apart by name, live changes arriving as patches, and a view that could
not follow a patch starting again from a whole one; constituencies' ownership beside the
blocs'."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, ViewportSize, WebSocket, expect

from scenarios import load_scenario
from tests.browser.conftest import LAPTOP, PHONE, Contexts, shoot
from tests.browser.flow import api_game, api_join, board_section, facilitator_control, seat_in_browser, send_message


def countdown(page: Page) -> int:
    return int(page.locator(".countdown").get_attribute("data-countdown") or -1)


def seated(
    contexts: Contexts, base_url: str, seat: str, name: str, viewport: ViewportSize, **game: str
) -> tuple[Page, dict[str, Any]]:
    """A started game, and a page with one player at its seat's board."""
    made = api_game(base_url, **game)
    joined = api_join(base_url, made["join_codes"][seat], name)
    facilitator_control(base_url, made, "start")
    page = contexts.page(viewport)
    seat_in_browser(page, made["game"], seat, joined["token"], name)
    return page, made


def test_the_countdown_runs_and_stands_still_while_paused(contexts: Contexts, base_url: str) -> None:
    page, made = seated(contexts, base_url, "norway", "Ingrid", PHONE, clock="classroom")
    expect(page.locator(".countdown")).to_be_visible()
    first = countdown(page)
    negotiate = load_scenario("classroom-quick").clocks["classroom"]["negotiate"]  # the scenario's own clock
    assert negotiate - 40 < first <= negotiate, (first, negotiate)
    page.wait_for_timeout(2100)
    assert countdown(page) < first
    facilitator_control(base_url, made, "pause")
    expect(page.locator(".countdown-label")).to_have_text("Paused")
    expect(page.locator("[data-paused]")).to_be_visible()
    held = countdown(page)
    page.wait_for_timeout(1500)
    assert countdown(page) == held
    shoot(page, "board-countdown-paused")
    facilitator_control(base_url, made, "extend", seconds=60)
    expect(page.locator(".countdown")).to_have_attribute("data-countdown", str(held + 60))
    facilitator_control(base_url, made, "resume")
    expect(page.locator("[data-paused]")).to_have_count(0)
    expect(page.locator(".countdown-label")).to_have_text("Time left")


def test_a_team_sharing_a_seat_sees_one_board_and_who_wrote_what(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    ingrid = api_join(base_url, made["join_codes"]["norway"], "Ingrid")
    lars = api_join(base_url, made["join_codes"]["norway"], "Lars")
    li = api_join(base_url, made["join_codes"]["china"], "Li")
    facilitator_control(base_url, made, "start")
    first = contexts.page(LAPTOP)
    seat_in_browser(first, made["game"], "norway", ingrid["token"], "Ingrid")
    second = contexts.page(PHONE)
    seat_in_browser(second, made["game"], "norway", lars["token"], "Lars")
    other = contexts.page(LAPTOP)
    seat_in_browser(other, made["game"], "china", li["token"], "Li")
    for page in (first, second):
        expect(page.locator("[data-team]")).to_have_text("Your team: Ingrid, Lars")
    send_message(first, "china", "Norway would back a consultation in Beijing.")
    board_section(second, "talk")
    second.locator('button[data-conversation="china"]').click()
    expect(second.locator(".thread .message .from")).to_have_text(["Ingrid (your team)"])
    expect(first.locator(".thread .message .from")).to_have_text(["You"])
    other.locator('button[data-conversation="norway"]').click()
    expect(other.locator(".thread .message .from")).to_have_text(["Norway · Ingrid"])
    shoot(second, "board-team-phone")
    assert contexts.errors == []


def test_a_view_that_cannot_follow_a_patch_starts_again_from_a_whole_view(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    norway = api_join(base_url, made["join_codes"]["norway"], "Ingrid")
    china = api_join(base_url, made["join_codes"]["china"], "Li")
    facilitator_control(base_url, made, "start")
    page = contexts.page(LAPTOP)
    sockets: list[WebSocket] = []
    page.on("websocket", lambda socket: sockets.append(socket))
    seat_in_browser(page, made["game"], "norway", norway["token"], "Ingrid")
    other = contexts.page(LAPTOP)
    seat_in_browser(other, made["game"], "china", china["token"], "Li")
    send_message(other, "public", "The first message arrives as a patch.")
    expect(page.locator(".thread .message .text")).to_have_text(["The first message arrives as a patch."])
    assert len(sockets) == 1
    # The view held loses what the next patch changes (as if a frame had been lost).
    page.evaluate(
        """() => { for (const c of window.normarena.connections.values()) {
            const { messages, message_count, ...rest } = c.store.state.view;
            c.store.set({ view: rest });
        } }"""
    )
    send_message(other, "public", "The second one does not fit.")
    expect(page.locator(".thread .message .text")).to_have_text(
        ["The first message arrives as a patch.", "The second one does not fit."]
    )
    assert len(sockets) == 2, "the page said hello again for a whole view"
    expect(page.locator('[data-connection="live"]')).to_be_visible()
    assert contexts.errors == []


def test_the_board_shows_how_owned_each_constituency_is_beside_the_blocs(contexts: Contexts, base_url: str) -> None:
    # OCHA's goal is the humanitarian community's ownership: the seat must see where it stands.
    page, _ = seated(contexts, base_url, "ocha", "Mark", LAPTOP, scenario="integrated-missions")
    board_section(page, "table")
    rows = page.locator(".blocs-table [data-constituency]")
    expect(rows).to_have_count(len(load_scenario("integrated-missions").constituencies))
    humanitarian = page.locator('.blocs-table [data-constituency="humanitarian"]')
    expect(humanitarian).to_contain_text("Humanitarian")
    expect(humanitarian.locator(".band-chip")).to_have_count(1)
    shoot(page, "board-blocs-and-constituencies")
