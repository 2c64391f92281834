"""Group-choice fixtures: the RVR day jumped to "Choose your fighter" (round 1 open)."""
from __future__ import annotations

import pytest

from facilitator.core.auth import Actor
from facilitator.core.commands import execute
from facilitator.extensions import db as _db
from tests.conftest import events

CHOICE_ITEM = "Choose your fighter"


def item_titled(workshop, title):
    return next(i for i in workshop.items if i.title == title)


def groups(workshop):
    from facilitator.groups.operations import groups_of

    return groups_of(workshop)


def run(actor: Actor, name: str, payload: dict | None = None) -> dict:
    from flask import current_app

    with current_app.test_request_context("/"):
        return execute(name, actor, payload or {})


def organiser_actor(workshop, organiser) -> Actor:
    return Actor("organiser", workshop.id, user_id=organiser.id)


def participant_actor(workshop, participant) -> Actor:
    return Actor("participant", workshop.id, participant_id=participant.id)


def last(sock, name):
    found = events(sock, name)
    assert found, f"no {name} received"
    return found[-1][1]["data"]


def choices(workshop, round_no=1) -> dict[int, int]:
    """participant id -> group id in the round, fresh from the database."""
    from facilitator.groups.models import GroupChoice

    _db.session.expire_all()
    rows = _db.session.execute(_db.select(GroupChoice).filter_by(workshop_id=workshop.id, round=round_no)).scalars()
    return {c.participant_id: c.group_id for c in rows}


@pytest.fixture
def choosing(clients, workshop, clock):
    """The RVR day jumped to "Choose your fighter": returns the organiser's cockpit socket."""
    fac = clients.connect("organiser")
    ack = fac.emit("agenda.goto", {"item_id": item_titled(workshop, CHOICE_ITEM).id}, callback=True)
    assert ack["ok"], ack
    return fac
