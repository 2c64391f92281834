"""Configuration: every setting is documented in the README; the secret key is made once and kept."""
from __future__ import annotations

import stat
from pathlib import Path

import pytest

from facilitator.config import SETTINGS, build_config

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture
def clean_env(monkeypatch):
    """No FACILITATOR_* variable of the machine running the tests leaks in."""
    for key in SETTINGS:
        monkeypatch.delenv(f"FACILITATOR_{key}", raising=False)
    return monkeypatch


@pytest.mark.parametrize("key", sorted(SETTINGS))
def test_every_setting_is_in_the_readme(key):
    assert README.exists(), "README.md with its configuration table is missing"
    assert f"FACILITATOR_{key}" in README.read_text(encoding="utf-8"), f"FACILITATOR_{key} is not documented in README.md"


def test_every_setting_has_a_description():
    for key, (_default, description) in SETTINGS.items():
        assert description.strip(), key


def test_secret_key_is_generated_once_and_kept(clean_env, tmp_path):
    first = build_config({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    second = build_config({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    assert first == second
    assert len(first) >= 32
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # only the app's user may read it


def test_each_installation_gets_its_own_secret_key(clean_env, tmp_path):
    one = build_config({"INSTANCE_PATH": str(tmp_path / "a")})["SECRET_KEY"]
    two = build_config({"INSTANCE_PATH": str(tmp_path / "b")})["SECRET_KEY"]
    assert one != two


def test_configured_secret_key_wins_and_is_not_written(clean_env, tmp_path):
    clean_env.setenv("FACILITATOR_SECRET_KEY", "from-the-environment")
    assert build_config({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_defaults(clean_env, tmp_path):
    config = build_config({"INSTANCE_PATH": str(tmp_path)})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path.resolve() / 'werkstatt.db'}"
    assert config["ASYNC_MODE"] == "gevent"
    assert config["AUTO_MIGRATE"] is True
    assert config["RETENTION_DAYS"] == 90
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["SESSION_COOKIE_HTTPONLY"] is True and config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["BABEL_DEFAULT_LOCALE"] == "de"
    assert config["MESSAGE_QUEUE"] is None and config["PUBLIC_URL"] is None


def test_environment_variables_are_read(clean_env, tmp_path):
    clean_env.setenv("FACILITATOR_INSTANCE_PATH", str(tmp_path / "inst"))
    clean_env.setenv("FACILITATOR_DATABASE_URL", "postgresql+psycopg://u@h/db")
    clean_env.setenv("FACILITATOR_RETENTION_DAYS", "30")
    clean_env.setenv("FACILITATOR_SECURE_COOKIES", "1")
    clean_env.setenv("FACILITATOR_AUTO_MIGRATE", "0")
    clean_env.setenv("FACILITATOR_DEFAULT_LOCALE", "en")
    clean_env.setenv("FACILITATOR_PUBLIC_URL", "https://werkstatt.example.org")
    clean_env.setenv("FACILITATOR_MESSAGE_QUEUE", "redis://127.0.0.1:6379/0")
    config = build_config()
    assert config["INSTANCE_PATH"] == str((tmp_path / "inst").resolve())
    assert (tmp_path / "inst" / "secret_key").exists()
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert config["RETENTION_DAYS"] == 30
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["AUTO_MIGRATE"] is False
    assert config["BABEL_DEFAULT_LOCALE"] == "en"
    assert config["PUBLIC_URL"] == "https://werkstatt.example.org"
    assert config["MESSAGE_QUEUE"] == "redis://127.0.0.1:6379/0"


def test_empty_variable_means_the_default(clean_env, tmp_path):
    clean_env.setenv("FACILITATOR_RETENTION_DAYS", "")
    assert build_config({"INSTANCE_PATH": str(tmp_path)})["RETENTION_DAYS"] == 90


def test_overrides_win_over_the_environment(clean_env, tmp_path):
    clean_env.setenv("FACILITATOR_ASYNC_MODE", "eventlet")
    assert build_config({"INSTANCE_PATH": str(tmp_path), "ASYNC_MODE": "threading"})["ASYNC_MODE"] == "threading"
