"""Group-choice intents ("Choose your fighter"), and the activity registration of the
``group_choice`` item kind.

A participant's choice is published coalesced as ``activity.live`` (40 taps become a few
broadcasts); facilitator changes (lock, move, assign, rounds) are published sequenced as
``activity.state`` of the group-choice item of the round concerned.
"""
from ..core.activities import Activity, publish_activity, publish_live, register_activity
from ..core.auth import FACILITATORS, PARTICIPANT
from ..core.commands import Context, command
from . import operations, queries
from . import setup
from .messages import (AddGoalPayload, ChoosePayload, CreateGroupPayload, GoalRef, GroupRef, MovePayload,
                       OpenRoundPayload, RequireSwitchPayload, RoundRef, UpdateGoalPayload, UpdateGroupPayload)

register_activity(Activity(
    kind="group_choice", view=queries.view, personal=queries.personal,
    on_start=operations.on_item_start, on_finish=operations.on_item_finish, summary=queries.summary,
    hosted_by_setting=operations.OPENS_ROUND_SETTING,
))


def items_of_round(workshop, round_no: int) -> list:
    """The agenda items that show the choice of ``round_no`` (hook for other kinds later)."""
    return [i for i in workshop.items
            if (i.kind == "group_choice" or (i.settings or {}).get(operations.OPENS_ROUND_SETTING))
            and operations.item_round(i) == round_no]


def _publish(ctx: Context, round_no: int) -> None:
    for item in items_of_round(ctx.workshop, round_no):
        publish_activity(ctx, item)


def _breakout_moved(ctx: Context, participant_ids: list[int]) -> None:
    """People moved while a breakout runs: the overview changes, and their phones switch workspace."""
    from . import workspace
    from .workspace_sockets import nudge

    item = workspace.running_breakout(ctx.workshop)
    if item is None or not participant_ids:
        return
    publish_activity(ctx, item)
    workshop_id = ctx.workshop.id
    ctx.later(lambda: nudge(workshop_id, participant_ids))


def _publish_live(ctx: Context, round_no: int) -> None:
    workshop_id = ctx.workshop.id
    for item_id in [i.id for i in items_of_round(ctx.workshop, round_no)]:
        ctx.later(lambda item_id=item_id: publish_live(workshop_id, item_id))


@command("group.choose", roles={PARTICIPANT}, payload=ChoosePayload, example={"group_id": "$group"},
         errors=("choice_not_open", "choice_locked", "group_full", "group_not_found", "switch_required"))
def choose(ctx: Context, payload: ChoosePayload):
    """Choose my theme group in the open round (choosing again changes it until the choice is locked)."""
    choice = operations.choose(ctx.workshop, ctx.actor.participant_id, payload.group_id, payload.round, ctx.now)
    _publish_live(ctx, choice.round)
    return {"choice": queries.choice_view(choice)}


@command("group.lock", roles=FACILITATORS, payload=RoundRef, example={}, errors=("choice_not_open",))
def lock(ctx: Context, payload: RoundRef):
    """Lock the group choice of a round (default: the latest open one): participants can no longer change."""
    row = operations.set_locked(ctx.workshop, payload.round, True)
    _publish(ctx, row.round)
    return {"round": row.round}


@command("group.unlock", roles=FACILITATORS, payload=RoundRef, example={}, errors=("choice_not_open",))
def unlock(ctx: Context, payload: RoundRef):
    """Let participants change their group again."""
    row = operations.set_locked(ctx.workshop, payload.round, False)
    _publish(ctx, row.round)
    return {"round": row.round}


@command("group.round.open", roles=FACILITATORS, payload=OpenRoundPayload, example={"round": 2})
def open_round(ctx: Context, payload: OpenRoundPayload):
    """Open a round of the choice by hand (round 2: everyone's round-1 group is preselected)."""
    row = operations.open_round(ctx.workshop, payload.round, ctx.now)
    _publish(ctx, row.round)
    return {"round": row.round}


@command("group.require_switch", roles=FACILITATORS, payload=RequireSwitchPayload,
         example={"round": 2, "required": True})
def require_switch(ctx: Context, payload: RequireSwitchPayload):
    """Require (or not) that everyone chooses another theme in this round than in the round before."""
    row = operations.set_require_switch(ctx.workshop, payload.round, payload.required)
    _publish(ctx, row.round)
    return {"round": row.round, "is_switch_required": row.is_switch_required}


@command("group.move", roles=FACILITATORS, payload=MovePayload,
         example={"participant_id": "$participant", "group_id": "$group"},
         errors=("choice_not_open", "participant_not_found", "group_not_found"))
def move(ctx: Context, payload: MovePayload):
    """Put a participant into a group (also when the choice is locked or the group is full)."""
    choice = operations.move(ctx.workshop, payload.participant_id, payload.group_id, payload.round, ctx.now)
    _publish(ctx, choice.round)
    _breakout_moved(ctx, [choice.participant_id])
    return {"choice": queries.choice_view(choice)}


@command("group.assign_undecided", roles=FACILITATORS, payload=RoundRef, example={}, errors=("choice_not_open",))
def assign_undecided(ctx: Context, payload: RoundRef):
    """Put every online participant without a group into the emptiest groups with seats left."""
    row = operations.resolve_round(ctx.workshop, payload.round)
    placed, unplaced = operations.assign_undecided(ctx.workshop, row.round, ctx.now)
    _publish(ctx, row.round)
    _breakout_moved(ctx, [c.participant_id for c in placed])
    return {"round": row.round, "assigned": [queries.choice_view(c) for c in placed], "unplaced": unplaced}


@command("group.balance.preview", roles=FACILITATORS, payload=RoundRef, example={}, errors=("choice_not_open",))
def balance_preview(ctx: Context, payload: RoundRef):
    """Suggest moves that even out very uneven groups; changes nothing (apply them with ``group.move``)."""
    row = operations.resolve_round(ctx.workshop, payload.round)
    suggestions = operations.balance_suggestions(ctx.workshop, row.round)
    return {"round": row.round, "suggestions": suggestions}


# --- setup: the theme groups and their draft goals --------------------------------------------

def _publish_setup(ctx: Context, group_id: int | None = None) -> None:
    """Every audience's state (the cards and workspaces show the groups); the group's workspace."""
    from ..agenda.sockets import publish_state
    from .workspace_sockets import publish_workspace

    publish_state(ctx)
    if group_id is not None:
        workshop_id = ctx.workshop.id
        ctx.later(lambda: publish_workspace(workshop_id, group_id))


@command("group.create", roles=FACILITATORS, payload=CreateGroupPayload,
         example={"name": "Biodiversität", "capacity": 15, "room_url": "https://zoom.example/j/123"})
def create_group(ctx: Context, payload: CreateGroupPayload):
    """Add a theme group (name, description, host, capacity, video-room link)."""
    group = setup.create_group(ctx.workshop, payload.name, description=payload.description, capacity=payload.capacity,
                               host_name=payload.host_name, room_url=payload.room_url)
    _publish_setup(ctx)
    return {"group_id": group.id}


@command("group.update", roles=FACILITATORS, payload=UpdateGroupPayload,
         example={"group_id": "$group", "host_name": "Dr. Hanna Grün", "room_url": "https://zoom.example/j/456"},
         errors=("group_not_found",))
def update_group(ctx: Context, payload: UpdateGroupPayload):
    """Change a theme group's name, description, host, capacity or video-room link."""
    changes = payload.model_dump(exclude_unset=True, exclude={"group_id"})
    group = setup.update_group(ctx.workshop, payload.group_id, changes)
    _publish_setup(ctx, group.id)
    return {"group_id": group.id}


@command("group.delete", roles=FACILITATORS, payload=GroupRef, example={"group_id": "$group"},
         errors=("group_not_found", "group_in_use"))
def delete_group(ctx: Context, payload: GroupRef):
    """Remove a theme group nobody has chosen or worked in yet."""
    setup.delete_group(ctx.workshop, payload.group_id)
    _publish_setup(ctx)


@command("group.goal.add", roles=FACILITATORS, payload=AddGoalPayload,
         example={"group_id": "$group", "text": "Grünflächen klimaresilient pflegen"}, errors=("group_not_found",))
def add_goal(ctx: Context, payload: AddGoalPayload):
    """Add a draft goal (Handlungsziel) to a theme group."""
    goal = setup.add_goal(ctx.workshop, payload.group_id, payload.text)
    _publish_setup(ctx, goal.group_id)
    return {"goal_id": goal.id}


@command("group.goal.update", roles=FACILITATORS, payload=UpdateGoalPayload,
         example={"goal_id": "$goal", "text": "Kaltluftbahnen regional sichern"}, errors=("goal_not_found",))
def update_goal(ctx: Context, payload: UpdateGoalPayload):
    """Reword a draft goal."""
    goal = setup.update_goal(ctx.workshop, payload.goal_id, payload.text)
    _publish_setup(ctx, goal.group_id)
    return {"goal_id": goal.id}


@command("group.goal.remove", roles=FACILITATORS, payload=GoalRef, example={"goal_id": "$goal"},
         errors=("goal_not_found", "goal_in_use"))
def remove_goal(ctx: Context, payload: GoalRef):
    """Remove a draft goal that has no comments or dots yet."""
    group_id = setup.remove_goal(ctx.workshop, payload.goal_id)
    _publish_setup(ctx, group_id)
