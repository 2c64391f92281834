"""Theme groups of a workshop and their draft goals (Handlungsziele), as set up from a template."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
