"""Small steps the poll tests share."""
from __future__ import annotations

from facilitator.extensions import db
from facilitator.polls.models import Poll, PollVote
from tests.conftest import events


def item_titled(workshop, title):
    return next(i for i in workshop.items if i.title == title)


def polls_in(workshop) -> list[Poll]:
    db.session.expire_all()
    return db.session.execute(db.select(Poll).filter_by(workshop_id=workshop.id).order_by(Poll.id)).scalars().all()


def vote_rows(poll_id: int) -> list[tuple]:
    db.session.expire_all()
    rows = db.session.execute(db.select(PollVote).filter_by(poll_id=poll_id).order_by(PollVote.id)).scalars()
    return [(v.participant_id, list(v.choices), v.text, v.is_hidden) for v in rows]


def last(sock, name):
    """The data of the last ``name`` event ``sock`` received (None if none)."""
    received = events(sock, name)
    return received[-1][1]["data"] if received else None


def poll_in(view: dict, poll_id: int) -> dict:
    return next(p for p in view["view"]["polls"] if p["id"] == poll_id)


def ok(ack):
    assert ack["ok"] is True, ack
    return ack


def refused(ack, code):
    assert ack["ok"] is False, ack
    assert ack["error"]["code"] == code, ack
    assert ack["error"]["message"]
    return ack
