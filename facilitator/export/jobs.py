"""Export jobs: make a documentation file in the background, with its progress in the database.

A job is created (``create_job``, in the request; the caller commits), then started
(``start_job``): a background task of Flask-SocketIO (a greenlet under gevent/eventlet, a thread
under threading) runs ``run_job`` in its own app context and thus its own database session. The
renderer reports ``progress(fraction, step)``; each report is written at once, in its own short
transaction, so a reload of the page — served by any process — shows how far it got. Between
reports the task yields (``socketio.sleep(0)``) so that under gevent the live workshop keeps
being served while a long export runs.

A process that dies leaves its jobs "queued" or "running" for ever. Such a job is not restarted
(the export may be what crashed it): once its heartbeat (``updated_at``, refreshed by every
progress report) is older than ``EXPORT_JOB_TIMEOUT`` seconds (default 600), it is marked
failed ("interrupted") the next time anyone looks at the workshop's jobs, and can be started again.

Of every workshop, only the newest ``KEEP_FINISHED`` finished jobs are kept (their files live in
the database); at most ``MAX_ACTIVE`` jobs per workshop run at once.
"""
from __future__ import annotations

import logging
import time
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from ..core.clock import iso, now_utc
from ..core.errors import Conflict, InvalidPayload, NotFound
from ..extensions import db, socketio
from .models import ACTIVE_STATES, ExportJob, JobState

log = logging.getLogger(__name__)

#: Finished (done or failed) jobs kept per workshop; older ones are deleted with their files.
KEEP_FINISHED = 5
#: Jobs per workshop that may be queued or running at the same time.
MAX_ACTIVE = 2
#: Seconds without a progress report after which a queued/running job counts as interrupted.
DEFAULT_TIMEOUT = 600
#: Progress is written at most this often (seconds), except for a new step and the end.
REPORT_INTERVAL = 0.2
INTERRUPTED = "interrupted"
#: The renderer's step keys as people read them; an unknown step is shown as it is.
STEP_LABELS = {"collect": _l("Collecting the contributions"), "render": _l("Making the file"),
               "layout": _l("Laying out the pages"), "done": _l("Done")}


def renderer():
    """The export package (``FORMATS`` and ``render``), looked up at call time so tests can stand in."""
    from .. import export

    return export


def formats() -> dict:
    return renderer().FORMATS


def format_label(fmt: str) -> str:
    spec = formats().get(fmt)
    label = getattr(spec, "label", None) if spec is not None else None
    if label is None and isinstance(spec, dict):
        label = spec.get("label")
    return str(label or fmt.upper())


# --- operations (never commit) -----------------------------------------------------------------

def create_job(workshop, fmt: str, *, anonymised: bool = True, user=None, locale: str = "de") -> ExportJob:
    """A queued job for ``workshop`` in ``fmt``.

    :raises InvalidPayload: ``unknown_export_format`` when ``fmt`` is not one of ``FORMATS``.
    :raises Conflict: ``export_busy`` when ``MAX_ACTIVE`` jobs of the workshop are still working.
    """
    if fmt not in formats():
        raise InvalidPayload(f"unknown export format {fmt!r}", code="unknown_export_format",
                             details={"formats": sorted(formats())})
    expire_stale(workshop.id)
    active = db.session.execute(
        select(db.func.count()).select_from(ExportJob)
        .where(ExportJob.workshop_id == workshop.id, ExportJob.state.in_(ACTIVE_STATES))
    ).scalar_one()
    if active >= MAX_ACTIVE:
        raise Conflict(f"{active} exports of this workshop are still running", code="export_busy")
    now = now_utc()
    job = ExportJob(workshop_id=workshop.id, format=fmt, is_anonymised=bool(anonymised), locale=locale,
                    state=JobState.queued,
                    progress=0.0, requested_by_id=getattr(user, "id", None), created_at=now, updated_at=now)
    db.session.add(job)
    db.session.flush()
    return job


def expire_stale(workshop_id: int | None = None) -> int:
    """Mark queued/running jobs without a heartbeat for ``EXPORT_JOB_TIMEOUT`` seconds as failed.

    Reads first and writes only when there is something to give up: the status is polled every
    second, and on SQLite every write takes the database's write lock.
    """
    timeout = float(current_app.config.get("EXPORT_JOB_TIMEOUT", DEFAULT_TIMEOUT))
    now = now_utc()
    query = select(ExportJob.id).where(ExportJob.state.in_(ACTIVE_STATES),
                                       ExportJob.updated_at < now - timedelta(seconds=timeout))
    if workshop_id is not None:
        query = query.where(ExportJob.workshop_id == workshop_id)
    stale = db.session.execute(query).scalars().all()
    if not stale:
        return 0
    db.session.execute(
        update(ExportJob).where(ExportJob.id.in_(stale), ExportJob.state.in_(ACTIVE_STATES))
        .values(state=JobState.failed, error=INTERRUPTED, finished_at=now)
        .execution_options(synchronize_session=False))
    db.session.expire_all()
    return len(stale)


def prune(workshop_id: int, keep: int = KEEP_FINISHED) -> int:
    """Delete the workshop's finished jobs beyond the newest ``keep``; returns how many."""
    finished = db.session.execute(
        select(ExportJob.id).where(ExportJob.workshop_id == workshop_id, ExportJob.state.not_in(ACTIVE_STATES))
        .order_by(ExportJob.created_at.desc(), ExportJob.id.desc())
    ).scalars().all()
    old = finished[keep:]
    if old:
        db.session.execute(delete(ExportJob).where(ExportJob.id.in_(old)).execution_options(synchronize_session=False))
    return len(old)


def get_job(workshop, job_id: int) -> ExportJob:
    """:raises NotFound: ``export_not_found`` also for a job of another workshop."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.workshop_id != workshop.id:
        raise NotFound("no such export of this workshop", code="export_not_found")
    return job


def jobs_of(workshop) -> list[ExportJob]:
    """The workshop's jobs, newest first (without loading their files)."""
    return db.session.execute(
        select(ExportJob).where(ExportJob.workshop_id == workshop.id)
        .order_by(ExportJob.created_at.desc(), ExportJob.id.desc())
    ).scalars().all()


def job_view(job: ExportJob, code: str) -> dict:
    """What the page and the API show of a job."""
    data = {
        "id": job.id, "format": job.format, "format_label": format_label(job.format),
        "anonymised": job.is_anonymised, "state": job.state.value,
        "progress": round(max(0.0, min(1.0, job.progress or 0.0)), 3),
        "step": str(STEP_LABELS.get(job.step, job.step)) if job.step else None,
        "error": job.error, "filename": job.filename, "size": job.size, "mimetype": job.mimetype,
        "created_at": iso(job.created_at), "finished_at": iso(job.finished_at),
        "status_url": url_for("api.export_status", code=code, job_id=job.id),
        "download_url": None,
    }
    if job.state == JobState.done:
        data["download_url"] = url_for("api.export_download", code=code, job_id=job.id)
    return data


# --- running -----------------------------------------------------------------------------------

def start_job(job_id: int):
    """Run the job in the background (``EXPORT_JOBS_INLINE``: right now, for deterministic tests).

    Call after the job was committed. Returns the background task (a thread or greenlet with
    ``join()``) or None when it ran inline.
    """
    app = current_app._get_current_object()
    if app.config.get("EXPORT_JOBS_INLINE"):
        run_job(job_id)
        return None

    def task():
        with app.app_context():
            try:
                run_job(job_id)
            finally:
                db.session.remove()

    return socketio.start_background_task(task)


class ProgressReporter:
    """The ``progress(fraction, step)`` callback handed to the renderer.

    Writes in its own transaction (not the renderer's session, which must not be committed or
    expired while it reads the workshop) and yields to other greenlets.
    """

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.last_at = 0.0
        self.last_step: str | None = None
        self.last_fraction = 0.0

    def __call__(self, fraction: float, step: str | None = None) -> None:
        fraction = max(self.last_fraction, max(0.0, min(1.0, float(fraction or 0.0))))
        step = (str(step)[:200] if step else self.last_step)
        moment = time.monotonic()
        if step != self.last_step or moment - self.last_at >= REPORT_INTERVAL or fraction >= 1.0:
            with db.engine.begin() as conn:
                conn.execute(update(ExportJob.__table__)
                             .where(ExportJob.__table__.c.id == self.job_id,
                                    ExportJob.__table__.c.state == JobState.running.value)
                             .values(progress=fraction, step=step, updated_at=now_utc()))
            self.last_at, self.last_step = moment, step
        self.last_fraction = fraction
        socketio.sleep(0)


def run_job(job_id: int) -> None:
    """Render the job's file and keep it; a failure is recorded on the job, never raised."""
    claimed = db.session.execute(
        update(ExportJob).where(ExportJob.id == job_id, ExportJob.state == JobState.queued)
        .values(state=JobState.running, updated_at=now_utc(), step=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not claimed:
        return  # unknown, already taken or given up
    job = db.session.get(ExportJob, job_id)
    from ..workshops.models import Workshop

    workshop = db.session.get(Workshop, job.workshop_id)
    fmt, anonymised, workshop_id, locale = job.format, job.is_anonymised, job.workshop_id, job.locale or "de"
    try:
        rendered = renderer().render(workshop, fmt, anonymised=anonymised, locale=locale, progress=ProgressReporter(job_id))
        data = bytes(rendered.data)
        values = {"state": JobState.done, "progress": 1.0, "result": data, "size": len(data),
                  "filename": rendered.filename, "mimetype": rendered.mimetype, "error": None}
    except Exception as err:  # noqa: BLE001 (whatever a renderer raises ends as a failed job)
        log.exception("export job %s (%s) failed", job_id, fmt)
        values = {"state": JobState.failed, "error": (f"{type(err).__name__}: {err}")[:500]}
    db.session.rollback()  # the renderer's reads end here
    now = now_utc()
    db.session.execute(
        update(ExportJob).where(ExportJob.id == job_id, ExportJob.state == JobState.running)
        .values(**values, finished_at=now, updated_at=now).execution_options(synchronize_session=False)
    )
    prune(workshop_id)
    db.session.commit()
