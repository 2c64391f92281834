"""Payload types of the group-choice intents ("Choose your fighter")."""
from pydantic import Field

from ..core.commands import Payload

MAX_ROUND = 9


class ChoosePayload(Payload):
    """``group.choose``: my group in the open round (choosing again changes it until locked)."""

    group_id: int
    #: Default: the latest open round.
    round: int | None = Field(default=None, ge=1, le=MAX_ROUND)


class RoundRef(Payload):
    """A round of the choice; default: the latest open round."""

    round: int | None = Field(default=None, ge=1, le=MAX_ROUND)


class OpenRoundPayload(Payload):
    """``group.round.open``: open a round (round 2: everyone's round-1 group is preselected)."""

    round: int = Field(ge=1, le=MAX_ROUND)


class RequireSwitchPayload(Payload):
    """``group.require_switch``: round ``round`` must be a different group than the round before."""

    round: int = Field(default=2, ge=2, le=MAX_ROUND)
    required: bool


class MovePayload(Payload):
    """``group.move``: put a participant into a group (facilitators may exceed the capacity)."""

    participant_id: int
    group_id: int
    round: int | None = Field(default=None, ge=1, le=MAX_ROUND)
