"""Export jobs: one documentation file being made (or made) in the background, kept in the database."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.clock import now_utc
from ..core.types import UTCDateTime
from ..extensions import db


class JobState(str, enum.Enum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


#: States in which a job still works (or should): at most a few per workshop at a time.
ACTIVE_STATES = (JobState.queued, JobState.running)


class ExportJob(db.Model):
    """A documentation export of one workshop in one format. The file itself is kept in ``result``
    (the database, not the file system), so every process can serve it and deleting the workshop
    deletes it (ON DELETE CASCADE)."""

    __tablename__ = "export_jobs"
    __table_args__ = (Index("ix_export_jobs_workshop_created", "workshop_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    format: Mapped[str] = mapped_column(String(10))
    is_anonymised: Mapped[bool] = mapped_column(default=True)
    #: The language of the document: the requester's page language.
    locale: Mapped[str] = mapped_column(String(5), default="de", server_default="de")
    state: Mapped[JobState] = mapped_column(Enum(JobState, native_enum=False, length=20), default=JobState.queued)
    #: 0.0 … 1.0, with the renderer's current step ("Abstimmungen") for people to read.
    progress: Mapped[float] = mapped_column(default=0.0)
    step: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int | None]
    filename: Mapped[str | None] = mapped_column(String(200))
    mimetype: Mapped[str | None] = mapped_column(String(120))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    #: The worker's heartbeat: set on every progress report. A queued or running job whose
    #: heartbeat is older than ``EXPORT_JOB_TIMEOUT`` seconds was interrupted (see jobs.py).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES
