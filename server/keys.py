"""The whole Redis key layout, in one place.

Every key of one game carries the hash tag `{game-id}`, so a game's keys share a cluster slot
and one transaction can touch them all. The few keys shared by all games (join codes,
deadlines) are written on their own, never inside a game's transaction.
"""

from __future__ import annotations

PREFIX = "na"


def _game(game_id: str, part: str) -> str:
    return f"{PREFIX}:{{{game_id}}}:{part}"


def state(game_id: str) -> str:
    """Hash: `version`, `seq` (last event number) and `state` (msgpack of the GameState)."""
    return _game(game_id, "state")


def meta(game_id: str) -> str:
    """Hash: scenario, seed, clock, deadlines, created: what the game was made from."""
    return _game(game_id, "meta")


def events(game_id: str) -> str:
    """Stream: one entry per event, its id `<seq>-0`; fields `event` (msgpack) and `audience`."""
    return _game(game_id, "events")


def actions(game_id: str) -> str:
    """Stream: the action log, one entry per applied action: actor and action (msgpack)."""
    return _game(game_id, "actions")


def acks(game_id: str) -> str:
    """Hash: `<actor>|<token>:<client's action id>` → `<seq> <version>`, the ack it was given,
    so a retry is answered, not applied again."""
    return _game(game_id, "acks")


def tokens(game_id: str) -> str:
    """Hash: SHA-256 of a token → the role it grants (facilitator, spectator, seat:<id>)."""
    return _game(game_id, "tokens")


def players(game_id: str) -> str:
    """Hash: SHA-256 of a seat token → the display name its player gave when joining."""
    return _game(game_id, "players")


def presence(game_id: str) -> str:
    """Hash: `<worker>:<connection>` → `<role>|<player>|<expiry>`: who is connected, kept fresh by
    each worker and read by the facilitator's console."""
    return _game(game_id, "presence")


def listeners(game_id: str) -> str:
    """Set: the workers holding the game in memory, which must hear of each other's commits on its
    channel; a commit publishes only when a worker other than its own is in it."""
    return _game(game_id, "listeners")


def game_keys(game_id: str) -> list[str]:
    """The keys a commit touches, in the order `commit.lua` expects them; each expires after the
    game's idle time and every commit renews them."""
    return [
        state(game_id),
        events(game_id),
        actions(game_id),
        acks(game_id),
        tokens(game_id),
        meta(game_id),
        players(game_id),
        listeners(game_id),
    ]


def channel(game_id: str) -> str:
    """Pub/sub channel: `<seq> <version>` after a commit another worker must hear of (see
    `listeners`), `revoke:<role>` when a seat is re-issued, `presence` when someone joins or leaves."""
    return _game(game_id, "channel")


def join_code(code: str) -> str:
    """String: the game and seat a join code opens (`<game-id> <seat>`)."""
    return f"{PREFIX}:code:{code}"


def deadlines() -> str:
    """Sorted set: `<game-id>|<round>|<phase>` scored by the deadline in Unix seconds."""
    return f"{PREFIX}:deadlines"


def lease(game_id: str) -> str:
    """String with a short expiry: the worker closing this game's phase now."""
    return _game(game_id, "lease")
