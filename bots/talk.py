"""What the character bots say, and what they make of what others say.

Bots write plain sentences a person can read and answer; they recognise a few phrases in what
they read (their own kind's, and the same words from people): "your yes", "let the text
through", "would you back ...", "we back ..." and "we oppose ...".
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

from bots.reading import Reading

Ask = Literal["vote", "restraint", "side", "position"]
STRONG_STAKE = 0.3


def statement(r: Reading) -> str:
    """A public statement: what the text needs, and where the seat stands on the side issues."""
    gaps = r.gaps()
    if gaps:
        weights = r.objectives["weights"]
        pid, gap = max(gaps.items(), key=lambda item: abs(item[1]) * float(weights.get(item[0], 1.0)))
        wanted = r.wording(pid, r.levels[pid] + (1 if gap > 0 else -1))
        text = f"{r.name}: on {r.provision_name(pid)}, the text should say “{wanted}”."
    else:
        text = f"{r.name}: we can support the draft as it stands."
    return text + side_positions(r)


def side_positions(r: Reading) -> str:
    backed = [r.issue_name(i) for i, s in r.stakes.items() if s >= STRONG_STAKE]
    opposed = [r.issue_name(i) for i, s in r.stakes.items() if s <= -STRONG_STAKE]
    out = ""
    if backed:
        out += f" We back {' and '.join(backed)}."
    if opposed:
        out += f" We oppose {' and '.join(opposed)}."
    return out


def price(r: Reading) -> dict[str, int]:
    """The fewest steps toward this seat's ideal, its heaviest gap first, after which it would
    rather see the text adopted than fail: what its yes would take (every step, if none is
    enough)."""
    weights = r.objectives["weights"]
    levels = dict(r.levels)
    wanted: dict[str, int] = {}
    while r.adoption_gain(levels) <= 0:
        gaps = {pid: ideal - levels[pid] for pid, ideal in r.ideal.items() if ideal != levels[pid]}
        if not gaps:
            break
        pid = max(sorted(gaps), key=lambda p: abs(gaps[p]) * float(weights.get(p, 1.0)))
        levels[pid] += 1 if gaps[pid] > 0 else -1
        wanted[pid] = levels[pid]
    return wanted


def explanation(r: Reading) -> str:
    """Why this seat stopped the vote, in public: the wording its yes would take."""
    wanted = price(r)
    needs = " ".join(
        f"On {r.provision_name(pid)}, the text should say “{r.wording(pid, level)}”." for pid, level in wanted.items()
    )
    return f"{r.name}: we could not let this text pass. {needs}".strip()


def ask_vote(r: Reading) -> str:
    return (
        f"{r.name} here. We mean to bring the draft to a vote when the time is ripe. What would it take for your yes?"
    )


def ask_restraint(r: Reading) -> str:
    return f"{r.name} here. We hear the HQ loop may slow this text down. What would it take to let the text through?"


def ask_side(r: Reading, issue: str) -> str:
    return f"{r.name} here. Would you back {r.issue_name(issue)}? Tell us what you need in return."


def ask_of(r: Reading, text: str) -> tuple[Ask, str]:
    """What a message asks of this seat: its vote, its restraint, its side vote (and on which
    issue), or just where it stands."""
    lowered = text.lower()
    if "your yes" in lowered or "vote for the draft" in lowered:
        return "vote", ""
    if "let the text through" in lowered or "not spoil" in lowered:
        return "restraint", ""
    if "would you back" in lowered:
        for entry in r.view["side_issues"]:
            if entry["name"].lower() in lowered:
                return "side", str(entry["id"])
    return "position", ""


def reply(r: Reading, asked: Ask, issue: str, answer: str) -> str:
    """A private answer: the seat's position on what was asked, and what it proposes."""
    gaps = r.gaps()
    if asked == "vote" and r.is_voter:
        if r.wants_adoption():
            head = "We can vote yes on the text as it stands."
        elif gaps:
            pid, gap = max(gaps.items(), key=lambda item: abs(item[1]))
            wanted = r.wording(pid, r.levels[pid] + (1 if gap > 0 else -1))
            head = f"Not as it stands: {r.provision_name(pid)} would have to say “{wanted}”."
        else:
            head = "We would rather this process failed."
    elif asked == "side" and issue:
        stake = r.stakes.get(issue, 0.0)
        head = (
            f"We back {r.issue_name(issue)}."
            if stake > 0
            else f"We oppose {r.issue_name(issue)}."
            if stake < 0
            else f"{r.issue_name(issue)} is not our fight."
        )
    elif asked == "restraint":
        head = "Our turf is our concern; the text can pass if it leaves it alone."
    else:
        head = statement(r).split(": ", 1)[-1]
    return f"{r.name}: {head}{side_positions(r) if asked != 'position' else ''} {answer}".strip()


def positions(r: Reading) -> dict[str, dict[str, int]]:
    """What other seats have said about the side issues: +1 backs, -1 opposes."""
    names = tuple((str(s["id"]), str(s["name"]).lower()) for s in r.view["side_issues"])
    found: dict[str, dict[str, int]] = {}
    for message in r.messages():
        sender = str(message["sender"])
        if sender != r.seat:
            for issue, sign in _stances(str(message["text"]), names):
                found.setdefault(sender, {})[issue] = sign
    return found


@lru_cache(maxsize=4096)
def _stances(text: str, names: tuple[tuple[str, str], ...]) -> tuple[tuple[str, int], ...]:
    """The side issues a text backs (+1) or opposes (-1): parsed once per text, since every
    decision rereads the same messages."""
    out: list[tuple[str, int]] = []
    for sentence in text.lower().split("."):
        sentence = sentence.strip()
        sign = 1 if sentence.startswith("we back ") else -1 if sentence.startswith("we oppose ") else 0
        if sign:
            out.extend((issue, sign) for issue, name in names if name in sentence)
    return tuple(out)


def demands(r: Reading, conditions_only: bool = False) -> dict[str, dict[str, int]]:
    """The wording other seats have said the text needs, as levels: “on P, the text should
    say W” in a statement, or “P would have to say W” in an answer (with `conditions_only`,
    only the answers: what a seat made its yes depend on)."""
    wordings = tuple(
        (str(p["name"]).lower(), str(level).lower(), str(p["id"]), i)
        for p in r.view["draft"]["provisions"]
        for i, level in enumerate(p["levels"])
    )
    found: dict[str, dict[str, int]] = {}
    for message in r.messages():
        sender = str(message["sender"])
        if sender == r.seat or message["to"] not in ("public", r.seat):
            continue
        for pid, level, condition in _wanted(str(message["text"]), wordings):
            if condition or not conditions_only:
                found.setdefault(sender, {})[pid] = level
    return found


@lru_cache(maxsize=4096)
def _wanted(text: str, wordings: tuple[tuple[str, str, str, int], ...]) -> tuple[tuple[str, int, bool], ...]:
    """The levels a text says the draft needs, and whether each is a condition ("would have to
    say") rather than a wish ("should say"); parsed once per text."""
    lowered = text.lower()
    out: list[tuple[str, int, bool]] = []
    for name, wording, pid, level in wordings:
        condition = f"{name} would have to say “{wording}”" in lowered
        if condition or f"{name}, the text should say “{wording}”" in lowered:
            out.append((pid, level, condition))
    return tuple(out)


def message_key(message: dict[str, Any]) -> int:
    return int(message["number"])
