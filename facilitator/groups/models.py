"""Theme groups of a workshop, their draft goals (Handlungsziele), and who chose which group per round."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
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
    #: The participant who hosts the group's workspace (Themenpat:in), set by a facilitator or
    #: by opening the group's host link.
    host_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    #: Bumped by every change of the workspace: clients drop a workspace view older than one they have.
    workspace_version: Mapped[int] = mapped_column(default=0, server_default="0")

    workshop = relationship("Workshop")
    goals = relationship("DraftGoal", order_by="DraftGoal.position", cascade="all, delete-orphan")


#: Where a goal comes from: the agenda template / setup, or a participant's proposal in a breakout.
GOAL_ORIGINS = ("template", "participant")


class DraftGoal(db.Model):
    """A draft Handlungsziel of a theme group: from the template, or proposed in a breakout."""

    __tablename__ = "draft_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("theme_groups.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(String(300))
    origin: Mapped[str] = mapped_column(String(20), default="template", server_default="template")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    proposed_in_round: Mapped[int | None]
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The host marked it as a result of the group ("Ergebnis").
    is_result: Mapped[bool] = mapped_column(default=False, server_default=false())
    is_hidden: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: A duplicate merged by the host into another goal (its comments and dots count there).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("draft_goals.id", ondelete="SET NULL"))


#: What participants write into a workspace besides new goals.
POST_KINDS = ("comment", "rewording", "practice", "answer")


class WorkspacePost(db.Model):
    """A contribution in a theme group's workspace: a comment on or a rewording of a goal, a
    good-practice project, or an answer to a guiding question. Kept per round, shown in every
    later round of the same group (the handover)."""

    __tablename__ = "workspace_posts"
    __table_args__ = (Index("ix_workspace_posts_group_round", "group_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("theme_groups.id", ondelete="CASCADE"))
    round: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("draft_goals.id", ondelete="CASCADE"), index=True)
    question_index: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(120))
    organisation: Mapped[str | None] = mapped_column(String(120))
    link: Mapped[str | None] = mapped_column(String(500))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    is_hidden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class GoalVote(db.Model):
    """One dot a participant gave a goal in a round (several dots on one goal are allowed)."""

    __tablename__ = "goal_votes"
    __table_args__ = (Index("ix_goal_votes_participant_round", "participant_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("theme_groups.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("draft_goals.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    round: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class GroupSummary(db.Model):
    """The host's short summary of a group's round, for the plenary and the documentation."""

    __tablename__ = "group_summaries"
    __table_args__ = (UniqueConstraint("group_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("theme_groups.id", ondelete="CASCADE"))
    round: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


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
