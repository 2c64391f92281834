"""Reads of a workshop: lists, the snapshot a client gets on (re)connect, who is online."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, request, url_for

from ..agenda.queries import agenda_view
from ..core.clock import iso, now_utc
from ..extensions import db
from .models import Membership, Workshop

#: A connection not seen for this long (no ping) counts as gone: its process may have died.
PRESENCE_TIMEOUT = timedelta(seconds=90)
RECENT_BROADCASTS = 20


def get_by_code(code: str) -> Workshop | None:
    from .models import normalise_join_code

    return db.session.execute(db.select(Workshop).filter_by(code=normalise_join_code(code))).scalar_one_or_none()


def workshops_of(user) -> list[tuple[Workshop, str]]:
    rows = db.session.execute(
        db.select(Workshop, Membership.role)
        .join(Membership, Membership.workshop_id == Workshop.id)
        .filter(Membership.user_id == user.id)
        .order_by(Workshop.created_at.desc())
    ).all()
    return [(w, role.value) for w, role in rows]


def base_url() -> str:
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    return request.host_url.rstrip("/")


def join_url(workshop: Workshop) -> str:
    return base_url() + url_for("join.enter", code=workshop.code)


def workshop_view(workshop: Workshop, audience: str) -> dict:
    view = {
        "code": workshop.code,
        "title": workshop.title,
        "organiser_name": workshop.organiser_name,
        "date": workshop.date.isoformat() if workshop.date else None,
        "format": workshop.format,
        "venue": workshop.venue,
        "state": workshop.state.value,
        "is_join_open": workshop.is_join_open,
        "join_url": join_url(workshop),
        "started_at": iso(workshop.started_at),
        "ended_at": iso(workshop.ended_at),
    }
    if audience == "facilitator":
        view["screen_url"] = base_url() + url_for("workshops.screen_key", code=workshop.code, key=workshop.screen_key)
    return view


def state_view(workshop: Workshop, audience: str, now: datetime | None = None) -> dict:
    """The part of the snapshot that ``workshop.state`` events carry: workshop, agenda, the current
    item's activity and, for facilitators, every poll of the workshop (``polls``)."""
    from ..core.activities import activity_view

    view = {
        "workshop": workshop_view(workshop, audience),
        "agenda": agenda_view(workshop, audience, now or now_utc()),
        "activity": activity_view(workshop, workshop.current_item, audience),
    }
    if audience == "facilitator":
        # the polls of every item (drafts too), for the setup page; phones and projector only
        # ever see the current item's opened polls, through ``activity``
        from ..polls.queries import workshop_polls

        view["polls"] = workshop_polls(workshop)
        from ..groups.setup import setup_view

        view["groups"] = setup_view(workshop)
    return view


def online_participants(workshop_id: int, now: datetime | None = None):
    from ..join.models import Connection, Participant

    since = (now or now_utc()) - PRESENCE_TIMEOUT
    return db.session.execute(
        db.select(Participant)
        .where(Participant.id.in_(
            db.select(Connection.participant_id).filter(
                Connection.workshop_id == workshop_id, Connection.seen_at >= since,
                Connection.participant_id.is_not(None),
            )
        ))
        .order_by(Participant.created_at)
    ).scalars().all()


def presence_view(workshop_id: int, audience: str) -> dict:
    from ..join.models import Participant

    online = online_participants(workshop_id)
    view = {"online": len(online)}
    if audience == "facilitator":
        view["joined"] = db.session.scalar(
            db.select(db.func.count(Participant.id)).filter_by(workshop_id=workshop_id)
        )
        view["participants"] = [
            {"id": p.id, "display_name": p.display_name, "organisation": p.organisation,
             "organisation_type": p.organisation_type}
            for p in online
        ]
    return view


def recent_broadcasts(workshop_id: int) -> list[dict]:
    from ..broadcasts.models import Broadcast

    rows = db.session.execute(
        db.select(Broadcast).filter_by(workshop_id=workshop_id).order_by(Broadcast.id.desc()).limit(RECENT_BROADCASTS)
    ).scalars().all()
    return [broadcast_view(b) for b in reversed(rows)]


def broadcast_view(broadcast) -> dict:
    from ..groups.models import ThemeGroup

    group = db.session.get(ThemeGroup, broadcast.group_id) if broadcast.group_id else None
    return {"id": broadcast.id, "text": broadcast.text, "created_at": iso(broadcast.created_at),
            "group_id": broadcast.group_id, "group_name": group.name if group else None}


def visible_broadcasts(workshop: Workshop, actor) -> list[dict]:
    """The recent messages ``actor`` may read: every message for facilitators; messages to
    everyone, and to the participant's own theme group (of the latest breakout), for the others."""
    from ..groups import workspace

    messages = recent_broadcasts(workshop.id)
    if actor.audience == "facilitator" or not any(b["group_id"] for b in messages):
        return messages
    mine = None
    if actor.participant_id:
        group = workspace.group_of(workshop, actor.participant_id, workspace.latest_breakout_round(workshop))
        mine = group.id if group else None
    return [b for b in messages if not b["group_id"] or (mine is not None and b["group_id"] == mine)]


def snapshot(workshop: Workshop, actor) -> dict:
    """Everything a client of ``actor``'s audience needs to draw its screen from scratch."""
    from ..core.activities import personal_view
    from ..join.models import Participant

    audience = actor.audience
    data = state_view(workshop, audience)
    data["broadcasts"] = visible_broadcasts(workshop, actor)
    data["me"] = {"role": actor.role}
    if actor.participant_id:
        p = db.session.get(Participant, actor.participant_id)
        data["me"].update(display_name=p.display_name, organisation=p.organisation, organisation_type=p.organisation_type)
        data["me"]["activity"] = personal_view(workshop, workshop.current_item, actor)
    if audience != "participant":
        data["presence"] = presence_view(workshop.id, audience)
    return data
