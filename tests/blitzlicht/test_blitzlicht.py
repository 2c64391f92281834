"""Blitzlicht: statements, the live wall per audience, moderation, spotlight, summary."""
import pytest

from facilitator.core.text import normalize_term, top_terms
from tests.conftest import events


def item_titled(workshop, title):
    return next(i for i in workshop.items if i.title == title)


@pytest.fixture
def round_running(clients, workshop, clock):
    """The RVR day jumped to its Blitzlicht (mood scale 1–5); returns the facilitator socket."""
    fac = clients.connect("organiser")
    blitz = item_titled(workshop, "Blitzlicht")
    assert fac.emit("agenda.goto", {"item_id": blitz.id}, callback=True)["ok"]
    return fac


def live_views(sock):
    return [e["data"]["view"] for _, e in events(sock, "activity.live")]


def test_statement_reaches_wall_on_projector_and_cockpit(clients, round_running):
    screen = clients.connect("screen")
    phone = clients.connect("participant")
    events(screen), events(round_running)
    ack = phone.emit("blitzlicht.submit", {"text": "Viele Ideen für Schwammstädte", "mood": 4}, callback=True)
    assert ack["ok"], ack
    assert ack["statement"]["text"] == "Viele Ideen für Schwammstädte"
    wall = live_views(screen)[-1]
    assert [s["text"] for s in wall["statements"]] == ["Viele Ideen für Schwammstädte"]
    assert wall["moods"]["4"] == 1
    assert live_views(round_running)[-1]["count"] == 1


def test_sending_again_replaces_my_statement(clients, round_running):
    phone = clients.connect("participant")
    phone.emit("blitzlicht.submit", {"text": "Erst so"}, callback=True)
    ack = phone.emit("blitzlicht.submit", {"text": "Dann anders"}, callback=True)
    assert ack["ok"]
    wall = live_views(phone)[-1]
    assert [s["text"] for s in wall["statements"]] == ["Dann anders"]


def test_late_joiner_lands_in_the_round_with_wall_and_own_statement(clients, round_running, workshop):
    phone = clients.connect("participant")
    phone.emit("blitzlicht.submit", {"text": "Gute Vernetzung", "mood": 5}, callback=True)
    snapshot = events(clients.connect("participant"), "sync.snapshot")[0][1]["data"]
    assert snapshot["activity"]["kind"] == "blitzlicht"
    assert snapshot["activity"]["view"]["prompt"] == "Was nehme ich heute mit?"
    assert snapshot["activity"]["view"]["mood_scale"] == [1, 5]
    assert [s["text"] for s in snapshot["activity"]["view"]["statements"]] == ["Gute Vernetzung"]
    assert snapshot["me"]["activity"] == {"statement": None}  # a new person has none yet


def test_reconnect_restores_my_statement(app, clients, round_running, workshop):
    from facilitator.core.auth import participant_cookie
    from facilitator.extensions import socketio

    http = clients.http("participant")
    first = socketio.test_client(app, flask_test_client=http, auth={"workshop": workshop.code, "view": "participant"})
    first.emit("blitzlicht.submit", {"text": "Mein Satz", "mood": 3}, callback=True)
    first.disconnect()
    again = socketio.test_client(app, flask_test_client=http, auth={"workshop": workshop.code, "view": "participant"})
    me = events(again, "sync.snapshot")[0][1]["data"]["me"]
    assert me["activity"]["statement"]["text"] == "Mein Satz"
    assert me["activity"]["statement"]["mood"] == 3
    again.disconnect()
    assert http.get_cookie(participant_cookie(workshop)) is not None


@pytest.mark.parametrize("payload, code", [
    ({"text": ""}, "invalid_payload"),
    ({"text": "x" * 281}, "invalid_payload"),
    ({"text": "ok", "mood": 6}, "invalid_mood"),
    ({"text": "ok", "mood": "gut"}, "invalid_payload"),
    ({"text": "ok", "extra": 1}, "invalid_payload"),
])
def test_bad_statements_are_refused_and_change_nothing(clients, round_running, payload, code):
    phone = clients.connect("participant")
    ack = phone.emit("blitzlicht.submit", payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == code
    assert live_views(round_running) == []
    snapshot = phone.emit("sync.request", {}, callback=True)["snapshot"]["data"]
    assert snapshot["activity"]["view"]["statements"] == []


def test_no_statement_outside_a_blitzlicht(clients, workshop, clock):
    fac = clients.connect("organiser")
    fac.emit("day.start", {}, callback=True)
    ack = clients.connect("participant").emit("blitzlicht.submit", {"text": "zu früh"}, callback=True)
    assert ack["error"]["code"] == "no_blitzlicht"


def test_closed_round_refuses_and_reopens(clients, round_running, workshop):
    blitz = item_titled(workshop, "Blitzlicht")
    phone = clients.connect("participant")
    assert round_running.emit("activity.input.set", {"item_id": blitz.id, "is_open": False}, callback=True)["ok"]
    state = events(phone, "activity.state")[-1][1]["data"]
    assert state["view"]["is_open"] is False
    ack = phone.emit("blitzlicht.submit", {"text": "zu spät"}, callback=True)
    assert ack["error"]["code"] == "activity_closed"
    round_running.emit("activity.input.set", {"item_id": blitz.id, "is_open": True}, callback=True)
    assert phone.emit("blitzlicht.submit", {"text": "wieder offen"}, callback=True)["ok"]


def test_next_item_closes_the_round(clients, round_running):
    phone = clients.connect("participant")
    round_running.emit("agenda.next", {}, callback=True)
    round_running.emit("agenda.previous", {}, callback=True)  # back: the round opens again
    assert phone.emit("blitzlicht.submit", {"text": "zurück"}, callback=True)["ok"]
    round_running.emit("agenda.next", {}, callback=True)
    assert phone.emit("blitzlicht.submit", {"text": "vorbei"}, callback=True)["error"]["code"] == "no_blitzlicht"


def test_hidden_statement_never_reaches_phones_or_projector(clients, round_running):
    phone = clients.connect("participant")
    screen = clients.connect("screen")
    ack = phone.emit("blitzlicht.submit", {"text": "Off-Topic-Werbung"}, callback=True)
    statement_id = ack["statement"]["id"]
    round_running.emit("blitzlicht.spotlight", {"statement_id": statement_id}, callback=True)
    assert events(screen, "activity.state")[-1][1]["data"]["view"]["spotlight"]["text"] == "Off-Topic-Werbung"
    assert round_running.emit("blitzlicht.hide", {"statement_id": statement_id}, callback=True)["ok"]
    for sock in (phone, screen):
        view = events(sock, "activity.state")[-1][1]["data"]["view"]
        assert view["statements"] == [] and view["spotlight"] is None and view["count"] == 0
        assert "Off-Topic-Werbung" not in str(view)
    cockpit_view = events(round_running, "activity.state")[-1][1]["data"]["view"]
    assert cockpit_view["statements"][0]["is_hidden"] is True
    assert cockpit_view["hidden_count"] == 1
    # a hidden statement cannot be put in the spotlight
    ack = round_running.emit("blitzlicht.spotlight", {"statement_id": statement_id}, callback=True)
    assert ack["error"]["code"] == "statement_hidden"


def test_other_workshops_statement_ids_are_not_found(clients, factory, round_running, organiser):
    ack = round_running.emit("blitzlicht.hide", {"statement_id": 999999}, callback=True)
    assert ack["error"]["code"] == "statement_not_found"


def test_summary_counts_moods_and_frequent_terms(clients, round_running, workshop):
    for text, mood in [("Grüne Infrastruktur braucht Flächen", 4), ("Flächen sichern und Bäume pflanzen", 5),
                       ("Bäume, Bäume, Bäume!", 4)]:
        clients.connect("participant").emit("blitzlicht.submit", {"text": text, "mood": mood}, callback=True)
    blitz = item_titled(workshop, "Blitzlicht")
    summary = round_running.emit("activity.summary", {"item_id": blitz.id}, callback=True)["summary"]
    assert summary["count"] == 3
    assert summary["moods"] == {"1": 0, "2": 0, "3": 0, "4": 2, "5": 1}
    terms = {t["term"]: t["count"] for t in summary["top_terms"]}
    assert terms["Bäume"] == 4 and terms["Flächen"] == 2
    assert "und" not in terms


def test_terms_merge_case_plural_and_whitespace():
    assert normalize_term("Bäume") == normalize_term("Baum") == normalize_term(" baum ")
    assert normalize_term("Stadtbäume") != normalize_term("Baum")


def test_top_terms_drop_stop_words():
    assert [t["term"] for t in top_terms(["Die Stadt und der Fluss", "die Stadt"])] == ["Stadt", "Fluss"]
