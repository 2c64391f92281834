"""The activities that agenda items can carry (Clusterkette, polls, Blitzlicht …).

Each activity registers how each audience sees it and what happens when its item starts and
ends. The agenda knows nothing about activities beyond these hooks; the snapshot and the
``workshop.state`` event carry the view of the current item's activity.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .auth import Actor


@dataclass(frozen=True)
class Activity:
    kind: str
    #: (workshop, item, audience) -> the public view of the activity for that audience.
    view: Callable[..., dict]
    #: (workshop, item, actor) -> what only this participant may see (their own contributions).
    personal: Callable[..., dict] | None = None
    #: (workshop, item, now) -> None, when the item starts / ends (e.g. open or close the input).
    on_start: Callable[..., None] | None = None
    on_finish: Callable[..., None] | None = None
    #: (item) -> everything of the activity for the cockpit and the documentation.
    summary: Callable[..., dict] | None = None
    #: Whether participants type into it while it is open (``activity.input.set`` applies).
    has_input: bool = False
    #: An item of another kind carries this activity when its settings have this key
    #: (the RVR lunch break: ``opens_group_choice_round = 2``).
    hosted_by_setting: str | None = None


#: kind -> Activity; filled at import time, read-only afterwards.
ACTIVITIES: dict[str, Activity] = {}


@dataclass(frozen=True)
class Attachment:
    """What an item of any kind may show besides its kind's activity (the polls an item names
    in ``settings.poll``, e.g. the RVR Blitzlicht). Each function returns None when the item
    has nothing of it; the views go into the activity view under ``name``."""

    name: str
    #: (workshop, item, audience) -> dict | None
    view: Callable[..., dict | None]
    #: (workshop, item, actor) -> dict | None, merged into the participant's personal view.
    personal: Callable[..., dict | None] | None = None
    #: (item) -> dict | None, merged into the item's summary.
    summary: Callable[..., dict | None] | None = None
    #: (workshop, item, now) -> None, when the item ends.
    on_finish: Callable[..., None] | None = None


#: name -> Attachment; filled at import time, read-only afterwards.
ATTACHMENTS: dict[str, Attachment] = {}


def register_attachment(attachment: Attachment) -> None:
    if attachment.name in ATTACHMENTS:
        raise RuntimeError(f"attachment {attachment.name} registered twice")
    ATTACHMENTS[attachment.name] = attachment


def register_activity(activity: Activity) -> None:
    if activity.kind in ACTIVITIES:
        raise RuntimeError(f"activity {activity.kind} registered twice")
    ACTIVITIES[activity.kind] = activity


def activity_of(item) -> Activity | None:
    """The activity of the item's kind, or one that the item's settings ask for."""
    if item is None:
        return None
    activity = ACTIVITIES.get(item.kind)
    if activity is None:
        settings = item.settings or {}
        activity = next((a for a in ACTIVITIES.values() if a.hosted_by_setting and settings.get(a.hosted_by_setting)), None)
    return activity


def item_started(workshop, item, now) -> None:
    activity = activity_of(item)
    if activity and activity.on_start:
        activity.on_start(workshop, item, now)


def item_finished(workshop, item, now) -> None:
    activity = activity_of(item)
    if activity and activity.on_finish:
        activity.on_finish(workshop, item, now)
    for attachment in ATTACHMENTS.values():
        if attachment.on_finish:
            attachment.on_finish(workshop, item, now)


def activity_view(workshop, item, audience: str) -> dict | None:
    """``{item_id, kind, view}`` for the item's activity (``view`` None for a kind without
    one) plus what the item shows besides (attachments, e.g. ``polls``); None for plain items."""
    if item is None:
        return None
    activity = activity_of(item)
    extras = {}
    for attachment in ATTACHMENTS.values():
        extra = attachment.view(workshop, item, audience)
        if extra is not None:
            extras[attachment.name] = extra
    if activity is None and not extras:
        return None
    view = activity.view(workshop, item, audience) if activity else None
    return {"item_id": item.id, "kind": activity.kind if activity else item.kind, "view": view, **extras}


def personal_view(workshop, item, actor: Actor) -> dict | None:
    if item is None or actor.participant_id is None:
        return None
    activity = activity_of(item)
    mine = activity.personal(workshop, item, actor) if activity and activity.personal else None
    for attachment in ATTACHMENTS.values():
        extra = attachment.personal(workshop, item, actor) if attachment.personal else None
        if extra:
            mine = {**(mine or {}), **extra}
    return mine


def summary_of(item) -> dict | None:
    """The item's summary (its activity's and its attachments'), or None when it has none."""
    activity = activity_of(item)
    summary = activity.summary(item) if activity and activity.summary else None
    for attachment in ATTACHMENTS.values():
        extra = attachment.summary(item) if attachment.summary else None
        if extra:
            summary = {**(summary or {}), **extra}
    return summary


def is_input_open(item) -> bool:
    return bool((item.activity_state or {}).get("open"))


def set_activity_state(item, **changes) -> None:
    """Replace (not mutate) the JSON so SQLAlchemy sees the change."""
    item.activity_state = {**(item.activity_state or {}), **changes}


def publish_activity(ctx, item) -> None:
    """A facilitator changed the activity: every audience gets its new view, sequenced."""
    workshop = ctx.workshop
    ctx.publish("activity.state", lambda audience: activity_view(workshop, item, audience))


def publish_live(workshop_id: int, item_id: int) -> None:
    """A participant contributed: publish the activity coalesced, unsequenced.

    The envelope carries ``at_seq``, the workshop's sequence number when the view was read, so
    a client drops a live view that is older than a sequenced change it has already applied.
    """
    from ..agenda.models import AgendaItem
    from ..extensions import db, socketio
    from ..workshops.models import Workshop
    from .coalesce import schedule
    from .realtime import AUDIENCES, audience_room, envelope

    def flush() -> None:
        workshop = db.session.get(Workshop, workshop_id)
        item = db.session.get(AgendaItem, item_id)
        if workshop is None or item is None:
            return
        for audience in AUDIENCES:
            message = envelope(activity_view(workshop, item, audience))
            message["at_seq"] = workshop.seq
            socketio.emit("activity.live", message, to=audience_room(workshop_id, audience))
        db.session.rollback()  # read-only; do not keep a transaction open in a background task

    schedule(f"activity:{item_id}", flush)
