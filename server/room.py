"""A game as one worker holds it: its latest state, its connections, their views, and the
one writer that applies and commits its actions.

Inside a worker a game's actions queue behind one writer instead of racing each other into
retries: the writer takes every action waiting, applies them one after another to the state
it holds, and commits them together in one atomic write (see `store.commit`). A commit that
finds another worker was first reloads and applies again. While Redis runs the commit the
writer makes each connection's frame (its events and the patch of its view); once the commit is
in it sends them, then the acks, so the order on each connection is the order of the game.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from redis import exceptions as redis_errors

from game_rules import SPECTATOR, Action, Applied, Event, GameState, Rejected, Scenario, apply
from server import deadlines, fanout, keys
from server.auth import Role
from server.connection import Connection, Stage
from server.errors import ServiceError
from server.metrics import Metrics
from server.protocol import Ack, View
from server.store import (
    Change,
    Committed,
    GameStore,
    Refused,
    ReplayError,
    Snapshot,
    Stale,
    StoredEvent,
    commit_result,
    replay,
)
from server.submission import Plan, Submission, fail, meta_after, numbered, settle_refused, with_meta

log = logging.getLogger("normarena.room")
_LIVE = Stage.LIVE  # read for every connection of every change: a module name is cheaper than an enum's
COMMIT_TRIES = 20
SNAPSHOT_EVERY = 32  # actions between snapshots of the state: a reader replays at most these
# What an unreachable, restarting or failing-over Redis raises; any other Redis error is a bug.
STORE_ERRORS = (
    redis_errors.ConnectionError,
    redis_errors.TimeoutError,
    redis_errors.ClusterDownError,
    redis_errors.TryAgainError,
    redis_errors.ReadOnlyError,
    OSError,
    asyncio.TimeoutError,
)


def unavailable() -> ServiceError:
    return ServiceError(
        "unavailable", "The game's store cannot be reached just now. Send the same request again in a moment."
    )


class Room:
    """One game in this worker."""

    def __init__(
        self, game_id: str, store: GameStore, scenario: Scenario, clock: Callable[[], float], metrics: Metrics
    ) -> None:
        self.game_id = game_id
        self.metrics = metrics
        self.store = store
        self.scenario = scenario
        self.clock = clock
        self.snapshot: Snapshot | None = None
        self.meta: dict[str, str] = {}
        self.presence: dict[str, Any] = {"seats": {}, "spectators": 0}
        self.connections: set[Connection] = set()  # changed through `join` and `part` only
        # The live connections by what they are sent (viewer and encoding), made again when one
        # joins or parts: a change sends each group one frame, without sorting its sockets anew.
        self._audience: list[tuple[str, str, list[Connection]]] | None = None
        self._viewers: set[str] = set()  # the audience's viewers
        self.users = 0  # autopilots and requests in flight that keep the room alive
        self.idle_since = time.monotonic()
        self.lock = asyncio.Lock()
        self._changed = asyncio.Condition()
        self._watchers = 0  # tasks in `wait_for_change`
        self._views: fanout.Views | None = None
        self._pending: list[Submission] = []
        self._writer: asyncio.Task[None] | None = None
        self._reading: asyncio.Task[None] | None = None  # a catch-up after a lost answer (`_read_again`)
        self._unsaved = SNAPSHOT_EVERY  # actions committed since the last snapshot of the state

    # --- reading --------------------------------------------------------------------------

    async def ensure_loaded(self) -> Snapshot:
        """The room's snapshot, read from the store if it has none (call with the lock held)."""
        if self.snapshot is None:
            snapshot = await self.store.load(self.game_id, self.scenario)
            if snapshot is None:
                raise ServiceError("unknown_game", f"There is no game {self.game_id!r}.")
            self.meta = await self.store.meta(self.game_id)
            self._unsaved = SNAPSHOT_EVERY  # not known: the next commit writes a snapshot
            live = self.live
            if self._views is not None and live:
                # The snapshot was dropped (a write failed: Redis went away) while connections hold
                # views and event numbers from before: send them the events committed meanwhile
                # (by another worker, or our own write whose reply was lost) and the patch, rather
                # than a whole view that would leave a gap in their events.
                since = min(c.seq for c in live)
                stored = await self.store.events_since(self.game_id, since, snapshot.seq)
                if snapshot.seq < since or (stored and stored[0].seq != since + 1):
                    self._views = None  # the store went back, or lost them: whole views it must be
                self.deliver(snapshot, [(s.seq, s.event, s.by) for s in stored])
                return snapshot
            self._views = None
            self.snapshot = snapshot
        return self.snapshot

    def extras(self, meta: dict[str, str] | None = None) -> dict[str, Any]:
        """What every view carries besides the engine's: the clock (from `meta`, by default the
        room's) and who is in the room."""
        return {"clock": deadlines.clock_view(self.meta if meta is None else meta), "room": self.presence}

    def view_of(self, viewer: str) -> dict[str, Any]:
        """A viewer's whole view now (the room's views must hold it: see `add_viewer`)."""
        assert self._views is not None
        return self._views.of(viewer)

    def add_viewer(self, viewer: str) -> None:
        """Make sure the room's views include this viewer's, built from the current snapshot."""
        assert self.snapshot is not None
        if self._views is None:
            self._views = fanout.build(self.scenario, self.snapshot.state, self.extras(), {viewer})
            return
        if viewer == SPECTATOR or viewer in self._views.seats or viewer in self._views.whole:
            return
        extra = fanout.build(self.scenario, self.snapshot.state, self.extras(), {viewer})
        self._views.seats.update(extra.seats)
        self._views.whole.update(extra.whole)

    @property
    def live(self) -> list[Connection]:
        return [c for c in self.connections if c.stage is _LIVE]

    def join(self, connection: Connection) -> None:
        """A connection gone live joins the room: it is sent every change from now on."""
        self.connections.add(connection)
        self._audience = None

    def part(self, connection: Connection) -> None:
        """A connection leaves the room."""
        self.connections.discard(connection)
        self._audience = None

    def _groups(self) -> list[tuple[str, str, list[Connection]]]:
        """The live connections grouped by viewer and encoding (a connection closed since it
        joined stays until it parts: sending to it does nothing)."""
        if self._audience is None:
            groups: dict[tuple[str, str], list[Connection]] = {}
            for connection in self.live:
                groups.setdefault((connection.role.viewer, connection.protocol), []).append(connection)
            self._audience = [(viewer, protocol, group) for (viewer, protocol), group in groups.items()]
            self._viewers = {viewer for viewer, _ in groups}
        return self._audience

    @property
    def is_idle(self) -> bool:
        return not self.connections and not self.users and not self._pending

    # --- delivering -----------------------------------------------------------------------

    def deliver(self, snapshot: Snapshot, events: list[tuple[int, Event, str]]) -> None:
        """Make `snapshot` the room's, and send every live connection what it brings."""
        self._send(self._prepare(snapshot.state, snapshot.seq, events, self.extras()), snapshot)

    def _prepare(
        self, state: GameState, seq: int, events: list[tuple[int, Event, str]], extras: dict[str, Any]
    ) -> fanout.Delivery:
        """What taking the room to `state` (its events numbered up to `seq`) sends each group of
        its live connections, made without changing the room: a commit's is made while Redis runs it."""
        audience = self._groups()
        return fanout.prepare(
            self.scenario, self.snapshot, self._views, audience, self._viewers, state, seq, events, extras
        )

    def _send(self, delivery: fanout.Delivery, snapshot: Snapshot) -> None:
        """Make `snapshot` the room's and send what `delivery` made for it."""
        self.snapshot = snapshot
        if delivery.views is not None and delivery.frames is None:
            self._resync(self.live, delivery.views, snapshot.seq)
        for made, group in delivery.frames or ():
            for connection in group:
                if made is not None:
                    connection.send_frame(*made)
                connection.seq = snapshot.seq
        self._views = delivery.views
        self._notify()

    def _still_fits(self, delivery: fanout.Delivery) -> bool:
        """Whether a delivery made before its commit returned can be sent as it is: nothing it was
        made from (the snapshot, the views, who is connected, the clock, the presence) has changed."""
        extras = self.extras()
        return (
            delivery.before is self.snapshot
            and delivery.previous is self._views
            and delivery.audience is self._audience
            and all(extras[name] is delivery.extras[name] for name in extras)
        )

    def _resync(self, live: list[Connection], views: fanout.Views, seq: int) -> None:
        """Send whole views: the room lost track of what its connections hold."""
        for connection in live:
            connection.send(View(seq=seq, view=views.of(connection.viewer)))
            connection.seq = seq

    def refresh_views(self) -> None:
        """Send patches for a change outside the game's state (presence, the clock's meta)."""
        if self.snapshot is not None:
            self.deliver(self.snapshot, [])

    async def wait_for_change(self, seen: Snapshot | None, timeout: float) -> None:
        """Wait until the room's snapshot is no longer `seen`, or `timeout` seconds have passed."""
        self._watchers += 1
        try:
            async with self._changed:
                if self.snapshot is seen:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(timeout):  # not wait_for, which can lose a cancellation
                            await self._changed.wait()
        finally:
            self._watchers -= 1

    def _notify(self) -> None:
        if not self._watchers:
            return  # nobody waits (`wait_for_change`): no task to wake them on every change

        async def wake() -> None:
            async with self._changed:
                self._changed.notify_all()

        task = asyncio.get_running_loop().create_task(wake())
        task.add_done_callback(lambda t: t.exception() if not t.cancelled() else None)

    async def catch_up(self, seq: int | None = None) -> None:
        """Bring the room up to what the store holds (another worker committed, or the store
        came back), and send each connection what it missed. With `seq` (a notification's),
        nothing is read if the room has that number already: its own commits, say."""
        async with self.lock:
            if seq is not None and self.snapshot is not None and self.snapshot.seq >= seq:
                return
            await self._catch_up()

    async def _catch_up(self) -> None:
        if self.snapshot is None:
            with contextlib.suppress(ServiceError):  # the game is gone (it expired): nothing to send
                await self.ensure_loaded()  # which sends live connections what they missed
            return
        old = self.snapshot
        head = await self.store.head(self.game_id)
        if head is None:
            return
        self.meta = await self.store.meta(self.game_id)
        if old is None:
            fresh = await self.store.load(self.game_id, self.scenario)
            if fresh is not None:
                self.deliver(fresh, [])
            return
        version, seq = head
        if (version, seq) == (old.version, old.seq):
            self.refresh_views()  # nothing new in the game; the meta may have moved
            return
        if seq < old.seq or version < old.version:
            # The store went back (a Redis that lost its last writes in a crash): follow it, and
            # send whole views with its number, so clients forget what it no longer holds.
            log.warning("game %s: the store went back from event %d to %d", self.game_id, old.seq, seq)
            fresh = await self.store.load(self.game_id, self.scenario)
            if fresh is not None:
                self._views = None
                self._unsaved = SNAPSHOT_EVERY
                self.deliver(fresh, [])
            return
        stored = await self.store.events_since(self.game_id, old.seq, seq)
        if seq > old.seq and (not stored or stored[0].seq != old.seq + 1):
            self._views = None  # events we never sent are gone from the stream: send whole views
        snapshot = await self._follow(old, version, seq, stored)
        self.deliver(snapshot, [(s.seq, s.event, s.by) for s in stored])

    async def _follow(self, old: Snapshot, version: int, seq: int, stored: list[StoredEvent]) -> Snapshot:
        """The state another worker's commits made: their actions applied here again (the engine
        is deterministic), rather than the whole state read and decoded; after a rollback, which
        rewrites the log, the state as stored."""
        if version == old.version:
            return Snapshot(old.state, old.version, seq, old.action_id)  # announcements: the same state
        if not any(s.event.kind == "game_rolled_back" for s in stored):
            later = (await self.store.actions_after(self.game_id, old.action_id))[: version - old.version]
            try:
                followed = replay(self.scenario, Snapshot(old.state, old.version, seq, old.action_id), later, version)
            except ReplayError:
                log.warning("game %s: the log did not replay onto the state held here; reading it whole", self.game_id)
            else:
                self._unsaved += len(later)
                return followed
        fresh = await self.store.load(self.game_id, self.scenario)
        if fresh is None:
            raise ServiceError("unknown_game", f"There is no game {self.game_id!r}.")
        self._unsaved = SNAPSHOT_EVERY
        return Snapshot(fresh.state, fresh.version, seq, fresh.action_id)

    # --- writing --------------------------------------------------------------------------

    async def submit(
        self, actor: str, action: Action, role: Role, ack_key: str, expect: tuple[int, str] | None = None
    ) -> Ack:
        """Queue an action for the writer and wait for its ack (or its refusal). With `expect`,
        the action is refused unless the game is in that round and phase when it is applied."""
        future: asyncio.Future[Ack] = asyncio.get_running_loop().create_future()
        self._pending.append(Submission(actor, action, role, ack_key, future, expect))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write())
        return await future

    async def _write(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                async with self.lock:
                    await self._commit_batch(batch)
            except STORE_ERRORS:
                self.snapshot = None  # whether the last commit went in is unknown: read again
                fail(batch, unavailable())
                self._read_again()
            except ServiceError as error:
                fail(batch, error)
            except Exception:  # the writer must outlive any bug; its callers learn of it, the log keeps it
                log.exception("applying actions to game %s failed", self.game_id)
                self.snapshot = None
                fail(batch, ServiceError("internal_error", "The server failed on this action; it has been logged."))

    def _read_again(self) -> None:
        """Catch up in the background after a write whose answer was lost: it may have gone in, and
        no notification of a worker's own commit comes back to it, so without this its connections
        would wait for the next action to see it. While Redis is away this fails quietly, and the
        hub catches every room up once Redis is back."""

        async def read() -> None:
            with contextlib.suppress(ServiceError, *STORE_ERRORS):
                await self.catch_up()

        if self._reading is None or self._reading.done():  # one running reads whatever went in
            self._reading = asyncio.get_running_loop().create_task(read())

    async def _commit_batch(self, batch: list[Submission]) -> None:
        """Apply and commit a batch; every submission's future is settled when this returns."""
        waiting = list(batch)
        for _ in range(COMMIT_TRIES):
            snapshot = await self.ensure_loaded()
            state = snapshot.state
            applied: list[tuple[Submission, Change]] = []
            refusals: list[tuple[Submission, Rejected]] = []
            for item in waiting:
                if item.expect is not None and item.expect != (state.round, state.phase):
                    refusals.append((item, Rejected("phase_moved", "The phase this was meant for is over.")))
                    continue
                result = apply(self.scenario, state, item.actor, item.action)
                if isinstance(result, Rejected):
                    refusals.append((item, result))
                    continue
                assert isinstance(result, Applied)
                state = result.state
                applied.append((item, self._change(item, result)))
            if not applied:
                await self._refuse(refusals)
                return
            move = deadlines.after_change(self.game_id, self.meta, snapshot.state, state, self.clock())
            changes = [change for _, change in applied]
            if move is not None:
                changes[-1] = with_meta(changes[-1], move.meta, move.unmeta)
                if move.add is not None:
                    await self.store.redis.zadd(keys.deadlines(), {move.add[0]: move.add[1]})
            # A snapshot of the state now and then (and at each new phase): readers replay the
            # actions since the last one, so a commit need not write the whole state each time.
            due = move is not None or self._unsaved + len(changes) >= SNAPSHOT_EVERY
            reply = self.store.send_commit(
                self.game_id, snapshot.version, changes, state.version, state if due else None
            )
            # The commit goes out first (its sender runs in this turn of the loop); the frames are
            # made while Redis runs it, for the numbers its events get unless another worker wrote.
            try:
                await asyncio.sleep(0)
                events = numbered(changes, snapshot.seq + 1)
                extras = self.extras(meta_after(self.meta, changes))
                ahead = self._prepare(state, events[-1][0] if events else snapshot.seq, events, extras)
                stored = commit_result(await reply)
            except BaseException:
                reply.cancel()  # as awaiting it would have: a cancelled writer's reply is not read
                raise
            self.metrics.commits_by_result[type(stored).__name__.lower() if stored is not None else "missing"].inc()
            if isinstance(stored, Stale):
                await self._catch_up()
                continue
            if isinstance(stored, Refused):
                waiting = settle_refused(waiting, applied, stored)
                continue
            if stored is None:
                raise ServiceError("unknown_game", f"There is no game {self.game_id!r}.")
            self._apply_meta(changes)
            self._unsaved = 0 if due else self._unsaved + len(changes)
            self.metrics.acked.inc(len(changes))
            self.metrics.batch.observe(len(changes))
            committed = Snapshot(state, state.version, stored.last, stored.action_id)
            if stored.first != snapshot.seq + 1:
                await self._catch_up()  # events this room has not read came first: see `run_control`
            elif self._still_fits(ahead):
                self._send(ahead, committed)
            else:
                self.deliver(committed, numbered(changes, stored.first))
            for (item, change), seq in zip(applied, stored.after, strict=True):
                item.future.set_result(Ack(id="", seq=seq, version=change.version))
            await self._refuse(refusals)
            if move is not None and move.remove:
                with contextlib.suppress(*STORE_ERRORS):  # a stale member is dropped by the deadline loop
                    await self.store.redis.zrem(keys.deadlines(), move.remove)
            return
        fail(waiting, ServiceError("busy", "The game is very busy; send the same request again."))

    async def _refuse(self, refusals: list[tuple[Submission, Rejected]]) -> None:
        """Answer what the engine refused; but an action sent again whose first sending went in
        (its ack was lost with a worker or a connection) is refused by the engine now (say, for
        resources its first application spent): it gets its first ack, as a retry must."""
        ids = [item.ack_key for item, _ in refusals if item.ack_key]
        earlier = dict(zip(ids, await self.store.redis.hmget(keys.acks(self.game_id), ids), strict=True)) if ids else {}
        for item, rejection in refusals:
            prior = earlier.get(item.ack_key)
            if prior is not None:
                seq, version = (int(x) for x in prior.split())
                item.future.set_result(Ack(id="", seq=seq, version=version, repeated=True))
            else:
                item.future.set_exception(ServiceError(rejection.code, rejection.message))

    def _change(self, item: Submission, result: Applied) -> Change:
        unmeta: tuple[str, ...] = ()
        seat = item.role.seat
        if seat is not None and item.role.token_hash and self.meta.get(f"bot:{seat}"):
            unmeta = (f"bot:{seat}",)  # a person acting in a bot's seat takes it back
        return Change(
            actor=item.actor,
            events=result.events,
            version=result.state.version,
            action=item.action,
            token_hash=item.role.token_hash,
            ack_key=item.ack_key,
            by_seat=item.by_seat,
            player=item.role.player,
            unmeta=unmeta,
        )

    def _apply_meta(self, changes: list[Change]) -> None:
        self.meta = meta_after(self.meta, changes)

    async def run_control(self, plan: Callable[[Snapshot, dict[str, str]], Plan]) -> Committed:
        """Commit what a facilitator's control plans (an announcement, a rollback), against the
        current state; planned again if another worker was first."""
        async with self.lock:
            for _ in range(COMMIT_TRIES):
                snapshot = await self.ensure_loaded()
                state, changes, log = plan(snapshot, dict(self.meta))
                version = state.version if state is not None else snapshot.version
                result = await self.store.commit(self.game_id, snapshot.version, changes, version, state, log)
                self.metrics.commits_by_result[type(result).__name__.lower() if result is not None else "missing"].inc()
                if isinstance(result, Stale):
                    await self._catch_up()
                    continue
                if not isinstance(result, Committed):
                    raise ServiceError("unknown_game", f"There is no game {self.game_id!r}.")
                self._apply_meta(changes)
                if state is not None:
                    self._unsaved = 0
                kept = state or snapshot.state
                if result.first != snapshot.seq + 1:
                    # Another worker committed events that leave the version as it was (an
                    # announcement) before this room read them: read them with ours, in order,
                    # rather than number ours past a gap its connections would never see filled.
                    await self._catch_up()
                else:
                    self.deliver(
                        Snapshot(kept, kept.version, result.last, result.action_id), numbered(changes, result.first)
                    )
                return result
        raise ServiceError("busy", "The game is very busy; send the same request again.")

    async def close(self) -> None:
        """Stop the writer and any catch-up (the room is being dropped)."""
        for task in (self._writer, self._reading):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
