"""One page at a time in real Chromium against a real server: what each shows, what it
refuses, and that nothing it shows from players is ever run as markup."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import expect

from scenarios import list_scenarios, load_scenario
from tests.browser.conftest import LAPTOP, PHONE, PROJECTOR, Contexts, axe_violations, shoot
from tests.browser.flow import (
    api_game,
    api_join,
    facilitate_in_browser,
    facilitator_control,
    seat_in_browser,
    send_message,
)

XSS = "<img src=x onerror=alert(1)>"


def test_every_response_carries_the_security_headers(base_url: str) -> None:
    for path in ("/", "/join/ABC123", "/game/x/projector", "/app/main.js", "/api/scenarios", "/healthz"):
        response = httpx.get(base_url + path)
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self' 'sha256-" in policy, path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
        assert response.headers.get("x-content-type-options") == "nosniff", path
    assert httpx.get(base_url + "/api/scenarios").headers["cache-control"] == "no-store"
    vendored = httpx.get(base_url + "/vendor/preact-11.2.0/preact.mjs")
    assert vendored.status_code == 200 and "immutable" in vendored.headers["cache-control"]
    shell = httpx.get(base_url + "/join/ABC123")
    assert shell.status_code == 200 and '<script type="importmap">' in shell.text
    assert httpx.get(base_url + "/no-such-file.js").status_code == 404


def test_start_page_runs_a_game_whose_link_opens_it_anywhere(contexts: Contexts) -> None:
    page = contexts.page(LAPTOP)
    page.goto("/")
    expect(page.locator(".scenario-option")).to_have_count(len(list_scenarios()))
    expect(page.locator(".scenario-option.chosen")).to_contain_text("45 Minutes")
    shoot(page, "start")
    assert axe_violations(page) == []
    page.locator('input[name="clock"][value="distance"]').check()
    distance = load_scenario("classroom-quick").clocks["distance"]["negotiate"]  # the scenario's own clock
    expect(page.locator(".durations input").first).to_have_value(str(int(distance)))
    page.get_by_role("button", name="Create the game").click()
    link = page.locator("[data-bookmark]").inner_text()
    assert re.search(r"/game/[0-9a-f]+#token=\S+&spectator=\S+", link)
    page.goto("/")
    expect(page.locator(".my-games li")).to_have_count(1)
    # The bookmarked link opens the game on another computer, its projector view included.
    elsewhere = contexts.page(LAPTOP)
    elsewhere.goto(link)
    expect(elsewhere.locator(".seat-card")).to_have_count(6)
    assert "#" not in elsewhere.url, "the token left the address bar"
    elsewhere.goto(link.split("#")[0] + "/projector")
    expect(elsewhere.locator("main.projector")).to_have_attribute("data-viewer", "spectator")
    assert contexts.errors == []


def test_join_refuses_an_unknown_code_in_the_servers_words(contexts: Contexts) -> None:
    page = contexts.page(PHONE)
    page.goto("/join/NOPE42")
    expect(page.locator('input[name="code"]')).to_have_value("NOPE42")
    page.locator('input[name="name"]').fill("Ada")
    page.locator(".join-form button[type=submit]").click()
    expect(page.locator(".refusal")).to_have_attribute("data-refusal", "unknown_code")
    shoot(page, "join-refused")
    assert axe_violations(page) == []


def test_a_message_that_looks_like_markup_is_shown_as_text(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    norway = api_join(base_url, made["join_codes"]["norway"], XSS)
    china = api_join(base_url, made["join_codes"]["china"], "Li")
    assert facilitator_control(base_url, made, "start")["type"] == "ack"
    sender = contexts.page(LAPTOP)
    seat_in_browser(sender, made["game"], "norway", norway["token"], XSS)
    reader = contexts.page(PHONE)
    seat_in_browser(reader, made["game"], "china", china["token"], "Li")
    send_message(sender, "public", XSS)
    reader.locator('.section-tabs button[data-section="talk"]').click()
    expect(reader.locator(".thread .message .text")).to_have_text(XSS)
    expect(sender.locator(".topbar-title")).to_contain_text(XSS)  # the player's own name, as typed
    for page in (sender, reader):
        assert page.locator("main img").count() == 0
        assert page.evaluate("() => document.querySelectorAll('[onerror]').length") == 0
    assert contexts.dialogs == []
    assert contexts.errors == []


def test_the_projector_is_a_spectator_and_shows_no_secret(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    norway = api_join(base_url, made["join_codes"]["norway"], "Ingrid")
    facilitator_control(base_url, made, "start")
    player = contexts.page(LAPTOP)
    seat_in_browser(player, made["game"], "norway", norway["token"], "Ingrid")
    send_message(player, "south_africa", "Private: our fallback is leadership of the country team")
    projector = contexts.page(PROJECTOR)
    facilitate_in_browser(projector, made, "/projector")
    expect(projector.locator("main.projector")).to_have_attribute("data-viewer", "spectator")
    expect(projector.locator(".provision")).to_have_count(3)
    text = projector.locator("body").inner_text()
    assert "Private: our fallback" not in text
    assert "Ministry of Foreign Affairs" not in text  # Norway's role sheet
    shoot(projector, "projector", full_page=False)
    assert axe_violations(projector) == []


def test_the_rules_handout_prints_on_a4_and_letter(contexts: Contexts) -> None:
    page = contexts.page(LAPTOP)
    page.goto("/rules")
    expect(page.locator(".rules-section")).to_have_count(11)
    shoot(page, "rules-handout")
    assert axe_violations(page) == []
    page.emulate_media(media="print")
    assert page.locator(".topbar").is_hidden()
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, print_background=False)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pdf.startswith(b"%PDF") and 1 <= pages <= 3, (paper, pages)


def test_the_board_speaks_french_and_switches_to_english(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    nupi = api_join(base_url, made["join_codes"]["nupi"], "Camille")
    facilitator_control(base_url, made, "start")
    page = contexts.page(PHONE, locale="fr-FR")
    seat_in_browser(page, made["game"], "nupi", nupi["token"], "Camille")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#draft-title")).to_have_text("Le projet de texte")
    expect(page.locator('[data-action="end_negotiation"]')).to_have_text("J'ai fini de négocier")
    shoot(page, "board-french-phone")
    assert axe_violations(page) == []
    page.locator(".language select").select_option("en")
    expect(page.locator("#draft-title")).to_have_text("The draft")
    page.reload()
    expect(page.locator("#draft-title")).to_have_text("The draft")  # the choice is remembered


def test_a_right_to_left_layout_mirrors_the_board(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    seat = api_join(base_url, made["join_codes"]["norway"], "Noor")
    page = contexts.page(LAPTOP)
    seat_in_browser(page, made["game"], "norway", seat["token"], "Noor")
    page.goto(f"/play/{made['game']}?dir=rtl")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    brand = page.locator(".brand").bounding_box()
    tools = page.locator(".topbar-tools").bounding_box()
    assert brand and tools and brand["x"] > tools["x"], "the brand stands at the right in RTL"
    shoot(page, "board-rtl")


def test_a_dropped_connection_shows_offline_resumes_and_loses_nothing(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    norway = api_join(base_url, made["join_codes"]["norway"], "Ingrid")
    facilitator_control(base_url, made, "start")
    page = contexts.page(LAPTOP)
    seat_in_browser(page, made["game"], "norway", norway["token"], "Ingrid")
    send_message(page, "public", "Before the drop")
    page.evaluate("() => { for (const c of window.normarena.connections.values()) { c.drop(); } }")
    expect(page.locator("[data-offline]")).to_be_visible()
    expect(page.locator('[data-connection="offline"]')).to_be_visible()
    page.locator(".composer textarea").fill("Sent while offline")
    page.locator(".composer button[type=submit]").click()
    expect(page.locator('[data-connection="live"]')).to_be_visible(timeout=15_000)
    expect(page.locator(".thread .message .text")).to_have_text(["Before the drop", "Sent while offline"])
    export = httpx.get(
        f"{base_url}/api/games/{made['game']}/export", headers={"authorization": f"Bearer {made['facilitator_token']}"}
    ).json()
    sent = [a for a in export["actions"] if a["action"]["type"] == "send_message"]
    assert [a["action"]["text"] for a in sent] == ["Before the drop", "Sent while offline"]  # once each
    assert contexts.errors == []
