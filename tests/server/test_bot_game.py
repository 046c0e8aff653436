"""A whole game of classroom-quick between the reference bots, over real websockets and a real
Redis: half the seats speak msgpack, half JSON."""

from __future__ import annotations

import asyncio

from bots import make_bot, parse_lineup
from game_rules.standings import placed
from scenarios import load_scenario
from server import wire
from tests.server.client import Client, join, new_game


async def play_seat(address: str, game: str, seat: str, bot_name: str, protocol: str) -> dict[str, object]:
    """Connect a bot to its seat and play until the game ends; return the final view."""
    client = await Client.connect(address, protocol)
    joined = await join(address, game)
    assert joined["seat"] == seat
    await client.hello(joined["game"], joined["token"])
    bot = make_bot(bot_name, 3, seat)
    try:
        for _ in range(5000):
            view, legal = await client.turn()
            if view["phase"] == "ended":
                return view
            if not legal:
                await client.next_events()
                continue
            answer = await client.act(_plain(bot.act(view, legal)))
            assert answer["type"] in ("ack", "error"), answer
        raise AssertionError(f"{seat} never saw the game end")
    finally:
        await client.close()


def _plain(action: object) -> dict[str, object]:
    from game_rules import to_plain

    plain: dict[str, object] = to_plain(action)
    return plain


async def test_a_classroom_game_between_bots_plays_to_the_end_over_websockets(server: str) -> None:
    scenario = load_scenario("classroom-quick")
    created = await new_game(server, "classroom-quick", seed=3, clock="bots")
    lineup = parse_lineup("auto", scenario)
    facilitator = await Client.connect(server, wire.JSON)
    await facilitator.hello(created["game"], created["facilitator_token"])
    started = await facilitator.act({"type": "start_game"})
    assert started["type"] == "ack", started
    players = [
        play_seat(server, created["join_codes"][seat], seat, lineup[seat], wire.MSGPACK if i % 2 else wire.JSON)
        for i, seat in enumerate(scenario.seat_ids)
    ]
    finals = await asyncio.wait_for(asyncio.gather(*players), 120)
    outcomes = {view["outcome"] for view in finals}
    assert len(outcomes) == 1 and outcomes.pop() in ("adopted", "round_limit", "window_closed")
    final, _ = await facilitator.turn()
    assert final["phase"] == "ended" and set(final["scores"]) == set(scenario.seat_ids)
    # Standings rank seats whose scores measure different objectives: each score placed between
    # the worst and best the seat's objectives allow from its starting credibility.
    assert set(final["standings"]) == set(scenario.seat_ids)
    assert final["standings"] == {s: placed(scenario, s, final["scores"][s]["score"]) for s in scenario.seat_ids}
    # Every seat saw the same public events in the same order.
    await facilitator.close()
