"""Creating workshops (blank or from an agenda template) and their members. Never commits."""
from __future__ import annotations

from datetime import time

from pydantic import ValidationError

from ..agenda.loader import AgendaTemplate, GroupTemplate, ItemTemplate, PollTemplate, WorkshopInfo
from ..agenda.models import AgendaItem
from ..core.errors import Conflict
from ..extensions import db
from ..groups.models import DraftGoal, ThemeGroup
from ..polls.operations import add_template_polls
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
    # the template's [[polls]] become draft polls of the items that name them (settings.poll);
    # extra["polls"] keeps the template's version for the TOML export
    add_template_polls(workshop, template.polls)
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
        dict(title=i.title, kind=i.kind, duration=max(1, round((i.planned_duration_s or i.duration_s) / 60)),
             min_duration=max(1, min(round(i.min_duration_s / 60), round((i.planned_duration_s or i.duration_s) / 60))),
             pinned=i.pinned_at, description=i.description, notes=i.notes, settings=dict(i.settings or {}))
        for i in workshop.items
    ]
    group_rows = [
        dict(name=g.name, description=g.description, capacity=g.capacity, host=g.host_name,
             room_url=g.room_url, goals=[goal.text for goal in g.goals if goal.origin == "template"])
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


# --- team: organisers invite co-facilitators -------------------------------------------------

INVITE_MAX_AGE = 7 * 24 * 3600


def _invite_serializer():
    from flask import current_app
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="werkstatt-facilitator-invite")


def invite_token(workshop: Workshop) -> str:
    """A signed link token that makes whoever opens it a facilitator of ``workshop`` (7 days)."""
    return _invite_serializer().dumps({"w": workshop.id, "k": workshop.screen_key[:8]})


def workshop_of_invite(token: str) -> Workshop:
    """The workshop an invitation is for; expired, forged or revoked tokens are refused."""
    from itsdangerous import BadSignature

    from ..core.errors import NotFound

    try:
        data = _invite_serializer().loads(token, max_age=INVITE_MAX_AGE)
    except BadSignature:
        raise NotFound("this invitation is not valid (any more)", code="invite_invalid")
    workshop = db.session.get(Workshop, data.get("w"))
    # the token is bound to the workshop's key: rotating the key revokes all open invitations
    if workshop is None or workshop.screen_key[:8] != data.get("k"):
        raise NotFound("this invitation is not valid (any more)", code="invite_invalid")
    return workshop


def join_team(workshop: Workshop, user) -> Membership:
    """Make ``user`` a facilitator of ``workshop`` (members keep their role)."""
    existing = db.session.execute(
        db.select(Membership).filter_by(workshop_id=workshop.id, user_id=user.id)
    ).scalar_one_or_none()
    return existing or add_member(workshop, user, Role.facilitator)


def remove_member(workshop: Workshop, user_id: int) -> None:
    """Take someone off the team; the last organiser stays."""
    from ..core.errors import InvalidState, NotFound

    membership = db.session.execute(
        db.select(Membership).filter_by(workshop_id=workshop.id, user_id=user_id)
    ).scalar_one_or_none()
    if membership is None:
        raise NotFound("not a member", code="member_not_found")
    organisers = [m for m in workshop.memberships if m.role is Role.organiser]
    if membership.role is Role.organiser and len(organisers) == 1:
        raise InvalidState("the last organiser cannot leave", code="last_organiser")
    db.session.delete(membership)


def revoke_links(workshop: Workshop) -> None:
    """New projector key; every open invitation and old projector link stops working."""
    import secrets

    workshop.screen_key = secrets.token_urlsafe(24)
