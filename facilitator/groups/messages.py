"""Payload types of the group-choice intents ("Choose your fighter")."""
from pydantic import Field, field_validator

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


# --- breakout workspaces ----------------------------------------------------------------------

class GoalRef(Payload):
    goal_id: int


class CommentPayload(Payload):
    """``workspace.comment``: a comment on a goal of my group."""

    goal_id: int
    text: str = Field(min_length=1, max_length=500)


class RewordPayload(Payload):
    """``workspace.reword``: a proposed new wording of a goal of my group."""

    goal_id: int
    text: str = Field(min_length=1, max_length=300)


class ProposeGoalPayload(Payload):
    """``workspace.goal.propose``: a new goal for my group."""

    text: str = Field(min_length=1, max_length=300)


class PracticePayload(Payload):
    """``workspace.practice.add``: a good-practice project (title, who runs it, what, a link)."""

    title: str = Field(min_length=1, max_length=120)
    organisation: str | None = Field(default=None, max_length=120)
    text: str | None = Field(default=None, max_length=1000)
    link: str | None = Field(default=None, max_length=500, pattern=r"^https?://[^\s]+$")


class AnswerPayload(Payload):
    """``workspace.answer``: an answer to one of the workshop's guiding questions."""

    question_index: int = Field(ge=0, le=20)
    text: str = Field(min_length=1, max_length=1000)


class GoalResultPayload(Payload):
    """``workspace.goal.result``: the host marks (or unmarks) a goal as a result of the group."""

    goal_id: int
    is_result: bool = True


class GoalMergePayload(Payload):
    """``workspace.goal.merge``: the host merges a duplicate goal into another one."""

    goal_id: int
    into_goal_id: int


class GoalHidePayload(Payload):
    """``workspace.goal.hide``: the host hides (or shows again) a goal."""

    goal_id: int
    hidden: bool = True


class PostHidePayload(Payload):
    """``workspace.post.hide``: the host hides (or shows again) a post."""

    post_id: int
    hidden: bool = True


class SummaryPayload(Payload):
    """``workspace.summary``: the group's short summary for the plenary (per round)."""

    text: str = Field(max_length=2000)
    #: Facilitators name the group; a host writes for the group they host.
    group_id: int | None = None
    #: Default: the running breakout's round, else the latest one that ran.
    round: int | None = Field(default=None, ge=1, le=MAX_ROUND)


class GroupRef(Payload):
    group_id: int


class HostAssignPayload(Payload):
    """``group.host.assign``: make a participant the host of a group (None: no host)."""

    group_id: int
    participant_id: int | None


class HostClaimPayload(Payload):
    """``group.host.claim``: become the host of a group with its host link's token."""

    token: str = Field(min_length=1, max_length=500)


# --- theme groups in setup --------------------------------------------------------------------

ROOM_URL = r"^https?://[^\s]+$"


class GroupFields(Payload):
    description: str | None = Field(default=None, max_length=20000)
    capacity: int = Field(default=20, ge=1, le=1000)
    host_name: str | None = Field(default=None, max_length=120)
    #: The group's video room (Zoom, BBB, Jitsi …): http(s) only.
    room_url: str | None = Field(default=None, max_length=500, pattern=ROOM_URL)


class CreateGroupPayload(GroupFields):
    """``group.create``: a new theme group (at the end of the list)."""

    name: str = Field(min_length=1, max_length=80)


class UpdateGroupPayload(Payload):
    """``group.update``: change the fields given (``null`` clears an optional one)."""

    group_id: int
    name: str | None = Field(default=None, min_length=1, max_length=80)
    description: str | None = Field(default=None, max_length=20000)
    capacity: int | None = Field(default=None, ge=1, le=1000)
    host_name: str | None = Field(default=None, max_length=120)
    room_url: str | None = Field(default=None, max_length=500, pattern=ROOM_URL)

    @field_validator("name", "capacity")
    @classmethod
    def _not_cleared(cls, value):
        if value is None:
            raise ValueError("cannot be empty")
        return value


class AddGoalPayload(Payload):
    """``group.goal.add``: a draft goal (Handlungsziel) at the end of the group's list."""

    group_id: int
    text: str = Field(min_length=1, max_length=300)


class UpdateGoalPayload(Payload):
    """``group.goal.update``: new wording of a draft goal."""

    goal_id: int
    text: str = Field(min_length=1, max_length=300)
