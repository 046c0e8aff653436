"""`normarena serve`: start Redis if none is given, then the server on uvicorn."""

from __future__ import annotations

import dataclasses
import sys
import warnings

import uvicorn

from server.app import create_app
from server.embedded_redis import EmbeddedRedis
from server.settings import Settings


def serve(settings: Settings) -> int:
    """Run the server until interrupted; with no Redis address, on an embedded real Redis."""
    embedded = None
    if not settings.redis_url:
        embedded = EmbeddedRedis().start()
        settings = dataclasses.replace(settings, redis_url=embedded.url)
        print(f"No Redis address given: started an embedded Redis server at {embedded.url}", file=sys.stderr)
    base = f"http://{settings.host}:{settings.port}"
    print(f"Norm Arena is serving at {base}/  (websocket: ws://{settings.host}:{settings.port}/ws)", file=sys.stderr)
    print(
        f"Create a game:  curl -s -X POST {base}/api/games -d "
        '\'{"scenario": "classroom-quick", "seed": 1, "clock": "classroom"}\'',
        file=sys.stderr,
    )
    warnings.filterwarnings("ignore", message=".*`websockets` implementation is deprecated", category=UserWarning)
    try:
        uvicorn.run(
            create_app(settings),
            host=settings.host,
            port=settings.port,
            # The websockets implementation waits for the socket to drain before writing more, so a
            # client that stops reading blocks its writer and the bounded send queue drops it.
            ws="websockets",
            ws_max_size=settings.hard_frame_bytes,
            # Frames are patches of a few hundred bytes: compressing them cost more than it saved
            # (bench/README.md), and each compressor holds ~300 KB per connection.
            ws_per_message_deflate=False,
            loop="uvloop",
            http="httptools",
            log_level="warning",
        )
    finally:
        if embedded is not None:
            embedded.stop()
    return 0
