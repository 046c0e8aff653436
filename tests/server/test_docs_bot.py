"""The complete bot in docs/bots.md runs as written, against a real server, to the game's end."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

from arena_client import GameClient, create_game

DOC = Path(__file__).resolve().parents[2] / "docs" / "bots.md"


def the_bot() -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert blocks, "docs/bots.md has no python block"
    return str(blocks[0])


def test_the_documented_bot_is_under_forty_lines() -> None:
    assert len(the_bot().strip().splitlines()) < 40


async def test_the_documented_bot_plays_a_whole_game(server: str, tmp_path: Path) -> None:
    script = tmp_path / "lobbyist.py"
    script.write_text(the_bot(), encoding="utf-8")
    base = f"http://{server}"
    created = await create_game(base, "classroom-quick", 12)
    facilitator = await GameClient.connect(base, created["game"], created["facilitator_token"])
    for seat in created["join_codes"]:
        if seat != "south_africa":
            await facilitator.control("bot", seat=seat, strategy="broker")
    await facilitator.control("start")
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(script), base, created["join_codes"]["south_africa"],
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    _, err = await asyncio.wait_for(process.communicate(), 240)
    assert process.returncode == 0, err.decode()
    turn = await facilitator.ask()
    assert turn.is_over
    await facilitator.close()
