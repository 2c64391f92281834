"""Organiser accounts. Never commits."""
from __future__ import annotations

import hashlib

from ..core.errors import Conflict, NotFound
from ..core.clock import now_utc
from ..extensions import db
from .models import SetupToken, User


def find_user(email: str) -> User | None:
    return db.session.execute(db.select(User).filter_by(email=email.strip().lower())).scalar_one_or_none()


def create_user(email: str, name: str, password: str, is_admin: bool = False) -> User:
    if find_user(email) is not None:
        raise Conflict("an account with this e-mail exists", code="email_taken")
    user = User(email=email.strip().lower(), name=name.strip(), is_admin=is_admin)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def valid_setup_token(token: str) -> SetupToken | None:
    """The unused setup token, as long as no organiser exists yet."""
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    row = db.session.execute(db.select(SetupToken).filter_by(token_hash=token_hash, used_at=None)).scalar_one_or_none()
    if row is None or db.session.execute(db.select(User.id).limit(1)).first() is not None:
        return None
    return row


def redeem_setup_token(token: str) -> SetupToken:
    row = valid_setup_token(token)
    if row is None:
        raise NotFound("this setup link is not valid (any more)", code="setup_link_invalid")
    row.used_at = now_utc()
    return row


def adopt_ownerless_workshops(user: User) -> None:
    """Workshops created before any account existed (the demo) belong to the first organiser."""
    from ..workshops.models import Membership, Role, Workshop

    owned = db.select(Membership.workshop_id)
    for workshop in db.session.execute(db.select(Workshop).where(Workshop.id.not_in(owned))).scalars():
        db.session.add(Membership(workshop=workshop, user_id=user.id, role=Role.organiser))
