"""Real app processes for the multi-process tests and the benchmarks in ``bench/``.

Nothing here imports the application: the processes are started the way an operator starts them
(``python app.py --port P``, ``python -m flask --app app …``) and spoken to over HTTP and
Socket.IO on 127.0.0.1 only.
"""
from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

import requests

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
RVR = "agendas/rvr-gruene-infrastruktur-2022.toml"
PASSWORD = "correct horse battery staple"

#: websocket-client checks the UTF-8 of every (fragmented) text message in pure Python, ~8 ms for a
#: 6 KB state event: with hundreds of simulated phones in one process that, not the server, would
#: be measured. Browsers do this natively.
FAST_WEBSOCKET = {"skip_utf8_validation": True}

_CSRF_INPUT = re.compile(r'<input[^>]*\bname="csrf_token"[^>]*>')
_VALUE = re.compile(r'\bvalue="([^"]*)"')


# --- environment and services ---------------------------------------------------------------

def clean_env(**settings: str | None) -> dict[str, str]:
    """This process's environment without any FACILITATOR_* of the developer's shell, plus ``settings``
    (given without the prefix; None leaves a setting out)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACILITATOR_")}
    env["PYTHONUNBUFFERED"] = "1"
    for name, value in settings.items():
        if value is not None:
            env[f"FACILITATOR_{name}"] = str(value)
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _admin_conninfo(server_url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)


def create_database(server_url: str) -> tuple[str, str]:
    """CREATE DATABASE werkstatt_test_<random> on the server of ``server_url`` (connecting to the
    database named there). Returns (name, SQLAlchemy URL of the new database)."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    name = f"werkstatt_test_{secrets.token_hex(6)}"
    with psycopg.connect(_admin_conninfo(server_url), autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_url(server_url).set(drivername="postgresql+psycopg", database=name)
    return name, url.render_as_string(hide_password=False)


def drop_database(server_url: str, name: str) -> None:
    """Terminate what is still connected to ``name``, then drop it."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(_admin_conninfo(server_url), autocommit=True, connect_timeout=10) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def database_exists(server_url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(_admin_conninfo(server_url), autocommit=True, connect_timeout=10) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def query(url: str, statement: str, params=()) -> list[tuple]:
    """Rows of one SQL statement on the PostgreSQL database of ``url`` (a SQLAlchemy URL)."""
    import psycopg

    with psycopg.connect(_admin_conninfo(url), connect_timeout=10) as conn:
        return conn.execute(statement, params).fetchall()


def check_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        client.ping()
    finally:
        client.close()


# --- processes -----------------------------------------------------------------------------

class AppProcess:
    """``python app.py --port P`` with its own environment; output goes to files in ``log_dir``."""

    def __init__(self, name: str, port: int, env: dict[str, str], log_dir: Path, host: str = "127.0.0.1"):
        self.name, self.port, self.env, self.host = name, port, env, host
        self.base = f"http://{host}:{port}"
        self.stdout_path = Path(log_dir) / f"{name}.stdout.log"
        self.stderr_path = Path(log_dir) / f"{name}.stderr.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "AppProcess":
        self.stdout_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(
                [PYTHON, "app.py", "--host", self.host, "--port", str(self.port)],
                cwd=ROOT, env=self.env, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def wait_ready(self, timeout: float = 45.0) -> None:
        """Until GET / answers 200; raises with the process output when it died or took too long."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc and self.proc.returncode}\n{self.output()}")
            try:
                with local_session() as session:
                    response = session.get(self.base + "/", timeout=2)
                if response.status_code == 200:
                    return
                last = f"HTTP {response.status_code}"
            except requests.RequestException as exc:
                last = repr(exc)
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready after {timeout}s ({last})\n{self.output()}")

    def stop(self, grace: float = 5.0) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(grace)

    def output(self, limit: int = 20000) -> str:
        parts = []
        for label, path in (("stdout", self.stdout_path), ("stderr", self.stderr_path)):
            try:
                text = path.read_text(errors="replace")
            except FileNotFoundError:
                text = ""
            if len(text) > limit:
                text = f"[… {len(text) - limit} characters cut …]\n" + text[-limit:]
            parts.append(f"----- {self.name} {label} ({path}) -----\n{text}")
        return "\n".join(parts)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process so far (from /proc; Linux only)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14, 15 of stat)


def flask_cli(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    """Run ``python -m flask --app app ARGS`` in the repository; returns stdout, raises with output on failure."""
    return flask_cli_run(env, *args, timeout=timeout).stdout


def flask_cli_run(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Like :func:`flask_cli`, returning stdout and stderr (the migration log goes to stderr)."""
    result = subprocess.run(
        [PYTHON, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout, stdin=subprocess.DEVNULL,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"flask {' '.join(args)} exited with {result.returncode}\n--- stdout ---\n{result.stdout}\n"
            f"--- stderr ---\n{result.stderr}"
        )
    return result


def create_organiser(env: dict[str, str], email: str, name: str = "Olga Organisatorin",
                     password: str = PASSWORD) -> subprocess.CompletedProcess:
    return flask_cli_run(env, "organiser", "create", "--email", email, "--name", name, "--password", password)


def import_agenda(env: dict[str, str], email: str | None = None, path: str = RVR) -> str:
    """Import an agenda template; returns the new workshop's join code (the last line printed)."""
    args = ["agenda", "import", path] + (["--organiser", email] if email else [])
    lines = [line.strip() for line in flask_cli(env, *args).splitlines() if line.strip()]
    assert lines, "agenda import printed no join code"
    return lines[-1]


# --- HTTP clients --------------------------------------------------------------------------

def local_session() -> requests.Session:
    """A requests session that ignores proxy settings of the environment: all traffic is to 127.0.0.1."""
    session = requests.Session()
    session.trust_env = False
    return session


def csrf_token(html: str) -> str:
    match = _CSRF_INPUT.search(html)
    if not match:
        raise AssertionError("no csrf_token input in the page")
    value = _VALUE.search(match.group(0))
    if not value:
        raise AssertionError("csrf_token input has no value")
    return value.group(1)


def cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def join_participant(base: str, code: str, name: str = "Paula Teilnehmerin", timeout: float = 30) -> requests.Session:
    """GET /j/<code> for the CSRF token, POST the join form; the session keeps the participant cookie."""
    session = local_session()
    page = session.get(f"{base}/j/{code}", timeout=timeout)
    assert page.status_code == 200, (page.status_code, page.text[:500])
    response = session.post(
        f"{base}/j/{code}",
        data={"csrf_token": csrf_token(page.text), "display_name": name, "organisation": "", "organisation_type": ""},
        allow_redirects=False, timeout=timeout,
    )
    assert response.status_code == 302, (response.status_code, response.text[:500])
    assert session.cookies.get(f"wst_p_{code}"), "no participant cookie after joining"
    return session


def login(base: str, email: str, password: str = PASSWORD, timeout: float = 30) -> requests.Session:
    """GET /login for the CSRF token, POST the form; the session keeps the login cookie."""
    session = local_session()
    page = session.get(f"{base}/login", timeout=timeout)
    assert page.status_code == 200, (page.status_code, page.text[:500])
    response = session.post(
        f"{base}/login", data={"csrf_token": csrf_token(page.text), "email": email, "password": password},
        allow_redirects=False, timeout=timeout,
    )
    assert response.status_code == 302, (response.status_code, response.text[:500])
    return session


# --- Socket.IO clients ---------------------------------------------------------------------

class Recorder:
    """Every event a socket client receives, with the monotonic time it arrived."""

    def __init__(self):
        self.events: list[tuple[float, str, Any]] = []
        self._cond = threading.Condition()

    def record(self, event: str, data: Any = None) -> None:
        with self._cond:
            self.events.append((time.monotonic(), event, data))
            self._cond.notify_all()

    def wait_for(self, predicate: Callable[[str, Any], bool], timeout: float, start: int = 0):
        """The first event from index ``start`` on that satisfies ``predicate``: (index, time, name, data),
        or None after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for index in range(start, len(self.events)):
                    at, name, data = self.events[index]
                    if predicate(name, data):
                        return index, at, name, data
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._cond.wait(remaining)

    def named(self, name: str) -> list[Any]:
        with self._cond:
            return [data for _at, n, data in self.events if n == name]

    def sequenced(self) -> list[tuple[str, int]]:
        with self._cond:
            return [(n, d["seq"]) for _at, n, d in self.events if isinstance(d, dict) and "seq" in d]


def socket_client(base: str, code: str, view: str, cookie: str, transports=None, wait_timeout: float = 10):
    """A connected python-socketio client and the Recorder of what it receives."""
    import socketio

    recorder = Recorder()
    client = socketio.Client(reconnection=False, websocket_extra_options=FAST_WEBSOCKET)
    client.on("*", recorder.record)
    client.connect(
        base, headers={"Cookie": cookie}, auth={"workshop": code, "view": view},
        transports=transports, wait_timeout=wait_timeout,
    )
    return client, recorder
