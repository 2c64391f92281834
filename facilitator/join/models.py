"""Participants (no account: a random token in an HttpOnly cookie) and live connections."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import now_utc
from ..core.types import UTCDateTime
from ..extensions import db

#: Organisation types offered at join (stable keys; labels are translated in join/forms.py).
ORGANISATION_TYPES = (
    "kommune", "kreis", "regionalverband", "land_bund",
    "wissenschaft", "zivilgesellschaft", "wirtschaft", "sonstige",
)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Participant(db.Model):
    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    #: sha256 of the cookie token: a leaked database does not let anyone act as the participant.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(60))
    organisation: Mapped[str | None] = mapped_column(String(120))
    organisation_type: Mapped[str | None] = mapped_column(String(30))
    #: Only if the participant chose to give it: for the Zoom breakout-room pre-assignment.
    email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    workshop = relationship("Workshop")


class Connection(db.Model):
    """An open Socket.IO connection; rows, not process memory, so every process sees who is online."""

    __tablename__ = "connections"

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    connected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    #: Refreshed by the client's ``presence.ping``; rows of crashed processes age out.
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
