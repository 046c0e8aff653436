"""Settings from the environment: every limit may be set as NORMARENA_ and its name."""

from __future__ import annotations

import subprocess
import sys

import pytest

from server.settings import Settings


def test_every_limit_may_be_set_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMARENA_RATE_PER_SECOND", "45.5")
    monkeypatch.setenv("NORMARENA_CONNECTIONS_PER_ADDRESS", "2048")
    monkeypatch.setenv("NORMARENA_GAME_IDLE_DAYS", "3")
    settings = Settings.from_env(port=9000)
    assert (settings.rate_per_second, settings.connections_per_address, settings.game_idle_days) == (45.5, 2048, 3.0)
    assert settings.port == 9000 and settings.address_rate_per_second == Settings.address_rate_per_second


def test_a_limit_that_is_not_a_number_is_named_in_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMARENA_SEND_QUEUE", "lots")
    with pytest.raises(ValueError, match="NORMARENA_SEND_QUEUE must be a number, not 'lots'"):
        Settings.from_env()
    done = subprocess.run(
        [sys.executable, "-m", "normarena", "serve", "--port", "0"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == "normarena serve: NORMARENA_SEND_QUEUE must be a number, not 'lots'."
    assert "Traceback" not in done.stderr
