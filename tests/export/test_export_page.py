"""The documentation page and the export API: who may, starting, listing, downloading, retention
date, deleting the workshop; CSRF; links from the cockpit and the dashboard."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from facilitator.extensions import db as _db
from tests.conftest import make_app

API = "/api/v1"


@pytest.fixture
def app(tmp_path):
    """Jobs run inline (at once, in the request) so that pages and downloads are deterministic."""
    with make_app(tmp_path / "instance", EXPORT_JOBS_INLINE=True) as app:
        yield app


def page_url(workshop) -> str:
    return f"/w/{workshop.code}/export"


def api_url(workshop, rest: str = "") -> str:
    return f"{API}/workshops/{workshop.code}/exports{rest}"


def error_of(response, status: int, code: str) -> None:
    assert response.status_code == status, (response.status_code, response.data[:300])
    body = response.get_json()
    assert body["ok"] is False and body["error"]["code"] == code, body
    assert body["error"]["message"]


def fingerprint() -> dict:
    _db.session.expire_all()
    with _db.engine.connect() as conn:
        return {t.name: sorted(map(repr, conn.execute(t.select()).all())) for t in _db.metadata.sorted_tables}


# --- the page ----------------------------------------------------------------------------------

def test_the_page_offers_every_format_the_switch_and_the_jobs(clients, workshop):
    from facilitator.export import FORMATS

    response = clients.http("organiser").get(page_url(workshop))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for key in FORMATS:
        match = re.search(rf'<input[^>]*id="(format-\d+)"[^>]*value="{key}"', html)
        assert match, f"no radio button for {key}"
        assert f'for="{match.group(1)}"' in html, f"the {key} radio button has no label"
    assert re.search(r'<input[^>]*checked[^>]*value="pdf"|<input[^>]*value="pdf"[^>]*checked', html)
    switch = re.search(r'<input[^>]*id="anonymised"[^>]*>', html).group(0)
    assert "checked" in switch and 'role="switch"' in switch and 'type="checkbox"' in switch
    assert 'for="anonymised"' in html
    assert 'role="status"' in html and "js/export.js" in html and "<script>" not in html
    assert 'data-export-jobs' in html and 'name="csrf_token"' in html


def test_the_page_is_german_by_default(clients, workshop):
    html = clients.http("organiser").get(page_url(workshop)).get_data(as_text=True)
    assert '<html lang="de">' in html


def test_zoom_csv_is_linked_per_round(clients, workshop):
    html = clients.http("organiser").get(page_url(workshop)).get_data(as_text=True)
    for n in (1, 2):  # the RVR day has two group-choice rounds
        assert f'/w/{workshop.code}/groups-zoom.csv?round={n}' in html


def test_cockpit_and_dashboard_link_the_page(clients, workshop):
    http = clients.http("organiser")
    assert f'href="{page_url(workshop)}"' in http.get(f"/w/{workshop.code}/cockpit").get_data(as_text=True)
    assert f'href="{page_url(workshop)}"' in http.get("/workshops").get_data(as_text=True)


def test_starting_from_the_form_shows_the_job_and_its_download(clients, workshop):
    http = clients.http("organiser")
    response = http.post(page_url(workshop), data={"format": "md", "anonymised": "y"})
    assert response.status_code == 302 and response.location.endswith(page_url(workshop))
    html = http.get(page_url(workshop)).get_data(as_text=True)
    link = re.search(r'href="(/api/v1/workshops/\w+/exports/(\d+)/download)"', html)
    assert link, "no download link"
    download = http.get(link.group(1))
    assert download.status_code == 200 and download.mimetype == "text/markdown"
    assert "attachment" in download.headers["Content-Disposition"] and ".md" in download.headers["Content-Disposition"]
    assert download.headers["Cache-Control"] == "private, no-store"
    assert "Strategie Grüne Infrastruktur" in download.get_data(as_text=True)


def test_the_switch_off_makes_a_named_export(clients, workshop, factory):
    from facilitator.export.models import ExportJob

    factory.participant(workshop, name="Zyx Benannt", org_type="kommune")
    http = clients.http("organiser")
    http.post(page_url(workshop), data={"format": "json"})  # an unticked checkbox is not sent
    job = _db.session.execute(select(ExportJob)).scalar_one()
    assert job.is_anonymised is False


def test_a_bad_format_from_the_form_is_refused(clients, workshop):
    response = clients.http("organiser").post(page_url(workshop), data={"format": "odt", "anonymised": "y"})
    assert response.status_code == 400


# --- the API -----------------------------------------------------------------------------------

def test_api_create_status_list_download(clients, workshop):
    http = clients.http("facilitator")  # facilitators export too
    created = http.post(api_url(workshop), json={"format": "json"})
    assert created.status_code == 202, created.data
    job = created.get_json()["job"]
    assert job["format"] == "json" and job["anonymised"] is True and job["state"] == "done"
    status = http.get(api_url(workshop, f"/{job['id']}")).get_json()
    assert status["ok"] and status["job"]["state"] == "done" and status["job"]["progress"] == 1.0
    listed = http.get(api_url(workshop)).get_json()
    assert [j["id"] for j in listed["jobs"]] == [job["id"]]
    assert [f["key"] for f in listed["formats"]] == ["pdf", "docx", "xlsx", "csv", "md", "json"]
    download = http.get(status["job"]["download_url"])
    assert download.status_code == 200 and download.mimetype == "application/json"
    assert download.get_json()  # a JSON document


def test_api_refuses_bad_input(clients, workshop):
    http = clients.http("organiser")
    before = fingerprint()
    error_of(http.post(api_url(workshop), json={"format": "odt"}), 422, "unknown_export_format")
    error_of(http.post(api_url(workshop), json={"format": "pdf", "x": 1}), 422, "invalid_payload")
    error_of(http.post(api_url(workshop), json={}), 422, "invalid_payload")
    error_of(http.get(api_url(workshop, "/999")), 404, "export_not_found")
    error_of(http.get(api_url(workshop, "/999/download")), 404, "export_not_found")
    assert fingerprint() == before


def test_download_before_the_job_is_done_is_refused(clients, workshop, organiser):
    from facilitator.export.jobs import create_job

    job = create_job(workshop, "pdf", user=organiser)
    _db.session.commit()
    error_of(clients.http("organiser").get(api_url(workshop, f"/{job.id}/download")), 409, "export_not_ready")


def test_a_job_of_another_workshop_is_not_found(clients, factory, organiser, workshop):
    other = factory.workshop(organiser, title="Zweite")
    http = clients.http("organiser")
    job = http.post(api_url(other), json={"format": "md"}).get_json()["job"]
    error_of(http.get(api_url(workshop, f"/{job['id']}")), 404, "export_not_found")
    error_of(http.get(api_url(workshop, f"/{job['id']}/download")), 404, "export_not_found")


def test_export_endpoints_are_in_the_openapi_document(app):
    doc = app.test_client().get(f"{API}/openapi.json").get_json()
    paths = doc["paths"]
    assert set(paths["/api/v1/workshops/{code}/exports"]) == {"get", "post"}
    assert "requestBody" in paths["/api/v1/workshops/{code}/exports"]["post"]
    assert "get" in paths["/api/v1/workshops/{code}/exports/{job_id}"]
    assert "get" in paths["/api/v1/workshops/{code}/exports/{job_id}/download"]


# --- who may -----------------------------------------------------------------------------------

@pytest.fixture
def done_job(clients, workshop):
    return clients.http("organiser").post(api_url(workshop), json={"format": "md"}).get_json()["job"]["id"]


@pytest.mark.parametrize("role, status, code", [
    ("anonymous", 401, "not_authenticated"),
    ("participant", 401, "not_authenticated"),   # a participant cookie is no login
    ("screen", 401, "not_authenticated"),        # nor is the projector key
    ("other_facilitator", 403, "forbidden"),
])
def test_the_api_refuses_who_is_not_on_the_team(clients, workshop, done_job, role, status, code):
    http = clients.http(role)
    before = fingerprint()
    for method, url, body in (("get", api_url(workshop), None), ("post", api_url(workshop), {"format": "md"}),
                              ("get", api_url(workshop, f"/{done_job}"), None),
                              ("get", api_url(workshop, f"/{done_job}/download"), None)):
        response = http.post(url, json=body) if method == "post" else http.get(url)
        error_of(response, status, code)
    assert fingerprint() == before


def test_unknown_workshop_is_404_json(clients, workshop):
    error_of(clients.http("organiser").get(f"{API}/workshops/ZZZZZZ/exports"), 404, "workshop_not_found")


@pytest.mark.parametrize("role, status", [
    ("anonymous", 302), ("participant", 302), ("screen", 302),   # to the login
    ("other_facilitator", 403),
])
def test_the_page_and_its_forms_refuse_who_is_not_on_the_team(clients, workshop, role, status):
    http = clients.http(role)
    before = fingerprint()
    for method, url, data in (("get", page_url(workshop), None),
                              ("post", page_url(workshop), {"format": "md", "anonymised": "y"}),
                              ("post", f"{page_url(workshop)}/retention", {"retain_until": "2099-01-01"}),
                              ("post", f"/w/{workshop.code}/delete", {"confirm_code": workshop.code})):
        response = http.post(url, data=data) if method == "post" else http.get(url)
        assert response.status_code == status, (role, url, response.status_code)
        if status == 302:
            assert "/login" in response.location
    assert fingerprint() == before


def test_facilitators_export_but_neither_change_retention_nor_delete(clients, workshop):
    http = clients.http("facilitator")
    html = http.get(page_url(workshop)).get_data(as_text=True)
    assert "confirm_code" not in html and "retain_until" not in html
    before = fingerprint()
    assert http.post(f"{page_url(workshop)}/retention", data={"retain_until": "2099-01-01"}).status_code == 403
    assert http.post(f"/w/{workshop.code}/delete", data={"confirm_code": workshop.code}).status_code == 403
    assert fingerprint() == before


# --- retention date and deletion from the page -------------------------------------------------

def test_the_organiser_sees_and_changes_the_retention_date(clients, workshop):
    from facilitator.workshops.models import Workshop

    http = clients.http("organiser")
    html = http.get(page_url(workshop)).get_data(as_text=True)
    assert "28.02.2023" in html  # 90 days after 30.11.2022
    chosen = date.today() + timedelta(days=200)
    response = http.post(f"{page_url(workshop)}/retention", data={"retain_until": chosen.isoformat()})
    assert response.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Workshop, workshop.id).retain_until == chosen
    assert chosen.strftime("%d.%m.%Y") in http.get(page_url(workshop)).get_data(as_text=True)
    refused = http.post(f"{page_url(workshop)}/retention", data={"retain_until": "2001-01-01"})
    assert refused.status_code == 400 and 'aria-invalid="true"' in refused.get_data(as_text=True)
    http.post(f"{page_url(workshop)}/retention", data={"retain_until": ""})
    _db.session.expire_all()
    assert _db.session.get(Workshop, workshop.id).retain_until is None


def test_deleting_needs_the_join_code_typed_in(clients, factory, organiser, workshop):
    from facilitator.workshops.models import Workshop

    kept = factory.workshop(organiser, title="Bleibt")
    code, wid, kept_code, kept_id = workshop.code, workshop.id, kept.code, kept.id
    http = clients.http("organiser")
    before = fingerprint()
    for typed in ("", "ABCDEF", kept_code):
        response = http.post(f"/w/{code}/delete", data={"confirm_code": typed})
        assert response.status_code == 400
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert fingerprint() == before
    response = http.post(f"/w/{code}/delete", data={"confirm_code": f" {code.lower()} "})
    assert response.status_code == 302 and response.location.endswith("/workshops")
    _db.session.expunge_all()
    assert _db.session.get(Workshop, wid) is None and _db.session.get(Workshop, kept_id) is not None
    assert http.get(f"/w/{code}/export").status_code == 404
    dashboard = http.get("/workshops").get_data(as_text=True)
    assert code not in dashboard and kept_code in dashboard


# --- CSRF --------------------------------------------------------------------------------------

def test_forms_and_api_need_the_csrf_token(tmp_path):
    from tests.conftest import Factory

    with make_app(tmp_path / "csrf", WTF_CSRF_ENABLED=True, EXPORT_JOBS_INLINE=True) as app:
        factory = Factory(_db)
        organiser = factory.user("Olga", "olga@example.org")
        workshop = factory.workshop(organiser)
        http = app.test_client()
        page = http.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
            re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
        assert http.post("/login", data={"email": organiser.email, "password": "correct horse battery",
                                         "csrf_token": token.group(1)}).status_code == 302
        before = fingerprint()
        assert http.post(page_url(workshop), data={"format": "md"}).status_code == 400
        assert http.post(f"/w/{workshop.code}/delete", data={"confirm_code": workshop.code}).status_code == 400
        error_of(http.post(api_url(workshop), json={"format": "md"}), 400, "csrf_failed")
        assert fingerprint() == before
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', http.get(page_url(workshop)).get_data(as_text=True)).group(1)
        assert http.post(api_url(workshop), json={"format": "md"}, headers={"X-CSRFToken": token}).status_code == 202


def test_the_documentation_as_a_web_page_for_the_team_only(app, clients, workshop, clock):
    """The results of every item so far, at once in the browser: anonymised unless asked."""
    from facilitator.core.auth import Actor
    from facilitator.core.commands import execute

    item = next(i for i in workshop.items if i.kind == "blitzlicht")
    with app.test_request_context("/"):
        assert execute("agenda.goto", Actor("organiser", workshop.id, user_id=clients.organiser.id), {"item_id": item.id})["ok"]
    phone = clients.connect("participant")  # "Paula Teilnehmerin"
    assert phone.emit("blitzlicht.submit", {"text": "Viel <b>gelernt</b>", "mood": 4}, callback=True)["ok"]

    organiser = clients.http("organiser")
    page = organiser.get(f"/w/{workshop.code}/export/preview")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Blitzlicht" in html
    assert "Viel &lt;b&gt;gelernt&lt;/b&gt;" in html and "Paula" not in html
    assert '<link rel="stylesheet" href="/static/css/print.css">' in html
    assert "Paula Teilnehmerin" in organiser.get(f"/w/{workshop.code}/export/preview?named=1").get_data(as_text=True)
    assert f'/w/{workshop.code}/export/preview' in organiser.get(f"/w/{workshop.code}/export").get_data(as_text=True)
    for role in ("participant", "other_facilitator"):
        assert clients.http(role).get(f"/w/{workshop.code}/export/preview").status_code in (302, 403, 404)
