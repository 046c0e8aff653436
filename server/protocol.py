"""The websocket's messages, both ways, as typed values.

These classes are the protocol: the server parses client frames into them, builds its
answers from them, and `server.asyncapi` generates the published JSON Schemas from their
annotations. The engine's actions travel inside `act` in the engine's own wire form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from game_rules import Action

# --- client to server ---------------------------------------------------------------------


@dataclass(frozen=True)
class Hello:
    """Authenticate with a seat, facilitator or spectator token; `last_seq` is the newest event
    number already seen (0 for none): the welcome carries what was missed since."""

    type: ClassVar[str] = "hello"
    game: str
    token: str
    last_seq: int = 0


@dataclass(frozen=True)
class Act:
    """Apply an engine action for this connection's seat (or a facilitator action). `id` is the
    client's action id: a retry with the same id is acknowledged again, not applied twice."""

    type: ClassVar[str] = "act"
    id: str
    action: Action


@dataclass(frozen=True)
class Ask:
    """What may I do now? Answered by a `turn`."""

    type: ClassVar[str] = "ask"
    id: str


@dataclass(frozen=True)
class Ping:
    type: ClassVar[str] = "ping"
    id: str


CONTROLS = (
    "start",
    "skip",
    "end",
    "inject",
    "pause",
    "resume",
    "extend",
    "reissue",
    "lock",
    "unlock",
    "rollback",
    "fork",
    "bot",
    "unbot",
)


@dataclass(frozen=True)
class Control:
    """A facilitator's control: `command` (one of CONTROLS) and its argument: `card` for
    inject, `seconds` for extend, `seat` for reissue, bot and unbot (with `strategy`: random,
    entrepreneur, spoiler or broker; `replace` to put a bot in a seat people hold), `round`
    for rollback and fork."""

    type: ClassVar[str] = "control"
    id: str
    command: str
    card: str = ""
    seconds: float = 0.0
    seat: str = ""
    round: int = 0
    strategy: str = ""
    replace: bool = False


ClientMessage = Hello | Act | Ask | Ping | Control

# --- server to client ---------------------------------------------------------------------


@dataclass(frozen=True)
class EventRecord:
    """One event as a client receives it, numbered in the game's sequence; `by` is the display
    name of the player whose action made it (players sharing a seat are told apart), or ""."""

    seq: int
    kind: str
    round: int
    text: str
    audience: list[str]
    detail: dict[str, Any]
    by: str = ""


@dataclass(frozen=True)
class Welcome:
    """The answer to hello: who you are, the newest event number, your whole view, what you
    missed since `last_seq`, and the server's clock (Unix seconds) to count deadlines down by."""

    type: ClassVar[str] = "welcome"
    game: str
    role: str
    seat: str | None
    seq: int
    view: dict[str, Any]
    missed: list[EventRecord]
    player: str = ""
    server_time: float = 0.0


@dataclass(frozen=True)
class Events:
    """New events your view holds, and `patch`: the JSON Patch (RFC 6902: add, remove and
    replace) that turns the view you hold into the new one. Either list may be empty."""

    type: ClassVar[str] = "events"
    seq: int
    events: list[EventRecord]
    patch: list[dict[str, Any]]


@dataclass(frozen=True)
class View:
    """Your whole view, replacing the one you hold (sent when patches could not follow it,
    after the game's store was unreachable for a while, say)."""

    type: ClassVar[str] = "view"
    seq: int
    view: dict[str, Any]


@dataclass(frozen=True)
class Status:
    """The game's health: `degraded` while its store cannot be reached (actions are refused
    and nothing new arrives), then `ok` once it is back and you have caught up."""

    type: ClassVar[str] = "status"
    state: str
    message: str


@dataclass(frozen=True)
class Fork:
    game: str
    facilitator_token: str
    spectator_token: str
    join_codes: dict[str, str]


@dataclass(frozen=True)
class Ack:
    """A request done. For an action: the newest event number and the state's version
    (`repeated` when the id was seen before). For controls: what they made."""

    type: ClassVar[str] = "ack"
    id: str
    seq: int = 0
    version: int = 0
    repeated: bool = False
    join_code: str = ""
    locked: bool = False
    fork: Fork | None = None


@dataclass(frozen=True)
class Error:
    """A refusal: a stable `code`, a sentence for people, and the id of the request it answers."""

    type: ClassVar[str] = "error"
    id: str
    code: str
    message: str


@dataclass(frozen=True)
class LegalEntry:
    action: dict[str, Any]
    cost: dict[str, int]


@dataclass(frozen=True)
class Turn:
    """The answer to ask: your view, its version, and your legal actions with their costs."""

    type: ClassVar[str] = "turn"
    id: str
    version: int
    seq: int
    view: dict[str, Any]
    legal: list[LegalEntry] = field(default_factory=list)


@dataclass(frozen=True)
class Pong:
    """The answer to ping, with the server's clock (Unix seconds)."""

    type: ClassVar[str] = "pong"
    id: str
    server_time: float = 0.0


ServerMessage = Welcome | Events | View | Status | Ack | Error | Turn | Pong
