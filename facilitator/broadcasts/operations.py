"""Broadcast operations."""
from ..extensions import db
from .models import Broadcast


def send(workshop, text: str, author_id: int | None, now, group_id: int | None = None) -> Broadcast:
    if group_id is not None:
        from ..groups.operations import get_group

        get_group(workshop, group_id)  # refused with group_not_found for another workshop's group
    broadcast = Broadcast(workshop_id=workshop.id, text=text, author_id=author_id, created_at=now, group_id=group_id)
    db.session.add(broadcast)
    db.session.flush()
    return broadcast
