"""The facilitator's pages against the real server: the lobby from the game endpoint, joining
locked and codes re-issued, bots seated, replaced and removed, event cards, forks, the
printables from the materials endpoint, and the debrief's downloads and threshold."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import expect

from scenarios import load_scenario
from tests.browser.conftest import LAPTOP, PHONE, Contexts, axe_violations, shoot
from tests.browser.flow import (
    api_game,
    api_join,
    ask_server,
    board_section,
    confirm,
    facilitate_in_browser,
    facilitator_control,
    player_act,
    seat_in_browser,
    send_message,
)


def test_the_lobby_shows_who_joined_by_name_and_which_bot_plays(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    page = contexts.page(LAPTOP)
    facilitate_in_browser(page, made, "/lobby")
    api_join(base_url, made["join_codes"]["norway"], "Ingrid")
    api_join(base_url, made["join_codes"]["norway"], "Lars")
    card = page.locator('.seat-card[data-seat="norway"]')
    expect(card.locator(".players li")).to_have_text(["Ingrid", "Lars"])
    china = page.locator('.seat-card[data-seat="china"]')
    china.locator("select").select_option("spoiler")
    china.locator('[data-control="bot"]').click()
    expect(china.locator(".bot-note")).to_contain_text("Spoiler bot")
    expect(page.locator(".lock-state")).to_contain_text("2 of 6 seats taken")
    page.locator('[data-control="lock"]').click()
    expect(page.locator("[data-locked='1']")).to_be_visible()
    shoot(page, "lobby-names")
    page.locator('[data-control="lock"]').click()
    expect(page.locator("[data-locked='0']")).to_be_visible()
    assert contexts.errors == []


def test_a_person_who_joins_a_bots_seat_takes_its_place(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    assert facilitator_control(base_url, made, "bot", seat="china", strategy="broker")["type"] == "ack"
    api_join(base_url, made["join_codes"]["china"], "Li")
    page = contexts.page(LAPTOP)
    facilitate_in_browser(page, made, "/lobby")
    card = page.locator('.seat-card[data-seat="china"]')
    expect(card.locator(".players li")).to_have_text(["Li"])
    expect(card.locator(".bot-note")).to_have_count(0)


def test_a_locked_game_and_a_reissued_code_refuse_in_words(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    norway = api_join(base_url, made["join_codes"]["norway"], "Ingrid")
    teacher = contexts.page(LAPTOP)
    facilitate_in_browser(teacher, made, "/lobby")
    player = contexts.page(PHONE)
    seat_in_browser(player, made["game"], "norway", norway["token"], "Ingrid")
    card = teacher.locator('.seat-card[data-seat="norway"]')
    confirm(teacher, "New code", '.seat-card[data-seat="norway"]')
    expect(card.locator("[data-code]")).not_to_have_attribute("data-code", made["join_codes"]["norway"])
    expect(player.locator(".banner.bad")).to_have_attribute("data-fatal", "revoked")  # the seat's players are let go
    expect(player.get_by_role("button", name="Join again with a new code")).to_be_visible()
    late = contexts.page(PHONE)
    late.goto(f"/join/{made['join_codes']['norway']}")
    late.locator('input[name="name"]').fill("Late")
    late.locator(".join-form button[type=submit]").click()
    expect(late.locator(".refusal")).to_have_attribute("data-refusal", "code_reissued")
    teacher.locator('[data-control="lock"]').click()
    expect(teacher.locator("[data-locked='1']")).to_be_visible()
    late.goto(f"/join/{made['join_codes']['china']}")
    late.locator('input[name="name"]').fill("Late")
    late.locator(".join-form button[type=submit]").click()
    expect(late.locator(".refusal")).to_have_attribute("data-refusal", "joining_locked")
    shoot(late, "join-locked")


def test_the_console_replaces_people_with_a_bot_plays_a_card_and_forks(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    norway = api_join(base_url, made["join_codes"]["norway"], "Ingrid")
    teacher = contexts.page(LAPTOP)
    facilitate_in_browser(teacher, made, "/lobby")
    player = contexts.page(LAPTOP)
    seat_in_browser(player, made["game"], "norway", norway["token"], "Ingrid")
    teacher.locator('[data-control="start"]').click()
    expect(teacher.locator(".console")).to_be_visible()

    cards = teacher.locator(".inject select")
    expect(cards.locator("option")).to_have_count(5)  # classroom-quick's cards, by title
    cards.select_option(label="Aid workers attacked")
    expect(teacher.locator(".inject .card-text")).to_contain_text("Humanitarian staff are attacked")
    confirm(teacher, "Play this card", ".inject")
    expect(player.locator(".feed")).to_contain_text("Aid workers attacked")

    row = teacher.locator('.seats-table tr[data-seat="norway"]')
    row.locator("select").select_option("entrepreneur")
    confirm(teacher, "Seat a bot", '.seats-table tr[data-seat="norway"]')
    expect(row).to_contain_text("Norm entrepreneur")
    expect(player.locator(".banner.bad")).to_be_visible()  # Ingrid's token was revoked
    row.get_by_role("button", name="Remove the bot").click()
    expect(row.get_by_role("button", name="Remove the bot")).to_have_count(0)

    teacher.locator(".time-travel select").select_option("1")
    confirm(teacher, "Fork a new game", ".time-travel")
    fork = teacher.locator(".time-travel a")
    expect(fork).to_be_visible()
    fork.click()
    expect(teacher.locator(".seats-table tbody tr")).to_have_count(6)
    assert made["game"] not in teacher.url
    teacher.get_by_role("link", name="Seats and codes").click()
    expect(teacher.locator(".seat-card")).to_have_count(6)
    assert (teacher.locator('.seat-card[data-seat="norway"] [data-code]').get_attribute("data-code") or "") not in (
        "",
        made["join_codes"]["norway"],
    )
    shoot(teacher, "console-fork-lobby")
    assert contexts.errors == []


def test_role_sheets_and_the_brief_print_one_sheet_a_page(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    page = contexts.page(LAPTOP)
    facilitate_in_browser(page, made, "/print/roles")
    expect(page.locator(".role-sheet-page")).to_have_count(6)
    norway = page.locator('.role-sheet-page[data-seat="norway"]')
    expect(norway).to_contain_text("Ministry of Foreign Affairs")
    expect(norway.locator(".sheet-code")).to_contain_text(made["join_codes"]["norway"])
    shoot(page, "print-role-sheets")
    page.emulate_media(media="print")
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 6, (paper, "one role sheet a page")
    page.emulate_media(media="screen")
    page.goto(f"/game/{made['game']}/print/brief")
    expect(page.locator(".brief")).to_contain_text("FACILITATOR'S BRIEF")
    expect(page.locator(".brief")).to_contain_text("Questions for discussion")  # the scenario's own questions
    expect(page.locator(".brief")).to_contain_text(load_scenario("classroom-quick").discussion_questions[0])


def test_players_download_the_debrief_once_the_game_ends(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    norway = api_join(base_url, made["join_codes"]["norway"], "Ingrid")
    facilitator_control(base_url, made, "start")
    page = contexts.page(LAPTOP)
    seat_in_browser(page, made["game"], "norway", norway["token"], "Ingrid")
    page.goto(f"/game/{made['game']}/debrief")
    expect(page.get_by_text("The debrief opens for everyone when the game ends.")).to_be_visible()
    facilitator_control(base_url, made, "end")
    page.goto(f"/play/{made['game']}")
    page.get_by_role("link", name="See the debrief").click()
    expect(page.locator(".downloads button")).to_have_count(2)
    with page.expect_download() as download:
        page.get_by_role("button", name="Participation (CSV)").click()
    assert download.value.suggested_filename == f"normarena-{made['game']}.csv"
    exported = httpx.get(
        f"{base_url}/api/games/{made['game']}/export", headers={"authorization": f"Bearer {norway['token']}"}
    )
    assert exported.status_code == 200


def test_the_ripeness_chart_draws_the_scenarios_threshold_and_floor(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url, clock="bots")
    for command in ("start", "skip", "skip"):
        facilitator_control(base_url, made, command)
    page = contexts.page(LAPTOP)
    facilitate_in_browser(page, made, "/debrief")
    ripeness = httpx.get(
        f"{base_url}/api/games/{made['game']}/export", headers={"authorization": f"Bearer {made['facilitator_token']}"}
    ).json()["ripeness"]
    rows = page.locator('.chart[data-chart="ripeness"] .chart-data tbody tr')
    expect(rows).to_have_count(3)  # ripeness, the threshold and the floor
    expect(rows.nth(1).locator("td").first).to_have_text(f"{ripeness['threshold']:g}")
    expect(rows.nth(2).locator("td").first).to_have_text(f"{ripeness['floor']:g}")


def test_each_scenario_suggests_clocks_that_fit_its_class(contexts: Contexts, base_url: str) -> None:
    scenarios = httpx.get(f"{base_url}/api/scenarios").json()
    quick = next(s for s in scenarios if s["id"] == "classroom-quick")
    assert quick["minutes"] == 45
    page = contexts.page(LAPTOP)
    page.goto("/")
    expect(page.locator(".scenario-option.chosen")).to_contain_text("about 45 minutes")
    negotiate = quick["clocks"]["classroom"]["negotiate"]
    expect(page.locator(".durations input").first).to_have_value(str(int(negotiate)))


def test_the_facilitators_other_pages_pass_axe(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    norway = api_join(base_url, made["join_codes"]["norway"], "Ingrid")
    facilitator_control(base_url, made, "start")
    player = contexts.page(PHONE)
    seat_in_browser(player, made["game"], "norway", norway["token"], "Ingrid")
    send_message(player, "china", "A word in private.")
    page = contexts.page(LAPTOP)
    facilitate_in_browser(page, made, "/channels")
    expect(page.locator(".channels .message")).to_have_count(1)
    expect(page.locator(".channels .message .from")).to_have_text("Norway · Ingrid")
    for path, ready in (
        ("/channels", ".channels"),
        ("/feed", ".feed .event"),
        ("/console", ".inject select"),
        ("/print/roles", ".role-sheet-page"),
        ("/print/brief", ".brief"),
        ("/debrief", ".outcome"),
    ):
        page.goto(f"/game/{made['game']}{path}")
        expect(page.locator(ready).first).to_be_visible()
        assert axe_violations(page) == [], path
    for section in ("talk", "deals", "orders", "role", "feed"):
        board_section(player, section)
        assert axe_violations(player) == [], section
    assert contexts.errors == []


def test_the_debrief_shows_no_claim_from_a_moment_a_rollback_undid(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url, clock="bots")
    norway = api_join(base_url, made["join_codes"]["norway"], "Ingrid")
    for command in ("start", "skip"):
        facilitator_control(base_url, made, command)
    legal = ask_server(base_url, made["game"], norway["token"], {"type": "ask"})["legal"]
    study = next(e["action"] for e in legal if e["action"].get("order", {}).get("type") == "commission_study")
    assert player_act(base_url, made["game"], norway["token"], study)["type"] == "ack"
    facilitator_control(base_url, made, "skip")  # the orders resolve: the study is done in round 1
    facilitator_control(base_url, made, "rollback", round=1)  # and undone
    page = contexts.page(LAPTOP)
    facilitate_in_browser(page, made, "/debrief")
    expect(page.locator(".timeline")).to_be_visible()
    expect(page.locator(".timeline")).not_to_contain_text("published a study")  # the page forgets it
    exported = httpx.get(
        f"{base_url}/api/games/{made['game']}/export", headers={"authorization": f"Bearer {made['facilitator_token']}"}
    ).json()
    undone = [c for c in exported["claims"] if c["claim"] == "ripeness" and "performer" in c["facts"]]
    assert undone == [], "a claim tied to a moment the rollback undid"
    expect(page.locator('.claim-list li[data-claim="ripeness"]')).to_have_count(0)
