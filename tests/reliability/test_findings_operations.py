"""Issue 9, findings 10, 11, 12 (the room cache), 13 (codes, seats, expiry, who may create
games) and 14: what an operator meets running `normarena serve`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest
import redis
from websockets.sync.client import connect

from server import hub, keys, wire
from server.embedded_redis import free_port
from server.settings import Settings
from tests.reliability.harness import ROOT, Player, create_game, started
from tests.server.conftest import running


@contextlib.contextmanager
def serving(*flags: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`normarena serve` with these flags on a free port, until it answers /readyz."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "normarena", "serve", "--port", str(port), *flags],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    address = f"127.0.0.1:{port}"
    try:
        for _ in range(300):
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://{address}/readyz", timeout=1).status_code == 200:
                    break
            time.sleep(0.05)
        yield address, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _redis_child(process: subprocess.Popen[bytes]) -> psutil.Process:
    (child,) = [c for c in psutil.Process(process.pid).children(recursive=True) if "redis" in c.name()]
    return child


def _gone(child: psutil.Process, within: float = 5.0) -> bool:
    with contextlib.suppress(psutil.NoSuchProcess):
        child.wait(timeout=within)
    return not child.is_running() or child.status() == psutil.STATUS_ZOMBIE


async def test_serve_keeps_its_games_in_its_data_folder_and_its_redis_ends_with_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with serving("--data-dir", str(data)) as (address, process):
        created = await create_game(address)
        facilitator = await started(address, created)
        await facilitator.close()
        child = _redis_child(process)
        assert not child.net_connections(kind="inet"), "the embedded Redis listens on TCP"
        process.terminate()
        process.wait(timeout=15)
        assert _gone(child), "SIGTERM of serve left its redis-server running"
    with serving("--data-dir", str(data)) as (address, process):
        again = Player([address], created["game"], created["facilitator_token"], wire.JSON)
        welcome = await again.connect()
        assert welcome["type"] == "welcome" and welcome["view"]["phase"] == "negotiate", "the game was lost"
        await again.close()
        child = _redis_child(process)
        process.kill()
        process.wait()
        assert _gone(child), "kill -9 of serve left its redis-server running"
    assert data.exists()
    with serving("--data-dir", str(data)) as (address, _):
        again = Player([address], created["game"], created["facilitator_token"], wire.JSON)
        assert (await again.connect())["type"] == "welcome", "the folder was not usable after a crash"
        await again.close()


def test_serve_on_a_port_in_use_says_so_and_exits() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        try:
            done = subprocess.run(
                [sys.executable, "-m", "normarena", "serve", "--port", str(port), "--redis-url", "redis://127.0.0.1:1"],
                cwd=ROOT,
                capture_output=True,
                timeout=20,
            )
        except subprocess.TimeoutExpired:
            pytest.fail("serve kept running on a port in use")
    assert done.returncode != 0
    said = done.stderr.decode().strip()
    assert "in use" in said and len(said.splitlines()) == 1, said


def test_serve_with_an_unreachable_redis_says_so_and_exits() -> None:
    unused = free_port()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "normarena",
            "serve",
            "--port",
            str(free_port()),
            "--redis-url",
            f"redis://127.0.0.1:{unused}",
        ],
        cwd=ROOT,
        capture_output=True,
        timeout=30,
    )
    said = done.stderr.decode().strip()
    assert done.returncode != 0 and "Redis" in said and "Traceback" not in said, said


@pytest.mark.parametrize("command", ["bot", "tournament"])
def test_the_bot_commands_say_in_one_sentence_that_the_server_cannot_be_reached(command: str) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    arguments = ["--code", "ABCDEF"] if command == "bot" else ["--scenario", "classroom-quick", "--games", "1"]
    done = subprocess.run(
        [sys.executable, "-m", "normarena", command, "--url", url, *arguments, *(["--quiet"] * (command != "bot"))],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    said = done.stderr.decode().strip()
    assert done.returncode == 1 and "Traceback" not in said and "cannot reach" in said, said


def test_the_image_carries_every_package_the_project_installs() -> None:
    copied = {
        line.split()[1].rstrip("/")
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.startswith("COPY ")
    }
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {name.rstrip("*") for name in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert packages, "pyproject.toml names no packages"
    assert packages <= copied, f"the Dockerfile leaves out {sorted(packages - copied)}"


async def test_guessing_join_codes_is_limited_and_one_code_seats_a_dozen_at_most(redis_url: str) -> None:
    async with running(Settings(redis_url=redis_url, port=0)) as address:
        created = await create_game(address)
        async with httpx.AsyncClient(timeout=30) as http:
            guesses = [
                (await http.post(f"http://{address}/api/join", json={"code": f"ZZZZ{i:02d}"})).status_code
                for i in range(60)
            ]
            assert guesses.count(429) >= 20 and 404 in guesses, guesses
            assert guesses[-10:] == [429] * 10, "guesses go on being answered"
        async with running(Settings(redis_url=redis_url, port=0)) as other, httpx.AsyncClient(timeout=30) as http:
            code = next(iter(created["join_codes"].values()))
            answers = [
                (await http.post(f"http://{other}/api/join", json={"code": code})).status_code for _ in range(14)
            ]
        assert answers[:12] == [200] * 12 and answers[12:] == [409, 409], answers


async def test_games_nobody_touches_expire_with_their_codes(redis_url: str) -> None:
    async with running(Settings(redis_url=redis_url, port=0, game_idle_days=2 / 86_400)) as address:
        created = await create_game(address)
        client = redis.Redis.from_url(redis_url)
        assert client.exists(keys.state(created["game"]))
        await asyncio.sleep(3.0)
        left = [k for k in client.scan_iter(f"{keys.PREFIX}:*") if created["game"].encode() in k]
        codes = [k for k in client.scan_iter(f"{keys.PREFIX}:code:*")]
        client.close()
        assert not left and not codes, f"an idle game left {left + codes}"
        async with httpx.AsyncClient(timeout=30) as http:
            code = next(iter(created["join_codes"].values()))
            assert (await http.post(f"http://{address}/api/join", json={"code": code})).status_code == 404


async def test_off_loopback_only_the_operator_creates_games(redis_url: str) -> None:
    settings = Settings(redis_url=redis_url, port=0, host="0.0.0.0", operator_token="sesame-sesame")
    async with running(settings) as address, httpx.AsyncClient(timeout=30) as http:
        body = {"scenario": "classroom-quick", "seed": 1}
        anyone = await http.post(f"http://{address}/api/games", json=body)
        wrong = await http.post(f"http://{address}/api/games", json=body, headers={"Authorization": "Bearer nope"})
        operator = await http.post(
            f"http://{address}/api/games", json=body, headers={"Authorization": "Bearer sesame-sesame"}
        )
    assert (anyone.status_code, wrong.status_code, operator.status_code) == (401, 401, 201)
    assert anyone.json()["error"] == "operator_required"


async def test_a_worker_forgets_games_nobody_uses(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hub, "MAINTENANCE_SECONDS", 0.2)
    monkeypatch.setattr(hub, "IDLE_ROOM_SECONDS", 0.5)
    async with running(Settings(redis_url=redis_url, port=0)) as address:
        for seed in range(5):
            created = await create_game(address, seed=seed)
            facilitator = await started(address, created)
            await facilitator.close()

        async def cached() -> float:
            async with httpx.AsyncClient(timeout=30) as http:
                text = (await http.get(f"http://{address}/metrics")).text
            line = next(x for x in text.splitlines() if x.startswith("normarena_games"))
            return float(line.split()[-1])

        assert await cached() == 5
        for _ in range(50):
            if await cached() == 0:
                break
            await asyncio.sleep(0.1)
        assert await cached() == 0, "a worker keeps every game it touched"


def test_serve_sends_a_frame_right_after_another_without_waiting_for_the_clients_ack(redis_url: str) -> None:
    """An ack follows its events frame, an error precedes a pong: a server socket without
    TCP_NODELAY holds the second frame until the client's delayed ACK, about 40 ms."""
    with (
        serving("--redis-url", redis_url) as (address, _),
        connect(
            f"ws://{address}/ws",
            subprotocols=[wire.JSON],  # type: ignore[list-item]
        ) as client,
    ):
        took = []
        for index in range(25):  # 50 frames: within the burst a connection has before hello
            started = time.monotonic()
            client.send("not json")
            client.send(json.dumps({"type": "ping", "id": str(index)}))
            while json.loads(client.recv(5))["type"] != "pong":
                pass
            took.append(time.monotonic() - started)
    assert statistics.median(took) < 0.015, f"two frames in a row take {statistics.median(took) * 1000:.1f} ms"
