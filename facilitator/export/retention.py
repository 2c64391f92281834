"""Retention of personal data and deletion of whole workshops (see docs/retention.md).

- ``retention_date``: the last day a workshop's personal data is kept — the organiser's chosen
  date (``retain_until``), else the workshop's day + ``retention_days`` (default
  ``FACILITATOR_RETENTION_DAYS``, 90).
- ``purge_personal_data``: what ``flask workshop purge-expired`` does to a workshop past that
  date. The anonymous content stays for the documentation.
- ``delete_workshop``: removes the workshop and everything that belongs to it, through the
  database's ON DELETE CASCADE foreign keys (SQLite: ``PRAGMA foreign_keys=ON``, set on every
  connection in ``facilitator/__init__.py``; checked here before anything is deleted).

Operations: they never commit.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update

from ..core.clock import now_utc
from ..core.errors import InvalidPayload
from ..extensions import db

#: The longest an organiser may keep personal data (from today), in days.
MAX_RETENTION_DAYS = 3 * 365


def _zone(workshop) -> ZoneInfo:
    try:
        return ZoneInfo(workshop.timezone or "Europe/Berlin")
    except Exception:  # noqa: BLE001 (an unknown zone name must not stop a purge)
        return ZoneInfo("Europe/Berlin")


def local_today(workshop, now: datetime | None = None) -> date:
    return (now or now_utc()).astimezone(_zone(workshop)).date()


def end_day(workshop) -> date:
    """The day the workshop ended: when the facilitators ended it, else its planned date, else
    the day it was created."""
    if workshop.ended_at is not None:
        return workshop.ended_at.astimezone(_zone(workshop)).date()
    if workshop.date is not None:
        return workshop.date
    return workshop.created_at.astimezone(_zone(workshop)).date()


def default_retention_date(workshop) -> date:
    return end_day(workshop) + timedelta(days=workshop.retention_days or 0)


def retention_date(workshop) -> date:
    """The last day personal data of ``workshop`` is kept; purged from the day after."""
    return workshop.retain_until or default_retention_date(workshop)


def is_expired(workshop, now: datetime | None = None) -> bool:
    return local_today(workshop, now) > retention_date(workshop)


def latest_retention_date(workshop, now: datetime | None = None) -> date:
    return local_today(workshop, now) + timedelta(days=MAX_RETENTION_DAYS)


def set_retention_date(workshop, chosen: date | None, now: datetime | None = None) -> None:
    """Keep personal data until ``chosen`` (None: back to the default after the workshop).

    :raises InvalidPayload: ``invalid_retention_date`` before today or more than
        ``MAX_RETENTION_DAYS`` ahead.
    """
    if chosen is not None:
        today = local_today(workshop, now)
        if chosen < today or chosen > latest_retention_date(workshop, now):
            raise InvalidPayload(f"retention date must be between {today} and {MAX_RETENTION_DAYS} days later",
                                 code="invalid_retention_date")
    workshop.retain_until = chosen


# --- purging personal data ---------------------------------------------------------------------

@dataclass
class PurgeReport:
    code: str
    title: str
    retention_date: date
    participants: int = 0
    author_links: int = 0
    connections: int = 0
    exports: int = 0


def expired_workshops(now: datetime | None = None) -> list:
    """Workshops past their retention date whose personal data is still there."""
    from ..workshops.models import Workshop

    candidates = db.session.execute(
        select(Workshop).where(Workshop.personal_data_deleted_at.is_(None)).order_by(Workshop.id)
    ).scalars().all()
    return [w for w in candidates if is_expired(w, now)]


def _scrambled_token_hash() -> str:
    # a fresh random hash: the participant's old cookie no longer finds (and so no longer links) them
    return hashlib.sha256(secrets.token_bytes(32)).hexdigest()


def purge_personal_data(workshop, *, dry_run: bool = False, now: datetime | None = None) -> PurgeReport:
    """Remove the personal data of ``workshop``, keep its anonymous content. What exactly is in
    docs/retention.md ("What the purge removes"). ``dry_run`` only counts."""
    from ..agenda.models import AgendaItem
    from ..blitzlicht.models import Statement
    from ..clusters.models import ClusterEntry, ClusterTerm
    from ..groups.models import DraftGoal, ThemeGroup, WorkspacePost
    from ..join.models import Connection, Participant
    from .models import ExportJob

    wid = workshop.id
    items = select(AgendaItem.id).where(AgendaItem.workshop_id == wid).scalar_subquery()
    terms = select(ClusterTerm.id).where(ClusterTerm.item_id.in_(items)).scalar_subquery()
    groups = select(ThemeGroup.id).where(ThemeGroup.workshop_id == wid).scalar_subquery()
    author_links = [
        (Statement, Statement.participant_id, Statement.item_id.in_(items)),
        (ClusterEntry, ClusterEntry.participant_id, ClusterEntry.term_id.in_(terms)),
        (WorkspacePost, WorkspacePost.participant_id, WorkspacePost.workshop_id == wid),
        (DraftGoal, DraftGoal.proposed_by_id, DraftGoal.group_id.in_(groups)),
        (ThemeGroup, ThemeGroup.host_participant_id, ThemeGroup.workshop_id == wid),
    ]
    report = PurgeReport(workshop.code, workshop.title, retention_date(workshop))

    def count(model, *where) -> int:
        return db.session.execute(select(db.func.count()).select_from(model).where(*where)).scalar_one()

    report.participants = count(Participant, Participant.workshop_id == wid)
    report.author_links = sum(count(model, column.is_not(None), where) for model, column, where in author_links)
    report.connections = count(Connection, Connection.workshop_id == wid)
    report.exports = count(ExportJob, ExportJob.workshop_id == wid)
    if dry_run:
        return report

    sync = {"synchronize_session": False}
    for model, column, where in author_links:
        db.session.execute(update(model).where(where, column.is_not(None)).values({column.key: None}).execution_options(**sync))
    for participant_id in db.session.execute(select(Participant.id).where(Participant.workshop_id == wid)).scalars():
        db.session.execute(update(Participant).where(Participant.id == participant_id).values(
            display_name=None, organisation=None, email=None, token_hash=_scrambled_token_hash()).execution_options(**sync))
    db.session.execute(delete(Connection).where(Connection.workshop_id == wid).execution_options(**sync))
    # files made before may hold names (a named export) or e-mail addresses: all of them go
    db.session.execute(delete(ExportJob).where(ExportJob.workshop_id == wid).execution_options(**sync))
    workshop.personal_data_deleted_at = now or now_utc()
    db.session.flush()
    db.session.expire_all()
    return report


# --- deleting a workshop -----------------------------------------------------------------------

def foreign_keys_enforced() -> bool:
    """True unless this is SQLite without ``PRAGMA foreign_keys=ON`` (cascades would not run)."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return True
    return bool(connection.exec_driver_sql("PRAGMA foreign_keys").scalar())


def delete_workshop(workshop) -> None:
    """Delete ``workshop`` and every row that belongs to it (ON DELETE CASCADE in the database).

    Organiser accounts stay (they are not the workshop's); their memberships go.

    :raises RuntimeError: on SQLite without enforced foreign keys (nothing is deleted).
    """
    from ..workshops.models import Workshop

    if not foreign_keys_enforced():
        raise RuntimeError("SQLite foreign keys are off: deleting would leave the workshop's rows behind")
    wid = workshop.id
    sync = {"synchronize_session": False}
    # the workshop points at its current item and the item at the workshop: cut that cycle first
    db.session.execute(update(Workshop).where(Workshop.id == wid).values(current_item_id=None).execution_options(**sync))
    db.session.execute(delete(Workshop).where(Workshop.id == wid).execution_options(**sync))
    db.session.flush()
    if workshop in db.session:
        db.session.expunge(workshop)  # its row is gone; nothing may write it back
