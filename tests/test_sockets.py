"""Socket.IO per role: what each audience receives on connect, sequenced events, resync, presence."""
from __future__ import annotations

import pytest

from facilitator.extensions import socketio
from facilitator.join.models import Connection
from facilitator.workshops.models import Membership, Workshop
from tests.conftest import events

AUDIENCE_ROLES = ("participant", "organiser", "screen")


def snapshot_of(sock) -> dict:
    got = events(sock, "sync.snapshot")
    assert len(got) == 1, got
    return got[0][1]


def last(sock, name):
    got = events(sock, name)
    assert got, f"no {name} received"
    return got[-1][1]


def connections(db) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count(Connection.sid)))


# --- what each role gets on connect -----------------------------------------------------------

def test_participant_snapshot_has_no_notes_and_no_presence(clients, workshop):
    data = snapshot_of(clients.connect("participant"))["data"]

    assert data["me"]["role"] == "participant"
    assert data["me"]["display_name"] == "Paula Teilnehmerin"
    assert data["me"]["organisation_type"] == "kommune"
    assert "presence" not in data
    items = data["agenda"]["items"]
    assert len(items) == 10
    for row in items:
        assert "notes" not in row
        assert "planned_duration_s" not in row and "min_duration_s" not in row and "drift_s" not in row
    assert "screen_url" not in data["workshop"]  # the projector key is for facilitators only
    assert workshop.screen_key not in str(data)


@pytest.mark.parametrize("role", ["organiser", "facilitator"])
def test_facilitator_snapshot_has_notes_and_presence_with_participants(clients, workshop, role):
    clients.connect("participant")
    data = snapshot_of(clients.connect(role))["data"]

    assert data["me"]["role"] == role
    notes = {row["title"]: row["notes"] for row in data["agenda"]["items"]}
    assert notes["Begrüßung"].startswith("Beitrittslink und QR-Code")
    assert all("drift_s" in row and "min_duration_s" in row for row in data["agenda"]["items"])
    presence = data["presence"]
    assert presence["online"] == 1
    assert presence["joined"] == 1
    assert [p["display_name"] for p in presence["participants"]] == ["Paula Teilnehmerin"]
    assert data["workshop"]["screen_url"].endswith(f"/w/{workshop.code}/screen/{workshop.screen_key}")


def test_screen_snapshot_has_the_count_but_no_participants(clients, workshop):
    clients.connect("participant")
    clients.connect("participant")
    data = snapshot_of(clients.connect("screen"))["data"]

    assert data["me"] == {"role": "screen"}
    assert data["presence"] == {"online": 2}
    assert "Paula" not in str(data)
    assert all("notes" not in row for row in data["agenda"]["items"])
    assert workshop.screen_key not in str(data)


def test_snapshot_carries_server_time_and_sequence(clients, clock):
    message = snapshot_of(clients.connect("participant"))
    assert message["now"] == "2022-11-30T08:25:00Z"
    assert message["seq"] == 0


def test_a_member_opening_the_projector_is_a_screen(clients):
    data = snapshot_of(clients.connect("organiser", view="screen"))["data"]
    assert data["me"]["role"] == "screen"
    assert "participants" not in data["presence"]


# --- refused connections ----------------------------------------------------------------------

@pytest.mark.parametrize("role, view, code", [
    ("organiser", "cockpit", "NOPE42"),          # unknown workshop
    ("anonymous", "participant", None),          # participant view without cookie
    ("anonymous", "screen", None),               # projector without key or login
    ("anonymous", "cockpit", None),
    ("participant", "cockpit", None),            # a participant cannot open the cockpit
    ("participant", "screen", None),
    ("screen", "cockpit", None),                 # the projector key opens only the projector
    ("other_facilitator", "cockpit", None),      # facilitator of another workshop
    ("other_facilitator", "screen", None),
    ("organiser", "nonsense", None),             # unknown view
], ids=lambda v: str(v))
def test_connection_refused(clients, db, role, view, code):
    sock = clients.connect(role, view=view, workshop_code=code)
    assert not sock.is_connected()
    assert connections(db) == 0


def test_connection_refused_without_auth_data(app, clients, db):
    sock = socketio.test_client(app, flask_test_client=clients.http("organiser"))
    assert not sock.is_connected()
    assert connections(db) == 0


def test_participant_cookie_of_another_workshop_is_not_enough(app, clients, factory, organiser, db):
    from facilitator.core.auth import participant_cookie

    other = factory.workshop(organiser, template=None, title="Zweite Werkstatt")
    _p, token = factory.participant(clients.workshop)
    http = app.test_client()
    http.set_cookie(participant_cookie(clients.workshop), token)
    sock = socketio.test_client(app, flask_test_client=http, auth={"workshop": other.code, "view": "participant"})
    assert not sock.is_connected()


def test_wrong_screen_key_is_refused(app, clients, db):
    from facilitator.core.auth import screen_cookie

    http = app.test_client()
    http.set_cookie(screen_cookie(clients.workshop), "guessed")
    sock = socketio.test_client(app, flask_test_client=http, auth={"workshop": clients.workshop.code, "view": "screen"})
    assert not sock.is_connected()


def test_join_code_in_auth_is_normalised(clients, workshop):
    code = workshop.code.lower()
    sock = clients.connect("participant", workshop_code=f"{code[:3]}-{code[3:]}")
    assert sock.is_connected()
    assert snapshot_of(sock)["data"]["workshop"]["code"] == workshop.code


# --- sequenced events -------------------------------------------------------------------------

@pytest.fixture
def audience(clients):
    """A phone, the cockpit and the projector, connected, with their connect messages read."""
    socks = {role: clients.connect(role) for role in AUDIENCE_ROLES}
    for sock in socks.values():
        sock.get_received()
    return socks


def test_state_events_reach_every_audience_with_consecutive_seq(audience, clock):
    cockpit = audience["organiser"]
    assert cockpit.emit("day.start", {}, callback=True)["ok"]
    clock.advance(minutes=3)
    assert cockpit.emit("agenda.extend", {"minutes": 5}, callback=True)["ok"]
    clock.advance(minutes=1)
    assert cockpit.emit("agenda.next", {}, callback=True)["ok"]

    received = {role: events(sock, "workshop.state") for role, sock in audience.items()}
    for role, got in received.items():
        assert [message["seq"] for _name, message in got] == [1, 2, 3], role
    # every audience saw the same change under the same number
    for index in range(3):
        views = [received[role][index][1]["data"]["agenda"] for role in AUDIENCE_ROLES]
        assert len({(v["current_id"], tuple(i["status"] for i in v["items"])) for v in views}) == 1
    final = received["participant"][-1][1]["data"]["agenda"]
    assert [i["status"] for i in final["items"]][:3] == ["done", "running", "pending"]
    # each audience gets its own view: notes only in the cockpit
    assert "notes" in received["organiser"][-1][1]["data"]["agenda"]["items"][0]
    assert "notes" not in received["participant"][-1][1]["data"]["agenda"]["items"][0]
    assert "notes" not in received["screen"][-1][1]["data"]["agenda"]["items"][0]


def test_participant_sees_the_running_timer(audience, clock):
    audience["organiser"].emit("day.start", {}, callback=True)
    message = last(audience["participant"], "workshop.state")
    running = next(i for i in message["data"]["agenda"]["items"] if i["status"] == "running")
    assert running["title"] == "Begrüßung"
    assert running["ends_at"] == "2022-11-30T08:35:00Z"  # 09:25 + 10 min, Berlin
    assert message["now"] == "2022-11-30T08:25:00Z"  # clients count down from the server's now


def test_refused_command_publishes_nothing(audience):
    ack = audience["organiser"].emit("agenda.next", {}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "workshop_planned"
    for sock in audience.values():
        assert events(sock, "workshop.state") == []
        assert events(sock, "sync.seq") == []


def test_broadcast_reaches_phones_and_projector(audience):
    ack = audience["organiser"].emit("broadcast.send", {"text": "Noch 5 Minuten"}, callback=True)
    assert ack["ok"] and isinstance(ack["broadcast_id"], int)
    for role, sock in audience.items():
        got = events(sock, "broadcast.sent")
        assert len(got) == 1, role
        assert got[0][1]["data"]["text"] == "Noch 5 Minuten"
        assert got[0][1]["seq"] == 1


def test_broadcast_is_in_the_snapshot_of_who_comes_later(audience, clients):
    audience["organiser"].emit("broadcast.send", {"text": "Zurück ins Plenum"}, callback=True)
    late = snapshot_of(clients.connect("participant"))
    assert [b["text"] for b in late["data"]["broadcasts"]] == ["Zurück ins Plenum"]
    assert late["seq"] == 1


def test_events_of_one_workshop_do_not_reach_another(audience, app, factory, organiser):
    from facilitator.core.auth import participant_cookie

    other = factory.workshop(organiser, title="Andere")
    _p, token = factory.participant(other)
    http = app.test_client()
    http.set_cookie(participant_cookie(other), token)
    stranger = socketio.test_client(app, flask_test_client=http, auth={"workshop": other.code, "view": "participant"})
    assert stranger.is_connected()
    stranger.get_received()

    audience["organiser"].emit("day.start", {}, callback=True)
    audience["organiser"].emit("broadcast.send", {"text": "Nur für uns"}, callback=True)
    assert events(stranger) == []
    stranger.disconnect()


# --- resync -----------------------------------------------------------------------------------

def test_sync_request_after_a_missed_event_returns_the_latest_state(audience, clock):
    phone, cockpit = audience["participant"], audience["organiser"]
    cockpit.emit("day.start", {}, callback=True)
    clock.advance(minutes=2)
    cockpit.emit("agenda.pause", {}, callback=True)
    phone.get_received()  # the phone was offline: it never saw seq 1 and 2 …
    clock.advance(minutes=1)
    cockpit.emit("agenda.resume", {}, callback=True)
    latest = last(phone, "workshop.state")     # … and now sees seq 3 after seq 0: a gap
    assert latest["seq"] == 3

    ack = phone.emit("sync.request", {}, callback=True)
    assert ack["ok"]
    snap = ack["snapshot"]
    assert snap["seq"] == latest["seq"]
    assert snap["data"]["agenda"] == latest["data"]["agenda"]
    assert snap["data"]["workshop"] == latest["data"]["workshop"]
    assert snap["data"]["me"]["role"] == "participant"
    assert "presence" not in snap["data"]


def test_sync_request_gives_each_role_its_view(audience):
    audience["organiser"].emit("broadcast.send", {"text": "Hallo"}, callback=True)
    cockpit = audience["organiser"].emit("sync.request", {}, callback=True)["snapshot"]
    screen = audience["screen"].emit("sync.request", {}, callback=True)["snapshot"]
    assert cockpit["seq"] == screen["seq"] == 1
    assert "participants" in cockpit["data"]["presence"]
    assert "participants" not in screen["data"]["presence"]
    assert [b["text"] for b in screen["data"]["broadcasts"]] == ["Hallo"]


# --- presence ---------------------------------------------------------------------------------

def test_presence_updates_on_connect_and_disconnect(clients):
    cockpit = clients.connect("facilitator")
    screen = clients.connect("screen")
    for sock in (cockpit, screen):
        sock.get_received()

    phone = clients.connect("participant")
    seen = last(cockpit, "presence.changed")["data"]
    assert seen["online"] == 1
    assert [p["display_name"] for p in seen["participants"]] == ["Paula Teilnehmerin"]
    assert last(screen, "presence.changed")["data"] == {"online": 1}
    assert events(phone, "presence.changed") == []  # phones are not told who is online

    phone.disconnect()
    after = last(cockpit, "presence.changed")["data"]
    assert after["online"] == 0
    assert after["participants"] == []
    assert after["joined"] == 1  # joined once, not online now
    assert last(screen, "presence.changed")["data"] == {"online": 0}


def test_presence_counts_people_not_tabs(clients, app):
    """The same participant with two tabs counts once."""
    from facilitator.core.auth import participant_cookie

    cockpit = clients.connect("facilitator")
    _p, token = clients.factory.participant(clients.workshop, name="Zwei Tabs")
    tabs = []
    for _ in range(2):
        http = app.test_client()
        http.set_cookie(participant_cookie(clients.workshop), token)
        tabs.append(socketio.test_client(app, flask_test_client=http,
                                         auth={"workshop": clients.workshop.code, "view": "participant"}))
    assert last(cockpit, "presence.changed")["data"]["online"] == 1
    tabs[0].disconnect()
    assert last(cockpit, "presence.changed")["data"]["online"] == 1
    tabs[1].disconnect()
    assert last(cockpit, "presence.changed")["data"]["online"] == 0


def test_connection_rows_follow_the_sockets(clients, db):
    phone = clients.connect("participant")
    cockpit = clients.connect("organiser")
    assert connections(db) == 2
    phone.disconnect()
    assert connections(db) == 1
    cockpit.disconnect()
    assert connections(db) == 0


def test_presence_ping_answers_the_server_time(clients, clock, db):
    phone = clients.connect("participant")
    clock.advance(minutes=2)
    ack = phone.emit("presence.ping", {}, callback=True)
    assert ack == {"ok": True, "now": "2022-11-30T08:27:00Z"}
    db.session.expire_all()
    row = db.session.execute(db.select(Connection)).scalar_one()
    assert row.seen_at.isoformat().startswith("2022-11-30T08:27:00")


def test_participants_without_ping_age_out(clients, clock):
    phone = clients.connect("participant")
    clock.advance(minutes=5)  # the phone's process died: no ping, no disconnect
    cockpit = clients.connect("organiser")
    assert snapshot_of(cockpit)["data"]["presence"]["online"] == 0
    phone.emit("presence.ping", {}, callback=True)
    assert cockpit.emit("sync.request", {}, callback=True)["snapshot"]["data"]["presence"]["online"] == 1


# --- identity is re-checked -------------------------------------------------------------------

def test_revoked_membership_stops_commands_of_an_open_connection(clients, db):
    cockpit = clients.connect("facilitator")
    user_id = db.session.execute(db.select(Connection.user_id)).scalar_one()
    db.session.execute(db.delete(Membership).filter_by(user_id=user_id))
    db.session.commit()

    ack = cockpit.emit("day.start", {}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    db.session.expire_all()
    assert db.session.get(Workshop, clients.workshop.id).state.value == "planned"
