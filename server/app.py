"""The starlette application: HTTP routes, the websocket, and the lifespan that owns Redis,
the fan-out hub and the deadline loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.cluster import RedisCluster
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from game_rules import legal_actions, to_plain, view, visible_events
from game_rules.actions import ClosePhase, EndGame, FacilitatorAction, InjectEvent, StartGame
from scenarios import list_scenarios, load_scenario, schema
from server import asyncapi, web, wire
from server.autopilot import Autopilots
from server.connection import Connection, RateLimit, Stage
from server.controls import Controls
from server.export import export_game, participation_csv
from server.hub import Hub, event_record
from server.metrics import CONTENT_TYPE, Metrics
from server.protocol import (
    Ack,
    Ask,
    ClientMessage,
    Control,
    Error,
    Fork,
    Hello,
    LegalEntry,
    Ping,
    Pong,
    Turn,
    Welcome,
)
from server.service import GameService, ServiceError
from server.settings import Settings
from server.store import GameStore

CLIENT_DIR = Path(__file__).resolve().parent.parent / "client_web"
HELLO_TIMEOUT = 10.0


def create_app(settings: Settings) -> Starlette:
    """The server for these settings; Redis must be reachable at `settings.redis_url`."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        client = await connect_redis(settings)
        store = GameStore(client)
        app.state.settings = settings
        app.state.service = GameService(store)
        app.state.hub = Hub(store)
        app.state.metrics = Metrics()
        app.state.autopilots = Autopilots(app.state.service)
        await app.state.autopilots.start()
        await app.state.hub.start()
        deadlines = asyncio.create_task(_deadline_loop(app.state.service, settings))
        try:
            yield
        finally:
            deadlines.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await deadlines
            await app.state.autopilots.stop()
            await app.state.hub.stop()
            await client.aclose()

    routes = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/api/scenarios", scenarios),
        Route("/api/games", create_game, methods=["POST"]),
        Route("/api/join", join, methods=["POST"]),
        Route("/api/games/{game}/export", export, methods=["GET"]),
        Route("/metrics", metrics_endpoint),
        Route("/asyncapi.json", asyncapi_document),
        Route("/scenario.schema.json", scenario_schema),
        WebSocketRoute("/ws", websocket_endpoint),
        Mount("/", web.client(CLIENT_DIR), name="client"),
    ]
    return Starlette(routes=routes, lifespan=lifespan, middleware=web.middleware(CLIENT_DIR))


async def connect_redis(settings: Settings) -> Any:
    """A client for the configured Redis: one server, or a cluster reached through any node."""
    if settings.cluster:
        cluster = RedisCluster.from_url(settings.redis_url)
        await cluster.initialize()
        return cluster
    return aioredis.Redis.from_url(settings.redis_url)


async def _deadline_loop(service: GameService, settings: Settings) -> None:
    while True:
        # A failed tick is tried again at the next one: a deadline is never lost, only late.
        with contextlib.suppress(ServiceError, OSError, aioredis.RedisError):
            await service.close_due_phases(settings.lease_ms)
        await asyncio.sleep(settings.deadline_poll_seconds)


def _error(code: str, message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    try:
        await request.app.state.service.store.redis.ping()
    except (OSError, aioredis.RedisError) as error:
        return _error("redis_unreachable", f"Redis does not answer: {error}", 503)
    return JSONResponse({"status": "ready"})


async def scenarios(request: Request) -> Response:
    out = []
    for name in list_scenarios():
        scenario = load_scenario(name)
        out.append(
            {
                "id": name,
                "title": scenario.title,
                "summary": scenario.summary,
                "rounds": scenario.rounds,
                "decision_rule": scenario.decision_rule,
                "seats": [{"id": s.id, "name": s.name, "kind": s.kind} for s in scenario.seats],
            }
        )
    return JSONResponse(out)


async def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as error:
        raise ServiceError("malformed_request", "The request body must be a JSON object.") from error
    if not isinstance(body, dict):
        raise ServiceError("malformed_request", "The request body must be a JSON object.")
    return body


async def create_game(request: Request) -> Response:
    try:
        body = await _json_body(request)
        seed = body.get("seed", 1)
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise ServiceError("malformed_request", "'seed' must be a whole number.")
        durations = body.get("deadlines") or {}
        if not isinstance(durations, dict) or not all(isinstance(v, int | float) and v > 0 for v in durations.values()):
            raise ServiceError("malformed_request", "'deadlines' maps phases to seconds, e.g. {\"negotiate\": 180}.")
        created = await request.app.state.service.create_game(
            str(body.get("scenario", "")), seed, str(body.get("clock", "classroom")), durations
        )
    except ServiceError as error:
        return _error(error.code, error.message, 400)
    return JSONResponse(
        {
            "game": created.game_id,
            "facilitator_token": created.facilitator_token,
            "spectator_token": created.spectator_token,
            "join_codes": created.join_codes,
        },
        status_code=201,
    )


async def join(request: Request) -> Response:
    try:
        body = await _json_body(request)
        game, seat, token = await request.app.state.service.join(str(body.get("code", "")), str(body.get("name", "")))
    except ServiceError as error:
        return _error(error.code, error.message, 404 if error.code == "unknown_code" else 400)
    return JSONResponse({"game": game, "seat": seat, "token": token})


async def export(request: Request) -> Response:
    """The game's export, for the facilitator's token only (Authorization: Bearer TOKEN)."""
    service: GameService = request.app.state.service
    game = request.path_params["game"]
    token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    try:
        if not await service.store.exists(game):
            raise ServiceError("unknown_game", f"There is no game {game!r}.")
        role = await service.authenticate(game, token)
        if not role.is_facilitator:
            raise ServiceError("not_facilitator", "Only the facilitator's token exports a game.")
    except ServiceError as error:
        status = {"unknown_game": 404, "unauthorised": 401}.get(error.code, 403)
        return _error(error.code, error.message, status)
    exported = await export_game(service.store, game)
    if request.query_params.get("format") == "csv":
        return Response(participation_csv(exported), media_type="text/csv; charset=utf-8")
    return JSONResponse(exported)


async def asyncapi_document(request: Request) -> Response:
    """The published wire: AsyncAPI with JSON Schemas generated from the protocol's types."""
    return JSONResponse(asyncapi.document())


async def scenario_schema(request: Request) -> Response:
    return JSONResponse(schema())


async def metrics_endpoint(request: Request) -> Response:
    hub: Hub = request.app.state.hub
    counters: Metrics = request.app.state.metrics
    counters.connections.set(hub.connections)
    counters.games.set(len(hub.rooms))
    return Response(counters.render(), media_type=CONTENT_TYPE)


async def websocket_endpoint(socket: WebSocket) -> None:
    requested = socket.scope.get("subprotocols") or []
    # No subprotocol asked for (a plain terminal client): the first frame decides, text for
    # JSON, binary for msgpack.
    protocol = next((p for p in requested if p in wire.SUBPROTOCOLS), "")
    await socket.accept(subprotocol=protocol or None)
    settings: Settings = socket.app.state.settings
    service: GameService = socket.app.state.service
    hub: Hub = socket.app.state.hub
    connection = Connection(
        socket, protocol, settings.send_queue, RateLimit(settings.rate_per_second, settings.rate_burst)
    )
    # Reading and writing run side by side; when either ends (the client left, or was too slow
    # to keep up and its writer was cut off), the other is stopped and the connection forgotten.
    pump = asyncio.create_task(connection.pump())
    serve = asyncio.create_task(_serve(connection, service, hub, settings))
    connection.writer = pump
    try:
        await asyncio.wait((pump, serve), return_when=asyncio.FIRST_COMPLETED)
    finally:
        connection.close()
        await hub.leave(connection)
        for task in (serve, pump):
            task.cancel()
        for task in (serve, pump):
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, Exception):
                await task
        if connection.close_code:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(socket.close(code=connection.close_code, reason=connection.close_reason), 1.0)


async def _receive(socket: WebSocket, settings: Settings) -> bytes | str:
    message = await socket.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    raw = message.get("bytes")
    frame: bytes | str = raw if raw is not None else str(message.get("text") or "")
    return frame


async def _serve(connection: Connection, service: GameService, hub: Hub, settings: Settings) -> None:
    counters: Metrics = connection.socket.app.state.metrics
    while connection.stage is not Stage.CLOSED:
        timeout = HELLO_TIMEOUT if connection.stage is Stage.GREETING else None
        try:
            frame = await asyncio.wait_for(_receive(connection.socket, settings), timeout)
        except TimeoutError:
            connection.send(Error(id="", code="hello_timeout", message="Say hello first: no hello came in time."))
            connection.close()
            return
        request_id = ""
        try:
            if len(frame) > settings.max_frame_bytes:
                raise wire.WireError("frame_too_large", f"Frames are limited to {settings.max_frame_bytes} bytes.")
            if not connection.protocol:
                connection.protocol = wire.JSON if isinstance(frame, str) else wire.MSGPACK
            decoded = wire.decode(connection.protocol, frame)
            request_id = str(decoded.get("id", ""))[:100]
            if not connection.rate.allow():
                raise wire.WireError("rate_limited", "Too many messages: slow down and send this again.")
            message = wire.parse(decoded)
            kind = type(message).__name__.lower()
            with counters.latency.labels(kind).time():
                await _handle(connection, message, service, hub)
            counters.requests.labels(kind).inc()
        except (wire.WireError, ServiceError) as error:
            counters.errors.labels(error.code).inc()
            connection.send(Error(id=request_id, code=error.code, message=error.message))


async def _handle(connection: Connection, message: ClientMessage, service: GameService, hub: Hub) -> None:
    if isinstance(message, Ping):
        connection.send(Pong(id=message.id))
        return
    if isinstance(message, Hello):
        await _hello(connection, message, service, hub)
        return
    if connection.stage is not Stage.LIVE:
        raise ServiceError("hello_first", "Say hello with a token before anything else.")
    if isinstance(message, Ask):
        snapshot = await service.snapshot(connection.game)
        scenario = await service.scenario_of(connection.game)
        seat = connection.role.seat
        legal = legal_actions(scenario, snapshot.state, seat) if seat else []
        connection.send(
            Turn(
                id=message.id,
                version=snapshot.version,
                seq=snapshot.seq,
                view=view(scenario, snapshot.state, connection.role.viewer),
                legal=[LegalEntry(action=to_plain(item.action), cost=to_plain(item.cost)) for item in legal],
            )
        )
        return
    # A token revoked since hello (a re-issued seat) acts no more.
    await service.authenticate(connection.game, connection.token)
    if isinstance(message, Control):
        connection.send(await _control(service, connection, message))
        return
    ack = await service.act(connection.game, connection.role, message.action, message.id)
    connection.send(Ack(id=message.id, seq=ack.seq, version=ack.version, repeated=ack.repeated))


async def _hello(connection: Connection, message: Hello, service: GameService, hub: Hub) -> None:
    """Authenticate, send the view and whatever was missed since `last_seq`, then go live."""
    if connection.stage is not Stage.GREETING:
        raise ServiceError("already_greeted", "This connection has already said hello.")
    role = await service.authenticate(message.game, message.token)
    connection.token = message.token
    snapshot = await service.snapshot(message.game)
    scenario = await service.scenario_of(message.game)
    missed = [s for s in await service.store.events_since(message.game, message.last_seq) if s.seq <= snapshot.seq]
    shown = set(map(id, visible_events([s.event for s in missed], role.viewer)))
    connection.send(
        Welcome(
            game=message.game,
            role=role.name,
            seat=role.seat,
            seq=snapshot.seq,
            view=view(scenario, snapshot.state, role.viewer),
            missed=[event_record(s.seq, s.event) for s in missed if id(s.event) in shown],
        )
    )
    connection.go_live(message.game, role, snapshot.seq)
    await hub.enter(connection)


async def _control(service: GameService, connection: Connection, message: Control) -> Ack:
    """Carry out a facilitator's control and say what it made."""
    autopilots: Autopilots = connection.socket.app.state.autopilots
    if not connection.role.is_facilitator:
        raise ServiceError("not_facilitator", "Only the facilitator controls the game.")
    game, controls, request = connection.game, Controls(service), message.id
    engine_commands: dict[str, FacilitatorAction] = {
        "start": StartGame(),
        "skip": ClosePhase(),
        "end": EndGame(),
        "inject": InjectEvent(card=message.card),
    }
    if message.command in engine_commands:
        done = await service.control(game, engine_commands[message.command], request)
        return Ack(id=request, seq=done.seq, version=done.version, repeated=done.repeated)
    if message.command == "pause":
        return Ack(id=request, seq=await controls.pause(game))
    if message.command == "resume":
        return Ack(id=request, seq=await controls.resume(game))
    if message.command == "extend":
        return Ack(id=request, seq=await controls.extend(game, message.seconds))
    if message.command == "reissue":
        return Ack(id=request, join_code=await controls.reissue(game, message.seat))
    if message.command in ("lock", "unlock"):
        await controls.lock_codes(game, message.command == "lock")
        return Ack(id=request, locked=message.command == "lock")
    if message.command == "rollback":
        return Ack(id=request, seq=await controls.rollback(game, message.round))
    if message.command == "bot":
        await autopilots.seat(game, message.seat, message.strategy)
        return Ack(id=request)
    if message.command == "unbot":
        await autopilots.unseat(game, message.seat)
        return Ack(id=request)
    made = await controls.fork(game, message.round)
    fork = Fork(made.game_id, made.facilitator_token, made.spectator_token, made.join_codes)
    return Ack(id=request, fork=fork)
