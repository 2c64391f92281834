"""The socket connection itself: authenticate on connect, snapshot, resync, presence, command dispatch."""
from __future__ import annotations

from flask import request
from flask_socketio import ConnectionRefusedError, emit, join_room

from ..extensions import db, socketio
from .auth import Actor, resolve_actor
from .clock import now_utc
from .commands import REGISTRY, execute
from .realtime import audience_room, emit_unsequenced, envelope, workshop_room

PRESENCE_AUDIENCES = ("facilitator", "screen")


def connection_actor() -> Actor | None:
    """The actor of this socket connection, from its row in the database."""
    from ..join.models import Connection

    row = db.session.get(Connection, request.sid)
    if row is None:
        return None
    return Actor(row.role, row.workshop_id, user_id=row.user_id, participant_id=row.participant_id)


def publish_presence(workshop_id: int) -> None:
    """Who is online, coalesced: 300 phones arriving at once must not send the cockpit 300 lists."""
    from .coalesce import schedule
    from ..workshops.queries import presence_view

    def flush() -> None:
        for audience in PRESENCE_AUDIENCES:
            emit_unsequenced(workshop_id, "presence.changed", presence_view(workshop_id, audience), (audience,))
        db.session.rollback()  # read-only

    schedule(f"presence:{workshop_id}", flush)


def snapshot_envelope(workshop, actor: Actor) -> dict:
    from ..workshops.queries import snapshot

    seq = workshop.seq  # read before the snapshot: a change after it arrives as an event with seq+1
    return envelope(snapshot(workshop, actor), seq)


def on_connect(auth):
    from ..join.models import Connection
    from ..workshops.queries import get_by_code

    auth = auth if isinstance(auth, dict) else {}
    workshop = get_by_code(str(auth.get("workshop") or ""))
    if workshop is None:
        raise ConnectionRefusedError({"code": "workshop_not_found", "message": "unknown workshop"})
    actor = resolve_actor(workshop, str(auth.get("view") or ""))
    if actor is None:
        raise ConnectionRefusedError({"code": "not_authenticated", "message": "not allowed to open this view"})
    join_room(workshop_room(workshop.id))
    join_room(audience_room(workshop.id, actor.audience))
    db.session.merge(Connection(
        sid=request.sid, workshop_id=workshop.id, role=actor.role, participant_id=actor.participant_id,
        user_id=actor.user_id, connected_at=now_utc(), seen_at=now_utc(),
    ))
    db.session.commit()
    emit("sync.snapshot", snapshot_envelope(workshop, actor))
    publish_presence(workshop.id)


def on_disconnect(*args):
    from ..join.models import Connection

    row = db.session.get(Connection, request.sid)
    if row is None:
        return
    workshop_id = row.workshop_id
    db.session.delete(row)
    db.session.commit()
    publish_presence(workshop_id)


def on_sync_request(data=None):
    """``sync.request``: a client that saw a gap in the sequence asks for a fresh snapshot."""
    from ..workshops.models import Workshop

    actor = connection_actor()
    if actor is None:
        return {"ok": False, "error": {"code": "not_authenticated", "message": "not connected to a workshop"}}
    workshop = db.session.get(Workshop, actor.workshop_id)
    return {"ok": True, "snapshot": snapshot_envelope(workshop, actor)}


def on_presence_ping(data=None):
    """``presence.ping``: keeps the connection counted as online; answers the server time."""
    from ..join.models import Connection

    row = db.session.get(Connection, request.sid)
    if row is None:
        return {"ok": False, "error": {"code": "not_authenticated", "message": "not connected to a workshop"}}
    row.seen_at = now_utc()
    db.session.commit()
    return {"ok": True, "now": envelope(None)["now"]}


def make_command_handler(name: str):
    def handle(data=None):
        return execute(name, connection_actor(), data)

    handle.__name__ = f"command_{name.replace('.', '_')}"
    return handle


_registered: list[bool] = []  # the SocketIO object is global; its handlers survive init_app


def register_socket_handlers() -> None:
    """Connect every intent of the registry to its socket event (once per process)."""
    from ..agenda import sockets as _agenda  # noqa: F401  (import registers the intents)
    from ..blitzlicht import sockets as _blitzlicht  # noqa: F401
    from ..broadcasts import sockets as _broadcasts  # noqa: F401
    from ..polls import sockets as _polls  # noqa: F401
    from ..clusters import sockets as _clusters  # noqa: F401
    from ..groups import sockets as _groups  # noqa: F401
    from ..groups import workspace_sockets

    if _registered:
        return
    _registered.append(True)
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)
    socketio.on_event("sync.request", on_sync_request)
    socketio.on_event("presence.ping", on_presence_ping)
    socketio.on_event("workspace.follow", workspace_sockets.on_follow)
    for name in REGISTRY:
        socketio.on_event(name, make_command_handler(name))
