"""Pages of organisers and facilitators: who may open them, the projector link, setup link, login."""
from __future__ import annotations

import io
from urllib.parse import unquote

import pytest

from facilitator.accounts.models import SetupToken, User
from facilitator.core.auth import screen_cookie
from facilitator.core.bootstrap import new_setup_token
from facilitator.workshops.models import Membership, Role, Workshop
from tests.conftest import PASSWORD, RVR, login

EN = "?lang=en"


def workshops(db) -> list[Workshop]:
    db.session.expire_all()
    return db.session.execute(db.select(Workshop).order_by(Workshop.id)).scalars().all()


def users(db) -> list[User]:
    db.session.expire_all()
    return db.session.execute(db.select(User).order_by(User.id)).scalars().all()


def redirected_to_login(response, path: str) -> bool:
    location = unquote(response.headers.get("Location", ""))
    return response.status_code == 302 and "/login" in location and path in location


# --- who may open the cockpit and the setup page ----------------------------------------------

@pytest.mark.parametrize("page", ["cockpit", "setup", "agenda.toml"])
@pytest.mark.parametrize("role", ["anonymous", "participant", "screen"])
def test_member_pages_need_login(clients, workshop, page, role):
    path = f"/w/{workshop.code}/{page}"
    response = clients.http(role).get(path)
    assert redirected_to_login(response, path), (response.status_code, response.headers.get("Location"))


@pytest.mark.parametrize("page", ["cockpit", "setup", "agenda.toml"])
def test_member_pages_need_membership(clients, workshop, page):
    assert clients.http("other_facilitator").get(f"/w/{workshop.code}/{page}").status_code == 403


@pytest.mark.parametrize("page", ["cockpit", "setup"])
@pytest.mark.parametrize("role", ["organiser", "facilitator"])
def test_members_open_cockpit_and_setup(clients, workshop, page, role):
    response = clients.http(role).get(f"/w/{workshop.code}/{page}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert workshop.code.encode() in response.data


@pytest.mark.parametrize("page", ["cockpit", "setup", "screen"])
def test_unknown_workshop_pages_are_404(clients, page):
    assert clients.http("organiser").get(f"/w/ZZZZZZ/{page}").status_code == 404


def test_export_page_downloads_the_agenda(clients, workshop):
    from facilitator.agenda.loader import load_template, load_template_file

    response = clients.http("organiser").get(f"/w/{workshop.code}/agenda.toml")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert load_template(response.get_data(as_text=True)) == load_template_file(RVR)


# --- the projector ----------------------------------------------------------------------------

def test_screen_page_needs_login_or_key(clients, workshop):
    path = f"/w/{workshop.code}/screen"
    assert redirected_to_login(clients.http("anonymous").get(path), path)
    assert redirected_to_login(clients.http("participant").get(path), path)
    assert clients.http("other_facilitator").get(path).status_code == 403
    assert clients.http("organiser").get(path).status_code == 200


def test_screen_key_link_sets_a_cookie_and_then_works_without_login(app, workshop):
    projector = app.test_client()
    response = projector.get(f"/w/{workshop.code}/screen/{workshop.screen_key}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/w/{workshop.code}/screen")
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(screen_cookie(workshop)))
    assert "HttpOnly" in header and "SameSite=Lax" in header

    page = projector.get(f"/w/{workshop.code}/screen")
    assert page.status_code == 200
    assert b'data-view="screen"' in page.data
    # the key opens the projector only
    assert redirected_to_login(projector.get(f"/w/{workshop.code}/cockpit"), "/cockpit")


def test_wrong_screen_key_is_404_and_sets_nothing(app, workshop):
    projector = app.test_client()
    response = projector.get(f"/w/{workshop.code}/screen/not-the-key")
    assert response.status_code == 404
    assert not response.headers.getlist("Set-Cookie") or screen_cookie(workshop) not in str(response.headers.getlist("Set-Cookie"))
    assert projector.get(f"/w/{workshop.code}/screen").status_code == 302


def test_screen_key_of_one_workshop_does_not_open_another(app, workshop, factory, organiser):
    other = factory.workshop(organiser, template=None)
    assert app.test_client().get(f"/w/{other.code}/screen/{workshop.screen_key}").status_code == 404


# --- dashboard and new workshop ---------------------------------------------------------------

def test_start_page_and_dashboard(clients, workshop, app):
    assert app.test_client().get("/").status_code == 200
    organiser = clients.http("organiser")
    assert organiser.get("/").headers["Location"].endswith("/workshops")
    dashboard = organiser.get("/workshops")
    assert dashboard.status_code == 200
    assert workshop.code.encode() in dashboard.data
    assert workshop.code.encode() not in clients.http("other_facilitator").get("/workshops").data


def test_dashboard_needs_login(app):
    assert redirected_to_login(app.test_client().get("/workshops"), "/workshops")


@pytest.mark.parametrize("title", ["", "Unsere Werkstatt"])
def test_new_workshop_from_a_template(clients, db, title):
    organiser = clients.http("organiser")
    assert organiser.get("/workshops/new").status_code == 200
    count = len(workshops(db))
    response = organiser.post("/workshops/new", data={"template": "rvr-gruene-infrastruktur-2022", "title": title})
    assert response.status_code == 302
    created = workshops(db)[-1]
    assert len(workshops(db)) == count + 1
    assert response.headers["Location"].endswith(f"/w/{created.code}/setup")
    assert created.title == (title or "1. Online-Werkstatt Strategie Grüne Infrastruktur")
    assert len(created.items) == 10


def test_new_blank_workshop(clients, db):
    response = clients.http("organiser").post("/workshops/new", data={"template": "", "title": "Leer"})
    assert response.status_code == 302
    created = workshops(db)[-1]
    assert created.title == "Leer" and created.items == []
    membership = db.session.execute(db.select(Membership).filter_by(workshop_id=created.id)).scalar_one()
    assert membership.role is Role.organiser


def test_import_an_agenda_file(clients, db):
    response = clients.http("organiser").post(
        "/workshops/import", data={"file": (io.BytesIO(RVR.read_bytes()), "rvr.toml")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    created = workshops(db)[-1]
    assert response.headers["Location"].endswith(f"/w/{created.code}/setup")
    assert len(created.items) == 10


def test_import_a_broken_file_says_why_and_creates_nothing(clients, db):
    organiser = clients.http("organiser")
    count = len(workshops(db))
    broken = RVR.read_text(encoding="utf-8").replace("duration = 10\nmin_duration = 5", 'duration = "zehn"\nmin_duration = 5', 1)
    response = organiser.post("/workshops/import", data={"file": (io.BytesIO(broken.encode()), "kaputt.toml")},
                              content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    assert len(workshops(db)) == count
    assert b"kaputt.toml" in response.data and b"items[0].duration" in response.data


# --- setup link -------------------------------------------------------------------------------

@pytest.fixture
def fresh(app, db):
    """A fresh installation: no account yet, one demo workshop without owner."""
    from facilitator.agenda.loader import load_template_file
    from facilitator.workshops.operations import create_from_template

    create_from_template(None, load_template_file(RVR))
    db.session.commit()
    return app


def setup_form(**overrides):
    return {"name": "Olga", "email": "Olga@Example.org", "password": "ein langes Passwort",
            "confirm": "ein langes Passwort", **overrides}


def test_setup_link_creates_the_first_organiser_once(fresh, db):
    token = new_setup_token()
    assert token
    client = fresh.test_client()
    assert client.get(f"/setup/{token}").status_code == 200

    response = client.post(f"/setup/{token}", data=setup_form())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/workshops")
    [user] = users(db)
    assert user.email == "olga@example.org"
    assert user.is_admin
    assert "ein langes Passwort" not in user.password_hash  # stored as a hash …
    assert user.check_password("ein langes Passwort")      # … that checks
    assert not user.check_password("falsch")
    # logged in right away, and owns the demo workshop
    dashboard = client.get("/workshops")
    assert dashboard.status_code == 200
    demo = workshops(db)[0]
    assert demo.code.encode() in dashboard.data

    # the link works once
    assert client.get(f"/setup/{token}").status_code == 404
    assert fresh.test_client().post(f"/setup/{token}", data=setup_form(email="mallory@example.org")).status_code == 404
    assert len(users(db)) == 1
    assert new_setup_token() is None  # no new link while an organiser exists


def test_setup_link_with_a_wrong_token_is_404(fresh, db):
    new_setup_token()
    assert fresh.test_client().get("/setup/geraten").status_code == 404
    assert fresh.test_client().post("/setup/geraten", data=setup_form()).status_code == 404
    assert users(db) == []


def test_a_new_setup_link_replaces_the_old_one(fresh, db):
    old = new_setup_token()
    new = new_setup_token()
    assert fresh.test_client().get(f"/setup/{old}").status_code == 404
    assert fresh.test_client().get(f"/setup/{new}").status_code == 200
    assert db.session.scalar(db.select(db.func.count(SetupToken.id))) == 1


@pytest.mark.parametrize("form", [
    setup_form(password="kurz", confirm="kurz"),
    setup_form(confirm="etwas anderes"),
    setup_form(email="keine-adresse"),
])
def test_setup_form_errors_create_nobody_and_keep_the_link(fresh, db, form):
    token = new_setup_token()
    client = fresh.test_client()
    assert client.post(f"/setup/{token}", data=form).status_code == 400
    assert users(db) == []
    assert client.get(f"/setup/{token}").status_code == 200


def test_setup_link_is_404_when_an_organiser_exists(app, organiser, db):
    assert new_setup_token() is None
    assert app.test_client().get("/setup/irgendwas").status_code == 404


# --- login ------------------------------------------------------------------------------------

def test_login_with_a_wrong_password_shows_an_error(app, organiser):
    client = app.test_client()
    response = client.post(f"/login{EN}", data={"email": organiser.email, "password": "falsch"})
    assert response.status_code == 400
    assert b"E-mail or password is wrong." in response.data
    assert redirected_to_login(client.get("/workshops"), "/workshops")  # not logged in


def test_login_with_an_unknown_email_says_the_same(app, organiser):
    response = app.test_client().post(f"/login{EN}", data={"email": "niemand@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert b"E-mail or password is wrong." in response.data


def test_login_is_case_insensitive_and_follows_next(app, organiser, workshop):
    client = app.test_client()
    response = client.post(f"/login?next=/w/{workshop.code}/cockpit",
                           data={"email": organiser.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/w/{workshop.code}/cockpit")


@pytest.mark.parametrize("target", ["//evil.example.org/", "https://evil.example.org/", "javascript:alert(1)"])
def test_login_never_redirects_off_site(app, organiser, target):
    response = app.test_client().post(f"/login?next={target}", data={"email": organiser.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/workshops")


def test_logout(app, organiser):
    client = login(app.test_client(), organiser)
    assert client.get("/workshops").status_code == 200
    assert client.post("/logout").status_code == 302
    assert redirected_to_login(client.get("/workshops"), "/workshops")
