"""What players read, run in Chromium on the client's own modules: events as sentences with
names (never ids), in English and French; offers in words; role sheets as paragraphs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import LAPTOP, Contexts

VIEW = {
    "seats": [
        {"id": "norway", "name": "Norway", "kind": "state"},
        {"id": "nupi", "name": "Norwegian Institute of International Affairs (NUPI)", "kind": "think_tank"},
    ],
    "blocs": [{"id": "african", "name": "African Group"}],
    "alliances": [{"id": "a1", "name": "Friends of Integration", "members": ["norway"]}],
    "venues": [{"id": "addis_ababa", "name": "Addis Ababa"}],
    "side_issues": [],
    "draft": {
        "provisions": [
            {
                "id": "authority",
                "name": "Authority of the head of mission",
                "levels": ["none", "information sharing", "leadership of the country team"],
            }
        ]
    },
}


def read(page: Page, lang: str, expression: str) -> Any:
    page.goto("/rules")
    return page.evaluate(
        "async () => {"
        " const i18n = await import('/app/i18n.js');"
        f" await i18n.setLanguage('{lang}', false);"
        " const d = await import('/app/describe.js');"
        f" const view = {json.dumps(VIEW)};"
        f" return {expression}; }}"
    )


EVENTS = {
    "alliance_joined": {"alliance": "a1", "seat": "nupi", "span": 2},
    "lobbying": {"seat": "norway", "target": "african", "bloc": "african"},
    "amendment": {"seat": "nupi", "provision": "authority", "level": 2, "direction": 1},
    "offer_made": {
        "offer": "o7",
        "sender": "nupi",
        "recipient": "norway",
        "gives": {"capital": 0, "funds": 2, "expertise": 0, "pledges": []},
        "gets": {
            "capital": 0,
            "funds": 0,
            "expertise": 0,
            "pledges": [{"kind": "no_spoil", "target": "", "value": ""}],
        },
    },
}


@pytest.mark.parametrize("kind", sorted(EVENTS))
def test_events_read_with_names_never_ids(contexts: Contexts, kind: str) -> None:
    page = contexts.page(LAPTOP)
    event = {"seq": 1, "kind": kind, "round": 1, "text": "(the server's text)", "audience": [], "detail": EVENTS[kind]}
    english = read(page, "en", f"d.eventText(view, {json.dumps(event)}, 'norway')")
    french = read(page, "fr", f"d.eventText(view, {json.dumps(event)}, 'norway')")
    for sentence in (english, french):
        assert "(the server's text)" not in sentence
        for raw in ("nupi", "a1", "o7", "african", "authority"):
            assert raw not in sentence.split(), (raw, sentence)
    assert english != french
    if kind == "offer_made":
        nupi = "Norwegian Institute of International Affairs (NUPI)"
        assert english == f"{nupi} made you an offer: 2 funds for a pledge not to spoil."
    if kind == "amendment":
        assert "“leadership of the country team”" in english and "Authority of the head of mission" in english


def test_role_sheets_read_as_paragraphs(contexts: Contexts) -> None:
    page = contexts.page(LAPTOP)
    sheet = "\nYou are Norway's\ndelegation.\n\nYou want:\n- authority\n- money\n"
    assert (
        read(page, "en", f"d.reflow({json.dumps(sheet)})")
        == "You are Norway's delegation.\n\nYou want:\n- authority\n- money"
    )
