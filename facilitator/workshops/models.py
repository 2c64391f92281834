"""A workshop (Werkstatt), its join code and who runs it."""
from __future__ import annotations

import enum
import secrets
import datetime as dt
from datetime import datetime, time

from sqlalchemy import JSON, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import now_utc
from ..core.errors import InvalidState
from ..core.types import UTCDateTime
from ..extensions import db

#: Join codes avoid characters that are easily confused: no 0/O, no 1/I.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


def default_retention_days() -> int:
    """``FACILITATOR_RETENTION_DAYS`` of the running app (90 outside an app context)."""
    from flask import current_app, has_app_context

    return int(current_app.config.get("RETENTION_DAYS", 90)) if has_app_context() else 90


def generate_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(raw: str) -> str:
    """What people type: lower case, spaces or dashes ("abc-def") are accepted."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


class WorkshopState(str, enum.Enum):
    planned = "planned"
    running = "running"
    ended = "ended"


class Role(str, enum.Enum):
    organiser = "organiser"
    facilitator = "facilitator"


class Workshop(db.Model):
    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(JOIN_CODE_LENGTH), unique=True, default=generate_join_code)
    title: Mapped[str] = mapped_column(String(200))
    organiser_name: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[dt.date | None]
    day_starts_at: Mapped[time] = mapped_column(default=time(9, 0))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    format: Mapped[str] = mapped_column(String(20), default="online")
    venue: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    guiding_questions: Mapped[list] = mapped_column(JSON, default=list)
    #: Template parts that later features own (prepared polls …), kept so nothing of a template is lost.
    extra: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[WorkshopState] = mapped_column(Enum(WorkshopState, native_enum=False, length=20), default=WorkshopState.planned)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    current_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", use_alter=True, ondelete="SET NULL")
    )
    is_join_open: Mapped[bool] = mapped_column(default=True)
    #: Per-workshop sequence number of published events; bumped in the transaction of the change.
    seq: Mapped[int] = mapped_column(default=0)
    screen_key: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_urlsafe(24))
    #: Personal data is kept this many days after the workshop's day (see docs/retention.md) …
    retention_days: Mapped[int] = mapped_column(default=default_retention_days)
    #: … unless an organiser chose a date: personal data is kept until the end of this day.
    retain_until: Mapped[dt.date | None]
    #: When ``flask workshop purge-expired`` removed the personal data (None: not yet).
    personal_data_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    items = relationship(
        "AgendaItem", order_by="AgendaItem.position", cascade="all, delete-orphan",
        foreign_keys="AgendaItem.workshop_id", back_populates="workshop",
    )
    memberships = relationship("Membership", cascade="all, delete-orphan", back_populates="workshop")

    @property
    def current_item(self):
        if self.current_item_id is None:
            return None
        return next((item for item in self.items if item.id == self.current_item_id), None)

    def require_state(self, *states: WorkshopState) -> None:
        if self.state not in states:
            raise InvalidState(f"workshop is {self.state.value}", code=f"workshop_{self.state.value}")


class Membership(db.Model):
    """Who may run a workshop: organisers (set up, export) and facilitators (cockpit)."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("workshop_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20))

    workshop = relationship("Workshop", back_populates="memberships")
    user = relationship("User")
