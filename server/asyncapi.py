"""The published wire: an AsyncAPI document whose JSON Schemas are generated from the types
the server parses and builds messages with (`server.protocol`, the engine's actions).

    python3 -m server.asyncapi > docs/asyncapi.json      # after a protocol change
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any, Literal, Union

from server import protocol
from server.wire import JSON, MSGPACK

VERSION = "1.0.0"


class _Schemas:
    """JSON Schemas for annotated types, each dataclass once under `components.schemas`."""

    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}

    def of(self, annotation: Any) -> dict[str, Any]:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if annotation is Any:
            return {}
        if annotation is type(None):
            return {"type": "null"}
        simple = {int: "integer", float: "number", str: "string", bool: "boolean"}
        if annotation in simple:
            return {"type": simple[annotation]}
        if origin is Literal:
            return {"enum": list(args)}
        if origin in (Union, types.UnionType):
            return {"oneOf": [self.of(a) for a in args]}
        if origin in (list, tuple):
            item = args[0] if args else Any
            return {"type": "array", "items": self.of(item)}
        if origin is dict:
            return {"type": "object", "additionalProperties": self.of(args[1]) if args else {}}
        if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
            return self._dataclass(annotation)
        raise TypeError(f"no schema for {annotation!r}")

    def _dataclass(self, cls: type) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # a placeholder stops recursion
            hints = typing.get_type_hints(cls)
            properties: dict[str, Any] = {}
            required: list[str] = []
            tag = getattr(cls, "type", None)
            if isinstance(tag, str):
                properties["type"] = {"const": tag}
                required.append("type")
            for field in dataclasses.fields(cls):
                if field.name.startswith("_"):
                    continue
                properties[field.name] = self.of(hints[field.name])
                if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                    required.append(field.name)
            schema: dict[str, Any] = {"type": "object", "properties": properties, "required": required}
            schema["additionalProperties"] = False
            if cls.__doc__ and not cls.__doc__.startswith(f"{name}("):
                schema["description"] = " ".join(cls.__doc__.split())
            self.defs[name] = schema
        return {"$ref": f"#/components/schemas/{name}"}


def document() -> dict[str, Any]:
    """The AsyncAPI 2.6 document of the `/ws` channel."""
    schemas = _Schemas()
    client = [schemas.of(m) for m in typing.get_args(protocol.ClientMessage)]
    server = [schemas.of(m) for m in typing.get_args(protocol.ServerMessage)]
    return {
        "asyncapi": "2.6.0",
        "info": {
            "title": "Norm Arena game server",
            "version": VERSION,
            "description": (
                "One websocket per connection at /ws. Choose the encoding by subprotocol: "
                f"`{MSGPACK}` (msgpack maps in binary frames, the default) or `{JSON}` (JSON objects in "
                "text frames). Say hello first with a token from POST /api/games or POST /api/join; then "
                "ask for your turn, act, and receive events. Every request carries an `id` that its "
                "answer (ack, turn, pong or error) repeats. Event numbers (`seq`) are the game's: "
                "reconnect with the last one you saw to receive exactly what you missed."
            ),
        },
        "defaultContentType": "application/msgpack",
        "channels": {
            "/ws": {
                "publish": {
                    "summary": "What a client sends.",
                    "message": {"oneOf": [{"name": _name(s), "payload": s} for s in client]},
                },
                "subscribe": {
                    "summary": "What the server sends.",
                    "message": {"oneOf": [{"name": _name(s), "payload": s} for s in server]},
                },
            }
        },
        "components": {"schemas": dict(sorted(schemas.defs.items()))},
    }


def _name(schema: dict[str, Any]) -> str:
    return str(schema["$ref"]).rsplit("/", 1)[-1]


def render() -> str:
    """The document as the JSON kept in docs/asyncapi.json."""
    return json.dumps(document(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(render(), end="")
