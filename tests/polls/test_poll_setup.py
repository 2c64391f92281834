"""Polls prepared on the setup page: facilitators get every poll of the workshop (``polls`` in
the snapshot and in each ``workshop.state``), drafts included; phones and projector never get
the prepared polls of other items, neither in their snapshot nor in the events of a change.

The workshop here is the RVR day: its Blitzlicht shows the template poll "akteure" (a draft).
"""
from __future__ import annotations

import json

from facilitator.polls.models import PollState
from tests.conftest import events
from tests.polls.helpers import item_titled, last, ok, polls_in, refused

AKTEURE = "Welche Akteur*innen sollten stärker eingebunden werden?"
DRAFT = "Welche Themen fehlen Ihnen noch?"
SPEC = {"question": DRAFT, "kind": "multiple_choice", "options": ["Wasser", "Klima", "Mobilität"],
        "allow_other": True, "min_choices": 1, "max_choices": 2}


def snapshot(sock) -> dict:
    return sock.emit("sync.request", {}, callback=True)["snapshot"]["data"]


def received(sock) -> str:
    """Everything ``sock`` was sent, as text."""
    return json.dumps(sock.get_received(), ensure_ascii=False)


def test_the_facilitator_gets_the_polls_of_every_item(clients, workshop):
    fac = clients.connect("organiser")
    blitz = item_titled(workshop, "Blitzlicht")
    polls = events(fac, "sync.snapshot")[0][1]["data"]["polls"]
    assert [(p["question"], p["item_id"], p["state"]) for p in polls] == [(AKTEURE, blitz.id, "draft")]
    assert polls[0]["options"][:2] == ["Immobilieneigentümer*innen", "Flächeneigentümer*innen"]
    assert polls[0]["results"] is None and polls[0]["turnout"] is None

    # a poll for an item that is not running (the day has not started)
    begruessung = item_titled(workshop, "Begrüßung")
    poll_id = ok(fac.emit("poll.create", {"item_id": begruessung.id, **SPEC}, callback=True))["poll_id"]
    state = last(fac, "activity.state")  # the item's polls, live for every open setup page
    assert state["item_id"] == begruessung.id
    assert [p["question"] for p in state["polls"]["polls"]] == [DRAFT]
    listed = {p["id"]: p for p in snapshot(fac)["polls"]}
    assert listed[poll_id]["item_id"] == begruessung.id and listed[poll_id]["max_choices"] == 2
    # agenda order: the Begrüßung comes before the Blitzlicht
    assert [p["question"] for p in snapshot(fac)["polls"]] == [DRAFT, AKTEURE]

    # the draft is edited; the organiser's REST view of the workshop has it too
    ok(fac.emit("poll.update", {"poll_id": poll_id, "question": "Was fehlt noch?", "max_choices": 3}, callback=True))
    assert last(fac, "activity.state")["polls"]["polls"][0]["question"] == "Was fehlt noch?"
    rest = clients.http("organiser").get(f"/api/v1/workshops/{workshop.code}").get_json()
    assert [(p["question"], p["max_choices"]) for p in rest["polls"]][0] == ("Was fehlt noch?", 3)


def test_phones_and_projector_get_no_prepared_polls(clients, workshop):
    fac = clients.connect("organiser")
    phone = clients.connect("participant")
    screen = clients.connect("screen")
    for sock in (phone, screen):
        data = events(sock, "sync.snapshot")[0][1]["data"]
        assert "polls" not in data
        assert AKTEURE not in json.dumps(data, ensure_ascii=False)
        sock.get_received()

    begruessung = item_titled(workshop, "Begrüßung")
    poll_id = ok(fac.emit("poll.create", {"item_id": begruessung.id, **SPEC}, callback=True))["poll_id"]
    ok(fac.emit("poll.update", {"poll_id": poll_id, "options": ["Wasser", "Klima", "Boden"]}, callback=True))
    ok(fac.emit("agenda.day.update", {"starts_at": "09:00"}, callback=True))  # a workshop.state for everyone
    for sock in (phone, screen):
        text = received(sock)
        assert "workshop.state" in text  # they were told about the changes …
        assert DRAFT not in text and AKTEURE not in text and "Boden" not in text  # … but not what was prepared
        data = snapshot(sock)
        assert "polls" not in data and DRAFT not in json.dumps(data, ensure_ascii=False)


def test_a_co_facilitator_gets_them_too_another_workshops_facilitator_cannot_connect(clients, workshop):
    data = events(clients.connect("facilitator"), "sync.snapshot")[0][1]["data"]
    assert [p["question"] for p in data["polls"]] == [AKTEURE]
    assert clients.http("other_facilitator").get(f"/api/v1/workshops/{workshop.code}").status_code in (403, 404)


def test_an_opened_poll_is_listed_with_its_state_and_can_no_longer_be_edited(clients, workshop, clock):
    fac = clients.connect("organiser")
    akteure = polls_in(workshop)[0].id
    ok(fac.emit("agenda.goto", {"item_id": item_titled(workshop, "Blitzlicht").id}, callback=True))
    ok(fac.emit("poll.open", {"poll_id": akteure}, callback=True))
    assert [p["state"] for p in snapshot(fac)["polls"]] == ["open"]
    refused(fac.emit("poll.update", {"poll_id": akteure, "question": "Anders?"}, callback=True), "poll_not_draft")

    fac.get_received()
    ok(fac.emit("agenda.next", {}, callback=True))  # the Blitzlicht ends: its poll closes
    assert polls_in(workshop)[0].state is PollState.closed
    # the workshop.state of the step carries the closed poll (the setup page follows it)
    assert [p["state"] for p in last(fac, "workshop.state")["polls"]] == ["closed"]
