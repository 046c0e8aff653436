"""Running bots against a live server: one seat until the game ends, or whole tournaments.

A tournament drives every seat of a game from one process, in a fixed rotation, one action
at a time, exactly as the local simulator does; so the same server, scenario and seed give
the same results (and the same as `normarena simulate` for those seeds).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from arena_client.client import GameClient, ServerError, create_game, export_game, join
from bots import make_bot, parse_lineup
from scenarios import list_scenarios, load_scenario
from simulation.play import STEPS_PER_SEAT_PHASE
from simulation.summary import game_seed
from simulation.tally import tally_actions, tally_events

IDLE_WAIT = 30.0


async def play_seat(base: str, code: str, strategy: str, seed: int = 0, name: str = "") -> dict[str, Any]:
    """Join a seat with a code and play it with a strategy until the game ends; the final view."""
    game, seat, token = await join(base, code, name or strategy)
    bot = make_bot(strategy, seed, seat)
    async with await GameClient.connect(base, game, token) as client:
        while True:
            turn = await client.ask()
            if turn.is_over:
                return turn.view
            if not turn.legal:
                while not client.events.empty():
                    client.events.get_nowait()
                await client.next_events(IDLE_WAIT)
                continue
            try:
                await client.act(bot.act(turn.view, turn.legal))
            except ServerError:
                continue  # the game moved on between our look and our move: look again


@dataclass(frozen=True)
class TournamentGame:
    """One game's result as the server's export reports it."""

    index: int
    seed: int
    game: str
    outcome: str
    rounds: int
    legitimacy: float
    scores: dict[str, float]
    lineup: dict[str, str]
    tally: dict[str, Any] = field(default_factory=dict)  # votes by cause, pledges, offers by kind...


def _scenario_request(scenario_name: str) -> tuple[str, str]:
    """A shipped scenario goes by name; a scenario file of one's own goes up with the game."""
    if scenario_name in list_scenarios():
        return scenario_name, ""
    return "", Path(scenario_name).read_text(encoding="utf-8")


async def play_game_remotely(base: str, scenario_name: str, seed: int, lineup: dict[str, str]) -> dict[str, Any]:
    """Create a game on the server, play every seat with its bot in a fixed rotation, and
    return the export."""
    name, text = _scenario_request(scenario_name)
    created = await create_game(base, name, seed, "bots", scenario_toml=text)
    seats = list(lineup)
    clients: dict[str, GameClient] = {}
    facilitator = await GameClient.connect(base, created["game"], created["facilitator_token"])
    try:
        for seat in seats:
            game, joined, token = await join(base, created["join_codes"][seat], lineup[seat])
            assert joined == seat
            clients[seat] = await GameClient.connect(base, game, token)
        bots = {seat: make_bot(lineup[seat], seed, seat) for seat in seats}
        await facilitator.control("start")
        over = False
        phase_actions: dict[tuple[int, str], int] = {}
        while not over:
            moved = False
            phase: tuple[int, str] | None = None
            for seat in seats:
                turn = await clients[seat].ask()
                key = (turn.view["round"], turn.view["phase"])
                if turn.is_over:
                    over = True
                    break
                if phase is not None and key != phase:
                    break  # the phase changed during this pass: start the rotation again
                phase = key
                if not turn.legal:
                    continue
                with contextlib.suppress(ServerError):  # a refused move still counts as the seat's turn
                    await clients[seat].act(bots[seat].act(turn.view, turn.legal))
                moved = True
                phase_actions[key] = phase_actions.get(key, 0) + 1
                if phase_actions[key] >= STEPS_PER_SEAT_PHASE * len(seats):
                    moved = False  # the phase has dragged on: close it, as the local runner does
                    break
            if not moved and not over:
                await facilitator.control("skip")  # nobody could move: close the phase, as a deadline would
        return await export_game(base, created["game"], created["facilitator_token"])
    finally:
        for client in (facilitator, *clients.values()):
            await client.close()


async def run_tournament(
    base: str,
    scenario_name: str,
    games: int,
    lineup_spec: str,
    seed: int,
    progress: Callable[[], object] = lambda: None,
) -> list[TournamentGame]:
    """Play `games` seeded games on the server, one after another."""
    scenario = load_scenario(scenario_name)
    lineup = parse_lineup(lineup_spec, scenario)
    results = []
    for index in range(games):
        seed_i = game_seed(seed, index)
        exported = await play_game_remotely(base, scenario_name, seed_i, lineup)
        results.append(
            TournamentGame(
                index=index,
                seed=seed_i,
                game=exported["game"],
                outcome=exported["outcome"],
                rounds=exported["round"],
                legitimacy=exported["legitimacy"],
                scores={seat: card["score"] for seat, card in exported["scores"].items()},
                lineup=lineup,
                tally={
                    **tally_events(exported.get("events", [])),
                    **tally_actions((a["actor"], a["action"]) for a in exported.get("actions", [])),
                },
            )
        )
        progress()
    return results
