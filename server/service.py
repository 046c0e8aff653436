"""The game service: creating and joining games, applying actions, the facilitator's controls,
and deadlines. Every change goes through the engine's `apply` and the store's atomic commit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from game_rules import FACILITATOR, Action, Applied, GameState, Rejected, Scenario, apply, new_game
from game_rules.actions import ClosePhase, EndGame, FacilitatorAction, InjectEvent, StartGame
from scenarios import ScenarioError, list_scenarios, load_scenario
from server import keys
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
from server.store import GameStore, Snapshot

COMMIT_RETRIES = 20
CLOCKS: dict[str, dict[str, float]] = {
    "classroom": {"negotiate": 240.0, "act": 120.0, "vote": 60.0},
    "distance": {"negotiate": 86_400.0, "act": 43_200.0, "vote": 21_600.0},
    "bots": {},
}


class ServiceError(Exception):
    """A refusal with a stable code and a sentence a person understands."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CreatedGame:
    game_id: str
    facilitator_token: str
    spectator_token: str
    join_codes: dict[str, str]


@dataclass(frozen=True)
class Ack:
    """An action applied (or applied before, for a retried id): the newest event number."""

    seq: int
    version: int
    repeated: bool = False


@dataclass
class GameService:
    store: GameStore
    clock: Any = field(default=time.time)

    # --- creating and joining -----------------------------------------------------------

    async def create_game(
        self, scenario_name: str, seed: int, clock: str = "classroom", durations: dict[str, float] | None = None
    ) -> CreatedGame:
        """A new game in its lobby, with a token for the facilitator and a join code per seat."""
        if scenario_name not in list_scenarios():
            raise ServiceError("unknown_scenario", f"There is no scenario {scenario_name!r}.")
        if clock not in CLOCKS:
            raise ServiceError("invalid_clock", f"The clock is one of {', '.join(CLOCKS)}, not {clock!r}.")
        try:
            scenario = load_scenario(scenario_name)
        except ScenarioError as error:
            raise ServiceError("invalid_scenario", str(error)) from error
        phases = {**CLOCKS[clock], **(durations or {})}
        game_id = new_game_id()
        facilitator, spectator = new_token(), new_token()
        codes = {seat: new_code() for seat in scenario.seat_ids}
        meta = {
            "scenario": scenario_name,
            "seed": str(seed),
            "clock": clock,
            "durations": ",".join(f"{k}={v}" for k, v in phases.items()),
            "created": f"{self.clock():.3f}",
            **{f"code:{seat}": code for seat, code in codes.items()},
        }
        tokens = {token_hash(facilitator): FACILITATOR_ROLE, token_hash(spectator): SPECTATOR_ROLE}
        await self.store.create(
            game_id,
            new_game(scenario, seed),
            meta,
            tokens,
            {code: f"{game_id} {seat}" for seat, code in codes.items()},
        )
        return CreatedGame(game_id, facilitator, spectator, codes)

    async def join(self, code: str, name: str = "") -> tuple[str, str, str]:
        """Exchange a join code (and a display name) for (game id, seat, seat token). A seat's
        code can be used again: by a latecomer, or by a team-mate sharing the seat."""
        target = await self.store.code_target(normalise_code(code))
        if target is None:
            raise ServiceError("unknown_code", "That join code does not open any seat.")
        game_id, seat = target.split(" ", 1)
        token = new_token()
        await self.store.set_token(game_id, token_hash(token), seat_role(seat), display_name(name) or seat)
        return game_id, seat, token

    async def authenticate(self, game_id: str, token: str) -> Role:
        hashed = token_hash(token)
        role = await self.store.role_of(game_id, hashed)
        if role is None:
            raise ServiceError("unauthorised", "That token does not open this game.")
        return Role(role, await self.store.player_of(game_id, hashed), hashed)

    # --- acting -------------------------------------------------------------------------

    async def snapshot(self, game_id: str) -> Snapshot:
        found = await self.store.load(game_id)
        if found is None:
            raise ServiceError("unknown_game", f"There is no game {game_id!r}.")
        return found

    async def act(self, game_id: str, role: Role, action: Action, client_action: str = "") -> Ack:
        """Apply an action for the role's seat (or the facilitator) and commit it."""
        if role.seat is None and not role.is_facilitator:
            raise ServiceError("not_a_player", "A spectator cannot act.")
        if role.seat is None and not isinstance(action, StartGame | ClosePhase | InjectEvent | EndGame):
            raise ServiceError("not_a_seat", "The facilitator's token controls the game; seats act with theirs.")
        if role.seat is not None and isinstance(action, StartGame | ClosePhase | InjectEvent | EndGame):
            raise ServiceError("not_facilitator", "Only the facilitator controls the game.")
        actor = role.seat or FACILITATOR
        # Action ids are the client's: two players sharing a seat may both send "a1".
        client_action = (
            f"{role.token_hash[:16]}:{client_action}" if client_action and role.token_hash else client_action
        )
        if role.seat is not None and (await self.store.meta(game_id)).get("paused") == "1":
            raise ServiceError("paused", "The facilitator has paused the game; wait for it to resume.")
        if client_action:
            done = await self.store.acked(game_id, actor, client_action)
            if done is not None:
                return Ack(seq=done["seq"], version=done["version"], repeated=True)
        scenario = await self.scenario_of(game_id)
        for _ in range(COMMIT_RETRIES):
            snapshot = await self.snapshot(game_id)
            result = apply(scenario, snapshot.state, actor, action)
            if isinstance(result, Rejected):
                raise ServiceError(result.code, result.message)
            assert isinstance(result, Applied)
            seq = await self.store.commit(
                game_id, snapshot, result.state, actor, action, result.events, client_action, role.player
            )
            if seq is not None:
                await self.after_change(game_id, snapshot.state, result.state)
                return Ack(seq=seq, version=result.state.version)
        raise ServiceError("busy", "The game is very busy; try again.")

    async def control(self, game_id: str, command: FacilitatorAction, client_action: str = "") -> Ack:
        return await self.act(game_id, Role(FACILITATOR_ROLE), command, client_action)

    async def scenario_of(self, game_id: str) -> Scenario:
        """The scenario a game was made from."""
        meta = await self.store.meta(game_id)
        if not meta:
            raise ServiceError("unknown_game", f"There is no game {game_id!r}.")
        return load_scenario(meta["scenario"])

    # --- deadlines ----------------------------------------------------------------------

    async def after_change(self, game_id: str, before: GameState, after: GameState) -> None:
        """A new phase gets its deadline; an ended game loses it."""
        if (before.round, before.phase) == (after.round, after.phase):
            return
        redis = self.store.redis
        meta = await self.store.meta(game_id)
        if meta.get("deadline"):
            await redis.zrem(keys.deadlines(), meta["deadline"])
            await redis.hdel(keys.meta(game_id), "deadline")
        durations = durations_of(meta)
        if after.phase in durations:
            member = f"{game_id}|{after.round}|{after.phase}"
            await redis.hset(keys.meta(game_id), "deadline", member)
            await redis.zadd(keys.deadlines(), {member: self.clock() + durations[after.phase]})

    async def close_due_phases(self, lease_ms: int = 5000) -> int:
        """Close every phase whose deadline has passed, each under a short lease so exactly one
        worker does it. Returns how many were closed."""
        redis = self.store.redis
        now = self.clock()
        closed = 0
        for raw in await redis.zrangebyscore(keys.deadlines(), "-inf", now):
            member = raw.decode()
            game_id, round_text, phase = member.split("|")
            if not await redis.set(keys.lease(game_id), "1", nx=True, px=lease_ms):
                continue
            try:
                snapshot = await self.store.load(game_id)
                if snapshot and (snapshot.state.round, snapshot.state.phase) == (int(round_text), phase):
                    await self.control(game_id, ClosePhase(), client_action=f"deadline:{member}")
                    closed += 1
                await redis.zrem(keys.deadlines(), member)
            finally:
                await redis.delete(keys.lease(game_id))
        return closed


def durations_of(meta: dict[str, str]) -> dict[str, float]:
    """The clock's phase lengths in seconds, as stored in a game's meta."""
    out: dict[str, float] = {}
    for part in filter(None, meta.get("durations", "").split(",")):
        name, _, value = part.partition("=")
        out[name] = float(value)
    return out
