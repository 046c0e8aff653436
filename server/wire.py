"""The websocket's two encodings and its message shapes.

`normarena.v1.msgpack` carries msgpack maps in binary frames (the default, for bots);
`normarena.v1.json` carries JSON objects in text frames (for a person at a terminal). Every
message is a map with a `type`. The engine's actions travel inside `act` in the engine's own
wire form (`game_rules.to_plain`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import msgpack

from game_rules import Action, DecodeError, decode_action

MSGPACK = "normarena.v1.msgpack"
JSON = "normarena.v1.json"
SUBPROTOCOLS = (MSGPACK, JSON)


class WireError(Exception):
    """A frame that is not a message we understand; `code` is the wire error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Hello:
    game: str
    token: str
    last_seq: int


@dataclass(frozen=True)
class Act:
    id: str
    action: Action


@dataclass(frozen=True)
class Ping:
    id: str


@dataclass(frozen=True)
class Ask:
    """What may I do now? Answered by a `turn`: the view, its version and the legal actions."""

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
)


@dataclass(frozen=True)
class Control:
    """A facilitator's control: `command` and its argument (a card, seconds, a seat or a round)."""

    id: str
    command: str
    card: str = ""
    seconds: float = 0.0
    seat: str = ""
    round: int = 0


ClientMessage = Hello | Act | Ping | Ask | Control


def encode(protocol: str, message: dict[str, Any]) -> bytes | str:
    """A server message in the connection's encoding."""
    if protocol == JSON:
        return json.dumps(message, ensure_ascii=False, separators=(",", ":"))
    packed: bytes = msgpack.packb(message, use_bin_type=True)
    return packed


def decode(protocol: str, frame: bytes | str) -> dict[str, Any]:
    """A client frame as a map, or WireError."""
    try:
        if protocol == JSON:
            if not isinstance(frame, str):
                raise WireError("wrong_frame_type", "This connection speaks JSON: send text frames.")
            value = json.loads(frame)
        else:
            if not isinstance(frame, bytes):
                raise WireError("wrong_frame_type", "This connection speaks msgpack: send binary frames.")
            value = msgpack.unpackb(frame, raw=False, strict_map_key=True)
    except (ValueError, msgpack.ExtraData, msgpack.FormatError, msgpack.StackError) as error:
        raise WireError("malformed_message", f"The frame could not be decoded ({type(error).__name__}).") from error
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise WireError("malformed_message", "Every message is a map with a string field 'type'.")
    return value


def _text(message: dict[str, Any], name: str, limit: int = 200) -> str:
    value = message.get(name, "")
    if not isinstance(value, str) or len(value) > limit:
        raise WireError("malformed_message", f"'{name}' must be a string of at most {limit} characters.")
    return value


def parse(message: dict[str, Any]) -> ClientMessage:
    """A client message from its decoded map, or WireError naming what is wrong."""
    kind = message["type"]
    if kind == "hello":
        last = message.get("last_seq", 0)
        if not isinstance(last, int) or isinstance(last, bool) or last < 0:
            raise WireError("malformed_message", "'last_seq' must be a whole number, 0 or more.")
        return Hello(game=_text(message, "game"), token=_text(message, "token"), last_seq=last)
    if kind == "act":
        try:
            action = decode_action(message.get("action"))
        except DecodeError as error:
            where = f"action.{error.path}" if error.path else "action"
            raise WireError("malformed_action", f"{where}: {error.problem}") from error
        return Act(id=_text(message, "id", 100), action=action)
    if kind == "ping":
        return Ping(id=_text(message, "id", 100))
    if kind == "ask":
        return Ask(id=_text(message, "id", 100))
    if kind == "control":
        command = message.get("command")
        if command not in CONTROLS:
            raise WireError("unknown_control", f"'command' is one of {', '.join(CONTROLS)}.")
        seconds = message.get("seconds", 0.0)
        number = message.get("round", 0)
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise WireError("malformed_message", "'seconds' must be a number.")
        if isinstance(number, bool) or not isinstance(number, int):
            raise WireError("malformed_message", "'round' must be a whole number.")
        return Control(
            id=_text(message, "id", 100),
            command=command,
            card=_text(message, "card"),
            seconds=float(seconds),
            seat=_text(message, "seat"),
            round=number,
        )
    raise WireError("unknown_message", f"Unknown message type {kind!r}: send hello, act, ask, control or ping.")
