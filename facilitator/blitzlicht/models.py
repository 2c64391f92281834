"""Blitzlicht: one short statement (and optionally a mood) per participant and round."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.clock import now_utc
from ..core.types import UTCDateTime
from ..extensions import db

MAX_STATEMENT_LENGTH = 280


class Statement(db.Model):
    __tablename__ = "statements"
    __table_args__ = (UniqueConstraint("item_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(String(MAX_STATEMENT_LENGTH))
    #: Mood on the item's scale (e.g. 1–5), if the round asks for one and the person gave one.
    mood: Mapped[int | None]
    is_hidden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
