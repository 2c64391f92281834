"""Configuration from environment variables prefixed ``FACILITATOR_``.

Every setting is documented in the README ("Configuration"); a test sweeps that table.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

#: name -> (default, description); the README table is checked against this registry.
SETTINGS: dict[str, tuple[str | None, str]] = {
    "INSTANCE_PATH": (None, "Folder for the SQLite file, the generated secret key and compiled translations (default: ./instance)."),
    "DATABASE_URL": (None, "SQLAlchemy URL; default sqlite:///<instance>/werkstatt.db. PostgreSQL: postgresql+psycopg://user@host/db."),
    "MESSAGE_QUEUE": (None, "Redis URL shared by several app processes (redis://127.0.0.1:6379/0); empty for a single process."),
    "MESSAGE_QUEUE_CHANNEL": ("werkstatt", "Channel name on the message queue; processes of one installation must use the same."),
    "SECRET_KEY": (None, "Signs session cookies; generated once and kept in <instance>/secret_key when not given."),
    "ASYNC_MODE": ("gevent", "Async server: gevent (default) or eventlet. threading only for tests."),
    "AUTO_MIGRATE": ("1", "Apply database migrations on start (1/0)."),
    "RETENTION_DAYS": ("90", "Days after a workshop ends until its personal data is deleted."),
    "SECURE_COOKIES": ("0", "Set to 1 behind HTTPS so cookies get the Secure flag."),
    "DEFAULT_LOCALE": ("de", "UI language when the browser or user chose none: de or en."),
    "PUBLIC_URL": (None, "Base URL used in the QR code and join links, e.g. https://werkstatt.example.org; default: the request's host."),
    "DEMO": ("1", "On an empty database, create a demo workshop from agendas/rvr-gruene-infrastruktur-2022.toml (1/0)."),
}


def env(name: str) -> str | None:
    value = os.environ.get(f"FACILITATOR_{name}")
    if value is None or value == "":
        return SETTINGS[name][0]
    return value


def env_flag(name: str) -> bool:
    return (env(name) or "0").strip().lower() in {"1", "true", "yes", "on"}


def load_secret_key(instance_path: Path) -> str:
    """Return the configured secret key, or one generated once and kept in the instance folder."""
    configured = env("SECRET_KEY")
    if configured:
        return configured
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def build_config(overrides: dict | None = None) -> dict:
    """Collect the Flask config from the environment; ``overrides`` (tests) win."""
    overrides = dict(overrides or {})
    instance_path = Path(overrides.pop("INSTANCE_PATH", None) or env("INSTANCE_PATH") or Path.cwd() / "instance").resolve()
    instance_path.mkdir(parents=True, exist_ok=True)
    config = {
        "INSTANCE_PATH": str(instance_path),
        "SQLALCHEMY_DATABASE_URI": env("DATABASE_URL") or f"sqlite:///{instance_path / 'werkstatt.db'}",
        "MESSAGE_QUEUE": env("MESSAGE_QUEUE"),
        "MESSAGE_QUEUE_CHANNEL": env("MESSAGE_QUEUE_CHANNEL"),
        "ASYNC_MODE": env("ASYNC_MODE"),
        "AUTO_MIGRATE": env_flag("AUTO_MIGRATE"),
        "RETENTION_DAYS": int(env("RETENTION_DAYS")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env_flag("SECURE_COOKIES"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "BABEL_DEFAULT_LOCALE": env("DEFAULT_LOCALE"),
        "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
        "PUBLIC_URL": env("PUBLIC_URL"),
        "DEMO": env_flag("DEMO"),
        "WTF_CSRF_TIME_LIMIT": None,
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "JSON_SORT_KEYS": False,
        # poll tallies, growing graphs and walls are published at most this often per process
        "COALESCE_SECONDS": 0.25,
    }
    if "SECRET_KEY" not in overrides:
        config["SECRET_KEY"] = load_secret_key(instance_path)
    config.update(overrides)
    return config
