"""The websocket: one client's session, from hello to goodbye.

Frames are counted against their sender's rate before they are decoded, so neither a flood
nor a stream of malformed frames costs more than a refusal; everything a client sends is
answered (an error names a stable code) and nothing a client sends can drop another
client's connection or change a game except through the game's writer.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging

from starlette.websockets import WebSocket, WebSocketDisconnect

from game_rules import legal_actions, to_plain, visible_events
from game_rules.actions import ClosePhase, EndGame, FacilitatorAction, InjectEvent, StartGame
from server import wire
from server.connection import Connection, Stage
from server.controls import Controls
from server.errors import ServiceError
from server.fanout import event_record
from server.protocol import Ack, Ask, ClientMessage, Control, Error, Fork, Hello, LegalEntry, Ping, Pong, Turn, Welcome
from server.room import STORE_ERRORS, unavailable
from server.transport import writer_for
from server.workers import Worker

log = logging.getLogger("normarena.session")
HELLO_TIMEOUT = 10.0
STRIKES_BEFORE_CLOSE = 200  # refused frames in a row before a flooding connection is closed
SLOW_DOWN = "Too many messages: slow down and send this again."
POLICY = 1008
FULL_TOKEN_PAUSE = 1.0  # seconds before a hello on a token at its connection limit is refused


async def websocket_endpoint(socket: WebSocket) -> None:
    """Accept a websocket and serve it until either side leaves."""
    worker: Worker = socket.app.state.worker
    settings = worker.settings
    address = socket.client.host if socket.client else "?"
    requested = socket.scope.get("subprotocols") or []
    # No subprotocol asked for (a plain terminal client): the first frame decides.
    protocol = next((p for p in requested if p in wire.SUBPROTOCOLS), "")
    await socket.accept(subprotocol=protocol or None)
    writer = writer_for(socket.scope)
    if writer is not None:
        await writer.ready()
    connection = Connection(socket, protocol, address, settings.send_queue, settings.send_queue_bytes, writer)
    if not worker.sockets_by_address.enter(address):
        connection.protocol = connection.protocol or wire.JSON
        connection.send(Error(id="", code="too_many_connections", message="Too many connections from your address."))
        connection.close(POLICY, "too many connections")
        if writer is None:
            await connection.pump()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(socket.close(code=POLICY), 1.0)
        return
    serving = asyncio.current_task()
    assert serving is not None
    # Frames go straight to the socket; only on another websocket stack does a task write them.
    pump = asyncio.create_task(connection.pump()) if writer is None else None

    def drop() -> None:
        # A client too slow to read, or one the server cut off (re-issued, say): stop serving it
        # at once, whatever its writer is stuck on. The session's own closes end it by returning.
        if pump is not None:
            pump.cancel()
        if asyncio.current_task() is not serving:
            serving.cancel()

    connection.on_drop = drop
    if pump is not None:
        pump.add_done_callback(lambda _: serving.cancel() if connection.stage is not Stage.CLOSED else None)
    try:
        await _serve(connection, worker)
    except (WebSocketDisconnect, asyncio.CancelledError):
        pass
    except Exception:
        log.exception("a websocket session failed (game %s, role %s)", connection.game, connection.role.name)
    finally:
        worker.sockets_by_address.leave(address)
        if connection.game and connection.role.name != "spectator":
            worker.sockets_by_token.leave(connection.role.token_hash)
        if connection.stage is not Stage.CLOSED:
            connection.close()
        await worker.hub.leave(connection)
        if pump is not None and not pump.done():
            try:
                await asyncio.wait_for(asyncio.shield(pump), 1.0)
            except (TimeoutError, asyncio.CancelledError, Exception):
                pump.cancel()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(socket.close(code=connection.close_code or 1000), 1.0)


def _over_rate(connection: Connection, worker: Worker) -> float:
    """0 when this request is within its token's rate and its address's; otherwise how long
    the connection should wait before it is read again. Each connection waits its share, so
    between them a token's (or an address's) connections come back at about its rate, not
    each at it."""
    shared = worker.address_requests
    if connection.stage is Stage.GREETING:
        # Before hello only the address counts: a class (or a tournament) opens its connections
        # at once, a hello apiece.
        if shared.allow(connection.address):
            return 0.0
        return worker.sockets_by_address.count(connection.address) / shared.rate
    limiter = worker.bot_requests if connection.bots_clock else worker.requests
    if not limiter.allow(connection.limit_key):
        return max(worker.sockets_by_token.count(connection.role.token_hash), 1) / limiter.rate
    if connection.bots_clock or shared.allow(connection.address):
        return 0.0  # tournaments are held to their tokens' rate only
    return worker.sockets_by_address.count(connection.address) / shared.rate


async def _serve(connection: Connection, worker: Worker) -> None:
    settings, metrics = worker.settings, worker.metrics
    strikes = 0
    while connection.stage is not Stage.CLOSED:
        timeout = HELLO_TIMEOUT if connection.stage is Stage.GREETING else None
        try:
            if timeout is None:
                frame = await connection.receive()
            else:  # asyncio.timeout, not wait_for: on Python 3.11 wait_for can lose a cancellation
                async with asyncio.timeout(timeout):
                    frame = await connection.receive()
        except TimeoutError:
            connection.protocol = connection.protocol or wire.JSON
            connection.send(Error(id="", code="hello_timeout", message="Say hello first: no hello came in time."))
            connection.close(POLICY, "no hello")
            return
        if not connection.protocol:
            connection.protocol = wire.JSON if isinstance(frame, str) else wire.MSGPACK
        pause = _over_rate(connection, worker)
        if pause:
            # Refused before it is read (a small frame is read for its id only), so a flood costs
            # the server little; a client that floods on and on is disconnected.
            strikes += 1
            metrics.errors.labels("rate_limited").inc()
            if strikes > STRIKES_BEFORE_CLOSE:
                connection.send(Error(id="", code="rate_limited", message="Far too many messages: disconnected."))
                connection.close(POLICY, "flooding")
                return
            refused = _peek_id(connection.protocol, frame, settings.max_frame_bytes)
            connection.send(Error(id=refused, code="rate_limited", message=SLOW_DOWN))
            # Read nothing more from this connection until its bucket has had time to refill: a flood
            # then waits in its own socket's buffers instead of costing the worker a refusal per frame
            # (72 flooding tokens took other players' p99 from 1 ms to 300 ms without this).
            await asyncio.sleep(pause)
            continue
        strikes = 0
        request_id = ""
        try:
            if len(frame) > settings.max_frame_bytes:
                raise wire.WireError("frame_too_large", f"Frames are limited to {settings.max_frame_bytes} bytes.")
            decoded = wire.decode(connection.protocol, frame)
            request_id = str(decoded.get("id", ""))[: wire.ID_LIMIT]
            message = wire.parse(decoded)
            kind = message.type
            with metrics.latency_by_type[kind].time():
                await _handle(connection, message, worker)
            metrics.requests_by_type[kind].inc()
        except (wire.WireError, ServiceError) as error:
            metrics.errors.labels(error.code).inc()
            connection.send(Error(id=request_id, code=error.code, message=error.message))
        except STORE_ERRORS:
            outage = unavailable()
            metrics.errors.labels(outage.code).inc()
            connection.send(Error(id=request_id, code=outage.code, message=outage.message))
        except Exception:
            # A bug must not cost the client its connection: it gets an answer, the log the trace.
            log.exception("a request failed (game %s, role %s)", connection.game, connection.role.name)
            metrics.errors.labels("internal_error").inc()
            connection.send(Error(id=request_id, code="internal_error", message="The server failed on this request."))


def _peek_id(protocol: str, frame: bytes | str, limit: int) -> str:
    """The id of a refused frame, so its sender knows which request to send again. Any frame
    within the frame limit is read for it: a long message refused without its id left its sender
    waiting for an answer that never came, and the pause after a refusal bounds what this costs."""
    if len(frame) > limit:
        return ""
    try:
        value = wire.decode(protocol, frame)
    except wire.WireError:
        return ""
    return str(value.get("id", ""))[: wire.ID_LIMIT]


async def _handle(connection: Connection, message: ClientMessage, worker: Worker) -> None:
    if isinstance(message, Ping):
        connection.send(Pong(id=message.id, server_time=round(worker.service.clock(), 3)))
        return
    if isinstance(message, Hello):
        await _hello(connection, message, worker)
        return
    if connection.stage is not Stage.LIVE:
        raise ServiceError("hello_first", "Say hello with a token before anything else.")
    room = await worker.hub.room(connection.game)
    if isinstance(message, Ask):
        async with room.lock:
            snapshot = await room.ensure_loaded()
            room.add_viewer(connection.viewer)
            shown = room.view_of(connection.viewer)
        seat = connection.role.seat
        legal = legal_actions(room.scenario, snapshot.state, seat) if seat else []
        entries = [LegalEntry(action=to_plain(item.action), cost=to_plain(item.cost)) for item in legal]
        connection.send(Turn(id=message.id, version=snapshot.version, seq=snapshot.seq, view=shown, legal=entries))
        return
    if isinstance(message, Control):
        connection.send(await _control(connection, message, worker))
        return
    ack = await worker.service.act(connection.game, connection.role, message.action, message.id)
    connection.send(dataclasses.replace(ack, id=message.id))


async def _hello(connection: Connection, message: Hello, worker: Worker) -> None:
    """Authenticate, send the view and whatever was missed since `last_seq`, then go live."""
    if connection.stage is not Stage.GREETING:
        raise ServiceError("already_greeted", "This connection has already said hello.")
    role = await worker.service.authenticate(message.game, message.token)
    # Seats and the facilitator have a few devices each; a spectator link may be shared by a room.
    counted = role.name != "spectator"
    if counted and not worker.sockets_by_token.enter(role.token_hash):
        # Answered after a pause: a client that opens connection after connection on a full
        # token would otherwise cost the worker a handshake each, as fast as it can open them.
        await asyncio.sleep(FULL_TOKEN_PAUSE)
        raise ServiceError("too_many_connections", "This token already has as many connections as it may.")
    try:
        room = await worker.hub.room(message.game)
        async with room.lock:
            snapshot = await room.ensure_loaded()
            missed = await worker.service.store.events_since(message.game, message.last_seq, snapshot.seq)
            shown = set(map(id, visible_events([s.event for s in missed], role.viewer)))
            room.add_viewer(role.viewer)
            connection.send(
                Welcome(
                    game=message.game,
                    role=role.name,
                    seat=role.seat,
                    seq=snapshot.seq,
                    view=room.view_of(role.viewer),
                    missed=[event_record(s.seq, s.event, s.by) for s in missed if id(s.event) in shown],
                    player=role.player,
                    server_time=round(worker.service.clock(), 3),
                )
            )
            connection.token = message.token
            connection.bots_clock = room.meta.get("clock") == "bots"
            connection.go_live(message.game, role, snapshot.seq)
            room.join(connection)
    except BaseException:
        if counted:
            worker.sockets_by_token.leave(role.token_hash)
        raise
    await worker.hub.enter(connection, room)


async def _control(connection: Connection, message: Control, worker: Worker) -> Ack:
    """Carry out a facilitator's control and say what it made."""
    if not connection.role.is_facilitator:
        raise ServiceError("not_facilitator", "Only the facilitator controls the game.")
    game, request, service = connection.game, message.id, worker.service
    controls = Controls(service)
    command = message.command
    if command in ("start", "skip", "end", "inject"):
        action: dict[str, FacilitatorAction] = {
            "start": StartGame(),
            "skip": ClosePhase(),
            "end": EndGame(),
            "inject": InjectEvent(card=message.card),
        }
        done = await service.act(game, connection.role, action[command], request)
        return dataclasses.replace(done, id=request)
    if command == "pause":
        return Ack(id=request, seq=await controls.pause(game))
    if command == "resume":
        return Ack(id=request, seq=await controls.resume(game))
    if command == "extend":
        return Ack(id=request, seq=await controls.extend(game, message.seconds))
    if command == "reissue":
        return Ack(id=request, join_code=await controls.reissue(game, message.seat))
    if command in ("lock", "unlock"):
        await controls.lock_codes(game, command == "lock")
        return Ack(id=request, locked=command == "lock")
    if command == "rollback":
        return Ack(id=request, seq=await controls.rollback(game, message.round))
    if command == "bot":
        await controls.seat_bot(game, message.seat, message.strategy, message.replace)
        return Ack(id=request)
    if command == "unbot":
        await controls.unseat_bot(game, message.seat)
        return Ack(id=request)
    made = await controls.fork(game, message.round)
    return Ack(id=request, fork=Fork(made.game_id, made.facilitator_token, made.spectator_token, made.join_codes))
