"""Agenda intents (socket commands; the REST API calls the same ones)."""
from __future__ import annotations

from ..core.auth import FACILITATORS
from ..core.commands import Context, command
from ..core.errors import InvalidPayload
from ..workshops.queries import state_view
from . import operations, timing
from ..core import activities
from .messages import (AddItemPayload, DayPayload, ExtendPayload, InputPayload, ItemRef, JoinOpenPayload,
                       ReorderPayload, ReplanPayload, UpdateItemPayload)


def publish_state(ctx: Context) -> None:
    """Every audience gets the new workshop + agenda state under one sequence number."""
    workshop = ctx.workshop
    ctx.publish("workshop.state", lambda audience: state_view(workshop, audience))


@command("day.start", roles=FACILITATORS,
         errors=('workshop_running', 'workshop_ended', 'agenda_empty'))
def start_day(ctx: Context, payload):
    """Start the day: the first agenda item runs."""
    operations.start_day(ctx.workshop, ctx.now)
    publish_state(ctx)


@command("agenda.next", roles=FACILITATORS,
         errors=('workshop_planned', 'workshop_ended', 'nothing_running'))
def next_item(ctx: Context, payload):
    """End the running item and start the next one (after the last one, the day ends)."""
    operations.next_item(ctx.workshop, ctx.now)
    publish_state(ctx)


@command("agenda.previous", roles=FACILITATORS,
         errors=('workshop_planned', 'no_previous_item'))
def previous_item(ctx: Context, payload):
    """Go back to the previous item, which runs on with the time it had left."""
    operations.previous_item(ctx.workshop, ctx.now)
    publish_state(ctx)


@command("agenda.goto", roles=FACILITATORS, payload=ItemRef, example={"item_id": "$later_item"},
         errors=('item_not_found', 'item_not_pending', 'item_not_later', 'workshop_ended', 'nothing_running'))
def goto_item(ctx: Context, payload: ItemRef):
    """Jump to a later item; items in between are marked as skipped."""
    operations.goto_item(ctx.workshop, operations.get_item(ctx.workshop, payload.item_id), ctx.now)
    publish_state(ctx)


@command("agenda.pause", roles=FACILITATORS,
         errors=('nothing_running', 'item_not_running'))
def pause(ctx: Context, payload):
    """Pause the running item's clock."""
    operations.pause(ctx.workshop, ctx.now)
    publish_state(ctx)


@command("agenda.resume", roles=FACILITATORS,
         errors=('nothing_running', 'item_not_paused'))
def resume(ctx: Context, payload):
    """Resume the paused item's clock."""
    operations.resume(ctx.workshop, ctx.now)
    publish_state(ctx)


@command("agenda.extend", roles=FACILITATORS, payload=ExtendPayload, example={"minutes": 5},
         errors=('nothing_running', 'duration_too_short'))
def extend(ctx: Context, payload: ExtendPayload):
    """Extend (or with negative minutes shorten) the running item."""
    operations.extend(ctx.workshop, payload.minutes * 60, ctx.now)
    publish_state(ctx)


@command("agenda.replan.preview", roles=FACILITATORS, payload=ReplanPayload, example={},
         errors=('item_not_found',))
def replan_preview(ctx: Context, payload: ReplanPayload):
    """Show what re-planning would change, without changing anything."""
    chosen = set(payload.item_ids) if payload.item_ids is not None else None
    if chosen:
        for item_id in chosen:
            operations.get_item(ctx.workshop, item_id)
    proposal = timing.propose_replan(ctx.workshop, ctx.workshop.items, ctx.now, chosen)
    return {"changes": [{"item_id": k, "duration_s": v} for k, v in proposal.changes.items()],
            "remaining_drift_s": proposal.remaining_drift_s}


@command("agenda.replan", roles=FACILITATORS, payload=ReplanPayload, example={},
         errors=('workshop_planned', 'workshop_ended', 'item_not_found'))
def replan(ctx: Context, payload: ReplanPayload):
    """Absorb the drift: shorten chosen later items; pinned items keep their clock time."""
    chosen = set(payload.item_ids) if payload.item_ids is not None else None
    proposal = operations.replan(ctx.workshop, ctx.now, chosen)
    publish_state(ctx)
    return {"changes": [{"item_id": k, "duration_s": v} for k, v in proposal.changes.items()],
            "remaining_drift_s": proposal.remaining_drift_s}


@command("workshop.join.set", roles=FACILITATORS, payload=JoinOpenPayload, example={"is_open": False})
def set_join_open(ctx: Context, payload: JoinOpenPayload):
    """Open or close joining (the projector shows the QR code while open)."""
    operations.set_join_open(ctx.workshop, payload.is_open)
    publish_state(ctx)


# --- editing (setup page and cockpit) -------------------------------------------------------

@command("agenda.item.add", roles=FACILITATORS, payload=AddItemPayload,
         example={"title": "Kaffeepause", "kind": "break", "duration": 10},
         errors=('workshop_ended', 'duration_too_short'))
def add_item(ctx: Context, payload: AddItemPayload):
    """Add an agenda item."""
    item = operations.add_item(ctx.workshop, payload.to_model_fields(), payload.position)
    publish_state(ctx)
    return {"item_id": item.id}


@command("agenda.item.update", roles=FACILITATORS, payload=UpdateItemPayload,
         example={"item_id": "$later_item", "title": "Neuer Titel", "duration": 12},
         errors=('item_not_found', 'item_finished', 'duration_too_short'))
def update_item(ctx: Context, payload: UpdateItemPayload):
    """Change an agenda item's title, kind, duration, minimum, pinned time, description or notes."""
    operations.update_item(ctx.workshop, operations.get_item(ctx.workshop, payload.item_id), payload.changes(), ctx.now)
    publish_state(ctx)


@command("agenda.item.remove", roles=FACILITATORS, payload=ItemRef, example={"item_id": "$later_item"},
         errors=('item_not_found', 'item_not_pending'))
def remove_item(ctx: Context, payload: ItemRef):
    """Remove an agenda item that has not run yet."""
    operations.remove_item(ctx.workshop, operations.get_item(ctx.workshop, payload.item_id))
    publish_state(ctx)


@command("agenda.reorder", roles=FACILITATORS, payload=ReorderPayload, example={"item_ids": "$reversed_pending"},
         errors=('invalid_order', 'item_not_pending'))
def reorder(ctx: Context, payload: ReorderPayload):
    """Put the agenda items in a new order (items that ran keep their place)."""
    operations.reorder(ctx.workshop, payload.item_ids)
    publish_state(ctx)


@command("agenda.day.update", roles=FACILITATORS, payload=DayPayload, example={"starts_at": "09:00"},
         errors=('workshop_running', 'workshop_ended'))
def update_day(ctx: Context, payload: DayPayload):
    """Set the day's start time (and date) before the day starts."""
    operations.set_day(ctx.workshop, payload.starts_at, payload.date)
    publish_state(ctx)


# --- activities of items -------------------------------------------------------------------

@command("activity.input.set", roles=FACILITATORS, payload=InputPayload, example={"item_id": "$input_item", "is_open": False},
         errors=("item_not_found", "no_input"))
def set_input(ctx: Context, payload: InputPayload):
    """Open or close an item's activity for contributions (Clusterkette, Blitzlicht)."""
    item = operations.get_item(ctx.workshop, payload.item_id)
    operations.set_input_open(item, payload.is_open)
    activities.publish_activity(ctx, item)


@command("activity.summary", roles=FACILITATORS, payload=ItemRef, example={"item_id": "$input_item"},
         errors=("item_not_found", "no_activity"))
def summary(ctx: Context, payload: ItemRef):
    """Everything an item's activity collected (for the cockpit; hidden contributions marked)."""
    item = operations.get_item(ctx.workshop, payload.item_id)
    return {"summary": operations.activity_summary(item)}
