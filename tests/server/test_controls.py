"""Every facilitator control against a real server: the clock, seats, rollback and fork."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from server import wire
from tests.server.client import Client, join, post


async def facilitated(address: str, clock: str = "bots", **deadlines: float) -> tuple[dict[str, Any], Client]:
    body: dict[str, Any] = {"scenario": "classroom-quick", "seed": 4, "clock": clock}
    if deadlines:
        body["deadlines"] = deadlines
    created = (await post(address, "/api/games", body)).json()
    facilitator = await Client.connect(address, wire.JSON)
    await facilitator.hello(created["game"], created["facilitator_token"])
    return created, facilitator


async def control(client: Client, command: str, **args: Any) -> dict[str, Any]:
    return await client.request({"type": "control", "command": command, **args})


async def seat(address: str, created: dict[str, Any], name: str) -> tuple[Client, str]:
    joined = await join(address, created["join_codes"][name])
    client = await Client.connect(address, wire.MSGPACK)
    await client.hello(created["game"], joined["token"])
    return client, joined["token"]


async def test_start_skip_inject_and_end(server: str) -> None:
    _created, facilitator = await facilitated(server)
    assert (await control(facilitator, "start"))["type"] == "ack"
    assert (await control(facilitator, "skip"))["type"] == "ack"
    view, _ = await facilitator.turn()
    assert (view["round"], view["phase"]) == (1, "act")
    injected = await control(facilitator, "inject", card="budget_row")
    assert injected["type"] == "ack"
    view, _ = await facilitator.turn()
    assert any("Budget row" in b for b in view["bulletins"])
    assert (await control(facilitator, "inject", card="no_such_card"))["code"] == "unknown_card"
    assert (await control(facilitator, "end"))["type"] == "ack"
    view, _ = await facilitator.turn()
    assert (view["phase"], view["outcome"]) == ("ended", "ended_by_facilitator")


async def test_pause_refuses_seats_until_resumed(server: str) -> None:
    created, facilitator = await facilitated(server)
    await control(facilitator, "start")
    norway, _ = await seat(server, created, "norway")
    await control(facilitator, "pause")
    refused = await norway.act({"type": "end_negotiation"})
    assert refused["type"] == "error" and refused["code"] == "paused"
    assert (await control(facilitator, "pause"))["code"] == "already_paused"
    await control(facilitator, "resume")
    assert (await norway.act({"type": "end_negotiation"}))["type"] == "ack"
    assert await seen_kinds(norway, {"game_paused", "game_resumed"})


async def seen_kinds(client: Client, kinds: set[str], timeout: float = 5.0) -> bool:
    """Whether the client receives events of all these kinds within the timeout."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        got = {e["kind"] for e in client.events} | {e["kind"] for m in client.inbox for e in m.get("events", [])}
        if kinds <= got:
            return True
        try:
            await client.receive(timeout=max(0.05, deadline - loop.time()))
        except TimeoutError:
            break
    return False


async def test_a_deadline_closes_the_phase_and_extend_and_pause_hold_it(server: str) -> None:
    _created, facilitator = await facilitated(server, clock="classroom", negotiate=0.6)
    await control(facilitator, "start")
    await control(facilitator, "extend", seconds=1.0)
    await asyncio.sleep(0.9)
    view, _ = await facilitator.turn()
    assert view["phase"] == "negotiate", "extended: not closed yet"
    await control(facilitator, "pause")
    await asyncio.sleep(1.2)
    view, _ = await facilitator.turn()
    assert view["phase"] == "negotiate", "paused: the clock stands still"
    await control(facilitator, "resume")
    for _ in range(60):
        view, _ = await facilitator.turn()
        if view["phase"] != "negotiate":
            break
        await asyncio.sleep(0.05)
    assert view["phase"] == "act"


async def test_reissue_disconnects_the_old_players_and_opens_a_new_code(server: str) -> None:
    created, facilitator = await facilitated(server)
    await control(facilitator, "start")
    norway, old_token = await seat(server, created, "norway")
    answer = await control(facilitator, "reissue", seat="norway")
    assert answer["type"] == "ack" and answer["join_code"] != created["join_codes"]["norway"]
    revoked = await norway.expect("error")
    assert revoked["code"] == "revoked"
    stranger = await Client.connect(server, wire.JSON)
    await stranger.send({"type": "hello", "game": created["game"], "token": old_token, "last_seq": 0})
    assert (await stranger.expect("error"))["code"] == "unauthorised"
    async with httpx.AsyncClient() as http:
        old = await http.post(f"http://{server}/api/join", json={"code": created["join_codes"]["norway"]})
        assert (old.status_code, old.json()["error"]) == (410, "code_reissued")
        assert "new one" in old.json()["message"]
    assert (await join(server, answer["join_code"]))["seat"] == "norway"


async def test_locked_codes_let_nobody_join_until_unlocked(server: str) -> None:
    created, facilitator = await facilitated(server)
    await control(facilitator, "lock")
    async with httpx.AsyncClient() as http:
        locked = await http.post(f"http://{server}/api/join", json={"code": created["join_codes"]["msf"]})
    assert (locked.status_code, locked.json()["error"]) == (403, "joining_locked")
    assert locked.json()["message"] == "The facilitator has locked joining for this game."
    await control(facilitator, "unlock")
    assert (await join(server, created["join_codes"]["msf"]))["seat"] == "msf"


async def test_a_seat_cannot_use_controls(server: str) -> None:
    created, _facilitator = await facilitated(server)
    norway, _ = await seat(server, created, "norway")
    for command in ("pause", "rollback", "fork", "skip"):
        answer = await control(norway, command, round=1)
        assert answer["type"] == "error" and answer["code"] == "not_facilitator", command


async def to_round_two(facilitator: Client, created: dict[str, Any], address: str) -> None:
    await control(facilitator, "start")
    norway, _ = await seat(address, created, "norway")
    await norway.act({"type": "send_message", "to": "public", "text": "round one words"})
    await control(facilitator, "skip")  # negotiate -> act
    await control(facilitator, "skip")  # act -> round 2
    view, _ = await facilitator.turn()
    assert (view["round"], view["phase"]) == (2, "negotiate")


async def test_rollback_returns_everyone_to_the_start_of_an_earlier_round(server: str) -> None:
    created, facilitator = await facilitated(server)
    await to_round_two(facilitator, created, server)
    answer = await control(facilitator, "rollback", round=1)
    assert answer["type"] == "ack", answer
    view, _ = await facilitator.turn()
    assert (view["round"], view["phase"]) == (1, "negotiate")
    assert view["messages"] == [], "the round's messages were undone with it"
    assert (await control(facilitator, "rollback", round=5))["code"] == "unknown_round"
    assert (await control(facilitator, "skip"))["type"] == "ack"
    view, _ = await facilitator.turn()
    assert (view["round"], view["phase"]) == (1, "act")


async def test_fork_starts_a_new_game_from_a_round_and_leaves_the_original(server: str) -> None:
    created, facilitator = await facilitated(server)
    await to_round_two(facilitator, created, server)
    answer = await control(facilitator, "fork", round=1)
    assert answer["type"] == "ack", answer
    fork = answer["fork"]
    assert fork["game"] != created["game"] and set(fork["join_codes"]) == set(created["join_codes"])
    other = await Client.connect(server, wire.JSON)
    welcome = await other.hello(fork["game"], fork["facilitator_token"])
    assert (welcome["view"]["round"], welcome["view"]["phase"]) == (1, "negotiate")
    view, _ = await facilitator.turn()
    assert (view["round"], view["phase"]) == (2, "negotiate")
    assert (await join(server, fork["join_codes"]["china"]))["game"] == fork["game"]


async def test_autopilots_seated_by_the_facilitator_play_the_whole_game(server: str) -> None:
    created, facilitator = await facilitated(server)
    for name in created["join_codes"]:
        answer = await control(facilitator, "bot", seat=name, strategy="random" if name == "msf" else "broker")
        assert answer["type"] == "ack", answer
    assert (await control(facilitator, "bot", seat="norway", strategy="genius"))["code"] == "unknown_bot"
    assert (await control(facilitator, "bot", seat="atlantis", strategy="random"))["code"] == "unknown_seat"
    await control(facilitator, "start")
    for _ in range(600):
        view, _ = await facilitator.turn()
        if view["phase"] == "ended":
            break
        await asyncio.sleep(0.1)
    assert view["phase"] == "ended" and view["outcome"] in ("adopted", "round_limit", "window_closed")
    assert await seen_kinds(facilitator, {"seat_done", "game_ended"})
