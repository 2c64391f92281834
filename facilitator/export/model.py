"""The documentation of a workshop as it ran: one plain data model that every format renders.

:func:`build_document` reads the database once and returns a :class:`Document` of plain dicts,
lists, strings and numbers (what ``json.dumps`` takes as it is, see ``docs/export-schema.json``).
The activity content comes from each activity's own summary (``core.activities.summary_of``);
this module only leaves out what a documentation must not show:

- hidden (moderated) contributions: left out and counted (``hidden_count``),
- in an anonymised document (the default): every participant's name, organisation and id.
  Organisation *types* stay (counted; the poll breakdown merges groups of fewer than 3).

Raw rows (``rows``: when, which organisation type, what) are kept per activity for the
spreadsheet formats.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from ..agenda.models import ItemStatus
from ..core.activities import activity_of, summary_of
from ..core.clock import iso, now_utc
from ..extensions import db

#: Bumped when a field changes meaning or disappears (adding optional fields keeps it).
SCHEMA_VERSION = 1


@dataclass
class Document:
    """A workshop as it ran. Every field is plain data; :meth:`to_dict` is the JSON export."""

    schema_version: int
    locale: str
    anonymised: bool
    generated_at: str
    workshop: dict
    agenda: dict
    sections: list[dict]
    broadcasts: list[dict]
    hidden_count: int
    #: Zoom breakout pre-assignment CSV per group-choice round (named documents only: it holds names).
    zoom_csv: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


# --- participants ----------------------------------------------------------------------------

@dataclass(frozen=True)
class People:
    """What the document may say about participants: organisation type always, name only when named."""

    named: bool
    types: dict[int, str | None]
    names: dict[int, str | None]

    def org_type(self, participant_id: int | None) -> str | None:
        return self.types.get(participant_id) if participant_id is not None else None

    def name(self, participant_id: int | None) -> str | None:
        if not self.named or participant_id is None:
            return None
        return self.names.get(participant_id) or None


def _people(workshop, named: bool) -> People:
    from ..join.models import Participant

    rows = db.session.execute(
        db.select(Participant.id, Participant.display_name, Participant.organisation_type)
        .filter_by(workshop_id=workshop.id)
    ).all()
    return People(named, {r.id: r.organisation_type for r in rows}, {r.id: r.display_name for r in rows})


def _row(at, people: People, participant_id, content, **extra) -> dict:
    row = {"created_at": at if isinstance(at, str) or at is None else iso(at),
           "organisation_type": people.org_type(participant_id), "content": content, **extra}
    if people.named:
        row["name"] = people.name(participant_id)
    return row


# --- cover and agenda ------------------------------------------------------------------------

def _cover(workshop, people: People) -> dict:
    types = Counter(people.types.values())
    return {
        "id": workshop.id,
        "code": workshop.code,
        "title": workshop.title,
        "organiser": workshop.organiser_name,
        "date": workshop.date.isoformat() if workshop.date else None,
        "timezone": workshop.timezone,
        "starts_at": workshop.day_starts_at.strftime("%H:%M") if workshop.day_starts_at else None,
        "started_at": iso(workshop.started_at),
        "ended_at": iso(workshop.ended_at),
        "format": workshop.format,
        "venue": workshop.venue,
        "description": workshop.description,
        "guiding_questions": list(workshop.guiding_questions or []),
        "participant_count": len(people.types),
        "organisation_types": [
            {"organisation_type": key, "count": count}
            for key, count in sorted(types.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or ""))
        ],
    }


def _agenda(workshop, items, now: datetime) -> dict:
    from ..agenda.timing import compute

    timing = compute(workshop, items, now)
    rows = []
    for item in items:
        t = timing.by_id[item.id]
        ran = item.started_at is not None
        rows.append({
            "item_id": item.id,
            "position": item.position,
            "title": item.title,
            "kind": item.kind,
            "status": item.status.value,
            "pinned_at": item.pinned_at.strftime("%H:%M") if item.pinned_at else None,
            "planned_start": iso(t.planned_start),
            "planned_end": iso(t.planned_end),
            "planned_duration_s": item.planned_duration_s,
            "duration_s": item.duration_s,
            "actual_start": iso(item.started_at),
            "actual_end": iso(item.ended_at),
            "actual_duration_s": int((item.ended_at - item.started_at).total_seconds())
            if item.started_at and item.ended_at else None,
            "drift_s": int((item.started_at - t.planned_start).total_seconds()) if ran else None,
            "extended_s": item.extended_s,
            "replanned_s": item.replanned_s,
        })
    ended = workshop.ended_at
    return {
        "items": rows,
        "planned_start": rows[0]["planned_start"] if rows else None,
        "planned_end": iso(timing.planned_end),
        "actual_start": iso(workshop.started_at),
        "actual_end": iso(ended),
        "drift_s": int((ended - timing.planned_end).total_seconds()) if ended else None,
    }


# --- activities --------------------------------------------------------------------------------

def _clusterkette(item, summary: dict, people: People) -> dict:
    from ..clusters.models import ClusterEntry, ClusterTerm

    def visible(terms):
        return [{"id": t["id"], "text": t["text"], "count": t["count"]} for t in terms if not t["is_hidden"]]

    clusters = [{"id": c["id"], "name": c["name"], "entry_count": c["entry_count"], "terms": visible(c["terms"])}
                for c in summary["clusters"]]
    shown = {t["id"] for c in clusters for t in c["terms"]} | {t["id"] for t in summary["unclustered"]
                                                                if not t["is_hidden"]}
    cluster_of = {t["id"]: c["id"] for c in clusters for t in c["terms"]}
    entries = db.session.execute(
        db.select(ClusterEntry.id, ClusterEntry.created_at, ClusterEntry.participant_id, ClusterEntry.text,
                  ClusterEntry.term_id, ClusterEntry.parent_id)
        .join(ClusterTerm, ClusterTerm.id == ClusterEntry.term_id)
        .filter(ClusterTerm.item_id == item.id, ClusterTerm.is_hidden.is_(False))
        .order_by(ClusterEntry.id)
    ).all()
    return {
        "central_term": summary["central_term"],
        "chains": summary["chains"],
        "clusters": clusters,
        "unclustered": visible(summary["unclustered"]),
        "links": [link for link in summary["links"] if link["term_id"] in shown and link["parent_id"] in shown],
        "term_count": summary["term_count"],
        "entry_count": summary["entry_count"],
        "hidden_count": summary["total_entries"] - summary["entry_count"],
        "entries_by_organisation_type": summary["entries_by_organisation_type"],
        "rows": [_row(e.created_at, people, e.participant_id, e.text, id=e.id, term_id=e.term_id,
                      cluster_id=cluster_of.get(e.term_id), parent_term_id=e.parent_id)
                 for e in entries],
    }


def _group_choice(workshop, summary: dict, people: People) -> dict:
    groups, rows = [], []
    for group in summary["groups"]:
        members = group.get("members") or []
        entry = {"id": group["id"], "name": group["name"], "host_name": group.get("host_name"),
                 "capacity": group["capacity"], "member_count": len(members)}
        if people.named:
            names = sorted(m["name"] for m in members if m.get("name"))
            entry["names"] = names
            entry["unnamed_count"] = len(members) - len(names)
        groups.append(entry)
        for member in members:
            rows.append(_row(member["assigned_at"], people, member["participant_id"], group["name"],
                             group_id=group["id"], assigned_by=member["assigned_by"]))
    rows.sort(key=lambda r: (r["created_at"] or "", r["group_id"]))
    round_no = summary["round"]
    return {
        "round": round_no,
        "is_locked": summary.get("is_locked", False),
        "groups": groups,
        "decided_count": sum(g["member_count"] for g in groups),
        "zoom_csv_url": f"/w/{workshop.code}/groups-zoom.csv?round={round_no}",
        "rows": rows,
    }


def _contribution(entry: dict, people: People) -> dict:
    """A breakout comment, rewording or answer: the author's name only in a named document."""
    clean = {"id": entry.get("id"), "text": entry.get("text"), "organisation_type": entry.get("organisation_type"),
             "created_at": entry.get("created_at")}
    if people.named:
        clean["author"] = entry.get("author")
    return clean


def _breakout(summary: dict, people: People) -> dict:
    groups, rows = [], []

    def add_rows(group, kind, entries, extra=None):
        for e in entries:
            row = {"created_at": e.get("created_at"), "organisation_type": e.get("organisation_type"),
                   "content": e.get("text"), "group_id": group["id"], "group": group["name"], "type": kind,
                   **(extra or {})}
            if people.named:
                row["name"] = e.get("author")
            rows.append(row)

    for group in summary.get("groups") or []:
        goals = []
        for goal in group.get("goals") or []:
            comments = [_contribution(c, people) for c in goal.get("comments") or []]
            rewordings = [_contribution(c, people) for c in goal.get("rewordings") or []]
            goals.append({"id": goal.get("id"), "text": goal.get("text"), "origin": goal.get("origin"),
                          "is_result": bool(goal.get("is_result")), "dots": goal.get("dots") or 0,
                          "comments": comments, "rewordings": rewordings})
        goals.sort(key=lambda g: -g["dots"])  # the urgency ranking, even if the summary was not sorted
        practices = []
        for practice in group.get("practices") or []:
            clean = {"id": practice.get("id"), "title": practice.get("title"),
                     "organisation": practice.get("organisation"), "text": practice.get("text"),
                     "link": practice.get("link"), "organisation_type": practice.get("organisation_type"),
                     "created_at": practice.get("created_at")}
            if people.named:
                clean["author"] = practice.get("author")
            practices.append(clean)
        answers = [{"question_index": a.get("question_index"), "question": a.get("question"),
                    "items": [_contribution(i, people) for i in a.get("items") or []]}
                   for a in group.get("answers") or []]
        entry = {"id": group["id"], "name": group["name"], "host_name": group.get("host_name"),
                 "member_count": group.get("member_count") or 0, "summary": group.get("summary"),
                 "hidden_count": group.get("hidden_count") or 0,
                 "goals": goals, "practices": practices, "answers": answers}
        groups.append(entry)
        for goal in goals:
            add_rows(entry, "goal" if goal["origin"] == "participant" else "template_goal",
                     [{"text": goal["text"], "created_at": None, "organisation_type": None}], {"goal_id": goal["id"],
                                                                                             "dots": goal["dots"]})
            add_rows(entry, "comment", goal["comments"], {"goal_id": goal["id"]})
            add_rows(entry, "rewording", goal["rewordings"], {"goal_id": goal["id"]})
        for practice in practices:
            text = f"{practice['title']}: {practice['text']}" if practice.get("text") else practice["title"]
            add_rows(entry, "practice", [{**practice, "text": text}], {"link": practice.get("link")})
        for answer in answers:
            add_rows(entry, "answer", answer["items"], {"question_index": answer["question_index"]})
    rows.sort(key=lambda r: (r["created_at"] or "", r["group_id"]))
    return {"round": summary.get("round"), "groups": groups,
            "hidden_count": sum(g["hidden_count"] for g in groups), "rows": rows}


def _poll(poll_view: dict, people: People) -> dict:
    from ..polls.models import PollVote

    results = poll_view.get("results") or {}
    hidden = 0

    def text_block(block: dict) -> dict:
        nonlocal hidden
        answers = [a["text"] for a in block.get("answers", []) if not a.get("is_hidden")]
        hidden += sum(1 for a in block.get("answers", []) if a.get("is_hidden"))
        return {"count": len(answers), "answers": answers, "top_terms": block.get("top_terms", [])}

    clean: dict[str, Any] = {"voters": results.get("voters", 0)}
    if "options" in results:
        clean["options"] = results["options"]
    if "other" in results:
        other = results["other"]
        clean["other"] = {"count": other["count"], "share": other["share"], **{
            k: v for k, v in text_block(other).items() if k != "count"}}
    if "scale" in results:
        clean["scale"] = results["scale"]
    if "ranking" in results:
        clean["ranking"] = results["ranking"]
    if "text" in results:
        clean["text"] = text_block(results["text"])
    breakdown = [{k: v for k, v in row.items()} for row in poll_view.get("breakdown") or []]

    options = poll_view.get("options") or []
    votes = db.session.execute(
        db.select(PollVote.id, PollVote.participant_id, PollVote.choices, PollVote.text, PollVote.is_hidden,
                  PollVote.updated_at)
        .filter_by(poll_id=poll_view["id"]).order_by(PollVote.id)
    ).all()
    rows = []
    for vote in votes:
        if poll_view["kind"] == "scale":
            content = "; ".join(str(c) for c in vote.choices or [])
        else:
            content = "; ".join(options[c] for c in vote.choices or [] if 0 <= c < len(options))
        text = None if vote.is_hidden else vote.text
        rows.append(_row(vote.updated_at, people, vote.participant_id, content, id=vote.id,
                         choices=list(vote.choices or []), text=text))
    poll = {
        "id": poll_view["id"], "key": poll_view.get("key"), "question": poll_view["question"],
        "kind": poll_view["kind"], "options": options, "allow_other": poll_view.get("allow_other", False),
        "scale_min": poll_view.get("scale_min"), "scale_max": poll_view.get("scale_max"),
        "scale_labels": poll_view.get("scale_labels") or [],
        "state": poll_view["state"], "is_anonymous": poll_view.get("is_anonymous", True),
        "opened_at": poll_view.get("opened_at"), "closed_at": poll_view.get("closed_at"),
        "turnout": (poll_view.get("turnout") or {}).get("voters", 0),
        "results": clean, "breakdown": breakdown, "hidden_count": hidden, "rows": rows,
    }
    if people.named and poll_view.get("named") is not None:
        poll["named_votes"] = [
            {"name": v["name"], "choices": v["choices"],
             "answer": "; ".join(options[c] for c in v["choices"] if isinstance(c, int) and 0 <= c < len(options))
             if poll_view["kind"] != "scale" else "; ".join(str(c) for c in v["choices"]),
             "text": None if v["is_hidden"] else v["text"]}
            for v in poll_view["named"]
        ]
    return poll


def _blitzlicht(item, summary: dict, people: People) -> dict:
    from ..blitzlicht.models import Statement
    from ..blitzlicht.operations import mood_scale

    authors = dict(db.session.execute(
        db.select(Statement.id, Statement.participant_id).filter_by(item_id=item.id)).all())
    statements = [s for s in summary["statements"] if not s.get("is_hidden")]
    scale = mood_scale(item)
    return {
        "prompt": summary["prompt"],
        "mood_scale": list(scale) if scale else None,
        "statements": [{"id": s["id"], "text": s["text"], "mood": s["mood"], "created_at": s["created_at"],
                        **({"name": people.name(authors.get(s["id"]))} if people.named else {})}
                       for s in statements],
        "count": summary["count"],
        "hidden_count": summary["hidden_count"],
        "moods": summary["moods"],
        "top_terms": summary["top_terms"],
        "rows": [_row(s["created_at"], people, authors.get(s["id"]), s["text"], id=s["id"], mood=s["mood"])
                 for s in statements],
    }


def _section(workshop, item, people: People) -> dict:
    section: dict[str, Any] = {
        "item_id": item.id, "position": item.position, "title": item.title, "kind": item.kind,
        "status": item.status.value, "description": item.description,
        # facilitators' notes are internal, except the outlook's: its next steps are the point
        "notes": item.notes if item.kind == "outlook" else None,
    }
    summary = summary_of(item) or {}
    activity = activity_of(item)
    kind = activity.kind if activity else item.kind
    if kind == "cluster_chain" and "clusters" in summary:
        section["clusterkette"] = _clusterkette(item, summary, people)
    elif kind == "group_choice" and "groups" in summary:
        section["group_choice"] = _group_choice(workshop, summary, people)
    elif kind == "breakout" and "groups" in summary:
        section["breakout"] = _breakout(summary, people)
    elif kind == "blitzlicht" and "statements" in summary:
        section["blitzlicht"] = _blitzlicht(item, summary, people)
    # drafts nobody voted on are not part of what happened
    polls = [p for p in summary.get("polls") or [] if p.get("state") != "draft"]
    if polls:
        section["polls"] = [_poll(p, people) for p in polls]
    section["hidden_count"] = sum(
        part["hidden_count"] for key in ("clusterkette", "breakout", "blitzlicht") if (part := section.get(key))
    ) + sum(p["hidden_count"] for p in section.get("polls", []))
    return section


def _broadcasts(workshop) -> list[dict]:
    from ..broadcasts.models import Broadcast

    rows = db.session.execute(
        db.select(Broadcast).filter_by(workshop_id=workshop.id).order_by(Broadcast.created_at, Broadcast.id)
    ).scalars()
    return [{"id": b.id, "text": b.text, "created_at": iso(b.created_at)} for b in rows]


def _zoom_csvs(workshop, sections) -> dict[str, str]:
    from ..groups.queries import zoom_csv

    rounds = sorted({s["group_choice"]["round"] for s in sections if "group_choice" in s})
    return {str(r): zoom_csv(workshop, r) for r in rounds}


def build_document(workshop, *, anonymised: bool = True, locale: str = "de", now: datetime | None = None) -> Document:
    """The workshop as it ran, ready for every format.

    :param anonymised: True (default): no participant's name, organisation or id anywhere.
    :param locale: language of the headings the renderers add (``de`` or ``en``).
    """
    from .labels import LOCALES

    if locale not in LOCALES:
        from ..core.errors import InvalidPayload

        raise InvalidPayload(f"unknown locale {locale!r}", code="invalid_payload")
    now = now or now_utc()
    people = _people(workshop, named=not anonymised)
    items = [i for i in workshop.items]
    sections = [_section(workshop, item, people) for item in items if item.status is not ItemStatus.skipped
                or summary_of(item)]
    return Document(
        schema_version=SCHEMA_VERSION,
        locale=locale,
        anonymised=anonymised,
        generated_at=iso(now),
        workshop=_cover(workshop, people),
        agenda=_agenda(workshop, items, now),
        sections=sections,
        broadcasts=_broadcasts(workshop),
        hidden_count=sum(s["hidden_count"] for s in sections),
        zoom_csv=_zoom_csvs(workshop, sections) if not anonymised else {},
    )
