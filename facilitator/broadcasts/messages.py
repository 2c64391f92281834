"""Payload types of the broadcast commands."""
from pydantic import Field

from ..core.commands import Payload
from .models import MAX_MESSAGE_LENGTH


class SendPayload(Payload):
    """``broadcast.send``: a message to everyone (phones and projector)."""

    text: str = Field(min_length=1, max_length=MAX_MESSAGE_LENGTH)
    #: Only to this theme group's workspace (e.g. "Noch 5 Minuten" to one breakout group).
    group_id: int | None = None
