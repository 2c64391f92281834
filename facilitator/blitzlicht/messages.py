"""Payload types of the Blitzlicht intents."""
from pydantic import Field

from ..core.commands import Payload
from .models import MAX_STATEMENT_LENGTH


class SubmitPayload(Payload):
    """``blitzlicht.submit``: my statement for the running round (sending again replaces it)."""

    text: str = Field(min_length=1, max_length=MAX_STATEMENT_LENGTH)
    mood: int | None = Field(default=None, ge=1, le=10)


class HidePayload(Payload):
    """``blitzlicht.hide``: hide (or show again) a statement."""

    statement_id: int
    is_hidden: bool = True


class SpotlightPayload(Payload):
    """``blitzlicht.spotlight``: show one statement large on the projector (null: none)."""

    statement_id: int | None
