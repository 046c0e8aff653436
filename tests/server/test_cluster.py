"""The same game on a 3-node Redis Cluster on loopback: a game's keys share a slot by their hash
tag, the shared keys (codes, deadlines) live wherever the cluster puts them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest

from bots import parse_lineup
from scenarios import load_scenario
from server import wire
from server.embedded_redis import EmbeddedCluster
from server.settings import Settings
from tests.server.client import Client, new_game
from tests.server.conftest import running
from tests.server.test_bot_game import play_seat


@pytest.fixture(scope="module")
def cluster() -> Iterator[EmbeddedCluster]:
    nodes = EmbeddedCluster(3).start()
    try:
        yield nodes
    finally:
        nodes.stop()


@pytest.fixture
async def cluster_server(cluster: EmbeddedCluster) -> AsyncIterator[str]:
    settings = Settings.from_env(redis_url=cluster.url.replace("redis://", "redis+cluster://"), port=0)
    assert settings.cluster
    async with running(settings) as address:
        yield address


async def test_a_bot_game_plays_to_the_end_on_a_redis_cluster(cluster_server: str) -> None:
    scenario = load_scenario("classroom-quick")
    lineup = parse_lineup("auto", scenario)
    created = await new_game(cluster_server, "classroom-quick", seed=6, clock="bots")
    facilitator = await Client.connect(cluster_server, wire.JSON)
    await facilitator.hello(created["game"], created["facilitator_token"])
    assert (await facilitator.act({"type": "start_game"}))["type"] == "ack"
    players = [
        play_seat(cluster_server, created["join_codes"][seat], seat, lineup[seat], wire.MSGPACK)
        for seat in scenario.seat_ids
    ]
    finals = await asyncio.wait_for(asyncio.gather(*players), 120)
    assert {view["phase"] for view in finals} == {"ended"}
    answer = await facilitator.request({"type": "control", "command": "rollback", "round": 1})
    assert answer["type"] == "ack", answer
    view, _ = await facilitator.turn()
    assert (view["round"], view["phase"]) == (1, "negotiate")
