"""Theme groups and their draft goals as organisers prepare them (setup). Never commit.

A group that people have chosen, or a goal that has comments or dots, is not deleted: that
would silently remove their work (``group_in_use`` / ``goal_in_use``).
"""
from __future__ import annotations

from ..core.errors import InvalidState
from ..extensions import db
from . import operations, workspace
from .models import DraftGoal, GoalVote, GroupChoice, ThemeGroup, WorkspacePost

OPTIONAL = ("description", "host_name", "room_url")


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def create_group(workshop, name: str, **fields) -> ThemeGroup:
    position = (db.session.execute(
        db.select(db.func.max(ThemeGroup.position)).where(ThemeGroup.workshop_id == workshop.id)).scalar() or 0) + 1
    group = ThemeGroup(workshop_id=workshop.id, position=position, name=name.strip(),
                       **{k: _clean(v) for k, v in fields.items()})
    db.session.add(group)
    db.session.flush()
    return group


def update_group(workshop, group_id: int, changes: dict) -> ThemeGroup:
    """``changes``: only the fields the caller gave; ``None`` clears an optional field."""
    group = operations.get_group(workshop, group_id)
    for key, value in changes.items():
        if value is None and key not in OPTIONAL:
            continue  # name and capacity cannot be cleared
        setattr(group, key, _clean(value))
    workspace.touch(group)
    return group


def delete_group(workshop, group_id: int) -> None:
    group = operations.get_group(workshop, group_id)
    chosen = db.session.scalar(db.select(db.func.count(GroupChoice.id)).filter_by(group_id=group.id))
    worked = db.session.scalar(db.select(db.func.count(WorkspacePost.id)).filter_by(group_id=group.id))
    if chosen or worked:
        raise InvalidState("people chose this group or worked in it", code="group_in_use")
    db.session.delete(group)
    db.session.flush()


def add_goal(workshop, group_id: int, text: str) -> DraftGoal:
    group = operations.get_group(workshop, group_id)
    position = (db.session.execute(
        db.select(db.func.max(DraftGoal.position)).where(DraftGoal.group_id == group.id)).scalar() or 0) + 1
    goal = DraftGoal(group_id=group.id, position=position, text=text.strip(), origin="template")
    db.session.add(goal)
    workspace.touch(group)
    db.session.flush()
    return goal


def update_goal(workshop, goal_id: int, text: str) -> DraftGoal:
    goal = workspace.get_goal(workshop, goal_id)
    goal.text = text.strip()
    workspace.touch(db.session.get(ThemeGroup, goal.group_id))
    return goal


def remove_goal(workshop, goal_id: int) -> int:
    goal = workspace.get_goal(workshop, goal_id)
    used = db.session.scalar(db.select(db.func.count(WorkspacePost.id)).filter_by(goal_id=goal.id)) or \
        db.session.scalar(db.select(db.func.count(GoalVote.id)).filter_by(goal_id=goal.id))
    if used:
        raise InvalidState("this goal has comments or dots", code="goal_in_use")
    group_id = goal.group_id
    db.session.delete(goal)
    workspace.touch(db.session.get(ThemeGroup, group_id))
    db.session.flush()
    return group_id


def setup_view(workshop) -> list[dict]:
    """Every theme group with its draft goals, for the setup page (facilitators only)."""
    groups = operations.groups_of(workshop)
    goals: dict[int, list[DraftGoal]] = {g.id: [] for g in groups}
    for goal in db.session.execute(  # one query for all groups: this runs on every facilitator state event
            db.select(DraftGoal).where(DraftGoal.group_id.in_(goals), DraftGoal.merged_into_id.is_(None))
            .order_by(DraftGoal.position, DraftGoal.id)).scalars():
        goals[goal.group_id].append(goal)
    return [{
        "id": g.id, "name": g.name, "description": g.description, "capacity": g.capacity,
        "host_name": g.host_name, "room_url": g.room_url,
        "host_link": workspace.host_path(workshop, g),
        "goals": [{"id": goal.id, "text": goal.text, "origin": goal.origin} for goal in goals[g.id]],
    } for g in groups]
