"""The balance figures of every shipped scenario, as Markdown, from one command:

    python3 -m simulation.balance_report                          # print them
    python3 -m simulation.balance_report --write docs/game-design.md

`--write` replaces what lies between the two marker lines of the file (the figures it wrote
last time). The figures are those the balance tests check: the same seeds, the same games.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scenarios import list_scenarios
from simulation.balance import (
    BALANCE_GAMES,
    BALANCE_SEED,
    FIDELITY_ABLATIONS,
    FIDELITY_GAMES,
    FIDELITY_SCENARIO,
    Balance,
    ablated_rows,
    adoption,
)
from simulation.summary import GameRow
from simulation.tally import VOTE_CAUSES, merge

BEGIN = "<!-- balance figures: begin (python3 -m simulation.balance_report --write docs/game-design.md) -->"
END = "<!-- balance figures: end -->"


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def scenario_section(balance: Balance) -> list[str]:
    """One scenario's figures: adoption, by quartile, first places, votes, trading, bots."""
    scenario = balance.scenario
    quartile = " · ".join(_pct(q) for q in balance.adoption_by_quartile)
    causes = balance.votes_by_cause
    total = merge(r.tally for r in balance.reference)
    pledges, broken = total.get("pledges", 0), total.get("pledges_broken", 0)
    offers = total.get("offers", 0) or 1
    kinds = sorted(total.get("offers_by_kind", {}).items(), key=lambda kv: (-kv[1], kv[0]))
    vetoes = total.get("vetoes", {})
    lines = [
        f"### {scenario.title} (`{scenario.id}`, {scenario.decision_rule.replace('_', ' ')})",
        "",
        f"- Adoption: **{_pct(balance.adoption)}**; by quartile of the hidden ripeness draw, lowest first: {quartile}.",
        "- Votes: "
        + ", ".join(f"{c} {causes[c]}" for c in VOTE_CAUSES)
        + (f"; vetoes: {', '.join(f'{s} {n}' for s, n in sorted(vetoes.items()))}" if vetoes else "")
        + ".",
        f"- Side issues ended otherwise than their outlook at the start in {_pct(balance.side_issues_moved)} of games.",
        f"- Pledges: {pledges} made, {broken} broken ({_pct(broken / pledges) if pledges else 'n/a'}). "
        f"Offers by kind: " + ", ".join(f"{k} {_pct(n / offers)}" for k, n in kinds[:6]) + ".",
        f"- The sponsor ({balance.sponsor}) as the entrepreneur scores {balance.hasty_margin:+.1f} against the "
        f"hasty bot in its seat (adoption with the hasty bot: {_pct(balance.hasty_adoption)}).",
        "",
        "| seat | bot | first place (standing) | first place (score) | mean score | character − random |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for seat in scenario.seat_ids:
        mean = sum(r.scores[seat] for r in balance.reference) / len(balance.reference)
        lines.append(
            f"| {seat} | {balance.lineup[seat]} | {_pct(balance.first_place[seat])} | "
            f"{_pct(balance.first_place_by_score[seat])} | {mean:.1f} | {balance.character_margin[seat]:+.1f} |"
        )
    lines.append("")
    return lines


def _fidelity_row(label: str, rows: list[GameRow]) -> str:
    voted = [r for r in rows if r.votes]
    lost = sum(r.lost_to_politicisation for r in voted) / len(voted) if voted else 0.0
    moved = sum(r.side_issues_moved > 0 for r in rows) / len(rows)
    pledges = sum(r.tally.get("pledges", 0) for r in rows) / len(rows)
    return f"| {label} | {_pct(adoption(rows))} | {lost:.2f} | {_pct(moved)} | {pledges:.1f} |"


def fidelity_section(reference: list[GameRow], games: int, seed: int) -> list[str]:
    """The article's case with each mechanic the fidelity tests switch off, against the same seeds."""
    lines = [
        f"### Fidelity: {FIDELITY_SCENARIO} with one mechanic switched off ({games} games each, same seeds)",
        "",
        "| condition | adoption | votes lost to politicisation per voted game | side issues moved | pledges a game |",
        "|---|---:|---:|---:|---:|",
        _fidelity_row("all mechanics", reference[:games]),
    ]
    for mechanic in FIDELITY_ABLATIONS:
        lines.append(_fidelity_row(f"no {mechanic.replace('_', ' ')}", ablated_rows(mechanic, games, seed)))
    lines.append("")
    return lines


def report(games: int = BALANCE_GAMES, seed: int = BALANCE_SEED) -> str:
    """Every shipped scenario's figures, with the command and the run that made them."""
    lines = [
        BEGIN,
        "",
        f"Figures from `python3 -m simulation.balance_report --write docs/game-design.md`: {games} seeded games "
        f"per scenario and condition (run seed {seed}), the reference lineup (`--bots auto`); the random bot "
        "rotating through the seats (character − random compares each seat's games with the random bot with "
        "the reference games of the same seeds); the hasty bot in the sponsor's seat. First place is by "
        "standing (see Scores); ties go to the seat listed first.",
        "",
    ]
    for name in list_scenarios():
        balance = Balance(name, games=games, seed=seed)
        lines += scenario_section(balance)
        if name == FIDELITY_SCENARIO:
            lines += fidelity_section(balance.reference, min(games, FIDELITY_GAMES), seed)
    lines.append(END)
    return "\n".join(lines)


def write(path: Path, text: str) -> None:
    """Put the figures between the markers of a file (at its end if it has none yet)."""
    current = path.read_text(encoding="utf-8")
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        updated = head + text + tail
    else:
        updated = current.rstrip() + "\n\n" + text + "\n"
    path.write_text(updated, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", metavar="FILE", help="replace the figures between the markers in FILE")
    parser.add_argument("--games", type=int, default=BALANCE_GAMES)
    parser.add_argument("--seed", type=int, default=BALANCE_SEED)
    args = parser.parse_args(argv)
    text = report(args.games, args.seed)
    if args.write:
        write(Path(args.write), text)
        print(f"wrote the balance figures into {args.write}", file=sys.stderr)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
