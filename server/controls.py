"""The facilitator's controls that live outside the rules: the clock (pause, resume, extend),
seats (re-issue a seat's code, lock joining, seat and unseat bots), and time travel (roll back
to the start of an earlier round; fork a new game from one).

Each control commits through the game's room like an action: what it changes in the game's
meta and the event that tells everyone go in one atomic write. A game is its scenario, seed
and action log, so rolling back or forking replays the log up to where the round began.
"""

from __future__ import annotations

import contextlib
from typing import Any

from bots import REFERENCE_BOTS
from game_rules import Action, Applied, Event, GameState, apply, decode_action, new_game
from server import deadlines, keys
from server.auth import FACILITATOR_ROLE, SPECTATOR_ROLE, new_code, new_game_id, new_token, seat_role, token_hash
from server.errors import ServiceError
from server.room import STORE_ERRORS, Room
from server.service import REISSUED, CreatedGame, GameService, scenario_of_meta
from server.store import Change, Snapshot, replace_version
from server.submission import Plan

AUTOPILOTS = f"{keys.PREFIX}:autopilots"  # set of `<game>|<seat>` that some worker must run


def _event(kind: str, state: GameState, text: str, **detail: Any) -> Event:
    return Event(kind=kind, round=state.round, text=text, detail=detail)  # type: ignore[arg-type]


def _announce(
    kind: str, text: str, meta: dict[str, str] | None = None, unmeta: tuple[str, ...] = (), **detail: Any
) -> Any:
    """A plan that changes no state: the game's meta, and an event that says what happened."""

    def plan(snapshot: Snapshot, current: dict[str, str]) -> Plan:
        event = _event(kind, snapshot.state, text, **detail)
        change = Change(actor="facilitator", events=(event,), version=snapshot.version, meta=meta or {}, unmeta=unmeta)
        return None, [change], None

    return plan


class Controls:
    """The facilitator's controls for one service."""

    def __init__(self, service: GameService) -> None:
        self.service = service
        self.store = service.store

    async def _room(self, game_id: str) -> Room:
        return await self.service.hub.room(game_id)

    # --- the clock --------------------------------------------------------------------------

    async def pause(self, game_id: str) -> int:
        """Stop the clock and refuse seats' actions until resumed."""
        room = await self._room(game_id)
        meta = room.meta
        if meta.get("paused") == "1":
            raise ServiceError("already_paused", "The game is already paused.")
        due = meta.get("deadline_at")
        remaining = f"{max(0.0, float(due) - self.service.clock()):.3f}" if due else ""
        done = await room.run_control(
            _announce(
                "game_paused",
                "The facilitator paused the game.",
                {"paused": "1", **({"remaining": remaining} if remaining else {})},
                ("deadline_at",),
            )
        )
        if meta.get("deadline"):
            with contextlib.suppress(*STORE_ERRORS):
                await self.store.redis.zrem(keys.deadlines(), meta["deadline"])
        return done.last

    async def resume(self, game_id: str) -> int:
        room = await self._room(game_id)
        meta = room.meta
        if meta.get("paused") != "1":
            raise ServiceError("not_paused", "The game is not paused.")
        restart: dict[str, str] = {"paused": "0"}
        if meta.get("deadline") and meta.get("remaining"):
            due = self.service.clock() + float(meta["remaining"])
            restart["deadline_at"] = f"{due:.3f}"
            await self.store.redis.zadd(keys.deadlines(), {meta["deadline"]: due})
        plan = _announce("game_resumed", "The facilitator resumed the game.", restart, ("remaining",))
        return (await room.run_control(plan)).last

    async def extend(self, game_id: str, seconds: float) -> int:
        """Give the current phase more time."""
        if not 0 < seconds <= 7 * 86_400:
            raise ServiceError("invalid_amount", "Extend by a positive number of seconds, a week at most.")
        room = await self._room(game_id)
        meta = room.meta
        if not meta.get("deadline"):
            raise ServiceError("no_deadline", "This phase has no deadline to extend.")
        if meta.get("paused") == "1":
            later = {"remaining": f"{float(meta.get('remaining') or 0) + seconds:.3f}"}
        else:
            due = float(meta.get("deadline_at") or self.service.clock()) + seconds
            later = {"deadline_at": f"{due:.3f}"}
            await self.store.redis.zadd(keys.deadlines(), {meta["deadline"]: due})
        text = f"The facilitator gave this phase {seconds:.0f} more seconds."
        return (await room.run_control(_announce("deadline_extended", text, later, seconds=seconds))).last

    # --- seats ------------------------------------------------------------------------------

    async def reissue(self, game_id: str, seat: str) -> str:
        """Drop every token of a seat (its players are disconnected) and give it a new join code."""
        room = await self._room(game_id)
        if not room.scenario.has_seat(seat):
            raise ServiceError("unknown_seat", f"There is no seat {seat!r} in this game.")
        await self._revoke(game_id, seat)
        old = room.meta.get(f"code:{seat}")
        if old:
            await self.store.set_code(old, f"{game_id} {seat} {REISSUED}")
        code = new_code()
        await self.store.set_code(code, f"{game_id} {seat}")
        name = room.scenario.seat(seat).name
        await room.run_control(
            _announce("seat_reissued", f"The facilitator re-issued the seat {name}.", {f"code:{seat}": code}, seat=seat)
        )
        return code

    async def _revoke(self, game_id: str, seat: str) -> int:
        dropped = await self.store.revoke_role(game_id, seat_role(seat))
        await self.store.redis.publish(keys.channel(game_id), f"revoke:{seat_role(seat)}")
        await self.store.redis.publish(keys.channel(game_id), "presence")
        return dropped

    async def lock_codes(self, game_id: str, locked: bool) -> None:
        """Lock (or unlock) joining: codes stay valid for nobody new while locked."""
        room = await self._room(game_id)
        kind, text = ("joining_locked", "The facilitator locked joining.")
        if not locked:
            kind, text = ("joining_unlocked", "The facilitator opened joining again.")
        await room.run_control(_announce(kind, text, {"codes_locked": "1" if locked else "0"}))

    async def seat_bot(self, game_id: str, seat: str, strategy: str, replace: bool = False) -> None:
        """Put a reference bot in a seat; any worker may run it. A seat people hold is refused
        unless the bot replaces them (their tokens are revoked)."""
        room = await self._room(game_id)
        if not room.scenario.has_seat(seat):
            raise ServiceError("unknown_seat", f"There is no seat {seat!r} in this game.")
        if strategy not in REFERENCE_BOTS:
            raise ServiceError("unknown_bot", f"Choose a bot from {', '.join(REFERENCE_BOTS)}.")
        held = [r for r in (await self.store.roles(game_id)).values() if r == seat_role(seat)]
        if held and not replace:
            raise ServiceError("seat_held", "People hold this seat: seat the bot with `replace` to take it from them.")
        if held:
            await self._revoke(game_id, seat)
        name = room.scenario.seat(seat).name
        text = f"A {strategy} bot now plays {name}."
        await room.run_control(_announce("bot_seated", text, {f"bot:{seat}": strategy}, seat=seat, strategy=strategy))
        await self.store.redis.sadd(AUTOPILOTS, f"{game_id}|{seat}")
        await self.store.redis.publish(keys.channel(game_id), "presence")

    async def unseat_bot(self, game_id: str, seat: str) -> None:
        room = await self._room(game_id)
        await self.store.redis.srem(AUTOPILOTS, f"{game_id}|{seat}")
        if room.meta.get(f"bot:{seat}"):
            name = room.scenario.seat(seat).name if room.scenario.has_seat(seat) else seat
            plan = _announce("bot_unseated", f"The bot left {name}.", unmeta=(f"bot:{seat}",), seat=seat)
            await room.run_control(plan)
            await self.store.redis.publish(keys.channel(game_id), "presence")

    # --- time travel ------------------------------------------------------------------------

    async def _rebuild(
        self, game_id: str, meta: dict[str, str], round_number: int
    ) -> tuple[GameState, list[tuple[str, Action, str]], list[Event]]:
        """The state at the start of a round, the action log (with who acted) that leads there,
        and the events that log makes."""
        scenario = scenario_of_meta(meta)
        state = new_game(scenario, int(meta["seed"]), id_salt=meta.get("salt", ""))
        kept: list[tuple[str, Action, str]] = []
        events: list[Event] = []
        for actor, player, plain in await self.store.action_entries(game_id):
            if state.round == round_number and state.phase == "negotiate":
                return state, kept, events
            action = decode_action(plain)
            result = apply(scenario, state, actor, action)
            if isinstance(result, Applied):
                state = result.state
                kept.append((actor, action, player))
                events.extend(result.events)
        if state.round == round_number and state.phase == "negotiate":
            return state, kept, events
        raise ServiceError("unknown_round", f"The game has not reached the start of round {round_number}.")

    async def rollback(self, game_id: str, round_number: int) -> int:
        """Return the game to the start of an earlier round, for everyone."""
        room = await self._room(game_id)
        async with room.lock:
            current = await room.ensure_loaded()
            meta = dict(room.meta)
        if round_number < 1 or round_number > current.state.round:
            raise ServiceError("unknown_round", f"Roll back to a round from 1 to {current.state.round}.")
        state, log, _ = await self._rebuild(game_id, meta, round_number)
        move = deadlines.after_change(game_id, meta, current.state, state, self.service.clock())
        if move is not None and move.add is not None:
            await self.store.redis.zadd(keys.deadlines(), {move.add[0]: move.add[1]})

        def plan(snapshot: Snapshot, now_meta: dict[str, str]) -> Plan:
            rebuilt = replace_version(state, snapshot.version + 1)
            text = f"The facilitator rolled the game back to round {round_number}."
            event = _event("game_rolled_back", rebuilt, text, round=round_number)
            change = Change(
                actor="facilitator",
                events=(event,),
                version=rebuilt.version,
                meta=move.meta if move else {},
                unmeta=move.unmeta if move else (),
            )
            return rebuilt, [change], log

        done = await room.run_control(plan)
        if move is not None and move.remove:
            with contextlib.suppress(*STORE_ERRORS):
                await self.store.redis.zrem(keys.deadlines(), move.remove)
        return done.last

    async def fork(self, game_id: str, round_number: int) -> CreatedGame:
        """A new game starting where this one stood at the start of a round, with its own tokens,
        its history (the action log and its events) and its bots."""
        meta = await self.store.meta(game_id)
        state, log, events = await self._rebuild(game_id, meta, round_number)
        scenario = scenario_of_meta(meta)
        fork_id = new_game_id()
        facilitator, spectator = new_token(), new_token()
        codes = {seat: new_code() for seat in scenario.seat_ids}
        kept = ("scenario", "scenario_text", "seed", "clock", "durations", "salt")
        bots = {k: v for k, v in meta.items() if k.startswith("bot:")}
        fork_meta = {
            **{k: v for k, v in meta.items() if k in kept},
            **bots,
            "forked_from": f"{game_id}@{round_number}",
            "created": f"{self.service.clock():.3f}",
            **{f"code:{seat}": code for seat, code in codes.items()},
        }
        tokens = {token_hash(facilitator): FACILITATOR_ROLE, token_hash(spectator): SPECTATOR_ROLE}
        await self.store.create(
            fork_id, state, fork_meta, tokens, {c: f"{fork_id} {s}" for s, c in codes.items()}, log=log, events=events
        )
        for name in bots:
            await self.store.redis.sadd(AUTOPILOTS, f"{fork_id}|{name.removeprefix('bot:')}")
        move = deadlines.after_change(fork_id, fork_meta, new_game(scenario, 0), state, self.service.clock())
        if move is not None:
            if move.meta:
                await self.store.set_meta(fork_id, **move.meta)
            if move.add is not None:
                await self.store.redis.zadd(keys.deadlines(), {move.add[0]: move.add[1]})
        return CreatedGame(fork_id, facilitator, spectator, codes)
