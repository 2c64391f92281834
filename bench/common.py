"""What the load scripts in bench/ share: percentiles in milliseconds, CPU time, the machine; for the
socket benchmarks also starting the app, joining phones and sending intents."""
from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.multiprocess.harness import AppProcess


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values: list[float]) -> dict:
    """p50/p95/max in milliseconds."""
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 50) * 1000, 1),
        "p95_ms": round(percentile(values, 95) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1) if values else float("nan"),
    }


def own_cpu() -> float:
    """CPU seconds of this (client) process."""
    t = os.times()
    return t.user + t.system


def machine() -> dict:
    """What the figures were measured on."""
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "?")
    return {
        "nproc": os.cpu_count(),
        "cpu": next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name")), platform.processor()),
        "mem_total_gib": round(int(mem) / 1024 / 1024, 1) if mem != "?" else "?",
        "python": platform.python_version(),
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
    }


# --- the real app and its phones (the socket benchmarks; import after gevent's monkey.patch_all) ----

#: Organisation types the simulated phones give at join, so breakdowns by type have work to do.
ORG_TYPES = ["kommune", "kommune", "kreis", "regionalverband", "land_bund", "wissenschaft",
             "zivilgesellschaft", "wirtschaft", "sonstige", ""]


def start_app(work: Path, email: str, ready_timeout: float = 90) -> tuple[AppProcess, str]:
    """One ``python app.py`` (gevent, SQLite in ``work``, 127.0.0.1) with an organiser and the RVR
    workshop made by the CLI; returns the running process and the workshop's join code."""
    from tests.multiprocess import harness

    env = harness.clean_env(INSTANCE_PATH=str(work / "instance"), SECRET_KEY="bench-secret", DEMO="0",
                            ASYNC_MODE="gevent")
    harness.create_organiser(env, email)
    code = harness.import_agenda(env, email)
    server = harness.AppProcess("app", harness.free_port(), env, work / "logs").start()
    server.wait_ready(ready_timeout)
    return server, code


def join(base: str, code: str, index: int, timeout: float) -> str:
    """Join like the browser does (with an organisation type); returns the cookie header."""
    from tests.multiprocess import harness

    session = harness.local_session()
    page = session.get(f"{base}/j/{code}", timeout=timeout)
    page.raise_for_status()
    response = session.post(f"{base}/j/{code}", allow_redirects=False, timeout=timeout, data={
        "csrf_token": harness.csrf_token(page.text), "display_name": f"Phone {index}", "organisation": "",
        "organisation_type": ORG_TYPES[index % len(ORG_TYPES)],
    })
    if response.status_code != 302:
        raise RuntimeError(f"join answered {response.status_code}")
    cookie = harness.cookie_header(session)
    session.close()
    return cookie


def command(client, name: str, payload: dict, timeout: float) -> dict:
    """Send an intent and return its ack; raises unless the ack is ok."""
    ack = client.call(name, payload, timeout=timeout)
    if not (ack and ack.get("ok")):
        raise RuntimeError(f"{name}: {ack}")
    return ack


class BenchPhone:
    """A participant's phone: joins over HTTP, connects a python-socketio client (websocket) and
    waits for its snapshot. Subclasses add their event handlers in :meth:`handlers`; failures are
    kept in ``error`` (counted, not fatal)."""

    def __init__(self, index: int, base: str, code: str):
        from gevent.event import Event

        self.index, self.base, self.code = index, base, code
        self.client = None
        self.snapshot = Event()
        self.error = None

    def handlers(self) -> dict:
        """Socket.IO event name -> handler, registered before connecting."""
        return {}

    def connect(self, timeout: float) -> None:
        import socketio

        from tests.multiprocess import harness

        try:
            cookie = join(self.base, self.code, self.index, timeout)
            client = socketio.Client(reconnection=False, websocket_extra_options=harness.FAST_WEBSOCKET)
            client.on("sync.snapshot", lambda data: self.snapshot.set())
            for event, handler in self.handlers().items():
                client.on(event, handler)
            client.connect(self.base, headers={"Cookie": cookie}, auth={"workshop": self.code, "view": "participant"},
                           transports=["websocket"], wait_timeout=timeout)
            self.client = client
            if not self.snapshot.wait(timeout):
                self.error = "no snapshot"
        except Exception as exc:
            self.error = f"connect: {exc!r}"

    def disconnect(self) -> None:
        if self.client is not None:
            try:
                self.client.disconnect()
            except Exception:
                pass
