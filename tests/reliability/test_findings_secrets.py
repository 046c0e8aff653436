"""Issue 9, findings 6 and 13 (the game's side): refusals that do not tell a private offer
exists, offer ids nobody can guess, a public message count of public messages, and alliance
messages read only by those who were members when they were sent."""

from __future__ import annotations

import re
from typing import Any

from scenarios import load_scenario
from server.settings import Settings
from tests.reliability.harness import Player, create_game, say, seated, started
from tests.server.conftest import running

A, B, C = load_scenario("classroom-quick").seat_ids[:3]
OFFER = {"type": "make_offer", "to": B, "gives": {"capital": 1}, "gets": {"funds": 1}}


def _offer_ids(player: Player) -> list[str]:
    return [
        e["detail"]["offer"]
        for frame in player.frames
        for e in frame.get("events", frame.get("missed", []))
        if e["kind"] == "offer_made"
    ]


async def _act(player: Player, action: dict[str, Any]) -> dict[str, Any]:
    return await player.request({"type": "act", "action": action})


def _without_ids(answer: dict[str, Any], *offer_ids: str) -> tuple[str, str, str]:
    message = answer.get("message", "")
    for offer_id in offer_ids:
        message = message.replace(offer_id, "<offer>")
    return answer["type"], answer.get("code", ""), message


async def test_answers_about_someone_elses_private_offer_are_those_about_no_offer_and_ids_are_salted(
    redis_url: str,
) -> None:
    async with running(Settings(redis_url=redis_url, port=0)) as address:
        made: list[str] = []
        for _ in range(2):  # two games from the same seed, the same offer in each
            created = await create_game(address, seed=4)
            facilitator = await started(address, created)
            sender, recipient, outsider = [await seated(address, created, seat) for seat in (A, B, C)]
            assert (await _act(sender, OFFER))["type"] == "ack"
            await recipient.wait_for_change(1.0)
            (offer,) = _offer_ids(sender)
            made.append(offer)
            made_up = offer[:-3] + ("zzz" if not offer.endswith("zzz") else "yyy")
            for kind in ("accept_offer", "decline_offer", "withdraw_offer"):
                real = await _act(outsider, {"type": kind, "offer": offer})
                none = await _act(outsider, {"type": kind, "offer": made_up})
                assert real["type"] == "error", real
                assert _without_ids(real, offer) == _without_ids(none, made_up), (kind, real, none)
            # The sender may not accept its own offer: the same answer as for an offer that is not there.
            own = await _act(sender, {"type": "accept_offer", "offer": offer})
            other = await _act(sender, {"type": "accept_offer", "offer": made_up})
            assert _without_ids(own, offer) == _without_ids(other, made_up)
            told = [f for f in outsider.frames if f["type"] != "error"]  # its errors echo the id it sent
            assert offer not in str(told), "the outsider heard of the offer"
            for player in (facilitator, sender, recipient, outsider):
                await player.close()
        assert made[0] != made[1], f"offer ids repeat across games: {made}"
        assert not re.fullmatch(r"o\d+", made[0]), f"offer ids are sequential: {made[0]}"


async def test_the_public_message_count_counts_public_messages_only(redis_url: str) -> None:
    async with running(Settings(redis_url=redis_url, port=0)) as address:
        created = await create_game(address)
        facilitator = await started(address, created)
        sender, watcher = await seated(address, created, A), await seated(address, created, C)

        async def count() -> int:
            value: int = (await watcher.request({"type": "ask"}))["view"]["message_count"]
            return value

        start = await count()
        assert (await _act(sender, say("between us", to=B)))["type"] == "ack"
        assert await count() == start, "a private message counted as public"
        assert (await _act(sender, say("for everyone")))["type"] == "ack"
        assert await count() == start + 1
        for player in (facilitator, sender, watcher):
            await player.close()


async def test_a_seat_that_joins_an_alliance_does_not_read_what_was_said_there_before(redis_url: str) -> None:
    async with running(Settings(redis_url=redis_url, port=0)) as address:
        created = await create_game(address)
        facilitator = await started(address, created)
        founder, member, latecomer = [await seated(address, created, seat) for seat in (A, B, C)]
        assert (await _act(founder, {"type": "found_alliance", "name": "Linked ecologies"}))["type"] == "ack"
        view = (await founder.request({"type": "ask"}))["view"]
        alliance = next(iter(view["alliances"])) if isinstance(view["alliances"], dict) else view["alliances"][0]["id"]
        for seat, player in ((B, member), (C, latecomer)):
            invite = {"type": "invite_to_alliance", "alliance": alliance, "seat": seat}
            assert (await _act(founder, invite))["type"] == "ack"
            if player is member:
                assert (await _act(member, {"type": "join_alliance", "alliance": alliance}))["type"] == "ack"
                assert (await _act(founder, say("before C came: secret plan", f"alliance:{alliance}")))["type"] == "ack"
        assert (await _act(latecomer, {"type": "join_alliance", "alliance": alliance}))["type"] == "ack"
        assert (await _act(founder, say("welcome, C", f"alliance:{alliance}")))["type"] == "ack"
        seen = (await latecomer.request({"type": "ask"}))["view"]
        texts = [m["text"] for m in seen["private_messages"]]  # alliance messages are not public
        assert "welcome, C" in texts
        assert "before C came: secret plan" not in str(seen), "a newcomer read the alliance's earlier messages"
        assert "secret plan" not in str(latecomer.frames)
        for player in (facilitator, founder, member, latecomer):
            await player.close()
