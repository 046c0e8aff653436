"""The load benchmark's quickest run against a real server (real Redis, `normarena serve` in
its own process, client processes over real websockets): it must deliver every public event
to every client exactly once and in order, and drop nobody. Speed is never asserted here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 28.0  # each run takes about 10 s; the two stay under a minute together


def run_check(workers: int) -> dict[str, Any]:
    """The benchmark's delivery check, in its own process; its rows by key."""
    command = [sys.executable, "-m", "bench.server_load", "--quick", "--only", "check", "--json"]
    process = subprocess.Popen(
        [*command, "--workers", str(workers)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.terminate()  # SIGTERM: the benchmark stops its Redis, servers and clients first
        out, err = process.communicate(timeout=30)
        pytest.fail(f"the check took over {TIMEOUT:.0f} s:\n{err[-3000:]}")
    assert process.returncode == 0, err[-3000:]
    report: dict[str, Any] = json.loads(out)
    return {row["key"]: row for row in report["figures"]}


@pytest.mark.parametrize("workers", [1, 2])
def test_every_client_gets_every_public_event_once_in_order_and_nobody_is_dropped(workers: int) -> None:
    rows = run_check(workers)
    assert "check.failed" in rows, f"the check did not run: {rows}"
    assert rows["check.acked"]["value"] > 0, rows["check.acked"]
    for key in ("check.missing", "check.duplicates", "check.out_of_order", "check.dropped", "check.failed"):
        assert rows[key]["value"] == 0, rows[key]
