"""What can be wrong with a scenario: one problem, and the error that carries them all."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScenarioProblem:
    """One thing wrong with a scenario file: where (file and field path) and what."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path or '(top level)'}: {self.message}"


class ScenarioError(ValueError):
    """A scenario that cannot be loaded, with every problem found."""

    def __init__(self, problems: list[ScenarioProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
