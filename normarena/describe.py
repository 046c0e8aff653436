"""A scenario as its facilitator reads it before class: who sits where, how long it takes,
the brief and the debrief's questions."""

from __future__ import annotations

from bots import auto_lineup
from game_rules.scenario import PHASE_CLOCKS, Scenario

RULE_NAMES = {
    "consensus": "consensus (any voting state's no objects)",
    "two_thirds": "two-thirds of votes cast",
    "security_council": "nine of fifteen, no permanent member's veto",
}


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:g} h"
    if seconds >= 60:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


def describe(scenario: Scenario) -> str:
    """The facilitator's overview of a scenario, as text."""
    lines = [
        f"{scenario.title} ({scenario.id})",
        f"  period          {scenario.period}",
        f"  decided by      {RULE_NAMES[scenario.decision_rule]}",
        f"  rounds          {scenario.rounds}; a class of about {scenario.minutes} minutes",
    ]
    for clock, phases in scenario.clocks.items():
        timing = ", ".join(f"{phase} {_duration(phases[phase])}" for phase in PHASE_CLOCKS)
        lines.append(f"  {clock + ' clock':<16}{timing}")
    lines += ["", scenario.summary, "", "Seats:"]
    characters = auto_lineup(scenario)
    for seat in scenario.seats:
        roles = [seat.kind.replace("_", " ")]
        if seat.bloc:
            roles.append(scenario.bloc(seat.bloc).name)
        if seat.votes:
            roles.append("votes")
        if seat.veto:
            roles.append("veto")
        lines.append(f"  {seat.id:<16} {seat.name}: {', '.join(roles)}; bot: {characters[seat.id]}")
    lines += ["", scenario.brief.strip(), "", "Discussion questions:"]
    lines += [f"  {i}. {q}" for i, q in enumerate(scenario.discussion_questions, 1)]
    return "\n".join(lines)
