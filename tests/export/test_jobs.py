"""Export jobs: created, run in the background with progress in the database, kept, pruned, and
given up when their process died."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

import facilitator.export as export_package
from facilitator.core.clock import FrozenClock
from facilitator.export import Rendered
from facilitator.extensions import db as _db
from tests.conftest import REFERENCE_MORNING


@pytest.fixture
def clock():
    with FrozenClock(REFERENCE_MORNING) as frozen:
        yield frozen


def fresh(job_id: int):
    """The job as another request would read it (a new session, nothing cached)."""
    from facilitator.export.models import ExportJob

    _db.session.expire_all()
    return _db.session.get(ExportJob, job_id)


def make_job(workshop, organiser, fmt="md", **kwargs):
    from facilitator.export.jobs import create_job

    job = create_job(workshop, fmt, user=organiser, **kwargs)
    _db.session.commit()
    return job.id


class StandIn:
    """A renderer that reports a step and then waits until the test lets it finish."""

    def __init__(self, fail: Exception | None = None):
        self.reported = threading.Event()
        self.release = threading.Event()
        self.fail = fail
        self.calls = []

    def __call__(self, workshop, fmt, *, anonymised=True, progress=None, **_):
        self.calls.append((workshop.code, fmt, anonymised))
        progress(0.5, "render")
        self.reported.set()
        assert self.release.wait(10), "the test never released the renderer"
        if self.fail:
            raise self.fail
        return Rendered(b"%PDF-1.7 stand-in", f"doku-{workshop.code}.pdf", "application/pdf")


def test_a_job_renders_the_real_document_and_keeps_the_file(app, workshop, organiser):
    from facilitator.export.jobs import run_job
    from facilitator.export.models import JobState

    job_id = make_job(workshop, organiser, "md")
    assert fresh(job_id).state == JobState.queued
    run_job(job_id)
    job = fresh(job_id)
    assert job.state == JobState.done and job.progress == 1.0
    assert job.filename.endswith(".md") and job.mimetype.startswith("text/markdown")
    assert "Strategie Grüne Infrastruktur".encode() in job.result and job.size == len(job.result)
    assert job.finished_at is not None and job.requested_by_id == organiser.id and job.is_anonymised


def test_the_job_runs_in_the_background_and_its_progress_is_in_the_database(app, workshop, organiser, monkeypatch):
    from facilitator.export.jobs import start_job
    from facilitator.export.models import JobState

    stand_in = StandIn()
    monkeypatch.setattr(export_package, "render", stand_in)
    job_id = make_job(workshop, organiser, "pdf", anonymised=False)
    task = start_job(job_id)
    assert stand_in.reported.wait(10)
    running = fresh(job_id)  # what a page reload in another process would read
    assert running.state == JobState.running and running.progress == 0.5 and running.step == "render"
    stand_in.release.set()
    task.join(10)
    done = fresh(job_id)
    assert done.state == JobState.done and done.result == b"%PDF-1.7 stand-in"
    assert stand_in.calls == [(workshop.code, "pdf", False)]


def test_a_failing_renderer_fails_the_job_not_the_app(app, workshop, organiser, monkeypatch):
    from facilitator.export.jobs import start_job
    from facilitator.export.models import JobState

    stand_in = StandIn(fail=ValueError("kaputt"))
    stand_in.release.set()
    monkeypatch.setattr(export_package, "render", stand_in)
    job_id = make_job(workshop, organiser, "pdf")
    start_job(job_id).join(10)
    job = fresh(job_id)
    assert job.state == JobState.failed and job.error == "ValueError: kaputt" and job.result is None


def test_unknown_format_is_refused_and_creates_nothing(app, workshop, organiser):
    from facilitator.core.errors import InvalidPayload
    from facilitator.export.jobs import create_job
    from facilitator.export.models import ExportJob

    with pytest.raises(InvalidPayload) as refused:
        create_job(workshop, "odt", user=organiser)
    assert refused.value.code == "unknown_export_format"
    _db.session.rollback()
    assert not _db.session.execute(select(ExportJob)).first()


def test_only_a_few_jobs_run_at_once_per_workshop(app, factory, workshop, organiser):
    from facilitator.core.errors import Conflict
    from facilitator.export.jobs import MAX_ACTIVE, create_job

    for _ in range(MAX_ACTIVE):
        make_job(workshop, organiser)
    with pytest.raises(Conflict) as refused:
        create_job(workshop, "md", user=organiser)
    assert refused.value.code == "export_busy"
    _db.session.rollback()
    other = factory.workshop(organiser, title="Andere")
    make_job(other, organiser)  # another workshop is not held up


def test_a_job_of_a_crashed_process_is_given_up_after_the_timeout(app, workshop, organiser, clock):
    from facilitator.export.jobs import DEFAULT_TIMEOUT, INTERRUPTED, create_job, expire_stale
    from facilitator.export.models import JobState

    job_id = make_job(workshop, organiser)
    fresh(job_id).state = JobState.running  # its process died here
    _db.session.commit()
    clock.advance(seconds=DEFAULT_TIMEOUT - 1)
    assert expire_stale(workshop.id) == 0
    clock.advance(seconds=2)
    assert expire_stale(workshop.id) == 1
    _db.session.commit()
    job = fresh(job_id)
    assert job.state == JobState.failed and job.error == INTERRUPTED and job.finished_at == clock.at
    create_job(workshop, "md", user=organiser)  # and the slot is free again


def test_progress_reports_keep_a_job_alive(app, workshop, organiser, clock):
    from facilitator.export.jobs import DEFAULT_TIMEOUT, ProgressReporter, expire_stale
    from facilitator.export.models import JobState

    job_id = make_job(workshop, organiser)
    fresh(job_id).state = JobState.running
    _db.session.commit()
    report = ProgressReporter(job_id)
    for step in ("collect", "render"):
        clock.advance(seconds=DEFAULT_TIMEOUT - 10)
        report(0.3, step)
        assert expire_stale(workshop.id) == 0
    report(0.2, "render")  # never backwards
    assert fresh(job_id).progress == 0.3


def test_only_the_newest_finished_jobs_are_kept(app, workshop, organiser, clock):
    from facilitator.export.jobs import KEEP_FINISHED, jobs_of, run_job

    ids = []
    for _ in range(KEEP_FINISHED + 2):
        clock.advance(minutes=1)
        ids.append(make_job(workshop, organiser, "json"))
        run_job(ids[-1])
    assert [j.id for j in jobs_of(workshop)] == list(reversed(ids))[:KEEP_FINISHED]


def test_a_job_whose_workshop_was_deleted_meanwhile_ends_quietly(app, workshop, organiser, monkeypatch):
    from facilitator.export.jobs import start_job
    from facilitator.export.models import ExportJob
    from facilitator.export.retention import delete_workshop
    from facilitator.workshops.models import Workshop

    stand_in = StandIn()
    monkeypatch.setattr(export_package, "render", stand_in)
    job_id = make_job(workshop, organiser, "pdf")
    task = start_job(job_id)
    assert stand_in.reported.wait(10)
    delete_workshop(_db.session.get(Workshop, workshop.id))
    _db.session.commit()
    stand_in.release.set()
    task.join(10)
    assert not task.is_alive()
    assert _db.session.execute(select(ExportJob)).first() is None


def test_a_job_is_started_once_only(app, workshop, organiser, monkeypatch):
    from facilitator.export.jobs import run_job

    calls = []
    monkeypatch.setattr(export_package, "render", lambda *a, **k: calls.append(a) or Rendered(b"x", "x.md", "text/markdown"))
    job_id = make_job(workshop, organiser)
    run_job(job_id)
    run_job(job_id)
    assert len(calls) == 1


def test_job_view_for_people(app, workshop, organiser):
    from facilitator.export.jobs import job_view, run_job

    job_id = make_job(workshop, organiser, "json")
    with app.test_request_context("/?lang=en"):
        queued = job_view(fresh(job_id), workshop.code)
    assert queued["state"] == "queued" and queued["download_url"] is None and queued["format_label"] == "JSON"
    run_job(job_id)
    with app.test_request_context("/"):
        done = job_view(fresh(job_id), workshop.code)
    assert done["state"] == "done" and done["progress"] == 1.0
    assert done["download_url"] == f"/api/v1/workshops/{workshop.code}/exports/{job_id}/download"
    assert done["filename"].endswith(".json") and done["size"] > 100


def test_the_document_is_made_in_the_requesters_language(app, clients, workshop, organiser, monkeypatch):
    """An English page makes an English documentation; German is the default."""
    from facilitator.export import jobs
    from facilitator.export.jobs import run_job
    from facilitator.export.models import ExportJob

    monkeypatch.setattr(jobs, "start_job", lambda job_id: None)  # run here, not in the background

    http = clients.http("organiser")
    for lang in ("en", "de"):
        response = http.post(f"/api/v1/workshops/{workshop.code}/exports?lang={lang}", json={"format": "md"})
        assert response.status_code in (201, 202), response.get_json()
        job_id = response.get_json()["job"]["id"]
        run_job(job_id)
        _db.session.expire_all()
        job = _db.session.get(ExportJob, job_id)
        assert job.locale == lang
        text = http.get(f"/api/v1/workshops/{workshop.code}/exports/{job_id}/download").get_data(as_text=True)
        assert ("Agenda as planned and as run" in text) if lang == "en" else ("Programm: geplant und tatsächlich" in text)
