"""Joining a workshop. Never commits."""
from __future__ import annotations

from ..core.errors import InvalidPayload, InvalidState
from ..extensions import db
from .models import ORGANISATION_TYPES, Participant, hash_token, new_token


def join(workshop, display_name: str | None, organisation: str | None, organisation_type: str | None,
         email: str | None = None) -> tuple[Participant, str]:
    """A new participant; returns it and the secret token for its cookie."""
    if not workshop.is_join_open:
        raise InvalidState("joining is closed", code="join_closed")
    if organisation_type and organisation_type not in ORGANISATION_TYPES:
        raise InvalidPayload("unknown organisation type", code="invalid_payload")
    token = new_token()
    participant = Participant(
        workshop_id=workshop.id, token_hash=hash_token(token),
        display_name=(display_name or "").strip() or None,
        organisation=(organisation or "").strip() or None,
        organisation_type=organisation_type or None,
        email=(email or "").strip() or None,
    )
    db.session.add(participant)
    db.session.flush()
    return participant, token
