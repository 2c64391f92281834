"""What the renderers share: dates and times in the workshop's zone and language, headings,
the raw tables of the spreadsheet formats, and file names."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from .labels import labels, organisation_label
from .model import Document


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass
class Words:
    """Formatting in the document's language: ``w.t("agenda")``, ``w.clock(iso)``, ``w.minutes(s)``."""

    document: Document
    words: dict[str, str]

    @classmethod
    def of(cls, document: Document) -> "Words":
        return cls(document, labels(document.locale))

    def t(self, key: str, **values) -> str:
        text = self.words[key]
        return text % values if values else text

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.document.workshop.get("timezone") or "Europe/Berlin")

    def clock(self, value: str | None) -> str:
        moment = parse_iso(value)
        return moment.astimezone(self.tz).strftime("%H:%M") if moment else "–"

    def timestamp(self, value: str | None) -> str:
        moment = parse_iso(value)
        return moment.astimezone(self.tz).strftime("%Y-%m-%d %H:%M:%S") if moment else ""

    def day(self, value: str | None) -> str:
        if not value:
            return "–"
        return format_date(date.fromisoformat(value), format="long", locale=self.document.locale)

    def minutes(self, seconds: int | None) -> str:
        if seconds is None:
            return "–"
        return self.t("minutes", n=round(seconds / 60))

    def drift(self, seconds: int | None) -> str:
        if seconds is None:
            return "–"
        n = round(seconds / 60)
        if n == 0:
            return self.t("on_time")
        return f"+{n} min" if n > 0 else f"−{-n} min"

    def changes(self, row: dict) -> str:
        parts = []
        ext = round((row.get("extended_s") or 0) / 60)
        if ext > 0:
            parts.append(self.t("extended", n=ext))
        elif ext < 0:
            parts.append(self.t("shortened", n=-ext))
        replanned = round((row.get("replanned_s") or 0) / 60)
        if replanned:
            parts.append(self.t("replanned", n=f"{replanned:+d}"))
        actual, duration = row.get("actual_duration_s"), row.get("duration_s")
        if actual is not None and duration is not None and actual - duration >= 60:
            parts.append(self.t("overran", n=round((actual - duration) / 60)))
        if row.get("status") == "skipped":
            parts.append(self.t("skipped"))
        elif row.get("actual_start") is None:
            parts.append(self.t("not_run"))
        return ", ".join(parts)

    def org(self, key: str | None) -> str:
        return organisation_label(self.words, key)

    def kind(self, kind: str) -> str:
        return self.words.get(f"kind.{kind}", kind)

    def poll_kind(self, kind: str) -> str:
        return self.words.get(f"poll.{kind}", kind)

    def format(self, value: str | None) -> str:
        return self.words.get(f"format.{value}", value or "–")

    def percent(self, share: float | None) -> str:
        if share is None:
            return "–"
        text = f"{share * 100:.0f} %"
        return text if self.document.locale == "de" else text.replace(" %", "%")

    def hidden(self, n: int) -> str:
        return self.t("hidden", n=n)

    def section_heading(self, section: dict) -> str:
        return section["title"]


def slug(text: str, limit: int = 40) -> str:
    """A file-name part: ASCII letters, digits and dashes."""
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text[:limit].rstrip("-") or "export"


# --- raw tables (XLSX sheets, CSV files) -------------------------------------------------------

@dataclass
class Table:
    """One activity's raw rows: ``name`` (sheet / file), ``header`` and ``rows`` of cell values."""

    key: str
    name: str
    header: list[str]
    rows: list[list]


def tables(document: Document, words: Words) -> list[Table]:
    """One table per activity, with timestamp, organisation type and content in every row (and
    the name in a named export), ready for pivot tables."""
    named = not document.anonymised
    base = [words.t("timestamp"), words.t("organisation_type")] + ([words.t("name")] if named else [])

    def lead(row):
        cells = [words.timestamp(row.get("created_at")), words.org(row.get("organisation_type"))]
        if named:
            cells.append(row.get("name") or "")
        return cells

    result: list[Table] = []
    for section in document.sections:
        pos = section["position"] + 1
        if cluster := section.get("clusterkette"):
            names = {c["id"]: c["name"] for c in cluster["clusters"]}
            result.append(Table(
                f"{pos:02d}-clusterkette", f"{pos:02d} {words.t('clusterkette')}",
                base + [words.t("content"), words.t("term"), words.t("cluster"), words.t("id")],
                [lead(r) + [r["content"], r["term_id"], names.get(r.get("cluster_id"), words.t("unsorted")), r["id"]]
                 for r in cluster["rows"]]))
        if choice := section.get("group_choice"):
            result.append(Table(
                f"{pos:02d}-gruppenwahl-{choice['round']}", f"{pos:02d} {words.t('group_choice', n=choice['round'])}",
                base + [words.t("group"), words.t("assigned_by")],
                [lead(r) + [r["content"], r["assigned_by"]] for r in choice["rows"]]))
        if breakout := section.get("breakout"):
            result.append(Table(
                f"{pos:02d}-themengruppen-{breakout.get('round') or ''}".rstrip("-"),
                f"{pos:02d} {words.t('breakout', n=breakout.get('round') or '')}",
                base + [words.t("group"), words.t("kind"), words.t("content"), words.t("dots")],
                [lead(r) + [r["group"], r["type"], r["content"], r.get("dots", "")] for r in breakout["rows"]]))
        for poll in section.get("polls", []):
            result.append(Table(
                f"{pos:02d}-umfrage-{poll['id']}", f"{pos:02d} {words.t('poll')} {poll['id']}",
                base + [words.t("answer"), words.t("other"), words.t("id")],
                [lead(r) + [r["content"], r.get("text") or "", r["id"]] for r in poll["rows"]]))
        if blitz := section.get("blitzlicht"):
            result.append(Table(
                f"{pos:02d}-blitzlicht", f"{pos:02d} {words.t('blitzlicht')}",
                base + [words.t("statement"), words.t("mood"), words.t("id")],
                [lead(r) + [r["content"], r["mood"] if r["mood"] is not None else "", r["id"]]
                 for r in blitz["rows"]]))
    if document.broadcasts:
        result.append(Table("nachrichten", words.t("broadcasts"), [words.t("timestamp"), words.t("content")],
                            [[words.timestamp(b["created_at"]), b["text"]] for b in document.broadcasts]))
    return result


# --- user text in other formats ----------------------------------------------------------------

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value):
    """``value`` (any plain data) with the control characters XML 1.0 cannot hold removed from
    every string: DOCX and XLSX are XML, and people can paste anything."""
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value)
    if isinstance(value, list):
        return [xml_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: xml_safe(v) for k, v in value.items()}
    return value


def xml_safe_document(document: Document) -> Document:
    from dataclasses import replace

    return replace(document, **{name: xml_safe(getattr(document, name)) for name in
                                ("workshop", "agenda", "sections", "broadcasts", "zoom_csv")})


def safe_cell(value):
    """No spreadsheet formula from text people typed (CSV/formula injection): like
    ``groups.queries._safe_cell``, a leading ``= + - @`` (or tab/CR) gets an apostrophe.
    Numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def group_choice_table(group_choice: dict, w: "Words", named: bool) -> tuple[list[str], list[list]]:
    """(header, rows) of a group choice round: group, participants, and in a named export the
    members' names (with "n without a name")."""
    header = [w.t("group"), w.t("participants")] + ([w.t("members")] if named else [])
    rows = []
    for grp in group_choice["groups"]:
        cells = [grp["name"], grp["member_count"]]
        if named:
            names = list(grp.get("names") or [])
            if grp.get("unnamed_count"):
                names.append(w.t("unnamed", n=grp["unnamed_count"]))
            cells.append(", ".join(names))
        rows.append(cells)
    return header, rows


def breakdown_table(poll: dict, results: dict, w: "Words") -> tuple[list[str], list[list]]:
    """(header, rows) of a poll's breakdown by organisation type: one column per type (small
    types already merged), one row per answer (or the mean of a scale, the points of a ranking)."""
    cols = poll["breakdown"]
    header = [w.t("answer")] + [f"{w.org(b['group'])} (n={b['voters']})" for b in cols]
    rows = []
    if "options" in results:
        rows = [[o["label"]] + [b["options"][o["index"]]["count"] for b in cols] for o in results["options"]]
        if "other" in results:
            rows.append([w.t("other")] + [(b.get("other") or {}).get("count", 0) for b in cols])
    elif "scale" in results:
        rows = [[w.t("mean")] + [(b.get("scale") or {}).get("mean") for b in cols]]
    elif "ranking" in results:
        rows = [[o["label"]] + [next(x["points"] for x in b["ranking"] if x["index"] == o["index"]) for b in cols]
                for o in results["ranking"]]
    elif "text" in results:
        rows = [[w.t("answers")] + [(b.get("text") or {}).get("count", 0) for b in cols]]
    return header, rows
