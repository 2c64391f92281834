"""Organisers invite co-facilitators by link; the team page lists and removes members."""
import re

from facilitator.workshops.models import Membership, Role
from tests.conftest import PASSWORD, login


def invite_path(client, workshop):
    page = client.get(f"/w/{workshop.code}/team")
    assert page.status_code == 200
    url = re.search(r'id="invite-url"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return url.split("localhost", 1)[1]


def roles_of(db, workshop):
    return {m.user.email: m.role for m in db.session.execute(db.select(Membership).filter_by(workshop_id=workshop.id)).scalars()}


def test_new_person_creates_account_from_invitation_and_runs_the_cockpit(app, db, clients, workshop):
    path = invite_path(clients.http("organiser"), workshop)
    guest = app.test_client()
    form = guest.get(path)
    assert form.status_code == 200 and "Konto anlegen" in form.get_data(as_text=True)
    response = guest.post(path, data={"name": "Conny Co", "email": "conny@example.org",
                                      "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302 and response.location.endswith(f"/w/{workshop.code}/cockpit")
    assert roles_of(db, workshop)["conny@example.org"] is Role.facilitator
    assert guest.get(f"/w/{workshop.code}/cockpit").status_code == 200
    # a facilitator is not an organiser: the team page stays closed
    assert guest.get(f"/w/{workshop.code}/team").status_code == 403


def test_logged_in_person_joins_with_one_click(app, db, factory, clients, workshop):
    path = invite_path(clients.http("organiser"), workshop)
    user = factory.user("Kim Kollegin", "kim@example.org")
    client = login(app.test_client(), user)
    assert client.get(f"/w/{workshop.code}/cockpit").status_code == 403
    assert client.post(path).status_code == 302
    assert client.get(f"/w/{workshop.code}/cockpit").status_code == 200


def test_forged_or_revoked_invitation_is_refused(app, db, clients, workshop):
    organiser = clients.http("organiser")
    path = invite_path(organiser, workshop)
    assert app.test_client().get(path[:-3] + "xyz").status_code == 404
    assert organiser.post(f"/w/{workshop.code}/team/revoke").status_code == 302
    assert app.test_client().get(path).status_code == 404
    assert app.test_client().get(invite_path(organiser, workshop)).status_code == 200


def test_remove_member_but_never_the_last_organiser(app, db, factory, clients, workshop, organiser):
    helper = factory.user("Hanna Helferin", "hanna@example.org")
    factory.member(workshop, helper, "facilitator")
    client = clients.http("organiser")
    assert client.post(f"/w/{workshop.code}/team/remove/{helper.id}").status_code == 302
    assert "hanna@example.org" not in roles_of(db, workshop)
    client.post(f"/w/{workshop.code}/team/remove/{organiser.id}")
    assert roles_of(db, workshop)["olga@example.org"] is Role.organiser


def test_participant_cannot_open_the_team_page(clients, workshop):
    assert clients.http("participant").get(f"/w/{workshop.code}/team").status_code == 302  # to login
    assert clients.http("other_facilitator").get(f"/w/{workshop.code}/team").status_code == 403


def test_new_links_tell_projectors_of_the_old_key_link(app, clients, workshop):
    """A projector that came in with the key link hears at once that it is revoked, and cannot
    come back with it; a logged-in member's projector view stays."""
    from facilitator.extensions import socketio
    from tests.conftest import events

    from facilitator.core.auth import screen_cookie
    from facilitator.extensions import db

    by_key = clients.connect("screen")
    logged_in = clients.connect("organiser", view="screen")
    events(by_key), events(logged_in)
    old_key = workshop.screen_key

    assert clients.http("organiser").post(f"/w/{workshop.code}/team/revoke").status_code == 302

    assert [e for e, _m in events(by_key)] == ["access.revoked"]
    assert "access.revoked" not in [e for e, _m in events(logged_in)]
    def projector(key):
        client = app.test_client()
        client.set_cookie(screen_cookie(workshop), key)
        return socketio.test_client(app, flask_test_client=client, auth={"workshop": workshop.code, "view": "screen"})

    db.session.expire_all()
    assert workshop.screen_key != old_key
    assert not projector(old_key).is_connected()
    assert projector(workshop.screen_key).is_connected()  # the new link works
