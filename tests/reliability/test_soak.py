"""Soak (issue 9, "proven by" 6): 100 games at once, each with six autopilot bots, for 30 s
(`--soak-seconds` for longer; past about nine minutes add `--timeout 0`), with the server's RSS
and Redis's `used_memory` sampled each second. Then the games are ended, left alone until they
expire (a short `game_idle_days`), and both memories must be flat: Redis back to where it
started, the worker no longer growing and no game left in its cache."""

from __future__ import annotations

import asyncio
import statistics
import time

import httpx
import msgpack
import pytest
import redis

from scenarios import load_scenario
from server import hub, keys, wire
from tests.reliability.harness import Player, ServerProcess, create_game, redis_server

pytestmark = pytest.mark.slow
GAMES = 100
IDLE_SECONDS = 10.0
SEATS = load_scenario("classroom-quick").seat_ids


class Samples:
    """RSS of the server and Redis's used_memory, once a second, in the background."""

    def __init__(self, server: ServerProcess, client: redis.Redis) -> None:
        self.server, self.client = server, client
        self.rows: list[tuple[float, int, int]] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            used = int(self.client.info("memory")["used_memory"])
            self.rows.append((time.monotonic(), self.server.rss(), used))
            await asyncio.sleep(1.0)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)

    def since(self, moment: float) -> list[tuple[float, int, int]]:
        return [row for row in self.rows if row[0] >= moment]


async def _cached_games(address: str) -> float:
    async with httpx.AsyncClient(timeout=10) as http:
        text = (await http.get(f"http://{address}/metrics")).text
    return float(next(x for x in text.splitlines() if x.startswith("normarena_games_connected ")).split()[-1])


def _phase(client: redis.Redis, game: str) -> str:
    raw = client.hget(keys.state(game), "state")
    return str(msgpack.unpackb(raw, raw=False)["phase"]) if raw else ""


async def _control(address: str, game: dict[str, str], *commands: dict[str, str]) -> None:
    """The facilitator's commands; a game that ended by itself may have expired already."""
    facilitator = Player([address], game["game"], game["facilitator_token"], wire.MSGPACK)
    if (await facilitator.connect(patience=60))["type"] != "welcome":
        assert commands == ({"command": "end"},), "a game expired while it was being set up"
        return
    try:
        for command in commands:
            answer = await facilitator.request({"type": "control", **command})
            assert answer["type"] == "ack" or answer.get("code") in ("game_over", "unknown_game"), answer
    finally:
        await facilitator.close()


async def test_a_hundred_games_at_once_leave_memory_flat_once_they_end_and_expire(
    pytestconfig: pytest.Config,
) -> None:
    play_for = float(pytestconfig.getoption("--soak-seconds"))
    with redis_server() as store, ServerProcess(redis_url=store.url, game_idle_days=IDLE_SECONDS / 86_400) as server:
        client = redis.Redis.from_url(store.url)
        address = server.address
        samples = Samples(server, client)
        samples.start()
        await asyncio.sleep(2.5)
        redis_start = statistics.median(used for _, _, used in samples.rows)
        seat_bots = [{"command": "bot", "seat": seat, "strategy": "random"} for seat in SEATS]
        gate = asyncio.Semaphore(10)

        async def set_up(seed: int) -> dict[str, str]:
            async with gate:  # each game is seated and started right after it is made, within its idle time
                game = await create_game(address, "classroom-quick", seed=seed)
                await _control(address, game, *seat_bots, {"command": "start"})
                return game

        games = await asyncio.gather(*(set_up(seed) for seed in range(GAMES)))
        began = time.monotonic()
        await asyncio.sleep(play_for)
        ended_naturally = sum(1 for g in games if b"ended" in (client.hget(keys.meta(g["game"]), "phase") or b""))
        await asyncio.gather(*(_control(address, g, {"command": "end"}) for g in games))
        over = time.monotonic()
        deadline = over + hub.IDLE_ROOM_SECONDS + hub.MAINTENANCE_SECONDS + IDLE_SECONDS + 20
        while time.monotonic() < deadline:
            left = [k for k in client.scan_iter(f"{keys.PREFIX}:*", count=1000) if k != keys.deadlines().encode()]
            if not left and await _cached_games(address) == 0:
                break
            await asyncio.sleep(1.0)
        settled = time.monotonic()
        cached = await _cached_games(address)
        await asyncio.sleep(8.0)
        await samples.stop()
        client.close()

    assert not left, f"keys outlived their games: {left[:5]}"
    assert cached == 0, f"the worker still holds {cached} games nobody uses"
    played = samples.since(began)
    peak_rss = max(rss for _, rss, _ in played)
    # From two seconds after the last key went: Redis shrinks its emptied tables in its own cron.
    tail = samples.since(settled + 2.0)
    rss_tail = [rss for _, rss, _ in tail]
    used_tail = [used for _, _, used in tail]
    mb = 2**20
    summary = (
        f"{len(samples.rows)} samples; Redis {redis_start / mb:.1f} MB at start, "
        f"{max(u for *_, u in played) / mb:.1f} at peak, {used_tail[-1] / mb:.1f} at the end; "
        f"RSS peak {peak_rss / mb:.1f} MB, at the end {rss_tail[0] / mb:.1f} to {rss_tail[-1] / mb:.1f} MB; "
        f"{ended_naturally} games ended by themselves"
    )
    print(summary)
    assert max(used_tail) <= redis_start + 2 * mb, f"Redis did not come back to its start: {summary}"
    assert max(rss_tail) <= min(rss_tail) * 1.02, f"the worker's memory is not flat once the games expired: {summary}"
