"""Generated hostile input (issue 9, findings 7 and 8, and "proven by" 3): at least 10,000
websocket frames and 2,000 HTTP requests to every route, while bots play a game alongside.

Every frame is followed by a ping: the connection must answer it (or have said why it closed,
in an error frame, before closing). No answer is an HTTP 500, none carries a traceback, every
refusal has a documented code, the same bad frame gets the same code again, and the game
played alongside ends as its bots played it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import msgpack
import pytest
import redis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from scenarios import load_scenario
from server import keys, wire
from tests.reliability.fuzzing import KNOWN_CODES, bodies, json_frames, msgpack_frames
from tests.reliability.harness import Player, ServerProcess, action_log, create_game, join, redis_server

pytestmark = pytest.mark.slow
FRAMES = 10_000
BATCH = 50
REQUESTS = 2_000
ANSWERS = {"error", "pong", "ack", "turn", "welcome", "events", "status", "view"}
HYPOTHESIS = settings(
    max_examples=FRAMES // BATCH,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@dataclass
class Target:
    """One fuzzed connection, opened again (and greeted again) whenever the server closes it."""

    address: str
    protocol: str
    hello: dict[str, Any] | None = None
    socket: ClientConnection | None = None
    probes: int = 0
    _stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def open(self) -> ClientConnection:
        if self.socket is None:
            self._stack.close()
            self.socket = self._stack.enter_context(
                connect(f"ws://{self.address}/ws", subprotocols=[self.protocol], max_size=2**24)  # type: ignore[list-item]
            )
            # Two small frames back to back: without this, Nagle's algorithm holds the second.
            self.socket.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.hello is not None:
                self.socket.send(self.encode(self.hello))
                assert self.decode(self.socket.recv(10))["type"] == "welcome"
        return self.socket

    def encode(self, message: dict[str, Any]) -> str | bytes:
        packed: bytes = msgpack.packb(message, use_bin_type=True)
        return json.dumps(message) if self.protocol == wire.JSON else packed

    def decode(self, frame: str | bytes) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(frame) if isinstance(frame, str) else msgpack.unpackb(frame, raw=False)
        return message

    def exchange(self, frame: str | bytes) -> list[dict[str, Any]]:
        """Send a frame, then a ping; everything the server sent until the pong (or the close)."""
        connection = self.open()
        self.probes += 1
        probe = f"probe-{self.probes}"
        got: list[dict[str, Any]] = []
        try:
            connection.send(frame)
            connection.send(self.encode({"type": "ping", "id": probe}))
            while True:
                message = self.decode(connection.recv(10))
                got.append(message)
                if message["type"] == "pong" and message.get("id") == probe:
                    return got
        except ConnectionClosed:
            assert got and got[-1]["type"] == "error", f"dropped without an error frame after {frame!r:.300}"
            self.socket = None
            return got
        except TimeoutError:
            raise AssertionError(f"no answer to a ping after {frame!r:.300}") from None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._stack.close()


def _check(frame: str | bytes, answers: list[dict[str, Any]]) -> str:
    """Every answer is a known type; a refusal has a documented code and no traceback. Returns
    the code of the frame's refusal ("" if it was not refused)."""
    code = ""
    for answer in answers:
        assert answer["type"] in ANSWERS, answer
        if answer["type"] == "error":
            assert answer["code"] in KNOWN_CODES, f"undocumented code {answer['code']!r} for {frame!r:.300}"
            assert answer["code"] != "internal_error", f"the server failed on {frame!r:.300}"
            assert "Traceback" not in answer["message"] and 'File "' not in answer["message"]
            code = code or answer["code"]
    return code


@contextlib.contextmanager
def alongside() -> Iterator[tuple[ServerProcess, str, dict[str, Any], dict[str, Any]]]:
    """A server (with its rate limits out of the way: this is about parsing) and two games: one
    played by autopilot bots alongside the fuzzing, one the fuzzer holds a seat in."""
    lifted = {"rate_per_second": 1e6, "rate_burst": 10**6, "address_rate_per_second": 1e6, "address_rate_burst": 10**6}
    with redis_server() as store, ServerProcess(redis_url=store.url, **lifted) as server:
        played, fuzzed = asyncio.run(_games(server.address))
        yield server, store.url, played, fuzzed


async def _games(address: str) -> tuple[dict[str, Any], dict[str, Any]]:
    played = await create_game(address, "classroom-quick", seed=9)
    facilitator = Player([address], played["game"], played["facilitator_token"], wire.JSON)
    await facilitator.connect()
    for seat in load_scenario("classroom-quick").seat_ids:
        answer = await facilitator.request({"type": "control", "command": "bot", "seat": seat, "strategy": "random"})
        assert answer["type"] == "ack", answer
    assert (await facilitator.request({"type": "control", "command": "start"}))["type"] == "ack"
    await facilitator.close()
    fuzzed = await create_game(address, "classroom-quick", seed=10)
    fuzzed["seat_token"] = (await join(address, fuzzed["join_codes"]["norway"]))["token"]
    return played, fuzzed


def test_generated_frames_get_documented_refusals_and_never_cost_a_connection_or_the_game_alongside() -> None:
    started = time.monotonic()
    with alongside() as (server, redis_url, played, fuzzed):
        games = [played["game"], fuzzed["game"], "0" * 16]
        tokens = [played["spectator_token"], fuzzed["seat_token"], fuzzed["facilitator_token"], "x" * 22]
        targets = [
            Target(server.address, wire.JSON),
            Target(server.address, wire.MSGPACK),
            Target(server.address, wire.JSON, {"type": "hello", "game": fuzzed["game"], "token": fuzzed["seat_token"]}),
            Target(server.address, wire.MSGPACK, {"type": "hello", "game": played["game"], "token": tokens[0]}),
        ]
        sent = 0
        frames = st.lists(
            st.tuples(st.integers(0, len(targets) - 1), json_frames(games, tokens) | msgpack_frames(games, tokens)),
            min_size=BATCH,
            max_size=BATCH,
        )

        @HYPOTHESIS
        @given(frames)
        def fuzz(batch: list[tuple[int, str | bytes]]) -> None:
            nonlocal sent
            for index, (which, frame) in enumerate(batch):
                target = targets[which]
                code = _check(frame, target.exchange(frame))
                sent += 1
                if index % 10 == 0 and code and code != "hello_timeout":  # the same frame again: the same code
                    again = _check(frame, target.exchange(frame))
                    assert again == code, f"{frame!r:.200} got {code} then {again}"

        try:
            fuzz()
        finally:
            for target in targets:
                target.close()
        assert sent >= FRAMES
        _the_game_alongside_ended_as_its_bots_played_it(redis_url, played["game"])
    assert time.monotonic() - started < 180, "the fuzzing took too long"


def _the_game_alongside_ended_as_its_bots_played_it(redis_url: str, game: str) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        deadline = time.monotonic() + 60
        while _phase(client, game) != "ended" and time.monotonic() < deadline:
            time.sleep(0.25)
        assert _phase(client, game) == "ended", "the game played alongside did not end"
        seats = set(load_scenario("classroom-quick").seat_ids)
        others = [action for actor, action in action_log(client, game) if actor not in seats]
        assert others == [{"type": "start_game"}], f"someone else acted in the game alongside: {others}"
    finally:
        client.close()


def _phase(client: redis.Redis, game: str) -> str:
    raw = client.hget(keys.state(game), "state")
    return str(msgpack.unpackb(raw, raw=False)["phase"]) if raw else ""


ROUTES_GET = [
    "/healthz", "/readyz", "/metrics", "/api/server", "/api/scenarios", "/asyncapi.json", "/scenario.schema.json",
]  # fmt: skip
GAME_ROUTES = ["/api/games/{}", "/api/games/{}/materials", "/api/games/{}/export"]
printable = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)


def test_generated_requests_to_every_route_get_json_refusals_never_a_500() -> None:
    with alongside() as (server, redis_url, played, fuzzed):
        base = f"http://{server.address}"
        tokens = [played["spectator_token"], fuzzed["facilitator_token"], fuzzed["seat_token"]]
        games = [played["game"], fuzzed["game"]]
        requests = st.one_of(
            st.tuples(st.just("POST"), st.sampled_from(["/api/games", "/api/join"]), bodies(), st.just("")),
            st.tuples(
                st.just("GET"),
                st.builds(
                    lambda route, game, query: route.format(game) + query,
                    st.sampled_from(GAME_ROUTES),
                    st.sampled_from(games) | printable,
                    st.sampled_from(["", "?format=csv", "?format=json"]) | printable.map(lambda q: "?" + q),
                ),
                st.just(b""),
                st.sampled_from(tokens) | printable,
            ),
            st.tuples(
                st.sampled_from(["GET", "POST", "PUT", "DELETE"]), st.sampled_from(ROUTES_GET), bodies(), printable
            ),
        )
        made = 0

        @settings(HYPOTHESIS, max_examples=REQUESTS // 10)
        @given(st.lists(requests, min_size=10, max_size=10))
        def fuzz(batch: list[tuple[str, str, bytes, str]]) -> None:
            nonlocal made
            with httpx.Client(timeout=30) as http:
                for method, path, body, token in batch:
                    token = token.strip()  # a header value may not end in spaces (httpx refuses it)
                    headers = {"Authorization": f"Bearer {token}"} if token else {}
                    response = http.request(method, base + path, content=body, headers=headers)
                    made += 1
                    assert response.status_code < 500, (method, path, body[:200], response.status_code, response.text)
                    assert "Traceback" not in response.text
                    if response.status_code >= 400 and path.startswith("/api/"):
                        if response.status_code in (404, 405) and "json" not in response.headers.get(
                            "content-type", ""
                        ):
                            continue  # no route by that path or method: the router's own answer
                        assert response.json()["error"] in KNOWN_CODES, (path, response.text[:200])

        fuzz()
        assert made >= REQUESTS
        _the_game_alongside_ended_as_its_bots_played_it(redis_url, played["game"])
