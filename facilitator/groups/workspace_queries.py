"""Breakout workspaces: what members, hosts, facilitators and the projector see; the summary."""
from __future__ import annotations

from collections import defaultdict

from ..core.clock import iso
from ..extensions import db
from . import operations, workspace
from .models import DraftGoal, GoalVote, GroupSummary, ThemeGroup, WorkspacePost


def _people(ids) -> dict:
    from ..join.models import Participant

    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {p.id: p for p in db.session.execute(db.select(Participant).filter(Participant.id.in_(ids))).scalars()}


def _goals(group_id: int) -> list[DraftGoal]:
    return db.session.execute(
        db.select(DraftGoal).filter_by(group_id=group_id).order_by(DraftGoal.position, DraftGoal.id)
    ).scalars().all()


def _posts(group_id: int, round_no: int | None = None) -> list[WorkspacePost]:
    query = db.select(WorkspacePost).filter_by(group_id=group_id)
    if round_no is not None:
        query = query.filter_by(round=round_no)
    return db.session.execute(query.order_by(WorkspacePost.created_at, WorkspacePost.id)).scalars().all()


def _votes(group_id: int) -> list[GoalVote]:
    return db.session.execute(db.select(GoalVote).filter_by(group_id=group_id)).scalars().all()


def _summaries(group_id: int) -> list[GroupSummary]:
    return db.session.execute(
        db.select(GroupSummary).filter_by(group_id=group_id).order_by(GroupSummary.round)
    ).scalars().all()


def post_view(post: WorkspacePost, people: dict, *, for_export: bool = False) -> dict:
    author = people.get(post.participant_id)
    view = {
        "id": post.id, "kind": post.kind, "text": post.text, "title": post.title, "organisation": post.organisation,
        "link": post.link, "round": post.round, "created_at": iso(post.created_at),
        "author": author.display_name if author else None, "is_hidden": post.is_hidden,
    }
    if for_export:
        view["organisation_type"] = author.organisation_type if author else None
        view["question_index"] = post.question_index
    return view


def _root(goal_id: int, by_id: dict[int, DraftGoal]) -> int:
    """The goal a (possibly merged) goal counts for."""
    seen = set()
    while by_id.get(goal_id) is not None and by_id[goal_id].merged_into_id and goal_id not in seen:
        seen.add(goal_id)
        goal_id = by_id[goal_id].merged_into_id
    return goal_id


def _file_posts(posts, people, goal_views: dict, by_id: dict, questions: list, *, keep, for_export: bool = False):
    """Sort posts into their goal's comments/rewordings, the practice list and the answers per
    guiding question. Returns (practices, answers)."""
    practices = []
    answers = [{"question_index": i, "question": q, "items": []} for i, q in enumerate(questions)]
    for post in posts:
        if not keep(post):
            continue
        view = post_view(post, people, for_export=for_export)
        if post.kind in ("comment", "rewording"):
            target = goal_views.get(_root(post.goal_id, by_id))
            if target is not None:
                target["comments" if post.kind == "comment" else "rewordings"].append(view)
        elif post.kind == "practice":
            practices.append(view)
        elif post.kind == "answer" and post.question_index is not None and post.question_index < len(answers):
            answers[post.question_index]["items"].append(view)
    return practices, answers


def workspace_view(workshop, group: ThemeGroup, round_no: int, *, moderation: bool) -> dict:
    """The whole workspace of a group, all rounds so far. ``moderation``: hidden goals and posts
    included and flagged (hosts, facilitators); else left out (members)."""
    goals = _goals(group.id)
    by_id = {g.id: g for g in goals}
    posts = _posts(group.id)
    people = _people(p.participant_id for p in posts)
    visible = (lambda thing: True) if moderation else (lambda thing: not thing.is_hidden)
    dots, dots_round = defaultdict(int), defaultdict(int)
    for vote in _votes(group.id):
        root = _root(vote.goal_id, by_id)
        dots[root] += 1
        if vote.round == round_no:
            dots_round[root] += 1
    goal_views, by_root = [], {}
    for goal in goals:
        if goal.merged_into_id is not None or not visible(goal):
            continue
        view = {"id": goal.id, "text": goal.text, "origin": goal.origin, "proposed_in_round": goal.proposed_in_round,
                "is_result": goal.is_result, "is_hidden": goal.is_hidden, "dots": dots[goal.id],
                "dots_this_round": dots_round[goal.id], "merged_into_id": None,
                "merged": [{"id": g.id, "text": g.text} for g in goals if g.merged_into_id and _root(g.id, by_id) == goal.id],
                "comments": [], "rewordings": []}
        goal_views.append(view)
        by_root[goal.id] = view
    questions = list(workshop.guiding_questions or [])
    practices, answers = _file_posts(posts, people, by_root, by_id, questions, keep=visible)
    hidden = sum(1 for p in posts if p.is_hidden) + sum(1 for g in goals if g.is_hidden)
    return {
        "group_id": group.id, "version": group.workspace_version or 0, "round": round_no, "name": group.name,
        "description": group.description, "room_url": group.room_url, "host_name": group.host_name,
        "questions": questions, "goals": goal_views, "practices": practices, "answers": answers,
        "summaries": [{"round": s.round, "text": s.text, "updated_at": iso(s.updated_at)} for s in _summaries(group.id)],
        "hidden_count": hidden,
    }


# --- the activity views (all groups at a glance) -------------------------------------------------

def member_ids(workshop, group: ThemeGroup, round_no: int, choices=None) -> set[int]:
    choices = operations.choices_in(workshop, round_no) if choices is None else choices
    ids = {c.participant_id for c in choices if c.group_id == group.id}
    if group.host_participant_id:
        ids.add(group.host_participant_id)
    return ids


def contribution_counts(workshop, round_no: int) -> dict[int, int]:
    """Visible posts and proposed goals per group in the round: the projector's progress."""
    posts = db.session.execute(
        db.select(WorkspacePost.group_id, db.func.count(WorkspacePost.id))
        .where(WorkspacePost.workshop_id == workshop.id, WorkspacePost.round == round_no,
               WorkspacePost.is_hidden.is_(False)).group_by(WorkspacePost.group_id)
    ).all()
    counts = defaultdict(int, {gid: n for gid, n in posts})
    goals = db.session.execute(
        db.select(DraftGoal.group_id, db.func.count(DraftGoal.id)).join(ThemeGroup, ThemeGroup.id == DraftGoal.group_id)
        .where(ThemeGroup.workshop_id == workshop.id, DraftGoal.proposed_in_round == round_no,
               DraftGoal.is_hidden.is_(False)).group_by(DraftGoal.group_id)
    ).all()
    for gid, n in goals:
        counts[gid] += n
    return counts


def view(workshop, item, audience: str) -> dict:
    round_no = workspace.breakout_round(item)
    choices = operations.choices_in(workshop, round_no)
    counts = contribution_counts(workshop, round_no)
    summaries = {s.group_id for s in db.session.execute(
        db.select(GroupSummary).filter_by(workshop_id=workshop.id, round=round_no)).scalars() if s.text.strip()}
    all_groups = operations.groups_of(workshop)
    members_of = {g.id: member_ids(workshop, g, round_no, choices) for g in all_groups}
    people = _people(set().union(*members_of.values())) if audience == "facilitator" else {}
    groups = []
    for group in all_groups:
        members = members_of[group.id]
        entry = {"id": group.id, "name": group.name, "host_name": group.host_name, "member_count": len(members),
                 "contribution_count": counts[group.id], "has_summary": group.id in summaries}
        if audience == "facilitator":
            entry.update(
                room_url=group.room_url, host_participant_id=group.host_participant_id,
                host_link=workspace.host_path(workshop, group),
                members=[{"participant_id": pid, "name": people[pid].display_name if pid in people else None}
                         for pid in sorted(members)],
            )
        groups.append(entry)
    return {"round": round_no, "dots_per_person": workspace.dots_per_person(item),
            "questions": list(workshop.guiding_questions or []),
            "is_open": bool((item.activity_state or {}).get("open")), "groups": groups}


def personal(workshop, item, actor) -> dict:
    round_no = workspace.breakout_round(item)
    group = workspace.group_of(workshop, actor.participant_id, round_no)
    is_host = bool(group and group.host_participant_id == actor.participant_id)
    return {
        "group_id": group.id if group else None, "is_host": is_host,
        "dots_left": workspace.dots_left(item, actor.participant_id),
        "my_votes": {str(k): v for k, v in workspace.my_votes(actor.participant_id, round_no).items()},
        "workspace": workspace_view(workshop, group, round_no, moderation=is_host) if group else None,
    }


# --- the documentation ---------------------------------------------------------------------------

def summary(item) -> dict:
    """Per group what this round produced: goals ranked by this round's dots (merged goals folded
    in, hidden left out), comments, rewordings, good practice, answers, the host's summary; hidden
    contributions counted."""
    from ..workshops.models import Workshop

    workshop = db.session.get(Workshop, item.workshop_id)
    round_no = workspace.breakout_round(item)
    choices = operations.choices_in(workshop, round_no)
    groups = []
    for group in operations.groups_of(workshop):
        all_goals = _goals(group.id)
        goals = [g for g in all_goals if g.proposed_in_round is None or g.proposed_in_round <= round_no]
        by_id = {g.id: g for g in all_goals}
        posts = _posts(group.id, round_no)
        people = _people([p.participant_id for p in posts])
        dots = defaultdict(int)
        for vote in _votes(group.id):
            if vote.round == round_no:
                dots[_root(vote.goal_id, by_id)] += 1
        views = {}
        for goal in goals:
            if goal.merged_into_id is None and not goal.is_hidden:
                views[goal.id] = {"id": goal.id, "text": goal.text, "origin": goal.origin, "is_result": goal.is_result,
                                  "dots": dots[goal.id], "comments": [], "rewordings": []}
        questions = list(workshop.guiding_questions or [])
        practices, answers = _file_posts(posts, people, views, by_id, questions, keep=lambda p: not p.is_hidden,
                                         for_export=True)
        text = db.session.execute(
            db.select(GroupSummary.text).filter_by(group_id=group.id, round=round_no)).scalar_one_or_none()
        hidden = sum(1 for p in posts if p.is_hidden) + sum(
            1 for g in goals if g.is_hidden and g.proposed_in_round == round_no)
        groups.append({
            "id": group.id, "name": group.name, "host_name": group.host_name,
            "member_count": len(member_ids(workshop, group, round_no, choices)),
            "summary": text or None, "hidden_count": hidden,
            "goals": sorted(views.values(), key=lambda g: -g["dots"]),
            "practices": practices,
            "answers": answers,
        })
    return {"round": round_no, "groups": groups}
