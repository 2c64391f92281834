"""A poll shown by an item of another kind: the RVR Blitzlicht names the poll "akteure" in its
``settings.poll``; phones, projector and cockpit get it as ``activity.polls`` beside the wall.

Needs attachments in ``core.activities`` (proposed with the polls); skipped until they exist.
"""
from __future__ import annotations

import pytest

from facilitator.core import activities
from facilitator.polls.models import PollState
from tests.conftest import events
from tests.polls.helpers import item_titled, last, ok, polls_in

pytestmark = pytest.mark.skipif(not hasattr(activities, "register_attachment"),
                                reason="core.activities has no attachments yet")


@pytest.fixture
def blitz(clients, workshop, clock):
    fac = clients.connect("organiser")
    ok(fac.emit("agenda.goto", {"item_id": item_titled(workshop, "Blitzlicht").id}, callback=True))
    return fac


def test_the_blitzlicht_shows_its_poll_once_opened(clients, blitz, workshop):
    poll_id = polls_in(workshop)[0].id
    phone = clients.connect("participant")
    first = events(phone, "sync.snapshot")[0][1]["data"]["activity"]
    assert first["kind"] == "blitzlicht" and first["view"]["prompt"] == "Was nehme ich heute mit?"
    assert "polls" not in first  # a draft is not shown to phones
    cockpit = blitz.emit("sync.request", {}, callback=True)["snapshot"]["data"]["activity"]
    assert [p["id"] for p in cockpit["polls"]["polls"]] == [poll_id]  # the cockpit sees it to open it

    ok(blitz.emit("poll.open", {"poll_id": poll_id}, callback=True))
    state = last(phone, "activity.state")
    assert state["view"]["prompt"] == "Was nehme ich heute mit?"  # the wall stays
    assert state["polls"]["current_id"] == poll_id and state["polls"]["polls"][0]["state"] == "open"

    ok(phone.emit("blitzlicht.submit", {"text": "Viel gelernt"}, callback=True))
    ok(phone.emit("poll.vote", {"poll_id": poll_id, "choices": [0, 2]}, callback=True))
    live = last(blitz, "activity.live")
    assert live["polls"]["polls"][0]["results"]["voters"] == 1 and live["view"]["count"] == 1
    assert last(phone, "activity.live")["polls"]["polls"][0]["results"] is None  # hidden until revealed

    me = phone.emit("sync.request", {}, callback=True)["snapshot"]["data"]["me"]["activity"]
    assert me["statement"]["text"] == "Viel gelernt" and me["poll_votes"][str(poll_id)]["choices"] == [0, 2]

    summary = ok(blitz.emit("activity.summary", {"item_id": item_titled(workshop, "Blitzlicht").id},
                            callback=True))["summary"]
    assert summary["count"] == 1 and summary["polls"][0]["results"]["voters"] == 1

    ok(blitz.emit("agenda.next", {}, callback=True))  # the Blitzlicht ends: its poll closes
    assert polls_in(workshop)[0].state is PollState.closed
