"""The documentation page (/w/<code>/export): export jobs, downloads, retention, deleting the workshop;
and the export jobs in the REST API (/api/v1/workshops/<code>/exports…).

Only organisers and facilitators of the workshop see the page and its jobs; only organisers
change the retention date or delete the workshop.
"""
from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from pydantic import Field
from sqlalchemy import select
from wtforms import BooleanField, DateField, RadioField, StringField
from wtforms.validators import DataRequired, Optional

from ..core.api import endpoint
from ..core.auth import FACILITATORS, ORGANISERS
from ..core.clock import as_utc
from ..core.commands import Payload, parse_payload
from ..core.errors import Conflict, DomainError
from ..extensions import db
from ..workshops import api as _workshop_api  # noqa: F401  (its endpoints come first in the API docs)
from . import jobs, retention
from .models import ExportJob, JobState

bp = Blueprint("export", __name__)


# --- forms -------------------------------------------------------------------------------------

class ExportForm(FlaskForm):
    format = RadioField(_l("Format"), default="pdf", validators=[DataRequired()])
    anonymised = BooleanField(_l("anonymised"), default=True)


class RetentionForm(FlaskForm):
    retain_until = DateField(_l("Keep personal data until"), validators=[Optional()])


class DeleteForm(FlaskForm):
    confirm_code = StringField(_l("Type the join code to confirm"), validators=[DataRequired()])


def export_form() -> ExportForm:
    form = ExportForm()
    form.format.choices = [(key, jobs.format_label(key)) for key in jobs.formats()]
    return form


@bp.app_template_filter("export_time")
def export_time(value, workshop) -> str:
    """An ISO time or datetime as "30.11.2022, 14:05" in the workshop's time zone."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value
    return as_utc(moment).astimezone(ZoneInfo(workshop.timezone or "Europe/Berlin")).strftime("%d.%m.%Y, %H:%M")


@bp.app_template_filter("export_date")
def export_date(value, workshop) -> str:
    return export_time(value, workshop).split(",")[0]


# --- pages -------------------------------------------------------------------------------------

def page_locale() -> str:
    """The language the requester reads the app in: the documentation is made in it."""
    from flask_babel import get_locale

    return "en" if str(get_locale() or "de").startswith("en") else "de"


def load(code: str, roles=FACILITATORS):
    from ..workshops.routes import load_member_workshop

    return load_member_workshop(code, roles)


def group_rounds(workshop) -> list[int]:
    """The rounds of the group choice this workshop has (for the Zoom CSV links); none without groups."""
    from ..groups.models import GroupRound, ThemeGroup
    from ..groups.operations import OPENS_ROUND_SETTING, item_round

    has_groups = db.session.execute(select(ThemeGroup.id).filter_by(workshop_id=workshop.id).limit(1)).first()
    if not has_groups:
        return []
    rounds = {item_round(i) for i in workshop.items
              if i.kind == "group_choice" or OPENS_ROUND_SETTING in (i.settings or {})}
    rounds |= set(db.session.execute(select(GroupRound.round).filter_by(workshop_id=workshop.id)).scalars())
    return sorted(rounds or {1})


def render_page(workshop, role, form=None, retention_form=None, delete_form=None, status=200):
    if jobs.expire_stale(workshop.id):
        db.session.commit()
    retention_form = retention_form or RetentionForm(retain_until=workshop.retain_until)
    return render_template(
        "export/page.html", workshop=workshop, role=role,
        form=form or export_form(), retention_form=retention_form, delete_form=delete_form or DeleteForm(),
        jobs=[jobs.job_view(job, workshop.code) for job in jobs.jobs_of(workshop)],
        rounds=group_rounds(workshop), keep_finished=jobs.KEEP_FINISHED,
        retention_date=retention.retention_date(workshop),
        default_retention_date=retention.default_retention_date(workshop),
        today=retention.local_today(workshop), latest_retention_date=retention.latest_retention_date(workshop),
    ), status


@bp.get("/w/<code>/export")
@login_required
def page(code: str):
    workshop, role = load(code)
    return render_page(workshop, role)


@bp.get("/w/<code>/export/preview")
@login_required
def preview(code: str):
    """The documentation as a web page, at once (no job): the results of every item so far.
    ``?named=1`` with the names people gave; anonymised otherwise."""
    from markupsafe import Markup

    from .model import build_document
    from .pdf import render_html

    workshop, _role = load(code)
    document = build_document(workshop, anonymised=request.args.get("named") != "1", locale=page_locale())
    stylesheet = Markup('<link rel="stylesheet" href="{}">').format(url_for("static", filename="css/print.css"))
    html = render_html(document).replace("</head>", f"{stylesheet}\n</head>", 1)
    return html, 200, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "private, no-store"}


@bp.post("/w/<code>/export")
@login_required
def start(code: str):
    """The form without JavaScript: start a job, then show the page again (it polls from there)."""
    workshop, role = load(code)
    form = export_form()
    if not form.validate_on_submit():
        return render_page(workshop, role, form=form, status=400)
    try:
        job = jobs.create_job(workshop, form.format.data, anonymised=form.anonymised.data, user=current_user,
                              locale=page_locale())
    except DomainError as err:
        db.session.rollback()
        flash(err.to_dict()["message"], "error")
        return redirect(url_for("export.page", code=workshop.code))
    db.session.commit()
    jobs.start_job(job.id)
    flash(_("The export has started. You can keep working; the download appears here."))
    return redirect(url_for("export.page", code=workshop.code))


@bp.post("/w/<code>/export/retention")
@login_required
def set_retention(code: str):
    workshop, role = load(code, ORGANISERS)
    form = RetentionForm()
    if not form.validate_on_submit():
        return render_page(workshop, role, retention_form=form, status=400)
    try:
        retention.set_retention_date(workshop, form.retain_until.data)
    except DomainError as err:
        db.session.rollback()
        form.retain_until.errors = [err.to_dict()["message"]]
        return render_page(workshop, role, retention_form=form, status=400)
    db.session.commit()
    flash(_("Personal data of this workshop is kept until %(date)s.",
            date=retention.retention_date(workshop).strftime("%d.%m.%Y")))
    return redirect(url_for("export.page", code=workshop.code) + "#retention-heading")


@bp.post("/w/<code>/delete")
@login_required
def delete(code: str):
    """Delete the workshop with everything in it, after its join code was typed in."""
    from ..workshops.models import normalise_join_code

    workshop, role = load(code, ORGANISERS)
    form = DeleteForm()
    if not form.validate_on_submit() or normalise_join_code(form.confirm_code.data) != workshop.code:
        form.confirm_code.errors = [_("That is not the join code of this workshop. Nothing was deleted.")]
        return render_page(workshop, role, delete_form=form, status=400)
    title = workshop.title
    retention.delete_workshop(workshop)
    db.session.commit()
    flash(_("The workshop “%(title)s” and all its data were deleted.", title=title))
    return redirect(url_for("workshops.dashboard"))


# --- REST API ----------------------------------------------------------------------------------

class ExportPayload(Payload):
    """Start an export of the workshop's documentation."""

    format: str = Field(min_length=1, max_length=10, description="pdf, docx, xlsx, csv, md or json")
    anonymised: bool = Field(default=True, description="Without names (default).")


def api_workshop(code: str):
    from ..workshops.api import member_actor

    workshop, _actor = member_actor(code)  # 401 without login, 404 unknown code, 403 not on the team
    return workshop


@endpoint("/workshops/<code>/exports")
def export_list(code: str):
    """The workshop's export jobs, newest first, with their progress."""
    workshop = api_workshop(code)
    if jobs.expire_stale(workshop.id):
        db.session.commit()
    return jsonify({"ok": True, "jobs": [jobs.job_view(job, workshop.code) for job in jobs.jobs_of(workshop)],
                    "formats": [{"key": key, "label": jobs.format_label(key)} for key in jobs.formats()]})


@endpoint("/workshops/<code>/exports", "POST", body=ExportPayload, status=202)
def export_create(code: str):
    """Start an export job (runs in the background; poll its status); the document is in the request's language (`?lang=en`)."""
    workshop = api_workshop(code)
    payload = parse_payload(ExportPayload, request.get_json(silent=True))
    job = jobs.create_job(workshop, payload.format, anonymised=payload.anonymised, user=current_user,
                          locale=page_locale())
    db.session.commit()
    job_id = job.id
    jobs.start_job(job_id)
    db.session.expire_all()
    return jsonify({"ok": True, "job": jobs.job_view(db.session.get(ExportJob, job_id), workshop.code)}), 202


@endpoint("/workshops/<code>/exports/<int:job_id>")
def export_status(code: str, job_id: int):
    """One export job: state, progress, current step, and the download link when done."""
    workshop = api_workshop(code)
    if jobs.expire_stale(workshop.id):
        db.session.commit()
    return jsonify({"ok": True, "job": jobs.job_view(jobs.get_job(workshop, job_id), workshop.code)})


@endpoint("/workshops/<code>/exports/<int:job_id>/download")
def export_download(code: str, job_id: int):
    """The finished file of an export job (as an attachment)."""
    workshop = api_workshop(code)
    job = jobs.get_job(workshop, job_id)
    if job.state != JobState.done:
        raise Conflict("the export is not finished", code="export_not_ready")
    data = db.session.execute(select(ExportJob.result).where(ExportJob.id == job.id)).scalar_one()
    response = send_file(io.BytesIO(data), mimetype=job.mimetype or "application/octet-stream",
                         as_attachment=True, download_name=job.filename or f"dokumentation-{workshop.code}.{job.format}")
    response.headers["Cache-Control"] = "private, no-store"
    return response
