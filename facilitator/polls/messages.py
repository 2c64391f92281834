"""Payload types of the poll intents.

The shape rules that depend on the poll's kind (which fields a vote of this kind needs, whether
min/max choices fit the options …) are checked in ``operations``, against the poll itself; they
answer ``invalid_payload`` with the same ``details.fields`` as the checks here.
"""
from typing import Annotated, Literal

from pydantic import Field, StrictInt, StringConstraints

from ..core.commands import Payload
from .models import MAX_TEXT_ANSWER, POLL_KINDS

MAX_QUESTION = 300
MAX_OPTIONS = 30
MAX_OPTION_LENGTH = 200
MAX_SCALE_LABEL = 100

PollKind = Literal[POLL_KINDS]  # type: ignore[valid-type]
OptionText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_OPTION_LENGTH)]
ScaleLabel = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_SCALE_LABEL)]


class CreatePayload(Payload):
    """``poll.create``: a new poll (a draft) shown by an agenda item (default: the current one)."""

    item_id: int | None = None
    question: str = Field(min_length=1, max_length=MAX_QUESTION)
    kind: PollKind
    #: single_choice, multiple_choice, ranking: the answers in order (votes refer to them by index).
    options: list[OptionText] = Field(default_factory=list, max_length=MAX_OPTIONS)
    #: single_choice, multiple_choice: a free "Sonstige: …" answer besides the options.
    allow_other: bool = False
    #: multiple_choice: how many answers (options, plus the free answer) a vote has at least / at most.
    min_choices: int | None = Field(default=None, ge=1, le=MAX_OPTIONS + 1)
    max_choices: int | None = Field(default=None, ge=1, le=MAX_OPTIONS + 1)
    #: scale: its ends (default 1 and 5) and either 2 labels (the ends) or one per step.
    scale_min: int | None = Field(default=None, ge=-100, le=100)
    scale_max: int | None = Field(default=None, ge=-100, le=100)
    scale_labels: list[ScaleLabel] = Field(default_factory=list, max_length=101)
    is_anonymous: bool = True
    is_live_results: bool = False


class UpdatePayload(Payload):
    """``poll.update``: change a poll that has not been opened; only the fields given change
    (``null`` clears an optional field)."""

    poll_id: int
    item_id: int | None = None
    question: str | None = Field(default=None, min_length=1, max_length=MAX_QUESTION)
    kind: PollKind | None = None
    options: list[OptionText] | None = Field(default=None, max_length=MAX_OPTIONS)
    allow_other: bool | None = None
    min_choices: int | None = Field(default=None, ge=1, le=MAX_OPTIONS + 1)
    max_choices: int | None = Field(default=None, ge=1, le=MAX_OPTIONS + 1)
    scale_min: int | None = Field(default=None, ge=-100, le=100)
    scale_max: int | None = Field(default=None, ge=-100, le=100)
    scale_labels: list[ScaleLabel] | None = Field(default=None, max_length=101)
    is_anonymous: bool | None = None
    is_live_results: bool | None = None


class PollRef(Payload):
    """``poll.open`` / ``poll.close`` / ``poll.reopen``: one poll of this workshop."""

    poll_id: int


class RevealPayload(Payload):
    """``poll.reveal``: show the results to participants and projector (``false``: hide them again)."""

    poll_id: int
    is_revealed: bool = True


class SetLivePayload(Payload):
    """``poll.set_live``: results live while voting, or hidden until revealed."""

    poll_id: int
    is_live_results: bool


class VotePayload(Payload):
    """``poll.vote``: my answer; sending again while the poll is open replaces it.

    By kind: single_choice ``{choices: [i]}`` or ``{other}``; multiple_choice ``{choices: [i, …],
    other?}``; scale ``{value}``; ranking ``{choices: [every index, best first]}``; open_text ``{text}``.
    """

    poll_id: int
    #: strict: a vote for option 1 is the number 1, not true or "1"
    choices: list[StrictInt] | None = Field(default=None, max_length=MAX_OPTIONS)
    value: StrictInt | None = None
    text: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT_ANSWER)
    other: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT_ANSWER)


class HideAnswerPayload(Payload):
    """``poll.hide_answer``: hide (or show again) the text of one vote (open text or "Sonstige")."""

    vote_id: int
    is_hidden: bool = True
