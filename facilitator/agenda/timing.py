"""Agenda timing: the plan, the projection from what actually happened, drift and re-planning.

Pure functions over the workshop and its items (no database access, no Flask), so that the
domain tests can run them with a frozen clock.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from math import ceil
from zoneinfo import ZoneInfo

from .models import AgendaItem, ItemStatus


@dataclass
class ItemTiming:
    item_id: int
    planned_start: datetime
    planned_end: datetime
    projected_start: datetime
    projected_end: datetime

    @property
    def drift_s(self) -> int:
        return int((self.projected_start - self.planned_start).total_seconds())


@dataclass
class DayTiming:
    items: list[ItemTiming]
    planned_end: datetime
    projected_end: datetime
    by_id: dict[int, ItemTiming] = field(default_factory=dict)

    @property
    def drift_s(self) -> int:
        return int((self.projected_end - self.planned_end).total_seconds())


def day_date(workshop, now: datetime) -> date:
    """The calendar day the agenda's clock times refer to."""
    tz = ZoneInfo(workshop.timezone)
    if workshop.started_at is not None:
        return workshop.started_at.astimezone(tz).date()
    return workshop.date or now.astimezone(tz).date()


def at_clock(workshop, day: date, clock: time) -> datetime:
    """A clock time of the workshop's day as an aware datetime."""
    return datetime.combine(day, clock, tzinfo=ZoneInfo(workshop.timezone))


def compute(workshop, items: list[AgendaItem], now: datetime, durations: dict[int, int] | None = None) -> DayTiming:
    """Planned and projected start/end of every item and of the day.

    Planned: from the day's start time, the planned durations and pinned clock times.
    Projected: finished items as they ran, the live item until its clock runs out (or now, when
    it overruns), later items one after another with their current durations (or ``durations``,
    to try a change without making it), pinned items not before their clock time.
    """
    day = day_date(workshop, now)
    planned_t = at_clock(workshop, day, workshop.day_starts_at)
    projected_t = workshop.started_at or planned_t
    timings: list[ItemTiming] = []
    for item in items:
        pin = at_clock(workshop, day, item.pinned_at) if item.pinned_at else None
        planned_start = max(planned_t, pin) if pin else planned_t
        planned_t = planned_start + timedelta(seconds=item.planned_duration_s)

        if item.status is ItemStatus.done:
            start, end = item.started_at, item.ended_at
        elif item.status is ItemStatus.skipped:
            start = end = projected_t
        elif item.status is ItemStatus.running:
            start, end = item.started_at, max(item.ends_at, now)
        elif item.status is ItemStatus.paused:
            start, end = item.started_at, now + timedelta(seconds=max(item.remaining_s, 0))
        else:
            start = max(projected_t, pin) if pin else projected_t
            if workshop.started_at is not None:
                start = max(start, now)
            duration = durations.get(item.id, item.duration_s) if durations else item.duration_s
            end = start + timedelta(seconds=duration)
        projected_t = end
        timings.append(ItemTiming(item.id, planned_start, planned_t, start, end))
    timing = DayTiming(timings, planned_end=planned_t, projected_end=projected_t)
    timing.by_id = {t.item_id: t for t in timings}
    return timing


@dataclass
class ReplanProposal:
    """New durations for pending items, and the drift that could not be absorbed."""

    changes: dict[int, int]  # item id -> new duration in seconds
    remaining_drift_s: int


def propose_replan(workshop, items: list[AgendaItem], now: datetime, chosen_ids: set[int] | None = None) -> ReplanProposal:
    """Shorten chosen pending items so pinned items start at their clock time and the day ends as planned.

    The agenda is cut into segments that end at a pinned item (or the end of the day). In each
    segment that overruns its target, whole minutes are taken from the chosen items in turns (one
    minute each per turn, so the cut is shared), never below an item's ``min_duration_s``.
    Pinned items themselves are not shortened; the running item is not either.
    """
    durations = {item.id: item.duration_s for item in items}
    pending = [i for i in items if i.status is ItemStatus.pending]
    eligible = {i.id for i in pending if i.pinned_at is None and (chosen_ids is None or i.id in chosen_ids)}

    segment: list[AgendaItem] = []
    targets: list[tuple[list[AgendaItem], AgendaItem | None]] = []
    for item in pending:
        if item.pinned_at is not None:
            targets.append((segment, item))
            segment = []
        segment.append(item)
    targets.append((segment, None))

    for members, pinned_item in targets:
        timing = compute(workshop, items, now, durations)
        if pinned_item is not None:
            t = timing.by_id[pinned_item.id]
            target = at_clock(workshop, day_date(workshop, now), pinned_item.pinned_at)
            # the pinned item's own start is max(previous end, pin): what overflows is previous end - pin
            previous_end = t.projected_start if t.projected_start > target else target
            overflow = (previous_end - target).total_seconds()
        else:
            overflow = timing.drift_s
        minutes = ceil(overflow / 60) if overflow > 0 else 0
        candidates = [i for i in members if i.id in eligible]
        while minutes > 0:
            progressed = False
            for item in candidates:
                if minutes and durations[item.id] - 60 >= item.min_duration_s:
                    durations[item.id] -= 60
                    minutes -= 1
                    progressed = True
            if not progressed:
                break

    final = compute(workshop, items, now, durations)
    changes = {i.id: durations[i.id] for i in items if durations[i.id] != i.duration_s}
    return ReplanProposal(changes=changes, remaining_drift_s=max(final.drift_s, 0))
