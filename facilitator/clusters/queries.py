"""Clusterkette views: the graph and the clusters per audience, a participant's own entries, the summary."""
from __future__ import annotations

from collections import Counter

from ..core.activities import is_input_open
from ..core.clock import iso
from ..extensions import db
from .models import Cluster, ClusterEntry, ClusterTerm
from .operations import central_term, has_chains

#: Organisation types given by fewer people than this are not shown separately (anonymity).
MIN_GROUP_SIZE = 3


def terms_of(item, include_hidden: bool = False) -> list[ClusterTerm]:
    """The item's terms in the order they came in (aliases left behind by merges are not terms)."""
    query = db.select(ClusterTerm).filter_by(item_id=item.id, merged_into_id=None).order_by(ClusterTerm.id)
    if not include_hidden:
        query = query.filter_by(is_hidden=False)
    return db.session.execute(query).scalars().all()


def clusters_of(item) -> list[Cluster]:
    return db.session.execute(
        db.select(Cluster).filter_by(item_id=item.id).order_by(Cluster.position, Cluster.id)
    ).scalars().all()


def _members(clusters, terms) -> dict[int, list[ClusterTerm]]:
    """cluster id -> its terms (of ``terms``) in their order within the cluster."""
    members: dict[int, list[ClusterTerm]] = {c.id: [] for c in clusters}
    for term in terms:
        if term.cluster_id in members:
            members[term.cluster_id].append(term)
    for listed in members.values():
        listed.sort(key=lambda t: (t.cluster_position, t.id))
    return members


def term_view(term: ClusterTerm, parent_id: int | None, with_moderation: bool = False) -> dict:
    view = {"id": term.id, "text": term.text, "count": term.count, "parent_id": parent_id, "cluster_id": term.cluster_id}
    if with_moderation:
        view["is_hidden"] = term.is_hidden
    return view


def view(workshop, item, audience: str) -> dict:
    """The graph and the clusters. Hidden terms reach nobody but the facilitators (marked there);
    for everyone else their children hang off the centre."""
    facilitator = audience == "facilitator"
    terms = terms_of(item, include_hidden=facilitator)
    visible = [t for t in terms if not t.is_hidden]
    visible_ids = {t.id for t in visible}
    clusters = clusters_of(item)
    members = _members(clusters, terms)
    return {
        "central_term": central_term(item),
        "chains": has_chains(item),
        "is_open": is_input_open(item),
        "terms": [
            term_view(t, t.parent_id if facilitator or t.parent_id in visible_ids else None, facilitator)
            for t in terms
        ],
        "clusters": [{"id": c.id, "name": c.name, "term_ids": [t.id for t in members[c.id]]} for c in clusters],
        "term_count": len(visible),
        "entry_count": sum(t.count for t in visible),
        "hidden_count": len(terms) - len(visible) if facilitator else None,
    }


def entry_view(entry: ClusterEntry) -> dict:
    return {"id": entry.id, "text": entry.text, "term_id": entry.term_id, "created_at": iso(entry.created_at)}


def entries_of(item, participant_id: int | None = None) -> list[ClusterEntry]:
    query = (db.select(ClusterEntry).join(ClusterTerm, ClusterTerm.id == ClusterEntry.term_id)
             .filter(ClusterTerm.item_id == item.id).order_by(ClusterEntry.id))
    if participant_id is not None:
        query = query.filter(ClusterEntry.participant_id == participant_id)
    return db.session.execute(query).scalars().all()


def personal(workshop, item, actor) -> dict:
    """What I typed, as I typed it; whether I may shape the clusters (as a group's host)."""
    from ..groups.workspace import hosted_group

    return {"entries": [entry_view(e) for e in entries_of(item, actor.participant_id)],
            "can_cluster": hosted_group(workshop, actor.participant_id) is not None}


def entries_by_organisation_type(item) -> list[dict]:
    """``[{organisation_type, entries, participants}]``, most entries first. Types given by fewer than
    MIN_GROUP_SIZE participants are combined into one row ``"_combined"``; ``null``: not given."""
    from ..join.models import Participant

    rows = db.session.execute(
        db.select(ClusterEntry.participant_id, Participant.organisation_type)
        .join(ClusterTerm, ClusterTerm.id == ClusterEntry.term_id)
        .outerjoin(Participant, Participant.id == ClusterEntry.participant_id)
        .filter(ClusterTerm.item_id == item.id)
    ).all()
    entries: Counter = Counter()
    people: dict[str | None, set] = {}
    for participant_id, org_type in rows:
        entries[org_type] += 1
        people.setdefault(org_type, set()).add(participant_id)
    result: dict[str | None, dict] = {}
    for org_type, count in entries.items():
        key = org_type if org_type is None or len(people[org_type]) >= MIN_GROUP_SIZE else "_combined"
        row = result.setdefault(key, {"organisation_type": key, "entries": 0, "participants": 0})
        row["entries"] += count
        row["participants"] += len(people[org_type])
    return sorted(result.values(), key=lambda r: (-r["entries"], r["organisation_type"] or "~"))


def summary(item) -> dict:
    """For the cockpit and the documentation: clusters with their terms and counts, the unsorted
    terms, hidden terms (marked, counted), totals, and entries by organisation type."""
    terms = terms_of(item, include_hidden=True)
    visible = [t for t in terms if not t.is_hidden]
    clusters = clusters_of(item)
    members = _members(clusters, terms)

    def listed(ts):
        return [{"id": t.id, "text": t.text, "count": t.count, "is_hidden": t.is_hidden} for t in ts]

    return {
        "central_term": central_term(item),
        "chains": has_chains(item),
        "clusters": [
            {"id": c.id, "name": c.name, "terms": listed(members[c.id]),
             "entry_count": sum(t.count for t in members[c.id] if not t.is_hidden)}
            for c in clusters
        ],
        "unclustered": listed(t for t in terms if t.cluster_id is None),
        "links": [{"term_id": t.id, "parent_id": t.parent_id} for t in terms if t.parent_id is not None],
        "term_count": len(visible),
        "hidden_count": len(terms) - len(visible),
        "entry_count": sum(t.count for t in visible),
        "total_entries": sum(t.count for t in terms),
        "entries_by_organisation_type": entries_by_organisation_type(item),
    }
