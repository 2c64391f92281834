"""The REST API under /api/v1: JSON in and out, described by an OpenAPI document built from a registry."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import wraps

from flask import Blueprint, jsonify

from .commands import Payload
from .errors import DomainError

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@dataclass(frozen=True)
class Endpoint:
    rule: str
    method: str
    summary: str
    body: type[Payload] | None
    command: str | None
    status: int


#: Filled at import time by ``@endpoint``; read by the OpenAPI document and the sweep tests.
ENDPOINTS: list[Endpoint] = []


def error_response(err: DomainError):
    return jsonify({"ok": False, "error": err.to_dict()}), err.status


def ack_response(ack: dict, success_status: int = 200):
    """Turn a command ack into an HTTP response with a fitting status."""
    if ack.get("ok"):
        return jsonify(ack), success_status
    code = ack["error"]["code"]
    status = {
        "forbidden": 403, "not_authenticated": 401, "invalid_payload": 422, "busy": 503, "rate_limited": 429,
    }.get(code)
    if status is None and code.startswith("invalid_"):
        status = 422  # input that cannot be right (invalid_order, invalid_mood …)
    if status is None:
        status = 404 if code.endswith("not_found") else 409
    return jsonify(ack), status


def endpoint(rule: str, method: str = "GET", *, body: type[Payload] | None = None, command: str | None = None,
             status: int = 200):
    """Register an API route and describe it for /api/v1/openapi.json."""

    def register(view):
        summary = (view.__doc__ or view.__name__).strip().splitlines()[0]
        ENDPOINTS.append(Endpoint(rule, method, summary, body, command, status))

        @wraps(view)
        def wrapped(*args, **kwargs):
            try:
                return view(*args, **kwargs)
            except DomainError as err:
                return error_response(err)

        bp.add_url_rule(rule, endpoint=view.__name__, view_func=wrapped, methods=[method])
        return wrapped

    return register


def openapi_document() -> dict:
    paths: dict = {}
    schemas: dict = {}
    for ep in ENDPOINTS:
        path = "/api/v1" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", ep.rule)
        params = [
            {"name": name, "in": "path", "required": True,
             "schema": {"type": "integer" if f"<int:{name}>" in ep.rule else "string"}}
            for name in re.findall(r"<(?:\w+:)?(\w+)>", ep.rule)
        ]
        operation = {
            "summary": ep.summary,
            "parameters": params,
            "responses": {
                str(ep.status): {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ack"}}}},
                "default": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorAck"}}}},
            },
        }
        if ep.command:
            operation["x-command"] = ep.command
        if ep.body is not None:
            schema = ep.body.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, definition in schema.pop("$defs", {}).items():
                schemas[name] = definition
            schemas[ep.body.__name__] = schema
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ep.body.__name__}"}}},
            }
        paths.setdefault(path, {})[ep.method.lower()] = operation
    schemas["Ack"] = {"type": "object", "properties": {"ok": {"type": "boolean", "const": True}}, "required": ["ok"]}
    schemas["ErrorAck"] = {
        "type": "object", "required": ["ok", "error"],
        "properties": {
            "ok": {"type": "boolean", "const": False},
            "error": {"type": "object", "required": ["code", "message"],
                      "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {"type": "object"}}},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Werkstatt API", "version": "1",
                 "description": "Workshops and agendas. Authenticate with the organiser session cookie; "
                                "unsafe methods need the X-CSRFToken header (from the page's csrf-token meta tag)."},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "session"}}},
        "security": [{"session": []}],
    }
