"""Applying the server's view patches: JSON Patch (RFC 6902) `add`, `remove` and `replace`."""

from __future__ import annotations

from typing import Any


class PatchError(ValueError):
    """A patch that does not fit the view it was applied to: ask for the whole view again."""


def apply_patch(view: dict[str, Any], ops: list[dict[str, Any]]) -> dict[str, Any]:
    """Apply `ops` to `view` in place and return it."""
    for op in ops:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in op["path"].split("/")[1:]]
        if not parts:
            raise PatchError("a patch may not replace the whole view")
        parent: Any = view
        for part in parts[:-1]:
            parent = parent[int(part)] if isinstance(parent, list) else parent[part]
        last, kind = parts[-1], op["op"]
        try:
            if isinstance(parent, list):
                if kind == "add" and last == "-":
                    parent.append(op["value"])
                elif kind == "add":
                    parent.insert(int(last), op["value"])
                elif kind == "remove":
                    del parent[int(last)]
                else:
                    parent[int(last)] = op["value"]
            elif kind == "remove":
                del parent[last]
            else:
                parent[last] = op["value"]
        except (IndexError, KeyError, ValueError) as error:
            raise PatchError(f"{kind} {op['path']}: {error}") from error
    return view
