"""Agenda items and their clock. A running clock is ``ends_at``; a paused one is ``remaining_s``.

No server loop ticks: the state of a timer at any moment is derived from these columns and now.
"""
from __future__ import annotations

import enum
from datetime import datetime, time, timedelta

from sqlalchemy import JSON, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.errors import InvalidState
from ..core.types import UTCDateTime
from ..extensions import db

ITEM_KINDS = (
    "plenary", "keynote", "cluster_chain", "group_choice", "break",
    "breakout", "poll", "blitzlicht", "outlook", "custom",
)
MIN_ITEM_SECONDS = 60


class ItemStatus(str, enum.Enum):
    pending = "pending"
    running = "running"
    paused = "paused"
    done = "done"
    skipped = "skipped"


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="plenary")
    #: The duration now in force (plan + extensions + re-planning), in seconds.
    duration_s: Mapped[int]
    #: The duration as planned before the day started (for "as planned vs as run").
    planned_duration_s: Mapped[int]
    #: Floor for re-planning: the item is never shortened below this.
    min_duration_s: Mapped[int]
    #: Clock time (workshop time zone) the item is pinned to, e.g. lunch at 11:40.
    pinned_at: Mapped[time | None]
    description: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Runtime state of the item's activity (open for input, spotlight …); owned by the activity.
    activity_state: Mapped[dict] = mapped_column(JSON, default=dict)

    status: Mapped[ItemStatus] = mapped_column(
        Enum(ItemStatus, native_enum=False, length=20), default=ItemStatus.pending
    )
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: While running: when the time is up.
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: While paused: seconds left (negative = overrun). When done: what was left at the end.
    remaining_s: Mapped[int | None]
    #: Sum of manual extensions (+) and shortenings (-) during the day, in seconds.
    extended_s: Mapped[int] = mapped_column(default=0)
    #: Sum of changes made by re-planning the day, in seconds (negative: shortened).
    replanned_s: Mapped[int] = mapped_column(default=0)

    workshop = relationship("Workshop", back_populates="items", foreign_keys=[workshop_id])

    # --- guarded transitions -------------------------------------------------------------

    @property
    def is_live(self) -> bool:
        return self.status in (ItemStatus.running, ItemStatus.paused)

    def remaining_at(self, now: datetime) -> int | None:
        """Seconds left on the clock at ``now``; negative while overrunning."""
        if self.status is ItemStatus.running:
            return int((self.ends_at - now).total_seconds())
        if self.status is ItemStatus.paused:
            return self.remaining_s
        return None

    def start(self, now: datetime) -> None:
        if self.status is not ItemStatus.pending and self.status is not ItemStatus.skipped:
            raise InvalidState(f"item is {self.status.value}", code="item_not_pending")
        self.status = ItemStatus.running
        self.started_at = now
        self.ended_at = None
        self.ends_at = now + timedelta(seconds=self.duration_s)
        self.remaining_s = None

    def pause(self, now: datetime) -> None:
        if self.status is not ItemStatus.running:
            raise InvalidState("only a running item can be paused", code="item_not_running")
        self.remaining_s = self.remaining_at(now)
        self.ends_at = None
        self.status = ItemStatus.paused

    def resume(self, now: datetime) -> None:
        if self.status is not ItemStatus.paused:
            raise InvalidState("only a paused item can be resumed", code="item_not_paused")
        self.ends_at = now + timedelta(seconds=self.remaining_s)
        self.remaining_s = None
        self.status = ItemStatus.running

    def finish(self, now: datetime) -> None:
        if not self.is_live:
            raise InvalidState("only a running or paused item can end", code="item_not_running")
        self.remaining_s = self.remaining_at(now)
        self.ends_at = None
        self.ended_at = now
        self.status = ItemStatus.done

    def reopen(self, now: datetime) -> None:
        """Undo ``finish`` (the facilitator went back): runs on with what it had left."""
        if self.status is not ItemStatus.done:
            raise InvalidState("only a finished item can be reopened", code="item_not_done")
        self.ends_at = now + timedelta(seconds=max(self.remaining_s or 0, 0))
        self.remaining_s = None
        self.ended_at = None
        self.status = ItemStatus.running

    def reset(self) -> None:
        """Back to not-yet-run (the facilitator went back past it)."""
        self.status = ItemStatus.pending
        self.started_at = self.ended_at = self.ends_at = None
        self.remaining_s = None

    def extend(self, seconds: int, now: datetime) -> None:
        """Give the item more (or, negative, less) time; the clock moves with it."""
        if self.duration_s + seconds < MIN_ITEM_SECONDS:
            raise InvalidState("an item lasts at least one minute", code="duration_too_short")
        self.duration_s += seconds
        if self.status is ItemStatus.running:
            self.ends_at = self.ends_at + timedelta(seconds=seconds)
        elif self.status is ItemStatus.paused:
            self.remaining_s += seconds
        if self.workshop is not None and self.workshop.started_at is not None:
            self.extended_s += seconds
        else:
            self.planned_duration_s = self.duration_s
