"""Twenty bots in three games on two workers, with a fault in the middle, and the checks that
nothing was lost: every game ends, every acknowledged action is in its game's log exactly
once, and every client was sent exactly the events its view holds, in order, with no gap
and no duplicate."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import redis

from bots import parse_lineup
from scenarios import load_scenario
from server import wire
from tests.reliability.harness import (
    Ledger,
    Player,
    action_log,
    create_game,
    drain,
    join,
    play_bot,
    visible_numbers,
)

# Twenty bots: three games of six seats, and in two of them a team-mate sharing the first seat.
GAMES = (("classroom-quick", 5, 2), ("classroom-quick", 6, 2), ("classroom-quick", 7, 1))
FAULT_AFTER_ACTIONS = 120


@dataclass
class Played:
    """One game of a match: its id, and its clients by viewer."""

    game: str
    facilitator: Player
    seats: list[tuple[str, Player]] = field(default_factory=list)  # (seat, player): team-mates share one
    watchers: list[Player] = field(default_factory=list)  # a spectator on each worker


@dataclass
class Match:
    addresses: list[str]
    redis_url: str
    ledger: Ledger = field(default_factory=Ledger)
    games: list[Played] = field(default_factory=list)

    async def setup(self) -> None:
        for index, (name, seed, players_of_first) in enumerate(GAMES):
            created = await create_game(self.addresses[0], name, seed)
            game = created["game"]
            played = Played(game, Player(self._spread(index), game, created["facilitator_token"], wire.JSON))
            await played.facilitator.connect()
            for i in range(len(self.addresses)):
                watcher = Player(self._spread(i), game, created["spectator_token"])
                await watcher.connect()
                played.watchers.append(watcher)
            lineup = list(parse_lineup("auto", load_scenario(name)))
            for i, seat in enumerate(lineup[:1] * (players_of_first - 1) + lineup):
                joined = await join(self.addresses[0], created["join_codes"][seat], f"bot {seat}")
                protocol = wire.JSON if i % 3 == 0 else wire.MSGPACK
                player = Player(self._spread(i), game, joined["token"], protocol)
                await player.connect()
                played.seats.append((seat, player))
            self.games.append(played)

    def _spread(self, index: int) -> list[str]:
        """The workers in the order this client tries them: half the clients start on each."""
        start = index % len(self.addresses)
        return self.addresses[start:] + self.addresses[:start]

    async def play(self, fault: Callable[[], Awaitable[float]], timeout: float = 240.0) -> float:
        """Start every game, play it with its bots, and bring on the fault once the games are
        well under way; returns when the fault ended (monotonic seconds)."""
        for played in self.games:
            answer = await played.facilitator.request({"type": "control", "command": "start"})
            assert answer["type"] == "ack", answer
            self.ledger.acked.append(("facilitator", {"type": "start_game"}))
        bots = [
            asyncio.create_task(play_bot(player, seat, lineup[seat], seed + i, self.ledger))
            for played, (name, seed, _) in zip(self.games, GAMES, strict=True)
            for lineup in [parse_lineup("auto", load_scenario(name))]
            for i, (seat, player) in enumerate(played.seats)
        ]
        try:
            deadline = time.monotonic() + 60
            while len(self.ledger.acked) < FAULT_AFTER_ACTIONS and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            assert len(self.ledger.acked) >= FAULT_AFTER_ACTIONS, "the games did not get going"
            ended = await fault()
            await asyncio.wait_for(asyncio.gather(*bots), timeout)
        finally:
            for task in bots:
                task.cancel()
        return ended

    async def check(self) -> None:
        """The game ended; acked actions are in the log exactly once; no client has a gap."""
        client = redis.Redis.from_url(self.redis_url)
        try:
            acked = Counter((actor, json.dumps(action, sort_keys=True)) for actor, action in self.ledger.acked)
            logged: Counter[tuple[str, str]] = Counter()
            for played in self.games:
                everyone = [played.facilitator, *played.watchers, *(p for _, p in played.seats)]
                for player in everyone:
                    await drain(player)
                assert all(p.view.get("phase") == "ended" for p in everyone), "a game did not end"
                logged.update((actor, json.dumps(a, sort_keys=True)) for actor, a in action_log(client, played.game))
                viewers = {
                    "facilitator": [played.facilitator],
                    "spectator": played.watchers,
                    **{seat: [p for s, p in played.seats if s == seat] for seat, _ in played.seats},
                }
                for viewer, players in viewers.items():
                    expected = visible_numbers(client, played.game, viewer)
                    for player in players:
                        assert player.seen == expected, _gap(viewer, player, expected)
            missing, doubled = acked - logged, logged - acked
            assert not missing, f"acknowledged actions missing from the log: {list(missing.items())[:5]}"
            assert not doubled, f"actions in the log more often than acknowledged: {list(doubled.items())[:5]}"
        finally:
            client.close()

    def first_delivery_after(self, moment: float) -> list[float]:
        """For each watcher, how long after `moment` its first events frame came."""
        return [
            min((t for t in watcher.arrivals if t >= moment), default=float("inf")) - moment
            for played in self.games
            for watcher in played.watchers
        ]

    async def close(self) -> None:
        for played in self.games:
            for player in (played.facilitator, *played.watchers, *(p for _, p in played.seats)):
                await player.close()


def _gap(viewer: str, player: Player, expected: list[int]) -> str:
    seen = player.seen
    views = sum(1 for frame in player.frames if frame["type"] == "view")
    missing = sorted(set(expected) - set(seen))
    extra = sorted(set(seen) - set(expected))
    doubled = sorted(n for n, c in Counter(seen).items() if c > 1)
    return (
        f"{viewer}: missing {missing[:10]}, not theirs {extra[:10]}, twice {doubled[:10]}, "
        f"out of order: {seen != sorted(seen)}, whole views sent: {views}"
    )
