"""Fixtures for tests that start real app processes.

PostgreSQL + Redis come from the environment:

    FACILITATOR_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test
    FACILITATOR_TEST_REDIS_URL=redis://127.0.0.1:6379/0

Without them the PostgreSQL tests are skipped, except under CI (env CI set), where they fail:
CI must run them. Each test gets its own database (created on that server, dropped afterwards)
and its own Redis channel, so parallel runs on shared services do not see each other.
"""
from __future__ import annotations

import os
import secrets

import pytest

from . import harness

POSTGRES_ENV = "FACILITATOR_TEST_POSTGRES_URL"
REDIS_ENV = "FACILITATOR_TEST_REDIS_URL"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, show the stdout/stderr of every app process the test started."""
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for process in getattr(item, "_werkstatt_processes", []):
            report.sections.append((f"app process {process.name} (port {process.port})", process.output()))


def ci_requires_services() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


class Services:
    """The PostgreSQL and Redis URLs of the environment, or why they are missing."""

    def __init__(self, postgres: str | None, redis: str | None, missing: str | None = None):
        self.postgres, self.redis, self.missing = postgres, redis, missing

    def require(self) -> None:
        """First line of a test that needs them: under CI a missing URL fails the test itself
        (reported as FAILED, not as a fixture error)."""
        if self.missing:
            pytest.fail(f"CI is set, so this test must run: {self.missing}", pytrace=False)


@pytest.fixture
def services() -> Services:
    """PostgreSQL + Redis from the environment; without them the test is skipped, under CI it fails."""
    postgres, redis_url = os.environ.get(POSTGRES_ENV), os.environ.get(REDIS_ENV)
    missing = [name for name, value in ((POSTGRES_ENV, postgres), (REDIS_ENV, redis_url)) if not value]
    if missing:
        reason = (
            f"multi-process test needs PostgreSQL and Redis: set {' and '.join(missing)} "
            f"(e.g. {POSTGRES_ENV}=postgresql+psycopg://postgres@127.0.0.1:5432/test "
            f"{REDIS_ENV}=redis://127.0.0.1:6379/0)"
        )
        if ci_requires_services():
            return Services(None, None, missing=reason)
        pytest.skip(reason)
    try:
        harness.check_redis(redis_url)
    except Exception as exc:  # given but unreachable: that is a failure, not a skip
        pytest.fail(f"Redis at {redis_url} is not reachable: {exc!r}", pytrace=False)
    return Services(postgres, redis_url)


@pytest.fixture
def pg_database(services):
    """A fresh PostgreSQL database for this test (SQLAlchemy URL); dropped afterwards."""
    if services.missing:
        yield None  # the test fails on services.require()
        return
    name, url = harness.create_database(services.postgres)
    try:
        yield url
    finally:
        harness.drop_database(services.postgres, name)
        assert not harness.database_exists(services.postgres, name), f"database {name} was not dropped"


@pytest.fixture
def redis_channel():
    return f"werkstatt-test-{secrets.token_hex(6)}"


@pytest.fixture
def launch(request, tmp_path):
    """``launch(name, env)`` starts ``python app.py --port <free port>``; every process is stopped
    at teardown (terminate, then kill) and its output is attached to the report of a failed test."""
    processes: list[harness.AppProcess] = []
    request.node._werkstatt_processes = processes

    def start(name: str, env: dict[str, str]) -> harness.AppProcess:
        process = harness.AppProcess(name, harness.free_port(), env, tmp_path / "logs")
        processes.append(process)
        return process.start()

    try:
        yield start
    finally:
        for process in processes:
            process.stop()
