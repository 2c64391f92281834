"""Retention and deletion: the retention date, the purge of personal data, deleting a workshop.

The deletion test fills two workshops with rows in every table (the RVR day run through, plus
the rows the day does not make), deletes one, and sweeps every table of the metadata: no row
that belongs to the deleted workshop — directly or through foreign keys — is left, and the other
workshop's rows are exactly as before. On SQLite always; on PostgreSQL too when
FACILITATOR_TEST_POSTGRES_URL is set (its own database, dropped afterwards).
"""
from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from facilitator.core.clock import FrozenClock
from facilitator.extensions import db as _db
from tests.conftest import PASSWORD, REFERENCE_MORNING, Factory, make_app
from tests.export.scenario import run_rvr_day

POSTGRES_ENV = "FACILITATOR_TEST_POSTGRES_URL"
#: Tables that do not belong to any workshop.
NOT_WORKSHOP_DATA = {"users", "setup_tokens"}
#: Participants per filled workshop (the scenario's group work needs three in the first group).
PEOPLE = 15


# --- filling a workshop ------------------------------------------------------------------------

def fill(factory, organiser, clock, participants: int = PEOPLE):
    """A workshop with rows in every table that can belong to a workshop; returns it (committed)."""
    from facilitator.export.jobs import create_job
    from facilitator.export.models import JobState
    from facilitator.groups.models import DraftGoal, GoalVote, GroupSummary, ThemeGroup, WorkspacePost
    from facilitator.join.models import Connection, Participant

    workshop = factory.workshop(organiser)
    factory.member(workshop, factory.user("Fritz Facilitator"), "facilitator")
    run_rvr_day(factory, workshop, organiser, clock, participants=participants, terms_each=1)
    people = _db.session.execute(select(Participant).filter_by(workshop_id=workshop.id)).scalars().all()
    author = people[1]
    author.email = "zyx.person@example.org"
    author.organisation = "Stadt Zyxhausen"
    group = _db.session.execute(select(ThemeGroup).filter_by(workshop_id=workshop.id)).scalars().first()
    group.host_participant_id = author.id
    goal = group.goals[0]
    proposed = DraftGoal(group_id=group.id, position=99, text="Mehr Bäume an Schulen", origin="participant",
                         proposed_by_id=author.id, proposed_in_round=1, created_at=clock.at)
    _db.session.add(proposed)
    _db.session.add_all([
        WorkspacePost(workshop_id=workshop.id, group_id=group.id, round=1, kind="comment", goal_id=goal.id,
                      text="Guter Punkt", participant_id=author.id),
        GoalVote(workshop_id=workshop.id, group_id=group.id, goal_id=goal.id, participant_id=author.id, round=1),
        GroupSummary(workshop_id=workshop.id, group_id=group.id, round=9, text="Die Gruppe will mehr Tempo."),
        Connection(sid=f"sid-{workshop.code}-p", workshop_id=workshop.id, role="participant", participant_id=author.id),
        Connection(sid=f"sid-{workshop.code}-o", workshop_id=workshop.id, role="organiser", user_id=organiser.id),
    ])
    job = create_job(workshop, "md", anonymised=False, user=organiser)
    job.state, job.result, job.filename = JobState.done, b"# Zyx Person001", "doku.md"
    _db.session.commit()
    return workshop


# --- what belongs to a workshop ----------------------------------------------------------------

def row_key(table, row) -> tuple:
    return tuple(row._mapping[c.name] for c in table.primary_key.columns) or tuple(row)


def owned_rows(workshop_id: int) -> dict[str, dict[tuple, tuple]]:
    """Every row of every table that belongs to the workshop: the workshop itself, rows that
    point at it, and rows that point at those (foreign keys followed to a fixed point).
    ``{table: {primary key: all values}}``."""
    _db.session.expire_all()
    with _db.engine.connect() as conn:
        rows = {t.name: conn.execute(t.select()).all() for t in _db.metadata.sorted_tables}
    owned: dict[str, dict[tuple, tuple]] = {t.name: {} for t in _db.metadata.sorted_tables}
    workshops = _db.metadata.tables["workshops"]
    owned["workshops"] = {row_key(workshops, r): tuple(r) for r in rows["workshops"] if r.id == workshop_id}
    changed = True
    while changed:
        changed = False
        for table in _db.metadata.sorted_tables:
            if table.name in ("workshops", *NOT_WORKSHOP_DATA):
                continue
            for fk in table.foreign_keys:
                parent = fk.column.table
                if parent.name in NOT_WORKSHOP_DATA:
                    continue
                parent_values = {r._mapping[fk.column.name] for r in rows[parent.name]
                                 if row_key(parent, r) in owned[parent.name]}
                for r in rows[table.name]:
                    key = row_key(table, r)
                    if key not in owned[table.name] and r._mapping[fk.parent.name] in parent_values:
                        owned[table.name][key] = tuple(r)
                        changed = True
    return owned


def workshop_related_tables() -> set[str]:
    """Tables with a foreign-key path to ``workshops``."""
    related = {"workshops"}
    changed = True
    while changed:
        changed = False
        for table in _db.metadata.sorted_tables:
            if table.name not in related and any(fk.column.table.name in related for fk in table.foreign_keys):
                related.add(table.name)
                changed = True
    return related


def dangling_references() -> list[str]:
    """Foreign-key values that point at no row (what a delete without cascades leaves)."""
    problems = []
    with _db.engine.connect() as conn:
        for table in _db.metadata.sorted_tables:
            for fk in table.foreign_keys:
                parent_ids = set(conn.execute(select(fk.column)).scalars())
                values = {v for v in conn.execute(select(fk.parent)).scalars() if v is not None}
                if values - parent_ids:
                    problems.append(f"{table.name}.{fk.parent.name} -> {fk.column.table.name}: {sorted(values - parent_ids)}")
    return problems


def workshop_id_columns_mentioning(workshop_id: int) -> list[str]:
    """Any column called ``workshop_id`` (with or without a foreign key) still holding the id."""
    found = []
    with _db.engine.connect() as conn:
        for table in _db.metadata.sorted_tables:
            if "workshop_id" in table.c:
                count = conn.execute(select(_db.func.count()).select_from(table)
                                     .where(table.c.workshop_id == workshop_id)).scalar_one()
                if count:
                    found.append(f"{table.name}: {count}")
    return found


# --- deletion on SQLite and PostgreSQL ---------------------------------------------------------

def database_urls():
    yield pytest.param(None, id="sqlite")
    yield pytest.param(os.environ.get(POSTGRES_ENV), id="postgresql", marks=pytest.mark.skipif(
        not os.environ.get(POSTGRES_ENV), reason=f"set {POSTGRES_ENV} to run the deletion sweep on PostgreSQL"))


@pytest.fixture(params=list(database_urls()))
def any_db_app(request, tmp_path):
    """An app on SQLite, or on a fresh PostgreSQL database of FACILITATOR_TEST_POSTGRES_URL."""
    server = request.param
    if server is None:
        with make_app(tmp_path / "instance") as app:
            yield app
        return
    from tests.multiprocess import harness

    name, url = harness.create_database(server)
    try:
        with make_app(tmp_path / "instance", SQLALCHEMY_DATABASE_URI=url) as app:
            yield app
    finally:
        harness.drop_database(server, name)


def test_deleting_a_workshop_leaves_nothing_of_it_and_touches_nothing_else(any_db_app):
    from facilitator.export.retention import delete_workshop
    from facilitator.workshops.models import Workshop

    factory = Factory(_db)
    organiser = factory.user("Olga Organisatorin", "olga@example.org")
    with FrozenClock(REFERENCE_MORNING) as clock:
        doomed = fill(factory, organiser, clock)
        kept = fill(factory, organiser, clock)
    doomed_id, kept_id = doomed.id, kept.id

    before = owned_rows(doomed_id)
    related = workshop_related_tables()
    empty = sorted(t for t in related if not before[t])
    assert not empty, f"the test workshop has no rows in {empty}: fill them in fill()"
    kept_before = owned_rows(kept_id)
    users_before = _db.session.execute(select(_db.func.count()).select_from(_db.metadata.tables["users"])).scalar_one()

    delete_workshop(_db.session.get(Workshop, doomed_id))
    _db.session.commit()

    after = owned_rows(doomed_id)
    left = {table: len(rows) for table, rows in after.items() if rows}
    assert not left, f"rows of the deleted workshop are left: {left}"
    assert not workshop_id_columns_mentioning(doomed_id)
    assert not dangling_references()
    assert owned_rows(kept_id) == kept_before, "the other workshop changed"
    assert _db.session.execute(select(_db.func.count()).select_from(_db.metadata.tables["users"])).scalar_one() == users_before


def test_deletion_refuses_on_sqlite_without_foreign_keys(app, factory, organiser):
    """Without ``PRAGMA foreign_keys=ON`` the cascades would not run: nothing is deleted."""
    from facilitator.export.retention import delete_workshop
    from facilitator.workshops.models import Workshop

    workshop = factory.workshop(organiser)
    connection = _db.session.connection()
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        with pytest.raises(RuntimeError, match="foreign keys"):
            delete_workshop(workshop)
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    _db.session.rollback()
    assert _db.session.get(Workshop, workshop.id) is not None


# --- the retention date ------------------------------------------------------------------------

def test_default_retention_is_90_days_after_the_workshop_day(workshop):
    from facilitator.export.retention import is_expired, retention_date

    assert workshop.date == date(2022, 11, 30)
    assert retention_date(workshop) == date(2023, 2, 28)
    berlin_noon = lambda d: datetime(d.year, d.month, d.day, 11, 0, tzinfo=timezone.utc)  # noqa: E731
    assert not is_expired(workshop, berlin_noon(date(2023, 2, 28)))  # kept until the end of that day
    assert is_expired(workshop, berlin_noon(date(2023, 3, 1)))
    # 23:30 UTC on the 28th is already the 1st in Berlin
    assert is_expired(workshop, datetime(2023, 2, 28, 23, 30, tzinfo=timezone.utc))


def test_the_day_it_ended_counts_when_it_was_ended(workshop, db):
    from facilitator.export.retention import retention_date

    workshop.ended_at = datetime(2022, 12, 2, 16, 0, tzinfo=timezone.utc)
    assert retention_date(workshop) == date(2023, 3, 2)


def test_without_a_date_the_day_of_creation_counts(factory, organiser):
    from facilitator.export.retention import retention_date

    with FrozenClock(REFERENCE_MORNING):
        workshop = factory.workshop(organiser, template=None, title="Ohne Datum")
    assert workshop.date is None
    assert retention_date(workshop) == date(2022, 11, 30) + timedelta(days=90)


def test_the_global_setting_applies_to_new_workshops(tmp_path):
    from facilitator.export.retention import retention_date

    with make_app(tmp_path / "instance", RETENTION_DAYS=30) as app:
        factory = Factory(_db)
        workshop = factory.workshop(factory.user())
        assert workshop.retention_days == 30
        assert retention_date(workshop) == date(2022, 12, 30)


def test_organisers_choose_a_date_within_limits(workshop, db):
    from facilitator.core.errors import InvalidPayload
    from facilitator.export.retention import MAX_RETENTION_DAYS, retention_date, set_retention_date

    now = datetime(2022, 12, 1, 9, 0, tzinfo=timezone.utc)
    set_retention_date(workshop, date(2022, 12, 24), now)
    assert retention_date(workshop) == date(2022, 12, 24)
    for wrong in (date(2022, 11, 30), date(2022, 12, 1) + timedelta(days=MAX_RETENTION_DAYS + 1)):
        with pytest.raises(InvalidPayload) as refused:
            set_retention_date(workshop, wrong, now)
        assert refused.value.code == "invalid_retention_date"
    assert retention_date(workshop) == date(2022, 12, 24)
    set_retention_date(workshop, None, now)
    assert retention_date(workshop) == date(2023, 2, 28)


# --- purging personal data ---------------------------------------------------------------------

@pytest.fixture
def two_days(app, factory, organiser):
    """(expired workshop, other workshop): both run; the second is kept for longer."""
    with FrozenClock(REFERENCE_MORNING) as clock:
        expired = fill(factory, organiser, clock)
        other = fill(factory, organiser, clock)
    other.retain_until = date(2099, 1, 1)
    _db.session.commit()
    return expired, other


def snapshot(workshop_id: int) -> dict:
    return owned_rows(workshop_id)


def test_purge_removes_personal_data_and_keeps_the_content(two_days):
    from facilitator.blitzlicht.models import Statement
    from facilitator.clusters.models import ClusterEntry, ClusterTerm
    from facilitator.export.models import ExportJob
    from facilitator.export.retention import expired_workshops, purge_personal_data
    from facilitator.groups.models import DraftGoal, GoalVote, GroupChoice, ThemeGroup, WorkspacePost
    from facilitator.join.models import Connection, Participant
    from facilitator.polls.models import PollVote

    expired, other = two_days
    after_retention = datetime(2023, 3, 1, 12, 0, tzinfo=timezone.utc)
    assert [w.id for w in expired_workshops(after_retention)] == [expired.id]
    other_before = snapshot(other.id)
    wid = expired.id
    contents_before = content_of(wid)
    org_types_before = sorted(filter(None, _db.session.execute(
        select(Participant.organisation_type).filter_by(workshop_id=wid)).scalars()))
    hashes_before = set(_db.session.execute(select(Participant.token_hash).filter_by(workshop_id=wid)).scalars())
    n_people = len(hashes_before)

    report = purge_personal_data(expired, now=after_retention)
    _db.session.commit()

    assert report.participants == n_people and report.author_links > 0 and report.connections == 2 and report.exports == 1
    people = _db.session.execute(select(Participant).filter_by(workshop_id=wid)).scalars().all()
    assert len(people) == n_people, "participant rows stay (anonymous) so that counts and breakdowns hold"
    assert all(p.display_name is None and p.organisation is None and p.email is None for p in people)
    assert sorted(filter(None, (p.organisation_type for p in people))) == org_types_before
    assert not hashes_before & {p.token_hash for p in people}, "old participant cookies must not match any more"
    items = [i.id for i in expired.items]
    groups = [g.id for g in _db.session.execute(select(ThemeGroup).filter_by(workshop_id=wid)).scalars()]
    assert not _db.session.execute(select(Statement).where(Statement.item_id.in_(items), Statement.participant_id.is_not(None))).first()
    terms = select(ClusterTerm.id).where(ClusterTerm.item_id.in_(items))
    assert not _db.session.execute(select(ClusterEntry).where(ClusterEntry.term_id.in_(terms), ClusterEntry.participant_id.is_not(None))).first()
    assert not _db.session.execute(select(WorkspacePost).where(WorkspacePost.workshop_id == wid, WorkspacePost.participant_id.is_not(None))).first()
    assert not _db.session.execute(select(DraftGoal).where(DraftGoal.group_id.in_(groups), DraftGoal.proposed_by_id.is_not(None))).first()
    assert not _db.session.execute(select(ThemeGroup).where(ThemeGroup.workshop_id == wid, ThemeGroup.host_participant_id.is_not(None))).first()
    assert not _db.session.execute(select(Connection).filter_by(workshop_id=wid)).first()
    assert not _db.session.execute(select(ExportJob).filter_by(workshop_id=wid)).first()
    # the content stays: every text, term, vote, choice and dot
    assert content_of(wid) == contents_before
    assert _db.session.execute(select(_db.func.count()).select_from(PollVote).join(Participant).where(Participant.workshop_id == wid)).scalar_one()
    assert _db.session.execute(select(_db.func.count()).select_from(GroupChoice).filter_by(workshop_id=wid)).scalar_one()
    assert _db.session.execute(select(_db.func.count()).select_from(GoalVote).filter_by(workshop_id=wid)).scalar_one()
    # once only, and the other workshop is untouched
    assert _db.session.get(type(expired), wid).personal_data_deleted_at == after_retention
    assert expired_workshops(after_retention) == []
    assert snapshot(other.id) == other_before


def content_of(workshop_id: int) -> dict:
    """The anonymous content of a workshop: texts of statements, terms, posts, goals, votes."""
    from facilitator.agenda.models import AgendaItem
    from facilitator.blitzlicht.models import Statement
    from facilitator.clusters.models import ClusterTerm
    from facilitator.groups.models import DraftGoal, GroupSummary, ThemeGroup, WorkspacePost
    from facilitator.polls.models import Poll, PollVote

    items = select(AgendaItem.id).where(AgendaItem.workshop_id == workshop_id)
    polls = select(Poll.id).where(Poll.workshop_id == workshop_id)
    groups = select(ThemeGroup.id).where(ThemeGroup.workshop_id == workshop_id)
    q = lambda stmt: sorted(map(repr, _db.session.execute(stmt).all()))  # noqa: E731
    return {
        "statements": q(select(Statement.text, Statement.mood, Statement.is_hidden).where(Statement.item_id.in_(items))),
        "terms": q(select(ClusterTerm.text, ClusterTerm.count).where(ClusterTerm.item_id.in_(items))),
        "votes": q(select(PollVote.poll_id, PollVote.choices, PollVote.text).where(PollVote.poll_id.in_(polls))),
        "posts": q(select(WorkspacePost.text).where(WorkspacePost.workshop_id == workshop_id)),
        "goals": q(select(DraftGoal.text).where(DraftGoal.group_id.in_(groups))),
        "summaries": q(select(GroupSummary.text).where(GroupSummary.workshop_id == workshop_id)),
    }


def test_old_participant_cookie_is_not_recognised_after_the_purge(app, factory, organiser, workshop):
    from facilitator.core.auth import participant_cookie
    from facilitator.export.retention import purge_personal_data

    _participant, token = factory.participant(workshop, name="Zyx Person", org_type="kommune")
    client = app.test_client()
    client.set_cookie(participant_cookie(workshop), token)
    assert client.get(f"/j/{workshop.code}/live").status_code == 200
    purge_personal_data(workshop)
    _db.session.commit()
    response = client.get(f"/j/{workshop.code}/live")
    assert response.status_code == 302 and response.location.endswith(f"/j/{workshop.code}")  # asked to join afresh


def test_dry_run_changes_nothing(two_days):
    from facilitator.export.retention import purge_personal_data

    expired, _other = two_days
    before = snapshot(expired.id)
    report = purge_personal_data(expired, dry_run=True)
    _db.session.commit()
    assert report.participants > PEOPLE and report.exports == 1
    assert snapshot(expired.id) == before


# --- the command line --------------------------------------------------------------------------

def test_purge_expired_command(app, two_days):
    from facilitator.join.models import Participant

    expired, other = two_days
    runner = app.test_cli_runner()
    with FrozenClock(datetime(2023, 3, 1, 12, 0, tzinfo=timezone.utc)):
        before = owned_rows(expired.id)
        dry = runner.invoke(args=["workshop", "purge-expired", "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert f"would purge {expired.code}" in dry.output and other.code not in dry.output
        assert owned_rows(expired.id) == before

        done = runner.invoke(args=["workshop", "purge-expired"])
        assert done.exit_code == 0, done.output
        assert f"purged {expired.code}" in done.output and " participants, " in done.output
        assert not _db.session.execute(select(Participant).filter_by(workshop_id=expired.id)
                                       .where(Participant.display_name.is_not(None))).first()
        assert _db.session.execute(select(Participant).filter_by(workshop_id=other.id)
                                   .where(Participant.display_name.is_not(None))).first()

        again = runner.invoke(args=["workshop", "purge-expired"])
        assert again.exit_code == 0 and "no workshop past its retention date" in again.output


def test_delete_command(app, factory, organiser):
    from facilitator.workshops.models import Workshop

    doomed = factory.workshop(organiser)
    kept = factory.workshop(organiser, title="Bleibt")
    runner = app.test_cli_runner()
    asked = runner.invoke(args=["workshop", "delete", doomed.code], input="n\n")
    assert asked.exit_code != 0 and "Aborted" in asked.output
    assert _db.session.get(Workshop, doomed.id) is not None
    unknown = runner.invoke(args=["workshop", "delete", "ZZZZZZ", "--yes"])
    assert unknown.exit_code != 0 and "no workshop ZZZZZZ" in unknown.output
    done = runner.invoke(args=["workshop", "delete", doomed.code.lower(), "--yes"])
    assert done.exit_code == 0, done.output
    assert f"deleted {doomed.code}" in done.output
    _db.session.expire_all()
    assert _db.session.get(Workshop, doomed.id) is None
    assert _db.session.get(Workshop, kept.id) is not None
    assert PASSWORD  # the organiser account still logs in
    assert app.test_client().post("/login", data={"email": organiser.email, "password": PASSWORD}).status_code == 302
