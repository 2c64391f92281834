"""The Alembic migrations build the schema the models describe, and can be undone."""
from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from facilitator import create_app
from facilitator.extensions import db

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


@pytest.fixture
def empty_app(tmp_path):
    """An app on an empty SQLite file: no create_all, the migrations have to do it."""
    app = create_app({
        "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "test-secret", "TESTING": True,
        "ASYNC_MODE": "threading", "MESSAGE_QUEUE": None, "DEMO": False, "AUTO_MIGRATE": False,
    })
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        return compare_metadata(context, db.metadata)


def tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_creates_the_schema_of_the_models(empty_app):
    assert tables() == set()
    upgrade(directory=str(MIGRATIONS))
    assert tables() == set(db.metadata.tables)
    diff = differences()
    assert diff == [], "models and migrations differ; run `flask db migrate` and review the new migration:\n" + \
        "\n".join(map(str, diff))


def test_downgrade_to_base_removes_everything_and_upgrade_works_again(empty_app):
    upgrade(directory=str(MIGRATIONS))
    downgrade(directory=str(MIGRATIONS), revision="base")
    assert tables() == set()
    upgrade(directory=str(MIGRATIONS))
    assert differences() == []


def test_the_migrated_schema_works(empty_app):
    """A workshop from the RVR template can be stored and run on the migrated schema."""
    from facilitator.agenda.loader import load_template_file
    from facilitator.agenda.operations import next_item, start_day
    from facilitator.core.clock import now_utc
    from facilitator.workshops.operations import create_from_template

    upgrade(directory=str(MIGRATIONS))
    workshop = create_from_template(None, load_template_file(MIGRATIONS.parent / "agendas" / "rvr-gruene-infrastruktur-2022.toml"))
    db.session.commit()
    start_day(workshop, now_utc())
    next_item(workshop, now_utc())
    db.session.commit()
    db.session.expire_all()
    assert [i.status.value for i in workshop.items][:2] == ["done", "running"]


def test_migrations_form_one_line_of_history():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    assert len(script.get_heads()) == 1, "several heads: merge the migrations"
    assert len(script.get_bases()) == 1
