"""The game's seeded random generator, carried in the state as one integer.

SplitMix64: tiny, fast, and fully determined by its 64-bit state, so a draw is a pure
function `(state) -> (value, next state)` and replay is exact on every platform.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

_MASK = (1 << 64) - 1
T = TypeVar("T")


def seed_state(seed: int) -> int:
    """The generator's first state for a game seed."""
    return (seed * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & _MASK


def next_uniform(state: int) -> tuple[float, int]:
    """A float in [0, 1) and the generator's next state."""
    state = (state + 0x9E3779B97F4A7C15) & _MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    z ^= z >> 31
    return (z >> 11) / float(1 << 53), state


def shuffled(items: Sequence[T], state: int) -> tuple[list[T], int]:
    """A Fisher-Yates shuffle of `items` and the generator's next state."""
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        u, state = next_uniform(state)
        j = int(u * (i + 1))
        out[i], out[j] = out[j], out[i]
    return out, state


def weighted_index(weights: Sequence[float], state: int) -> tuple[int, int]:
    """An index drawn with the given weights, and the next state."""
    u, state = next_uniform(state)
    total = sum(weights)
    mark = u * total
    for i, w in enumerate(weights):
        mark -= w
        if mark < 0:
            return i, state
    return len(weights) - 1, state
