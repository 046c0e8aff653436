"""Hypothesis strategies for what a hostile or broken client sends: websocket frames in either
encoding and HTTP requests to every route; and the codes a refusal may carry."""

from __future__ import annotations

import json
from typing import Any

import msgpack
from hypothesis import strategies as st

from game_rules.rejections import CODES as ENGINE_CODES
from server.protocol import CONTROLS

# Every code the server documents (docs/protocol.md) besides the engine's.
SERVER_CODES = {
    "malformed_message", "wrong_frame_type", "unknown_message", "unknown_control", "malformed_action",
    "frame_too_large", "rate_limited", "too_many_connections", "unavailable", "hello_first", "already_greeted",
    "hello_timeout", "unauthorised", "not_a_player", "not_a_seat", "not_facilitator", "revoked", "unknown_game",
    "unknown_code", "unknown_scenario", "unknown_round", "unknown_bot", "paused", "already_paused", "not_paused",
    "no_deadline", "busy", "seat_held", "joining_locked", "code_reissued", "seat_full", "phase_moved",
    "malformed_request", "body_too_large", "operator_required", "not_over", "invalid_clock", "invalid_scenario",
}  # fmt: skip
KNOWN_CODES = SERVER_CODES | set(ENGINE_CODES)

ACTION_TYPES = [
    "send_message", "make_offer", "accept_offer", "decline_offer", "withdraw_offer", "found_alliance",
    "invite_to_alliance", "join_alliance", "leave_alliance", "submit_order", "withdraw_order", "end_orders",
    "end_negotiation", "cast_vote", "start_game", "close_phase", "end_game", "inject_event", "lobby", "",
]  # fmt: skip
FIELDS = [
    "to", "text", "gives", "gets", "offer", "name", "platform", "alliance", "seat", "order", "index", "vote",
    "choice", "card", "target", "provision", "level", "venue", "funds", "capital", "expertise", "pledges",
]  # fmt: skip

huge_numbers = st.sampled_from([2**63, 2**64, -(2**63) - 1, 2**64 - 1, 10**30, -(10**30)]) | st.integers()
scalars = st.none() | st.booleans() | huge_numbers | st.floats(allow_nan=False) | st.text(max_size=30)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def actions(draw: st.DrawFn) -> dict[str, Any]:
    """An action of any type, with fields of the wrong kind, missing or left over."""
    action: dict[str, Any] = {"type": draw(st.sampled_from(ACTION_TYPES) | st.text(max_size=12))}
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=4, unique=True)):
        action[name] = draw(values)
    return action


@st.composite
def messages(draw: st.DrawFn, games: list[str], tokens: list[str]) -> dict[str, Any]:
    """Every message type, with every field wrong in turn: right names, wrong values and types."""
    kind = draw(st.sampled_from(["hello", "act", "ask", "control", "ping"]) | st.text(max_size=10))
    message: dict[str, Any] = {"type": kind}
    optional = {
        "id": st.text(max_size=120) | values,
        "game": st.sampled_from(games) | st.text(max_size=30) | values,
        "token": st.sampled_from(tokens) | st.text(max_size=30) | values,
        "last_seq": huge_numbers | values,
        "action": actions() | values,
        "command": st.sampled_from(CONTROLS) | values,
        "seat": st.text(max_size=20) | values,
        "round": huge_numbers | values,
        "seconds": huge_numbers | st.floats() | values,
        "card": values,
        "strategy": st.sampled_from(["random", "broker", "nobody"]) | values,
        "replace": values,
    }
    for name in draw(st.lists(st.sampled_from(sorted(optional)), max_size=5, unique=True)):
        message[name] = draw(optional[name])
    return message


def _nested(depth: int, opener: str = "[", closer: str = "]") -> str:
    return opener * depth + closer * depth


@st.composite
def json_frames(draw: st.DrawFn, games: list[str], tokens: list[str]) -> str | bytes:
    """A text frame (or now and then a binary one on a JSON connection)."""
    shape = draw(st.integers(0, 9))
    if shape <= 4:
        return json.dumps(draw(messages(games, tokens)))
    if shape == 5:  # deep nesting, from just past the limit to far past it
        depth = draw(st.integers(30, 20_000))
        return '{"type": "ping", "id": "n", "x": ' + _nested(depth) + "}"
    if shape == 6:  # a lone surrogate somewhere in a string
        field = draw(st.sampled_from(["id", "game", "token", "type"]))
        base = {"type": "hello", "id": "s", "game": "g", "token": "t", "last_seq": 0}
        text = json.dumps(base).replace(f'"{field}": "', f'"{field}": "\\ud800', 1)
        return text.replace(f'"{field}": "\\ud800s', f'"{field}": "\\udfff', 1)
    if shape == 7:  # numbers past what any field holds
        digits = draw(st.integers(19, 5000))
        number = draw(st.sampled_from(["1" * digits, "-" + "9" * digits, "1e400", "-1e400"]))
        field = draw(st.sampled_from(["last_seq", "round", "seconds", "id"]))
        return '{"type": "hello", "game": "g", "token": "t", "' + field + '": ' + number + "}"
    if shape == 8:
        return draw(st.text(max_size=60))  # not JSON at all, or JSON that is not a map
    return draw(st.binary(max_size=40))  # the wrong frame type


@st.composite
def msgpack_frames(draw: st.DrawFn, games: list[str], tokens: list[str]) -> bytes | str:
    """A binary frame: msgpack maps with wrong fields, bytes and extension types, deep nesting,
    invalid UTF-8, or not msgpack at all."""
    shape = draw(st.integers(0, 7))
    if shape <= 3:
        message = draw(messages(games, tokens))
        if draw(st.booleans()):
            message[draw(st.sampled_from(["id", "game", "token", "action"]))] = draw(
                st.binary(max_size=10) | st.builds(msgpack.ExtType, st.integers(0, 127), st.binary(max_size=6))
            )
        packed: bytes = msgpack.packb(_fit(message), use_bin_type=True)
        return packed
    if shape == 4:
        return b"\x81\xa4type\xa4ping" + b"\x91" * draw(st.integers(30, 20_000)) + b"\xc0"
    if shape == 5:  # a string that is not UTF-8
        return b"\x83\xa4type\xa5hello\xa4game\xa2\xed\xa0\xa5token\xa1t"
    if shape == 6:
        return draw(st.binary(max_size=60))
    return draw(st.text(max_size=20))  # the wrong frame type


def _fit(value: Any) -> Any:
    """msgpack carries integers from -2**63 to 2**64 - 1: bigger ones become the largest."""
    if isinstance(value, int) and not isinstance(value, bool):
        return max(-(2**63), min(value, 2**64 - 1))
    if isinstance(value, list):
        return [_fit(v) for v in value]
    if isinstance(value, dict):
        return {k: _fit(v) for k, v in value.items()}
    return value


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    """An HTTP body: JSON of any shape (often a map with the routes' field names), deep nesting,
    lone surrogates, huge numbers, or bytes that are not JSON or not UTF-8."""
    shape = draw(st.integers(0, 6))
    if shape <= 2:
        fields = {
            "scenario": st.sampled_from(["classroom-quick", "nope"]) | values,
            "seed": huge_numbers | values,
            "clock": st.sampled_from(["classroom", "bots", "distance", "x"]) | values,
            "deadlines": st.dictionaries(st.text(max_size=10), huge_numbers | st.floats() | values, max_size=3)
            | values,
            "scenario_toml": st.text(max_size=80) | values,
            "code": st.text(max_size=12) | values,
            "name": st.text(max_size=80) | values,
        }
        body = {name: draw(fields[name]) for name in draw(st.lists(st.sampled_from(sorted(fields)), max_size=4))}
        return json.dumps(body).encode()
    if shape == 3:
        return ('{"code": ' + _nested(draw(st.integers(30, 20_000)), "[", "]") + "}").encode()
    if shape == 4:
        field = draw(st.sampled_from(["code", "name", "scenario", "clock"]))
        return ('{"' + field + '": "a\\ud800b", "deadlines": {"\\udfff": 1}}').encode()
    if shape == 5:
        return ('{"seed": ' + "7" * draw(st.integers(19, 6000)) + ', "scenario": "classroom-quick"}').encode()
    return draw(st.binary(max_size=80))
