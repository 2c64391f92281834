"""Group-choice operations ("Choose your fighter"). Never commit.

Capacity holds under concurrency: a choice is written first and the group counted afterwards
(refused and rolled back if that made it over capacity). On PostgreSQL the pipeline also locks
the workshop row (``SELECT … FOR UPDATE``); on SQLite the write takes the database's write lock,
and a count after one's own write sees every committed choice. (Making every SQLite transaction
``BEGIN IMMEDIATE`` would do too, but then every read-only session holds the write lock.)

Facilitators may put people into a full group (``group.move``): they decide deliberately, the
views then show the group over capacity. ``group.assign_undecided`` respects the capacity.
"""
from __future__ import annotations

from datetime import datetime

from ..core.errors import InvalidState, NotFound
from ..extensions import db
from .models import GroupChoice, GroupRound, ThemeGroup

#: Groups count as "very uneven" when the largest has this many more members than the smallest.
UNEVEN_DIFFERENCE = 3


#: The setting with which an item of another kind opens a choice round (the RVR lunch break).
OPENS_ROUND_SETTING = "opens_group_choice_round"


def item_round(item) -> int:
    """The round an agenda item shows the choice of: ``settings.round`` of a ``group_choice``
    item, or ``settings.opens_group_choice_round`` of an item that opens one (lunch); default 1."""
    settings = item.settings or {}
    try:
        return max(1, int(settings.get("round") or settings.get(OPENS_ROUND_SETTING) or 1))
    except (TypeError, ValueError):
        return 1


def groups_of(workshop) -> list[ThemeGroup]:
    return db.session.execute(
        db.select(ThemeGroup).filter_by(workshop_id=workshop.id).order_by(ThemeGroup.position, ThemeGroup.id)
    ).scalars().all()


def get_group(workshop, group_id: int) -> ThemeGroup:
    group = db.session.get(ThemeGroup, group_id)
    if group is None or group.workshop_id != workshop.id:
        raise NotFound("no such theme group in this workshop", code="group_not_found")
    return group


def round_row(workshop, round_no: int) -> GroupRound | None:
    return db.session.execute(
        db.select(GroupRound).filter_by(workshop_id=workshop.id, round=round_no)
    ).scalar_one_or_none()


def ensure_round(workshop, round_no: int) -> GroupRound:
    row = round_row(workshop, round_no)
    if row is None:
        row = GroupRound(workshop_id=workshop.id, round=round_no, is_open=False, is_locked=False, is_switch_required=False)
        db.session.add(row)
        db.session.flush()
    return row


def latest_open_round(workshop) -> int | None:
    return db.session.execute(
        db.select(db.func.max(GroupRound.round)).where(GroupRound.workshop_id == workshop.id, GroupRound.is_open.is_(True))
    ).scalar()


def resolve_round(workshop, round_no: int | None) -> GroupRound:
    """The given round, or the latest open one; refused if it is not open."""
    if round_no is None:
        round_no = latest_open_round(workshop)
    row = round_row(workshop, round_no) if round_no is not None else None
    if row is None or not row.is_open:
        raise InvalidState("the group choice of this round is not open", code="choice_not_open")
    return row


def choice_of(participant_id: int, round_no: int) -> GroupChoice | None:
    return db.session.execute(
        db.select(GroupChoice).filter_by(participant_id=participant_id, round=round_no)
    ).scalar_one_or_none()


def choices_in(workshop, round_no: int) -> list[GroupChoice]:
    return db.session.execute(
        db.select(GroupChoice).filter_by(workshop_id=workshop.id, round=round_no)
        .order_by(GroupChoice.assigned_at, GroupChoice.id)
    ).scalars().all()


def counts(workshop, round_no: int) -> dict[int, int]:
    rows = db.session.execute(
        db.select(GroupChoice.group_id, db.func.count(GroupChoice.id))
        .where(GroupChoice.workshop_id == workshop.id, GroupChoice.round == round_no).group_by(GroupChoice.group_id)
    ).all()
    return {group_id: n for group_id, n in rows}


# --- rounds -----------------------------------------------------------------------------------

def open_round(workshop, round_no: int, now: datetime) -> GroupRound:
    """Open a round for choices. A later round starts with everyone's previous group preselected
    (rows copied with ``assigned_by="carried"``), unless the round requires a switch."""
    row = ensure_round(workshop, round_no)
    if not row.is_open:
        row.is_open = True
        row.opened_at = now
        if round_no > 1 and not row.is_switch_required:
            carry_over(workshop, round_no, now)
    return row


def carry_over(workshop, round_no: int, now: datetime) -> int:
    """Copy round ``round_no - 1``'s choices to ``round_no`` for those without a choice there."""
    have = {c.participant_id for c in choices_in(workshop, round_no)}
    copied = 0
    for previous in choices_in(workshop, round_no - 1):
        if previous.participant_id not in have:
            db.session.add(GroupChoice(workshop_id=workshop.id, participant_id=previous.participant_id, round=round_no,
                                       group_id=previous.group_id, assigned_by="carried", assigned_at=now))
            copied += 1
    db.session.flush()
    return copied


def on_item_start(workshop, item, now: datetime) -> None:
    """Hook of the ``group_choice`` item kind: its round opens when the item starts."""
    open_round(workshop, item_round(item), now)


def on_item_finish(workshop, item, now: datetime) -> None:
    """The choice stays open after its item ends: the facilitator locks it (``group.lock``)."""


def set_locked(workshop, round_no: int | None, locked: bool) -> GroupRound:
    row = resolve_round(workshop, round_no)
    row.is_locked = locked
    return row


def set_require_switch(workshop, round_no: int, required: bool) -> GroupRound:
    """Require a different group than in the round before. Preselected (carried) choices of the
    same group are removed when this is switched on: they would not be allowed."""
    row = ensure_round(workshop, round_no)
    row.is_switch_required = required
    if required:
        previous = {c.participant_id: c.group_id for c in choices_in(workshop, round_no - 1)}
        for choice in choices_in(workshop, round_no):
            if choice.assigned_by == "carried" and previous.get(choice.participant_id) == choice.group_id:
                db.session.delete(choice)
        db.session.flush()
    return row


# --- choosing ---------------------------------------------------------------------------------

def _place(workshop, participant_id: int, group: ThemeGroup, round_no: int, by: str, now: datetime) -> GroupChoice:
    choice = choice_of(participant_id, round_no)
    if choice is None:
        choice = GroupChoice(workshop_id=workshop.id, participant_id=participant_id, round=round_no)
        db.session.add(choice)
    choice.group_id = group.id
    choice.assigned_by = by
    choice.assigned_at = now
    db.session.flush()
    return choice


def _check_switch(row: GroupRound, participant_id: int, group: ThemeGroup) -> None:
    if row.is_switch_required and row.round > 1:
        previous = choice_of(participant_id, row.round - 1)
        if previous is not None and previous.group_id == group.id:
            raise InvalidState("this round requires another group than the round before", code="switch_required")


def choose(workshop, participant_id: int, group_id: int, round_no: int | None, now: datetime) -> GroupChoice:
    """A participant's own tap on a group card."""
    row = resolve_round(workshop, round_no)
    if row.is_locked:
        raise InvalidState("the group choice is locked", code="choice_locked")
    group = get_group(workshop, group_id)
    current = choice_of(participant_id, row.round)
    if current is not None and current.group_id == group.id:
        if current.assigned_by != "self":  # confirming a preselection or an assignment makes it mine
            current.assigned_by, current.assigned_at = "self", now
        return current
    _check_switch(row, participant_id, group)
    if counts(workshop, row.round).get(group.id, 0) >= group.capacity:  # the common case, before writing
        raise InvalidState("this group is full", code="group_full")
    choice = _place(workshop, participant_id, group, row.round, "self", now)
    # written (write lock held): now the count includes every choice committed meanwhile
    if counts(workshop, row.round).get(group.id, 0) > group.capacity:
        raise InvalidState("this group is full", code="group_full")  # the pipeline rolls back
    return choice


def move(workshop, participant_id: int, group_id: int, round_no: int | None, now: datetime) -> GroupChoice:
    """A facilitator puts a participant into a group: also when locked or full (deliberately)."""
    from ..join.models import Participant

    row = resolve_round(workshop, round_no)
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.workshop_id != workshop.id:
        raise NotFound("no such participant in this workshop", code="participant_not_found")
    group = get_group(workshop, group_id)
    return _place(workshop, participant.id, group, row.round, "facilitator", now)


def online_participant_ids(workshop) -> list[int]:
    from ..join.models import Connection

    return sorted(set(db.session.execute(
        db.select(Connection.participant_id).filter(Connection.workshop_id == workshop.id,
                                                    Connection.participant_id.is_not(None))
    ).scalars()))


def undecided_ids(workshop, round_no: int) -> list[int]:
    """Online participants without a group in the round."""
    chosen = {c.participant_id for c in choices_in(workshop, round_no)}
    return [pid for pid in online_participant_ids(workshop) if pid not in chosen]


def assign_undecided(workshop, round_no: int | None, now: datetime) -> tuple[list[GroupChoice], int]:
    """Put every undecided online participant into the emptiest group with seats left (ties: the
    group listed first; with a required switch, not their previous group). Returns the new
    choices and how many found no seat."""
    row = resolve_round(workshop, round_no)
    groups = groups_of(workshop)
    taken = counts(workshop, row.round)
    previous = {c.participant_id: c.group_id for c in choices_in(workshop, row.round - 1)} if row.is_switch_required else {}
    placed, unplaced = [], 0
    for participant_id in undecided_ids(workshop, row.round):
        free = [g for g in groups if taken.get(g.id, 0) < g.capacity and previous.get(participant_id) != g.id]
        if not free:
            unplaced += 1
            continue
        group = min(free, key=lambda g: taken.get(g.id, 0))  # min() keeps the first of equals
        placed.append(_place(workshop, participant_id, group, row.round, "auto", now))
        taken[group.id] = taken.get(group.id, 0) + 1
    return placed, unplaced


def balance_suggestions(workshop, round_no: int | None) -> list[dict]:
    """Moves that would even out very uneven groups (largest minus smallest ≥ UNEVEN_DIFFERENCE).
    Suggests moving people who did not choose themselves first, then the latest choosers.
    Changes nothing."""
    row = resolve_round(workshop, round_no)
    groups = groups_of(workshop)
    if len(groups) < 2:
        return []
    members: dict[int, list[GroupChoice]] = {g.id: [] for g in groups}
    for choice in choices_in(workshop, row.round):
        members.setdefault(choice.group_id, []).append(choice)
    sizes = {g.id: len(members[g.id]) for g in groups}
    if max(sizes.values()) - min(sizes.values()) < UNEVEN_DIFFERENCE:
        return []
    previous = {c.participant_id: c.group_id for c in choices_in(workshop, row.round - 1)} if row.is_switch_required else {}
    by_id = {g.id: g for g in groups}
    # movable first: not chosen by themselves, then the latest choices
    queues = {gid: sorted(choices, key=lambda c: (c.assigned_by == "self", -c.assigned_at.timestamp(), -c.id))
              for gid, choices in members.items()}
    suggestions = []
    while True:
        largest = max(groups, key=lambda g: sizes[g.id])
        open_groups = [g for g in groups if sizes[g.id] < g.capacity]
        if not open_groups:
            break
        smallest = min(open_groups, key=lambda g: sizes[g.id])
        if sizes[largest.id] - sizes[smallest.id] <= 1 or not queues[largest.id]:
            break
        candidate = next((c for c in queues[largest.id] if previous.get(c.participant_id) != smallest.id), None)
        if candidate is None:
            break
        queues[largest.id].remove(candidate)
        sizes[largest.id] -= 1
        sizes[smallest.id] += 1
        suggestions.append({"participant_id": candidate.participant_id,
                            "from_group_id": largest.id, "to_group_id": smallest.id,
                            "from_group": by_id[largest.id].name, "to_group": smallest.name})
    return suggestions
