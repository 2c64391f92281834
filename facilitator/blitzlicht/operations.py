"""Blitzlicht operations. Never commit."""
from __future__ import annotations

from datetime import datetime

from ..core.activities import is_input_open, set_activity_state
from ..core.errors import InvalidPayload, InvalidState, NotFound
from ..extensions import db
from .models import Statement

DEFAULT_MOOD_SCALE = (1, 5)


def mood_scale(item) -> tuple[int, int] | None:
    """The item's mood scale (``settings.mood_scale = true`` → 1–5), or None."""
    setting = (item.settings or {}).get("mood_scale")
    if not setting:
        return None
    if isinstance(setting, list) and len(setting) == 2:
        return int(setting[0]), int(setting[1])
    return DEFAULT_MOOD_SCALE


def open_round(workshop, item, now: datetime) -> None:
    set_activity_state(item, open=True)


def close_round(workshop, item, now: datetime) -> None:
    set_activity_state(item, open=False)


def running_round(workshop):
    """The current agenda item if it is a Blitzlicht round."""
    item = workshop.current_item
    if item is None or item.kind != "blitzlicht":
        raise InvalidState("no Blitzlicht round is running", code="no_blitzlicht")
    return item


def submit(item, participant_id: int, text: str, mood: int | None, now: datetime) -> Statement:
    """Post or replace the participant's statement while the round is open."""
    if not is_input_open(item):
        raise InvalidState("the round is closed", code="activity_closed")
    scale = mood_scale(item)
    if mood is not None and (scale is None or not scale[0] <= mood <= scale[1]):
        raise InvalidPayload("mood is not on this round's scale", code="invalid_mood")
    statement = db.session.execute(
        db.select(Statement).filter_by(item_id=item.id, participant_id=participant_id)
    ).scalar_one_or_none()
    if statement is None:
        statement = Statement(item_id=item.id, participant_id=participant_id, created_at=now)
        db.session.add(statement)
    statement.text = text
    statement.mood = mood
    statement.updated_at = now
    db.session.flush()
    return statement


def get_statement(workshop, statement_id: int) -> Statement:
    from ..agenda.models import AgendaItem

    statement = db.session.execute(
        db.select(Statement).join(AgendaItem, AgendaItem.id == Statement.item_id)
        .filter(Statement.id == statement_id, AgendaItem.workshop_id == workshop.id)
    ).scalar_one_or_none()
    if statement is None:
        raise NotFound("no such statement in this workshop", code="statement_not_found")
    return statement


def set_hidden(statement: Statement, item, is_hidden: bool) -> None:
    statement.is_hidden = is_hidden
    if is_hidden and (item.activity_state or {}).get("spotlight_id") == statement.id:
        set_activity_state(item, spotlight_id=None)


def spotlight(item, statement: Statement | None) -> None:
    if statement is not None and statement.is_hidden:
        raise InvalidState("a hidden statement cannot be in the spotlight", code="statement_hidden")
    set_activity_state(item, spotlight_id=statement.id if statement else None)
