"""Exports of the group assignment (facilitators of the workshop only)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask_login import login_required

from . import queries
from .messages import MAX_ROUND

bp = Blueprint("groups", __name__)


def _round() -> int:
    """``?round=<n>`` (default 1)."""
    raw = request.args.get("round", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_ROUND:
        abort(404)
    return int(raw)


def _download(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"})


@bp.get("/w/<code>/groups.csv")
@login_required
def export_groups(code: str):
    """``?round=<n>``: the assignment of a round, group by group: ``Group,Name,Assigned by`` (anonymous: no name)."""
    from ..workshops.routes import load_member_workshop

    workshop, _role = load_member_workshop(code)
    round_no = _round()
    return _download(queries.groups_csv(workshop, round_no), f"gruppen-{workshop.code}-runde-{round_no}.csv")


@bp.get("/w/<code>/groups-zoom.csv")
@login_required
def export_zoom(code: str):
    """``?round=<n>``: Zoom's breakout pre-assignment format ``Pre-assign Room Name,Email Address`` plus ``Name``.
    Werkstatt asks for no e-mail addresses, so the e-mail column is empty: assign by hand."""
    from ..workshops.routes import load_member_workshop

    workshop, _role = load_member_workshop(code)
    round_no = _round()
    return _download(queries.zoom_csv(workshop, round_no), f"zoom-breakout-{workshop.code}-runde-{round_no}.csv")


@bp.get("/w/<code>/host/<token>")
def host_link(code: str, token: str):
    """A group's host link: whoever opens it (joining first if needed) hosts the group's workspace."""
    from flask import redirect, render_template, url_for

    from ..core.auth import PARTICIPANT, Actor, participant_from_cookie
    from ..core.commands import execute
    from ..workshops.queries import get_by_code

    workshop = get_by_code(code)
    if workshop is None:
        abort(404)
    participant = participant_from_cookie(workshop)
    if participant is None:
        return redirect(url_for("join.enter", code=workshop.code, host=token))
    ack = execute("group.host.claim", Actor(PARTICIPANT, workshop.id, participant_id=participant.id), {"token": token})
    if not ack["ok"]:
        return render_template("groups/host_link_invalid.html", workshop=workshop, error=ack["error"]), 403
    return redirect(url_for("join.live", code=workshop.code))
