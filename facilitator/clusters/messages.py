"""Payload types of the Clusterkette intents."""
from pydantic import Field

from ..core.commands import Payload
from .models import MAX_CLUSTER_NAME_LENGTH, MAX_TERM_LENGTH


class AddTermPayload(Payload):
    """``cluster.add_term``: an association to the central term, optionally linked to an earlier term."""

    text: str = Field(min_length=1, max_length=MAX_TERM_LENGTH)
    #: The earlier term this one reminds me of ("das erinnert mich an …"); only when chains are on.
    parent_id: int | None = None


class CreateClusterPayload(Payload):
    """``cluster.create``: a new, empty named cluster in a Clusterkette item."""

    item_id: int
    name: str = Field(min_length=1, max_length=MAX_CLUSTER_NAME_LENGTH)


class RenameClusterPayload(Payload):
    """``cluster.rename``: give a cluster a new name."""

    cluster_id: int
    name: str = Field(min_length=1, max_length=MAX_CLUSTER_NAME_LENGTH)


class ClusterRef(Payload):
    """``cluster.delete``: one cluster."""

    cluster_id: int


class MergeClustersPayload(Payload):
    """``cluster.merge``: move every term of one cluster into another and remove the first."""

    cluster_id: int
    into_id: int


class MoveTermPayload(Payload):
    """``cluster.move_term``: put a term into a cluster at a position, or back into the unsorted pool."""

    term_id: int
    #: The target cluster; null: out of every cluster (unsorted).
    cluster_id: int | None
    #: 0-based place in the target cluster; null or past the end: at the end.
    position: int | None = Field(default=None, ge=0)


class HideTermPayload(Payload):
    """``cluster.hide_term``: hide a term from phones and projector (or show it again)."""

    term_id: int
    is_hidden: bool = True


class MergeTermsPayload(Payload):
    """``cluster.merge_terms``: merge a duplicate term into another."""

    term_id: int
    into_id: int
