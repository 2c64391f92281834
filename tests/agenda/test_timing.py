"""Agenda timers and the day's timing: transitions, pause/extend, overrun, drift and re-planning.

Domain tests: operations on the RVR workshop (the reference day), time moved by the frozen clock.
The clock fixture starts at 09:25 Berlin time on 30.11.2022; the RVR agenda starts at 09:30.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from facilitator.agenda import operations, timing
from facilitator.agenda.models import ItemStatus
from facilitator.core.clock import now_utc
from facilitator.core.errors import InvalidState
from facilitator.workshops.models import WorkshopState

BERLIN = ZoneInfo("Europe/Berlin")

BEGRUESSUNG = "Begrüßung"
KEYNOTE = "Keynote durch RVR & bgmr"
CLUSTER = "Clusterkette „Grüne Infrastruktur“"
CHOOSE = "Choose your fighter"
PAUSE = "Pause"
TEIL1 = "Arbeit in Themengruppen, Teil 1"
LUNCH = "Mittagspause"
TEIL2 = "Arbeit in Themengruppen, Teil 2"
BLITZLICHT = "Blitzlicht"
AUSBLICK = "Ausblick und Verabschiedung"


def at(hh: int, mm: int) -> datetime:
    """A clock time of the reference day (Berlin)."""
    return datetime(2022, 11, 30, hh, mm, tzinfo=BERLIN)


def hhmm(value: datetime) -> str:
    return value.astimezone(BERLIN).strftime("%H:%M")


def item(workshop, title):
    return next(i for i in workshop.items if i.title == title)


def statuses(workshop) -> dict[str, str]:
    return {i.title: i.status.value for i in workshop.items}


def day(workshop) -> timing.DayTiming:
    return timing.compute(workshop, workshop.items, now_utc())


def projected_start(workshop, title) -> str:
    return hhmm(day(workshop).by_id[item(workshop, title).id].projected_start)


@pytest.fixture
def started(workshop, clock, db):
    """The day started on time at 09:30: the Begrüßung runs."""
    clock.set(at(9, 30))
    operations.start_day(workshop, now_utc())
    db.session.commit()
    return workshop


def advance_to(workshop, clock, title):
    """Run the agenda on time (each item exactly its duration) until ``title`` runs."""
    while workshop.current_item.title != title:
        clock.advance(seconds=workshop.current_item.remaining_at(now_utc()))
        operations.next_item(workshop, now_utc())


@pytest.fixture
def keynote_overrun(started, clock):
    """The reference day at 09:54: the keynote (planned 09:40–09:50) still runs, 4 minutes over."""
    clock.set(at(9, 40))
    operations.next_item(started, now_utc())
    clock.set(at(9, 54))
    return started


# --- starting the day -------------------------------------------------------------------------

def test_start_day_runs_the_first_item_with_its_full_time(workshop, clock):
    clock.set(at(9, 30))
    first = operations.start_day(workshop, now_utc())

    assert first.title == BEGRUESSUNG
    assert workshop.state is WorkshopState.running
    assert workshop.started_at == now_utc()
    assert workshop.current_item is first
    assert first.status is ItemStatus.running
    assert first.started_at == now_utc()
    assert first.ends_at == at(9, 40)
    assert first.remaining_at(now_utc()) == 10 * 60
    assert all(i.status is ItemStatus.pending for i in workshop.items[1:])


def test_day_cannot_start_twice(started, clock):
    clock.advance(minutes=1)
    with pytest.raises(InvalidState) as err:
        operations.start_day(started, now_utc())
    assert err.value.code == "workshop_running"
    assert started.current_item.title == BEGRUESSUNG
    assert started.current_item.started_at == at(9, 30)


def test_empty_agenda_cannot_start(factory, organiser, clock):
    blank = factory.workshop(organiser, template=None)
    with pytest.raises(InvalidState) as err:
        operations.start_day(blank, now_utc())
    assert err.value.code == "agenda_empty"
    assert blank.state is WorkshopState.planned


def test_countdown_runs_down_without_any_server_tick(started, clock):
    current = started.current_item
    clock.advance(minutes=3, seconds=30)
    assert current.remaining_at(now_utc()) == 6 * 60 + 30
    assert current.ends_at == at(9, 40)  # nothing was written: the clock is data


# --- next / previous / goto -------------------------------------------------------------------

def test_next_finishes_the_item_and_starts_the_following_one(started, clock):
    clock.set(at(9, 38))
    following = operations.next_item(started, now_utc())

    begruessung = item(started, BEGRUESSUNG)
    assert begruessung.status is ItemStatus.done
    assert begruessung.ended_at == at(9, 38)
    assert begruessung.remaining_s == 2 * 60  # what was left when it ended
    assert following.title == KEYNOTE
    assert following.status is ItemStatus.running
    assert following.ends_at == at(9, 48)
    assert started.current_item is following


def test_next_after_the_last_item_ends_the_day(started, clock):
    advance_to(started, clock, AUSBLICK)
    clock.advance(minutes=10)
    assert operations.next_item(started, now_utc()) is None
    assert started.state is WorkshopState.ended
    assert started.ended_at == now_utc()
    assert started.current_item is None
    assert set(statuses(started).values()) == {"done"}
    with pytest.raises(InvalidState) as err:
        operations.next_item(started, now_utc())
    assert err.value.code == "workshop_ended"


def test_next_before_the_day_starts_is_refused(workshop, clock):
    with pytest.raises(InvalidState) as err:
        operations.next_item(workshop, now_utc())
    assert err.value.code == "workshop_planned"
    assert set(statuses(workshop).values()) == {"pending"}


def test_previous_resumes_the_earlier_item_with_its_time_left(started, clock):
    clock.set(at(9, 37))  # Begrüßung ends 3 minutes early
    operations.next_item(started, now_utc())
    clock.set(at(9, 39))
    back = operations.previous_item(started, now_utc())

    assert back.title == BEGRUESSUNG
    assert back.status is ItemStatus.running
    assert back.ended_at is None
    assert back.started_at == at(9, 30)  # it is the same run, continued
    assert back.remaining_at(now_utc()) == 3 * 60
    keynote = item(started, KEYNOTE)
    assert keynote.status is ItemStatus.pending  # the current item becomes not-yet-run again
    assert keynote.started_at is None and keynote.ends_at is None
    assert started.current_item is back


def test_previous_after_an_overrun_gives_no_negative_time(started, clock):
    clock.set(at(9, 42))  # two minutes over
    operations.next_item(started, now_utc())
    clock.advance(minutes=1)
    back = operations.previous_item(started, now_utc())
    assert back.remaining_at(now_utc()) == 0


def test_previous_on_the_first_item_is_refused(started, clock):
    with pytest.raises(InvalidState) as err:
        operations.previous_item(started, now_utc())
    assert err.value.code == "no_previous_item"
    assert started.current_item.title == BEGRUESSUNG
    assert started.current_item.status is ItemStatus.running


def test_previous_after_the_day_ended_reopens_the_last_item(started, clock):
    advance_to(started, clock, AUSBLICK)
    clock.advance(minutes=6)
    operations.next_item(started, now_utc())
    assert started.state is WorkshopState.ended

    back = operations.previous_item(started, now_utc())
    assert back.title == AUSBLICK
    assert back.remaining_at(now_utc()) == 4 * 60
    assert started.state is WorkshopState.running
    assert started.ended_at is None
    assert started.current_item is back


def test_goto_a_later_item_skips_the_items_in_between(started, clock):
    clock.set(at(9, 35))
    target = operations.goto_item(started, item(started, CHOOSE), now_utc())

    assert target.status is ItemStatus.running
    assert target.ends_at == at(9, 50)
    assert statuses(started) == {
        BEGRUESSUNG: "done", KEYNOTE: "skipped", CLUSTER: "skipped", CHOOSE: "running",
        PAUSE: "pending", TEIL1: "pending", LUNCH: "pending", TEIL2: "pending", BLITZLICHT: "pending",
        AUSBLICK: "pending",
    }
    # next continues after the target, not with a skipped item
    clock.advance(minutes=15)
    assert operations.next_item(started, now_utc()).title == PAUSE


def test_goto_before_the_day_starts_starts_the_day_there(workshop, clock):
    clock.set(at(9, 30))
    operations.goto_item(workshop, item(workshop, KEYNOTE), now_utc())
    assert workshop.state is WorkshopState.running
    assert workshop.started_at == at(9, 30)
    assert statuses(workshop)[BEGRUESSUNG] == "skipped"
    assert statuses(workshop)[KEYNOTE] == "running"


def test_previous_after_goto_undoes_the_jump(started, clock):
    clock.set(at(9, 35))
    operations.goto_item(started, item(started, CHOOSE), now_utc())
    clock.advance(minutes=1)
    operations.previous_item(started, now_utc())
    assert statuses(started)[BEGRUESSUNG] == "running"
    assert {statuses(started)[t] for t in (KEYNOTE, CLUSTER, CHOOSE)} == {"pending"}
    assert item(started, BEGRUESSUNG).remaining_at(now_utc()) == 5 * 60


@pytest.mark.parametrize("title", [BEGRUESSUNG, KEYNOTE], ids=["running", "done"])
def test_goto_an_item_that_ran_or_runs_is_refused(started, clock, title):
    clock.set(at(9, 40))
    operations.next_item(started, now_utc())  # Begrüßung done, keynote running
    with pytest.raises(InvalidState) as err:
        operations.goto_item(started, item(started, title), now_utc())
    assert err.value.code == "item_not_pending"


# --- pause / resume ---------------------------------------------------------------------------

def test_remaining_time_is_frozen_while_paused(started, clock):
    clock.set(at(9, 33))
    paused = operations.pause(started, now_utc())
    assert paused.status is ItemStatus.paused
    assert paused.remaining_at(now_utc()) == 7 * 60

    clock.advance(minutes=20)
    assert paused.remaining_at(now_utc()) == 7 * 60

    resumed = operations.resume(started, now_utc())
    assert resumed.status is ItemStatus.running
    assert resumed.ends_at == at(9, 53) + timedelta(minutes=7)
    clock.advance(minutes=2)
    assert resumed.remaining_at(now_utc()) == 5 * 60


@pytest.mark.parametrize("transition, state, code", [
    ("pause", "paused", "item_not_running"),
    ("resume", "running", "item_not_paused"),
])
def test_pause_and_resume_refuse_the_wrong_state(started, clock, transition, state, code):
    if state == "paused":
        operations.pause(started, now_utc())
    before = started.current_item.status
    with pytest.raises(InvalidState) as err:
        getattr(operations, transition)(started, now_utc())
    assert err.value.code == code
    assert started.current_item.status is before


@pytest.mark.parametrize("transition", ["pause", "resume", "next_item"])
def test_clock_commands_need_a_live_item(workshop, clock, transition):
    workshop.state = WorkshopState.running  # even in a running day: nothing is live
    with pytest.raises(InvalidState) as err:
        getattr(operations, transition)(workshop, now_utc())
    assert err.value.code == "nothing_running"


# --- extend -----------------------------------------------------------------------------------

@pytest.mark.parametrize("minutes", [1, 5, -1, -5])
@pytest.mark.parametrize("paused", [False, True], ids=["running", "paused"])
def test_extend_moves_the_clock(started, clock, minutes, paused):
    clock.set(at(9, 32))
    current = started.current_item
    if paused:
        operations.pause(started, now_utc())
    operations.extend(started, minutes * 60, now_utc())

    assert current.remaining_at(now_utc()) == (8 + minutes) * 60
    assert current.duration_s == (10 + minutes) * 60
    assert current.extended_s == minutes * 60
    assert current.planned_duration_s == 10 * 60  # the plan is history once the day runs
    assert current.status is (ItemStatus.paused if paused else ItemStatus.running)
    if not paused:
        assert current.ends_at == at(9, 40) + timedelta(minutes=minutes)


@pytest.mark.parametrize("paused", [False, True], ids=["running", "paused"])
def test_extend_refuses_to_shorten_below_one_minute(started, clock, paused):
    current = started.current_item
    if paused:
        operations.pause(started, now_utc())
    with pytest.raises(InvalidState) as err:
        operations.extend(started, -10 * 60, now_utc())
    assert err.value.code == "duration_too_short"
    assert current.duration_s == 10 * 60
    assert current.remaining_at(now_utc()) == 10 * 60

    operations.extend(started, -9 * 60, now_utc())  # exactly one minute is fine
    assert current.duration_s == 60


def test_extend_shows_in_the_projection(started, clock):
    operations.extend(started, 5 * 60, now_utc())
    assert projected_start(started, KEYNOTE) == "09:45"
    assert hhmm(day(started).projected_end) == "13:50"


def test_extend_needs_a_live_item(workshop, clock):
    with pytest.raises(InvalidState) as err:
        operations.extend(workshop, 60, now_utc())
    assert err.value.code == "nothing_running"


# --- overrun ----------------------------------------------------------------------------------

def test_overrun_counts_negative_and_the_projection_follows_now(started, clock):
    clock.set(at(9, 43))
    current = started.current_item
    assert current.remaining_at(now_utc()) == -3 * 60
    assert current.status is ItemStatus.running  # nothing ends by itself
    assert projected_start(started, KEYNOTE) == "09:43"
    assert day(started).drift_s == 3 * 60

    clock.advance(minutes=1)
    assert current.remaining_at(now_utc()) == -4 * 60
    assert projected_start(started, KEYNOTE) == "09:44"
    assert day(started).drift_s == 4 * 60


def test_a_paused_item_pushes_the_day_while_the_pause_lasts(started, clock):
    clock.set(at(9, 35))
    operations.pause(started, now_utc())
    clock.set(at(9, 45))
    assert projected_start(started, KEYNOTE) == "09:50"
    assert day(started).drift_s == 10 * 60


# --- drift projection: the reference day ------------------------------------------------------

def test_plan_of_the_reference_day_before_the_start(workshop, clock):
    timings = day(workshop)
    planned = [hhmm(t.planned_start) for t in timings.items]
    assert planned == ["09:30", "09:40", "09:50", "10:00", "10:15", "10:25", "11:40", "12:10", "13:20", "13:35"]
    assert [hhmm(t.projected_start) for t in timings.items] == planned
    assert hhmm(timings.planned_end) == hhmm(timings.projected_end) == "13:45"
    assert timings.drift_s == 0


def test_starting_late_shows_as_drift(workshop, clock):
    clock.set(at(9, 35))
    operations.start_day(workshop, now_utc())
    assert day(workshop).drift_s == 5 * 60
    assert projected_start(workshop, KEYNOTE) == "09:45"
    assert hhmm(day(workshop).projected_end) == "13:50"


def test_reference_day_keynote_overrun_moves_the_end_of_the_day(keynote_overrun):
    workshop = keynote_overrun
    timings = day(workshop)

    assert item(workshop, KEYNOTE).remaining_at(now_utc()) == -4 * 60
    assert timings.drift_s == 4 * 60  # the cockpit shows "+4 min"
    assert hhmm(timings.projected_end) == "13:49"
    assert hhmm(timings.planned_end) == "13:45"
    # lunch has not been reached: it is pinned to 11:40 but the morning pushes it to 11:44
    assert item(workshop, LUNCH).status is ItemStatus.pending
    lunch = timings.by_id[item(workshop, LUNCH).id]
    assert hhmm(lunch.planned_start) == "11:40"
    assert hhmm(lunch.projected_start) == "11:44"
    assert lunch.drift_s == 4 * 60
    assert [projected_start(workshop, t) for t in (CLUSTER, CHOOSE, PAUSE, TEIL1, TEIL2, BLITZLICHT, AUSBLICK)] == [
        "09:54", "10:04", "10:19", "10:29", "12:14", "13:24", "13:39"]


def test_slack_before_a_pinned_item_absorbs_drift(workshop, clock, db):
    """An item pinned later than the items before it reach keeps its time until the slack is used."""
    operations.update_item(workshop, item(workshop, LUNCH), {"pinned_at": time(11, 50)}, now_utc())
    clock.set(at(9, 30))
    operations.start_day(workshop, now_utc())
    clock.set(at(9, 44))  # 4 minutes over, but 10 minutes of slack before lunch
    assert projected_start(workshop, LUNCH) == "11:50"
    clock.set(at(9, 55))  # 15 minutes over: 5 more than the slack
    assert projected_start(workshop, LUNCH) == "11:55"


# --- re-planning ------------------------------------------------------------------------------

@pytest.fixture
def choosing(keynote_overrun, clock):
    """10:05 on the reference day: the keynote ended 4 minutes late, "Choose your fighter" runs."""
    workshop = keynote_overrun
    operations.next_item(workshop, now_utc())  # 09:54 Clusterkette
    clock.set(at(10, 4))
    operations.next_item(workshop, now_utc())  # 10:04 Choose your fighter
    clock.set(at(10, 5))
    assert workshop.current_item.title == CHOOSE
    return workshop


def test_reference_day_replan_takes_the_drift_out_of_pause_and_teil1(choosing):
    workshop = choosing
    chosen = {item(workshop, PAUSE).id, item(workshop, TEIL1).id}
    proposal = operations.replan(workshop, now_utc(), chosen)

    assert proposal.changes == {item(workshop, PAUSE).id: 8 * 60, item(workshop, TEIL1).id: 73 * 60}
    assert proposal.remaining_drift_s == 0
    assert item(workshop, PAUSE).duration_s == 8 * 60
    assert item(workshop, TEIL1).duration_s == 73 * 60
    assert item(workshop, PAUSE).replanned_s == -2 * 60
    assert item(workshop, TEIL1).replanned_s == -2 * 60
    assert item(workshop, PAUSE).planned_duration_s == 10 * 60  # "as planned" stays
    assert projected_start(workshop, LUNCH) == "11:40"
    assert hhmm(day(workshop).projected_end) == "13:45"
    assert day(workshop).drift_s == 0
    # nothing else was touched
    untouched = [i for i in workshop.items if i.title not in (PAUSE, TEIL1)]
    assert all(i.duration_s == i.planned_duration_s for i in untouched)


def test_replan_never_goes_below_the_minimum_and_reports_what_is_left(started, clock):
    workshop = started
    clock.set(at(9, 40))
    operations.next_item(workshop, now_utc())
    clock.set(at(10, 50))  # the keynote overran by an hour
    operations.next_item(workshop, now_utc())
    chosen = {item(workshop, PAUSE).id, item(workshop, TEIL1).id}

    proposal = operations.replan(workshop, now_utc(), chosen)

    assert item(workshop, PAUSE).duration_s == item(workshop, PAUSE).min_duration_s == 5 * 60
    assert item(workshop, TEIL1).duration_s == item(workshop, TEIL1).min_duration_s == 45 * 60
    assert proposal.remaining_drift_s == 25 * 60  # 60 late, 35 absorbed
    assert projected_start(workshop, LUNCH) == "12:05"
    assert hhmm(day(workshop).projected_end) == "14:10"


def test_replan_of_everything_shares_the_cut_and_keeps_lunch_pinned(choosing):
    workshop = choosing
    proposal = operations.replan(workshop, now_utc(), None)
    # 4 minutes, taken one at a time in turns from the pending items before lunch
    assert proposal.changes == {item(workshop, PAUSE).id: 8 * 60, item(workshop, TEIL1).id: 73 * 60}
    assert projected_start(workshop, LUNCH) == "11:40"
    assert proposal.remaining_drift_s == 0


def test_replan_never_shortens_pinned_or_running_items(choosing):
    workshop = choosing
    lunch, running = item(workshop, LUNCH), item(workshop, CHOOSE)
    proposal = operations.replan(workshop, now_utc(), {lunch.id, running.id})
    assert proposal.changes == {}
    assert lunch.duration_s == 30 * 60
    assert running.duration_s == 15 * 60
    assert proposal.remaining_drift_s == 4 * 60
    assert projected_start(workshop, LUNCH) == "11:44"


def test_replan_later_items_absorb_a_late_lunch(choosing):
    """Only items after lunch chosen: lunch stays late, the end of the day is recovered."""
    workshop = choosing
    proposal = operations.replan(workshop, now_utc(), {item(workshop, TEIL2).id})
    assert proposal.changes == {item(workshop, TEIL2).id: 66 * 60}
    assert projected_start(workshop, LUNCH) == "11:44"
    assert hhmm(day(workshop).projected_end) == "13:45"
    assert proposal.remaining_drift_s == 0


def test_replan_with_no_drift_changes_nothing(started, clock):
    clock.set(at(9, 36))
    proposal = operations.replan(started, now_utc(), None)
    assert proposal.changes == {}
    assert proposal.remaining_drift_s == 0
    assert all(i.duration_s == i.planned_duration_s for i in started.items)


def test_replan_preview_changes_nothing(choosing):
    workshop = choosing
    before = {i.id: (i.duration_s, i.replanned_s) for i in workshop.items}
    proposal = timing.propose_replan(workshop, workshop.items, now_utc(), None)
    assert proposal.changes  # there is something to propose …
    assert {i.id: (i.duration_s, i.replanned_s) for i in workshop.items} == before  # … but nothing changed
    assert projected_start(workshop, LUNCH) == "11:44"


def test_replan_needs_a_running_day(workshop, clock):
    with pytest.raises(InvalidState) as err:
        operations.replan(workshop, now_utc(), None)
    assert err.value.code == "workshop_planned"
