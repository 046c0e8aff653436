"""The server's refusals: a stable code for programs and a sentence for people."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal with a stable code and a sentence a person understands."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
