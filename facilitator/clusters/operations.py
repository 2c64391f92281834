"""Clusterkette operations: associations, chains, clusters, moderation. Never commit."""
from __future__ import annotations

from datetime import datetime, timedelta

from ..core.activities import is_input_open, set_activity_state
from ..core.errors import DomainError, InvalidState, NotFound
from ..core.text import normalize_term
from ..extensions import db
from .models import MAX_TERM_LENGTH, Cluster, ClusterEntry, ClusterTerm

KIND = "cluster_chain"
#: At most this many entries per participant within RATE_WINDOW (across the workshop's items).
RATE_LIMIT = 5
RATE_WINDOW = timedelta(seconds=30)


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429


# --- the item's settings and input ------------------------------------------------------------

def central_term(item) -> str:
    """``settings.central_term`` (RVR: "Grüne Infrastruktur"), else the item's title."""
    return (item.settings or {}).get("central_term") or item.title


def has_chains(item) -> bool:
    """``settings.chains`` (default true); false: plain brainstorming, every term hangs off the centre."""
    value = (item.settings or {}).get("chains", True)
    if isinstance(value, str):  # the agenda loader does not check this key's type (yet)
        return value.strip().lower() not in ("false", "0", "no", "nein", "off", "")
    return bool(value)


def open_input(workshop, item, now: datetime) -> None:
    set_activity_state(item, open=True)


def close_input(workshop, item, now: datetime) -> None:
    set_activity_state(item, open=False)


def running_chain(workshop):
    """The current agenda item if it is a Clusterkette."""
    item = workshop.current_item
    if item is None or item.kind != KIND:
        raise InvalidState("no Clusterkette is running", code="no_cluster_chain")
    return item


def get_chain_item(workshop, item_id: int):
    """An item of this workshop that is a Clusterkette (it need not be running)."""
    from ..agenda.operations import get_item

    item = get_item(workshop, item_id)
    if item.kind != KIND:
        raise InvalidState("this agenda item is not a Clusterkette", code="no_cluster_chain")
    return item


# --- merge keys -------------------------------------------------------------------------------

def tidy(text: str) -> str:
    """The text as shown: runs of whitespace (line breaks, tabs) become one space."""
    return " ".join(text.split())


def merge_key(text: str) -> str:
    """Terms with the same key are one node ("Bäume", "Baum", " baum "). Text without any word
    characters ("?!") keys on itself. Cut to the column's length (casefolding "ß" lengthens)."""
    return (normalize_term(text) or tidy(text).casefold())[:MAX_TERM_LENGTH]


# --- loading (always within the actor's workshop) ---------------------------------------------

def _in_workshop(model, workshop, object_id: int):
    from ..agenda.models import AgendaItem

    return db.session.execute(
        db.select(model).join(AgendaItem, AgendaItem.id == model.item_id)
        .filter(model.id == object_id, AgendaItem.workshop_id == workshop.id, AgendaItem.kind == KIND)
    ).scalar_one_or_none()


def get_term(workshop, term_id: int) -> ClusterTerm:
    """A term of this workshop as the cockpit shows it (not the alias left behind by a merge)."""
    term = _in_workshop(ClusterTerm, workshop, term_id)
    if term is None or term.is_merged:
        raise NotFound("no such term in this workshop", code="term_not_found")
    return term


def get_cluster(workshop, cluster_id: int) -> Cluster:
    cluster = _in_workshop(Cluster, workshop, cluster_id)
    if cluster is None:
        raise NotFound("no such cluster in this workshop", code="cluster_not_found")
    return cluster


def surviving(term: ClusterTerm) -> ClusterTerm:
    """The term an alias was merged into (merges keep aliases pointing at the survivor; bounded anyway)."""
    for _ in range(100):
        if term.merged_into_id is None:
            return term
        term = db.session.get(ClusterTerm, term.merged_into_id)
    raise InvalidState("merge chain too long", code="term_not_found")


def cluster_terms(cluster_id: int) -> list[ClusterTerm]:
    return db.session.execute(
        db.select(ClusterTerm).filter_by(cluster_id=cluster_id, merged_into_id=None)
        .order_by(ClusterTerm.cluster_position, ClusterTerm.id)
    ).scalars().all()


def _renumber(terms: list[ClusterTerm]) -> None:
    for position, term in enumerate(terms):
        term.cluster_position = position


# --- participants -----------------------------------------------------------------------------

def check_rate(participant_id: int, now: datetime) -> None:
    """At most RATE_LIMIT entries per RATE_WINDOW, counted from the stored entries (every process agrees)."""
    since = now - RATE_WINDOW
    recent = db.session.execute(
        db.select(ClusterEntry.created_at).filter(ClusterEntry.participant_id == participant_id,
                                                   ClusterEntry.created_at > since)
        .order_by(ClusterEntry.created_at)
    ).scalars().all()
    if len(recent) >= RATE_LIMIT:
        oldest = recent[len(recent) - RATE_LIMIT]
        retry = max(1, int((oldest + RATE_WINDOW - now).total_seconds() + 0.999))
        raise RateLimited(f"too many terms at once: try again in {retry} s", details={"retry_after_s": retry})


def add_term(item, participant_id: int, text: str, parent_id: int | None, now: datetime) -> tuple[ClusterTerm, ClusterEntry]:
    """Add an association; the same merge key counts up the existing term.

    :raises InvalidState: ``activity_closed``, ``chains_off``; :raises NotFound: ``term_not_found``
        (the parent is not a visible term of this item); :raises RateLimited: ``rate_limited``.
    """
    if not is_input_open(item):
        raise InvalidState("the Clusterkette is closed", code="activity_closed")
    parent = None
    if parent_id is not None:
        if not has_chains(item):
            raise InvalidState("this Clusterkette runs without chains", code="chains_off")
        parent = db.session.get(ClusterTerm, parent_id)
        parent = surviving(parent) if parent is not None and parent.item_id == item.id else None
        if parent is None or parent.is_hidden:
            raise NotFound("no such term in this Clusterkette", code="term_not_found")
    check_rate(participant_id, now)
    key = merge_key(text)
    term = db.session.execute(db.select(ClusterTerm).filter_by(item_id=item.id, normalized=key)).scalar_one_or_none()
    if term is None:
        term = ClusterTerm(item_id=item.id, text=tidy(text), normalized=key, count=1,
                           parent_id=parent.id if parent else None, created_at=now)
        db.session.add(term)
        db.session.flush()
    else:
        term = surviving(term)
        term.count += 1
    if parent is not None and parent.id == term.id:
        parent = None  # "Baum" linked to "Bäume": the same node
    entry = ClusterEntry(term_id=term.id, participant_id=participant_id, text=text,  # as typed (trimmed)
                         parent_id=parent.id if parent else None, created_at=now)
    db.session.add(entry)
    db.session.flush()
    return term, entry


# --- facilitators (and later group hosts): clusters -------------------------------------------

def create_cluster(item, name: str, now: datetime) -> Cluster:
    last = db.session.execute(
        db.select(db.func.max(Cluster.position)).filter_by(item_id=item.id)
    ).scalar()
    cluster = Cluster(item_id=item.id, name=tidy(name), position=(last + 1) if last is not None else 0, created_at=now)
    db.session.add(cluster)
    db.session.flush()
    return cluster


def rename_cluster(cluster: Cluster, name: str) -> None:
    cluster.name = tidy(name)


def _renumber_clusters(item_id: int) -> None:
    clusters = db.session.execute(
        db.select(Cluster).filter_by(item_id=item_id).order_by(Cluster.position, Cluster.id)
    ).scalars().all()
    for position, cluster in enumerate(clusters):
        cluster.position = position


def delete_cluster(cluster: Cluster) -> None:
    """Remove a cluster; its terms go back to the unsorted pool (nothing a participant wrote is lost)."""
    for term in db.session.execute(db.select(ClusterTerm).filter_by(cluster_id=cluster.id)).scalars():
        term.cluster_id = None
        term.cluster_position = 0
    item_id = cluster.item_id
    db.session.delete(cluster)
    db.session.flush()
    _renumber_clusters(item_id)


def merge_clusters(source: Cluster, target: Cluster) -> None:
    """Append the terms of ``source`` to ``target`` (in their order) and remove ``source``."""
    if source.item_id != target.item_id:
        raise NotFound("the clusters belong to different items", code="cluster_not_found")
    if source.id == target.id:
        raise InvalidState("a cluster cannot be merged into itself", code="same_cluster")
    moved = cluster_terms(target.id) + cluster_terms(source.id)
    for term in moved:
        term.cluster_id = target.id
    _renumber(moved)
    db.session.flush()
    delete_cluster(source)


def move_term(term: ClusterTerm, cluster: Cluster | None, position: int | None) -> None:
    """Put ``term`` into ``cluster`` at ``position`` (end when None or too large), or out (cluster None)."""
    if cluster is not None and cluster.item_id != term.item_id:
        raise NotFound("the cluster belongs to another item", code="cluster_not_found")
    old_cluster_id = term.cluster_id
    term.cluster_id = cluster.id if cluster else None
    db.session.flush()
    if old_cluster_id is not None and old_cluster_id != term.cluster_id:
        _renumber(cluster_terms(old_cluster_id))
    if cluster is None:
        term.cluster_position = 0
        return
    others = [t for t in cluster_terms(cluster.id) if t.id != term.id]
    at = len(others) if position is None else min(position, len(others))
    _renumber(others[:at] + [term] + others[at:])


# --- facilitators: terms ----------------------------------------------------------------------

def set_term_hidden(term: ClusterTerm, is_hidden: bool) -> None:
    term.is_hidden = is_hidden


def _ancestors_loop(term: ClusterTerm) -> bool:
    """Whether following parent links from ``term`` comes back to it."""
    seen = set()
    current = term
    while current.parent_id is not None and current.parent_id not in seen:
        if current.parent_id == term.id:
            return True
        seen.add(current.parent_id)
        current = db.session.get(ClusterTerm, current.parent_id)
        if current is None:
            return False
    return False


def merge_terms(source: ClusterTerm, target: ClusterTerm) -> None:
    """Merge the duplicate ``source`` into ``target``: counts add up, entries move, children re-parent.

    ``source`` stays as an alias (``merged_into_id``), so the next entry with its merge key lands on
    ``target``. ``target`` keeps its cluster; if it had none, it takes the place of ``source``.
    """
    if source.item_id != target.item_id:
        raise NotFound("the terms belong to different items", code="term_not_found")
    if source.id == target.id:
        raise InvalidState("a term cannot be merged into itself", code="same_term")
    target.count += source.count
    for entry in db.session.execute(db.select(ClusterEntry).filter(
            (ClusterEntry.term_id == source.id) | (ClusterEntry.parent_id == source.id))).scalars():
        if entry.term_id == source.id:
            entry.term_id = target.id
        if entry.parent_id == source.id:
            entry.parent_id = target.id
        if entry.parent_id == entry.term_id:
            entry.parent_id = None
    for term in db.session.execute(db.select(ClusterTerm).filter(
            (ClusterTerm.parent_id == source.id) | (ClusterTerm.merged_into_id == source.id))).scalars():
        if term.merged_into_id == source.id:
            term.merged_into_id = target.id
        if term.parent_id == source.id and term.id != target.id:
            term.parent_id = target.id
    if target.parent_id == source.id:
        target.parent_id = source.parent_id
    if target.cluster_id is None and source.cluster_id is not None:
        target.cluster_id, target.cluster_position = source.cluster_id, source.cluster_position
    old_cluster_id = source.cluster_id
    source.count = 0
    source.parent_id = None
    source.cluster_id = None
    source.merged_into_id = target.id
    db.session.flush()
    if target.parent_id == target.id or _ancestors_loop(target):
        # every new link ends at target, so a loop runs through it: cut target's own link
        target.parent_id = None
    if old_cluster_id is not None and old_cluster_id != target.cluster_id:
        _renumber(cluster_terms(old_cluster_id))
    if target.cluster_id is not None:
        _renumber(cluster_terms(target.cluster_id))
    db.session.flush()
