"""Live polls over sockets: what each role receives, voting rules, moderation, named polls.

The workshop here is seed 002 (Netzwerkaustausch 2021): its item "Abfrage: Wen sollten wir
stärker einbinden?" is a ``poll`` item showing the template poll "akteure" (multiple choice,
9 options, at most 3 answers, "Sonstige" allowed).
"""
from __future__ import annotations

import json

import pytest

from facilitator.extensions import db
from facilitator.polls.models import Poll, PollState, PollVote
from tests.conftest import events
from tests.polls.conftest import AKTEURE, NETZ, POLL_ITEM
from tests.polls.helpers import item_titled, last, ok, poll_in, polls_in, refused, vote_rows


@pytest.fixture
def workshop(factory, organiser):
    """Seed 002 instead of the RVR day (``clients`` builds on this fixture)."""
    return factory.workshop(organiser, template=NETZ)


@pytest.fixture
def fac(clients, workshop, clock):
    """The organiser's cockpit, with the day jumped to the poll item (its poll opens)."""
    sock = clients.connect("organiser")
    ok(sock.emit("agenda.goto", {"item_id": item_titled(workshop, POLL_ITEM).id}, callback=True))
    return sock


@pytest.fixture
def akteure(fac, workshop):
    return polls_in(workshop)[0].id


def phone(clients, factory, workshop, name=None, org_type=None):
    """A connected participant with a chosen name / organisation type."""
    from facilitator.core.auth import participant_cookie
    from facilitator.extensions import socketio

    _p, token = factory.participant(workshop, name=name, org_type=org_type)
    http = clients.app.test_client()
    http.set_cookie(participant_cookie(workshop), token)
    sock = socketio.test_client(clients.app, flask_test_client=http, auth={"workshop": workshop.code, "view": "participant"})
    clients.sockets.append(sock)
    return sock


def snapshot(sock):
    return sock.emit("sync.request", {}, callback=True)["snapshot"]["data"]


def current(view):
    """The poll an activity view shows now."""
    return poll_in(view, view["view"]["current_id"])


# --- the poll item -----------------------------------------------------------------------------

def test_starting_the_poll_item_opens_the_template_poll_for_everyone(clients, fac, workshop, akteure):
    data = events(clients.connect("participant"), "sync.snapshot")[0][1]["data"]
    assert data["activity"]["kind"] == "poll"
    poll = current(data["activity"])
    assert poll["id"] == akteure and poll["question"] == AKTEURE
    assert poll["state"] == "open" and poll["kind"] == "multiple_choice" and poll["max_choices"] == 3
    assert poll["options"][:3] == ["Immobilieneigentümer*innen", "Flächeneigentümer*innen", "Jugendliche"]
    assert poll["allow_other"] is True and poll["is_anonymous"] is True
    assert poll["results"] is None  # hidden until revealed (the default)
    assert data["me"]["activity"] == {"poll_votes": {}}


def test_vote_reaches_the_cockpit_coalesced_and_is_mine_after_a_reconnect(app, clients, fac, workshop, akteure):
    from facilitator.core.auth import participant_cookie
    from facilitator.extensions import socketio

    http = clients.http("participant")
    first = socketio.test_client(app, flask_test_client=http, auth={"workshop": workshop.code, "view": "participant"})
    fac.get_received()
    ack = ok(first.emit("poll.vote", {"poll_id": akteure, "choices": [0, 2], "other": "Kleingärtner*innen"}, callback=True))
    assert ack["vote"]["choices"] == [0, 2] and ack["vote"]["text"] == "Kleingärtner*innen"
    results = poll_in(last(fac, "activity.live"), akteure)["results"]
    assert [o["count"] for o in results["options"]][:3] == [1, 0, 1]
    assert results["other"]["count"] == 1 and results["other"]["answers"][0]["text"] == "Kleingärtner*innen"
    assert not events(fac, "activity.state")  # a vote is not a sequenced change
    first.disconnect()
    again = socketio.test_client(app, flask_test_client=http, auth={"workshop": workshop.code, "view": "participant"})
    mine = events(again, "sync.snapshot")[0][1]["data"]["me"]["activity"]["poll_votes"][str(akteure)]
    assert mine["choices"] == [0, 2] and mine["text"] == "Kleingärtner*innen"
    again.disconnect()
    assert http.get_cookie(participant_cookie(workshop)) is not None


def test_hidden_results_are_not_in_participant_or_projector_payloads(clients, factory, fac, workshop, akteure):
    screen = clients.connect("screen")
    voter = phone(clients, factory, workshop, org_type="kommune")
    ok(voter.emit("poll.vote", {"poll_id": akteure, "choices": [1], "other": "Geheimtipp"}, callback=True))
    for sock in (voter, screen):
        payloads = [e["data"] for _n, e in events(sock, "activity.live")] + [snapshot(sock)["activity"]]
        assert len(payloads) == 2
        for payload in payloads:
            text = json.dumps(payload, ensure_ascii=False)
            assert '"count"' not in text and '"share"' not in text and "breakdown" not in text
            assert "Geheimtipp" not in text
        view = snapshot(sock)["activity"]
        poll = current(view)
        assert poll["results"] is None and poll["results_public"] is False
        assert poll["turnout"]["voters"] == 1  # how many voted is no result
    assert poll_in(last(fac, "activity.live"), akteure)["results"]["options"][1]["count"] == 1

    ok(fac.emit("poll.reveal", {"poll_id": akteure}, callback=True))
    for sock in (voter, screen):
        poll = poll_in(last(sock, "activity.state"), akteure)
        assert poll["results_public"] is True
        assert poll["results"]["options"][1] == {"index": 1, "label": "Flächeneigentümer*innen", "count": 1, "share": 1.0}
        assert poll["results"]["other"]["answers"] == [{"text": "Geheimtipp"}]  # no ids, no moderation state
        assert "breakdown" not in poll and "named" not in poll
    ok(fac.emit("poll.reveal", {"poll_id": akteure, "is_revealed": False}, callback=True))
    assert poll_in(last(screen, "activity.state"), akteure)["results"] is None


def test_live_results_reach_phones_while_voting(clients, factory, fac, workshop, akteure):
    screen = clients.connect("screen")
    ok(fac.emit("poll.set_live", {"poll_id": akteure, "is_live_results": True}, callback=True))
    assert poll_in(last(screen, "activity.state"), akteure)["results"]["voters"] == 0
    ok(phone(clients, factory, workshop).emit("poll.vote", {"poll_id": akteure, "choices": [2, 3]}, callback=True))
    results = poll_in(last(screen, "activity.live"), akteure)["results"]
    assert results["voters"] == 1 and results["options"][2]["count"] == 1


def test_voting_again_replaces_my_vote(clients, factory, fac, workshop, akteure):
    voter = phone(clients, factory, workshop)
    ok(voter.emit("poll.vote", {"poll_id": akteure, "choices": [0]}, callback=True))
    ok(voter.emit("poll.vote", {"poll_id": akteure, "choices": [4, 5], "other": "Kirchen"}, callback=True))
    rows = vote_rows(akteure)
    assert len(rows) == 1 and rows[0][1:] == ([4, 5], "Kirchen", False)
    results = poll_in(last(fac, "activity.live"), akteure)["results"]
    assert results["voters"] == 1 and results["options"][0]["count"] == 0 and results["options"][4]["count"] == 1


def test_closed_poll_refuses_votes_and_reopens(clients, factory, fac, workshop, akteure):
    voter = phone(clients, factory, workshop)
    ok(voter.emit("poll.vote", {"poll_id": akteure, "choices": [0]}, callback=True))
    ok(fac.emit("poll.close", {"poll_id": akteure}, callback=True))
    assert current(last(voter, "activity.state"))["state"] == "closed"
    before = vote_rows(akteure)
    refused(voter.emit("poll.vote", {"poll_id": akteure, "choices": [1]}, callback=True), "poll_closed")
    # a closed poll says so even for a vote that would not fit anyway
    refused(voter.emit("poll.vote", {"poll_id": akteure, "value": 3}, callback=True), "poll_closed")
    assert vote_rows(akteure) == before
    refused(fac.emit("poll.close", {"poll_id": akteure}, callback=True), "poll_not_open")
    refused(fac.emit("poll.open", {"poll_id": akteure}, callback=True), "poll_not_draft")
    ok(fac.emit("poll.reopen", {"poll_id": akteure}, callback=True))
    refused(fac.emit("poll.reopen", {"poll_id": akteure}, callback=True), "poll_not_closed")
    ok(voter.emit("poll.vote", {"poll_id": akteure, "choices": [1]}, callback=True))
    assert vote_rows(akteure)[0][1] == [1]


def test_the_next_item_closes_the_poll(clients, factory, fac, workshop, akteure):
    voter = phone(clients, factory, workshop)
    ok(fac.emit("agenda.next", {}, callback=True))
    refused(voter.emit("poll.vote", {"poll_id": akteure, "choices": [0]}, callback=True), "poll_closed")
    ok(fac.emit("agenda.previous", {}, callback=True))  # back: what the facilitator closed stays closed
    assert polls_in(workshop)[0].state is PollState.closed


# --- validation: every refusal changes nothing -------------------------------------------------

AKTEURE_REFUSALS = [
    ({"choices": [9]}, "invalid_choice"),
    ({"choices": [-1]}, "invalid_choice"),
    ({"choices": [0, 0]}, "invalid_choice"),
    ({"choices": [0, 1, 2, 3]}, "too_many_choices"),
    ({"choices": [0, 1, 2], "other": "Sport"}, "too_many_choices"),
    ({"choices": []}, "too_few_choices"),
    ({}, "too_few_choices"),
    ({"value": 3}, "invalid_payload"),
    ({"text": "Jugendliche"}, "invalid_payload"),
    ({"choices": [0], "other": ""}, "invalid_payload"),
    ({"choices": [0], "other": "   "}, "invalid_payload"),
    ({"choices": [0], "other": "x" * 201}, "invalid_payload"),
    ({"choices": "0"}, "invalid_payload"),
    ({"choices": [True]}, "invalid_payload"),
    ({"choices": ["1"]}, "invalid_payload"),
    ({"choices": [0.5]}, "invalid_payload"),
    ({"choices": [0], "extra": 1}, "invalid_payload"),
    ({"poll_id": 999999, "choices": [0]}, "poll_not_found"),
    ({"poll_id": "eins", "choices": [0]}, "invalid_payload"),
]


def test_bad_votes_are_refused_and_change_nothing(clients, factory, fac, workshop, akteure):
    # one workshop for the whole table: creating users (scrypt) dominates the cost of a test
    voter = phone(clients, factory, workshop)
    ok(voter.emit("poll.vote", {"poll_id": akteure, "choices": [7]}, callback=True))
    before = vote_rows(akteure)
    fac.get_received()
    for payload, code in AKTEURE_REFUSALS:
        ack = refused(voter.emit("poll.vote", {"poll_id": akteure, **payload}, callback=True), code)
        if code != "poll_not_found":
            assert ack["error"]["details"]["fields"], (payload, ack)  # names the field
        assert vote_rows(akteure) == before, payload
    assert events(fac) == []  # nothing published


SPONTANEOUS = {
    "single": {"kind": "single_choice", "options": ["ja", "nein"], "allow_other": True},
    "scale": {"kind": "scale", "scale_min": 1, "scale_max": 5, "scale_labels": ["gar nicht", "sehr"]},
    "ranking": {"kind": "ranking", "options": ["Grün", "Blau", "Grau"]},
    "text": {"kind": "open_text"},
}
KIND_CASES = [
    ("single", {"choices": [0]}, None),
    ("single", {"other": "vielleicht"}, None),
    ("single", {"choices": [0, 1]}, "too_many_choices"),
    ("single", {"choices": [0], "other": "auch"}, "too_many_choices"),
    ("single", {"choices": [2]}, "invalid_choice"),
    ("single", {"value": 1}, "invalid_payload"),
    ("scale", {"value": 5}, None),
    ("scale", {"value": 6}, "invalid_scale_value"),
    ("scale", {"value": 0}, "invalid_scale_value"),
    ("scale", {"choices": [3]}, "invalid_payload"),
    ("scale", {}, "invalid_payload"),
    ("scale", {"value": 3, "other": "x"}, "other_not_allowed"),
    ("ranking", {"choices": [2, 0, 1]}, None),
    ("ranking", {"choices": [2, 0]}, "invalid_ranking"),
    ("ranking", {"choices": [2, 0, 0]}, "invalid_choice"),
    ("ranking", {"choices": [2, 0, 3]}, "invalid_choice"),
    ("ranking", {"choices": [0, 1, 2], "other": "Rot"}, "other_not_allowed"),
    ("text", {"text": "Mehr Jugendbeteiligung"}, None),
    ("text", {"text": ""}, "invalid_payload"),
    ("text", {"text": "x" * 200}, None),
    ("text", {"text": "x" * 201}, "invalid_payload"),
    ("text", {"choices": [0]}, "invalid_payload"),
    ("text", {}, "invalid_payload"),
]


@pytest.mark.parametrize("kind", SPONTANEOUS)
def test_votes_are_checked_by_the_polls_kind(clients, factory, fac, workshop, kind):
    created = ok(fac.emit("poll.create", {"question": f"Frage {kind}", **SPONTANEOUS[kind]}, callback=True))
    poll_id = created["poll_id"]
    ok(fac.emit("poll.open", {"poll_id": poll_id}, callback=True))
    for case_kind, payload, code in KIND_CASES:
        if case_kind != kind:
            continue
        voter = phone(clients, factory, workshop)
        before = vote_rows(poll_id)
        ack = voter.emit("poll.vote", {"poll_id": poll_id, **payload}, callback=True)
        if code is None:
            ok(ack)
            assert len(vote_rows(poll_id)) == len(before) + 1, payload
        else:
            refused(ack, code)
            assert vote_rows(poll_id) == before, payload


def test_a_draft_poll_takes_no_votes_and_phones_do_not_see_it(clients, factory, fac, workshop, akteure):
    poll_id = ok(fac.emit("poll.create", {"question": "Noch geheim?", "kind": "single_choice",
                                          "options": ["ja", "nein"]}, callback=True))["poll_id"]
    voter = phone(clients, factory, workshop)
    refused(voter.emit("poll.vote", {"poll_id": poll_id, "choices": [0]}, callback=True), "poll_not_open")
    assert [p["id"] for p in snapshot(voter)["activity"]["view"]["polls"]] == [akteure]
    assert "Noch geheim?" not in json.dumps(snapshot(clients.connect("screen")), ensure_ascii=False)
    cockpit = last(fac, "activity.state")["view"]
    assert [p["id"] for p in cockpit["polls"]] == [akteure, poll_id]
    assert cockpit["current_id"] == akteure  # the open one is shown
    refused(fac.emit("poll.reveal", {"poll_id": poll_id}, callback=True), "poll_not_opened")


# --- one vote per participant ------------------------------------------------------------------

def test_the_database_allows_one_vote_per_participant_and_poll(clients, factory, fac, workshop, akteure):
    from sqlalchemy.exc import IntegrityError

    participant, _token = factory.participant(workshop)
    db.session.add(PollVote(poll_id=akteure, participant_id=participant.id, choices=[0]))
    db.session.commit()
    db.session.add(PollVote(poll_id=akteure, participant_id=participant.id, choices=[1]))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert len(vote_rows(akteure)) == 1


def test_a_racing_second_vote_is_a_clean_error_and_saves_nothing(clients, factory, fac, workshop, akteure, monkeypatch):
    """Two votes of one person that both miss each other's row: the second insert meets the
    unique constraint and is answered with ``vote_conflict`` instead of a server error."""
    from facilitator.polls import operations

    voter = phone(clients, factory, workshop)
    ok(voter.emit("poll.vote", {"poll_id": akteure, "choices": [0]}, callback=True))
    monkeypatch.setattr(operations, "_vote_of", lambda poll_id, participant_id: None)  # the lookup raced
    fac.get_received()
    refused(voter.emit("poll.vote", {"poll_id": akteure, "choices": [1]}, callback=True), "vote_conflict")
    rows = vote_rows(akteure)
    assert len(rows) == 1 and rows[0][1] == [0]
    assert events(fac) == []
    monkeypatch.undo()
    ok(voter.emit("poll.vote", {"poll_id": akteure, "choices": [1]}, callback=True))  # sending again works
    assert vote_rows(akteure)[0][1] == [1]


# --- other workshops ---------------------------------------------------------------------------

def test_other_workshops_cannot_reach_our_polls(app, clients, factory, fac, workshop, akteure):
    from facilitator.extensions import socketio
    from tests.conftest import login

    user = factory.user("Otto Anderswo")
    theirs = factory.workshop(user, template=NETZ)
    cockpit = socketio.test_client(app, flask_test_client=login(app.test_client(), user),
                                   auth={"workshop": theirs.code, "view": "cockpit"})
    for name, payload in [("poll.close", {"poll_id": akteure}), ("poll.reveal", {"poll_id": akteure}),
                          ("poll.set_live", {"poll_id": akteure, "is_live_results": True}),
                          ("poll.update", {"poll_id": akteure, "question": "Gekapert?"})]:
        refused(cockpit.emit(name, payload, callback=True), "poll_not_found")
    our_item = item_titled(workshop, POLL_ITEM).id
    refused(cockpit.emit("poll.create", {"item_id": our_item, "question": "Fremd?", "kind": "open_text"}, callback=True),
            "item_not_found")
    their_phone = phone(clients, factory, theirs)
    refused(their_phone.emit("poll.vote", {"poll_id": akteure, "choices": [0]}, callback=True), "poll_not_found")
    mine = phone(clients, factory, workshop)
    ok(mine.emit("poll.vote", {"poll_id": akteure, "choices": [0], "other": "Etwas"}, callback=True))
    vote_id = db.session.execute(db.select(PollVote.id).filter_by(poll_id=akteure)).scalar_one()
    refused(cockpit.emit("poll.hide_answer", {"vote_id": vote_id}, callback=True), "vote_not_found")
    poll = polls_in(workshop)[0]
    assert poll.state is PollState.open and poll.question == AKTEURE and not poll.is_revealed
    assert vote_rows(akteure)[0][3] is False
    cockpit.disconnect()


# --- text answers: plain text, moderation -------------------------------------------------------

MARKUP = '<script>alert("x")</script><b>fett</b> &amp; <img src=x onerror=alert(1)>'


def test_markup_in_answers_is_stored_and_sent_as_plain_text(clients, factory, fac, workshop, akteure):
    voter = phone(clients, factory, workshop)
    ok(voter.emit("poll.vote", {"poll_id": akteure, "choices": [0], "other": MARKUP}, callback=True))
    assert vote_rows(akteure)[0][2] == MARKUP
    answers = poll_in(last(fac, "activity.live"), akteure)["results"]["other"]["answers"]
    assert answers[0]["text"] == MARKUP  # exactly as typed: the browser inserts it with textContent


def test_hiding_an_answer_removes_it_from_lists_and_word_cloud_at_once(clients, factory, fac, workshop, akteure):
    screen = clients.connect("screen")
    ok(fac.emit("poll.reveal", {"poll_id": akteure}, callback=True))
    voters = [phone(clients, factory, workshop) for _ in range(3)]
    for voter, other in zip(voters, ["Sportvereine", "Sportvereine und Kirchen", "Werbung für meinen Shop"]):
        ok(voter.emit("poll.vote", {"poll_id": akteure, "choices": [0], "other": other}, callback=True))
    cockpit = poll_in(last(fac, "activity.live"), akteure)["results"]["other"]
    spam = next(a for a in cockpit["answers"] if a["text"].startswith("Werbung"))
    assert spam["is_hidden"] is False and "vote_id" in spam

    ok(fac.emit("poll.hide_answer", {"vote_id": spam["vote_id"]}, callback=True))
    for sock in (screen, voters[0]):
        other = poll_in(last(sock, "activity.state"), akteure)["results"]["other"]
        assert "Werbung" not in json.dumps(other, ensure_ascii=False) and "Shop" not in json.dumps(other)
        assert {t["term"] for t in other["top_terms"]} >= {"Sportvereine"}
        assert other["count"] == 3  # the vote for "Sonstige" still counts; its words are gone
    cockpit = poll_in(last(fac, "activity.state"), akteure)["results"]["other"]
    assert next(a for a in cockpit["answers"] if a["vote_id"] == spam["vote_id"])["is_hidden"] is True
    assert cockpit["hidden_count"] == 1
    assert "Shop" not in {t["term"] for t in cockpit["top_terms"]}
    summary = ok(fac.emit("activity.summary", {"item_id": item_titled(workshop, POLL_ITEM).id}, callback=True))["summary"]
    marked = summary["polls"][0]["results"]["other"]["answers"]
    assert [a["is_hidden"] for a in marked if a["text"].startswith("Werbung")] == [True]

    ok(fac.emit("poll.hide_answer", {"vote_id": spam["vote_id"], "is_hidden": False}, callback=True))
    assert "Werbung" in json.dumps(poll_in(last(screen, "activity.state"), akteure), ensure_ascii=False)


def test_only_text_answers_can_be_hidden(clients, factory, fac, workshop, akteure):
    voter = phone(clients, factory, workshop)
    vote_id = ok(voter.emit("poll.vote", {"poll_id": akteure, "choices": [0]}, callback=True))["vote"]["id"]
    refused(fac.emit("poll.hide_answer", {"vote_id": vote_id}, callback=True), "no_text_answer")
    refused(fac.emit("poll.hide_answer", {"vote_id": 999999}, callback=True), "vote_not_found")


def test_open_text_answers_make_a_word_cloud(clients, factory, fac, workshop):
    poll_id = ok(fac.emit("poll.create", {"question": "Was fehlt?", "kind": "open_text", "is_live_results": True},
                          callback=True))["poll_id"]
    ok(fac.emit("poll.open", {"poll_id": poll_id}, callback=True))
    screen = clients.connect("screen")
    for text in ["Mehr Jugendliche", "Jugendliche und Kultur", "die Kultur!"]:
        ok(phone(clients, factory, workshop).emit("poll.vote", {"poll_id": poll_id, "text": text}, callback=True))
    results = poll_in(last(screen, "activity.live"), poll_id)["results"]
    assert results["text"]["count"] == 3
    terms = {t["term"]: t["count"] for t in results["text"]["top_terms"]}
    assert terms == {"Jugendliche": 2, "Kultur": 2}


# --- named polls, breakdown, turnout -------------------------------------------------------------

def test_named_poll_shows_who_voted_what_to_facilitators_only_and_only_named_people(clients, factory, fac, workshop):
    poll_id = ok(fac.emit("poll.create", {"question": "Wer übernimmt?", "kind": "single_choice",
                                          "options": ["ich", "jemand anderes"], "is_anonymous": False,
                                          "is_live_results": True}, callback=True))["poll_id"]
    ok(fac.emit("poll.open", {"poll_id": poll_id}, callback=True))
    screen = clients.connect("screen")
    named = phone(clients, factory, workshop, name="Nora Namentlich")
    unnamed = phone(clients, factory, workshop)
    ok(named.emit("poll.vote", {"poll_id": poll_id, "choices": [0]}, callback=True))
    ok(unnamed.emit("poll.vote", {"poll_id": poll_id, "choices": [1]}, callback=True))
    cockpit = poll_in(last(fac, "activity.live"), poll_id)
    assert cockpit["named"] == [{"name": "Nora Namentlich", "choices": [0], "text": None, "is_hidden": False}]
    for sock in (screen, named, unnamed):
        view = poll_in(last(sock, "activity.live"), poll_id)
        assert view["is_anonymous"] is False and view["results"]["voters"] == 2
        assert "Nora" not in json.dumps(view) and "named" not in view


def test_anonymous_poll_names_nobody_even_to_facilitators(clients, factory, fac, workshop, akteure):
    ok(phone(clients, factory, workshop, name="Nora Namentlich").emit(
        "poll.vote", {"poll_id": akteure, "choices": [0]}, callback=True))
    assert poll_in(last(fac, "activity.live"), akteure)["named"] is None
    assert "Nora" not in json.dumps(last(fac, "activity.live"))


def test_cockpit_breaks_results_down_by_organisation_type_merging_small_groups(clients, factory, fac, workshop, akteure):
    types = ["kommune"] * 4 + ["kreis"] * 3 + ["wissenschaft"] * 2 + [None]
    for i, org_type in enumerate(types):
        voter = phone(clients, factory, workshop, org_type=org_type)
        ok(voter.emit("poll.vote", {"poll_id": akteure, "choices": [0 if org_type == "kommune" else 2]}, callback=True))
    rows = poll_in(last(fac, "activity.live"), akteure)["breakdown"]
    assert [(r["group"], r["voters"]) for r in rows] == [("kommune", 4), ("kreis", 3), ("weitere", 3)]
    assert rows[0]["options"][0]["count"] == 4 and rows[2]["options"][2]["count"] == 3
    assert all("answers" not in json.dumps(r) for r in rows)
    summary = ok(fac.emit("activity.summary", {"item_id": item_titled(workshop, POLL_ITEM).id}, callback=True))["summary"]
    assert [(r["group"], r["voters"]) for r in summary["polls"][0]["breakdown"]] == [("kommune", 4), ("kreis", 3), ("weitere", 3)]


def test_turnout_counts_voters_against_people_online(clients, factory, fac, workshop, akteure):
    voters = [phone(clients, factory, workshop) for _ in range(3)]
    ok(voters[0].emit("poll.vote", {"poll_id": akteure, "choices": [0]}, callback=True))
    ok(voters[1].emit("poll.vote", {"poll_id": akteure, "choices": [1]}, callback=True))
    assert poll_in(last(fac, "activity.live"), akteure)["turnout"] == {"voters": 2, "eligible": 3}
    voters[1].disconnect()  # left after voting: still counts (never more than 100 %)
    voters[2].disconnect()
    ok(voters[0].emit("poll.vote", {"poll_id": akteure, "choices": [3]}, callback=True))
    assert poll_in(last(fac, "activity.live"), akteure)["turnout"] == {"voters": 2, "eligible": 2}


# --- facilitators prepare and run polls ----------------------------------------------------------

def test_spontaneous_poll_on_the_current_item_opens_and_closes_the_other(clients, factory, fac, workshop, akteure):
    screen = clients.connect("screen")
    poll_id = ok(fac.emit("poll.create", {"question": "Noch Energie?", "kind": "scale", "scale_labels": ["müde", "wach"]},
                          callback=True))["poll_id"]
    poll = poll_in(last(fac, "activity.state"), poll_id)
    assert poll["state"] == "draft" and (poll["scale_min"], poll["scale_max"]) == (1, 5)
    assert ok(fac.emit("poll.open", {"poll_id": poll_id}, callback=True))["closed_ids"] == [akteure]
    view = last(screen, "activity.state")["view"]
    assert view["current_id"] == poll_id
    assert {p["id"]: p["state"] for p in view["polls"]} == {akteure: "closed", poll_id: "open"}
    refused(fac.emit("poll.open", {"poll_id": poll_id}, callback=True), "poll_open")


def test_poll_create_needs_a_running_item_or_a_named_one(clients, workshop, clock):
    fac = clients.connect("organiser")
    refused(fac.emit("poll.create", {"question": "Wer?", "kind": "open_text"}, callback=True), "nothing_running")
    later = item_titled(workshop, "Abschluss")
    poll_id = ok(fac.emit("poll.create", {"item_id": later.id, "question": "Wer?", "kind": "open_text"},
                          callback=True))["poll_id"]
    assert db.session.get(Poll, poll_id).item_id == later.id
    refused(fac.emit("poll.create", {"item_id": 999999, "question": "Wer?", "kind": "open_text"}, callback=True),
            "item_not_found")


POLL_SPEC_REFUSALS = [
    {"kind": "single_choice"},  # no options
    {"kind": "single_choice", "options": ["ja", "Ja"]},
    {"kind": "scale", "options": ["a"]},
    {"kind": "open_text", "allow_other": True},
    {"kind": "ranking", "options": ["a", "b"], "allow_other": True},
    {"kind": "multiple_choice", "options": ["a", "b"], "max_choices": 3},
    {"kind": "multiple_choice", "options": ["a", "b", "c"], "min_choices": 3, "max_choices": 2},
    {"kind": "single_choice", "options": ["a", "b"], "max_choices": 1},
    {"kind": "scale", "scale_min": 5, "scale_max": 5},
    {"kind": "scale", "scale_labels": ["a", "b", "c"]},
    {"kind": "open_text", "scale_min": 1},
    {"kind": "quiz"},
    {"kind": "single_choice", "options": ["a", ""]},
    {"kind": "single_choice", "options": ["a"] * 31},
    {"kind": "open_text", "question": ""},
    {"kind": "open_text", "question": "x" * 301},
]


def test_polls_that_do_not_fit_their_kind_are_refused_and_change_nothing(clients, fac, workshop):
    before = [(p.id, p.question) for p in polls_in(workshop)]
    fac.get_received()
    for spec in POLL_SPEC_REFUSALS:
        ack = refused(fac.emit("poll.create", {"question": "Frage?", **spec}, callback=True), "invalid_payload")
        assert ack["error"]["details"]["fields"][0]["field"], spec
    assert [(p.id, p.question) for p in polls_in(workshop)] == before
    assert events(fac) == []


def test_drafts_can_be_edited_until_opened(clients, fac, workshop):
    poll_id = ok(fac.emit("poll.create", {"question": "Erst so?", "kind": "single_choice", "options": ["a", "b"]},
                          callback=True))["poll_id"]
    ok(fac.emit("poll.update", {"poll_id": poll_id, "question": "Dann so?", "kind": "multiple_choice",
                                "options": ["a", "b", "c"], "max_choices": 2}, callback=True))
    poll = poll_in(last(fac, "activity.state"), poll_id)
    assert (poll["question"], poll["kind"], poll["options"], poll["max_choices"]) == ("Dann so?", "multiple_choice",
                                                                                       ["a", "b", "c"], 2)
    ok(fac.emit("poll.update", {"poll_id": poll_id, "max_choices": None}, callback=True))  # null clears
    db.session.expire_all()
    assert db.session.get(Poll, poll_id).max_choices is None
    refused(fac.emit("poll.update", {"poll_id": poll_id, "kind": "scale", "options": ["a"]}, callback=True),
            "invalid_payload")
    refused(fac.emit("poll.update", {"poll_id": poll_id, "question": None}, callback=True), "invalid_payload")
    # another kind: what does not fit it goes
    ok(fac.emit("poll.update", {"poll_id": poll_id, "kind": "scale", "scale_max": 4}, callback=True))
    db.session.expire_all()
    poll = db.session.get(Poll, poll_id)
    assert (poll.kind, poll.options, poll.scale_min, poll.scale_max, poll.max_choices) == ("scale", [], 1, 4, None)
    ok(fac.emit("poll.open", {"poll_id": poll_id}, callback=True))
    refused(fac.emit("poll.update", {"poll_id": poll_id, "question": "Zu spät?"}, callback=True), "poll_not_draft")
    db.session.expire_all()
    assert db.session.get(Poll, poll_id).question == "Dann so?"


def test_late_joiner_lands_in_the_running_poll_with_its_results_when_revealed(clients, factory, fac, workshop, akteure):
    ok(phone(clients, factory, workshop).emit("poll.vote", {"poll_id": akteure, "choices": [2]}, callback=True))
    ok(fac.emit("poll.close", {"poll_id": akteure}, callback=True))
    ok(fac.emit("poll.reveal", {"poll_id": akteure}, callback=True))
    data = events(clients.connect("participant"), "sync.snapshot")[0][1]["data"]
    poll = current(data["activity"])
    assert poll["state"] == "closed" and poll["results"]["options"][2]["count"] == 1


def test_every_facilitator_change_is_sequenced(clients, fac, akteure):
    screen = clients.connect("screen")
    screen.get_received()
    for name, payload in [("poll.set_live", {"poll_id": akteure, "is_live_results": True}),
                          ("poll.close", {"poll_id": akteure}), ("poll.reveal", {"poll_id": akteure}),
                          ("poll.reopen", {"poll_id": akteure})]:
        ok(fac.emit(name, payload, callback=True))
    seqs = [e["seq"] for _n, e in events(screen, "activity.state")]
    assert len(seqs) == 4 and seqs == list(range(seqs[0], seqs[0] + 4))
