"""Operations on the agenda: the only code that changes agenda state. They never commit."""
from __future__ import annotations

from datetime import datetime, time

from ..core import activities
from ..core.errors import InvalidPayload, InvalidState, NotFound
from ..extensions import db
from ..workshops.models import Workshop, WorkshopState
from . import timing
from .models import MIN_ITEM_SECONDS, AgendaItem, ItemStatus


def get_item(workshop: Workshop, item_id: int) -> AgendaItem:
    item = next((i for i in workshop.items if i.id == item_id), None)
    if item is None:
        raise NotFound("no such agenda item in this workshop", code="item_not_found")
    return item


def _live_item(workshop: Workshop) -> AgendaItem:
    item = workshop.current_item
    if item is None or not item.is_live:
        raise InvalidState("no agenda item is running", code="nothing_running")
    return item


def _begin(workshop: Workshop, item: AgendaItem, now: datetime) -> None:
    item.start(now)
    workshop.current_item_id = item.id
    activities.item_started(workshop, item, now)


def _end(workshop: Workshop, item: AgendaItem, now: datetime) -> None:
    item.finish(now)
    activities.item_finished(workshop, item, now)


def start_day(workshop: Workshop, now: datetime) -> AgendaItem:
    """Start the day with the first agenda item."""
    workshop.require_state(WorkshopState.planned)
    if not workshop.items:
        raise InvalidState("the agenda is empty", code="agenda_empty")
    workshop.state = WorkshopState.running
    workshop.started_at = now
    first = workshop.items[0]
    _begin(workshop, first, now)
    return first


def next_item(workshop: Workshop, now: datetime) -> AgendaItem | None:
    """End the running item and start the next one; after the last item the day ends."""
    workshop.require_state(WorkshopState.running)
    current = _live_item(workshop)
    _end(workshop, current, now)
    following = [i for i in workshop.items if i.position > current.position and i.status is ItemStatus.pending]
    if not following:
        workshop.current_item_id = None
        workshop.state = WorkshopState.ended
        workshop.ended_at = now
        return None
    _begin(workshop, following[0], now)
    return following[0]


def previous_item(workshop: Workshop, now: datetime) -> AgendaItem:
    """Go back one item: the current item becomes not-yet-run, the previous one runs on with its time left."""
    workshop.require_state(WorkshopState.running, WorkshopState.ended)
    current = workshop.current_item
    done_before = [
        i for i in workshop.items
        if i.status is ItemStatus.done and (current is None or i.position < current.position)
    ]
    if not done_before:
        raise InvalidState("there is no previous item", code="no_previous_item")
    previous = done_before[-1]
    if current is not None:
        if current.is_live:
            activities.item_finished(workshop, current, now)
        current.reset()
    # items skipped between the two become pending again: going back undoes the jump
    for item in workshop.items:
        if item.status is ItemStatus.skipped and item.position > previous.position:
            item.reset()
    previous.reopen(now)
    workshop.current_item_id = previous.id
    activities.item_started(workshop, previous, now)
    workshop.state = WorkshopState.running
    workshop.ended_at = None
    return previous


def goto_item(workshop: Workshop, item: AgendaItem, now: datetime) -> AgendaItem:
    """Jump ahead to a later item; the items jumped over are marked as skipped."""
    if item.status is not ItemStatus.pending:
        raise InvalidState("only an item that has not run yet can be started", code="item_not_pending")
    if workshop.state is WorkshopState.planned:
        current, after = None, -1
    else:
        workshop.require_state(WorkshopState.running)
        current = _live_item(workshop)
        after = current.position
    if item.position < after:
        raise InvalidState("only a later item can be started", code="item_not_later")
    if current is None:
        workshop.state = WorkshopState.running
        workshop.started_at = now
    else:
        _end(workshop, current, now)
    for between in workshop.items:
        if after < between.position < item.position and between.status is ItemStatus.pending:
            between.status = ItemStatus.skipped
    _begin(workshop, item, now)
    return item


def pause(workshop: Workshop, now: datetime) -> AgendaItem:
    item = _live_item(workshop)
    item.pause(now)
    return item


def resume(workshop: Workshop, now: datetime) -> AgendaItem:
    item = _live_item(workshop)
    item.resume(now)
    return item


def extend(workshop: Workshop, seconds: int, now: datetime) -> AgendaItem:
    """Give the running item more time (negative: less)."""
    item = _live_item(workshop)
    item.extend(seconds, now)
    return item


def replan(workshop: Workshop, now: datetime, chosen_ids: set[int] | None) -> timing.ReplanProposal:
    """Absorb the drift: shorten chosen later items so pinned items keep their clock time."""
    workshop.require_state(WorkshopState.running)
    if chosen_ids is not None:
        for item_id in chosen_ids:
            get_item(workshop, item_id)
    proposal = timing.propose_replan(workshop, workshop.items, now, chosen_ids)
    for item_id, duration in proposal.changes.items():
        item = get_item(workshop, item_id)
        item.replanned_s += duration - item.duration_s
        item.duration_s = duration
    return proposal


def set_join_open(workshop: Workshop, is_open: bool) -> None:
    workshop.is_join_open = is_open


# --- editing the agenda ---------------------------------------------------------------------

EDITABLE_FIELDS = ("title", "kind", "duration_s", "min_duration_s", "pinned_at", "description", "notes", "settings")


def _check_durations(item: AgendaItem) -> None:
    if item.duration_s < MIN_ITEM_SECONDS:
        raise InvalidPayload("an item lasts at least one minute", code="duration_too_short")
    if item.min_duration_s > item.duration_s:
        item.min_duration_s = item.duration_s


def _renumber(workshop: Workshop) -> None:
    for position, item in enumerate(sorted(workshop.items, key=lambda i: i.position)):
        item.position = position
    workshop.items.sort(key=lambda i: i.position)


def add_item(workshop: Workshop, fields: dict, position: int | None = None) -> AgendaItem:
    """Insert an item (at ``position``, default: the end); the day may already be running."""
    if workshop.state is WorkshopState.ended:
        raise InvalidState("the day has ended", code="workshop_ended")
    fields = dict(fields)
    fields.setdefault("min_duration_s", max(MIN_ITEM_SECONDS, fields["duration_s"] // 2))
    # an item added during the day was not planned: it shows up as drift, not in the plan
    planned = 0 if workshop.started_at is not None else fields["duration_s"]
    item = AgendaItem(position=len(workshop.items), planned_duration_s=planned, **fields)
    item.status = ItemStatus.pending
    _check_durations(item)
    # append to the loaded collection (not ``AgendaItem(workshop=…)``: with the collection not yet
    # loaded, the backref append got lost and "at the end" landed before the last item)
    workshop.items.append(item)
    first_free = max((i.position + 1 for i in workshop.items if i is not item and i.status is not ItemStatus.pending), default=0)
    count = len(workshop.items) - 1
    target = count if position is None else max(first_free, min(position, count))
    ordered = [i for i in sorted(workshop.items, key=lambda i: i.position) if i is not item]
    ordered.insert(target, item)
    for index, each in enumerate(ordered):
        each.position = index
    workshop.items.sort(key=lambda i: i.position)
    db.session.add(item)
    db.session.flush()  # the caller answers with the new item's id
    return item


def update_item(workshop: Workshop, item: AgendaItem, fields: dict, now: datetime) -> AgendaItem:
    """Change an item's fields; a finished item's duration is history and stays."""
    if item.status in (ItemStatus.done, ItemStatus.skipped) and "duration_s" in fields:
        raise InvalidState("a finished item's duration cannot change", code="item_finished")
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise InvalidPayload(f"{name} cannot be edited", code="invalid_payload")
        if name == "duration_s" and item.is_live:
            item.extend(value - item.duration_s, now)
            continue
        setattr(item, name, value)
        if name == "duration_s" and workshop.started_at is None:
            item.planned_duration_s = value
    _check_durations(item)
    return item


def remove_item(workshop: Workshop, item: AgendaItem) -> None:
    if item.status is not ItemStatus.pending:
        raise InvalidState("only an item that has not run yet can be removed", code="item_not_pending")
    workshop.items.remove(item)
    db.session.delete(item)
    _renumber(workshop)


def reorder(workshop: Workshop, item_ids: list[int]) -> None:
    """Put the items in the given order; items that ran (or run) keep their places."""
    current_ids = [i.id for i in workshop.items]
    if sorted(item_ids) != sorted(current_ids):
        raise InvalidPayload("item_ids must list every item of the agenda exactly once", code="invalid_order")
    by_id = {i.id: i for i in workshop.items}
    for index, item_id in enumerate(item_ids):
        item = by_id[item_id]
        if item.status is not ItemStatus.pending and current_ids.index(item_id) != index:
            raise InvalidState("items that ran keep their place", code="item_not_pending")
    for index, item_id in enumerate(item_ids):
        by_id[item_id].position = index
    workshop.items.sort(key=lambda i: i.position)


def set_day(workshop: Workshop, starts_at: time, day=None) -> None:
    """Set the day's start time (and date) before the day has started."""
    workshop.require_state(WorkshopState.planned)
    workshop.day_starts_at = starts_at
    if day is not None:
        workshop.date = day


# --- activities -----------------------------------------------------------------------------

def set_input_open(item: AgendaItem, is_open: bool) -> None:
    activity = activities.activity_of(item)
    if activity is None or not activity.has_input:
        raise InvalidState("this item takes no contributions", code="no_input")
    activities.set_activity_state(item, open=is_open)


def activity_summary(item: AgendaItem) -> dict:
    summary = activities.summary_of(item)
    if summary is None:
        raise InvalidState("this item has no activity", code="no_activity")
    return summary
