"""Rows of figures: each a measurement, the baseline it is compared with (measured in the same
run), and their ratio; medians over runs; a readable table and JSON."""

from __future__ import annotations

import math
import statistics
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Row:
    """One figure against one baseline; `ratio` is measured / baseline."""

    key: str
    label: str
    value: float
    unit: str
    against: str = ""
    baseline: float | None = None
    note: str = ""
    worst: bool = False  # a count of failures: summarised by the worst run, not the median

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or not self.baseline or math.isnan(self.baseline) or math.isnan(self.value):
            return None
        return self.value / self.baseline


@dataclass
class Merged:
    """A row's medians over runs, with every run's value kept."""

    key: str
    label: str
    unit: str
    against: str
    value: float
    baseline: float | None
    ratio: float | None
    summary: str = "median"  # of the runs: "median", or "worst" for counts of failures
    values: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _median(values: list[float]) -> float:
    clean = [v for v in values if not math.isnan(v)]
    return statistics.median(clean) if clean else float("nan")


def merge(runs: list[list[Row]]) -> list[Merged]:
    """Medians per row key over runs: of the values, of the baselines, and of each run's ratio
    (each run's figure is divided by that run's own baseline before the median is taken)."""
    order: list[str] = []
    by_key: dict[str, list[Row]] = {}
    for rows in runs:
        for row in rows:
            if row.key not in by_key:
                order.append(row.key)
            by_key.setdefault(row.key, []).append(row)
    merged = []
    for key in order:
        rows = by_key[key]
        baselines = [r.baseline for r in rows if r.baseline is not None]
        ratios = [r.ratio for r in rows if r.ratio is not None]
        tagged = [f"run {n}: {r.note}" if len(rows) > 1 else r.note for n, r in enumerate(rows, 1) if r.note]
        notes = list(dict.fromkeys(tagged))
        values = [r.value for r in rows]
        worst = rows[0].worst
        merged.append(
            Merged(
                key=key,
                label=rows[0].label,
                unit=rows[0].unit,
                against=rows[0].against,
                value=max(values) if worst else _median(values),
                summary="worst" if worst else "median",
                baseline=_median(baselines) if baselines else None,
                ratio=_median(ratios) if ratios else None,
                values=values,
                ratios=ratios,
                notes=notes,
            )
        )
    return merged


def number(value: float | None, unit: str = "") -> str:
    """A figure for people: three significant digits or so, and its unit."""
    if value is None or math.isnan(value):
        return "n/a"
    magnitude = abs(value)
    if magnitude >= 100 or value == int(value):
        text = f"{value:,.0f}"
    elif magnitude >= 10:
        text = f"{value:.1f}"
    elif magnitude >= 1:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3f}"
    return f"{text} {unit}".strip()


def spread(row: Merged) -> str:
    """Every run's value when there were several: how noisy the figure is."""
    if len(row.values) < 2:
        return ""
    shown = [number(v) for v in row.values]
    return ("worst of " if row.summary == "worst" else "") + " / ".join(shown)


def table(merged: list[Merged]) -> str:
    """The rows as an aligned text table: figure, measured (the median of the runs, or the worst
    for counts of failures), each run's value, the baseline (what and how much), the ratio."""
    header = ("figure", "measured", "runs", "against (same run)", "baseline", "ratio")
    lines = [header]
    for row in merged:
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else ""
        baseline = number(row.baseline, row.unit) if row.baseline is not None else ""
        lines.append((row.label, number(row.value, row.unit), spread(row), row.against, baseline, ratio))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    notes = [(row.label, note) for row in merged for note in row.notes]
    if notes:
        out.append("")
        out.extend(f"- {label}: {note}" for label, note in notes)
    return "\n".join(out)


def as_json(merged: list[Merged], setup: dict[str, Any]) -> dict[str, Any]:
    """Everything, for machines: the setup and each row with its per-run values."""
    return {"setup": setup, "figures": [asdict(m) for m in merged]}
