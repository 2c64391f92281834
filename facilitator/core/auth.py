"""Who is acting: organisers/facilitators by login, participants and projectors by cookie.

Roles are per workshop. ``organiser`` and ``facilitator`` come from a Membership; a
``participant`` from the participant cookie; ``screen`` (projector, read-only) from a logged-in
member or the screen key cookie.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass

from flask import request
from flask_login import current_user

from ..extensions import db

ORGANISER, FACILITATOR, PARTICIPANT, SCREEN = "organiser", "facilitator", "participant", "screen"
ROLES = (ORGANISER, FACILITATOR, PARTICIPANT, SCREEN)
FACILITATORS = frozenset({ORGANISER, FACILITATOR})
ORGANISERS = frozenset({ORGANISER})
EVERYONE = frozenset(ROLES)
#: Which room (audience) a role listens in; each audience gets its own view of the state.
AUDIENCE_OF_ROLE = {ORGANISER: "facilitator", FACILITATOR: "facilitator", PARTICIPANT: "participant", SCREEN: "screen"}


@dataclass(frozen=True)
class Actor:
    role: str
    workshop_id: int
    user_id: int | None = None
    participant_id: int | None = None

    @property
    def audience(self) -> str:
        return AUDIENCE_OF_ROLE[self.role]

    @property
    def is_facilitator(self) -> bool:
        return self.role in FACILITATORS


def participant_cookie(workshop) -> str:
    return f"wst_p_{workshop.code}"


def screen_cookie(workshop) -> str:
    return f"wst_s_{workshop.code}"


def member_role(workshop, user) -> str | None:
    """The user's role in the workshop (organiser wins over facilitator), or None."""
    from ..workshops.models import Membership

    if user is None or not getattr(user, "is_authenticated", False):
        return None
    membership = db.session.execute(
        db.select(Membership).filter_by(workshop_id=workshop.id, user_id=user.id)
    ).scalar_one_or_none()
    return membership.role.value if membership else None


def participant_from_cookie(workshop):
    from ..join.models import Participant, hash_token

    token = request.cookies.get(participant_cookie(workshop))
    if not token:
        return None
    return db.session.execute(
        db.select(Participant).filter_by(workshop_id=workshop.id, token_hash=hash_token(token))
    ).scalar_one_or_none()


def has_screen_key(workshop) -> bool:
    given = request.cookies.get(screen_cookie(workshop)) or ""
    return bool(given) and hmac.compare_digest(given, workshop.screen_key)


def resolve_actor(workshop, view: str) -> Actor | None:
    """The actor for a page or socket connection of ``view`` (cockpit, screen, participant)."""
    if view == "cockpit":
        role = member_role(workshop, current_user)
        return Actor(role, workshop.id, user_id=current_user.id) if role else None
    if view == "screen":
        if member_role(workshop, current_user) or has_screen_key(workshop):
            return Actor(SCREEN, workshop.id, user_id=getattr(current_user, "id", None))
        return None
    if view == "participant":
        participant = participant_from_cookie(workshop)
        return Actor(PARTICIPANT, workshop.id, participant_id=participant.id) if participant else None
    return None


def still_valid(actor: Actor) -> bool:
    """Re-check a connection's actor before a command: memberships can be revoked mid-session."""
    from ..join.models import Participant
    from ..workshops.models import Membership

    if actor.role in FACILITATORS:
        membership = db.session.execute(
            db.select(Membership).filter_by(workshop_id=actor.workshop_id, user_id=actor.user_id)
        ).scalar_one_or_none()
        return membership is not None and membership.role.value == actor.role
    if actor.role == PARTICIPANT:
        return db.session.get(Participant, actor.participant_id) is not None
    return True
