"""The facilitator's controls that live outside the rules: the clock (pause, resume, extend),
seats (re-issue a seat's join code and drop its old tokens; lock the join codes), and time
travel (roll back to the start of an earlier round; fork a new game from one).

A game is its scenario, seed and action log, so rolling back or forking replays the log up to
the moment the chosen round began.
"""

from __future__ import annotations

from typing import Any

from game_rules import Action, Applied, Event, GameState, apply, decode_action, new_game
from scenarios import load_scenario
from server import keys
from server.auth import FACILITATOR_ROLE, SPECTATOR_ROLE, new_code, new_game_id, new_token, seat_role, token_hash
from server.service import CreatedGame, GameService, ServiceError
from server.store import replace_version


def _event(kind: str, state: GameState, text: str, **detail: Any) -> Event:
    return Event(kind=kind, round=state.round, text=text, detail=detail)  # type: ignore[arg-type]


class Controls:
    """The facilitator's controls for one service."""

    def __init__(self, service: GameService) -> None:
        self.service = service
        self.store = service.store

    # --- the clock --------------------------------------------------------------------------

    async def pause(self, game_id: str) -> int:
        """Stop the clock and refuse seats' actions until resumed."""
        meta = await self.store.meta(game_id)
        if meta.get("paused") == "1":
            raise ServiceError("already_paused", "The game is already paused.")
        remaining = ""
        if meta.get("deadline"):
            due = await self.store.redis.zscore(keys.deadlines(), meta["deadline"])
            await self.store.redis.zrem(keys.deadlines(), meta["deadline"])
            if due is not None:
                remaining = f"{max(0.0, due - self.service.clock()):.3f}"
        await self.store.set_meta(game_id, paused="1", remaining=remaining)
        return await self._announce(game_id, "game_paused", "The facilitator paused the game.")

    async def resume(self, game_id: str) -> int:
        meta = await self.store.meta(game_id)
        if meta.get("paused") != "1":
            raise ServiceError("not_paused", "The game is not paused.")
        await self.store.set_meta(game_id, paused="0")
        if meta.get("deadline") and meta.get("remaining"):
            due = self.service.clock() + float(meta["remaining"])
            await self.store.redis.zadd(keys.deadlines(), {meta["deadline"]: due})
        return await self._announce(game_id, "game_resumed", "The facilitator resumed the game.")

    async def extend(self, game_id: str, seconds: float) -> int:
        """Give the current phase more time."""
        if not 0 < seconds <= 7 * 86_400:
            raise ServiceError("invalid_amount", "Extend by a positive number of seconds, a week at most.")
        meta = await self.store.meta(game_id)
        if not meta.get("deadline"):
            raise ServiceError("no_deadline", "This phase has no deadline to extend.")
        if meta.get("paused") == "1":
            await self.store.set_meta(game_id, remaining=f"{float(meta.get('remaining') or 0) + seconds:.3f}")
        else:
            await self.store.redis.zincrby(keys.deadlines(), seconds, meta["deadline"])
        text = f"The facilitator gave this phase {seconds:.0f} more seconds."
        return await self._announce(game_id, "deadline_extended", text, seconds=seconds)

    # --- seats ------------------------------------------------------------------------------

    async def reissue(self, game_id: str, seat: str) -> str:
        """Drop every token of a seat (its players are disconnected) and give it a new join code."""
        scenario = await self.service.scenario_of(game_id)
        if not scenario.has_seat(seat):
            raise ServiceError("unknown_seat", f"There is no seat {seat!r} in this game.")
        await self.store.revoke_role(game_id, seat_role(seat))
        meta = await self.store.meta(game_id)
        old = meta.get(f"code:{seat}")
        if old:
            await self.store.redis.delete(keys.join_code(old))
        code = new_code()
        if meta.get("codes_locked") != "1":
            await self.store.redis.set(keys.join_code(code), f"{game_id} {seat}")
        await self.store.set_meta(game_id, **{f"code:{seat}": code})
        await self.store.redis.publish(keys.channel(game_id), f"revoke:{seat_role(seat)}")
        await self._announce(game_id, "seat_reissued", f"The facilitator re-issued the seat {seat}.", seat=seat)
        return code

    async def lock_codes(self, game_id: str, locked: bool) -> None:
        """Lock (or unlock) every seat's join code: nobody new can join while locked."""
        meta = await self.store.meta(game_id)
        scenario = await self.service.scenario_of(game_id)
        for seat in scenario.seat_ids:
            code = meta.get(f"code:{seat}")
            if not code:
                continue
            if locked:
                await self.store.redis.delete(keys.join_code(code))
            else:
                await self.store.redis.set(keys.join_code(code), f"{game_id} {seat}")
        await self.store.set_meta(game_id, codes_locked="1" if locked else "0")

    # --- time travel ------------------------------------------------------------------------

    async def _rebuild(self, game_id: str, round_number: int) -> tuple[GameState, list[tuple[str, Action]]]:
        """The state at the start of a round, and the action log that leads there."""
        meta = await self.store.meta(game_id)
        scenario = load_scenario(meta["scenario"])
        state = new_game(scenario, int(meta["seed"]))
        kept: list[tuple[str, Action]] = []
        for actor, plain in await self.store.action_log(game_id):
            if state.round == round_number and state.phase == "negotiate":
                return state, kept
            action = decode_action(plain)
            result = apply(scenario, state, actor, action)
            if isinstance(result, Applied):
                state = result.state
                kept.append((actor, action))
        if state.round == round_number and state.phase == "negotiate":
            return state, kept
        raise ServiceError("unknown_round", f"The game has not reached the start of round {round_number}.")

    async def rollback(self, game_id: str, round_number: int) -> int:
        """Return the game to the start of an earlier round, for everyone."""
        current = await self.service.snapshot(game_id)
        if round_number < 1 or round_number > current.state.round:
            raise ServiceError("unknown_round", f"Roll back to a round from 1 to {current.state.round}.")
        state, log = await self._rebuild(game_id, round_number)
        state = replace_version(state, current.version + 1)
        note = _event("game_rolled_back", state, f"The facilitator rolled the game back to round {round_number}.")
        seq = await self.store.rewrite(game_id, current, state, log, (note,))
        if seq is None:
            raise ServiceError("busy", "The game moved while rolling back; try again.")
        await self.service.after_change(game_id, current.state, state)
        return seq

    async def fork(self, game_id: str, round_number: int) -> CreatedGame:
        """A new game starting where this one stood at the start of a round, with its own tokens."""
        meta = await self.store.meta(game_id)
        state, log = await self._rebuild(game_id, round_number)
        fork_id = new_game_id()
        facilitator, spectator = new_token(), new_token()
        scenario = load_scenario(meta["scenario"])
        codes = {seat: new_code() for seat in scenario.seat_ids}
        fork_meta = {
            **{k: v for k, v in meta.items() if k in ("scenario", "seed", "clock", "durations")},
            "forked_from": f"{game_id}@{round_number}",
            **{f"code:{seat}": code for seat, code in codes.items()},
        }
        tokens = {token_hash(facilitator): FACILITATOR_ROLE, token_hash(spectator): SPECTATOR_ROLE}
        await self.store.create(fork_id, state, fork_meta, tokens, {c: f"{fork_id} {s}" for s, c in codes.items()})
        await self.store.copy_actions(fork_id, log)
        await self.service.after_change(fork_id, new_game(scenario, int(meta["seed"])), state)
        return CreatedGame(fork_id, facilitator, spectator, codes)

    async def _announce(self, game_id: str, kind: str, text: str, **detail: Any) -> int:
        """Tell everyone in the game's event stream; the state and the action log stay as they are."""
        current = await self.service.snapshot(game_id)
        return await self.store.announce(game_id, _event(kind, current.state, text, **detail))
