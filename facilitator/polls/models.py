"""Live polls and their votes. One vote per participant and poll, enforced by the database."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.clock import now_utc
from ..core.errors import InvalidState
from ..core.types import UTCDateTime
from ..extensions import db

POLL_KINDS = ("single_choice", "multiple_choice", "scale", "ranking", "open_text")
MAX_TEXT_ANSWER = 200


class PollState(str, enum.Enum):
    draft = "draft"
    open = "open"
    closed = "closed"


class Poll(db.Model):
    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    #: The agenda item the poll belongs to (it runs with it); None for a spontaneous poll.
    item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    #: The template key (``[[polls]] key``), if the poll came from a template.
    key: Mapped[str | None] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(default=0)
    question: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    #: Option labels in order; answers refer to options by index.
    options: Mapped[list] = mapped_column(JSON, default=list)
    allow_other: Mapped[bool] = mapped_column(default=False)
    min_choices: Mapped[int | None]
    max_choices: Mapped[int | None]
    scale_min: Mapped[int | None]
    scale_max: Mapped[int | None]
    scale_labels: Mapped[list] = mapped_column(JSON, default=list)
    #: Results shown to participants and projector while the poll is open (else after reveal).
    is_live_results: Mapped[bool] = mapped_column(default=False)
    is_revealed: Mapped[bool] = mapped_column(default=False)
    #: Anonymous (default): exports and the cockpit never show who voted what.
    is_anonymous: Mapped[bool] = mapped_column(default=True)
    state: Mapped[PollState] = mapped_column(Enum(PollState, native_enum=False, length=20), default=PollState.draft)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    def open(self, now: datetime) -> None:
        if self.state is PollState.open:
            raise InvalidState("the poll is open already", code="poll_open")
        self.state = PollState.open
        self.opened_at = self.opened_at or now
        self.closed_at = None

    def close(self, now: datetime) -> None:
        if self.state is not PollState.open:
            raise InvalidState("the poll is not open", code="poll_not_open")
        self.state = PollState.closed
        self.closed_at = now

    @property
    def results_public(self) -> bool:
        """Whether participants and the projector may see the results now."""
        return self.is_revealed or (self.is_live_results and self.state is not PollState.draft)


class PollVote(db.Model):
    __tablename__ = "poll_votes"
    __table_args__ = (UniqueConstraint("poll_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    #: Choice polls: option indexes (ranking: in the voter's order). Scale: [value].
    choices: Mapped[list] = mapped_column(JSON, default=list)
    #: Open text answer, or the "Sonstige: …" entry of a choice poll.
    text: Mapped[str | None] = mapped_column(Text)
    #: Moderation: a hidden text answer disappears from every screen and is marked in exports.
    is_hidden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
