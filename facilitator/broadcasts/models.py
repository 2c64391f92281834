"""Messages from the facilitators to everyone (phones and projector)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.clock import now_utc
from ..core.types import UTCDateTime
from ..extensions import db

MAX_MESSAGE_LENGTH = 280


class Broadcast(db.Model):
    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(MAX_MESSAGE_LENGTH))
    #: A message to one theme group's workspace only (None: to everyone).
    group_id: Mapped[int | None] = mapped_column(ForeignKey("theme_groups.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
