"""What a facilitator and a player do in the browser, as steps the tests share."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import httpx
from playwright.sync_api import Page, expect
from websockets.sync.client import connect
from websockets.typing import Subprotocol


def create_game(page: Page, scenario: str = "classroom-quick", clock: str = "classroom", seed: int = 7) -> str:
    """Run a game from the start page; returns the game id (the facilitator's token stays in the browser)."""
    page.goto("/")
    page.locator(f'input[name="scenario"][value="{scenario}"]').check()
    page.locator(f'input[name="clock"][value="{clock}"]').check()
    page.locator(".seed input").fill(str(seed))
    page.get_by_role("button", name="Create the game").click()
    expect(page.locator("[data-bookmark]")).to_be_visible()
    link = page.locator("[data-bookmark]").inner_text()
    found = re.search(r"/game/([^#/]+)#token=", link)
    assert found, link
    return found.group(1)


def facilitator_entry(page: Page, game: str) -> dict[str, Any]:
    """What the facilitator's browser keeps about a game (tokens, codes)."""
    games = json.loads(page.evaluate("localStorage.getItem('normarena.games')") or "[]")
    entry = next(g for g in games if g["game"] == game)
    assert isinstance(entry, dict)
    return entry


def seat_code(page: Page, seat: str) -> str:
    return page.locator(f'.seat-card[data-seat="{seat}"] [data-code]').get_attribute("data-code") or ""


def join(page: Page, code: str, name: str) -> None:
    page.goto(f"/join/{code}")
    page.locator('input[name="name"]').fill(name)
    page.locator(".join-form button[type=submit]").click()
    expect(page.locator(".status")).to_be_visible()


def board_section(page: Page, section: str) -> None:
    """Show a section of the board (on a phone only one shows at a time)."""
    tab = page.locator(f'.section-tabs button[data-section="{section}"]')
    if tab.is_visible():
        tab.click()


def wait_phase(page: Page, phase: str, round_number: int | None = None, timeout: float = 20_000) -> None:
    expect(page.locator(f'main[data-phase="{phase}"]')).to_be_visible(timeout=timeout)
    if round_number is not None:
        expect(page.locator(".topbar .round")).to_contain_text(str(round_number), timeout=timeout)


def wait_legal(page: Page, selector: str, timeout: float = 15_000) -> None:
    expect(page.locator(selector).first).to_be_visible(timeout=timeout)


def send_message(page: Page, conversation: str, text: str) -> None:
    board_section(page, "talk")
    page.locator(f'button[data-conversation="{conversation}"]').click()
    box = page.locator(".composer textarea")
    box.fill(text)
    page.locator(".composer button[type=submit]").click()
    expect(box).to_have_value("")


def confirm(page: Page, label: str, scope: str = "main") -> None:
    """Press a button that asks first, then say yes."""
    page.locator(scope).get_by_role("button", name=label, exact=True).first.click()
    page.get_by_role("button", name="Yes, do it").click()


def control(page: Page, command: str) -> None:
    page.locator(f'[data-control="{command}"]').first.click()


def done_negotiating(page: Page) -> None:
    page.locator('[data-action="end_negotiation"]').click()
    expect(page.locator("[data-done]")).to_be_visible()


def give_order(page: Page, kind: str, option_text: str | None = None) -> None:
    board_section(page, "orders")
    block = page.locator(f'.order-kind[data-kind="{kind}"]')
    expect(block).to_be_visible()
    if option_text is not None:
        select = block.locator("select")
        labels = select.locator("option").all_inner_texts()
        index = next(i for i, text in enumerate(labels) if option_text in text)
        select.select_option(str(index))
    before = page.locator(".given li").count()
    block.get_by_role("button").click()
    expect(page.locator(".given li")).to_have_count(before + 1)


def submit_orders(page: Page) -> None:
    page.locator('[data-action="end_orders"]').click()
    expect(page.locator("[data-done]")).to_be_visible()


def api_game(base_url: str, scenario: str = "classroom-quick", clock: str = "classroom") -> dict[str, Any]:
    """A game made through the HTTP API (for tests about one page, not about the start page)."""
    created = httpx.post(f"{base_url}/api/games", json={"scenario": scenario, "seed": 3, "clock": clock})
    assert created.status_code == 201, created.text
    made: dict[str, Any] = created.json()
    return made


def api_join(base_url: str, code: str, name: str) -> dict[str, Any]:
    joined = httpx.post(f"{base_url}/api/join", json={"code": code, "name": name})
    assert joined.status_code == 200, joined.text
    answer: dict[str, Any] = joined.json()
    return answer


def facilitator_control(base_url: str, game: dict[str, Any], command: str, **args: Any) -> dict[str, Any]:
    """One facilitator's control over the websocket, as a terminal client would send it."""
    return ask_server(
        base_url, game["game"], game["facilitator_token"], {"type": "control", "command": command, **args}
    )


def player_act(base_url: str, game: str, token: str, action: dict[str, Any]) -> dict[str, Any]:
    """One player's action over the websocket, as a bot would send it."""
    return ask_server(base_url, game, token, {"type": "act", "action": action})


def ask_server(base_url: str, game: str, token: str, message: dict[str, Any]) -> dict[str, Any]:
    """Say hello with `token`, send `message` with an id of its own, and return its answer."""
    url = base_url.replace("http://", "ws://") + "/ws"
    with connect(url, subprotocols=[Subprotocol("normarena.v2.json")]) as socket:
        socket.send(json.dumps({"type": "hello", "game": game, "token": token, "last_seq": 0}))
        while json.loads(socket.recv(10))["type"] != "welcome":
            pass
        request = f"c-{uuid.uuid4().hex}"  # ids are remembered per token: a reused id is a retry
        socket.send(json.dumps({**message, "id": request}))
        while True:
            answer: dict[str, Any] = json.loads(socket.recv(10))
            if answer.get("id") == request:
                return answer


def seat_in_browser(page: Page, game: str, seat: str, token: str, name: str) -> None:
    """Give a browser the seat token that joining would have given it, and open the board."""
    entry = json.dumps({"token": token, "seat": seat, "name": name})
    page.goto("/favicon.svg")
    page.evaluate(f"localStorage.setItem('normarena.seats', JSON.stringify({{{json.dumps(game)}: {entry}}}))")
    page.goto(f"/play/{game}")
    expect(page.locator(".status")).to_be_visible()


def facilitate_in_browser(page: Page, made: dict[str, Any], path: str = "") -> None:
    """Give a browser what creating the game would have left in it, and open the game."""
    entry = {
        "game": made["game"],
        "token": made["facilitator_token"],
        "spectator": made["spectator_token"],
        "codes": made["join_codes"],
        "title": "",
        "created": 0,
    }
    page.goto("/favicon.svg")
    page.evaluate(f"localStorage.setItem('normarena.games', JSON.stringify([{json.dumps(entry)}]))")
    page.goto(f"/game/{made['game']}{path}")
