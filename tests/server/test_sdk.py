"""The Python client, `normarena bot` and `normarena tournament`, against a real server."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest

from arena_client import GameClient, ServerError, create_game, join
from arena_client.runner import run_tournament
from bots import parse_lineup
from scenarios import load_scenario, scenario_path
from simulation.summary import run_games


async def test_a_tournament_on_the_server_matches_the_local_simulator(server: str) -> None:
    base = f"http://{server}"
    spec = "norway=entrepreneur,*=random"
    remote = await run_tournament(base, "classroom-quick", 3, spec, seed=7)
    scenario = load_scenario("classroom-quick")
    lineup = parse_lineup(spec, scenario)
    local = list(run_games(scenario, 3, 7, lambda i: lineup))
    assert [r.scores for r in remote] == [r.scores for r in local]
    assert [r.outcome for r in remote] == [r.outcome for r in local]
    again = await run_tournament(base, "classroom-quick", 3, spec, seed=7)
    assert [r.scores for r in again] == [r.scores for r in remote]


async def test_the_client_resumes_after_a_dropped_connection_without_gap_or_duplicate(server: str) -> None:
    base = f"http://{server}"
    created = await create_game(base, "classroom-quick", 2)
    facilitator = await GameClient.connect(base, created["game"], created["facilitator_token"])
    await facilitator.control("start")
    game, _seat, token = await join(base, created["join_codes"]["norway"], "Ingrid")
    client = await GameClient.connect(base, game, token)
    speaker_game, _, speaker_token = await join(base, created["join_codes"]["china"])
    speaker = await GameClient.connect(base, speaker_game, speaker_token)
    await speaker.act({"type": "send_message", "to": "public", "text": "before"})
    await client.next_events(10)
    await client.drop()
    await speaker.act({"type": "send_message", "to": "public", "text": "while away"})
    turn = await client.ask()  # resumes underneath
    assert [m["text"] for m in turn.view["messages"]] == ["before", "while away"]
    seen: list[int] = []
    while not client.events.empty():
        batch = client.events.get_nowait()
        seen.extend(e["seq"] for e in batch.get("events", [batch]))
    assert len(seen) == len(set(seen))
    with pytest.raises(ServerError) as refused:
        await client.act({"type": "close_phase"})
    assert refused.value.code == "not_facilitator"
    for c in (client, speaker, facilitator):
        await c.close()


async def test_the_bot_command_plays_a_seat_to_the_end(server: str) -> None:
    base = f"http://{server}"
    created = await create_game(base, "classroom-quick", 5)
    facilitator = await GameClient.connect(base, created["game"], created["facilitator_token"])
    for seat in created["join_codes"]:
        if seat != "nupi":
            await facilitator.control("bot", seat=seat, strategy="broker")
    await facilitator.control("start")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "normarena", "bot", "--url", base, "--code", created["join_codes"]["nupi"],
        "--strategy", "entrepreneur",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 240)
    assert process.returncode == 0, err.decode()
    summary = json.loads(out.decode().strip().splitlines()[-1])
    assert summary["seat"] == "nupi" and summary["outcome"] in ("adopted", "round_limit", "window_closed")
    await facilitator.close()


async def test_the_bot_command_says_why_a_bad_code_fails(server: str) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "normarena", "bot", "--url", f"http://{server}", "--code", "NOPE99",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1 and "unknown_code" in err.decode()


@pytest.mark.slow
async def test_a_tournament_of_twenty_classroom_games_between_two_strategies(redis_url: str) -> None:
    from tests.server.test_workers import worker_process

    with worker_process(redis_url) as (address, _):  # `normarena serve`, as the README starts it
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "normarena", "tournament", "--url", f"http://{address}", "--scenario",
            "classroom-quick", "--games", "20", "--bots", "norway=entrepreneur,nupi=entrepreneur,*=broker",
            "--seed", "3", "--json", "--quiet",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(process.communicate(), 600)
    assert process.returncode == 0, err.decode()
    summary = json.loads(out)
    assert summary["games"] == 20 and set(summary["by_strategy"]) == {"entrepreneur", "broker"}
    assert summary["by_strategy"]["broker"]["n"] == 20 * 4
    assert 0.0 <= summary["adoption_rate"] <= 1.0
    assert all(stat["ci95"] is not None for stat in summary["by_seat"].values())


async def test_a_tournament_plays_a_scenario_file_uploaded_with_each_game(server: str, tmp_path: Path) -> None:
    """`tournament --scenario PATH` sends the file with each game: the server plays exactly it."""
    text = (Path(scenario_path("classroom-quick"))).read_text(encoding="utf-8")
    mine = tmp_path / "my-class.toml"
    mine.write_text(text.replace("Integrated Missions in 45 Minutes", "Our own class"), encoding="utf-8")
    remote = await run_tournament(f"http://{server}", str(mine), 2, "auto", seed=11)
    scenario = load_scenario(str(mine))
    local = list(run_games(scenario, 2, 11, lambda i: parse_lineup("auto", scenario)))
    assert [r.scores for r in remote] == [r.scores for r in local]


async def test_an_uploaded_scenario_that_is_not_valid_is_refused_with_its_problems(server: str) -> None:
    base = f"http://{server}"
    with pytest.raises(ServerError) as refused:
        await create_game(base, "", 1, scenario_toml='title = "half a scenario"\n')
    assert refused.value.code == "invalid_scenario" and "upload" in refused.value.message
    with pytest.raises(ServerError) as broken:
        await create_game(base, "", 1, scenario_toml="this is [not toml")
    assert broken.value.code == "invalid_scenario" and "TOML" in broken.value.message
