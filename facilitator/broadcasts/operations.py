"""Broadcast operations."""
from ..extensions import db
from .models import Broadcast


def send(workshop, text: str, author_id: int | None, now) -> Broadcast:
    broadcast = Broadcast(workshop_id=workshop.id, text=text, author_id=author_id, created_at=now)
    db.session.add(broadcast)
    db.session.flush()
    return broadcast
