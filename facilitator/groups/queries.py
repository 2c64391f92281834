"""Group-choice views: the cards per audience, a participant's own choice, the summary, exports."""
from __future__ import annotations

import csv
import io

from ..core.clock import iso
from ..extensions import db
from . import operations
from .models import GroupChoice


def _participants(ids) -> dict:
    from ..join.models import Participant

    ids = list(ids)
    if not ids:
        return {}
    rows = db.session.execute(db.select(Participant).filter(Participant.id.in_(ids))).scalars()
    return {p.id: p for p in rows}


def round_state(workshop, round_no: int) -> dict:
    row = operations.round_row(workshop, round_no)
    return {
        "round": round_no,
        "is_open": bool(row and row.is_open),
        "is_locked": bool(row and row.is_locked),
        "is_switch_required": bool(row and row.is_switch_required),
    }


def groups_view(workshop, round_no: int, audience: str) -> list[dict]:
    """Each group with seats taken; names of members who gave one (participants), every member
    (facilitators), or counts only (projector)."""
    choices = operations.choices_in(workshop, round_no)
    people = _participants(c.participant_id for c in choices) if audience != "screen" else {}
    views = []
    for group in operations.groups_of(workshop):
        members = [c for c in choices if c.group_id == group.id]
        taken = len(members)
        view = {
            "id": group.id, "name": group.name, "description": group.description, "host_name": group.host_name,
            "capacity": group.capacity, "taken": taken, "seats_left": max(0, group.capacity - taken),
            "is_full": taken >= group.capacity,
        }
        if audience == "participant":
            names = [people[c.participant_id].display_name for c in members
                     if c.participant_id in people and people[c.participant_id].display_name]
            view["names"] = names
            view["unnamed_count"] = taken - len(names)
        elif audience == "facilitator":
            view["room_url"] = group.room_url
            view["members"] = [member_view(c, people.get(c.participant_id)) for c in members]
        views.append(view)
    return views


def member_view(choice: GroupChoice, participant) -> dict:
    return {"participant_id": choice.participant_id, "name": participant.display_name if participant else None,
            "assigned_by": choice.assigned_by, "assigned_at": iso(choice.assigned_at)}


def view(workshop, item, audience: str) -> dict:
    round_no = operations.item_round(item)
    result = {**round_state(workshop, round_no), "groups": groups_view(workshop, round_no, audience)}
    result["decided_count"] = sum(g["taken"] for g in result["groups"])
    if audience == "participant":
        # when a facilitator (or round 2's preselection) changed someone's group: phones fetch
        # their own choice again (a snapshot) — who was moved is not told to everyone
        changed = [c.assigned_at for c in operations.choices_in(workshop, round_no) if c.assigned_by != "self"]
        result["assignments_at"] = iso(max(changed)) if changed else None
    if audience == "facilitator":
        undecided = operations.undecided_ids(workshop, round_no)
        people = _participants(undecided)
        result["undecided"] = [{"participant_id": pid, "name": people[pid].display_name if pid in people else None}
                               for pid in undecided]
        result["exports"] = export_links(workshop, round_no)
    return result


def export_links(workshop, round_no: int) -> dict:
    from flask import has_request_context, url_for

    if not has_request_context():
        return {}
    return {
        "groups_csv": url_for("groups.export_groups", code=workshop.code, round=round_no),
        "zoom_csv": url_for("groups.export_zoom", code=workshop.code, round=round_no),
    }


def choice_view(choice: GroupChoice | None) -> dict | None:
    if choice is None:
        return None
    return {"group_id": choice.group_id, "round": choice.round, "assigned_by": choice.assigned_by,
            "assigned_at": iso(choice.assigned_at)}


def personal(workshop, item, actor) -> dict:
    round_no = operations.item_round(item)
    previous = operations.choice_of(actor.participant_id, round_no - 1) if round_no > 1 else None
    return {
        "choice": choice_view(operations.choice_of(actor.participant_id, round_no)),
        "previous_group_id": previous.group_id if previous else None,
    }


def summary(item) -> dict:
    """For the cockpit and the documentation: every group with its members."""
    from ..workshops.models import Workshop

    workshop = db.session.get(Workshop, item.workshop_id)
    round_no = operations.item_round(item)
    return {**round_state(workshop, round_no), "groups": groups_view(workshop, round_no, "facilitator")}


# --- exports ----------------------------------------------------------------------------------

def assignment_rows(workshop, round_no: int) -> list[tuple[str, str, str, str]]:
    """(group, name or "", assigned_by, e-mail or "") per member, group by group. People without a
    name stay anonymous; the e-mail only where the participant chose to give one."""
    choices = operations.choices_in(workshop, round_no)
    people = _participants(c.participant_id for c in choices)
    rows = []
    for group in operations.groups_of(workshop):
        for choice in (c for c in choices if c.group_id == group.id):
            participant = people.get(choice.participant_id)
            rows.append((group.name, (participant.display_name or "") if participant else "", choice.assigned_by,
                         (participant.email or "") if participant else ""))
    return rows


def _csv(header: list[str], rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe_cell(value) for value in row])
    return buffer.getvalue()


def _safe_cell(value: str) -> str:
    """No spreadsheet formulas from names people typed (CSV injection)."""
    value = str(value or "")
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def groups_csv(workshop, round_no: int) -> str:
    return _csv(["Group", "Name", "Assigned by"], [row[:3] for row in assignment_rows(workshop, round_no)])


def zoom_csv(workshop, round_no: int) -> str:
    """Zoom's breakout-room pre-assignment format (room name, e-mail). The e-mail is there only
    for participants who gave one at join; the others' rows (e-mail empty, with a third column,
    the name, where one was given) are the list for assigning by hand."""
    rows = [(group, email, name) for group, name, _by, email in assignment_rows(workshop, round_no)]
    return _csv(["Pre-assign Room Name", "Email Address", "Name"], rows)
