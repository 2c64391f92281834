"""Live polls and their votes. One vote per participant and poll, enforced by the database."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
    #: The agenda item whose screen shows the poll (a ``poll`` item, or any item whose
    #: ``settings.poll`` names the poll's key); None for a prepared poll no item shows yet.
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

    workshop = relationship("Workshop")
    item = relationship("AgendaItem")

    # --- guarded transitions: draft -> open <-> closed ------------------------------------

    @property
    def is_draft(self) -> bool:
        return self.state is PollState.draft

    def require_draft(self) -> None:
        """Only a poll nobody has seen yet may change its question or options."""
        if self.state is not PollState.draft:
            raise InvalidState("only a poll that has not been opened can be changed", code="poll_not_draft")

    def open(self, now: datetime) -> None:
        """Open a prepared poll for votes (a closed one is reopened with :meth:`reopen`)."""
        if self.state is PollState.open:
            raise InvalidState("the poll is open already", code="poll_open")
        self.require_draft()
        self.state = PollState.open
        self.opened_at = now
        self.closed_at = None

    def reopen(self, now: datetime) -> None:
        """A closed poll takes votes again; votes already given stay."""
        if self.state is not PollState.closed:
            raise InvalidState("only a closed poll can be reopened", code="poll_not_closed")
        self.state = PollState.open
        self.closed_at = None

    def close(self, now: datetime) -> None:
        if self.state is not PollState.open:
            raise InvalidState("the poll is not open", code="poll_not_open")
        self.state = PollState.closed
        self.closed_at = now

    def reveal(self, is_revealed: bool) -> None:
        if is_revealed and self.state is PollState.draft:
            raise InvalidState("a poll that has not been opened has no results to reveal", code="poll_not_opened")
        self.is_revealed = is_revealed

    def require_votes_open(self) -> None:
        """Votes (and changed votes) only while the poll is open."""
        if self.state is PollState.closed:
            raise InvalidState("the poll is closed: votes are no longer accepted", code="poll_closed")
        if self.state is not PollState.open:
            raise InvalidState("the poll has not been opened yet", code="poll_not_open")

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
