"""Agenda templates: TOML files that describe a workshop day (see ``agendas/README.md``).

``load_template`` parses and validates a template into pydantic models, ``dump_template`` writes
one back. Every problem becomes an :class:`AgendaFileError` that names the line and the field,
with a German message meant for the organiser who wrote the file.

This module is deliberately standalone: it imports neither Flask nor anything else of the app.
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomli_w
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

__all__ = [
    "SUPPORTED_FORMAT_VERSION",
    "ITEM_KINDS",
    "POLL_KINDS",
    "WORKSHOP_FORMATS",
    "AgendaFileError",
    "AgendaIssue",
    "AgendaTemplate",
    "WorkshopInfo",
    "ItemTemplate",
    "GroupTemplate",
    "PollTemplate",
    "default_min_duration",
    "load_template",
    "load_template_file",
    "dump_template",
    "list_templates",
]

log = logging.getLogger(__name__)

SUPPORTED_FORMAT_VERSION = 1

ItemKind = Literal[
    "plenary", "keynote", "cluster_chain", "group_choice", "break",
    "breakout", "poll", "blitzlicht", "outlook", "custom",
]
PollKind = Literal["single_choice", "multiple_choice", "scale", "ranking", "open_text"]
WorkshopFormat = Literal["online", "hybrid", "onsite"]

ITEM_KINDS: tuple[str, ...] = get_args(ItemKind)
POLL_KINDS: tuple[str, ...] = get_args(PollKind)
WORKSHOP_FORMATS: tuple[str, ...] = get_args(WorkshopFormat)

#: Poll kinds that need ``options``.
_POLL_KINDS_WITH_OPTIONS = ("single_choice", "multiple_choice", "ranking")
#: Default scale of a ``scale`` poll when the file does not say.
_DEFAULT_SCALE = (1, 5)

#: Well-known ``settings`` keys of items and the type their value must have. Any other key is
#: accepted as long as its value is a string, number, boolean or a list of those.
_KNOWN_SETTINGS: dict[str, str] = {
    "poll": "key",  # reference to [[polls]].key
    "round": "positive_int",  # group_choice / breakout: which round of theme groups
    "opens_group_choice_round": "positive_int",  # an item (lunch) during which a choice round opens
    "central_term": "text",  # cluster_chain
    "chains": "bool",  # cluster_chain: link terms to earlier ones (default true)
    "prompt": "text",  # blitzlicht
    "mood_scale": "bool",  # blitzlicht
}

_CLOCK_RE = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_POLL_KEY_RE = re.compile(r"[a-z0-9-]+")


def default_min_duration(duration: int) -> int:
    """The re-planning floor used when an item has no ``min_duration``: half, at least 1 minute."""
    return max(1, duration // 2)


# --- field types ----------------------------------------------------------------------------


def _text(max_length: int) -> Any:
    """A required, stripped, non-blank string."""
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)]


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _optional_text(max_length: int) -> Any:
    """An optional string; an empty or blank string counts as not given."""
    return Annotated[
        Union[Annotated[str, StringConstraints(max_length=max_length)], None],
        BeforeValidator(_blank_to_none),
    ]


def _parse_clock(value: Any) -> Any:
    """``"HH:MM"`` (or a TOML local time with zero seconds) to :class:`datetime.time`."""
    if isinstance(value, str):
        match = _CLOCK_RE.fullmatch(value.strip())
        if match is None or int(match[1]) > 23 or int(match[2]) > 59:
            raise PydanticCustomError(
                "clock_format", 'Uhrzeit im Format "HH:MM" (24 Stunden) erwartet, z. B. "09:30"'
            )
        return dt.time(int(match[1]), int(match[2]))
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            raise PydanticCustomError("clock_format", "Uhrzeit ohne Zeitzonen-Angabe erwartet")
        if value.second or value.microsecond:
            raise PydanticCustomError("clock_format", "Uhrzeit nur auf die Minute genau (ohne Sekunden)")
    return value


def _parse_date(value: Any) -> Any:
    """A TOML local date (``2022-11-30``); an ISO string ``"2022-11-30"`` is accepted too."""
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_format", "Nur ein Datum ohne Uhrzeit erwartet, z. B. 2022-11-30")
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("date_format", "Datum im Format JJJJ-MM-TT erwartet, z. B. 2022-11-30") from None
    return value


# Text fields by maximum length (lengths match the database columns of the app).
Text60 = _text(60)
Text64 = _text(64)
Text80 = _text(80)
Text100 = _text(100)
Text120 = _text(120)
Text200 = _text(200)
Text300 = _text(300)
OptText120 = _optional_text(120)
OptText200 = _optional_text(200)
OptText500 = _optional_text(500)
OptText20000 = _optional_text(20000)

ClockTime = Annotated[dt.time, BeforeValidator(_parse_clock)]
LocalDate = Annotated[dt.date, BeforeValidator(_parse_date)]


def _agenda_error(message: str, **ctx: Any) -> PydanticCustomError:
    """A consistency error (message already German; ``{name}`` placeholders come from ``ctx``)."""
    return PydanticCustomError("agenda_consistency", message, ctx or None)


def _raise_all(title: str, problems: list[tuple[tuple[str | int, ...], PydanticCustomError, Any]]) -> None:
    """Raise one ValidationError with precise locations (pydantic prefixes the outer location)."""
    if problems:
        raise ValidationError.from_exception_data(
            title, [InitErrorDetails(type=err, loc=loc, input=value) for loc, err, value in problems]
        )


class _Model(BaseModel):
    # strict: TOML has real types, so "10" is not silently taken for 10.
    model_config = ConfigDict(extra="forbid", strict=True)


# --- models ---------------------------------------------------------------------------------


class WorkshopInfo(_Model):
    """The ``[workshop]`` table."""

    title: Text200
    organiser: OptText200 = None
    date: Union[LocalDate, None] = None
    starts_at: ClockTime
    timezone: Text64 = "Europe/Berlin"
    format: WorkshopFormat = "online"
    venue: OptText200 = None
    description: OptText20000 = None
    guiding_questions: list[Text300] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise PydanticCustomError(
                "timezone", 'Unbekannte Zeitzone; erwartet wird ein IANA-Name wie "Europe/Berlin"'
            ) from None
        return value


class ItemTemplate(_Model):
    """One ``[[items]]`` entry: a point of the programme."""

    title: Text120
    kind: ItemKind
    duration: int = Field(ge=1, le=600)
    #: Re-planning floor in minutes; filled with ``default_min_duration(duration)`` when absent.
    min_duration: Union[int, None] = Field(default=None, ge=1, le=600)
    pinned: Union[ClockTime, None] = None
    description: OptText20000 = None
    notes: OptText20000 = None
    settings: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> ItemTemplate:
        problems: list = []
        if self.min_duration is None:
            self.min_duration = default_min_duration(self.duration)
        elif self.min_duration > self.duration:
            problems.append((
                ("min_duration",),
                _agenda_error(
                    "min_duration ({min}) darf nicht größer sein als duration ({duration})",
                    min=self.min_duration, duration=self.duration,
                ),
                self.min_duration,
            ))
        for key, value in self.settings.items():
            message = _check_setting(key, value)
            if message:
                problems.append((("settings", key), _agenda_error(message, key=key), value))
        _raise_all(type(self).__name__, problems)
        return self


def _is_scalar_setting(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) and not isinstance(value, (dt.date, dt.time))


def _check_setting(key: str, value: Any) -> str | None:
    """German message if a settings value is not allowed, else None."""
    expected = _KNOWN_SETTINGS.get(key)
    if expected == "key":
        if not isinstance(value, str) or not value.strip():
            return 'Einstellung "{key}" muss der key einer Umfrage aus [[polls]] sein (Text)'
    elif expected == "positive_int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            return 'Einstellung "{key}" muss eine ganze Zahl ab 1 sein'
    elif expected == "text":
        if not isinstance(value, str) or not value.strip():
            return 'Einstellung "{key}" muss ein nicht leerer Text sein'
    elif expected == "bool":
        if not isinstance(value, bool):
            return 'Einstellung "{key}" muss true oder false sein'
    if _is_scalar_setting(value):
        return None
    if isinstance(value, list) and all(_is_scalar_setting(v) for v in value):
        return None
    return 'Einstellung "{key}": erlaubt sind Text, Zahl, true/false oder eine Liste davon'


class GroupTemplate(_Model):
    """One ``[[groups]]`` entry: a theme group with its draft goals (Handlungsziele)."""

    name: Text80
    description: OptText20000 = None
    capacity: int = Field(default=20, ge=1, le=1000)
    host: OptText120 = None
    room_url: OptText500 = None
    goals: list[Text300] = Field(default_factory=list)

    @field_validator("room_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None:
            value = value.strip()
            if not value.lower().startswith(("https://", "http://")) or len(value) <= len("https://"):
                raise PydanticCustomError("room_url", "Link muss mit https:// oder http:// beginnen")
        return value


class PollTemplate(_Model):
    """One ``[[polls]]`` entry: a poll prepared before the day."""

    key: Text60
    question: Text300
    kind: PollKind
    options: list[Text200] = Field(default_factory=list)
    allow_other: bool = False
    min_choices: Union[int, None] = Field(default=None, ge=1)
    max_choices: Union[int, None] = Field(default=None, ge=1)
    #: ``scale`` only; filled with 1 and 5 when absent.
    scale_min: Union[int, None] = Field(default=None, ge=-100, le=100)
    scale_max: Union[int, None] = Field(default=None, ge=-100, le=100)
    scale_labels: list[Text100] = Field(default_factory=list)

    @field_validator("key")
    @classmethod
    def _key_format(cls, value: str) -> str:
        if not _POLL_KEY_RE.fullmatch(value):
            raise PydanticCustomError(
                "poll_key", "Nur Kleinbuchstaben a-z, Ziffern und Bindestriche erlaubt, z. B. \"akteure\""
            )
        return value

    @model_validator(mode="after")
    def _check(self) -> PollTemplate:
        problems: list = []

        def problem(name: str, message: str, given: Any, **ctx: Any) -> None:
            ctx.setdefault("field", name)
            problems.append(((name,), _agenda_error(message, kind=self.kind, **ctx), given))

        if self.kind in _POLL_KINDS_WITH_OPTIONS:
            if not self.options:
                problem("options", 'Eine Umfrage vom Typ "{kind}" braucht mindestens eine Antwortoption', self.options)
            seen: set[str] = set()
            for option in self.options:
                if option.casefold() in seen:
                    problem("options", 'Antwortoption "{option}" kommt doppelt vor', option, option=option)
                seen.add(option.casefold())
        elif self.options:
            problem("options", 'options gibt es nur bei single_choice, multiple_choice und ranking, nicht bei "{kind}"', self.options)

        if self.allow_other and self.kind not in ("single_choice", "multiple_choice"):
            problem("allow_other", 'allow_other gibt es nur bei single_choice und multiple_choice, nicht bei "{kind}"', True)

        if self.kind == "multiple_choice":
            possible = len(self.options) + (1 if self.allow_other else 0)
            if self.min_choices is not None and self.max_choices is not None and self.min_choices > self.max_choices:
                problem("min_choices", "min_choices ({min}) darf nicht größer sein als max_choices ({max})",
                        self.min_choices, min=self.min_choices, max=self.max_choices)
            for field in ("min_choices", "max_choices"):
                value = getattr(self, field)
                if value is not None and self.options and value > possible:
                    problem(field, "{field} ({value}) ist größer als die Zahl der Antwortmöglichkeiten ({possible})",
                            value, value=value, possible=possible)
        else:
            for field in ("min_choices", "max_choices"):
                if getattr(self, field) is not None:
                    problem(field, '{field} gibt es nur bei multiple_choice, nicht bei "{kind}"', getattr(self, field))

        if self.kind == "scale":
            if self.scale_min is None:
                self.scale_min = _DEFAULT_SCALE[0]
            if self.scale_max is None:
                self.scale_max = _DEFAULT_SCALE[1]
            points = self.scale_max - self.scale_min + 1
            if self.scale_max <= self.scale_min:
                problem("scale_max", "scale_max ({max}) muss größer sein als scale_min ({min})",
                        self.scale_max, min=self.scale_min, max=self.scale_max)
            elif points > 101:
                problem("scale_max", "Die Skala darf höchstens 101 Stufen haben", self.scale_max)
            elif self.scale_labels and len(self.scale_labels) not in (2, points):
                problem("scale_labels", "scale_labels braucht 2 Einträge (Anfang und Ende) oder einen je Stufe ({points})",
                        self.scale_labels, points=points)
        else:
            for field in ("scale_min", "scale_max", "scale_labels"):
                if getattr(self, field):
                    problem(field, '{field} gibt es nur bei scale, nicht bei "{kind}"', getattr(self, field))
        _raise_all(type(self).__name__, problems)
        return self


class AgendaTemplate(_Model):
    """A whole template file."""

    format_version: int
    workshop: WorkshopInfo
    items: list[ItemTemplate] = Field(min_length=1)
    groups: list[GroupTemplate] = Field(default_factory=list)
    polls: list[PollTemplate] = Field(default_factory=list)

    @field_validator("format_version")
    @classmethod
    def _supported_version(cls, value: int) -> int:
        if value != SUPPORTED_FORMAT_VERSION:
            raise PydanticCustomError(
                "format_version",
                "Nicht unterstützte format_version; diese Version von Werkstatt kennt nur {supported}",
                {"supported": SUPPORTED_FORMAT_VERSION},
            )
        return value

    @model_validator(mode="after")
    def _check(self) -> AgendaTemplate:
        problems: list = []
        self._check_unique(problems, "groups", "name", "Themengruppe")
        self._check_unique(problems, "polls", "key", "Umfrage")
        self._check_poll_references(problems)
        self._check_pins(problems)
        _raise_all(type(self).__name__, problems)
        return self

    def _check_unique(self, problems: list, table: str, field: str, label: str) -> None:
        first_seen: dict[str, int] = {}
        for index, entry in enumerate(getattr(self, table)):
            value = getattr(entry, field)
            if value.casefold() in first_seen:
                problems.append((
                    (table, index, field),
                    _agenda_error(
                        '{label} "{value}" gibt es schon ({table}[{first}]); {field} muss eindeutig sein',
                        label=label, value=value, table=table, first=first_seen[value.casefold()], field=field,
                    ),
                    value,
                ))
            else:
                first_seen[value.casefold()] = index

    def _check_poll_references(self, problems: list) -> None:
        keys = [poll.key for poll in self.polls]
        for index, item in enumerate(self.items):
            ref = item.settings.get("poll")
            if isinstance(ref, str) and ref not in keys:
                if keys:
                    error = _agenda_error(
                        'Umfrage "{ref}" gibt es nicht in [[polls]] (vorhanden: {known})', ref=ref, known=", ".join(keys)
                    )
                else:
                    error = _agenda_error('Umfrage "{ref}" gibt es nicht – die Datei hat keine [[polls]]', ref=ref)
                problems.append((("items", index, "settings", "poll"), error, ref))

    def _check_pins(self, problems: list) -> None:
        """Pinned times: not before the start, increasing, and reachable with the minimum durations."""
        start = _minutes(self.workshop.starts_at)
        anchor, anchor_label = start, f"Beginn {_clock(self.workshop.starts_at)}"
        anchor_is_pin = False
        needed = 0  # minimum minutes of the items since the anchor (start or last pinned item)
        for index, item in enumerate(self.items):
            if item.pinned is not None:
                pin = _minutes(item.pinned)
                message = None
                if pin < start:
                    message = "Festgelegte Uhrzeit {pin} liegt vor dem Beginn des Tages ({start})"
                elif anchor_is_pin and pin <= anchor:
                    message = "Festgelegte Uhrzeiten müssen aufsteigen: {pin} liegt nicht nach {anchor}"
                elif anchor + needed > pin:
                    message = (
                        "Nicht planbar: die Programmpunkte seit {anchor} brauchen mindestens {needed} Minuten "
                        "(min_duration), also frühestens {earliest} – festgelegt ist {pin}"
                    )
                if message:
                    problems.append((
                        ("items", index, "pinned"),
                        _agenda_error(
                            message, pin=_clock(item.pinned), start=_clock(self.workshop.starts_at),
                            anchor=anchor_label, needed=needed, earliest=_clock_from_minutes(anchor + needed),
                        ),
                        _clock(item.pinned),
                    ))
                else:
                    anchor, anchor_label, needed = pin, f"{_clock(item.pinned)} (items[{index}])", 0
                    anchor_is_pin = True
            needed += item.min_duration or 0


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _clock(t: dt.time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def _clock_from_minutes(minutes: int) -> str:
    day, rest = divmod(minutes, 24 * 60)
    text = f"{rest // 60:02d}:{rest % 60:02d}"
    return text + (f" (+{day} Tag)" if day else "")


# --- errors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaIssue:
    """One problem in a template file. ``field`` is a 0-based path like ``items[3].duration``."""

    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        return _format_issue(self.line, self.field, self.message)


_COLLECTION_LABELS = {"items": "Programmpunkt", "groups": "Themengruppe", "polls": "Umfrage"}


def _format_issue(line: int | None, field: str | None, message: str) -> str:
    where = []
    if line is not None:
        where.append(f"Zeile {line}")
    if field:
        label = ""
        match = re.match(r"(items|groups|polls)\[(\d+)\]", field)
        if match:  # a human hint next to the 0-based path: items[3] is "Programmpunkt 4"
            label = f" ({_COLLECTION_LABELS[match[1]]} {int(match[2]) + 1})"
        where.append(f"Feld {field}{label}")
    return f"{', '.join(where)}: {message}" if where else message


class AgendaFileError(ValueError):
    """A template file that cannot be used. ``line``/``field``/``message`` describe the first problem,
    ``issues`` lists all of them (sorted by line)."""

    def __init__(
        self,
        issues: list[AgendaIssue] | AgendaIssue | str,
        source: str = "<string>",
        *,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        if isinstance(issues, str):  # AgendaFileError("message", line=3, field="items[0]")
            issues = AgendaIssue(line, field, issues)
        if isinstance(issues, AgendaIssue):
            issues = [issues]
        if not issues:
            raise ValueError("AgendaFileError needs at least one issue")
        self.issues: tuple[AgendaIssue, ...] = tuple(issues)
        self.source = source
        first = self.issues[0]
        self.line: int | None = first.line
        self.field: str | None = first.field
        self.message: str = first.message
        super().__init__(str(self))

    def __str__(self) -> str:
        text = str(self.issues[0])
        if self.source and self.source != "<string>":
            text = f"{self.source}: {text}"
        if len(self.issues) > 1:
            more = len(self.issues) - 1
            text += " (und 1 weiterer Fehler)" if more == 1 else f" (und {more} weitere Fehler)"
        return text


# German messages for pydantic's error types ({...} are taken from the error's ctx).
_MESSAGES = {
    "missing": "Pflichtfeld fehlt",
    "int_type": "Eingabe sollte eine ganze Zahl sein",
    "int_parsing": "Eingabe sollte eine ganze Zahl sein",
    "int_from_float": "Eingabe sollte eine ganze Zahl sein",
    "float_type": "Eingabe sollte eine Zahl sein",
    "string_type": 'Eingabe sollte ein Text in Anführungszeichen sein',
    "bool_type": "Eingabe sollte true oder false sein",
    "list_type": "Eingabe sollte eine Liste sein, z. B. [\"a\", \"b\"]",
    "dict_type": "Eingabe sollte eine Tabelle sein",
    "model_type": "Eingabe sollte eine Tabelle sein",
    "model_attributes_type": "Eingabe sollte eine Tabelle sein",
    "date_type": "Eingabe sollte ein Datum sein, z. B. 2022-11-30",
    "time_type": 'Eingabe sollte eine Uhrzeit sein, z. B. "09:30"',
    "string_too_short": "Text darf nicht leer sein",
    "string_too_long": "Text ist zu lang (höchstens {max_length} Zeichen)",
    "too_short": "Liste braucht mindestens {min_length} Eintrag/Einträge",
    "too_long": "Liste darf höchstens {max_length} Einträge haben",
    "greater_than_equal": "Wert muss mindestens {ge} sein",
    "less_than_equal": "Wert darf höchstens {le} sein",
    "greater_than": "Wert muss größer als {gt} sein",
    "less_than": "Wert muss kleiner als {lt} sein",
}
_NO_INPUT_TYPES = {"missing", "extra_forbidden", "agenda_consistency"}


def _model_at(path: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that validates the table at ``path`` (for listing its allowed keys)."""
    model: Any = AgendaTemplate
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if field is None:
            return None
        annotation = field.annotation
        while get_origin(annotation) in (list, Union):
            args = [a for a in get_args(annotation) if a is not type(None)]
            annotation = args[0] if args else None
        model = annotation
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _render_input(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return "Tabelle"
    if isinstance(value, str):
        text = json.dumps(value if len(value) <= 60 else value[:57] + "...", ensure_ascii=False)
    else:
        text = repr(value)
        if isinstance(value, list):
            text = "[" + ", ".join(_render_input(v) for v in value) + "]"
        text = text if len(text) <= 60 else text[:57] + "..."
    return text


def _message_for(error: dict[str, Any]) -> str:
    kind = error["type"]
    loc = error["loc"]
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        key = str(loc[-1])
        model = _model_at(loc[:-1])
        message = f'Unbekanntes Feld "{key}"'
        if model is not None:
            allowed = list(model.model_fields)
            close = difflib.get_close_matches(key, allowed, n=1)
            message += f' – meinten Sie "{close[0]}"?' if close else "."
            message += f" Erlaubt: {', '.join(allowed)}"
        return message
    if kind == "missing":
        return f'Pflichtfeld "{loc[-1]}" fehlt' if loc and isinstance(loc[-1], str) else "Pflichtfeld fehlt"
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        message = f"Ungültiger Wert; erlaubt: {', '.join(allowed)}"
        if isinstance(error.get("input"), str):
            close = difflib.get_close_matches(error["input"], allowed, n=1)
            if close:
                message += f' – meinten Sie "{close[0]}"?'
        return message
    template = _MESSAGES.get(kind)
    if template is None:
        return error["msg"]  # our own (already German) errors, or an untranslated one
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def _field_path(loc: tuple[str | int, ...]) -> str | None:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path or None


def _issues_from_validation(error: ValidationError, text: str) -> list[AgendaIssue]:
    locator = _Locator(text)
    issues = []
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        message = _message_for(detail)
        if detail["type"] not in _NO_INPUT_TYPES and "input" in detail and not isinstance(detail["input"], dict):
            message += f" (got {_render_input(detail['input'])})"
        issues.append(AgendaIssue(line=locator.line_of(loc), field=_field_path(loc), message=message))
    issues.sort(key=lambda issue: (issue.line is None, issue.line or 0))
    return issues


# --- locating a field in the source text -----------------------------------------------------


@dataclass
class _Section:
    path: tuple[str, ...]
    is_array: bool
    line: int | None
    keys: dict[str, int]


_BARE_KEY = r"[A-Za-z0-9_-]+"
_KEY_PART = rf'(?:{_BARE_KEY}|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_KEY_LINE_RE = re.compile(rf"\s*({_KEY_PART})\s*(?:\.|=)")
_ARRAY_HEADER_RE = re.compile(r"\s*\[\[(.+?)\]\]")
_TABLE_HEADER_RE = re.compile(r"\s*\[([^\[].*?)\]")
_KEY_PART_RE = re.compile(_KEY_PART)


def _unquote(part: str) -> str:
    if len(part) >= 2 and part[0] == part[-1] and part[0] in "\"'":
        return part[1:-1]
    return part


class _Locator:
    """Finds the line of a pydantic location in TOML source text.

    tomllib reports no positions, so this scans the text: it records every table header and the
    first line of each key below it, skipping multi-line strings and multi-line arrays. For
    ``("items", 3, "duration")`` it finds the 4th ``[[items]]`` header and then the ``duration``
    key in that block; if the key is not there (a missing field) it answers with the header line.
    """

    def __init__(self, text: str) -> None:
        self.sections: list[_Section] = [_Section((), False, None, {})]
        in_string: str | None = None  # '"""' or "'''" while inside a multi-line string
        depth = 0  # open [ and { of values spanning lines
        for number, line in enumerate(text.split("\n"), start=1):
            if in_string is None and depth == 0:
                self._register(number, line)
            in_string, depth = self._scan(line, in_string, depth)

    def _register(self, number: int, line: str) -> None:
        header = _ARRAY_HEADER_RE.match(line)
        is_array = header is not None
        header = header or _TABLE_HEADER_RE.match(line)
        if header:
            path = tuple(_unquote(p) for p in _KEY_PART_RE.findall(header[1]))
            self.sections.append(_Section(path, is_array, number, {}))
            return
        key = _KEY_LINE_RE.match(line)
        if key:
            self.sections[-1].keys.setdefault(_unquote(key[1]), number)

    @staticmethod
    def _scan(line: str, in_string: str | None, depth: int) -> tuple[str | None, int]:
        i = 0
        while i < len(line):
            if in_string is not None:
                end = line.find(in_string, i)
                while end > 0 and in_string == '"""' and _escaped(line, end):
                    end = line.find(in_string, end + 1)
                if end < 0:
                    return in_string, depth
                i = end + 3
                while i < len(line) and line[i] == in_string[0]:  # up to two quotes may close it
                    i += 1
                in_string = None
                continue
            char = line[i]
            if char == "#":
                break
            if line.startswith('"""', i) or line.startswith("'''", i):
                in_string = line[i:i + 3]
                i += 3
                continue
            if char == '"':
                i += 1
                while i < len(line) and line[i] != '"':
                    i += 2 if line[i] == "\\" else 1
            elif char == "'":
                end = line.find("'", i + 1)
                i = len(line) if end < 0 else end
            elif char in "[{":
                depth += 1
            elif char in "]}":
                depth = max(0, depth - 1)
            i += 1
        return in_string, depth

    def line_of(self, loc: tuple[str | int, ...]) -> int | None:
        scope = self.sections[0]
        path: tuple[str, ...] = ()
        lo, hi = 1, len(self.sections)  # sections that can belong to the scope
        best: int | None = None
        i = 0
        while i < len(loc):
            part = loc[i]
            if not isinstance(part, str):
                break
            if part in scope.keys:
                return scope.keys[part]
            wanted = path + (part,)
            candidates = [j for j in range(lo, hi) if self.sections[j].path == wanted]
            if not candidates:
                break
            index = loc[i + 1] if i + 1 < len(loc) else None
            arrays = [j for j in candidates if self.sections[j].is_array]
            if arrays and isinstance(index, int):
                if index >= len(arrays):
                    return self.sections[arrays[0]].line if best is None else best
                chosen = arrays[index]
                i += 2
            else:
                chosen = candidates[0]
                i += 1
            scope, path, best = self.sections[chosen], wanted, self.sections[chosen].line
            lo, end = chosen + 1, chosen + 1
            while end < hi:
                other = self.sections[end].path
                if other[:len(wanted)] != wanted or other == wanted:
                    break
                end += 1
            hi = end
        return best


def _escaped(line: str, pos: int) -> bool:
    backslashes = 0
    while pos - backslashes - 1 >= 0 and line[pos - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


# --- public functions -----------------------------------------------------------------------

_TOML_POSITION_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def load_template(text: str, source: str = "<string>") -> AgendaTemplate:
    """Parse and validate the TOML text of a template; raises :class:`AgendaFileError`."""
    if not isinstance(text, str):
        raise TypeError(f"load_template expects str, not {type(text).__name__}")
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raw = str(exc)
        line = None
        match = _TOML_POSITION_RE.search(raw)
        if match:
            line = int(match[1])
            raw = raw[: match.start()] + f" (Spalte {match[2]})"
        elif "end of document" in raw:
            line = text.count("\n") + 1
            raw = raw.replace("(at end of document)", "(am Dateiende)")
        raise AgendaFileError(AgendaIssue(line, None, f"TOML-Syntaxfehler: {raw}"), source) from None
    try:
        return AgendaTemplate.model_validate(data)
    except ValidationError as exc:
        raise AgendaFileError(_issues_from_validation(exc, text), source) from None


def load_template_file(path: str | Path) -> AgendaTemplate:
    """Read a UTF-8 template file. ``OSError`` (missing file …) is not converted."""
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AgendaFileError(AgendaIssue(line, None, "Datei ist nicht UTF-8-kodiert"), str(path)) from None
    return load_template(text, source=str(path))


def list_templates(directory: str | Path, *, skip_invalid: bool = False) -> list[tuple[str, AgendaTemplate]]:
    """All ``*.toml`` templates of a directory as ``(slug, template)``, sorted by slug (the file stem).

    A missing directory gives an empty list. A broken file raises :class:`AgendaFileError`, or is
    logged and left out with ``skip_invalid=True``.
    """
    result = []
    for path in sorted(Path(directory).glob("*.toml")):
        if not path.is_file():
            continue
        try:
            result.append((path.stem, load_template_file(path)))
        except AgendaFileError as exc:
            if not skip_invalid:
                raise
            log.warning("skipping agenda template: %s", exc)
    result.sort(key=lambda entry: entry[0])
    return result


def dump_template(template: AgendaTemplate) -> str:
    """The template as TOML text; ``load_template(dump_template(t)) == t``.

    Leaves out what is not set and the obvious defaults (an item's default ``min_duration``,
    empty lists, ``allow_other = false``); times are written as ``"HH:MM"``.
    """
    workshop = template.workshop
    blocks = [f"format_version = {template.format_version}\n"]
    blocks.append("[workshop]\n" + _dump_table({
        "title": workshop.title,
        "organiser": workshop.organiser,
        "date": workshop.date,
        "starts_at": _clock(workshop.starts_at),
        "timezone": workshop.timezone,
        "format": workshop.format,
        "venue": workshop.venue,
        "description": workshop.description,
        "guiding_questions": workshop.guiding_questions,
    }))
    for item in template.items:
        text = _dump_table({
            "title": item.title,
            "kind": item.kind,
            "duration": item.duration,
            "min_duration": None if item.min_duration == default_min_duration(item.duration) else item.min_duration,
            "pinned": _clock(item.pinned) if item.pinned else None,
            "description": item.description,
            "notes": item.notes,
        })
        if item.settings:
            text += f"settings = {_inline(item.settings)}\n"
        blocks.append("[[items]]\n" + text)
    for group in template.groups:
        blocks.append("[[groups]]\n" + _dump_table({
            "name": group.name,
            "description": group.description,
            "capacity": group.capacity,
            "host": group.host,
            "room_url": group.room_url,
            "goals": group.goals,
        }))
    for poll in template.polls:
        blocks.append("[[polls]]\n" + _dump_table({
            "key": poll.key,
            "question": poll.question,
            "kind": poll.kind,
            "options": poll.options,
            "allow_other": poll.allow_other or None,
            "min_choices": poll.min_choices,
            "max_choices": poll.max_choices,
            "scale_min": poll.scale_min,
            "scale_max": poll.scale_max,
            "scale_labels": poll.scale_labels,
        }))
    return "\n".join(blocks)


def _dump_table(values: dict[str, Any]) -> str:
    kept = {k: v for k, v in values.items() if v is not None and v != []}
    return tomli_w.dumps(kept, multiline_strings=True)


def _inline(value: Any) -> str:
    """A value as single-line TOML (inline tables must not span lines)."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_inline_key(k)} = {_inline(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return tomli_w.dumps({"v": value}).split(" = ", 1)[1].rstrip("\n")


def _inline_key(key: str) -> str:
    if re.fullmatch(_BARE_KEY, key):
        return key
    return tomli_w.dumps({key: 0}).rsplit(" = ", 1)[0]
