"""Named intents and the one pipeline every state change takes.

parse payload -> load workshop (row locked) -> check role -> operation -> reserve sequence
numbers -> commit -> publish -> ack ``{ok: true, ...}`` or ``{ok: false, error: {code, message}}``.
Socket handlers and REST routes both call :func:`execute`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy.exc import OperationalError

from ..extensions import db
from .auth import Actor, still_valid
from .clock import now_utc
from .errors import DomainError, Forbidden, InvalidPayload, InvalidState, NotFound
from .realtime import Outbox


class Payload(BaseModel):
    """Base of all command payloads: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class NoPayload(Payload):
    pass


@dataclass(frozen=True)
class Command:
    name: str
    handler: Callable[["Context", Any], dict | None]
    payload: type[Payload]
    roles: frozenset[str]
    summary: str
    #: A valid payload for the sweep tests and the API documentation.
    example: dict
    #: Error codes this intent may answer besides the common ones (COMMON_ERRORS); documented in docs/api.md.
    errors: tuple[str, ...] = ()


#: Error codes every intent may answer.
COMMON_ERRORS = ("invalid_payload", "forbidden", "not_authenticated", "workshop_not_found", "unknown_command", "busy")

#: name -> Command; filled at import time by the ``@command`` decorators, read-only afterwards.
REGISTRY: dict[str, Command] = {}


def command(name: str, *, roles: frozenset[str], payload: type[Payload] = NoPayload, example: dict | None = None,
            errors: tuple[str, ...] = ()):
    """Register ``handler(ctx, payload)`` as the intent ``name`` for ``roles``."""

    def register(handler):
        if name in REGISTRY:
            raise RuntimeError(f"command {name} registered twice")
        summary = (handler.__doc__ or "").strip().splitlines()[0] if handler.__doc__ else name
        REGISTRY[name] = Command(name, handler, payload, frozenset(roles), summary, example or {}, tuple(errors))
        return handler

    return register


@dataclass
class Context:
    actor: Actor
    workshop: Any
    now: datetime
    outbox: Outbox
    #: Work that must wait until the change is committed (coalesced publishing).
    after_commit: list[Callable[[], None]] = field(default_factory=list)

    def publish(self, name: str, build: Callable[[str], Any]) -> None:
        self.outbox.add(name, build)

    def later(self, fn: Callable[[], None]) -> None:
        self.after_commit.append(fn)


def parse_payload(model: type[Payload], raw: Any) -> Payload:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InvalidPayload("payload must be a JSON object")
    try:
        return model.model_validate(raw)
    except ValidationError as err:
        details = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in err.errors(include_url=False)
        ]
        first = details[0]
        raise InvalidPayload(f"{first['field'] or 'payload'}: {first['message']}", details={"fields": details})


def load_workshop_for_update(workshop_id: int):
    from ..workshops.models import Workshop

    workshop = db.session.get(Workshop, workshop_id, with_for_update=True)
    if workshop is None:
        raise NotFound("workshop not found", code="workshop_not_found")
    return workshop


def execute(name: str, actor: Actor | None, raw: Any) -> dict:
    """Run the intent ``name`` for ``actor``; returns the ack. Never raises a DomainError."""
    cmd = REGISTRY.get(name)
    try:
        if cmd is None:
            raise NotFound(f"unknown command {name}", code="unknown_command")
        if actor is None:
            raise Forbidden("not connected to a workshop", code="not_authenticated")
        payload = parse_payload(cmd.payload, raw)
        workshop = load_workshop_for_update(actor.workshop_id)
        if actor.role not in cmd.roles or not still_valid(actor):
            raise Forbidden(f"{actor.role} may not {name}")
        ctx = Context(actor=actor, workshop=workshop, now=now_utc(), outbox=Outbox(workshop))
        result = cmd.handler(ctx, payload) or {}
        ctx.outbox.reserve_sequence()
        db.session.commit()
    except DomainError as err:
        db.session.rollback()
        return {"ok": False, "error": err.to_dict()}
    except OperationalError:
        # e.g. SQLite "database is locked" after the busy timeout: nothing was changed
        db.session.rollback()
        return {"ok": False, "error": InvalidState("busy, please try again", code="busy").to_dict()}
    ctx.outbox.publish()
    for fn in ctx.after_commit:
        fn()
    return {"ok": True, **result}
