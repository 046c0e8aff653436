"""Games to measure: created on the game server over HTTP as a facilitator would (a game,
then a join code per seat), or named on the floor server; and the connections each needs,
spread over the workers connection by connection."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from typing import Any

import httpx

from bench.wsclient import BenchConnection, Ticket

SCENARIO = "integrated-missions"
HTTP_AT_ONCE = 32
SETUP_TRIES = 5


@dataclass(frozen=True)
class BenchGame:
    """A game and every connection it gets: players (team by team, seat by seat), then spectators."""

    game: str
    seats: tuple[str, ...]
    tickets: tuple[Ticket, ...]
    facilitator: Ticket | None = None

    @property
    def players(self) -> tuple[Ticket, ...]:
        return tuple(t for t in self.tickets if t.seat)

    @property
    def first_team(self) -> tuple[Ticket, ...]:
        """One player per seat, in seat order."""
        return self.players[: len(self.seats)]


def ws_url(base: str, path: str = "/ws") -> str:
    """The websocket address of a server's HTTP base address."""
    return base.replace("http://", "ws://", 1) + path


async def scenario_seats(base: str, scenario: str = SCENARIO) -> tuple[str, ...]:
    """The scenario's seat ids, as the server lists them."""
    async with httpx.AsyncClient(timeout=30) as http:
        listed = (await http.get(f"{base}/api/scenarios")).json()
    return tuple(seat["id"] for entry in listed if entry["id"] == scenario for seat in entry["seats"])


async def _post(http: httpx.AsyncClient, gate: asyncio.Semaphore, url: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST and return the JSON answer. Setting up is not what is measured: a request the server
    dropped or failed (5xx) is sent again, and said so on stderr."""
    for attempt in range(SETUP_TRIES):
        try:
            async with gate:
                response = await http.post(url, json=body)
        except httpx.TransportError as error:
            problem = f"{type(error).__name__}"
        else:
            if response.status_code < 500:
                break
            problem = f"status {response.status_code}"
        if attempt == SETUP_TRIES - 1:
            raise RuntimeError(f"POST {url} failed {SETUP_TRIES} times, the last with {problem}")
        print(f"setup: POST {url} failed ({problem}); sending it again", file=sys.stderr)
        await asyncio.sleep(0.5 * 2**attempt)
    answer: dict[str, Any] = response.json()
    if response.status_code >= 400:
        raise RuntimeError(f"POST {url} answered {response.status_code}: {answer}")
    return answer


async def create_games(
    bases: list[str], count: int, tag: str, players_per_seat: int = 1, spectators: int = 1, seed: int = 1
) -> list[BenchGame]:
    """`count` integrated-missions games (clock `bots`: no deadline closes a phase under us),
    each seat joined `players_per_seat` times; connections spread over the workers."""
    seats = await scenario_seats(bases[0])
    gate = asyncio.Semaphore(HTTP_AT_ONCE)
    limits = httpx.Limits(max_connections=HTTP_AT_ONCE, max_keepalive_connections=HTTP_AT_ONCE)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:

        async def one(index: int) -> BenchGame:
            base = bases[index % len(bases)]
            body = {"scenario": SCENARIO, "seed": seed + index, "clock": "bots"}
            created = await _post(http, gate, f"{base}/api/games", body)
            game = created["game"]
            joins = [(member, seat) for member in range(players_per_seat) for seat in seats]
            tokens = await asyncio.gather(
                *(
                    _post(http, gate, f"{base}/api/join", {"code": created["join_codes"][seat], "name": f"p{m}"})
                    for m, seat in joins
                )
            )
            tickets = [
                Ticket(f"{tag}/{index}/{seat}/{m}", "", game, answer["token"], seat)
                for (m, seat), answer in zip(joins, tokens, strict=True)
            ]
            tickets += [
                Ticket(f"{tag}/{index}/spectator/{n}", "", game, created["spectator_token"], "")
                for n in range(spectators)
            ]
            # Connection by connection over the workers, so a game's fan-out crosses them.
            placed = tuple(
                Ticket(t.key, ws_url(bases[(index + n) % len(bases)]), t.game, t.token, t.seat)
                for n, t in enumerate(tickets)
            )
            facilitator = Ticket(f"{tag}/{index}/facilitator", ws_url(base), game, created["facilitator_token"], "")
            return BenchGame(game, seats, placed, facilitator)

        return list(await asyncio.gather(*(one(i) for i in range(count))))


async def start_games(games: list[BenchGame]) -> None:
    """Each game's facilitator connects, starts it (round 1, negotiation) and leaves."""
    gate = asyncio.Semaphore(HTTP_AT_ONCE)

    async def one(game: BenchGame) -> None:
        assert game.facilitator is not None
        async with gate:
            connection = BenchConnection(game.facilitator)
            await connection.open()
            try:
                answer, _ = await connection.request({"type": "control", "id": "start", "command": "start"})
            finally:
                await connection.close()
        if answer.get("type") != "ack":
            raise RuntimeError(f"game {game.game} did not start: {answer}")

    await asyncio.gather(*(one(g) for g in games))


def floor_games(
    base: str, count: int, tag: str, seats: tuple[str, ...], path: str, players_per_seat: int = 1, spectators: int = 1
) -> list[BenchGame]:
    """The same shape of games on the floor server (`/game` or `/fanout`); nothing to create."""
    games = []
    for index in range(count):
        game = f"{tag}-{index}"
        tickets = [
            Ticket(f"{tag}/{index}/{seat}/{m}", ws_url(base, path), game, seat, seat)
            for m in range(players_per_seat)
            for seat in seats
        ]
        tickets += [Ticket(f"{tag}/{index}/spectator/{n}", ws_url(base, path), game, "", "") for n in range(spectators)]
        games.append(BenchGame(game, seats, tuple(tickets)))
    return games
