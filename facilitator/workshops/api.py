"""REST endpoints for workshops and their agendas. Live commands go through the same pipeline as sockets."""
from __future__ import annotations

from flask import Response, current_app, jsonify, request
from flask_login import current_user
from pydantic import Field

from ..agenda.loader import dump_template, list_templates
from ..agenda.messages import AddItemPayload, DayPayload, ItemChanges, ReorderPayload
from ..core.api import ack_response, endpoint, openapi_document
from ..core.auth import Actor, member_role
from ..core.commands import REGISTRY, Payload, execute, parse_payload
from ..core.errors import Forbidden, NotAuthenticated, NotFound
from ..extensions import db
from . import operations, queries
from .routes import templates_dir


class NewWorkshopPayload(Payload):
    """Create a workshop, blank or from a template in agendas/ (by its slug)."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    template: str | None = None


def require_login():
    if not current_user.is_authenticated:
        raise NotAuthenticated("log in as organiser first")


def member_actor(code: str) -> tuple:
    require_login()
    workshop = queries.get_by_code(code)
    if workshop is None:
        raise NotFound("no workshop with this code", code="workshop_not_found")
    role = member_role(workshop, current_user)
    if role is None:
        raise Forbidden("not a member of this workshop")
    return workshop, Actor(role, workshop.id, user_id=current_user.id)


def summary(workshop, role=None) -> dict:
    data = {"code": workshop.code, "title": workshop.title, "date": workshop.date.isoformat() if workshop.date else None,
            "state": workshop.state.value}
    if role:
        data["role"] = role
    return data


@endpoint("/openapi.json")
def openapi():
    """This document."""
    return jsonify(openapi_document())


@endpoint("/templates")
def templates():
    """The agenda templates in agendas/."""
    return jsonify({"ok": True, "templates": [
        {"slug": slug, "title": t.workshop.title, "items": len(t.items), "groups": len(t.groups)}
        for slug, t in list_templates(templates_dir())
    ]})


@endpoint("/workshops")
def list_workshops():
    """The workshops the logged-in organiser is a member of."""
    require_login()
    return jsonify({"ok": True, "workshops": [summary(w, role) for w, role in queries.workshops_of(current_user)]})


@endpoint("/workshops", "POST", body=NewWorkshopPayload, status=201)
def create_workshop():
    """Create a workshop (the caller becomes its organiser)."""
    require_login()
    payload = parse_payload(NewWorkshopPayload, request.get_json(silent=True))
    if payload.template:
        template = dict(list_templates(templates_dir())).get(payload.template)
        if template is None:
            raise NotFound("no such template", code="template_not_found")
        workshop = operations.create_from_template(current_user, template, **({"title": payload.title} if payload.title else {}))
    else:
        workshop = operations.create_workshop(current_user, payload.title or "Workshop")
    db.session.commit()
    return jsonify({"ok": True, "workshop": summary(workshop, "organiser")}), 201


@endpoint("/workshops/<code>")
def get_workshop(code: str):
    """A workshop with its agenda (planned, projected and actual times), the current item's activity, every poll and every theme group."""
    workshop, actor = member_actor(code)
    return jsonify({"ok": True, **queries.state_view(workshop, "facilitator")})


@endpoint("/workshops/<code>/agenda")
def get_agenda(code: str):
    """The agenda with planned, projected and actual times and the drift."""
    workshop, actor = member_actor(code)
    return jsonify({"ok": True, "agenda": queries.state_view(workshop, "facilitator")["agenda"]})


@endpoint("/workshops/<code>/agenda.toml")
def export_agenda(code: str):
    """The agenda as a TOML template (the format of agendas/)."""
    workshop, actor = member_actor(code)
    return Response(dump_template(operations.template_of(workshop)), mimetype="application/toml")


def run(code: str, name: str, payload: dict, status: int = 200):
    workshop, actor = member_actor(code)
    ack = execute(name, actor, payload)
    if ack.get("ok"):
        workshop = queries.get_by_code(code)
        ack["agenda"] = queries.state_view(workshop, "facilitator")["agenda"]
    return ack_response(ack, status)


@endpoint("/workshops/<code>/agenda/items", "POST", body=AddItemPayload, command="agenda.item.add", status=201)
def add_item(code: str):
    """Add an agenda item."""
    return run(code, "agenda.item.add", request.get_json(silent=True), 201)


@endpoint("/workshops/<code>/agenda/items/<int:item_id>", "PATCH", body=ItemChanges, command="agenda.item.update")
def update_item(code: str, item_id: int):
    """Change an agenda item (only the fields given)."""
    return run(code, "agenda.item.update", {**(request.get_json(silent=True) or {}), "item_id": item_id})


@endpoint("/workshops/<code>/agenda/items/<int:item_id>", "DELETE", command="agenda.item.remove")
def remove_item(code: str, item_id: int):
    """Remove an agenda item that has not run yet."""
    return run(code, "agenda.item.remove", {"item_id": item_id})


@endpoint("/workshops/<code>/agenda/order", "PUT", body=ReorderPayload, command="agenda.reorder")
def reorder(code: str):
    """Put the agenda items in a new order."""
    return run(code, "agenda.reorder", request.get_json(silent=True))


@endpoint("/workshops/<code>/agenda/day", "PATCH", body=DayPayload, command="agenda.day.update")
def update_day(code: str):
    """Set the day's start time and date."""
    return run(code, "agenda.day.update", request.get_json(silent=True))


@endpoint("/workshops/<code>/commands/<name>", "POST")
def run_command(code: str, name: str):
    """Run any live command (e.g. agenda.next) as documented in docs/api.md; the body is its payload."""
    if name not in REGISTRY:
        raise NotFound(f"unknown command {name}", code="unknown_command")
    return run(code, name, request.get_json(silent=True) or {})
