"""The HTTP routes: scenarios, creating and joining games, the facilitator's game record,
materials and export, health, metrics and the published documents.

Every refusal is JSON, `{"error": code, "message": sentence}`, with a 4xx status; a body is
read up to its route's limit, parsed, and checked before anything touches a game.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from scenarios import list_scenarios, load_scenario, schema
from server import asyncapi, wire
from server.auth import Role
from server.errors import ServiceError
from server.export import export_game, game_record, materials, participation_csv
from server.metrics import CONTENT_TYPE
from server.room import STORE_ERRORS
from server.service import parse_durations
from server.workers import Worker

SEED_LIMIT = 2**53  # seeds travel as JSON numbers: whole numbers JSON carries exactly
STATUS = {
    "unknown_game": 404,
    "unknown_code": 404,
    "unknown_scenario": 404,
    "unauthorised": 401,
    "operator_required": 401,
    "not_facilitator": 403,
    "joining_locked": 403,
    "code_reissued": 410,
    "seat_full": 409,
    "not_over": 409,
    "rate_limited": 429,
    "body_too_large": 413,
    "unavailable": 503,
}


def _error(error: ServiceError) -> JSONResponse:
    return JSONResponse({"error": error.code, "message": error.message}, status_code=STATUS.get(error.code, 400))


def _worker(request: Request) -> Worker:
    worker: Worker = request.app.state.worker
    return worker


def _address(request: Request) -> str:
    return request.client.host if request.client else "?"


def _is_loopback(address: str) -> bool:
    return address in ("127.0.0.1", "::1", "localhost") or address.startswith("127.")


def _bearer(request: Request) -> str:
    return request.headers.get("authorization", "").removeprefix("Bearer ").strip()


async def _json_body(request: Request, limit: int) -> dict[str, Any]:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ServiceError("body_too_large", f"Request bodies are limited to {limit} bytes.")
    try:
        value = json.loads(body or b"{}")
        if not isinstance(value, dict):
            raise ValueError("not an object")
        wire.check_plain(value)
    except (ValueError, RecursionError, wire.WireError) as error:
        raise ServiceError("malformed_request", "The request body must be a JSON object of plain text.") from error
    return value


def _text(body: dict[str, Any], name: str, default: str = "", limit: int = 200) -> str:
    value = body.get(name, default)
    if not isinstance(value, str) or len(value) > limit:
        raise ServiceError("malformed_request", f"'{name}' must be text of at most {limit} characters.")
    return value


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    worker = _worker(request)
    try:
        await worker.redis.ping()
    except STORE_ERRORS as error:
        return JSONResponse({"error": "redis_unreachable", "message": f"Redis does not answer: {error}"}, 503)
    if not worker.hub.healthy:
        return JSONResponse({"error": "recovering", "message": "Reconnecting to Redis; live delivery is paused."}, 503)
    return JSONResponse({"status": "ready"})


async def server_info(request: Request) -> Response:
    """What a browser needs to know before it creates a game."""
    settings = _worker(request).settings
    return JSONResponse(
        {"version": "2", "operator_required": _operator_required(request), "public_url": settings.public_url}
    )


def _operator_required(request: Request) -> bool:
    settings = _worker(request).settings
    return bool(settings.operator_token) or not settings.on_loopback


async def scenarios(request: Request) -> Response:
    out = []
    for name in list_scenarios():
        scenario = load_scenario(name)
        out.append(
            {
                "id": name,
                "title": scenario.title,
                "period": scenario.period,
                "summary": scenario.summary,
                "rounds": scenario.rounds,
                "decision_rule": scenario.decision_rule,
                "seats": [{"id": s.id, "name": s.name, "kind": s.kind} for s in scenario.seats],
                "clocks": {**scenario.clocks, "bots": {}},
                "minutes": scenario.minutes,
                "discussion_questions": list(scenario.discussion_questions),
            }
        )
    return JSONResponse(out)


async def create_game(request: Request) -> Response:
    worker = _worker(request)
    try:
        if _operator_required(request):
            given = _bearer(request)
            token = worker.settings.operator_token
            if not token or not given or not hmac.compare_digest(given.encode(), token.encode()):
                raise ServiceError(
                    "operator_required",
                    "Creating games on this server needs its operator token (Authorization: Bearer).",
                )
        if not _is_loopback(_address(request)) and not worker.creations.allow(_address(request)):
            raise ServiceError("rate_limited", "Too many games created from your address; wait a minute.")
        body = await _json_body(request, worker.settings.max_upload_bytes)
        seed = body.get("seed", 1)
        if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < SEED_LIMIT:
            raise ServiceError("malformed_request", f"'seed' must be a whole number from 0 to {SEED_LIMIT - 1}.")
        text = _text(body, "scenario_toml", limit=worker.settings.max_upload_bytes)
        created = await worker.service.create_game(
            _text(body, "scenario"),
            seed,
            _text(body, "clock", "classroom"),
            parse_durations(body.get("deadlines")),
            text,
        )
    except ServiceError as error:
        return _error(error)
    except STORE_ERRORS:
        return _error(ServiceError("unavailable", "The game store cannot be reached; try again in a moment."))
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
    worker = _worker(request)
    address = _address(request)
    try:
        # Only wrong codes count: a class (or a tournament) joining with good codes is never slowed,
        # while guessing codes gets about one try a second from an address.
        if not worker.failed_joins.has(address):
            raise ServiceError("rate_limited", "Too many wrong join codes from your address; wait a minute.")
        body = await _json_body(request, worker.settings.max_body_bytes)
        joined = await worker.service.join(_text(body, "code", limit=40), _text(body, "name"))
    except ServiceError as error:
        if error.code in ("unknown_code", "malformed_request"):
            worker.failed_joins.allow(address)
        return _error(error)
    except STORE_ERRORS:
        return _error(ServiceError("unavailable", "The game store cannot be reached; try again in a moment."))
    return JSONResponse({"game": joined.game_id, "seat": joined.seat, "token": joined.token, "name": joined.name})


async def _role(request: Request) -> tuple[str, Role]:
    """The game in the path and the role the bearer token holds in it."""
    worker = _worker(request)
    game = request.path_params["game"]
    if not isinstance(game, str) or len(game) > 64 or not game.isalnum():
        raise ServiceError("unknown_game", "There is no such game.")
    if not await worker.store.exists(game):
        raise ServiceError("unknown_game", f"There is no game {game!r}.")
    token = _bearer(request)
    if not token or len(token) > 200:
        raise ServiceError("unauthorised", "Send the game's token as Authorization: Bearer TOKEN.")
    return game, await worker.service.authenticate(game, token)


async def game(request: Request) -> Response:
    """The facilitator's record of a game: its seats, codes, players and connections."""
    try:
        game_id, role = await _role(request)
        if not role.is_facilitator:
            raise ServiceError("not_facilitator", "Only the facilitator's token sees the game's codes.")
        worker = _worker(request)
        room = await worker.hub.room(game_id)
        async with room.lock:
            await room.ensure_loaded()
        await worker.hub.refresh_presence(room)
        return JSONResponse(await game_record(worker.store, game_id, room))
    except ServiceError as error:
        return _error(error)
    except STORE_ERRORS:
        return _error(ServiceError("unavailable", "The game store cannot be reached; try again in a moment."))


async def game_materials(request: Request) -> Response:
    """The facilitator's printables: the brief, and every seat's role sheet and objectives."""
    try:
        game_id, role = await _role(request)
        if not role.is_facilitator:
            raise ServiceError("not_facilitator", "Only the facilitator's token opens the role sheets.")
        room = await _worker(request).hub.room(game_id)
        return JSONResponse(materials(room.scenario))
    except ServiceError as error:
        return _error(error)
    except STORE_ERRORS:
        return _error(ServiceError("unavailable", "The game store cannot be reached; try again in a moment."))


async def export(request: Request) -> Response:
    """The debrief record: for the facilitator at any time, for everyone in the game once it ended."""
    worker = _worker(request)
    try:
        game_id, role = await _role(request)
        room = await worker.hub.room(game_id)
        async with room.lock:
            snapshot = await room.ensure_loaded()
        if not role.is_facilitator and snapshot.state.phase != "ended":
            raise ServiceError("not_over", "The debrief opens for everyone when the game ends.")
        exported = await export_game(worker.store, game_id, room.scenario)
    except ServiceError as error:
        return _error(error)
    except STORE_ERRORS:
        return _error(ServiceError("unavailable", "The game store cannot be reached; try again in a moment."))
    if request.query_params.get("format") == "csv":
        return Response(participation_csv(exported), media_type="text/csv; charset=utf-8")
    return JSONResponse(exported)


async def asyncapi_document(request: Request) -> Response:
    """The published wire: AsyncAPI with JSON Schemas generated from the protocol's types."""
    return JSONResponse(asyncapi.document())


async def scenario_schema(request: Request) -> Response:
    return JSONResponse(schema())


async def metrics_endpoint(request: Request) -> Response:
    worker = _worker(request)
    worker.metrics.connections.set(worker.hub.connections)
    worker.metrics.games.set(len(worker.hub.rooms))
    return Response(worker.metrics.render(), media_type=CONTENT_TYPE)


ROUTES = [
    Route("/healthz", healthz),
    Route("/readyz", readyz),
    Route("/metrics", metrics_endpoint),
    Route("/api/server", server_info),
    Route("/api/scenarios", scenarios),
    Route("/api/games", create_game, methods=["POST"]),
    Route("/api/join", join, methods=["POST"]),
    Route("/api/games/{game}", game, methods=["GET"]),
    Route("/api/games/{game}/materials", game_materials, methods=["GET"]),
    Route("/api/games/{game}/export", export, methods=["GET"]),
    Route("/asyncapi.json", asyncapi_document),
    Route("/scenario.schema.json", scenario_schema),
]
