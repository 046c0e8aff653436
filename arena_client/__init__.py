"""A small async client for Norm Arena's game server: for bots, tools and tests.

    from arena_client import GameClient, join

    game, seat, token = await join("http://127.0.0.1:8000", "K7QX2M", "my bot")
    async with await GameClient.connect("http://127.0.0.1:8000", game, token) as client:
        turn = await client.ask()                      # view, legal actions, version
        await client.act(turn.legal[0].action)         # acknowledged, or ServerError(code, message)

See docs/bots.md for a whole bot in a few lines, and `arena_client.runner` to run one.
"""

from arena_client.client import GameClient, ServerError, Turn, create_game, export_game, join

__all__ = ["GameClient", "ServerError", "Turn", "create_game", "export_game", "join"]
