"""The board against a server speaking wire v2 (/work/notes/wire-v2.md), played by a stand-in:
Playwright answers the page's websocket and its HTTP calls, starting from a real view that
today's server made. What a v2 server adds shows: the countdown from the view's clock, the
team by name, a patched view, the degraded notice, a whole-view resync, the lobby's names."""

from __future__ import annotations

import json
import re
import time
from typing import Any

from playwright.sync_api import Page, Route, WebSocketRoute, expect
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from tests.browser.conftest import LAPTOP, PHONE, Contexts, shoot
from tests.browser.flow import api_game, api_join, facilitate_in_browser, facilitator_control, seat_in_browser


def real_view(base_url: str, game: str, token: str) -> dict[str, Any]:
    """The view today's server sends this token, to dress as a v2 view."""
    with connect(base_url.replace("http://", "ws://") + "/ws", subprotocols=[Subprotocol("normarena.v1.json")]) as ws:
        ws.send(json.dumps({"type": "hello", "game": game, "token": token, "last_seq": 0}))
        while True:
            message = json.loads(ws.recv(10))
            if message["type"] == "welcome":
                view: dict[str, Any] = message["view"]
                return view


class StandIn:
    """A v2 server for one page: answers hello and ask, and sends what the test says."""

    def __init__(self, page: Page, welcome: dict[str, Any], legal: list[dict[str, Any]]) -> None:
        self.welcome = welcome
        self.legal = legal
        self.sockets: list[WebSocketRoute] = []
        self.asked = 0
        page.route_web_socket("**/ws", self.accept)

    def accept(self, ws: WebSocketRoute) -> None:
        self.sockets.append(ws)
        ws.on_message(lambda frame: self.answer(ws, frame))

    def answer(self, ws: WebSocketRoute, frame: str | bytes) -> None:
        message = json.loads(frame)
        if message["type"] == "hello":
            ws.send(json.dumps({**self.welcome, "server_time": time.time()}))
        elif message["type"] == "ask":
            self.asked += 1
            view = self.welcome["view"]
            ws.send(
                json.dumps(
                    {"type": "turn", "id": message["id"], "version": 1, "seq": 5, "view": view, "legal": self.legal}
                )
            )
        elif message["type"] == "ping":
            ws.send(json.dumps({"type": "pong", "id": message["id"], "server_time": time.time()}))

    def send(self, message: dict[str, Any]) -> None:
        self.sockets[-1].send(json.dumps(message))


def test_the_board_follows_a_v2_server(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    norway = api_join(base_url, made["join_codes"]["norway"], "Ingrid")
    facilitator_control(base_url, made, "start")
    view = real_view(base_url, made["game"], norway["token"])
    view["clock"] = {"deadline": time.time() + 200, "remaining": None, "paused": False, "durations": {"negotiate": 240}}
    view["room"] = {"seats": {"norway": {"players": ["Ingrid"], "online": 1, "bot": ""}}, "spectators": 0}
    welcome = {"type": "welcome", "game": made["game"], "role": "seat", "seat": "norway", "player": "Ingrid",
               "seq": 5, "view": view, "missed": []}  # fmt: skip
    legal = [
        {"action": {"type": "end_negotiation"}, "cost": {"staff": 0, "capital": 0, "funds": 0, "expertise": 0}},
        {"action": {"type": "send_message", "to": "public", "text": "(your message)"}, "cost": {"staff": 0}},
    ]
    page = contexts.page(PHONE)
    server = StandIn(page, welcome, legal)
    seat_in_browser(page, made["game"], "norway", norway["token"], "Ingrid")

    countdown = page.locator(".countdown")
    expect(countdown).to_be_visible()
    assert 190 <= int(countdown.get_attribute("data-countdown") or 0) <= 200

    server.send({"type": "events", "seq": 6, "events": [], "patch": [
        {"op": "add", "path": "/room/seats/norway/players/-", "value": "Lars"},
        {"op": "add", "path": "/messages/-", "value": {"number": 1, "round": 1, "sender": "china", "to": "public",
                                                      "text": "Beijing would host a consultation."}},
        {"op": "replace", "path": "/clock", "value": {"deadline": None, "remaining": 75, "paused": True,
                                                      "durations": {}}},
    ]})  # fmt: skip
    expect(page.locator("[data-team]")).to_have_text("Your team: Ingrid, Lars")
    expect(countdown).to_have_attribute("data-countdown", "75")
    expect(page.locator(".countdown-label")).to_have_text("Paused")
    page.locator('.section-tabs button[data-section="talk"]').click()
    expect(page.locator(".thread .message .text")).to_have_text(["Beijing would host a consultation."])

    server.send({"type": "status", "state": "degraded", "message": "The store is unreachable."})
    expect(page.locator("[data-degraded]")).to_contain_text("The store is unreachable.")
    expect(page.locator("[data-paused]")).to_be_visible()
    shoot(page, "board-v2-phone")
    server.send({"type": "status", "state": "ok", "message": ""})
    expect(page.locator("[data-degraded]")).to_have_count(0)

    # A patch that does not fit the view held: the page starts again from a whole view.
    sockets = len(server.sockets)
    server.send(
        {"type": "events", "seq": 7, "events": [], "patch": [{"op": "replace", "path": "/no/such", "value": 1}]}
    )
    for _ in range(50):
        if len(server.sockets) > sockets:
            break
        page.wait_for_timeout(100)
    assert len(server.sockets) == sockets + 1, "no new hello after a patch that did not fit"
    expect(page.locator('[data-connection="live"]')).to_be_visible()
    server.send({"type": "view", "seq": 8, "view": {**view, "phase": "act"}})
    expect(page.locator('main[data-phase="act"]')).to_be_visible()


def test_the_lobby_names_who_joined_from_the_game_endpoint(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    seats = [
        {"id": "norway", "name": "Norway", "kind": "state", "code": made["join_codes"]["norway"], "bot": "",
         "players": [{"name": "Ingrid", "online": True}, {"name": "Lars", "online": False}], "online": 1},
        {"id": "china", "name": "China", "kind": "state", "code": made["join_codes"]["china"], "bot": "broker",
         "players": [], "online": 0},
    ]  # fmt: skip
    answer = {"game": made["game"], "scenario": "classroom-quick", "title": "Integrated Missions in 45 Minutes",
              "round": 0, "phase": "lobby", "paused": False, "codes_locked": True, "seats": seats}  # fmt: skip

    def game_endpoint(route: Route) -> None:
        assert route.request.headers.get("authorization") == f"Bearer {made['facilitator_token']}"
        route.fulfill(status=200, content_type="application/json", body=json.dumps(answer))

    page = contexts.page(LAPTOP)
    page.route(f"**/api/games/{made['game']}", game_endpoint)
    facilitate_in_browser(page, made, "/lobby")
    norway = page.locator('.seat-card[data-seat="norway"]')
    expect(norway.locator(".players li")).to_have_text(["Ingrid", "Lars"])
    expect(page.locator('.seat-card[data-seat="china"] .bot-note')).to_contain_text("Broker bot")
    expect(page.locator("[data-locked='1']")).to_be_visible()
    expect(page.locator(".lock-state")).to_contain_text("2 of 6 seats taken")
    # A bot on a seat people hold replaces them only when the facilitator says so.
    norway.get_by_role("button", name="Seat a bot").click()
    expect(norway.get_by_text("People hold this seat. Replace them with a bot?")).to_be_visible()
    shoot(page, "lobby-v2")


def test_role_sheets_and_the_brief_from_the_materials_endpoint(contexts: Contexts, base_url: str) -> None:
    made = api_game(base_url)
    opening = "You are Norway's delegation, with a line to the"
    sheet = f"{opening}\nMinistry of Foreign Affairs in Oslo.\n\nConsult before you table."
    materials = {
        "brief": "FACILITATOR'S BRIEF\n\nWhat to watch for.\n- Does anyone consult\n  in Addis Ababa?\n",
        "seats": [
            {"id": "norway", "name": "Norway", "kind": "state", "role_sheet": sheet,
             "objectives": {"goals": [{"text": "Adopted with African Group ownership of at least 55"}]}},
            {"id": "china", "name": "China", "kind": "state", "role_sheet": "You are China's delegation.",
             "objectives": {"goals": []}},
        ],
        "discussion_questions": ["Which mechanic moved the vote most?"],
    }  # fmt: skip
    page = contexts.page(LAPTOP)
    page.route(
        f"**/api/games/{made['game']}/materials",
        lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(materials)),
    )
    facilitate_in_browser(page, made, "/print/roles")
    expect(page.locator(".role-sheet-page")).to_have_count(2)
    norway = page.locator('.role-sheet-page[data-seat="norway"]')
    reflowed = f"{opening} Ministry of Foreign Affairs in Oslo.\n\nConsult before you table."
    expect(norway.locator(".preformatted")).to_have_text(reflowed)
    expect(norway.locator(".sheet-code")).to_contain_text(made["join_codes"]["norway"])
    shoot(page, "print-role-sheets")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 2, "each role sheet on a page of its own"
    page.emulate_media(media="screen")
    page.goto(f"/game/{made['game']}/print/brief")
    expect(page.locator(".brief .preformatted")).to_contain_text("- Does anyone consult in Addis Ababa?")
    expect(page.locator(".brief li")).to_have_text(["Which mechanic moved the vote most?"])
