"""The websocket protocol against a real server and Redis: resuming, retries, refusals, limits."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

from server import wire
from tests.server.client import Client, join, new_game, stalled_socket


async def seated(
    address: str, seats: tuple[str, ...] = ("norway", "china"), protocol: str = wire.JSON
) -> tuple[dict[str, Any], dict[str, Client], Client]:
    """A started classroom game with clients in the given seats and the facilitator."""
    created = await new_game(address, "classroom-quick", seed=5, clock="bots")
    facilitator = await Client.connect(address, protocol)
    await facilitator.hello(created["game"], created["facilitator_token"])
    assert (await facilitator.act({"type": "start_game"}))["type"] == "ack"
    clients = {}
    for seat in seats:
        joined = await join(address, created["join_codes"][seat])
        client = await Client.connect(address, protocol)
        await client.hello(created["game"], joined["token"])
        client.token = joined["token"]  # type: ignore[attr-defined]
        clients[seat] = client
    return created, clients, facilitator


def public_message(text: str) -> dict[str, Any]:
    return {"type": "send_message", "to": "public", "text": text}


async def test_a_resumed_client_gets_exactly_what_it_missed_then_live_events(server: str) -> None:
    created, clients, _facilitator = await seated(server)
    norway, china = clients["norway"], clients["china"]
    await norway.act(public_message("first"))
    await china.next_events()
    seen = china.seq
    await china.close()
    for n in range(3):
        assert (await norway.act(public_message(f"while away {n}")))["type"] == "ack"
    back = await Client.connect(server, wire.MSGPACK)
    welcome = await back.hello(created["game"], china.token, last_seq=seen)  # type: ignore[attr-defined]
    missed = [e["seq"] for e in welcome["missed"]]
    assert missed == list(range(seen + 1, welcome["seq"] + 1))
    assert [e["detail"]["text"] for e in welcome["missed"] if e["kind"] == "message"] == [
        f"while away {n}" for n in range(3)
    ]
    await norway.act(public_message("after"))
    live = await back.next_events()
    assert [e["seq"] for e in live["events"]] == [welcome["seq"] + 1]
    assert live["events"][0]["detail"]["text"] == "after"


async def test_a_retried_action_id_is_acknowledged_again_and_applied_once(server: str) -> None:
    _, clients, _ = await seated(server)
    norway = clients["norway"]
    first = await norway.act(public_message("only once"), action_id="retry-1")
    again = await norway.act(public_message("only once"), action_id="retry-1")
    assert first["type"] == again["type"] == "ack"
    assert (again["seq"], again["version"], again["repeated"]) == (first["seq"], first["version"], True)
    view, _ = await norway.turn()
    assert [m["text"] for m in view["messages"]].count("only once") == 1


async def test_a_seat_cannot_use_the_facilitators_controls(server: str) -> None:
    _, clients, _ = await seated(server)
    for control in ({"type": "close_phase"}, {"type": "end_game"}, {"type": "start_game"}):
        answer = await clients["norway"].act(control)
        assert answer["type"] == "error" and answer["code"] == "not_facilitator"


async def test_a_seat_token_opens_only_its_own_game(server: str) -> None:
    created, clients, _ = await seated(server)
    other = await new_game(server, "classroom-quick", seed=9)
    stranger = await Client.connect(server, wire.JSON)
    await stranger.send({"type": "hello", "game": other["game"], "token": clients["norway"].token, "last_seq": 0})  # type: ignore[attr-defined]
    answer = await stranger.expect("error")
    assert answer["code"] == "unauthorised"
    await stranger.send({"type": "hello", "game": created["game"], "token": "guessed-token", "last_seq": 0})
    assert (await stranger.expect("error"))["code"] == "unauthorised"


async def test_private_messages_reach_only_their_reader(server: str) -> None:
    _, clients, _facilitator = await seated(server, ("norway", "china", "msf"))
    secret = "meet me in Oslo, do not tell Beijing"
    await clients["norway"].act({"type": "send_message", "to": "msf", "text": secret})
    received = await clients["msf"].next_events()
    assert any(e["detail"].get("text") == secret for e in received["events"])
    await clients["norway"].act(public_message("a public word"))
    china = await clients["china"].next_events()
    view, _ = await clients["china"].turn()
    everything = json.dumps([china, view, clients["china"].events, clients["china"].inbox])
    assert secret not in everything


async def test_a_private_message_sends_nothing_to_those_who_cannot_read_it(server: str) -> None:
    # Not even an empty frame: its timing alone would tell a third seat that two others talk.
    created, clients, _facilitator = await seated(server, ("norway", "china", "msf"))
    spectator = await Client.connect(server, wire.JSON)
    await spectator.hello(created["game"], created["spectator_token"])
    outsiders = (clients["china"], spectator)
    for outsider in outsiders:
        await outsider.turn()  # everything up to now received; the inbox is cleared below
        outsider.inbox.clear()
    await clients["norway"].act({"type": "send_message", "to": "msf", "text": "between us"})
    secret = await clients["msf"].next_events()
    assert [e["kind"] for e in secret["events"]] == ["message"]
    ack = await clients["norway"].act(public_message("for everyone"))
    for outsider in outsiders:
        first = await outsider.receive()
        assert first["type"] == "events" and first["seq"] == ack["seq"], first
        assert [e["detail"]["text"] for e in first["events"]] == ["for everyone"]
        view, _ = await outsider.turn()  # the patched view still equals the server's
        assert "between us" not in json.dumps(view)


async def test_a_spectator_sees_and_cannot_act(server: str) -> None:
    created, _, _ = await seated(server)
    spectator = await Client.connect(server, wire.JSON)
    welcome = await spectator.hello(created["game"], created["spectator_token"])
    assert welcome["role"] == "spectator" and "you" not in welcome["view"]
    answer = await spectator.act(public_message("let me in"))
    assert answer["type"] == "error" and answer["code"] == "not_a_player"


async def test_bad_frames_get_clear_errors_and_the_connection_survives(server: str) -> None:
    _, clients, _ = await seated(server)
    norway = clients["norway"]
    await norway.send_raw("this is not json")
    assert (await norway.expect("error"))["code"] == "malformed_message"
    await norway.send_raw(b"\x93\x01\x02")  # binary frame on a JSON connection
    assert (await norway.expect("error"))["code"] == "wrong_frame_type"
    await norway.send({"type": "dance", "id": "d1"})
    assert (await norway.expect("error", "d1"))["code"] == "unknown_message"
    answer = await norway.act(
        {"type": "submit_order", "order": {"type": "commission_study", "performer": "nupi", "funds": "lots"}}
    )
    assert answer["code"] == "malformed_action" and "action.order.funds" in answer["message"]
    answer = await norway.act({"type": "end_orders"})
    assert answer["code"] == "wrong_phase"
    await norway.send_raw(json.dumps({"type": "ping", "id": "p", "pad": "x" * 70_000}))
    assert (await norway.expect("error"))["code"] == "frame_too_large"
    pong = await norway.request({"type": "ping"})
    assert pong["type"] == "pong"


async def test_a_terminal_client_without_a_subprotocol_is_answered_in_json(server: str) -> None:
    import websockets

    created = await new_game(server)
    async with websockets.connect(f"ws://{server}/ws") as socket:
        await socket.send(json.dumps({"type": "hello", "game": created["game"], "token": created["spectator_token"]}))
        welcome = json.loads(await socket.recv())
        assert welcome["type"] == "welcome" and welcome["role"] == "spectator"
        await socket.send(json.dumps({"type": "ping", "id": "t"}))
        pong = json.loads(await socket.recv())
        assert (pong["type"], pong["id"]) == ("pong", "t") and pong["server_time"] > 1.7e9


async def test_a_client_that_stops_reading_is_dropped_not_buffered(redis_url: str) -> None:
    from server.settings import Settings
    from tests.server.conftest import running

    settings = Settings(redis_url=redis_url, port=0, send_queue=4, rate_per_second=10_000, rate_burst=10_000)
    async with running(settings) as address:
        created, clients, _ = await seated(address, ("norway",))
        hello = {"type": "hello", "game": created["game"], "token": created["spectator_token"]}
        sleeper = await asyncio.to_thread(stalled_socket, address, wire.JSON, hello)
        text = "x" * 1900
        closed_at = None
        for n in range(2000):
            answer = await clients["norway"].act(public_message(f"{n} {text}"))
            assert answer["type"] == "ack"
            if n % 25 == 24:
                async with httpx.AsyncClient() as http:
                    metrics = (await http.get(f"http://{address}/metrics")).text
                if "normarena_connections 2.0" in metrics:  # the facilitator and norway
                    closed_at = n
                    break
        assert closed_at is not None, "the slow client was never dropped"
        # The server still serves everyone else.
        assert (await clients["norway"].request({"type": "ping"}))["type"] == "pong"
        sleeper.close()
