"""Werkstatt: real-time workshops for public administrations. ``create_app`` builds the app."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from sqlalchemy import event

from .config import build_config
from .extensions import babel, csrf, db, login_manager, migrate, socketio

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("de", "en")

#: Content-Security-Policy: only our own origin, no inline script or style.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def select_locale() -> str:
    from flask import current_app

    chosen = request.args.get("lang") or request.cookies.get("lang")
    if chosen in LOCALES:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    # WAL + NORMAL: a commit costs ~0.4 ms instead of ~2 ms, which under gevent blocks the process.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_app(config: dict | None = None) -> Flask:
    """Build the app; ``config`` overrides what the ``FACILITATOR_*`` environment says."""
    settings = build_config(config)
    app = Flask(
        __name__, instance_path=settings["INSTANCE_PATH"],
        template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
    )
    app.config.update(settings)

    from . import models  # noqa: F401  (all tables known to SQLAlchemy and Alembic)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    csrf.init_app(app)

    from .core.i18n import compile_translations

    translations = compile_translations(ROOT / "translations", Path(app.instance_path) / "translations")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(translations)
    babel.init_app(app, locale_selector=select_locale)

    from .core.live import register_socket_handlers

    # before init_app: Flask-SocketIO keeps handlers registered on a server-less SocketIO and
    # re-attaches them to the server of every app made later (tests make many)
    register_socket_handlers()
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        message_queue=app.config["MESSAGE_QUEUE"],
        channel=app.config["MESSAGE_QUEUE_CHANNEL"],
        cookie=None,
        manage_session=True,
    )

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)
            db.engine.dispose()

    from .export.routes import bp as export_bp  # before register_web: adds its /api/v1 endpoints first

    app.register_blueprint(export_bp)
    from .web import register_web

    register_web(app)

    from .cli import register_cli

    register_cli(app)

    if app.config["AUTO_MIGRATE"]:
        from .core.bootstrap import upgrade_database

        upgrade_database(app)
    return app
