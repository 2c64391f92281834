"""A burst of votes is published coalesced: a few ``activity.live`` broadcasts, not one per vote.

This module runs the app with real coalescing (``COALESCE_SECONDS`` > 0; elsewhere the tests
publish at once). Counts are asserted, never timings.
"""
from __future__ import annotations

import math
import time

import pytest

from facilitator.core import coalesce
from facilitator.extensions import socketio
from tests.conftest import make_app
from tests.polls.conftest import NETZ, POLL_ITEM
from tests.polls.helpers import item_titled, ok, polls_in

DELAY = 0.5
VOTERS = 40


@pytest.fixture
def app(tmp_path):
    with make_app(tmp_path / "instance", COALESCE_SECONDS=DELAY) as app:
        yield app


@pytest.fixture
def workshop(factory, organiser):
    return factory.workshop(organiser, template=NETZ)


def live_events(received):
    return [e["args"][0] for e in received if e["name"] == "activity.live"]


def test_a_burst_of_votes_becomes_a_few_broadcasts_with_the_final_tally(app, clients, factory, workshop):
    from facilitator.core.auth import participant_cookie

    fac = clients.connect("organiser")
    ok(fac.emit("agenda.goto", {"item_id": item_titled(workshop, POLL_ITEM).id}, callback=True))
    poll_id = polls_in(workshop)[0].id
    ok(fac.emit("poll.set_live", {"poll_id": poll_id, "is_live_results": True}, callback=True))
    screen = clients.connect("screen")
    phones = []
    for _ in range(VOTERS):
        _p, token = factory.participant(workshop)
        http = app.test_client()
        http.set_cookie(participant_cookie(workshop), token)
        phones.append(socketio.test_client(app, flask_test_client=http,
                                           auth={"workshop": workshop.code, "view": "participant"}))
        clients.sockets.append(phones[-1])  # closed with the others after the test
    screen.get_received()
    flushes_before = coalesce.flush_count["n"]

    started = time.monotonic()
    for i, phone in enumerate(phones):
        ok(phone.emit("poll.vote", {"poll_id": poll_id, "choices": [i % 9]}, callback=True))
    burst_s = time.monotonic() - started

    received, deadline = [], time.monotonic() + 10 * DELAY + 5
    while time.monotonic() < deadline:
        received += screen.get_received()
        views = live_events(received)
        if views and views[-1]["data"]["view"]["polls"][0]["results"]["voters"] == VOTERS:
            break
        socketio.sleep(0.05)
    views = live_events(received)
    assert views, "the projector got no live view"
    final = views[-1]["data"]["view"]["polls"][0]
    assert final["results"]["voters"] == VOTERS and final["turnout"]["voters"] == VOTERS
    assert sum(o["count"] for o in final["results"]["options"]) == VOTERS
    # one broadcast per window at most (plus the window still open when the burst ended)
    windows = math.ceil(burst_s / DELAY) + 1
    assert len(views) <= windows and len(views) < VOTERS / 4, (len(views), burst_s)
    assert coalesce.flush_count["n"] - flushes_before <= windows
    assert all("at_seq" in v and "seq" not in v for v in views)  # unsequenced, ordered by at_seq
    # no flush (of the votes, or of the presence after the disconnects) may outlive the test's database
    clients.close()
    deadline = time.monotonic() + 10 * DELAY + 5
    while coalesce._scheduled and time.monotonic() < deadline:
        socketio.sleep(0.05)
