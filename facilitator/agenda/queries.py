"""Reads of the agenda: the view each audience gets in snapshots and ``workshop.state`` events."""
from __future__ import annotations

from datetime import datetime

from ..core.clock import iso
from . import timing
from .models import ItemStatus


def clock_text(value) -> str | None:
    return value.strftime("%H:%M") if value else None


def agenda_view(workshop, audience: str, now: datetime) -> dict:
    """Items with planned/projected/actual times, the running clock, drift and the day's end."""
    items = list(workshop.items)
    day = timing.compute(workshop, items, now)
    current = workshop.current_item
    upcoming = [i for i in items if i.status is ItemStatus.pending and (current is None or i.position > current.position)]
    rows = []
    for item in items:
        t = day.by_id[item.id]
        row = {
            "id": item.id,
            "position": item.position,
            "title": item.title,
            "kind": item.kind,
            "status": item.status.value,
            "description": item.description,
            "duration_s": item.duration_s,
            "pinned_at": clock_text(item.pinned_at),
            "planned_start": iso(t.planned_start),
            "planned_end": iso(t.planned_end),
            "projected_start": iso(t.projected_start),
            "projected_end": iso(t.projected_end),
            "started_at": iso(item.started_at),
            "ended_at": iso(item.ended_at),
            "ends_at": iso(item.ends_at),
            "remaining_s": item.remaining_s if item.status is ItemStatus.paused else None,
        }
        if audience == "facilitator":
            row.update(
                notes=item.notes,
                settings=item.settings or {},
                planned_duration_s=item.planned_duration_s,
                min_duration_s=item.min_duration_s,
                extended_s=item.extended_s,
                replanned_s=item.replanned_s,
                drift_s=t.drift_s,
            )
        rows.append(row)
    return {
        "timezone": workshop.timezone,
        "day_starts_at": clock_text(workshop.day_starts_at),
        "items": rows,
        "current_id": current.id if current else None,
        "next_id": upcoming[0].id if upcoming else None,
        "planned_end": iso(day.planned_end),
        "projected_end": iso(day.projected_end),
        "drift_s": day.drift_s,
    }
