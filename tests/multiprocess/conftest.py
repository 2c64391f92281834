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


@pytest.fixture
def service_urls():
    """(postgres_url, redis_url) from the environment; skip without them, fail under CI."""
    postgres, redis_url = os.environ.get(POSTGRES_ENV), os.environ.get(REDIS_ENV)
    missing = [name for name, value in ((POSTGRES_ENV, postgres), (REDIS_ENV, redis_url)) if not value]
    if missing:
        reason = (
            f"multi-process test needs PostgreSQL and Redis: set {' and '.join(missing)} "
            f"(e.g. {POSTGRES_ENV}=postgresql+psycopg://postgres@127.0.0.1:5432/test "
            f"{REDIS_ENV}=redis://127.0.0.1:6379/0)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so this test must run: {reason}", pytrace=False)
        pytest.skip(reason)
    try:
        harness.check_redis(redis_url)
    except Exception as exc:  # given but unreachable: that is a failure, not a skip
        pytest.fail(f"Redis at {redis_url} is not reachable: {exc!r}", pytrace=False)
    return postgres, redis_url


@pytest.fixture
def pg_database(service_urls):
    """A fresh PostgreSQL database for this test (SQLAlchemy URL); dropped afterwards."""
    server_url = service_urls[0]
    name, url = harness.create_database(server_url)
    try:
        yield url
    finally:
        harness.drop_database(server_url, name)
        assert not harness.database_exists(server_url, name), f"database {name} was not dropped"


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
