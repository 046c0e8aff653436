"""A whole class in the browser: the facilitator creates a game, seats two bots and locks
joining; three players join in separate browsers (one a phone, one in French); they play two
rounds with a private message, an accepted offer, an alliance founded and joined, orders and
a vote; a reload mid-round loses nothing; the facilitator pauses, extends, resumes and rolls
back; the projector never shows a secret; the debrief draws the right network."""

from __future__ import annotations

import json
from itertools import combinations
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LAPTOP, PHONE, PROJECTOR, Contexts, axe_violations, shoot
from tests.browser.flow import (
    board_section,
    confirm,
    control,
    create_game,
    done_negotiating,
    facilitator_entry,
    give_order,
    join,
    seat_code,
    send_message,
    submit_orders,
    wait_phase,
)

XSS = "<img src=x onerror=alert(1)>"
PRIVATE = "Between us: we table after Addis."
SECRET_SNIPPETS = ("Between us", "Ministry of Foreign Affairs in Oslo")  # a private message; Norway's role sheet

pytestmark = pytest.mark.slow


def no_serious_violations(page: Page, where: str) -> None:
    found = axe_violations(page)
    assert not found, f"{where}: {found}"


def assert_projector_keeps_secrets(projector: Page) -> None:
    expect(projector.locator("main.projector")).to_have_attribute("data-viewer", "spectator")
    text = projector.locator("body").inner_text()
    for secret in SECRET_SNIPPETS:
        assert secret not in text
    assert projector.locator(".role, .objectives, .offers, .status").count() == 0


def expected_network(exported: dict[str, Any]) -> dict[str, int]:
    """The debrief's edge counts, worked out from the facilitator's export."""
    pairs: set[tuple[str, str]] = set()
    for record in exported["history"]:
        for alliance in record["alliances"]:
            pairs.update(combinations(sorted(alliance["members"]), 2))
    links = exported["history"][-1]["links"] if exported["history"] else []
    talk: set[tuple[str, str]] = set()
    public = 0
    for sender, counts in exported["message_counts"].items():
        for to, count in counts.items():
            if to == "public":
                public += 1
            elif count:
                a, b = sorted((sender, to))
                talk.add((a, b))
    return {"alliance": len(pairs), "link": len(links), "private": len(talk), "public": public}


def test_a_class_plays_two_rounds_in_the_browser(contexts: Contexts, base_url: str) -> None:
    teacher = contexts.page(LAPTOP)
    game = create_game(teacher)
    shoot(teacher, "01-start-created")
    teacher.get_by_role("button", name="Open the lobby").click()
    expect(teacher.locator(".seat-card")).to_have_count(6)
    no_serious_violations(teacher, "lobby")

    # Two bots in two seats (neither a spoiler: one could delay the vote this test waits for).
    for seat, strategy in (("china", "broker"), ("dpko", "entrepreneur")):
        card = teacher.locator(f'.seat-card[data-seat="{seat}"]')
        card.locator("select").select_option(strategy)
        card.locator('[data-control="bot"]').click()
        expect(card.locator(".bot-note")).to_be_visible()

    codes = {seat: seat_code(teacher, seat) for seat in ("norway", "south_africa", "nupi", "msf")}
    entry = facilitator_entry(teacher, game)

    # The projector of codes, and the projector of the game (a spectator's view).
    codes_page = teacher.context.new_page()
    codes_page.set_viewport_size(PROJECTOR)
    codes_page.goto(f"/game/{game}/codes")
    expect(codes_page.locator(".code-tile")).to_have_count(6)
    shoot(codes_page, "02-codes-projector-loopback", full_page=False)
    no_serious_violations(codes_page, "codes")
    codes_page.close()

    # Three players, each in a browser of their own: a laptop, a phone, and a laptop in French.
    ingrid = contexts.page(LAPTOP)
    join(ingrid, codes["norway"], "Ingrid")
    thabo = contexts.page(PHONE, is_mobile=True, has_touch=True)
    join(thabo, codes["south_africa"], "Thabo")
    camille = contexts.page(LAPTOP, locale="fr-FR")
    join(camille, codes["nupi"], "Camille")
    expect(camille.locator("html")).to_have_attribute("lang", "fr")
    shoot(thabo, "04-board-phone-lobby")

    # Lock joining: a latecomer cannot take the empty seat.
    control(teacher, "lock")
    expect(teacher.locator("[data-locked='1']")).to_be_visible()
    latecomer = contexts.page(PHONE)
    latecomer.goto(f"/join/{codes['msf']}")
    latecomer.locator('input[name="name"]').fill("Late")
    latecomer.locator(".join-form button[type=submit]").click()
    expect(latecomer.locator(".refusal")).to_be_visible()
    shoot(teacher, "03-lobby-loopback")

    control(teacher, "start")
    for player in (ingrid, thabo, camille):
        wait_phase(player, "negotiate", 1)

    projector = contexts.page(PROJECTOR)
    # The projector is the teacher's second screen: the same browser's storage, another window.
    remembered = json.dumps(teacher.evaluate("localStorage.getItem('normarena.games')"))
    projector.add_init_script(f"localStorage.setItem('normarena.games', {remembered})")
    projector.goto(f"/game/{game}/projector")
    expect(projector.locator(".provision")).to_have_count(3)

    # Round 1, negotiation: a private message, an XSS attempt in public, an offer, an alliance.
    send_message(ingrid, "south_africa", PRIVATE)
    send_message(ingrid, "public", XSS)
    board_section(thabo, "talk")
    expect(thabo.locator('button[data-conversation="norway"] .count')).to_have_text("1")
    thabo.locator('button[data-conversation="norway"]').click()
    expect(thabo.locator(".thread .message .text").last).to_have_text(PRIVATE)
    for page in (thabo, camille):
        board_section(page, "talk")
        page.locator('button[data-conversation="public"]').click()
    for page in (thabo, camille, projector):
        expect(page.get_by_text(XSS).first).to_be_visible()
        assert page.locator(".message img, .messages img").count() == 0
    assert contexts.dialogs == [], "a message ran script"
    thabo.locator('button[data-conversation="norway"]').click()
    shoot(thabo, "05-board-phone-messages")

    board_section(ingrid, "deals")
    composer = ingrid.locator(".offer-composer")
    composer.locator("select").select_option("south_africa")
    composer.locator(".offer-options input").first.check()
    composer.get_by_role("button", name="Make this offer").click()
    expect(ingrid.locator('.offer[data-offer-status="open"][data-offer-from="norway"]')).to_have_count(1)
    board_section(thabo, "deals")
    thabo.locator('.offer[data-offer-from="norway"] [data-action="accept_offer"]').click()
    expect(thabo.locator('.offer[data-offer-status="accepted"][data-offer-from="norway"]')).to_have_count(1)
    expect(ingrid.locator('.offer[data-offer-status="accepted"][data-offer-from="norway"]')).to_have_count(1)

    ingrid.locator(".found input").fill("Friends of Integration")
    ingrid.locator('[data-action="found_alliance"]').click()
    alliance = ingrid.locator('.alliance[data-alliance="Friends of Integration"]')
    expect(alliance).to_be_visible()
    alliance.locator("select").select_option("nupi")
    alliance.locator('[data-action="invite_to_alliance"]').click()
    board_section(camille, "deals")
    camille.locator('.alliance[data-alliance="Friends of Integration"] [data-action="join_alliance"]').click()
    expect(ingrid.locator('.alliance[data-alliance="Friends of Integration"]')).to_contain_text("Norwegian Institute")
    shoot(ingrid, "06-board-laptop-deals")
    shoot(camille, "07-board-french")
    no_serious_violations(ingrid, "board (laptop)")
    no_serious_violations(thabo, "board (phone)")

    # A reload mid-round: the page resumes where it was, with what was being typed.
    board_section(thabo, "talk")
    thabo.locator('button[data-conversation="public"]').click()
    thabo.locator(".composer textarea").fill("A draft I have not sent yet")
    thabo.reload()
    expect(thabo.locator(".composer textarea")).to_have_value("A draft I have not sent yet")
    thabo.locator('button[data-conversation="norway"]').click()
    expect(thabo.locator(".thread .message .text").last).to_have_text(PRIVATE)
    board_section(thabo, "deals")
    expect(thabo.locator('.offer[data-offer-status="accepted"][data-offer-from="norway"]')).to_have_count(1)

    for player in (ingrid, thabo, camille):
        done_negotiating(player)
    teacher.goto(f"/game/{game}/console")
    confirm(teacher, "End this phase now")

    # Round 1, orders.
    for player in (ingrid, thabo, camille):
        wait_phase(player, "act", 1)
    give_order(ingrid, "table_draft")
    give_order(thabo, "host_consultation", "Addis Ababa")
    give_order(camille, "commission_study")
    shoot(ingrid, "08-board-orders")
    for player in (ingrid, thabo, camille):
        submit_orders(player)
    shoot(teacher, "09-console")
    no_serious_violations(teacher, "console")
    confirm(teacher, "End this phase now")

    # Round 2: pause, extend, resume; a message; then roll back to the start of round 2.
    for player in (ingrid, thabo, camille):
        wait_phase(player, "negotiate", 2)
    control(teacher, "pause")
    expect(teacher.locator("[data-paused]")).to_be_visible()
    expect(ingrid.locator("[data-paused]")).to_be_visible()
    held = int(teacher.locator(".countdown").get_attribute("data-countdown") or 0)
    control(teacher, "extend")  # by a minute, the console's default
    expect(teacher.locator(".countdown")).to_have_attribute("data-countdown", str(held + 60))
    expect(ingrid.locator(".countdown")).to_have_attribute("data-countdown", str(held + 60))
    control(teacher, "resume")
    expect(teacher.locator("[data-paused]")).to_have_count(0)
    send_message(ingrid, "public", "This will be undone")
    board_section(thabo, "talk")
    thabo.locator('button[data-conversation="public"]').click()
    expect(thabo.locator(".thread").get_by_text("This will be undone")).to_have_count(1)
    teacher.locator(".time-travel select").select_option("2")
    confirm(teacher, "Roll back", ".time-travel")
    board_section(ingrid, "talk")
    ingrid.locator('button[data-conversation="public"]').click()
    expect(ingrid.get_by_text("This will be undone")).to_have_count(0)
    expect(ingrid.get_by_text(XSS).first).to_be_visible()

    for player in (ingrid, thabo, camille):
        wait_phase(player, "negotiate", 2)
        done_negotiating(player)
    confirm(teacher, "End this phase now")
    for player in (ingrid, thabo, camille):
        wait_phase(player, "act", 2)
    give_order(ingrid, "call_vote")
    for player in (ingrid, thabo, camille):
        submit_orders(player)
    confirm(teacher, "End this phase now")

    # The vote.
    for player in (ingrid, thabo):
        wait_phase(player, "vote", 2)
        board_section(player, "table")
    shoot(thabo, "10-board-phone-vote")
    shoot(projector, "11-projector-vote", full_page=False)
    for player in (ingrid, thabo):
        player.locator('[data-action="cast_vote"]').click()
    # The two voting players were the last to vote: the vote is counted at once.
    for page in (ingrid, thabo, projector):
        expect(page.locator(".vote-result")).to_be_visible()
    shoot(projector, "12-projector-result", full_page=False)
    assert_projector_keeps_secrets(projector)
    no_serious_violations(projector, "projector")

    # The end, and the debrief.
    teacher.goto(f"/game/{game}/console")
    confirm(teacher, "End the game")
    for player in (ingrid, thabo, camille):
        wait_phase(player, "ended")
    expect(teacher.locator(".control-bar.ended")).to_contain_text("The game is over.")
    expect(projector.locator(".over")).to_contain_text("The facilitator ended the game")
    shoot(projector, "15-projector-ended", full_page=False)
    teacher.goto(f"/game/{game}/debrief")
    expect(teacher.locator(".chart")).to_have_count(4)
    exported = httpx.get(
        f"{base_url}/api/games/{game}/export", headers={"authorization": f"Bearer {entry['token']}"}
    ).json()
    network = teacher.locator("figure.network")
    for kind, count in expected_network(exported).items():
        expect(network).to_have_attribute(f"data-edges-{kind}", str(count))
    assert int(network.get_attribute("data-edges-private") or 0) >= 1
    assert int(network.get_attribute("data-edges-alliance") or 0) >= 1
    rounds = len(exported["history"])
    for chart in teacher.locator(".chart").all():
        expect(chart).to_have_attribute("data-points", str(rounds))
    expect(teacher.locator(".chart canvas").first).to_be_visible()
    # The numbers under the charts are the export's, round by round.
    shown = teacher.locator('.chart[data-chart="ripeness"] .chart-data tbody tr').first.locator("td")
    drawn = [float(text.replace(",", ".")) for text in shown.all_text_contents()]
    assert drawn == pytest.approx([record["ripeness"] for record in exported["history"]], abs=0.051)
    authority = teacher.locator('.chart[data-chart="provisions"] .chart-data tbody tr').first.locator("td")
    assert [int(text) for text in authority.all_text_contents()] == [
        record["provisions"]["authority"] for record in exported["history"]
    ]
    # Seats are ranked by standing (their scores measure different objectives), as the export has them.
    ranked = sorted(exported["standings"], key=lambda seat: -exported["standings"][seat])
    rows = teacher.locator(".scores-table tbody tr")
    expect(rows).to_have_count(len(ranked))
    assert [rows.nth(i).get_attribute("data-seat") for i in range(len(ranked))] == ranked
    expect(teacher.locator(".scores-table thead")).to_contain_text("Standing")
    shoot(teacher, "13-debrief")
    shoot(teacher, "13-debrief-top", full_page=False)
    network.scroll_into_view_if_needed()
    shoot(teacher, "13-debrief-network", full_page=False)
    no_serious_violations(teacher, "debrief")
    thabo.goto(f"/game/{game}/debrief")
    expect(thabo.locator(".scores-table")).to_be_visible()
    shoot(thabo, "14-debrief-phone")
    assert contexts.errors == []
