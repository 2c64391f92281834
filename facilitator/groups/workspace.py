"""Breakout workspaces of the theme groups: operations. Never commit.

A group's workspace is one page for all rounds: round 2 of a theme continues what round 1 wrote
(the handover). Posts and dots are stored with their round. Participants write only into the
workspace of their own group in the running breakout's round; a group's host (a participant
assigned by a facilitator or by the host link) moderates it; facilitators moderate every group.
"""
from __future__ import annotations

from datetime import datetime

from itsdangerous import BadSignature, URLSafeSerializer

from ..core.activities import set_activity_state
from ..core.errors import Forbidden, InvalidState, NotFound
from ..extensions import db
from . import operations
from .models import DraftGoal, GoalVote, GroupSummary, ThemeGroup, WorkspacePost

KIND = "breakout"
#: Dots per participant and round, unless the item's ``settings.dots`` says otherwise.
DEFAULT_DOTS = 3
HOST_LINK_SALT = "werkstatt.group-host"


# --- which breakout, which group ----------------------------------------------------------------

def breakout_round(item) -> int:
    return operations.item_round(item)


def dots_per_person(item) -> int:
    try:
        return max(0, int((item.settings or {}).get("dots", DEFAULT_DOTS)))
    except (TypeError, ValueError):
        return DEFAULT_DOTS


def running_breakout(workshop):
    """The running (or paused) breakout item, or None."""
    item = workshop.current_item
    if item is not None and item.kind == KIND:
        return item
    return None


def require_breakout(workshop):
    item = running_breakout(workshop)
    if item is None:
        raise InvalidState("no breakout is running", code="no_breakout")
    return item


def latest_breakout_round(workshop) -> int:
    """The running breakout's round, else the round of the latest breakout that ran, else 1."""
    item = running_breakout(workshop)
    if item is not None:
        return breakout_round(item)
    done = [i for i in workshop.items if i.kind == KIND and i.started_at is not None]
    return breakout_round(max(done, key=lambda i: i.started_at)) if done else 1


def hosted_group(workshop, participant_id: int | None) -> ThemeGroup | None:
    if participant_id is None:
        return None
    return db.session.execute(
        db.select(ThemeGroup).filter_by(workshop_id=workshop.id, host_participant_id=participant_id)
    ).scalars().first()


def group_of(workshop, participant_id: int | None, round_no: int) -> ThemeGroup | None:
    """The workspace a participant works in: the group they host, else their group of the round."""
    group = hosted_group(workshop, participant_id)
    if group is not None or participant_id is None:
        return group
    choice = operations.choice_of(participant_id, round_no)
    return db.session.get(ThemeGroup, choice.group_id) if choice else None


def my_group(workshop, participant_id: int) -> tuple[object, ThemeGroup]:
    """(running breakout item, the participant's group); refused when there is none."""
    item = require_breakout(workshop)
    group = group_of(workshop, participant_id, breakout_round(item))
    if group is None:
        raise Forbidden("you are not in a theme group in this round", code="not_in_group")
    return item, group


def get_goal(workshop, goal_id: int) -> DraftGoal:
    goal = db.session.get(DraftGoal, goal_id)
    group = db.session.get(ThemeGroup, goal.group_id) if goal else None
    if goal is None or group is None or group.workshop_id != workshop.id:
        raise NotFound("no such goal in this workshop", code="goal_not_found")
    return goal


def get_post(workshop, post_id: int) -> WorkspacePost:
    post = db.session.get(WorkspacePost, post_id)
    if post is None or post.workshop_id != workshop.id:
        raise NotFound("no such post in this workshop", code="post_not_found")
    return post


def _goal_of_my_group(workshop, participant_id: int, goal_id: int) -> tuple[object, ThemeGroup, DraftGoal]:
    item, group = my_group(workshop, participant_id)
    _checked_open(item)
    goal = get_goal(workshop, goal_id)
    if goal.group_id != group.id:
        raise Forbidden("this goal belongs to another group", code="not_in_group")
    if goal.is_hidden or goal.merged_into_id is not None:
        raise NotFound("this goal was hidden or merged", code="goal_not_found")
    return item, group, goal


def _checked_open(item) -> None:
    if not (item.activity_state or {}).get("open", True):
        raise InvalidState("the workspace is closed", code="activity_closed")


def touch(group: ThemeGroup) -> None:
    """Every change bumps the version: clients drop workspace views older than one they have."""
    group.workspace_version = (group.workspace_version or 0) + 1


# --- the item's lifecycle ------------------------------------------------------------------------

def on_item_start(workshop, item, now: datetime) -> None:
    set_activity_state(item, open=True)


def on_item_finish(workshop, item, now: datetime) -> None:
    set_activity_state(item, open=False)


# --- participants write ------------------------------------------------------------------------

def _post(workshop, group, item, participant_id, now, **fields) -> WorkspacePost:
    _checked_open(item)
    post = WorkspacePost(workshop_id=workshop.id, group_id=group.id, round=breakout_round(item),
                         participant_id=participant_id, created_at=now, **fields)
    db.session.add(post)
    touch(group)
    db.session.flush()
    return post


def add_comment(workshop, participant_id: int, goal_id: int, text: str, now: datetime, *, kind: str = "comment") -> WorkspacePost:
    """A comment on (``kind="comment"``) or a rewording of (``kind="rewording"``) a goal of my group."""
    item, group, goal = _goal_of_my_group(workshop, participant_id, goal_id)
    return _post(workshop, group, item, participant_id, now, kind=kind, goal_id=goal.id, text=text)


def propose_goal(workshop, participant_id: int, text: str, now: datetime) -> DraftGoal:
    item, group = my_group(workshop, participant_id)
    _checked_open(item)
    position = (db.session.execute(
        db.select(db.func.max(DraftGoal.position)).where(DraftGoal.group_id == group.id)).scalar() or 0) + 1
    goal = DraftGoal(group_id=group.id, position=position, text=text, origin="participant",
                     proposed_by_id=participant_id, proposed_in_round=breakout_round(item), created_at=now)
    db.session.add(goal)
    touch(group)
    db.session.flush()
    return goal


def add_practice(workshop, participant_id: int, title: str, organisation: str | None, text: str | None,
                 link: str | None, now: datetime) -> WorkspacePost:
    item, group = my_group(workshop, participant_id)
    return _post(workshop, group, item, participant_id, now, kind="practice", title=title,
                 organisation=organisation or None, text=text or "", link=link or None)


def add_answer(workshop, participant_id: int, question_index: int, text: str, now: datetime) -> WorkspacePost:
    item, group = my_group(workshop, participant_id)
    if question_index >= len(workshop.guiding_questions or []):
        raise NotFound("no such guiding question", code="question_not_found")
    return _post(workshop, group, item, participant_id, now, kind="answer", question_index=question_index, text=text)


# --- dot votes ---------------------------------------------------------------------------------

def my_votes(participant_id: int, round_no: int) -> dict[int, int]:
    rows = db.session.execute(
        db.select(GoalVote.goal_id, db.func.count(GoalVote.id))
        .where(GoalVote.participant_id == participant_id, GoalVote.round == round_no).group_by(GoalVote.goal_id)
    ).all()
    return {goal_id: n for goal_id, n in rows}


def dots_left(item, participant_id: int) -> int:
    return max(0, dots_per_person(item) - sum(my_votes(participant_id, breakout_round(item)).values()))


def vote(workshop, participant_id: int, goal_id: int, now: datetime) -> GoalVote:
    """One more dot on a goal of my group; at most ``dots_per_person`` per round, also under
    concurrency (written first, counted after: the pipeline rolls back when that went over)."""
    item, group, goal = _goal_of_my_group(workshop, participant_id, goal_id)
    if dots_left(item, participant_id) <= 0:
        raise InvalidState("all dots of this round are given", code="no_dots_left")
    row = GoalVote(workshop_id=workshop.id, group_id=group.id, goal_id=goal.id, participant_id=participant_id,
                   round=breakout_round(item), created_at=now)
    db.session.add(row)
    touch(group)
    db.session.flush()
    if sum(my_votes(participant_id, row.round).values()) > dots_per_person(item):
        raise InvalidState("all dots of this round are given", code="no_dots_left")
    return row


def unvote(workshop, participant_id: int, goal_id: int) -> None:
    """Take one of my dots of this round back from a goal."""
    item, group, goal = _goal_of_my_group(workshop, participant_id, goal_id)
    row = db.session.execute(
        db.select(GoalVote).filter_by(participant_id=participant_id, goal_id=goal.id, round=breakout_round(item))
        .order_by(GoalVote.id.desc())
    ).scalars().first()
    if row is None:
        raise NotFound("no dot of yours on this goal", code="vote_not_found")
    db.session.delete(row)
    touch(group)
    db.session.flush()


# --- hosts and facilitators moderate ------------------------------------------------------------

def check_moderator(workshop, actor, group: ThemeGroup) -> None:
    """Facilitators moderate every group; a participant only the group they host."""
    if actor.is_facilitator:
        return
    if group.host_participant_id is None or group.host_participant_id != actor.participant_id:
        raise Forbidden("only the group's host may do this", code="not_host")


def moderate(workshop, actor, thing, **changes):
    """Set flags of a goal or post (``is_result``, ``is_hidden``) as the group's host or a facilitator."""
    group = db.session.get(ThemeGroup, thing.group_id)
    check_moderator(workshop, actor, group)
    for key, value in changes.items():
        setattr(thing, key, value)
    touch(group)
    return thing


def merge_goals(workshop, actor, goal_id: int, into_goal_id: int) -> DraftGoal:
    """Merge a duplicate into another goal of the same group: its comments, rewordings and dots
    count there from now on; the duplicate is no longer listed."""
    if goal_id == into_goal_id:
        raise InvalidState("a goal cannot be merged into itself", code="same_goal")
    goal, target = get_goal(workshop, goal_id), get_goal(workshop, into_goal_id)
    if goal.group_id != target.group_id:
        raise InvalidState("goals of different groups cannot be merged", code="not_in_group")
    group = db.session.get(ThemeGroup, goal.group_id)
    check_moderator(workshop, actor, group)
    if target.merged_into_id is not None or goal.merged_into_id is not None:
        raise InvalidState("this goal was merged already", code="goal_merged")
    goal.merged_into_id = target.id
    # goals merged into the duplicate before now point at the target directly
    for earlier in db.session.execute(db.select(DraftGoal).filter_by(merged_into_id=goal.id)).scalars():
        earlier.merged_into_id = target.id
    touch(group)
    return target


def write_summary(workshop, actor, text: str, group_id: int | None, round_no: int | None, now: datetime) -> GroupSummary:
    if actor.is_facilitator:
        if group_id is None:
            raise InvalidState("name the group", code="group_not_found")
        group = operations.get_group(workshop, group_id)
    else:
        group = hosted_group(workshop, actor.participant_id)
        if group is None or (group_id is not None and group_id != group.id):
            raise Forbidden("only the group's host may do this", code="not_host")
    round_no = round_no or latest_breakout_round(workshop)
    row = db.session.execute(db.select(GroupSummary).filter_by(group_id=group.id, round=round_no)).scalar_one_or_none()
    if row is None:
        row = GroupSummary(workshop_id=workshop.id, group_id=group.id, round=round_no, text="")
        db.session.add(row)
    row.text = text
    row.updated_at = now
    touch(group)
    db.session.flush()
    return row


# --- hosts ---------------------------------------------------------------------------------------

def assign_host(workshop, group_id: int, participant_id: int | None) -> ThemeGroup:
    """Make a participant the host of a group (a participant hosts at most one group)."""
    from ..join.models import Participant

    group = operations.get_group(workshop, group_id)
    if participant_id is not None:
        participant = db.session.get(Participant, participant_id)
        if participant is None or participant.workshop_id != workshop.id:
            raise NotFound("no such participant in this workshop", code="participant_not_found")
        previous = hosted_group(workshop, participant_id)
        if previous is not None and previous.id != group.id:
            previous.host_participant_id = None
            touch(previous)
    group.host_participant_id = participant_id
    touch(group)
    db.session.flush()
    return group


def _serializer():
    from flask import current_app

    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=HOST_LINK_SALT)


def host_token(group: ThemeGroup) -> str:
    """The token of a group's host link: whoever opens the link (having joined) hosts the group."""
    return _serializer().dumps({"w": group.workshop_id, "g": group.id})


def host_path(workshop, group: ThemeGroup) -> str:
    """The host link's path (not url_for(): coalesced views are built outside a request)."""
    return f"/w/{workshop.code}/host/{host_token(group)}"


def claim_host(workshop, participant_id: int, token: str) -> ThemeGroup:
    try:
        data = _serializer().loads(token)
    except BadSignature:
        raise Forbidden("this host link is not valid", code="host_link_invalid") from None
    if not isinstance(data, dict) or data.get("w") != workshop.id:
        raise Forbidden("this host link is for another workshop", code="host_link_invalid")
    return assign_host(workshop, int(data.get("g")), participant_id)
