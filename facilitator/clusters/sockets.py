"""Clusterkette intents, and the activity registration of the ``cluster_chain`` item kind."""
from ..core.activities import Activity, publish_activity, publish_live, register_activity
from ..core.auth import FACILITATORS, PARTICIPANT
from ..core.commands import Context, command
from . import operations, queries
from .messages import (AddTermPayload, ClusterRef, CreateClusterPayload, HideTermPayload, MergeClustersPayload,
                       MergeTermsPayload, MoveTermPayload, RenameClusterPayload)

#: Who may shape the clusters (create, rename, delete, merge, move, hide, merge terms): facilitators,
#: and participants who host a theme group (the Themenpat*innen co-moderate the Clusterkette); other
#: participants are refused in ``_editable_item``.
CLUSTER_EDITORS = FACILITATORS | {PARTICIPANT}

register_activity(Activity(
    kind=operations.KIND, view=queries.view, personal=queries.personal,
    on_start=operations.open_input, on_finish=operations.close_input, summary=queries.summary, has_input=True,
))


@command("cluster.add_term", roles={PARTICIPANT}, payload=AddTermPayload, example={"text": "Stadtbäume"},
         errors=("no_cluster_chain", "activity_closed", "chains_off", "term_not_found", "rate_limited"))
def add_term(ctx: Context, payload: AddTermPayload):
    """Add my association to the running Clusterkette, optionally linked to an earlier term."""
    item = operations.running_chain(ctx.workshop)
    term, entry = operations.add_term(item, ctx.actor.participant_id, payload.text, payload.parent_id, ctx.now)
    ctx.later(lambda: publish_live(ctx.workshop.id, item.id))
    return {"entry": queries.entry_view(entry), "merged": term.count > 1}


@command("cluster.create", roles=CLUSTER_EDITORS, payload=CreateClusterPayload,
         example={"item_id": "$item:cluster_chain", "name": "Klimaanpassung"},
         errors=("not_host", "item_not_found", "no_cluster_chain"))
def create(ctx: Context, payload: CreateClusterPayload):
    """Create a named cluster (empty; terms are moved into it)."""
    item = _editable_item(ctx, operations.get_chain_item(ctx.workshop, payload.item_id))
    cluster = operations.create_cluster(item, payload.name, ctx.now)
    publish_activity(ctx, item)
    return {"cluster_id": cluster.id}


@command("cluster.rename", roles=CLUSTER_EDITORS, payload=RenameClusterPayload,
         example={"cluster_id": "$cluster", "name": "Wasser und Hitze"}, errors=("not_host", "cluster_not_found",))
def rename(ctx: Context, payload: RenameClusterPayload):
    """Rename a cluster."""
    cluster = operations.get_cluster(ctx.workshop, payload.cluster_id)
    item = _editable_item(ctx, cluster.item_id)
    operations.rename_cluster(cluster, payload.name)
    publish_activity(ctx, item)


@command("cluster.delete", roles=CLUSTER_EDITORS, payload=ClusterRef, example={"cluster_id": "$cluster"},
         errors=("not_host", "cluster_not_found",))
def delete(ctx: Context, payload: ClusterRef):
    """Delete a cluster; its terms go back to the unsorted ones."""
    cluster = operations.get_cluster(ctx.workshop, payload.cluster_id)
    item = _editable_item(ctx, cluster.item_id)
    operations.delete_cluster(cluster)
    publish_activity(ctx, item)


@command("cluster.merge", roles=CLUSTER_EDITORS, payload=MergeClustersPayload,
         example={"cluster_id": "$cluster", "into_id": "$other_cluster"}, errors=("not_host", "cluster_not_found", "same_cluster"))
def merge(ctx: Context, payload: MergeClustersPayload):
    """Merge a cluster into another: its terms are appended there, the cluster disappears."""
    source = operations.get_cluster(ctx.workshop, payload.cluster_id)
    target = operations.get_cluster(ctx.workshop, payload.into_id)
    item = _editable_item(ctx, source.item_id)
    operations.merge_clusters(source, target)
    publish_activity(ctx, item)


@command("cluster.move_term", roles=CLUSTER_EDITORS, payload=MoveTermPayload,
         example={"term_id": "$term", "cluster_id": "$cluster", "position": 0},
         errors=("not_host", "term_not_found", "cluster_not_found"))
def move_term(ctx: Context, payload: MoveTermPayload):
    """Move a term into a cluster at a position (or out of every cluster: cluster_id null)."""
    term = operations.get_term(ctx.workshop, payload.term_id)
    cluster = operations.get_cluster(ctx.workshop, payload.cluster_id) if payload.cluster_id is not None else None
    item = _editable_item(ctx, term.item_id)
    operations.move_term(term, cluster, payload.position)
    publish_activity(ctx, item)


@command("cluster.hide_term", roles=CLUSTER_EDITORS, payload=HideTermPayload, example={"term_id": "$term"},
         errors=("not_host", "term_not_found",))
def hide_term(ctx: Context, payload: HideTermPayload):
    """Hide a term from phones and projector (or show it again)."""
    term = operations.get_term(ctx.workshop, payload.term_id)
    item = _editable_item(ctx, term.item_id)
    operations.set_term_hidden(term, payload.is_hidden)
    publish_activity(ctx, item)


@command("cluster.merge_terms", roles=CLUSTER_EDITORS, payload=MergeTermsPayload,
         example={"term_id": "$term", "into_id": "$other_term"}, errors=("not_host", "term_not_found", "same_term"))
def merge_terms(ctx: Context, payload: MergeTermsPayload):
    """Merge a duplicate term into another: counts add up, its entries and links move over."""
    source = operations.get_term(ctx.workshop, payload.term_id)
    target = operations.get_term(ctx.workshop, payload.into_id)
    item = _editable_item(ctx, source.item_id)
    operations.merge_terms(source, target)
    publish_activity(ctx, item)


def _editable_item(ctx: Context, item_or_id):
    """The Clusterkette item the actor shapes. Facilitators may shape every item of their workshop,
    a participant only while they host a theme group."""
    from ..agenda.operations import get_item
    from ..core.errors import Forbidden
    from ..groups.workspace import hosted_group

    if not ctx.actor.is_facilitator and hosted_group(ctx.workshop, ctx.actor.participant_id) is None:
        raise Forbidden("only facilitators and group hosts shape the clusters", code="not_host")
    return item_or_id if not isinstance(item_or_id, int) else get_item(ctx.workshop, item_or_id)
