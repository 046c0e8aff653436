"""Tokens and join codes.

A token is 128 bits from the OS's generator, given once and stored only as its SHA-256. A
role is what a token grants: `facilitator`, `spectator` or `seat:<id>`. Join codes are short
enough to read off a projector, from an alphabet without look-alike characters.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from functools import cached_property

FACILITATOR_ROLE = "facilitator"
SPECTATOR_ROLE = "spectator"
SEAT_PREFIX = "seat:"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0 or 1
CODE_LENGTH = 6


def new_token() -> str:
    """An unguessable token: 128 bits, URL-safe."""
    return secrets.token_urlsafe(16)


def token_hash(token: str) -> str:
    """What is stored instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    """A join code such as `K7QX2M`: 32^6, about a billion, and read aloud without ambiguity."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return code.strip().upper().replace("-", "").replace(" ", "")


NAME_LIMIT = 60


def display_name(raw: str) -> str:
    """A player's name as given, trimmed, without control characters; plain text, never markup."""
    name = "".join(ch for ch in raw if ch.isprintable()).strip()
    return name[:NAME_LIMIT]


def new_game_id() -> str:
    return secrets.token_hex(8)


@dataclass(frozen=True)
class Role:
    """Who a connection speaks for."""

    name: str
    player: str = ""  # the display name given when joining a seat
    token_hash: str = ""  # who exactly: players sharing a seat have their own action ids

    @property
    def is_facilitator(self) -> bool:
        return self.name == FACILITATOR_ROLE

    # Made once per role (a role never changes): a commit asks every connection of its game.
    @cached_property
    def seat(self) -> str | None:
        return self.name[len(SEAT_PREFIX) :] if self.name.startswith(SEAT_PREFIX) else None

    @cached_property
    def viewer(self) -> str:
        """The engine's name for this viewer: a seat id, "facilitator" or "spectator"."""
        return self.seat or (FACILITATOR_ROLE if self.is_facilitator else SPECTATOR_ROLE)


def seat_role(seat: str) -> str:
    return f"{SEAT_PREFIX}{seat}"
