"""Capacity under concurrency: many people tap the last seat at once, exactly one gets it.

A real database race: each thread has its own app context (its own session and connection) and
runs the command pipeline. SQLite always; PostgreSQL when FACILITATOR_TEST_POSTGRES_URL is set
(skipped otherwise, failed under CI — as in tests/multiprocess).
"""
from __future__ import annotations

import os
import threading

import pytest

from facilitator.core.auth import Actor
from facilitator.core.commands import execute
from facilitator.extensions import db as _db
from tests.conftest import RVR, Factory, make_app

POSTGRES_ENV = "FACILITATOR_TEST_POSTGRES_URL"
THREADS = 12


def race(app, workshop_id: int, participant_ids: list[int], group_id: int) -> list[dict]:
    barrier = threading.Barrier(len(participant_ids))
    acks: list[dict] = []
    lock = threading.Lock()

    def tap(participant_id: int) -> None:
        with app.test_request_context("/"):
            barrier.wait()
            ack = execute("group.choose", Actor("participant", workshop_id, participant_id=participant_id),
                          {"group_id": group_id})
            _db.session.remove()
        with lock:
            acks.append(ack)

    threads = [threading.Thread(target=tap, args=(pid,)) for pid in participant_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(acks) == len(participant_ids), "a thread hung"
    return acks


def run_race(app, dialect: str, seats_left: int = 1) -> None:
    from facilitator.groups.models import GroupChoice
    from facilitator.groups.operations import groups_of

    assert _db.engine.dialect.name == dialect
    factory = Factory(_db)
    owner = factory.user("Olga Organisatorin", "olga-race@example.org")
    workshop = factory.workshop(owner, template=RVR)
    item = next(i for i in workshop.items if i.kind == "group_choice")
    with app.test_request_context("/"):
        ack = execute("agenda.goto", Actor("organiser", workshop.id, user_id=owner.id), {"item_id": item.id})
    assert ack["ok"], ack
    group = groups_of(workshop)[0]
    group.capacity = 5
    for index in range(group.capacity - seats_left):  # the group is nearly full
        _db.session.add(GroupChoice(workshop_id=workshop.id, participant_id=factory.participant(workshop, f"Früh {index}")[0].id,
                                    round=1, group_id=group.id, assigned_by="self"))
    _db.session.commit()
    tappers = [factory.participant(workshop, f"Schnell {index}")[0].id for index in range(THREADS)]
    workshop_id, group_id, capacity = workshop.id, group.id, group.capacity
    _db.session.remove()

    acks = race(app, workshop_id, tappers, group_id)

    winners = [a for a in acks if a["ok"]]
    refused = [a["error"]["code"] for a in acks if not a["ok"]]
    assert len(winners) == seats_left, acks
    assert set(refused) <= {"group_full", "busy"}, refused
    assert refused.count("group_full") >= len(refused) - 1, refused  # at most a rare "busy", never an overfill
    count = _db.session.scalar(_db.select(_db.func.count(GroupChoice.id)).filter_by(group_id=group_id, round=1))
    assert count == capacity


def test_last_seat_race_on_sqlite(tmp_path):
    with make_app(tmp_path / "instance") as app:
        run_race(app, "sqlite", seats_left=1)


def test_last_two_seats_race_on_sqlite(tmp_path):
    with make_app(tmp_path / "instance") as app:
        run_race(app, "sqlite", seats_left=2)


@pytest.fixture
def postgres_url():
    from tests.multiprocess import harness
    from tests.multiprocess.conftest import ci_requires_services

    server = os.environ.get(POSTGRES_ENV)
    if not server:
        reason = f"set {POSTGRES_ENV}=postgresql+psycopg://postgres@127.0.0.1:5432/test for the PostgreSQL race"
        if ci_requires_services():
            pytest.fail(f"CI is set, so this test must run: {reason}", pytrace=False)
        pytest.skip(reason)
    name, url = harness.create_database(server)
    try:
        yield url
    finally:
        harness.drop_database(server, name)
        assert not harness.database_exists(server, name)


def test_last_seat_race_on_postgresql(tmp_path, postgres_url):
    with make_app(tmp_path / "instance", SQLALCHEMY_DATABASE_URI=postgres_url) as app:
        run_race(app, "postgresql", seats_left=1)


# --- dot votes: one person taps "+" on several goals at once (two phones, a double tap) -----------

def run_dot_race(app, dialect: str) -> None:
    from facilitator.groups.models import GoalVote, GroupChoice
    from facilitator.groups.operations import groups_of

    assert _db.engine.dialect.name == dialect
    factory = Factory(_db)
    owner = factory.user("Olga Organisatorin", "olga-dots@example.org")
    workshop = factory.workshop(owner, template=RVR)
    group = groups_of(workshop)[0]
    voter = factory.participant(workshop, "Doppelt Tipperin")[0]
    _db.session.add(GroupChoice(workshop_id=workshop.id, participant_id=voter.id, round=1, group_id=group.id))
    _db.session.commit()
    item = next(i for i in workshop.items if i.kind == "breakout")
    with app.test_request_context("/"):
        assert execute("agenda.goto", Actor("organiser", workshop.id, user_id=owner.id), {"item_id": item.id})["ok"]
    goal_ids = [g.id for g in group.goals]
    workshop_id, voter_id = workshop.id, voter.id
    _db.session.remove()
    barrier = threading.Barrier(THREADS)
    acks, lock = [], threading.Lock()

    def tap(index: int) -> None:
        with app.test_request_context("/"):
            barrier.wait()
            ack = execute("workspace.vote", Actor("participant", workshop_id, participant_id=voter_id),
                          {"goal_id": goal_ids[index % len(goal_ids)]})
            _db.session.remove()
        with lock:
            acks.append(ack)

    threads = [threading.Thread(target=tap, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(acks) == THREADS, "a thread hung"
    refused = [a["error"]["code"] for a in acks if not a["ok"]]
    assert set(refused) <= {"no_dots_left", "busy"}, refused
    dots = _db.session.scalar(_db.select(_db.func.count(GoalVote.id)).filter_by(participant_id=voter_id, round=1))
    assert dots == 3 and len([a for a in acks if a["ok"]]) == 3, acks


def test_dot_votes_race_on_sqlite(tmp_path):
    with make_app(tmp_path / "instance") as app:
        run_dot_race(app, "sqlite")


def test_dot_votes_race_on_postgresql(tmp_path, postgres_url):
    with make_app(tmp_path / "instance", SQLALCHEMY_DATABASE_URI=postgres_url) as app:
        run_dot_race(app, "postgresql")
