"""Pages of organisers and facilitators: dashboard, new workshop, setup, cockpit, projector, QR code."""
from __future__ import annotations

import hmac
import io
from pathlib import Path

import qrcode
import qrcode.image.svg
from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..agenda.loader import AgendaFileError, dump_template, list_templates, load_template
from ..core.auth import FACILITATORS, member_role, resolve_actor, screen_cookie
from ..extensions import db
from . import operations, queries
from .forms import ImportForm, NewWorkshopForm

bp = Blueprint("workshops", __name__)


def templates_dir() -> Path:
    return Path(current_app.root_path).parent / "agendas"


def load_member_workshop(code: str, roles=FACILITATORS):
    """The workshop of ``code`` if the logged-in user is a member with one of ``roles``."""
    workshop = queries.get_by_code(code)
    if workshop is None:
        abort(404)
    role = member_role(workshop, current_user)
    if role not in roles:
        abort(403)
    return workshop, role


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("workshops.dashboard"))
    return render_template("workshops/index.html")


@bp.get("/workshops")
@login_required
def dashboard():
    return render_template("workshops/dashboard.html", workshops=queries.workshops_of(current_user))


@bp.route("/workshops/new", methods=["GET", "POST"])
@login_required
def new():
    templates = list_templates(templates_dir())
    form = NewWorkshopForm()
    form.template.choices = [("", _("Blank workshop"))] + [(slug, t.workshop.title) for slug, t in templates]
    if form.validate_on_submit():
        chosen = dict(templates).get(form.template.data)
        title = (form.title.data or "").strip()
        if chosen is not None:
            workshop = operations.create_from_template(current_user, chosen, **({"title": title} if title else {}))
        else:
            workshop = operations.create_workshop(current_user, title or _("New workshop"))
        db.session.commit()
        flash(_("Workshop created. Join code: %(code)s", code=workshop.code))
        return redirect(url_for("workshops.setup", code=workshop.code))
    return render_template("workshops/new.html", form=form, import_form=ImportForm()), 200 if request.method == "GET" else 400


@bp.post("/workshops/import")
@login_required
def import_template():
    form = ImportForm()
    if not form.validate_on_submit():
        abort(400)
    raw = form.file.data.read(1_000_000)
    try:
        template = load_template(raw.decode("utf-8"), source=form.file.data.filename or "upload")
    except (AgendaFileError, UnicodeDecodeError) as err:
        flash(_("The agenda file was refused: %(error)s", error=str(err)), "error")
        return redirect(url_for("workshops.new"))
    workshop = operations.create_from_template(current_user, template)
    db.session.commit()
    return redirect(url_for("workshops.setup", code=workshop.code))


@bp.get("/w/<code>/setup")
@login_required
def setup(code: str):
    workshop, role = load_member_workshop(code)
    return render_template("workshops/setup.html", workshop=workshop, role=role)


@bp.get("/w/<code>/cockpit")
@login_required
def cockpit(code: str):
    workshop, role = load_member_workshop(code)
    return render_template("workshops/cockpit.html", workshop=workshop, role=role)


@bp.get("/w/<code>/screen")
def screen(code: str):
    workshop = queries.get_by_code(code)
    if workshop is None:
        abort(404)
    if resolve_actor(workshop, "screen") is None:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        abort(403)
    return render_template("workshops/screen.html", workshop=workshop)


@bp.get("/w/<code>/screen/<key>")
def screen_key(code: str, key: str):
    """The projector link for a machine nobody logs in on: remembers the key in a cookie."""
    workshop = queries.get_by_code(code)
    if workshop is None or not hmac.compare_digest(key, workshop.screen_key):
        abort(404)
    response = redirect(url_for("workshops.screen", code=workshop.code))
    response.set_cookie(screen_cookie(workshop), key, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"], max_age=7 * 24 * 3600)
    return response


@bp.get("/w/<code>/qr.svg")
def qr_code(code: str):
    """The join link as an SVG QR code (made here, no external service)."""
    workshop = queries.get_by_code(code)
    if workshop is None:
        abort(404)
    image = qrcode.make(queries.join_url(workshop), image_factory=qrcode.image.svg.SvgPathImage, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return Response(buffer.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=300"})


@bp.get("/w/<code>/agenda.toml")
@login_required
def export_agenda(code: str):
    workshop, _role = load_member_workshop(code)
    text = dump_template(operations.template_of(workshop))
    return Response(text, mimetype="application/toml", headers={
        "Content-Disposition": f'attachment; filename="agenda-{workshop.code}.toml"'})
