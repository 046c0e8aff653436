"""Plain values for the wire: every state, action and event to maps and lists and back.

The type annotations are the schema: `to_plain` walks dataclasses, `from_plain` rebuilds
them from the annotation it is given, checking each value and naming the path of the first
one that does not fit. Actions and orders carry their `type` tag; nothing else needs one.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any, Literal, TypeVar, Union

from game_rules.actions import (
    FACILITATOR_ACTION_TYPES,
    SEAT_ACTION_TYPES,
    Action,
)

T = TypeVar("T")
_ACTION_BY_TAG: dict[str, type] = {cls.type: cls for cls in (*SEAT_ACTION_TYPES, *FACILITATOR_ACTION_TYPES)}


class DecodeError(ValueError):
    """A value that does not fit its type; `path` says where, as in `order.funds`."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path or 'the message'}: {problem}")
        self.path = path
        self.problem = problem


_SCALARS = (str, int, float, bool, type(None))
_LAYOUTS: dict[type, tuple[str | None, tuple[str, ...], bool]] = {}
PLAIN = "_plain"  # where a frozen record keeps its plain form once made


def _layout(cls: type) -> tuple[str | None, tuple[str, ...], bool]:
    """A dataclass's wire tag, field names, and whether it is frozen, worked out once per class."""
    layout = _LAYOUTS.get(cls)
    if layout is None:
        tag = getattr(cls, "type", None)
        names = tuple(f.name for f in dataclasses.fields(cls) if not f.name.startswith("_"))
        frozen = bool(cls.__dataclass_params__.frozen)  # type: ignore[attr-defined]
        layout = (tag if isinstance(tag, str) else None, names, frozen)
        _LAYOUTS[cls] = layout
    return layout


def to_plain(value: Any) -> Any:
    """Maps, lists, strings, numbers, booleans and None: what msgpack and JSON carry.

    A frozen record's plain form is made once and kept on the record: states share most of
    their records with the state before them, and views and commits convert them again and
    again. So plain forms are shared: treat them, and the views built from them, as read-only."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list or kind is tuple:
        return [to_plain(v) for v in value]
    if kind is dict:
        return {k: to_plain(v) for k, v in value.items()}
    if kind in _LAYOUTS or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
        tag, names, frozen = _layout(kind)
        if frozen:
            kept = value.__dict__.get(PLAIN)
            if kept is not None:
                return kept
        out: dict[str, Any] = {"type": tag} if tag else {}
        for name in names:
            out[name] = to_plain(getattr(value, name))
        if frozen:
            object.__setattr__(value, PLAIN, out)
        return out
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


def kept(record: Any, name: str, build: Callable[[], Any]) -> Any:
    """A value made once from a frozen record and kept on it (its plain form for a view, say):
    records never change, so neither does what is made from them. Treat it as read-only."""
    value = record.__dict__.get(name)
    if value is None:
        value = build()
        object.__setattr__(record, name, value)
    return value


KEYS_KEPT = 512  # values kept per record and name by `kept_for`: enough for the games a worker holds


def kept_for(record: Any, name: str, key: Any, build: Callable[[], Any]) -> Any:
    """A value made once per `key` from a frozen record and what `key` holds, and kept on the
    record (a part of a view that depends on the scenario and a few numbers of the state, say):
    games in the same position share it. Treat it as read-only."""
    made: dict[Any, Any] | None = record.__dict__.get(name)
    if made is None:
        made = {}
        object.__setattr__(record, name, made)
    value = made.get(key)
    if value is None:
        if len(made) >= KEYS_KEPT:
            del made[next(iter(made))]  # the oldest key
        value = made[key] = build()
    return value


def from_plain(annotation: Any, value: Any, path: str = "") -> Any:
    """Rebuild a value of the annotated type from plain values, or raise DecodeError."""
    return _decoder(annotation)(value, path)


def decode_action(value: Any) -> Action:
    """An action from its wire form, dispatched on its `type` field."""
    decoded: Action = _decoder(Action)(value, "")
    return decoded


_Decoder = Callable[[Any, str], Any]


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


@cache
def _decoder(annotation: Any) -> _Decoder:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation is Any:
        return lambda v, p: v
    if annotation in (int, float, str, bool):
        return _scalar(annotation)
    if annotation is type(None):
        return _none
    if origin is Literal:
        return _literal(args)
    if origin in (Union, types.UnionType):
        return _union(args)
    if origin is list:
        item = _decoder(args[0])
        return lambda v, p: [item(x, f"{p}[{i}]") for i, x in enumerate(_expect(v, list, p))]
    if origin is tuple:
        return _tuple(args)
    if origin is dict or origin is typing.get_origin(dict[str, int]):
        return _mapping(args)
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return _dataclass(annotation)
    raise TypeError(f"no decoder for {annotation!r}")


def _expect(value: Any, kind: type | tuple[type, ...], path: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        name = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise DecodeError(path, f"expected {name}, got {type(value).__name__}")
    return value


def _none(value: Any, path: str) -> None:
    if value is not None:
        raise DecodeError(path, "expected nothing (null)")


def _scalar(kind: type) -> _Decoder:
    if kind is float:

        def decode_float(value: Any, path: str) -> float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise DecodeError(path, f"expected a number, got {type(value).__name__}")
            return float(value)

        return decode_float
    if kind is int:

        def decode_int(value: Any, path: str) -> int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise DecodeError(path, f"expected a whole number, got {type(value).__name__}")
            if not -(2**53) <= value <= 2**53:
                raise DecodeError(path, "number out of range")
            return value

        return decode_int
    return lambda v, p: _expect(v, kind, p)


def _literal(options: tuple[Any, ...]) -> _Decoder:
    def decode(value: Any, path: str) -> Any:
        for option in options:
            if value == option and type(value) is type(option):
                return option
        raise DecodeError(path, f"expected one of {', '.join(repr(o) for o in options)}")

    return decode


def _union(members: tuple[Any, ...]) -> _Decoder:
    tagged: dict[Any, type] = {
        getattr(m, "type", None): m for m in members if isinstance(m, type) and dataclasses.is_dataclass(m)
    }
    if tagged and None not in tagged:
        # A refusal lists what its sender may send: facilitator controls are not a seat's to try.
        controls = {cls.type for cls in FACILITATOR_ACTION_TYPES}
        known = ", ".join(sorted(str(k) for k in tagged if k not in controls))

        def decode_tagged(value: Any, path: str) -> Any:
            tag = _expect(value, dict, path).get("type")
            cls = tagged.get(tag) if isinstance(tag, str) else None
            if cls is None:
                raise DecodeError(f"{path}.type" if path else "type", f"unknown type {tag!r}; expected one of {known}")
            return _decoder(cls)(value, path)

        return decode_tagged
    decoders = [_decoder(m) for m in members]

    def decode_any(value: Any, path: str) -> Any:
        problems = []
        for decode in decoders:
            try:
                return decode(value, path)
            except DecodeError as error:
                problems.append(error.problem)
        raise DecodeError(path, "; or ".join(problems))

    return decode_any


def _tuple(args: tuple[Any, ...]) -> _Decoder:
    if len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])
        return lambda v, p: tuple(item(x, f"{p}[{i}]") for i, x in enumerate(_expect(v, (list, tuple), p)))
    items = [_decoder(a) for a in args]

    def decode(value: Any, path: str) -> tuple[Any, ...]:
        seq = _expect(value, (list, tuple), path)
        if len(seq) != len(items):
            raise DecodeError(path, f"expected {len(items)} items, got {len(seq)}")
        return tuple(d(x, f"{path}[{i}]") for i, (d, x) in enumerate(zip(items, seq, strict=True)))

    return decode


def _mapping(args: tuple[Any, ...]) -> _Decoder:
    value_decoder = _decoder(args[1]) if args else _decoder(Any)

    def decode(value: Any, path: str) -> dict[str, Any]:
        out = {}
        for key, item in _expect(value, dict, path).items():
            if not isinstance(key, str):
                raise DecodeError(path, "keys must be strings")
            out[key] = value_decoder(item, f"{path}.{key}" if path else key)
        return out

    return decode


def _dataclass(cls: type) -> _Decoder:
    hints = _hints(cls)
    fields = [f for f in dataclasses.fields(cls) if f.init]
    tag = getattr(cls, "type", None)

    def decode(value: Any, path: str) -> Any:
        mapping = _expect(value, dict, path)
        if isinstance(tag, str) and mapping.get("type", tag) != tag:
            raise DecodeError(f"{path}.type" if path else "type", f"expected {tag!r}")
        known = {f.name for f in fields} | {"type"}
        extra = [k for k in mapping if k not in known]
        if extra:
            raise DecodeError(path, f"unexpected field {extra[0]!r}")
        kwargs = {}
        for f in fields:
            where = f"{path}.{f.name}" if path else f.name
            if f.name in mapping:
                kwargs[f.name] = _decoder(hints[f.name])(mapping[f.name], where)
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise DecodeError(where, "missing")
        return cls(**kwargs)

    return decode
