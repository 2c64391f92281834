"""Editing the agenda (add, update, remove, reorder, the day's start) and commands through the pipeline."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from facilitator.agenda import operations
from facilitator.agenda.models import AgendaItem, ItemStatus
from facilitator.core.auth import Actor
from facilitator.core.clock import now_utc
from facilitator.core.commands import execute
from facilitator.core.errors import InvalidPayload, InvalidState
from facilitator.workshops.models import Workshop, WorkshopState

BERLIN = ZoneInfo("Europe/Berlin")


def at(hh: int, mm: int) -> datetime:
    return datetime(2022, 11, 30, hh, mm, tzinfo=BERLIN)


def item(workshop, title):
    return next(i for i in workshop.items if i.title == title)


def titles(workshop) -> list[str]:
    return [i.title for i in sorted(workshop.items, key=lambda i: i.position)]


def positions(workshop) -> list[int]:
    return [i.position for i in workshop.items]


def reload(db, workshop) -> Workshop:
    """The workshop as the database has it (after commit or rollback)."""
    db.session.expire_all()
    return db.session.get(Workshop, workshop.id)


@pytest.fixture
def started(workshop, clock, db):
    clock.set(at(9, 30))
    operations.start_day(workshop, now_utc())
    db.session.commit()
    return workshop


@pytest.fixture
def keynote_running(started, clock, db):
    clock.set(at(9, 40))
    operations.next_item(started, now_utc())
    db.session.commit()
    return started


def new_item(**fields):
    return {"title": "Kaffeepause", "kind": "break", "duration_s": 10 * 60, **fields}


# --- add --------------------------------------------------------------------------------------

def test_add_appends_at_the_end_by_default(workshop, db):
    added = operations.add_item(workshop, new_item())
    db.session.commit()

    workshop = reload(db, workshop)
    assert titles(workshop)[-1] == "Kaffeepause"
    assert positions(workshop) == list(range(11))
    added = item(workshop, "Kaffeepause")
    assert added.status is ItemStatus.pending
    assert added.duration_s == added.planned_duration_s == 600
    assert added.min_duration_s == 300  # default: half the duration
    assert added.extended_s == 0 and added.replanned_s == 0


@pytest.mark.parametrize("position, expected_index", [(0, 0), (3, 3), (99, 10)])
def test_add_at_a_position_before_the_day(workshop, db, position, expected_index):
    operations.add_item(workshop, new_item(), position)
    db.session.commit()
    workshop = reload(db, workshop)
    assert titles(workshop).index("Kaffeepause") == expected_index
    assert positions(workshop) == list(range(11))


def test_add_during_the_day_never_goes_before_what_ran(keynote_running, db):
    operations.add_item(keynote_running, new_item(), 0)
    db.session.commit()
    workshop = reload(db, keynote_running)
    # Begrüßung done, keynote running: the new item comes right after the running one
    assert titles(workshop)[:3] == ["Begrüßung", "Keynote durch RVR & bgmr", "Kaffeepause"]
    assert workshop.current_item.title == "Keynote durch RVR & bgmr"
    assert item(workshop, "Kaffeepause").status is ItemStatus.pending


def test_add_shows_in_the_projection(keynote_running, clock, db):
    from facilitator.agenda.timing import compute

    operations.add_item(keynote_running, new_item(), 2)
    db.session.flush()
    day = compute(keynote_running, keynote_running.items, now_utc())
    assert day.projected_end.astimezone(BERLIN).strftime("%H:%M") == "13:55"
    added = day.by_id[item(keynote_running, "Kaffeepause").id]
    assert added.projected_start.astimezone(BERLIN).strftime("%H:%M") == "09:50"
    lunch = day.by_id[item(keynote_running, "Mittagspause").id]
    assert lunch.projected_start.astimezone(BERLIN).strftime("%H:%M") == "11:50"


def test_add_after_the_day_ended_is_refused(workshop, db):
    workshop.state = WorkshopState.ended
    with pytest.raises(InvalidState) as err:
        operations.add_item(workshop, new_item())
    assert err.value.code == "workshop_ended"


def test_add_refuses_less_than_a_minute(workshop, db):
    with pytest.raises(InvalidPayload) as err:
        operations.add_item(workshop, new_item(duration_s=30))
    assert err.value.code == "duration_too_short"


# --- update -----------------------------------------------------------------------------------

def test_update_duration_before_the_day_changes_the_plan_too(workshop, clock, db):
    pause = item(workshop, "Pause")
    operations.update_item(workshop, pause, {"duration_s": 15 * 60, "title": "Kaffee"}, now_utc())
    db.session.commit()
    pause = item(reload(db, workshop), "Kaffee")
    assert pause.duration_s == pause.planned_duration_s == 15 * 60
    assert pause.extended_s == 0


def test_update_duration_during_the_day_keeps_the_plan(started, clock, db):
    pause = item(started, "Pause")
    operations.update_item(started, pause, {"duration_s": 15 * 60}, now_utc())
    db.session.commit()
    pause = item(reload(db, started), "Pause")
    assert pause.duration_s == 15 * 60
    assert pause.planned_duration_s == 10 * 60  # "as planned" stays what was planned


def test_update_duration_of_the_running_item_moves_its_clock(started, clock, db):
    clock.set(at(9, 33))
    running = started.current_item
    operations.update_item(started, running, {"duration_s": 12 * 60}, now_utc())
    assert running.ends_at == at(9, 42)
    assert running.remaining_at(now_utc()) == 9 * 60
    assert running.extended_s == 2 * 60
    assert running.planned_duration_s == 10 * 60


@pytest.mark.parametrize("status", ["done", "skipped"])
def test_update_duration_of_a_finished_item_is_refused(keynote_running, clock, db, status):
    begruessung = item(keynote_running, "Begrüßung")
    begruessung.status = ItemStatus(status)
    with pytest.raises(InvalidState) as err:
        operations.update_item(keynote_running, begruessung, {"duration_s": 5 * 60}, now_utc())
    assert err.value.code == "item_finished"
    assert begruessung.duration_s == 10 * 60


def test_update_notes_of_a_finished_item_is_allowed(keynote_running, clock, db):
    begruessung = item(keynote_running, "Begrüßung")
    operations.update_item(keynote_running, begruessung, {"notes": "lief gut"}, now_utc())
    assert begruessung.notes == "lief gut"


def test_update_keeps_the_minimum_within_the_duration(workshop, clock, db):
    pause = item(workshop, "Pause")
    operations.update_item(workshop, pause, {"min_duration_s": 20 * 60}, now_utc())
    assert pause.min_duration_s == pause.duration_s == 10 * 60


def test_update_refuses_unknown_fields(workshop, clock, db):
    pause = item(workshop, "Pause")
    with pytest.raises(InvalidPayload):
        operations.update_item(workshop, pause, {"status": "done"}, now_utc())


def test_update_pinned_time(workshop, clock, db):
    from facilitator.agenda.timing import compute

    operations.update_item(workshop, item(workshop, "Mittagspause"), {"pinned_at": time(12, 0)}, now_utc())
    day = compute(workshop, workshop.items, now_utc())
    lunch = day.by_id[item(workshop, "Mittagspause").id]
    assert lunch.planned_start.astimezone(BERLIN).strftime("%H:%M") == "12:00"


# --- remove -----------------------------------------------------------------------------------

def test_remove_a_pending_item_closes_the_gap(workshop, db):
    operations.remove_item(workshop, item(workshop, "Pause"))
    db.session.commit()
    workshop = reload(db, workshop)
    assert "Pause" not in titles(workshop)
    assert positions(workshop) == list(range(9))
    assert db.session.execute(db.select(AgendaItem).filter_by(title="Pause")).first() is None


@pytest.mark.parametrize("title", ["Begrüßung", "Keynote durch RVR & bgmr"], ids=["done", "running"])
def test_remove_an_item_that_ran_or_runs_is_refused(keynote_running, db, title):
    with pytest.raises(InvalidState) as err:
        operations.remove_item(keynote_running, item(keynote_running, title))
    assert err.value.code == "item_not_pending"
    assert title in titles(keynote_running)


# --- reorder ----------------------------------------------------------------------------------

def test_reorder_pending_items(workshop, db):
    ids = [i.id for i in workshop.items]
    new_order = ids[:4] + [ids[5], ids[4]] + ids[6:]  # Teil 1 before the Pause
    operations.reorder(workshop, new_order)
    db.session.commit()
    workshop = reload(db, workshop)
    assert [i.id for i in workshop.items] == new_order
    assert positions(workshop) == list(range(10))


def test_reorder_during_the_day_keeps_what_ran_in_place(keynote_running, db):
    ids = [i.id for i in keynote_running.items]
    later = ids[2:]
    operations.reorder(keynote_running, ids[:2] + list(reversed(later)))
    assert [i.id for i in keynote_running.items] == ids[:2] + list(reversed(later))


@pytest.mark.parametrize("order", [
    lambda ids: [ids[1], ids[0]] + ids[2:],          # swap done and running
    lambda ids: [ids[0], ids[2], ids[1]] + ids[3:],  # move the running item later
    lambda ids: [ids[2], ids[0], ids[1]] + ids[3:],  # put a pending item before what ran
], ids=["swap-done-running", "move-running", "pending-before-done"])
def test_reorder_refuses_to_move_items_that_ran(keynote_running, db, order):
    ids = [i.id for i in keynote_running.items]
    with pytest.raises(InvalidState) as err:
        operations.reorder(keynote_running, order(ids))
    assert err.value.code == "item_not_pending"
    db.session.rollback()
    assert [i.id for i in reload(db, keynote_running).items] == ids


@pytest.mark.parametrize("order", [
    lambda ids: ids[:-1],                 # one missing
    lambda ids: ids + [ids[0]],           # one twice
    lambda ids: ids[:-1] + [999_999],     # a foreign id
])
def test_reorder_needs_every_item_exactly_once(workshop, db, order):
    ids = [i.id for i in workshop.items]
    with pytest.raises(InvalidPayload) as err:
        operations.reorder(workshop, order(ids))
    assert err.value.code == "invalid_order"
    assert [i.id for i in workshop.items] == ids


# --- the day's start --------------------------------------------------------------------------

def test_set_day_start_before_the_day(workshop, db):
    from facilitator.agenda.timing import compute

    operations.set_day(workshop, time(9, 0), date(2022, 12, 1))
    db.session.commit()
    workshop = reload(db, workshop)
    assert workshop.day_starts_at == time(9, 0)
    assert workshop.date == date(2022, 12, 1)
    day = compute(workshop, workshop.items, now_utc())
    assert day.items[0].planned_start == datetime(2022, 12, 1, 9, 0, tzinfo=BERLIN)
    # the items before lunch now end 11:10; lunch stays pinned at 11:40
    assert day.by_id[item(workshop, "Mittagspause").id].planned_start == datetime(2022, 12, 1, 11, 40, tzinfo=BERLIN)


def test_set_day_start_after_the_start_is_refused(started, db):
    with pytest.raises(InvalidState) as err:
        operations.set_day(started, time(9, 0))
    assert err.value.code == "workshop_running"
    assert started.day_starts_at == time(9, 30)


# --- commands through the pipeline -----------------------------------------------------------

@pytest.fixture
def run(app, workshop, organiser):
    """Execute a command as the workshop's organiser, inside a request (as sockets and REST do)."""
    actor = Actor("organiser", workshop.id, user_id=organiser.id)

    def run(name, payload=None):
        with app.test_request_context("/"):
            return execute(name, actor, payload)

    return run


def snapshot(db, workshop):
    workshop = reload(db, workshop)
    return (workshop.seq, workshop.state.value, workshop.current_item_id,
            [(i.id, i.position, i.title, i.status.value, i.duration_s, i.ends_at, i.remaining_s) for i in workshop.items])


def test_a_command_bumps_the_sequence_once(run, workshop, clock, db):
    assert run("day.start")["ok"]
    assert reload(db, workshop).seq == 1
    assert run("agenda.extend", {"minutes": 5})["ok"]
    workshop = reload(db, workshop)
    assert workshop.seq == 2
    assert workshop.current_item.duration_s == 15 * 60


def test_a_refused_command_changes_nothing(run, workshop, clock, db):
    run("day.start")
    before = snapshot(db, workshop)
    ack = run("agenda.extend", {"minutes": -10})
    assert ack["ok"] is False
    assert ack["error"]["code"] == "duration_too_short" and ack["error"]["message"]
    assert snapshot(db, workshop) == before


def test_goto_an_earlier_item_changes_nothing(run, workshop, clock, db):
    """The guard fires after the jump began: the whole command must still be undone."""
    run("day.start")
    clock.advance(minutes=10)
    run("agenda.goto", {"item_id": item(workshop, "Pause").id})
    before = snapshot(db, workshop)
    ack = run("agenda.goto", {"item_id": item(reload(db, workshop), "Keynote durch RVR & bgmr").id})
    assert ack["ok"] is False
    assert ack["error"]["code"] == "item_not_pending"
    assert snapshot(db, workshop) == before


def test_replan_preview_changes_nothing_and_publishes_nothing(run, workshop, clock, db):
    clock.set(at(9, 30))
    run("day.start")
    clock.set(at(9, 40))
    run("agenda.next")
    clock.set(at(9, 54))
    run("agenda.next")
    before = snapshot(db, workshop)

    ack = run("agenda.replan.preview", {})
    assert ack["ok"]
    assert ack["remaining_drift_s"] == 0
    changes = {c["item_id"]: c["duration_s"] for c in ack["changes"]}
    workshop = reload(db, workshop)
    # 4 minutes taken in turns from the pending items before lunch (one minute each per turn)
    assert changes == {item(workshop, "Choose your fighter").id: 13 * 60, item(workshop, "Pause").id: 9 * 60,
                       item(workshop, "Arbeit in Themengruppen, Teil 1").id: 74 * 60}
    assert snapshot(db, workshop) == before  # same seq, same durations

    ack = run("agenda.replan", {})
    assert ack["ok"]
    assert {c["item_id"]: c["duration_s"] for c in ack["changes"]} == changes
    assert reload(db, workshop).seq == before[0] + 1
    assert item(reload(db, workshop), "Pause").duration_s == 9 * 60


def test_replan_with_an_unknown_item_is_refused(run, workshop, clock, db):
    run("day.start")
    before = snapshot(db, workshop)
    for name in ("agenda.replan", "agenda.replan.preview"):
        ack = run(name, {"item_ids": [999_999]})
        assert ack["ok"] is False and ack["error"]["code"] == "item_not_found", (name, ack)
    assert snapshot(db, workshop) == before


def test_add_item_command_returns_the_new_id(run, workshop, db):
    ack = run("agenda.item.add", {"title": "Kaffeepause", "kind": "break", "duration": 10, "position": 1})
    assert ack["ok"]
    added = db.session.get(AgendaItem, ack["item_id"])
    assert added.title == "Kaffeepause" and added.position == 1 and added.duration_s == 600


def test_update_item_command_in_minutes(run, workshop, db):
    pause = item(workshop, "Pause")
    ack = run("agenda.item.update", {"item_id": pause.id, "duration": 12, "min_duration": 6, "pinned_at": "10:20"})
    assert ack["ok"], ack
    pause = item(reload(db, workshop), "Pause")
    assert (pause.duration_s, pause.planned_duration_s, pause.min_duration_s) == (720, 720, 360)
    assert pause.pinned_at == time(10, 20)


def test_join_can_be_closed_and_reopened(run, workshop, db):
    assert run("workshop.join.set", {"is_open": False})["ok"]
    assert reload(db, workshop).is_join_open is False
    assert run("workshop.join.set", {"is_open": True})["ok"]
    assert reload(db, workshop).is_join_open is True
