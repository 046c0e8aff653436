"""A flooder in a process of its own, so its work does not slow the client a test measures:
`python -m tests.reliability.flood ADDRESS SECONDS '<json>'`, the JSON a list of
`[game, token, connections]`. Each connection says hello and sends pings as fast as the
socket takes them, reading nothing but what it must; a closed connection opens again. It
prints one JSON line: frames sent, answers by type and code, connections refused and reopened,
and how long it lasted."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from collections import Counter
from typing import Any

import websockets

from server import wire


async def _flood(address: str, game: str, token: str, until: float, tally: Counter[str]) -> None:
    while time.monotonic() < until:
        try:
            async with websockets.connect(f"ws://{address}/ws", subprotocols=[wire.JSON]) as socket:  # type: ignore[list-item]
                await socket.send(json.dumps({"type": "hello", "game": game, "token": token, "last_seq": 0}))
                greeting = json.loads(await socket.recv())
                tally[f"hello:{greeting.get('code', greeting['type'])}"] += 1
                if greeting["type"] != "welcome":
                    await asyncio.sleep(0.05)
                    continue
                reader = asyncio.create_task(_read(socket, tally))
                try:
                    while time.monotonic() < until:
                        await socket.send('{"type": "ping", "id": "flood"}')
                        tally["sent"] += 1
                        if tally["sent"] % 64 == 0:
                            await asyncio.sleep(0)
                finally:
                    reader.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await reader
        except (OSError, websockets.WebSocketException):
            tally["reopened"] += 1
            await asyncio.sleep(0.01)


async def _read(socket: Any, tally: Counter[str]) -> None:
    async for frame in socket:
        message = json.loads(frame)
        tally[message.get("code", message["type"])] += 1


async def main(address: str, seconds: float, targets: list[tuple[str, str, int]]) -> None:
    tally: Counter[str] = Counter()
    started = time.monotonic()
    floods = [
        _flood(address, game, token, started + seconds, tally) for game, token, count in targets for _ in range(count)
    ]
    await asyncio.gather(*floods)
    # A send held up by a server that stopped reading ends after the deadline: answers are
    # counted until the last connection closed, so that is how long the flood lasted.
    tally["elapsed_ms"] = round((time.monotonic() - started) * 1000)
    print(json.dumps(tally), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2]), [tuple(t) for t in json.loads(sys.argv[3])]))
