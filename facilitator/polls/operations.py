"""Poll operations: prepare, open/close/reopen, reveal, vote, moderate. Never commit."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from ..core.errors import Conflict, InvalidPayload, InvalidState, NotFound
from ..extensions import db
from .models import Poll, PollState, PollVote

DEFAULT_SCALE = (1, 5)
CHOICE_KINDS = ("single_choice", "multiple_choice")
KINDS_WITH_OPTIONS = ("single_choice", "multiple_choice", "ranking")
#: As the template loader allows (agendas/README.md), so every template poll can be created.
MAX_SCALE_STEPS = 101
#: The fields that make up a poll's question (what ``poll.create`` sets and ``poll.update`` may change).
#: A spec field that does not apply to a poll's kind, as stored.
_EMPTY = {"options": [], "allow_other": False, "min_choices": None, "max_choices": None,
          "scale_min": None, "scale_max": None, "scale_labels": []}
SPEC_FIELDS = ("question", "kind", "options", "allow_other", "min_choices", "max_choices",
               "scale_min", "scale_max", "scale_labels", "is_anonymous", "is_live_results")


def _invalid(field: str, message: str, code: str = "invalid_payload") -> InvalidPayload:
    return InvalidPayload(f"{field}: {message}", code=code, details={"fields": [{"field": field, "message": message}]})


# --- reading polls of a workshop -------------------------------------------------------------

def get_poll(workshop, poll_id: int) -> Poll:
    """A poll of ``workshop`` (another workshop's poll ids are simply not found)."""
    poll = db.session.execute(db.select(Poll).filter_by(id=poll_id, workshop_id=workshop.id)).scalar_one_or_none()
    if poll is None:
        raise NotFound("no such poll in this workshop", code="poll_not_found")
    return poll


def polls_of(item) -> list[Poll]:
    """The polls an item shows, in order."""
    return db.session.execute(
        db.select(Poll).filter_by(item_id=item.id).order_by(Poll.position, Poll.id)
    ).scalars().all()


def _item(workshop, item_id: int):
    from ..agenda.operations import get_item

    return get_item(workshop, item_id)


# --- preparing ------------------------------------------------------------------------------

def check_spec(spec: dict) -> dict:
    """Check that the fields of a poll fit its kind and fill the defaults; returns the checked spec.

    :raises InvalidPayload: naming the first field that does not fit (``details.fields``).
    """
    kind = spec["kind"]
    options = list(spec.get("options") or [])
    if kind in KINDS_WITH_OPTIONS:
        if not options:
            raise _invalid("options", f"a {kind} poll needs at least one option")
        seen: set[str] = set()
        for option in options:
            if option.casefold() in seen:
                raise _invalid("options", f"option {option!r} appears twice")
            seen.add(option.casefold())
    elif options:
        raise _invalid("options", f"a {kind} poll has no options")
    if spec.get("allow_other") and kind not in CHOICE_KINDS:
        raise _invalid("allow_other", "only single and multiple choice polls can have a free answer")

    min_choices, max_choices = spec.get("min_choices"), spec.get("max_choices")
    if kind == "multiple_choice":
        possible = len(options) + (1 if spec.get("allow_other") else 0)
        for name, value in (("min_choices", min_choices), ("max_choices", max_choices)):
            if value is not None and value > possible:
                raise _invalid(name, f"more than the {possible} possible answers")
        if min_choices is not None and max_choices is not None and min_choices > max_choices:
            raise _invalid("min_choices", "greater than max_choices")
    elif min_choices is not None or max_choices is not None:
        raise _invalid("min_choices" if min_choices is not None else "max_choices", "only for multiple choice polls")

    scale_min, scale_max, labels = spec.get("scale_min"), spec.get("scale_max"), list(spec.get("scale_labels") or [])
    if kind == "scale":
        scale_min = DEFAULT_SCALE[0] if scale_min is None else scale_min
        scale_max = DEFAULT_SCALE[1] if scale_max is None else scale_max
        if scale_max <= scale_min:
            raise _invalid("scale_max", "must be greater than scale_min")
        steps = scale_max - scale_min + 1
        if steps > MAX_SCALE_STEPS:
            raise _invalid("scale_max", f"a scale has at most {MAX_SCALE_STEPS} steps")
        if labels and len(labels) not in (2, steps):
            raise _invalid("scale_labels", f"give 2 labels (both ends) or one per step ({steps})")
    elif scale_min is not None or scale_max is not None or labels:
        raise _invalid("scale_min", "only for scale polls")
    return {**spec, "options": options, "scale_min": scale_min, "scale_max": scale_max, "scale_labels": labels}


def create_poll(workshop, item, spec: dict, now: datetime, key: str | None = None) -> Poll:
    """A new draft poll shown by ``item`` (after the item's other polls)."""
    spec = check_spec(spec)
    position = 1 + max((p.position for p in polls_of(item)), default=-1) if item is not None else 0
    poll = Poll(workshop_id=workshop.id, item=item, key=key, position=position, created_at=now,
                **{name: spec[name] for name in SPEC_FIELDS if name in spec})
    db.session.add(poll)
    db.session.flush()
    return poll


def update_poll(workshop, poll: Poll, changes: dict) -> Poll:
    """Change a poll that has not been opened (``changes``: only the fields the facilitator gave)."""
    poll.require_draft()
    if "item_id" in changes:
        item_id = changes.pop("item_id")
        poll.item = _item(workshop, item_id) if item_id is not None else None
    for name in ("question", "kind", "allow_other", "is_anonymous", "is_live_results", "options", "scale_labels"):
        if name in changes and changes[name] is None:
            raise _invalid(name, "cannot be empty")
    current = {name: getattr(poll, name) for name in SPEC_FIELDS}
    if "kind" in changes:
        # a new kind: what does not apply to it goes, unless given anew (then check_spec objects)
        kind = changes["kind"]
        applies = {"options": kind in KINDS_WITH_OPTIONS, "allow_other": kind in CHOICE_KINDS,
                   "min_choices": kind == "multiple_choice", "max_choices": kind == "multiple_choice",
                   "scale_min": kind == "scale", "scale_max": kind == "scale", "scale_labels": kind == "scale"}
        for name, applicable in applies.items():
            if not applicable and name not in changes:
                current[name] = _EMPTY[name]
    spec = check_spec({**current, **changes})
    for name in SPEC_FIELDS:
        setattr(poll, name, spec[name])
    _sync_template(workshop, poll)
    return poll


def _sync_template(workshop, poll: Poll) -> None:
    """A template poll edited before the day: the workshop's template data (TOML export) follows."""
    if not poll.key:
        return
    from ..agenda.loader import PollTemplate

    entries = list((workshop.extra or {}).get("polls", []))
    for index, entry in enumerate(entries):
        if entry.get("key") == poll.key:
            fields = {name: getattr(poll, name) for name in
                      ("question", "kind", "options", "allow_other", "min_choices", "max_choices",
                       "scale_min", "scale_max", "scale_labels")}
            try:
                template = PollTemplate.model_validate({"key": poll.key, **fields})
            except ValueError:
                return  # the app allows what the file format does not; keep the file's version
            entries[index] = template.model_dump(mode="json", exclude_none=True)
            workshop.extra = {**(workshop.extra or {}), "polls": entries}
            return


def add_template_polls(workshop, templates) -> list[Poll]:
    """The template's ``[[polls]]`` as draft polls, each shown by the items whose ``settings.poll``
    names its key (one poll per such item: a poll asked twice keeps two sets of votes).

    A template poll that no item names is created without an item, ready to be attached.
    """
    polls = []
    for template in templates:
        spec = {name: getattr(template, name) for name in
                ("question", "kind", "options", "allow_other", "min_choices", "max_choices",
                 "scale_min", "scale_max", "scale_labels")}
        items = [i for i in workshop.items if (i.settings or {}).get("poll") == template.key] or [None]
        for item in items:
            position = sum(1 for p in polls if p.item is item)
            poll = Poll(workshop=workshop, item=item, key=template.key, position=position, **check_spec(spec))
            db.session.add(poll)
            polls.append(poll)
    return polls


# --- running --------------------------------------------------------------------------------

def _close_others(poll: Poll, now: datetime) -> list[int]:
    """One poll of an item is open at a time: opening one closes the others."""
    closed = []
    if poll.item_id is None:
        return closed
    for other in polls_of(poll.item):
        if other.id != poll.id and other.state is PollState.open:
            other.close(now)
            closed.append(other.id)
    return closed


def open_poll(poll: Poll, now: datetime) -> list[int]:
    """Open a draft poll; returns the ids of the item's polls this closed."""
    poll.open(now)
    return _close_others(poll, now)


def reopen_poll(poll: Poll, now: datetime) -> list[int]:
    poll.reopen(now)
    return _close_others(poll, now)


def close_poll(poll: Poll, now: datetime) -> None:
    poll.close(now)


def open_item(workshop, item, now: datetime) -> None:
    """A ``poll`` item starts: its first poll opens, unless one of its polls has been opened before
    (going back to the item does not reopen what the facilitator closed)."""
    polls = polls_of(item)
    if polls and all(p.is_draft for p in polls):
        polls[0].open(now)


def close_item(workshop, item, now: datetime) -> None:
    """A ``poll`` item ends: its open poll closes (votes after the item are refused)."""
    for poll in polls_of(item):
        if poll.state is PollState.open:
            poll.close(now)


def close_attached(workshop, item, now: datetime) -> None:
    """An item of another kind that shows polls ends: its open poll closes too."""
    if item.kind != "poll":
        close_item(workshop, item, now)


# --- voting ---------------------------------------------------------------------------------

def check_answer(poll: Poll, choices: list[int] | None, value: int | None, text: str | None,
                 other: str | None) -> tuple[list[int], str | None]:
    """The vote as stored (``choices``, ``text``), or a refusal naming what does not fit the poll's kind.

    :raises InvalidPayload: ``invalid_payload`` for fields the kind does not take or lacks, else a
        specific code (``invalid_choice``, ``too_few_choices``, ``too_many_choices``,
        ``invalid_scale_value``, ``invalid_ranking``, ``other_not_allowed``).
    """
    given = {"choices": choices is not None, "value": value is not None, "text": text is not None,
             "other": other is not None}
    allowed = {
        "single_choice": {"choices", "other"}, "multiple_choice": {"choices", "other"},
        "scale": {"value"}, "ranking": {"choices"}, "open_text": {"text"},
    }[poll.kind]
    for field, present in given.items():
        if present and field not in allowed:
            if field == "other":
                raise _invalid("other", "this poll has no free answer", code="other_not_allowed")
            raise _invalid(field, f"not part of a vote on a {poll.kind} poll")

    if poll.kind == "open_text":
        if text is None:
            raise _invalid("text", "an answer is required")
        return [], text
    if poll.kind == "scale":
        if value is None:
            raise _invalid("value", "a value on the scale is required")
        if not poll.scale_min <= value <= poll.scale_max:
            raise _invalid("value", f"not on the scale {poll.scale_min}–{poll.scale_max}", code="invalid_scale_value")
        return [value], None

    choices = list(choices or [])
    n = len(poll.options)
    if any(not 0 <= c < n for c in choices) or len(set(choices)) != len(choices):
        raise _invalid("choices", f"option numbers 0–{n - 1}, each at most once", code="invalid_choice")
    if poll.kind == "ranking":
        if sorted(choices) != list(range(n)):
            raise _invalid("choices", "a ranking orders every option exactly once", code="invalid_ranking")
        return choices, None
    if other is not None and not poll.allow_other:
        raise _invalid("other", "this poll has no free answer", code="other_not_allowed")
    count = len(choices) + (1 if other is not None else 0)
    if poll.kind == "single_choice":
        low, high = 1, 1
    else:
        low = poll.min_choices or 1
        high = poll.max_choices or n + (1 if poll.allow_other else 0)
    if count < low:
        raise _invalid("choices", f"choose at least {low}", code="too_few_choices")
    if count > high:
        raise _invalid("choices", f"choose at most {high}", code="too_many_choices")
    return choices, other


def cast_vote(poll: Poll, participant_id: int, choices: list[int], text: str | None, now: datetime) -> PollVote:
    """The participant's vote on an open poll; an earlier vote of theirs is replaced.

    One row per participant and poll is the database's rule (a unique constraint). Commands on
    one workshop are serialised (its row is locked), so two votes of one person meet the
    constraint only when something bypasses that; the insert then fails cleanly with
    ``vote_conflict`` (nothing is saved, sending again replaces the vote that won).
    """
    poll.require_votes_open()
    vote = _vote_of(poll.id, participant_id)
    if vote is None:
        vote = PollVote(poll_id=poll.id, participant_id=participant_id, created_at=now)
        db.session.add(vote)
    vote.choices = list(choices)
    vote.text = text  # a hidden answer stays hidden when its author rewrites it (as in the Blitzlicht)
    vote.updated_at = now
    try:
        db.session.flush()
    except IntegrityError:
        raise Conflict("another vote of yours arrived at the same moment; please send again",
                       code="vote_conflict") from None
    return vote


def _vote_of(poll_id: int, participant_id: int) -> PollVote | None:
    return db.session.execute(
        db.select(PollVote).filter_by(poll_id=poll_id, participant_id=participant_id)
    ).scalar_one_or_none()


# --- moderation -----------------------------------------------------------------------------

def get_vote(workshop, vote_id: int) -> PollVote:
    vote = db.session.execute(
        db.select(PollVote).join(Poll, Poll.id == PollVote.poll_id)
        .filter(PollVote.id == vote_id, Poll.workshop_id == workshop.id)
    ).scalar_one_or_none()
    if vote is None:
        raise NotFound("no such answer in this workshop", code="vote_not_found")
    return vote


def set_answer_hidden(vote: PollVote, is_hidden: bool) -> None:
    """Hide a text answer (open text or "Sonstige"): it leaves every list and word cloud at once."""
    if not vote.text:
        raise InvalidState("this vote has no text answer", code="no_text_answer")
    vote.is_hidden = is_hidden
