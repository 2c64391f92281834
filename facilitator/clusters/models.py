"""Clusterkette: associations to a central term, chained to earlier ones, grouped into clusters."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.clock import now_utc
from ..core.types import UTCDateTime
from ..extensions import db

MAX_TERM_LENGTH = 40
MAX_CLUSTER_NAME_LENGTH = 60


class Cluster(db.Model):
    """A named group of terms, made by the facilitator (or a group host)."""

    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(MAX_CLUSTER_NAME_LENGTH))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class ClusterTerm(db.Model):
    """One node of the graph: all entries that normalise to the same key ("Bäume" = "Baum")."""

    __tablename__ = "cluster_terms"
    __table_args__ = (UniqueConstraint("item_id", "normalized"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    #: The text as first entered (shown), and the merge key.
    text: Mapped[str] = mapped_column(String(MAX_TERM_LENGTH))
    normalized: Mapped[str] = mapped_column(String(MAX_TERM_LENGTH))
    #: How many entries were merged into this term.
    count: Mapped[int] = mapped_column(default=1)
    #: The earlier term this one was linked to ("erinnert mich an …"); None: hangs off the centre.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("cluster_terms.id", ondelete="SET NULL"))
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id", ondelete="SET NULL"))
    cluster_position: Mapped[int] = mapped_column(default=0)
    is_hidden: Mapped[bool] = mapped_column(default=False)
    #: Set when the facilitator merged this term into another: the row stays as an alias, so a later
    #: entry with this merge key lands on the surviving term instead of bringing the duplicate back.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cluster_terms.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class ClusterEntry(db.Model):
    """One submission as typed (raw data for exports: when, by which organisation type)."""

    __tablename__ = "cluster_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("cluster_terms.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(String(MAX_TERM_LENGTH))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("cluster_terms.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
