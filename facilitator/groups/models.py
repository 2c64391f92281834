"""Theme groups of a workshop, their draft goals (Handlungsziele), and who chose which group per round."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import now_utc
from ..core.types import UTCDateTime
from ..extensions import db


class ThemeGroup(db.Model):
    __tablename__ = "theme_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str | None] = mapped_column(Text)
    capacity: Mapped[int] = mapped_column(default=20)
    host_name: Mapped[str | None] = mapped_column(String(120))
    room_url: Mapped[str | None] = mapped_column(String(500))

    workshop = relationship("Workshop")
    goals = relationship("DraftGoal", order_by="DraftGoal.position", cascade="all, delete-orphan")


class DraftGoal(db.Model):
    __tablename__ = "draft_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("theme_groups.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(String(300))


#: Who put a participant into a group: themselves, a facilitator (``group.move``), the
#: "assign the undecided" button, or round 2's preselection copied from round 1.
ASSIGNED_BY = ("self", "facilitator", "auto", "carried")


class GroupRound(db.Model):
    """A round of "Choose your fighter" in a workshop: open for choices, locked, and whether
    round 2 requires a different group than round 1 (the organisers' "anderes Thema")."""

    __tablename__ = "group_rounds"
    __table_args__ = (UniqueConstraint("workshop_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    round: Mapped[int]
    is_open: Mapped[bool] = mapped_column(default=False)
    is_locked: Mapped[bool] = mapped_column(default=False)
    #: Only for rounds after the first: each participant must choose another group than before.
    is_switch_required: Mapped[bool] = mapped_column(default=False)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class GroupChoice(db.Model):
    """A participant's group in one round (one row per participant and round)."""

    __tablename__ = "group_choices"
    __table_args__ = (
        UniqueConstraint("participant_id", "round"),
        Index("ix_group_choices_workshop_round", "workshop_id", "round"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    round: Mapped[int]
    group_id: Mapped[int] = mapped_column(ForeignKey("theme_groups.id", ondelete="CASCADE"), index=True)
    assigned_by: Mapped[str] = mapped_column(String(20), default="self")
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    participant = relationship("Participant")
