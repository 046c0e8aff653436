"""HTTP: the export (facilitator only, JSON and CSV) and the metrics."""

from __future__ import annotations

import csv
import io

import httpx

from server import wire
from tests.server.client import Client, join, new_game


async def test_the_export_holds_the_log_events_scores_and_participation(server: str) -> None:
    created = await new_game(server, "classroom-quick", seed=8)
    facilitator = await Client.connect(server, wire.JSON)
    await facilitator.hello(created["game"], created["facilitator_token"])
    await facilitator.act({"type": "start_game"})
    joined = await join(server, created["join_codes"]["norway"], "Ingrid <b>")
    norway = await Client.connect(server, wire.JSON)
    await norway.hello(created["game"], joined["token"])
    await norway.act({"type": "send_message", "to": "msf", "text": "a word in private"})
    mate = await join(server, created["join_codes"]["norway"], "Jonas")  # a team-mate in the same seat
    assert mate["seat"] == "norway" and mate["token"] != joined["token"]
    second = await Client.connect(server, wire.JSON)
    await second.hello(created["game"], mate["token"])
    assert (await second.act({"type": "end_negotiation"}))["type"] == "ack"
    url = f"http://{server}/api/games/{created['game']}/export"
    async with httpx.AsyncClient() as http:
        exported = (await http.get(url, headers={"Authorization": f"Bearer {created['facilitator_token']}"})).json()
        as_csv = await http.get(
            url + "?format=csv", headers={"Authorization": f"Bearer {created['facilitator_token']}"}
        )
        as_seat = await http.get(url, headers={"Authorization": f"Bearer {joined['token']}"})
        anonymous = await http.get(url)
        missing = await http.get(f"http://{server}/api/games/nope/export")
    assert (exported["scenario"], exported["seed"]) == ("classroom-quick", 8)
    assert [a["actor"] for a in exported["actions"]] == ["facilitator", "norway", "norway"]
    players = {p["player"]: p for p in exported["players"]}
    assert players["Ingrid <b>"]["messages"] == 1 and players["Jonas"]["actions"] == 1
    assert {p["seat"] for p in exported["players"]} == {"norway"}
    assert [e["seq"] for e in exported["events"]] == list(range(1, len(exported["events"]) + 1))
    assert any(e.get("detail", {}).get("text") == "a word in private" for e in exported["events"])
    report = {row["seat"]: row for row in exported["participation"]}
    assert report["norway"]["messages_sent"] == 1 and report["china"]["messages_sent"] == 0
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [r["seat"] for r in rows] == ["norway", "china", "south_africa", "dpko", "msf", "nupi"]
    # A seat reads the debrief once the game has ended, not before.
    assert as_seat.status_code == 409 and as_seat.json()["error"] == "not_over"
    assert anonymous.status_code == 401
    assert missing.status_code == 404


async def test_metrics_count_connections_requests_and_errors(server: str) -> None:
    created = await new_game(server)
    client = await Client.connect(server, wire.JSON)
    await client.hello(created["game"], created["spectator_token"])
    await client.request({"type": "ping"})
    await client.act({"type": "end_negotiation"})  # a spectator cannot act: an error
    async with httpx.AsyncClient() as http:
        text = (await http.get(f"http://{server}/metrics")).text
    assert "normarena_connections 1.0" in text
    assert 'normarena_requests_total{type="ping"} 1.0' in text
    assert 'normarena_errors_total{code="not_a_player"}' in text
    assert "normarena_request_seconds_bucket" in text


async def test_http_refusals_carry_codes_and_sentences(server: str) -> None:
    async with httpx.AsyncClient() as http:
        bad = await http.post(f"http://{server}/api/games", json={"scenario": "atlantis"})
        assert bad.status_code == 404 and bad.json()["error"] == "unknown_scenario"
        bad = await http.post(f"http://{server}/api/games", content=b"[1, 2")
        assert bad.status_code == 400 and bad.json()["error"] == "malformed_request"
        missing = await http.post(f"http://{server}/api/join", json={"code": "ZZZZZZ"})
        assert missing.status_code == 404 and missing.json()["error"] == "unknown_code"
        assert (await http.get(f"http://{server}/healthz")).json() == {"status": "ok"}
        assert (await http.get(f"http://{server}/readyz")).json() == {"status": "ready"}
        listed = (await http.get(f"http://{server}/api/scenarios")).json()
        assert {s["id"] for s in listed} >= {"classroom-quick", "integrated-missions"}


async def test_the_published_wire_is_generated_from_the_protocol_and_kept_in_docs(server: str) -> None:
    from pathlib import Path

    from server import asyncapi

    async with httpx.AsyncClient() as http:
        served = (await http.get(f"http://{server}/asyncapi.json")).json()
        scenario_schema = (await http.get(f"http://{server}/scenario.schema.json")).json()
    kept = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.json"
    assert served == asyncapi.document()
    assert kept.read_text(encoding="utf-8") == asyncapi.render(), "run: python3 -m server.asyncapi > docs/asyncapi.json"
    schemas = served["components"]["schemas"]
    for name in (
        "Hello",
        "Act",
        "Ask",
        "Control",
        "Welcome",
        "Events",
        "Ack",
        "Error",
        "Turn",
        "SubmitOrder",
        "CastVote",
    ):
        assert name in schemas, name
    assert schemas["Act"]["required"] == ["type", "id", "action"]
    assert scenario_schema["title"] == "Norm Arena scenario"


def test_every_action_in_the_schema_validates_a_real_action() -> None:
    import jsonschema

    from game_rules import to_plain
    from game_rules.actions import SendMessage, SubmitOrder, TableDraft
    from server import asyncapi

    doc = asyncapi.document()
    act_schema = {**doc["components"]["schemas"]["Act"], "components": doc["components"]}
    good = {"type": "act", "id": "1", "action": to_plain(SubmitOrder(order=TableDraft()))}
    jsonschema.validate(good, act_schema)
    jsonschema.validate({"type": "act", "id": "2", "action": to_plain(SendMessage(to="public", text="hi"))}, act_schema)
    bad = {"type": "act", "id": "3", "action": {"type": "submit_order", "order": {"type": "table_draft", "x": 1}}}
    try:
        jsonschema.validate(bad, act_schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("an unknown field passed the published schema")
