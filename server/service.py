"""The game service: creating and joining games, authenticating tokens, acting, and closing
phases whose deadline passed. Every change goes through the engine's `apply`, in the game's
room (one writer per game in a worker) and the store's atomic commit.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from game_rules import FACILITATOR, Action, Scenario, new_game
from game_rules.actions import ClosePhase, EndGame, InjectEvent, StartGame
from scenarios import ScenarioError, list_scenarios, load_scenario, load_scenario_text
from server import deadlines, keys
from server.auth import (
    FACILITATOR_ROLE,
    SPECTATOR_ROLE,
    Role,
    display_name,
    new_code,
    new_game_id,
    new_token,
    normalise_code,
    seat_role,
    token_hash,
)
from server.errors import ServiceError
from server.hub import Hub
from server.protocol import Ack
from server.room import STORE_ERRORS
from server.store import GameStore

# A game's clock: the phase lengths of "classroom" and "distance" come from its scenario
# (scenarios/defaults.toml, which a scenario file may override); "bots" sets no deadline.
CLOCKS = ("classroom", "distance", "bots")
FACILITATOR_ACTIONS = (StartGame, ClosePhase, InjectEvent, EndGame)
REISSUED = "reissued"


@dataclass(frozen=True)
class CreatedGame:
    game_id: str
    facilitator_token: str
    spectator_token: str
    join_codes: dict[str, str]


@dataclass(frozen=True)
class Joined:
    game_id: str
    seat: str
    token: str
    name: str


@lru_cache(maxsize=64)
def scenario_from_text(text: str) -> Scenario:
    """A scenario uploaded with a game (stored with it, so replays never depend on a file),
    read once per text."""
    return load_scenario_text(text, "upload")


def scenario_of_meta(meta: dict[str, str]) -> Scenario:
    """The scenario a game was made from: shipped by name, or the text stored with it."""
    if meta.get("scenario_text"):
        return scenario_from_text(meta["scenario_text"])
    return load_scenario(meta["scenario"])


@dataclass
class GameService:
    store: GameStore
    hub: Hub
    clock: Callable[[], float] = field(default=time.time)
    players_per_seat: int = 12

    # --- creating and joining -----------------------------------------------------------

    async def create_game(
        self,
        scenario_name: str,
        seed: int,
        clock: str = "classroom",
        durations: dict[str, float] | None = None,
        scenario_text: str = "",
    ) -> CreatedGame:
        """A new game in its lobby, with a token for the facilitator and a join code per seat."""
        if clock not in CLOCKS:
            raise ServiceError("invalid_clock", f"The clock is one of {', '.join(CLOCKS)}, not {clock!r}.")
        if scenario_text:
            try:
                scenario = scenario_from_text(scenario_text)
            except ScenarioError as error:
                raise ServiceError("invalid_scenario", str(error)) from error
        elif scenario_name in list_scenarios():
            scenario = load_scenario(scenario_name)
        else:
            raise ServiceError("unknown_scenario", f"There is no scenario {scenario_name!r}.")
        phases = {**scenario.clocks.get(clock, {}), **(durations or {})}
        game_id = new_game_id()
        facilitator, spectator = new_token(), new_token()
        codes = {seat: new_code() for seat in scenario.seat_ids}
        meta = {
            "scenario": scenario.id,
            "seed": str(seed),
            "clock": clock,
            "durations": json.dumps(phases, sort_keys=True),
            "created": f"{self.clock():.3f}",
            "salt": new_token(),
            **({"scenario_text": scenario_text} if scenario_text else {}),
            **{f"code:{seat}": code for seat, code in codes.items()},
        }
        tokens = {token_hash(facilitator): FACILITATOR_ROLE, token_hash(spectator): SPECTATOR_ROLE}
        state = new_game(scenario, seed, id_salt=meta["salt"])
        await self.store.create(
            game_id, state, meta, tokens, {code: f"{game_id} {seat}" for seat, code in codes.items()}
        )
        return CreatedGame(game_id, facilitator, spectator, codes)

    async def join(self, code: str, name: str = "") -> Joined:
        """Exchange a join code (and a display name) for a seat token. A seat's code can be used
        again: by a latecomer, or by a team-mate sharing the seat."""
        target = await self.store.code_target(normalise_code(code))
        if target is None:
            raise ServiceError("unknown_code", "That join code does not open any seat. Check it with your facilitator.")
        game_id, seat, *rest = target.split(" ")
        if rest == [REISSUED]:
            raise ServiceError("code_reissued", "This seat's code was re-issued: ask your facilitator for the new one.")
        meta = await self.store.meta(game_id)
        if not meta:
            raise ServiceError("unknown_code", "That join code does not open any seat. Check it with your facilitator.")
        if meta.get("codes_locked") == "1":
            raise ServiceError("joining_locked", "The facilitator has locked joining for this game.")
        held = sum(1 for role in (await self.store.roles(game_id)).values() if role == seat_role(seat))
        if held >= self.players_per_seat:
            raise ServiceError("seat_full", f"This seat already has {held} players, the most it can take.")
        token = new_token()
        shown = display_name(name) or scenario_of_meta(meta).seat(seat).name
        await self.store.set_token(game_id, token_hash(token), seat_role(seat), shown)
        with contextlib.suppress(*STORE_ERRORS):
            await self.store.redis.publish(keys.channel(game_id), "presence")
        return Joined(game_id, seat, token, shown)

    async def authenticate(self, game_id: str, token: str) -> Role:
        hashed = token_hash(token)
        role = await self.store.role_of(game_id, hashed)
        if role is None:
            raise ServiceError("unauthorised", "That token does not open this game.")
        return Role(role, await self.store.player_of(game_id, hashed), hashed)

    # --- acting -------------------------------------------------------------------------

    async def act(self, game_id: str, role: Role, action: Action, client_action: str = "") -> Ack:
        """Apply an action for the role's seat (or the facilitator) and commit it."""
        if role.seat is None and not role.is_facilitator:
            raise ServiceError("not_a_player", "A spectator cannot act.")
        if role.seat is None and not isinstance(action, FACILITATOR_ACTIONS):
            raise ServiceError("not_a_seat", "The facilitator's token controls the game; seats act with theirs.")
        if role.seat is not None and isinstance(action, FACILITATOR_ACTIONS):
            raise ServiceError("not_facilitator", "Only the facilitator controls the game.")
        actor = role.seat or FACILITATOR
        # Action ids are the client's: two players sharing a seat may both send "a1".
        key = f"{actor}|{role.token_hash[:16]}:{client_action}" if client_action else ""
        room = await self.hub.room(game_id)
        room.users += 1
        try:
            return await room.submit(actor, action, role, key)
        finally:
            room.users -= 1

    # --- deadlines ----------------------------------------------------------------------

    async def close_due_phases(self, lease_ms: int = 5000) -> int:
        """Close every phase whose deadline has passed, each under a short lease so exactly one
        worker does it. Returns how many were closed."""
        redis = self.store.redis
        closed = 0
        for raw in await redis.zrangebyscore(keys.deadlines(), "-inf", self.clock()):
            member = raw.decode()
            game_id, round_text, phase = member.split("|")
            if not await redis.set(keys.lease(game_id), "1", nx=True, px=lease_ms):
                continue
            try:
                meta = await self.store.meta(game_id)
                if meta.get("deadline") == member and meta.get("paused") != "1":
                    room = await self.hub.room(game_id)
                    room.users += 1
                    try:
                        ack = await room.submit(
                            FACILITATOR,
                            ClosePhase(),
                            Role(FACILITATOR_ROLE),
                            f"{FACILITATOR}|deadline:{member}",
                            expect=(int(round_text), phase),
                        )
                        closed += not ack.repeated
                    except ServiceError:
                        pass  # the phase moved on meanwhile
                    finally:
                        room.users -= 1
                await redis.zrem(keys.deadlines(), member)
            finally:
                await redis.delete(keys.lease(game_id))
        return closed


def parse_durations(raw: object) -> dict[str, float]:
    """Phase lengths from a request: {"negotiate": 180, ...}, seconds, a week at most."""
    if raw in (None, {}):
        return {}
    if not isinstance(raw, dict):
        raise ServiceError("malformed_request", "'deadlines' maps phases to seconds, e.g. {\"negotiate\": 180}.")
    out: dict[str, float] = {}
    for name, value in raw.items():
        if name not in deadlines.PHASES:
            raise ServiceError("malformed_request", f"'deadlines' names the phases {', '.join(deadlines.PHASES)}.")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 7 * 86_400:
            raise ServiceError(
                "malformed_request", f"'deadlines.{name}' is a positive number of seconds, a week at most."
            )
        out[name] = float(value)
    return out
