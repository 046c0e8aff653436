"""The JavaScript example bot (examples/node-bot), written from the published protocol alone,
plays a seat of classroom-quick to the end against reference bots run by the server."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from server import wire
from tests.server.client import Client, new_game

BOT_DIR = Path(__file__).resolve().parents[2] / "examples" / "node-bot"
NODE = shutil.which("node")

pytestmark = [
    pytest.mark.skipif(NODE is None, reason="node is not installed (the example bot needs Node 20)"),
    pytest.mark.skipif(
        not (BOT_DIR / "node_modules").is_dir(),
        reason="examples/node-bot/node_modules is missing: run `npm ci` in examples/node-bot",
    ),
]


async def test_the_node_bot_plays_a_seat_to_the_end(server: str) -> None:
    assert NODE is not None
    created = await new_game(server, "classroom-quick", seed=5, clock="bots")
    facilitator = await Client.connect(server, wire.JSON)
    try:
        await facilitator.hello(created["game"], created["facilitator_token"])
        for seat in created["join_codes"]:
            if seat != "msf":
                answer = await facilitator.request(
                    {"type": "control", "command": "bot", "seat": seat, "strategy": "broker"}
                )
                assert answer["type"] == "ack", answer
        started = await facilitator.act({"type": "start_game"})
        assert started["type"] == "ack", started

        process = await asyncio.create_subprocess_exec(
            NODE,
            str(BOT_DIR / "bot.js"),
            f"http://{server}",
            created["join_codes"]["msf"],
            "node bot",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(), 180)
        except TimeoutError:
            process.kill()
            stdout, stderr = await process.communicate()
            pytest.fail(f"the node bot did not finish in 180 s\nstdout: {stdout.decode()}\nstderr: {stderr.decode()}")
        assert process.returncode == 0, f"exit {process.returncode}\nstderr: {stderr.decode()}"

        summary = json.loads(stdout.decode().strip().splitlines()[-1])
        assert summary["seat"] == "msf" and summary["phase"] == "ended", summary
        assert summary["outcome"], summary

        final, _ = await facilitator.turn()
        assert final["phase"] == "ended", final["phase"]
        assert final["outcome"] == summary["outcome"]
    finally:
        await facilitator.close()
