"""An adversarial client (issue 9, "proven by" 5): every message type with every wrong token,
seat, game and offer id. Nothing it is sent carries another seat's secrets (objectives, role
sheet, private messages, alliance talk, the terms or the id of a private offer), and no answer
about someone else's private offer differs from the answer about an offer that does not exist."""

from __future__ import annotations

import json
import secrets
from typing import Any

from scenarios import load_scenario
from server import wire
from server.protocol import CONTROLS
from server.settings import Settings
from tests.reliability.harness import Player, create_game, say, seated, started
from tests.server.conftest import running

SCENARIO = load_scenario("classroom-quick")
A, B, C = SCENARIO.seat_ids[:3]
OFFER_KINDS = ("accept_offer", "decline_offer", "withdraw_offer")


def _actions(offer: str, alliance: str) -> list[dict[str, Any]]:
    """Every seat action, aimed at other seats, their alliance and their offer."""
    out: list[dict[str, Any]] = []
    for target in (A, B, "nobody", ""):
        out += [
            say("hello?", target),
            {"type": "make_offer", "to": target, "gives": {"capital": 1}, "gets": {"funds": 1}},
            {"type": "invite_to_alliance", "alliance": alliance, "seat": target},
        ]
    for kind in OFFER_KINDS:
        out += [{"type": kind, "offer": offer}, {"type": kind, "offer": offer.upper()}, {"type": kind, "offer": ""}]
    out += [
        say("let me in", f"alliance:{alliance}"),
        {"type": "join_alliance", "alliance": alliance},
        {"type": "leave_alliance", "alliance": alliance},
        {"type": "found_alliance", "name": "Mine"},
        {"type": "end_negotiation"},
        {"type": "submit_order", "order": {"type": "lobby", "target": A}},
        {"type": "withdraw_order", "index": 0},
        {"type": "end_orders"},
        {"type": "cast_vote", "vote": "yes"},
        {"type": "start_game"},
        {"type": "end_game"},
    ]
    return out


def _requests(offer: str, alliance: str, games: list[str], tokens: list[str]) -> list[dict[str, Any]]:
    """Every client message type, with wrong games, tokens, seats and ids."""
    out: list[dict[str, Any]] = [{"type": "hello", "game": g, "token": t, "last_seq": 0} for g in games for t in tokens]
    out += [{"type": "ask"}, {"type": "ping"}]
    out += [{"type": "act", "action": action} for action in _actions(offer, alliance)]
    for command in CONTROLS:
        out += [{"type": "control", "command": command, "seat": seat, "round": 1} for seat in (A, B)]
    return out


def _secrets_of(views: dict[str, dict[str, Any]]) -> list[str]:
    """Text only other seats may know: their role sheets and the JSON of their objectives."""
    found = []
    for view in views.values():
        you = view["you"]
        found += [you["role_sheet"], json.dumps(you["objectives"], sort_keys=True)]
    return found


def _walk(value: Any, where: str = "") -> list[tuple[str, Any]]:
    """Every (path, value) under a key that holds a seat's secrets."""
    out: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("objectives", "role_sheet", "offers", "pledges"):
                out.append((f"{where}/{key}", item))
            out += _walk(item, f"{where}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _walk(item, f"{where}/{index}")
    return out


async def test_an_adversary_trying_every_message_with_wrong_ids_learns_no_other_seats_secrets(
    redis_url: str,
) -> None:
    async with running(Settings(redis_url=redis_url, port=0)) as address:
        created = await create_game(address, seed=12)
        other = await create_game(address, seed=13)
        facilitator = await started(address, created)
        owner, partner, adversary = [await seated(address, created, seat) for seat in (A, B, C)]
        marker = secrets.token_hex(6)
        terms = {"type": "make_offer", "to": B, "gives": {"capital": 3}, "gets": {"funds": 2}}
        assert (await owner.request({"type": "act", "action": terms}))["type"] == "ack"
        assert (await owner.request({"type": "act", "action": say(f"private {marker}", B)}))["type"] == "ack"
        assert (await owner.request({"type": "act", "action": {"type": "found_alliance", "name": "Pact"}}))[
            "type"
        ] == "ack"
        view = (await owner.request({"type": "ask"}))["view"]
        alliance = next(iter(view["alliances"])) if isinstance(view["alliances"], dict) else view["alliances"][0]["id"]
        assert (await owner.request({"type": "act", "action": say(f"pact {marker}", f"alliance:{alliance}")}))[
            "type"
        ] == "ack"
        (offer,) = [
            e["detail"]["offer"] for f in owner.frames for e in f.get("events", []) if e["kind"] == "offer_made"
        ]
        hidden = {seat: (await player.request({"type": "ask"}))["view"] for seat, player in ((A, owner), (B, partner))}
        own = (await adversary.request({"type": "ask"}))["view"]["you"]

        spectator = Player([address], created["game"], created["spectator_token"], wire.MSGPACK)
        await spectator.connect()
        stranger = await seated(address, other, C)  # the same seat in another game of the scenario
        tokens = [
            secrets.token_urlsafe(16),
            other["facilitator_token"],
            other["spectator_token"],
            created["spectator_token"][:-1] + ("A" if not created["spectator_token"].endswith("A") else "B"),
            "",
        ]
        games = [created["game"], other["game"], "0" * 16, created["game"].upper()]
        fake = offer[:-4] + secrets.token_hex(2)
        for client in (adversary, spectator, stranger):
            for request in _requests(offer, alliance, games, tokens):
                answer = await client.request(request, timeout=20)
                if request["type"] == "act" and request["action"].get("offer") == offer:
                    twin = {**request, "action": {**request["action"], "offer": fake}}
                    again = await client.request(twin, timeout=20)
                    assert (again["type"], again.get("code")) == (answer["type"], answer.get("code")), (request, answer)
                    assert again.get("message", "").replace(fake, "<offer>") == answer.get("message", "").replace(
                        offer, "<offer>"
                    )
        # Fresh connections with wrong tokens: each is refused as a stranger would be.
        for game in games:
            for token in tokens:
                if game == other["game"] and token in (other["facilitator_token"], other["spectator_token"]):
                    continue  # tokens of that game do open it
                intruder = Player([address], game, token, wire.JSON)
                refusal = await intruder.connect(patience=5)
                assert refusal["type"] == "error" and refusal["code"] in ("unauthorised", "unknown_game"), refusal
                await intruder.close()

        known = _secrets_of(hidden)
        for name, client in (("seat", adversary), ("spectator", spectator), ("stranger", stranger)):
            told = [f for f in client.frames if f["type"] != "error"]  # errors echo what the client sent
            text = json.dumps(told, sort_keys=True)
            for secret in known:
                assert secret not in text, f"the {name} was sent another seat's secret"
            assert marker not in text, f"the {name} read a private or alliance message"
            assert offer not in text, f"the {name} learnt a private offer's id"
            for path, value in _walk(told):
                if path.endswith(("objectives", "role_sheet")):
                    assert name != "spectator" and value == own[path.rsplit("/", 1)[1]], f"the {name} got {path}"
                elif name != "spectator" and value:
                    assert offer not in json.dumps(value), f"the seat saw someone else's offer at {path}"
            errors = [f for f in client.frames if f["type"] == "error"]
            assert all(marker not in e["message"] for e in errors)
        for player in (facilitator, owner, partner, adversary, spectator, stranger):
            await player.close()
