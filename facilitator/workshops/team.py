"""The team of a workshop: organisers see the members, invite co-facilitators by link, remove them."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from ..accounts import operations as accounts
from ..accounts.forms import AccountForm
from ..core.auth import ORGANISERS
from ..core.errors import DomainError
from ..extensions import db
from . import operations, queries
from .routes import load_member_workshop

bp = Blueprint("team", __name__)


@bp.get("/w/<code>/team")
@login_required
def team(code: str):
    workshop, _role = load_member_workshop(code, ORGANISERS)
    invite_url = queries.base_url() + url_for("team.invite", token=operations.invite_token(workshop))
    return render_template("workshops/team.html", workshop=workshop, invite_url=invite_url,
                           memberships=sorted(workshop.memberships, key=lambda m: (m.role.value, m.user.name)))


@bp.post("/w/<code>/team/remove/<int:user_id>")
@login_required
def remove(code: str, user_id: int):
    workshop, _role = load_member_workshop(code, ORGANISERS)
    try:
        operations.remove_member(workshop, user_id)
        db.session.commit()
        flash(_("Removed from the team."))
    except DomainError as err:
        db.session.rollback()
        flash(err.to_dict()["message"], "error")
    return redirect(url_for("team.team", code=workshop.code))


def disconnect_key_projectors(workshop) -> None:
    """Projectors that came in with the old key link are told now (not only at their next
    reconnect, which is refused): they close their connection and say why. Emitted to each
    connection, so it reaches every process through the message queue. (Closing the websocket
    from this request's greenlet instead would write to it beside its own writer.)"""
    from ..core.auth import SCREEN
    from ..core.realtime import envelope
    from ..extensions import socketio
    from ..join.models import Connection

    sids = db.session.execute(
        db.select(Connection.sid).filter_by(workshop_id=workshop.id, role=SCREEN, user_id=None)
    ).scalars().all()
    for sid in sids:
        socketio.emit("access.revoked", envelope(None), to=sid)


@bp.post("/w/<code>/team/revoke")
@login_required
def revoke(code: str):
    workshop, _role = load_member_workshop(code, ORGANISERS)
    operations.revoke_links(workshop)
    db.session.commit()
    disconnect_key_projectors(workshop)
    flash(_("New links made: the old invitation and projector links no longer work."))
    return redirect(url_for("team.team", code=workshop.code))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invite(token: str):
    """Accept an invitation: logged in → join the team; otherwise create an account first."""
    try:
        workshop = operations.workshop_of_invite(token)
    except DomainError:
        abort(404)
    if current_user.is_authenticated:
        if request.method == "POST":
            operations.join_team(workshop, current_user)
            db.session.commit()
            return redirect(url_for("workshops.cockpit", code=workshop.code))
        return render_template("workshops/invite.html", workshop=workshop, form=None)
    form = AccountForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(form.email.data, form.name.data, form.password.data)
        except DomainError as err:
            form.email.errors.append(err.to_dict()["message"])
        else:
            operations.join_team(workshop, user)
            db.session.commit()
            login_user(user)
            return redirect(url_for("workshops.cockpit", code=workshop.code))
    status = 200 if request.method == "GET" else 400
    return render_template("workshops/invite.html", workshop=workshop, form=form), status
