"""Reference bots: a random legal player and three characters from the article.

    random        picks any legal action
    entrepreneur  cross-kind alliances, consults before tabling, pays for restraint (Norway)
    spoiler       defends turf (or failure) in the HQ loop, sells and sometimes breaks restraint
    broker        horse-trades votes, side issues and backing
    hasty         a sponsor that tables at once and calls the vote every round (a baseline)
    auto          the character that fits the seat's own objectives

A lineup spec names a bot per seat: "auto", "random", "norway=entrepreneur,*=random", or your
own bot as "module:Class" (a module in the current folder or on the path) or
"path/to/mybot.py:Class".
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

from bots.base import Bot
from bots.broker import Broker
from bots.entrepreneur import Entrepreneur
from bots.hasty import Hasty
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
    "hasty": Hasty,
}
CHARACTERS = ("entrepreneur", "spoiler", "broker")
# What a seat's objectives must show for each character (bot judgement, not game constants).
ADVOCATE_GAIN = 0.3  # how far beyond the starting text (see `advocacy`) a seat must want to go to lead


def _likely_text(scenario: Scenario) -> dict[str, int]:
    """The text a majority would write: each provision at the blocs' vote-weighted ideal."""
    levels = {}
    for p in scenario.provisions:
        weighted = [(b.preferences.ideal[p.id], b.votes) for b in scenario.blocs if p.id in b.preferences.ideal]
        total = sum(v for _, v in weighted)
        levels[p.id] = round(sum(level * v for level, v in weighted) / total) if total else p.start
    return levels


def advocacy(scenario: Scenario, seat: str) -> float:
    """How much further than the starting text a seat wants the norm to go, -1 to 1: the
    weighted mean, over the provisions it cares about, of (ideal - start) / top."""
    prefs = scenario.seat(seat).preferences
    total = sum(prefs.weights.get(p, 1.0) for p in prefs.ideal) or 1.0
    return (
        sum(
            prefs.weights.get(p, 1.0) * (level - scenario.provision(p).start) / scenario.tops[p]
            for p, level in prefs.ideal.items()
        )
        / total
    )


def character_for(scenario: Scenario, seat: str) -> str:
    """The character that fits a seat's objectives, whatever its kind. A seat that can spoil
    and would rather the norm failed than see the likely text, whose turf the likely text
    crosses, or who wants less than the starting text, spoils; one who wants the norm to go
    well beyond the start, and more than it wants its side issues, leads; the rest trade."""
    spec = scenario.seat(seat)
    likely = _likely_text(scenario)
    share = scenario.rules.agency_turf_share
    utility = text_utility(spec.preferences, likely, scenario)
    if spec.turf:
        excess = sum(max(0, likely[p] - t) / scenario.tops[p] for p, t in spec.turf.items()) / len(spec.turf)
        utility = (1 - share) * utility + share * (1 - excess)
    wants = advocacy(scenario, seat)
    can_spoil = spec.kind in ("state", "agency")
    crossed = any(likely[p] > t for p, t in spec.turf.items())
    if can_spoil and (spec.failure_value > utility or crossed or wants < 0):
        return "spoiler"
    trades = max((abs(v) for v in spec.side_stakes.values()), default=0.0)
    if wants >= ADVOCATE_GAIN and wants >= trades and utility > spec.failure_value:
        return "entrepreneur"
    return "broker"


def auto_lineup(scenario: Scenario) -> dict[str, str]:
    """The character that fits each seat (`character_for`), with a sponsor: only a member state
    tables the draft, and only the entrepreneur does, so when no state would lead, the state that
    wants the norm to go furthest beyond the starting text (a broker, so adoption is worth more
    to it than failure) leads. Without one, a scenario's bot games could never reach a vote."""
    lineup = {seat: character_for(scenario, seat) for seat in scenario.seat_ids}
    states = [s.id for s in scenario.seats if s.kind == "state"]
    if any(lineup[s] == "entrepreneur" for s in states):
        return lineup
    willing = [s for s in states if lineup[s] == "broker" and advocacy(scenario, s) > 0]
    if willing:
        lineup[max(willing, key=lambda s: advocacy(scenario, s))] = "entrepreneur"
    return lineup


def _import(path: str) -> BotFactory:
    """A bot class from "module:Class" (the current folder is searched too) or "file.py:Class"."""
    module_name, _, attribute = path.rpartition(":")
    if not module_name or not attribute:
        raise ValueError(f"a bot of your own is given as 'module:Class' or 'path/to/file.py:Class', not {path!r}")
    if module_name.endswith(".py") or "/" in module_name or "\\" in module_name:
        module = _load_file(Path(module_name))
    else:
        if "" not in sys.path and str(Path.cwd()) not in sys.path:
            # The console script does not put the current folder on the path; a bot author's
            # module sits there.
            sys.path.append(str(Path.cwd()))
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as missing:
            raise ValueError(f"no bot module {module_name!r} in {Path.cwd()} or on the path ({missing})") from None
    factory = getattr(module, attribute, None)
    if factory is None:
        raise ValueError(f"{module_name} has no {attribute!r}")
    return factory  # type: ignore[no-any-return]


def _load_file(path: Path) -> object:
    resolved = path.expanduser().resolve()
    if not resolved.is_file():
        raise ValueError(f"no bot file {str(path)!r}")
    name = f"normarena_bot_{resolved.stem}_{abs(hash(str(resolved)))}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, resolved)
    if spec is None or spec.loader is None:
        raise ValueError(f"cannot load a bot from {str(path)!r}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def parse_lineup(spec: str, scenario: Scenario) -> dict[str, str]:
    """Which bot plays each seat, from a spec such as "auto" or "norway=entrepreneur,*=random"."""
    default = "auto"
    chosen: dict[str, str] = {}
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        seat, sep, name = part.partition("=")
        if sep and ":" not in seat:
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
    fitting = auto_lineup(scenario)
    lineup = {}
    for seat in scenario.seat_ids:
        name = chosen.get(seat, default)
        lineup[seat] = fitting[seat] if name == "auto" else name
    for name in set(lineup.values()):
        if name not in REFERENCE_BOTS and ":" not in name:
            raise ValueError(f"unknown bot {name!r}; choose from auto, {', '.join(REFERENCE_BOTS)} or module:Class")
        if name not in REFERENCE_BOTS:
            _import(name)  # fail now, with a clear message, rather than inside a worker
    return lineup


def make_bot(name: str, seed: int, seat: str) -> Bot:
    """A bot by reference name or import path, seeded for one seat in one game."""
    factory = REFERENCE_BOTS.get(name) or _import(name)
    return factory(seed, seat)


__all__ = ["CHARACTERS", "REFERENCE_BOTS", "Bot", "auto_lineup", "character_for", "make_bot", "parse_lineup"]
