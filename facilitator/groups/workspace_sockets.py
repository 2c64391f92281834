"""Breakout workspace intents, the ``breakout`` item kind, and how workspaces reach their groups.

A workspace belongs to one group, so its changes do not go through the workshop's sequence
(other groups would see gaps). Each change bumps the group's ``workspace_version``; the whole
workspace is published coalesced as the unsequenced ``workspace.state`` to the group's members
(hidden posts left out), to its host and to the facilitators (hidden posts flagged). Clients keep
the highest version per group. The all-groups overview (counts for the projector) is the item's
activity view, published like every activity.

Phones subscribe with ``workspace.follow`` (not an intent: it changes nothing), which joins the
socket to its group's room on the process that holds it and answers the personal view.
"""
from __future__ import annotations

from flask_socketio import join_room, leave_room

from ..core.activities import Activity, publish_activity, publish_live, register_activity
from ..core.auth import FACILITATORS, PARTICIPANT
from ..core.commands import Context, command
from ..core.realtime import audience_room, envelope
from ..extensions import db, socketio
from . import operations, workspace, workspace_queries
from .messages import (AnswerPayload, CommentPayload, GoalMergePayload, GoalRef, GoalResultPayload, GoalHidePayload,
                       GroupRef, HostAssignPayload, HostClaimPayload, PostHidePayload, PracticePayload,
                       ProposeGoalPayload, RewordPayload, SummaryPayload)

register_activity(Activity(
    kind=workspace.KIND, view=workspace_queries.view, personal=workspace_queries.personal,
    on_start=workspace.on_item_start, on_finish=workspace.on_item_finish, summary=workspace_queries.summary,
))

#: Intents that act in the participant's own group; refused for other groups with ``not_in_group``.
MEMBER_ERRORS = ("no_breakout", "not_in_group", "activity_closed")


def group_room(workshop_id: int, group_id: int) -> str:
    return f"w{workshop_id}.g{group_id}"


def host_room(workshop_id: int, group_id: int) -> str:
    return f"w{workshop_id}.g{group_id}.host"


def publish_workspace(workshop_id: int, group_id: int) -> None:
    """The group's workspace to its members, its host and the facilitators (coalesced)."""
    from ..core.coalesce import schedule
    from ..workshops.models import Workshop
    from .models import ThemeGroup

    def flush() -> None:
        workshop = db.session.get(Workshop, workshop_id)
        group = db.session.get(ThemeGroup, group_id)
        if workshop is None or group is None:
            return
        round_no = workspace.latest_breakout_round(workshop)
        for moderation, rooms in ((False, [group_room(workshop_id, group_id)]),
                                  (True, [host_room(workshop_id, group_id), audience_room(workshop_id, "facilitator")])):
            view = workspace_queries.workspace_view(workshop, group, round_no, moderation=moderation)
            message = envelope({"group_id": group.id, "version": view["version"], "workspace": view})
            for room in rooms:
                socketio.emit("workspace.state", message, to=room)
        db.session.rollback()  # read-only

    schedule(f"workspace:{group_id}", flush)


def publish_to_group(workshop_id: int, view: dict) -> None:
    """A facilitator's message to one group: ``broadcast.group`` to its members and its host."""
    message = envelope(view)
    for room in (group_room(workshop_id, view["group_id"]), host_room(workshop_id, view["group_id"])):
        socketio.emit("broadcast.group", message, to=room)


def nudge(workshop_id: int, participant_ids) -> None:
    """Tell these participants' phones that their workspace changed (a new group, host or not):
    they ``workspace.follow`` again. Emitted to their connections, which any process can reach."""
    from ..join.models import Connection

    ids = [pid for pid in participant_ids if pid is not None]
    if not ids:
        return
    sids = db.session.execute(
        db.select(Connection.sid).filter(Connection.workshop_id == workshop_id, Connection.participant_id.in_(ids))
    ).scalars().all()
    for sid in sids:
        socketio.emit("workspace.changed", envelope(None), to=sid)


def _changed(ctx: Context, group_id: int, *, overview: bool = True) -> None:
    """After commit: the group's workspace, and the projector's counts, coalesced."""
    workshop_id = ctx.workshop.id
    ctx.later(lambda: publish_workspace(workshop_id, group_id))
    item = workspace.running_breakout(ctx.workshop)
    if overview and item is not None:
        ctx.later(lambda item_id=item.id: publish_live(workshop_id, item_id))


def _mine(ctx: Context) -> dict:
    item = workspace.require_breakout(ctx.workshop)
    return {"dots_left": workspace.dots_left(item, ctx.actor.participant_id),
            "my_votes": {str(k): v for k, v in workspace.my_votes(ctx.actor.participant_id, workspace.breakout_round(item)).items()}}


# --- members -----------------------------------------------------------------------------------

@command("workspace.comment", roles={PARTICIPANT}, payload=CommentPayload, example={"goal_id": "$goal", "text": "Wichtig für Quartiere"},
         errors=MEMBER_ERRORS + ("goal_not_found",))
def comment(ctx: Context, payload: CommentPayload):
    """Comment on a goal of my group."""
    post = workspace.add_comment(ctx.workshop, ctx.actor.participant_id, payload.goal_id, payload.text, ctx.now)
    _changed(ctx, post.group_id)
    return {"post_id": post.id}


@command("workspace.reword", roles={PARTICIPANT}, payload=RewordPayload,
         example={"goal_id": "$goal", "text": "Kaltluftbahnen regional sichern"}, errors=MEMBER_ERRORS + ("goal_not_found",))
def reword(ctx: Context, payload: RewordPayload):
    """Propose a new wording for a goal of my group."""
    post = workspace.add_comment(ctx.workshop, ctx.actor.participant_id, payload.goal_id, payload.text, ctx.now, kind="rewording")
    _changed(ctx, post.group_id)
    return {"post_id": post.id}


@command("workspace.goal.propose", roles={PARTICIPANT}, payload=ProposeGoalPayload,
         example={"text": "Schulhöfe als grüne Klimaoasen öffnen"}, errors=MEMBER_ERRORS)
def propose_goal(ctx: Context, payload: ProposeGoalPayload):
    """Propose a new goal in my group."""
    goal = workspace.propose_goal(ctx.workshop, ctx.actor.participant_id, payload.text, ctx.now)
    _changed(ctx, goal.group_id)
    return {"goal_id": goal.id}


@command("workspace.practice.add", roles={PARTICIPANT}, payload=PracticePayload,
         example={"title": "Klimaschutzsiedlung", "organisation": "Stadt Bottrop", "text": "Dachbegrünung im Bestand",
                  "link": "https://example.org/projekt"}, errors=MEMBER_ERRORS)
def add_practice(ctx: Context, payload: PracticePayload):
    """Add a good-practice project to my group's workspace."""
    post = workspace.add_practice(ctx.workshop, ctx.actor.participant_id, payload.title, payload.organisation,
                                  payload.text, payload.link, ctx.now)
    _changed(ctx, post.group_id)
    return {"post_id": post.id}


@command("workspace.answer", roles={PARTICIPANT}, payload=AnswerPayload,
         example={"question_index": 0, "text": "Förderprogramm Dachbegrünung"}, errors=MEMBER_ERRORS + ("question_not_found",))
def answer(ctx: Context, payload: AnswerPayload):
    """Answer one of the guiding questions in my group's workspace."""
    post = workspace.add_answer(ctx.workshop, ctx.actor.participant_id, payload.question_index, payload.text, ctx.now)
    _changed(ctx, post.group_id)
    return {"post_id": post.id}


@command("workspace.vote", roles={PARTICIPANT}, payload=GoalRef, example={"goal_id": "$goal"},
         errors=MEMBER_ERRORS + ("goal_not_found", "no_dots_left"))
def vote(ctx: Context, payload: GoalRef):
    """Give one of my dots of this round to a goal of my group (urgent need for action)."""
    row = workspace.vote(ctx.workshop, ctx.actor.participant_id, payload.goal_id, ctx.now)
    _changed(ctx, row.group_id, overview=False)
    return _mine(ctx)


@command("workspace.unvote", roles={PARTICIPANT}, payload=GoalRef, example={"goal_id": "$goal"},
         errors=MEMBER_ERRORS + ("goal_not_found", "vote_not_found"))
def unvote(ctx: Context, payload: GoalRef):
    """Take one of my dots of this round back from a goal."""
    workspace.unvote(ctx.workshop, ctx.actor.participant_id, payload.goal_id)
    goal = workspace.get_goal(ctx.workshop, payload.goal_id)
    _changed(ctx, goal.group_id, overview=False)
    return _mine(ctx)


# --- hosts and facilitators --------------------------------------------------------------------

MODERATOR_ROLES = FACILITATORS | {PARTICIPANT}


@command("workspace.goal.result", roles=MODERATOR_ROLES, payload=GoalResultPayload,
         example={"goal_id": "$goal", "is_result": True}, errors=("goal_not_found", "not_host"))
def goal_result(ctx: Context, payload: GoalResultPayload):
    """Mark a goal as a result of the group ("Ergebnis"), or not (the group's host, facilitators)."""
    goal = workspace.moderate(ctx.workshop, ctx.actor, workspace.get_goal(ctx.workshop, payload.goal_id), is_result=payload.is_result)
    _changed(ctx, goal.group_id, overview=False)
    return {"goal_id": goal.id, "is_result": goal.is_result}


@command("workspace.goal.merge", roles=MODERATOR_ROLES, payload=GoalMergePayload,
         example={"goal_id": "$goal", "into_goal_id": "$other_goal"},
         errors=("goal_not_found", "not_host", "same_goal", "goal_merged", "not_in_group"))
def goal_merge(ctx: Context, payload: GoalMergePayload):
    """Merge a duplicate goal into another goal of the group (the group's host, facilitators)."""
    target = workspace.merge_goals(ctx.workshop, ctx.actor, payload.goal_id, payload.into_goal_id)
    _changed(ctx, target.group_id, overview=False)
    return {"goal_id": target.id}


@command("workspace.goal.hide", roles=MODERATOR_ROLES, payload=GoalHidePayload,
         example={"goal_id": "$goal", "hidden": True}, errors=("goal_not_found", "not_host"))
def goal_hide(ctx: Context, payload: GoalHidePayload):
    """Hide a goal from the group (or show it again) (the group's host, facilitators)."""
    goal = workspace.moderate(ctx.workshop, ctx.actor, workspace.get_goal(ctx.workshop, payload.goal_id), is_hidden=payload.hidden)
    _changed(ctx, goal.group_id)
    return {"goal_id": goal.id, "is_hidden": goal.is_hidden}


@command("workspace.post.hide", roles=MODERATOR_ROLES, payload=PostHidePayload,
         example={"post_id": "$post", "hidden": True}, errors=("post_not_found", "not_host"))
def post_hide(ctx: Context, payload: PostHidePayload):
    """Hide a post from the group (or show it again) (the group's host, facilitators)."""
    post = workspace.moderate(ctx.workshop, ctx.actor, workspace.get_post(ctx.workshop, payload.post_id), is_hidden=payload.hidden)
    _changed(ctx, post.group_id)
    return {"post_id": post.id, "is_hidden": post.is_hidden}


@command("workspace.summary", roles=MODERATOR_ROLES, payload=SummaryPayload,
         example={"text": "Kaltluftbahnen sichern hat höchste Dringlichkeit.", "group_id": "$group"},
         errors=("group_not_found", "not_host"))
def summary(ctx: Context, payload: SummaryPayload):
    """Write the group's short summary for the plenary (the group's host; facilitators name the group)."""
    row = workspace.write_summary(ctx.workshop, ctx.actor, payload.text, payload.group_id, payload.round, ctx.now)
    _changed(ctx, row.group_id)
    return {"group_id": row.group_id, "round": row.round}


@command("workspace.get", roles=FACILITATORS, payload=GroupRef, example={"group_id": "$group"}, errors=("group_not_found",))
def get(ctx: Context, payload: GroupRef):
    """A group's whole workspace with hidden posts flagged (facilitators, read-only)."""
    group = operations.get_group(ctx.workshop, payload.group_id)
    round_no = workspace.latest_breakout_round(ctx.workshop)
    return {"workspace": workspace_queries.workspace_view(ctx.workshop, group, round_no, moderation=True)}


@command("group.host.assign", roles=FACILITATORS, payload=HostAssignPayload,
         example={"group_id": "$group", "participant_id": "$participant"},
         errors=("group_not_found", "participant_not_found"))
def assign_host(ctx: Context, payload: HostAssignPayload):
    """Make a participant the host (Themenpat*in) of a group, or no one (``participant_id: null``)."""
    group = operations.get_group(ctx.workshop, payload.group_id)
    before = group.host_participant_id
    previous = workspace.hosted_group(ctx.workshop, payload.participant_id)
    group = workspace.assign_host(ctx.workshop, payload.group_id, payload.participant_id)
    _after_host_change(ctx, group, before, previous)
    return {"group_id": group.id, "host_participant_id": group.host_participant_id}


@command("group.host.claim", roles={PARTICIPANT}, payload=HostClaimPayload, example={"token": "$host_token"},
         errors=("host_link_invalid", "group_not_found"))
def claim_host(ctx: Context, payload: HostClaimPayload):
    """Become the host of a group with its host link (the link's token)."""
    previous = workspace.hosted_group(ctx.workshop, ctx.actor.participant_id)
    group = workspace.claim_host(ctx.workshop, ctx.actor.participant_id, payload.token)
    _after_host_change(ctx, group, None, previous)
    return {"group_id": group.id}


def _after_host_change(ctx: Context, group, before: int | None, previous) -> None:
    workshop_id = ctx.workshop.id
    item = workspace.running_breakout(ctx.workshop)
    if item is not None:  # the cockpit's group table shows the host (other items' views are not on screen)
        publish_activity(ctx, item)
    groups = {group.id} | ({previous.id} if previous is not None else set())
    for group_id in groups:
        ctx.later(lambda group_id=group_id: publish_workspace(workshop_id, group_id))
    people = {before, group.host_participant_id}
    ctx.later(lambda: nudge(workshop_id, people))


@command("breakout.recall", roles=FACILITATORS, errors=("no_breakout",))
def recall(ctx: Context, payload):
    """"Zurück ins Plenum": end the running breakout for every group; the next agenda item starts."""
    from ..agenda import operations as agenda_operations
    from ..agenda.sockets import publish_state

    workspace.require_breakout(ctx.workshop)
    agenda_operations.next_item(ctx.workshop, ctx.now)
    publish_state(ctx)


# --- following a workspace ---------------------------------------------------------------------

def on_follow(data=None):
    """``workspace.follow``: join my group's room (members) or its host room (the host), leave the
    others; answer my personal view of the running breakout. Facilitators receive every group
    through their audience room already."""
    from ..core.live import connection_actor
    from ..workshops.models import Workshop

    actor = connection_actor()
    if actor is None:
        return {"ok": False, "error": {"code": "not_authenticated", "message": "not connected to a workshop"}}
    workshop = db.session.get(Workshop, actor.workshop_id)
    item = workspace.running_breakout(workshop)
    if actor.role != PARTICIPANT or item is None:
        db.session.rollback()
        return {"ok": True, "personal": None}
    personal = workspace_queries.personal(workshop, item, actor)
    for group in operations.groups_of(workshop):
        leave_room(group_room(workshop.id, group.id))
        leave_room(host_room(workshop.id, group.id))
    if personal["group_id"] is not None:
        join_room((host_room if personal["is_host"] else group_room)(workshop.id, personal["group_id"]))
    db.session.rollback()
    return {"ok": True, "personal": personal}
