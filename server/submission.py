"""An action on its way to a commit: what a room's writer queues, the changes a batch of them
makes, and how their senders are answered."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from game_rules import FACILITATOR, Action, Event, GameState
from server.auth import Role
from server.errors import ServiceError
from server.protocol import Ack
from server.store import Change, Refused


@dataclass
class Submission:
    """An action waiting for the writer, and the future its sender awaits."""

    actor: str
    action: Action
    role: Role
    ack_key: str
    future: asyncio.Future[Ack]
    expect: tuple[int, str] | None = None  # (round, phase) the action is meant for: a deadline's
    by_seat: bool = field(init=False)

    def __post_init__(self) -> None:
        self.by_seat = self.actor != FACILITATOR


# A control's plan, given the snapshot and meta under the lock: the new state (or None to keep
# it), the changes to commit, and for a rollback the new action log.
Plan = tuple[GameState | None, list[Change], list[tuple[str, Action, str]] | None]


def fail(batch: list[Submission], error: ServiceError) -> None:
    """Answer every submission of a batch not yet answered with `error`."""
    for item in batch:
        if not item.future.done():
            item.future.set_exception(error)


def settle_refused(
    waiting: list[Submission], applied: list[tuple[Submission, Change]], refused: Refused
) -> list[Submission]:
    """Answer the submissions the store refused; the rest are tried again."""
    answered: set[int] = set()
    for index, code, earlier in refused.problems:
        item = applied[index][0]
        answered.add(id(item))
        if code == "repeated":
            seq, version = (int(x) for x in earlier.split())
            item.future.set_result(Ack(id="", seq=seq, version=version, repeated=True))
        elif code == "paused":
            item.future.set_exception(
                ServiceError("paused", "The facilitator has paused the game; wait for it to resume.")
            )
        else:
            item.future.set_exception(
                ServiceError("revoked", "This seat was re-issued: your token is no longer valid.")
            )
    return [item for item in waiting if id(item) not in answered]


def meta_after(meta: dict[str, str], changes: list[Change]) -> dict[str, str]:
    """The game's meta once `changes` are committed (a new map: `meta` is left as it is)."""
    after = dict(meta)
    for change in changes:
        after.update(change.meta)
        for name in change.unmeta:
            after.pop(name, None)
    return after


def with_meta(change: Change, meta: dict[str, str], unmeta: tuple[str, ...]) -> Change:
    return Change(
        actor=change.actor,
        events=change.events,
        version=change.version,
        action=change.action,
        token_hash=change.token_hash,
        ack_key=change.ack_key,
        by_seat=change.by_seat,
        player=change.player,
        meta={**change.meta, **meta},
        unmeta=(*change.unmeta, *unmeta),
    )


def numbered(changes: list[Change], first: int) -> list[tuple[int, Event, str]]:
    """The events of committed changes with their numbers and who made them."""
    out = []
    seq = first
    for change in changes:
        for event in change.events:
            out.append((seq, event, change.player))
            seq += 1
    return out
