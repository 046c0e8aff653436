"""Reference bots: a random legal player and three characters from the article.

    random        picks any legal action
    entrepreneur  cross-kind alliances, consults before tabling (Norway)
    spoiler       defends turf in the HQ loop (a department guarding its ground)
    broker        horse-trades pledges and side issues
    auto          the character that fits the seat's own objectives

A lineup spec names a bot per seat: "auto", "random", "norway=entrepreneur,*=random", or a
Python import path "package.module:Class" for a bot of your own.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from bots.base import Bot
from bots.broker import Broker
from bots.entrepreneur import Entrepreneur
from bots.random_player import RandomPlayer
from bots.spoiler import Spoiler
from game_rules import Scenario
from game_rules.world import text_utility

BotFactory = Callable[[int, str], Bot]
REFERENCE_BOTS: dict[str, BotFactory] = {
    "random": RandomPlayer,
    "entrepreneur": Entrepreneur,
    "spoiler": Spoiler,
    "broker": Broker,
}
CHARACTERS = ("entrepreneur", "spoiler", "broker")


def character_for(scenario: Scenario, seat: str) -> str:
    """The character that fits a seat: turf-holders and those who prefer failure spoil, those
    who want change (and are not too attached to failure) lead, the rest trade."""
    spec = scenario.seat(seat)
    start = {p.id: p.start for p in scenario.provisions}
    ideal = {**start, **dict(spec.preferences.ideal)}
    wants_change = text_utility(spec.preferences, ideal, scenario) - text_utility(spec.preferences, start, scenario)
    if spec.kind in ("agency", "state") and (spec.turf or spec.failure_value >= 0.45):
        return "spoiler"
    if wants_change >= 0.2 and spec.failure_value <= 0.3:
        return "entrepreneur"
    return "broker"


def _import(path: str) -> BotFactory:
    module_name, _, attribute = path.partition(":")
    if not attribute:
        raise ValueError(f"a bot given by import path needs 'module:Class', not {path!r}")
    factory: BotFactory = getattr(importlib.import_module(module_name), attribute)
    return factory


def parse_lineup(spec: str, scenario: Scenario) -> dict[str, str]:
    """Which bot plays each seat, from a spec such as "auto" or "norway=entrepreneur,*=random"."""
    default = "auto"
    chosen: dict[str, str] = {}
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        if "=" in part:
            seat, _, name = part.partition("=")
            seat, name = seat.strip(), name.strip()
            if seat == "*":
                default = name
            elif not scenario.has_seat(seat):
                known = ", ".join(scenario.seat_ids)
                raise ValueError(f"no seat {seat!r} in {scenario.id}; seats are {known}")
            else:
                chosen[seat] = name
        else:
            default = part
    lineup = {}
    for seat in scenario.seat_ids:
        name = chosen.get(seat, default)
        lineup[seat] = character_for(scenario, seat) if name == "auto" else name
    for name in set(lineup.values()):
        if name not in REFERENCE_BOTS and ":" not in name:
            raise ValueError(f"unknown bot {name!r}; choose from auto, {', '.join(REFERENCE_BOTS)} or module:Class")
    return lineup


def make_bot(name: str, seed: int, seat: str) -> Bot:
    """A bot by reference name or import path, seeded for one seat in one game."""
    factory = REFERENCE_BOTS.get(name) or _import(name)
    return factory(seed, seat)


__all__ = ["CHARACTERS", "REFERENCE_BOTS", "Bot", "character_for", "make_bot", "parse_lineup"]
