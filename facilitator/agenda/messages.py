"""Payload types of the agenda commands (wire names in the docstrings)."""
from __future__ import annotations

import datetime as dt
from datetime import time
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..core.commands import Payload
from .models import ITEM_KINDS

ItemKind = Literal[ITEM_KINDS]  # type: ignore[valid-type]


def parse_clock(value):
    """Accept "HH:MM" strings (and time objects) for clock times."""
    if value is None or value == "" or isinstance(value, time):
        return value or None
    if isinstance(value, str):
        try:
            hours, minutes = value.split(":")
            return time(int(hours), int(minutes))
        except ValueError:
            pass
    raise ValueError("expected a clock time HH:MM")


class ExtendPayload(Payload):
    """``agenda.extend``: minutes to add to the running item (negative shortens)."""

    minutes: int = Field(ge=-60, le=60)

    @field_validator("minutes")
    @classmethod
    def not_zero(cls, value):
        if value == 0:
            raise ValueError("must not be 0")
        return value


class ItemRef(Payload):
    """``agenda.goto`` / ``agenda.item.remove``: one item of this workshop."""

    item_id: int


class ReplanPayload(Payload):
    """``agenda.replan`` / ``agenda.replan.preview``: which later items may be shortened (all when omitted)."""

    item_ids: list[int] | None = None


class ItemFields(Payload):
    """Fields of an agenda item; durations in whole minutes on the wire."""

    title: str = Field(min_length=1, max_length=120)
    kind: ItemKind = "plenary"
    duration: int = Field(ge=1, le=600)
    min_duration: int | None = Field(default=None, ge=1, le=600)
    pinned_at: time | None = None
    description: str | None = Field(default=None, max_length=2000)
    notes: str | None = Field(default=None, max_length=5000)

    _clock = field_validator("pinned_at", mode="before")(parse_clock)

    def to_model_fields(self) -> dict:
        fields = self.model_dump(exclude_unset=True)
        return convert_minutes(fields)


def convert_minutes(fields: dict) -> dict:
    out = {}
    for name, value in fields.items():
        if name == "duration":
            out["duration_s"] = value * 60
        elif name == "min_duration":
            out["min_duration_s"] = value * 60 if value else None
        else:
            out[name] = value
    if out.get("min_duration_s", 0) is None:
        del out["min_duration_s"]
    return out


class AddItemPayload(ItemFields):
    """``agenda.item.add``: a new item, at ``position`` (0-based; default: the end)."""

    position: int | None = Field(default=None, ge=0)

    def to_model_fields(self) -> dict:
        return convert_minutes(self.model_dump(exclude={"position"}, exclude_none=True))


class ItemChanges(Payload):
    """The body of ``PATCH …/agenda/items/<id>``: the fields given change, the others stay."""

    title: str | None = Field(default=None, min_length=1, max_length=120)
    kind: ItemKind | None = None
    duration: int | None = Field(default=None, ge=1, le=600)
    min_duration: int | None = Field(default=None, ge=1, le=600)
    pinned_at: time | None = None
    description: str | None = Field(default=None, max_length=2000)
    notes: str | None = Field(default=None, max_length=5000)

    _clock = field_validator("pinned_at", mode="before")(parse_clock)

    @model_validator(mode="after")
    def something_to_change(self):
        if not (self.model_fields_set - {"item_id"}):
            raise ValueError("no field to change")
        for name in ("title", "kind", "duration"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be empty")
        return self

    def changes(self) -> dict:
        return convert_minutes(self.model_dump(include=self.model_fields_set - {"item_id"}))


class UpdateItemPayload(ItemChanges):
    """``agenda.item.update``: the fields given change, the others stay."""

    item_id: int


class ReorderPayload(Payload):
    """``agenda.reorder``: every item id of the agenda in the new order."""

    item_ids: list[int] = Field(min_length=1)


class DayPayload(Payload):
    """``agenda.day.update``: the day's start time (and date) before the day starts."""

    starts_at: time
    date: dt.date | None = None

    _clock = field_validator("starts_at", mode="before")(parse_clock)


class JoinOpenPayload(Payload):
    """``workshop.join.set``: whether people may still join (the projector shows the QR code)."""

    is_open: bool


class InputPayload(Payload):
    """``activity.input.set``: whether participants may contribute to the item's activity."""

    item_id: int
    is_open: bool
