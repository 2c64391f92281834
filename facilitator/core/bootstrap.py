"""Start-up chores: migrate the database, the first organiser's setup link, the demo workshop."""
from __future__ import annotations

import hashlib
import secrets
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import text

from ..extensions import db


@contextmanager
def migration_lock():
    """Several processes may start at once against PostgreSQL: only one migrates at a time."""
    if db.engine.dialect.name != "postgresql":
        yield
        return
    with db.engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(727274)"))
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(727274)"))
            conn.commit()


def upgrade_database(app) -> None:
    from flask_migrate import upgrade

    with app.app_context(), migration_lock():
        upgrade(directory=app.extensions["migrate"].directory)


def new_setup_token() -> str | None:
    """A fresh one-time setup token while no organiser exists (older ones stop working)."""
    from ..accounts.models import SetupToken, User

    if db.session.execute(db.select(User.id).limit(1)).first() is not None:
        return None
    db.session.execute(db.delete(SetupToken))
    token = secrets.token_urlsafe(24)
    db.session.add(SetupToken(token_hash=hashlib.sha256(token.encode()).hexdigest()))
    db.session.commit()
    return token


def ensure_demo_workshop() -> None:
    """On an empty database, the RVR workshop (dated today) is ready to run."""
    from ..agenda.loader import load_template_file
    from ..core.clock import now_utc
    from ..workshops.models import Workshop
    from ..workshops.operations import create_from_template

    if not current_app.config.get("DEMO"):
        return
    # several processes starting at once on an empty database would each create one: the
    # check and the insert run under the start-up lock (a no-op on SQLite)
    with migration_lock():
        if db.session.execute(db.select(Workshop.id).limit(1)).first() is not None:
            db.session.rollback()
            return
        path = current_app.config.get("DEMO_TEMPLATE") or (
            __import__("pathlib").Path(current_app.root_path).parent / "agendas" / "rvr-gruene-infrastruktur-2022.toml"
        )
        template = load_template_file(path)
        create_from_template(None, template, date=now_utc().date())
        db.session.commit()


def forget_connections() -> None:
    """A single process that starts owns no socket yet: rows of its previous run are stale."""
    from ..join.models import Connection

    db.session.execute(db.delete(Connection))
    db.session.commit()
