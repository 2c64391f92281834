"""Joining by code or QR: redirects, the participant cookie, coming back, closed joining, the QR code."""
from __future__ import annotations

from http.cookies import SimpleCookie

import pytest

from facilitator.core.auth import participant_cookie
from facilitator.extensions import socketio
from facilitator.join.models import Connection, Participant, hash_token
from tests.conftest import events

EN = "?lang=en"  # English text: the assertions do not depend on the state of the German catalogue


def participants(db) -> list[Participant]:
    db.session.expire_all()
    return db.session.execute(db.select(Participant).order_by(Participant.id)).scalars().all()


def cookie_header(response, name: str) -> SimpleCookie:
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert len(headers) == 1, response.headers.getlist("Set-Cookie")
    return headers[0]


def join(client, workshop, **form):
    return client.post(f"/j/{workshop.code}{EN}", data={"display_name": "", "organisation": "", "organisation_type": "", **form})


def live_socket(app, client, workshop):
    return socketio.test_client(app, flask_test_client=client, auth={"workshop": workshop.code, "view": "participant"})


# --- the code ---------------------------------------------------------------------------------

def test_code_page_shows_a_form(client):
    response = client.get("/j")
    assert response.status_code == 200
    assert b'name="code"' in response.data


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.mark.parametrize("typed", [
    lambda c: c.lower(),
    lambda c: f"{c[:3]}-{c[3:]}".lower(),
    lambda c: f"{c[:3]} {c[3:]}",
    lambda c: f"  {c}  ",
])
def test_code_as_people_type_it_redirects_to_the_workshop(client, workshop, typed):
    response = client.post("/j", data={"code": typed(workshop.code)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{workshop.code}")


def test_lower_case_code_in_the_link_redirects_to_the_canonical_one(client, workshop):
    response = client.get(f"/j/{workshop.code.lower()}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{workshop.code}")


def test_unknown_code_in_the_link_is_404_with_a_message(client, workshop):
    response = client.get(f"/j/ZZZZZZ{EN}")
    assert response.status_code == 404
    assert b"There is no workshop with this code" in response.data
    assert b'value="ZZZZZZ"' in response.data  # what was typed stays in the field to correct it


def test_unknown_code_in_the_form_is_refused_with_a_message(client, workshop):
    response = client.post(f"/j{EN}", data={"code": "ZZZ-ZZZ"})
    assert response.status_code in (400, 404)
    assert b"There is no workshop with this code" in response.data


def test_join_page_shows_the_workshop(client, workshop):
    response = client.get(f"/j/{workshop.code}")
    assert response.status_code == 200
    assert "Grüne Infrastruktur".encode() in response.data
    assert b'name="display_name"' in response.data and b'name="organisation_type"' in response.data


# --- joining ----------------------------------------------------------------------------------

def test_join_sets_a_safe_cookie_and_goes_to_the_live_page(client, workshop, db):
    response = join(client, workshop, display_name="Paula", organisation="Stadt Essen", organisation_type="kommune")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{workshop.code}/live")
    header = cookie_header(response, participant_cookie(workshop))
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Max-Age=" in header  # survives closing the browser on the phone
    [participant] = participants(db)
    assert (participant.display_name, participant.organisation, participant.organisation_type) == (
        "Paula", "Stadt Essen", "kommune")
    token = client.get_cookie(participant_cookie(workshop)).value
    assert participant.token_hash == hash_token(token) != token  # the database never holds the token

    live = client.get(f"/j/{workshop.code}/live")
    assert live.status_code == 200


def test_join_without_a_name(client, workshop, db):
    response = join(client, workshop)
    assert response.status_code == 302
    [participant] = participants(db)
    assert participant.display_name is None and participant.organisation_type is None


@pytest.mark.parametrize("form", [
    {"organisation_type": "geheimdienst"},
    {"display_name": "x" * 61},
])
def test_invalid_join_form_creates_nobody(client, workshop, db, form):
    response = join(client, workshop, **form)
    assert response.status_code == 400
    assert participants(db) == []
    assert participant_cookie(workshop) not in str(response.headers.getlist("Set-Cookie"))


def test_live_page_without_cookie_goes_to_the_join_page(client, workshop):
    response = client.get(f"/j/{workshop.code}/live")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{workshop.code}")


def test_unknown_workshop_live_page_is_404(client):
    assert client.get("/j/ZZZZZZ/live").status_code == 404


def test_coming_back_keeps_the_identity(app, client, workshop, db, clients):
    join(client, workshop, display_name="Paula", organisation_type="kommune")
    [participant] = participants(db)

    again = client.get(f"/j/{workshop.code}")  # the phone reloads the join link
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/j/{workshop.code}/live")
    assert len(participants(db)) == 1

    for _ in range(2):  # connect, lose the connection, connect again
        sock = live_socket(app, client, workshop)
        assert sock.is_connected()
        me = events(sock, "sync.snapshot")[0][1]["data"]["me"]
        assert (me["role"], me["display_name"], me["organisation"], me["organisation_type"]) == (
            "participant", "Paula", None, "kommune")
        db.session.expire_all()
        assert db.session.execute(db.select(Connection.participant_id)).scalar_one() == participant.id
        cockpit = clients.connect("organiser")
        assert [p["id"] for p in events(cockpit, "sync.snapshot")[0][1]["data"]["presence"]["participants"]] == [participant.id]
        cockpit.disconnect()
        sock.disconnect()
    assert len(participants(db)) == 1


def test_a_cookie_of_one_workshop_does_not_join_another(app, client, workshop, factory, organiser, db):
    other = factory.workshop(organiser, template=None, title="Andere")
    join(client, workshop)
    assert client.get(f"/j/{other.code}").status_code == 200  # asked to join, not let in
    assert client.get(f"/j/{other.code}/live").status_code == 302
    assert not live_socket(app, client, other).is_connected()


# --- closed joining ---------------------------------------------------------------------------

@pytest.fixture
def closed(clients, workshop, db):
    """Joining closed by the facilitator (``workshop.join.set``) after Paula joined."""
    paula = clients.http("participant")
    cockpit = clients.connect("organiser")
    assert cockpit.emit("workshop.join.set", {"is_open": False}, callback=True)["ok"]
    return paula


def test_closed_joining_refuses_new_participants(client, workshop, closed, db):
    count = len(participants(db))
    page = client.get(f"/j/{workshop.code}{EN}")
    assert page.status_code == 200
    assert b"Joining is closed" in page.data
    assert b'name="display_name"' not in page.data

    response = join(client, workshop, display_name="Zu spät")
    assert response.status_code == 409
    assert b"Joining is closed" in response.data
    assert len(participants(db)) == count
    assert participant_cookie(workshop) not in str(response.headers.getlist("Set-Cookie"))


def test_closed_joining_still_lets_returning_participants_in(app, workshop, closed):
    response = closed.get(f"/j/{workshop.code}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/live")
    assert closed.get(f"/j/{workshop.code}/live").status_code == 200
    assert live_socket(app, closed, workshop).is_connected()


def test_reopened_joining_accepts_again(client, clients, workshop, closed, db):
    cockpit = clients.connect("organiser")
    assert cockpit.emit("workshop.join.set", {"is_open": True}, callback=True)["ok"]
    assert join(client, workshop, display_name="Doch noch").status_code == 302


# --- QR code ----------------------------------------------------------------------------------

def test_qr_code_is_an_svg_of_the_join_link(app, client, workshop):
    response = client.get(f"/w/{workshop.code}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data and b"<path" in response.data
    assert b"<script" not in response.data

    app.config["PUBLIC_URL"] = "https://werkstatt.example.org"
    public = client.get(f"/w/{workshop.code}/qr.svg")
    assert public.status_code == 200
    assert public.data != response.data  # another URL, another code

    app.config["PUBLIC_URL"] = "https://werkstatt.example.org/"
    assert client.get(f"/w/{workshop.code}/qr.svg").data == public.data  # a trailing slash is the same URL


def test_qr_codes_of_two_workshops_differ(client, workshop, factory, organiser):
    other = factory.workshop(organiser, template=None)
    assert client.get(f"/w/{workshop.code}/qr.svg").data != client.get(f"/w/{other.code}/qr.svg").data


def test_qr_code_of_an_unknown_workshop_is_404(client):
    assert client.get("/w/ZZZZZZ/qr.svg").status_code == 404


def test_join_url_follows_the_public_url(app, clients, workshop):
    app.config["PUBLIC_URL"] = "https://werkstatt.example.org/"
    sock = clients.connect("screen")
    url = events(sock, "sync.snapshot")[0][1]["data"]["workshop"]["join_url"]
    assert url == f"https://werkstatt.example.org/j/{workshop.code}"
