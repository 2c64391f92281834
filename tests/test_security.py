"""Security headers, cookies, CSRF and escaping of user text in server-rendered pages."""
from __future__ import annotations

import io
import re

import pytest

from facilitator.extensions import db as _db
from facilitator.workshops.models import Workshop
from tests.conftest import PASSWORD, RVR, make_app


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request.path}: no Content-Security-Policy"
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def check_csp(response) -> None:
    directives = csp_directives(response)
    path = response.request.path
    header = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header, path
    assert directives["default-src"] == ["'self'"], path
    assert directives["script-src"] == ["'self'"], path
    assert directives["object-src"] == ["'none'"], path
    assert directives["frame-ancestors"] == ["'none'"], path
    for name, sources in directives.items():
        assert "*" not in sources and "http:" not in sources and "https:" not in sources, (path, name)
    assert response.headers.get("X-Content-Type-Options") == "nosniff", path


def check_no_inline_code(response) -> None:
    """What the CSP would block must not be in the page: it would silently not work."""
    html = response.get_data(as_text=True)
    path = response.request.path
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
    assert not re.search(r"\sstyle=", html), path
    assert not re.search(r"\son[a-z]+\s*=", html), path
    assert "javascript:" not in html, path


def page_urls(app, workshop, token) -> list[str]:
    """Every GET page of the app with its parameters filled in (the API and static files aside)."""
    values = {"code": workshop.code, "key": workshop.screen_key, "token": token}
    urls = []
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith("/api/"):
            continue
        unknown = set(rule.arguments) - set(values)
        assert not unknown, f"{rule.rule}: teach page_urls() the parameters {unknown}"
        urls.append(adapter.build(rule.endpoint, {k: values[k] for k in rule.arguments}))
    return urls


# --- Content-Security-Policy on every page ----------------------------------------------------

def test_every_html_page_has_a_strict_csp(app, clients, workshop):
    token = "nur-fuer-den-test"
    urls = page_urls(app, workshop, token)
    assert {f"/w/{workshop.code}/cockpit", f"/j/{workshop.code}", "/login"} <= set(urls)
    html_pages = 0
    for role in ("anonymous", "participant", "screen", "organiser", "other_facilitator"):
        http = clients.http(role)
        for url in urls + ["/does-not-exist"]:
            response = http.get(url)
            if response.mimetype == "text/html":
                html_pages += 1
                check_csp(response)
                check_no_inline_code(response)
    assert html_pages >= 20


def test_setup_page_has_a_strict_csp(app, db):
    from facilitator.core.bootstrap import new_setup_token

    response = app.test_client().get(f"/setup/{new_setup_token()}")
    assert response.status_code == 200
    check_csp(response)
    check_no_inline_code(response)


def test_error_pages_have_a_strict_csp(clients, workshop):
    for status, response in ((404, clients.http("organiser").get("/w/ZZZZZZ/cockpit")),
                             (403, clients.http("other_facilitator").get(f"/w/{workshop.code}/cockpit"))):
        assert response.status_code == status
        check_csp(response)


# --- cookies ----------------------------------------------------------------------------------

def test_session_cookie_is_httponly_and_samesite(app, organiser):
    response = app.test_client().post("/login", data={"email": organiser.email, "password": PASSWORD})
    assert response.status_code == 302
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header  # plain HTTP in development …


def test_cookies_are_secure_behind_https(app, organiser, workshop):
    app.config["SESSION_COOKIE_SECURE"] = True  # … FACILITATOR_SECURE_COOKIES=1 behind HTTPS
    client = app.test_client()
    login = client.post("/login", data={"email": organiser.email, "password": PASSWORD})
    assert "Secure" in next(h for h in login.headers.getlist("Set-Cookie") if h.startswith("session="))
    joined = app.test_client().post(f"/j/{workshop.code}", data={"display_name": ""})
    assert "Secure" in next(h for h in joined.headers.getlist("Set-Cookie") if h.startswith("wst_p_"))
    screen = app.test_client().get(f"/w/{workshop.code}/screen/{workshop.screen_key}")
    assert "Secure" in next(h for h in screen.headers.getlist("Set-Cookie") if h.startswith("wst_s_"))


# --- CSRF -------------------------------------------------------------------------------------

@pytest.fixture
def csrf_app(tmp_path):
    """The app with CSRF protection on, as in production."""
    with make_app(tmp_path / "csrf-instance", WTF_CSRF_ENABLED=True) as app:
        yield app


@pytest.fixture
def csrf_setup(csrf_app):
    """An organiser with the RVR workshop in the CSRF-protected app."""
    from facilitator.accounts.operations import create_user
    from facilitator.agenda.loader import load_template_file
    from facilitator.workshops.operations import create_from_template

    user = create_user("olga@example.org", "Olga", PASSWORD)
    workshop = create_from_template(user, load_template_file(RVR))
    _db.session.commit()
    return user, workshop


def logged_in(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    return client


def csrf_token_of(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert match, path
    return match[1]


def workshop_count() -> int:
    _db.session.expire_all()
    return _db.session.scalar(_db.select(_db.func.count(Workshop.id)))


def test_form_post_without_token_is_refused_and_creates_nothing(csrf_app, csrf_setup):
    user, _workshop = csrf_setup
    client = logged_in(csrf_app, user)
    before = workshop_count()

    response = client.post("/workshops/new", data={"template": "", "title": "Ohne Token"})
    assert response.status_code == 400
    assert workshop_count() == before

    token = csrf_token_of(client, "/workshops/new")
    response = client.post("/workshops/new", data={"template": "", "title": "Mit Token", "csrf_token": token})
    assert response.status_code == 302
    assert workshop_count() == before + 1


def test_login_and_logout_need_the_token(csrf_app, csrf_setup):
    user, _workshop = csrf_setup
    client = csrf_app.test_client()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 400
    assert client.get("/workshops").status_code == 302  # not logged in

    token = csrf_token_of(client, "/login")
    assert client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}).status_code == 302
    assert client.post("/logout").status_code == 400  # a foreign page cannot log me out
    assert client.get("/workshops").status_code == 200


def test_join_without_token_creates_no_participant(csrf_app, csrf_setup):
    from facilitator.join.models import Participant

    _user, workshop = csrf_setup
    client = csrf_app.test_client()
    assert client.post(f"/j/{workshop.code}", data={"display_name": "X"}).status_code == 400
    assert _db.session.scalar(_db.select(_db.func.count(Participant.id))) == 0

    token = csrf_token_of(client, f"/j/{workshop.code}")
    assert client.post(f"/j/{workshop.code}", data={"display_name": "X", "csrf_token": token}).status_code == 302


def test_import_without_token_creates_nothing(csrf_app, csrf_setup):
    user, _workshop = csrf_setup
    client = logged_in(csrf_app, user)
    before = workshop_count()
    response = client.post("/workshops/import", data={"file": (io.BytesIO(RVR.read_bytes()), "rvr.toml")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert workshop_count() == before


@pytest.mark.parametrize("method, path, body", [
    ("post", "/api/v1/workshops", {"title": "Per API"}),
    ("post", "/api/v1/workshops/{code}/commands/day.start", {}),
    ("delete", "/api/v1/workshops/{code}/agenda/items/{item}", None),
    ("put", "/api/v1/workshops/{code}/agenda/order", {"item_ids": []}),
])
def test_api_write_without_csrf_header_is_refused_as_json(csrf_app, csrf_setup, method, path, body):
    user, workshop = csrf_setup
    client = logged_in(csrf_app, user)
    url = path.format(code=workshop.code, item=workshop.items[4].id)
    _db.session.expire_all()
    before = (workshop_count(), _db.session.get(Workshop, workshop.id).seq, len(_db.session.get(Workshop, workshop.id).items))

    response = getattr(client, method)(url, json=body)

    assert response.status_code == 400
    assert response.is_json
    error = response.get_json()
    assert error["ok"] is False and error["error"]["code"] == "csrf_failed"
    _db.session.expire_all()
    assert (workshop_count(), _db.session.get(Workshop, workshop.id).seq, len(_db.session.get(Workshop, workshop.id).items)) == before


def test_api_write_with_csrf_header_works(csrf_app, csrf_setup):
    user, _workshop = csrf_setup
    client = logged_in(csrf_app, user)
    token = csrf_token_of(client, "/workshops")
    response = client.post("/api/v1/workshops", json={"title": "Per API"}, headers={"X-CSRFToken": token})
    assert response.status_code == 201
    assert client.get("/api/v1/workshops").status_code == 200  # reading needs no token


# --- user text is escaped ---------------------------------------------------------------------

EVIL = '<script>alert("x")</script>'


def assert_escaped(response, text: str = EVIL) -> None:
    html = response.get_data(as_text=True)
    assert text not in html, response.request.path
    assert "&lt;script&gt;" in html, response.request.path


def test_workshop_title_is_escaped_on_every_page(clients, workshop, db):
    workshop.title = EVIL
    db.session.commit()
    organiser = clients.http("organiser")
    for path in ("/workshops", f"/w/{workshop.code}/setup", f"/w/{workshop.code}/cockpit", f"/w/{workshop.code}/screen"):
        response = organiser.get(path)
        assert response.status_code == 200, path
        assert_escaped(response)
    assert_escaped(clients.http("anonymous").get(f"/j/{workshop.code}"))
    assert_escaped(clients.http("participant").get(f"/j/{workshop.code}/live"))


def test_display_name_is_escaped_when_the_form_comes_back(app, workshop):
    response = app.test_client().post(f"/j/{workshop.code}",
                                      data={"display_name": EVIL + "x" * 60, "organisation": EVIL})
    assert response.status_code == 400  # too long: the form is shown again with what was typed
    assert_escaped(response)


def test_file_name_in_an_import_error_is_escaped(clients):
    response = clients.http("organiser").post(
        "/workshops/import", data={"file": (io.BytesIO(b"format_version = 1\n[workshop"), EVIL + ".toml")},
        content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    assert_escaped(response)


def test_title_in_the_json_of_a_page_cannot_end_the_script_block(clients, workshop, db):
    workshop.title = "</script><script>alert(1)</script>"
    db.session.commit()
    html = clients.http("organiser").get(f"/w/{workshop.code}/cockpit").get_data(as_text=True)
    assert "<script>alert(1)" not in html
