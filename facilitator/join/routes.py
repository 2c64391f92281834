"""Joining by QR code or short code, and the participant's live page."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..core.auth import participant_cookie, participant_from_cookie
from ..core.errors import DomainError
from ..extensions import db
from ..workshops.queries import get_by_code
from . import operations
from .forms import CodeForm, JoinForm

bp = Blueprint("join", __name__)
#: The participant cookie lives long enough for a workshop day and the days after (retention is separate).
COOKIE_MAX_AGE = 30 * 24 * 3600


@bp.route("/j", methods=["GET", "POST"])
def code():
    form = CodeForm()
    if form.validate_on_submit():
        workshop = get_by_code(form.code.data)
        if workshop is not None:
            return redirect(url_for("join.enter", code=workshop.code))
        form.code.errors.append(_("There is no workshop with this code. Please check it."))
    status = 200 if request.method == "GET" else 400
    return render_template("join/code.html", form=form), status


@bp.route("/j/<code>", methods=["GET", "POST"])
def enter(code: str):
    workshop = get_by_code(code)
    if workshop is None:
        form = CodeForm(code=code)
        # not validated, so WTForms' errors is still an (immutable) tuple
        form.code.errors = [_("There is no workshop with this code. Please check it.")]
        return render_template("join/code.html", form=form), 404
    if code != workshop.code:
        return redirect(url_for("join.enter", code=workshop.code))
    host_token = request.args.get("host")  # arriving through a group's host link: back there after joining
    after_join = url_for("groups.host_link", code=workshop.code, token=host_token) if host_token else url_for("join.live", code=workshop.code)
    if participant_from_cookie(workshop) is not None:
        return redirect(after_join)
    form = JoinForm()
    if form.validate_on_submit():
        try:
            _participant, token = operations.join(
                workshop, form.display_name.data, form.organisation.data, form.organisation_type.data, form.email.data
            )
            db.session.commit()
        except DomainError as err:
            db.session.rollback()
            return render_template("join/enter.html", workshop=workshop, form=form, error=err), 409
        response = redirect(after_join)
        response.set_cookie(
            participant_cookie(workshop), token, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        return response
    status = 200 if request.method == "GET" else 400
    return render_template("join/enter.html", workshop=workshop, form=form, error=None), status


@bp.get("/j/<code>/live")
def live(code: str):
    workshop = get_by_code(code)
    if workshop is None:
        abort(404)
    if participant_from_cookie(workshop) is None:
        return redirect(url_for("join.enter", code=workshop.code))
    return render_template("join/live.html", workshop=workshop)
