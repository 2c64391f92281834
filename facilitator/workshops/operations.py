"""Creating workshops (blank or from an agenda template) and their members. Never commits."""
from __future__ import annotations

from datetime import time

from pydantic import ValidationError

from ..agenda.loader import AgendaTemplate, GroupTemplate, ItemTemplate, PollTemplate, WorkshopInfo
from ..agenda.models import AgendaItem
from ..core.errors import Conflict
from ..extensions import db
from ..groups.models import DraftGoal, ThemeGroup
from .models import Membership, Role, Workshop, generate_join_code


def unused_join_code() -> str:
    for _ in range(20):
        code = generate_join_code()
        if db.session.execute(db.select(Workshop.id).filter_by(code=code)).first() is None:
            return code
    raise Conflict("no free join code", code="join_code_exhausted")


def add_member(workshop: Workshop, user, role: Role) -> Membership:
    membership = Membership(workshop=workshop, user_id=user.id, role=role)
    db.session.add(membership)
    return membership


def create_workshop(owner, title: str, starts_at: time = time(9, 0), **fields) -> Workshop:
    """A blank workshop; ``owner`` becomes its organiser."""
    workshop = Workshop(code=unused_join_code(), title=title, day_starts_at=starts_at, **fields)
    db.session.add(workshop)
    if owner is not None:
        add_member(workshop, owner, Role.organiser)
    return workshop


def create_from_template(owner, template: AgendaTemplate, **overrides) -> Workshop:
    """A workshop with the template's agenda, theme groups and prepared polls."""
    info = template.workshop
    fields = dict(
        organiser_name=info.organiser, date=info.date, timezone=info.timezone, format=info.format,
        venue=info.venue, description=info.description, guiding_questions=list(info.guiding_questions or []),
        extra={"polls": [p.model_dump(mode="json", exclude_none=True) for p in template.polls]},
    )
    fields.update(overrides)
    # the title is create_workshop's own argument: an override (new-workshop form, API) must not collide
    title = fields.pop("title", None) or info.title
    workshop = create_workshop(owner, title, info.starts_at, **fields)
    for position, item in enumerate(template.items):
        workshop.items.append(AgendaItem(
            position=position, title=item.title, kind=item.kind,
            duration_s=item.duration * 60, planned_duration_s=item.duration * 60,
            min_duration_s=item.min_duration * 60, pinned_at=item.pinned,
            description=item.description, notes=item.notes, settings=dict(item.settings or {}),
        ))
    for position, group in enumerate(template.groups):
        theme = ThemeGroup(
            workshop=workshop, position=position, name=group.name, description=group.description,
            capacity=group.capacity, host_name=group.host, room_url=group.room_url,
            goals=[DraftGoal(position=i, text=text) for i, text in enumerate(group.goals)],
        )
        db.session.add(theme)
    return workshop


def template_of(workshop: Workshop) -> AgendaTemplate:
    """The workshop's plan as an agenda template (for export back to TOML).

    What the editor allowed is exported even where the file loader would object (say, a pin
    that the minimum durations cannot reach): the export must never lose a workshop's plan.
    """
    groups = db.session.execute(
        db.select(ThemeGroup).filter_by(workshop_id=workshop.id).order_by(ThemeGroup.position)
    ).scalars().all()
    info = dict(
        title=workshop.title, organiser=workshop.organiser_name, date=workshop.date,
        starts_at=workshop.day_starts_at, timezone=workshop.timezone, format=workshop.format,
        venue=workshop.venue, description=workshop.description,
        guiding_questions=list(workshop.guiding_questions or []),
    )
    items = [
        dict(title=i.title, kind=i.kind, duration=max(1, round(i.planned_duration_s / 60)),
             min_duration=max(1, min(round(i.min_duration_s / 60), round(i.planned_duration_s / 60))),
             pinned=i.pinned_at, description=i.description, notes=i.notes, settings=dict(i.settings or {}))
        for i in workshop.items
    ]
    group_rows = [
        dict(name=g.name, description=g.description, capacity=g.capacity, host=g.host_name,
             room_url=g.room_url, goals=[goal.text for goal in g.goals])
        for g in groups
    ]
    polls = list((workshop.extra or {}).get("polls", []))
    try:
        return AgendaTemplate.model_validate(
            dict(format_version=1, workshop=info, items=items, groups=group_rows, polls=polls)
        )
    except ValidationError:
        return AgendaTemplate.model_construct(
            format_version=1, workshop=WorkshopInfo.model_construct(**info),
            items=[ItemTemplate.model_construct(**i) for i in items],
            groups=[GroupTemplate.model_construct(**g) for g in group_rows],
            polls=[PollTemplate.model_validate(p) for p in polls],
        )
