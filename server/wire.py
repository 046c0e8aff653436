"""The websocket's two encodings, and parsing client frames into protocol messages.

`normarena.v1.msgpack` carries msgpack maps in binary frames (the default, for bots);
`normarena.v1.json` carries JSON objects in text frames (for a person at a terminal). Every
message is a map with a `type`; the shapes are the classes of `server.protocol`.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import msgpack

from game_rules import DecodeError, from_plain, to_plain
from server.protocol import CONTROLS, Act, ClientMessage, Control, Hello, ServerMessage

MSGPACK = "normarena.v2.msgpack"
JSON = "normarena.v2.json"
SUBPROTOCOLS = (MSGPACK, JSON)
ID_LIMIT = 100
TEXT_LIMIT = 200
DEPTH_LIMIT = 32  # no client message nests deeper; a deeper frame is refused, not recursed into


class WireError(Exception):
    """A frame that is not a message we understand; `code` is the wire error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def encode(protocol: str, message: ServerMessage) -> bytes | str:
    """A server message in the connection's encoding."""
    return encode_plain(protocol, _plain_message(message))


def encode_plain(protocol: str, plain: dict[str, Any]) -> bytes | str:
    """A message already in plain form (built by the fan-out) in the connection's encoding."""
    if protocol == JSON:
        return json.dumps(plain, ensure_ascii=False, separators=(",", ":"))
    packed: bytes = msgpack.packb(plain, use_bin_type=True)
    return packed


def _plain_message(message: ServerMessage) -> dict[str, Any]:
    """A message as a map. Views and patches are plain already: only the message's own records
    are converted, so big views are not walked again."""
    out: dict[str, Any] = {"type": message.type}
    for name, value in vars(message).items():
        if type(value) is list and value and dataclasses.is_dataclass(value[0]):
            value = [to_plain(item) for item in value]
        elif dataclasses.is_dataclass(value):
            value = to_plain(value)
        out[name] = value
    return out


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
    except (ValueError, RecursionError, msgpack.ExtraData, msgpack.FormatError, msgpack.StackError) as error:
        raise WireError("malformed_message", f"The frame could not be decoded ({type(error).__name__}).") from error
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise WireError("malformed_message", "Every message is a map with a string field 'type'.")
    check_plain(value)
    return value


def check_plain(value: Any, depth: int = 0) -> None:
    """Refuse what no message holds and what cannot be sent on: deep nesting, and text that is
    not Unicode (a lone surrogate such as "\\ud800" decodes from JSON but cannot be stored)."""
    if depth > DEPTH_LIMIT:
        raise WireError("malformed_message", f"The message nests deeper than {DEPTH_LIMIT} levels.")
    if type(value) is str:
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as error:
                raise WireError("malformed_message", "Text must be valid Unicode (no lone surrogates).") from error
    elif type(value) is dict:
        for key, item in value.items():
            check_plain(key, depth + 1)
            check_plain(item, depth + 1)
    elif type(value) is list:
        for item in value:
            check_plain(item, depth + 1)


def parse(message: dict[str, Any]) -> ClientMessage:
    """A client message from its decoded map, or WireError naming the field that is wrong."""
    try:
        parsed: ClientMessage = from_plain(ClientMessage, message)
    except DecodeError as error:
        if error.path == "type":
            raise WireError("unknown_message", f"{error}: send hello, act, ask, control or ping.") from error
        code = "malformed_action" if error.path.startswith("action") else "malformed_message"
        raise WireError(code, str(error)) from error
    if len(getattr(parsed, "id", "")) > ID_LIMIT:
        raise WireError("malformed_message", f"id: at most {ID_LIMIT} characters.")
    if isinstance(parsed, Hello):
        if len(parsed.game) > TEXT_LIMIT or len(parsed.token) > TEXT_LIMIT:
            raise WireError("malformed_message", f"game and token: at most {TEXT_LIMIT} characters each.")
        if parsed.last_seq < 0:
            raise WireError("malformed_message", "last_seq: 0 or more.")
    if isinstance(parsed, Control) and parsed.command not in CONTROLS:
        raise WireError("unknown_control", f"command: one of {', '.join(CONTROLS)}.")
    return parsed


__all__ = ["JSON", "MSGPACK", "SUBPROTOCOLS", "Act", "WireError", "check_plain", "decode", "encode", "parse"]
