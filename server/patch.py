"""JSON Patch (RFC 6902) between two views: what turns the view a client holds into the new one.

Only `add`, `remove` and `replace` are produced, with JSON Pointer paths. Maps are compared
key by key; a list that only grew at its end gets `add` at `/-`, a list whose head was dropped
(a message window moving on) gets `remove` at `/0`; any other change to a list replaces it.
Views share unchanged pieces between builds, so an identity check ends most comparisons early.
"""

from __future__ import annotations

from typing import Any

Op = dict[str, Any]


def diff(old: Any, new: Any) -> list[Op]:
    """The operations that turn `old` into `new` (both plain JSON-like values)."""
    ops: list[Op] = []
    _diff(old, new, "", ops)
    return ops


_MISSING = object()
_CONTAINERS = (dict, list)


def _escape(key: str) -> str:
    if "~" not in key and "/" not in key:
        return key
    return key.replace("~", "~0").replace("/", "~1")


def _diff(old: Any, new: Any, path: str, ops: list[Op]) -> None:
    if old is new:
        return
    if type(old) is dict and type(new) is dict:
        for key, value in new.items():
            before = old.get(key, _MISSING)
            if before is value:
                continue  # a piece the views share: most of a view, most of the time
            if before is _MISSING:
                ops.append({"op": "add", "path": f"{path}/{_escape(str(key))}", "value": value})
            elif type(before) is type(value) and type(value) not in _CONTAINERS:
                # A scalar: its path is written only when it changed (most do not).
                if before != value:
                    ops.append({"op": "replace", "path": f"{path}/{_escape(str(key))}", "value": value})
            else:
                _diff(before, value, f"{path}/{_escape(str(key))}", ops)
        for key in old:
            if key not in new:
                ops.append({"op": "remove", "path": f"{path}/{_escape(str(key))}"})
        return
    if type(old) is list and type(new) is list:
        _diff_list(old, new, path, ops)
        return
    if type(old) is not type(new) or old != new:
        ops.append({"op": "replace", "path": path, "value": new})


def _diff_list(old: list[Any], new: list[Any], path: str, ops: list[Op]) -> None:
    if old and new and len(new) >= len(old) and _is_prefix(old, new):
        # A list that grew at its end (an event log, a draft's history).
        ops.extend({"op": "add", "path": f"{path}/-", "value": value} for value in new[len(old) :])
        return
    start = _window_start(old, new) if old and new else -1
    if 0 < start <= len(new) - (len(old) - start):
        # A window that dropped its oldest entries and took as many or more new ones at its end.
        ops.extend({"op": "remove", "path": f"{path}/0"} for _ in range(start))
        ops.extend({"op": "add", "path": f"{path}/-", "value": value} for value in new[len(old) - start :])
        return
    if len(old) == len(new):
        changed = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a is not b and a != b]
        if len(changed) * 2 <= len(new) or len(new) <= 2:
            for i in changed:
                _diff(old[i], new[i], f"{path}/{i}", ops)
            return
    ops.append({"op": "replace", "path": path, "value": new})


def _window_start(old: list[Any], new: list[Any]) -> int:
    """How many entries dropped off the front of `old` if `new` continues it; -1 if it does not."""
    try:
        start = old.index(new[0], 1)
    except ValueError:
        return -1
    kept = len(old) - start
    return start if kept <= len(new) and old[start:] == new[:kept] else -1


def _is_prefix(head: list[Any], whole: list[Any]) -> bool:
    # Slices compare in C: far faster than a loop here, and views hold long lists of records.
    return len(head) <= len(whole) and head == whole[: len(head)]
