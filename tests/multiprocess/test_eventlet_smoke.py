"""The app also starts under eventlet (FACILITATOR_ASYNC_MODE=eventlet), on the embedded SQLite.

gevent is the default; eventlet is the documented alternative, so a real process must come up with
it, serve a page and a Socket.IO connection. Needs no PostgreSQL or Redis: it always runs.
"""
from __future__ import annotations

import pytest

from . import harness

pytestmark = [pytest.mark.multiprocess, pytest.mark.slow, pytest.mark.timeout(240)]


def test_app_runs_under_eventlet_on_sqlite(launch, tmp_path):
    instance = tmp_path / "instance"
    settings = dict(INSTANCE_PATH=str(instance), SECRET_KEY="eventlet-smoke", DEMO="0", MESSAGE_QUEUE=None)
    # the CLI creates the SQLite file (migrating it) and the workshop; the server then finds both
    code = harness.import_agenda(harness.clean_env(**settings))

    server = launch("eventlet", harness.clean_env(ASYNC_MODE="eventlet", **settings))
    server.wait_ready()
    assert "async mode eventlet" in server.output(), "the process did not say it runs eventlet"
    assert (instance / "werkstatt.db").exists()

    phone = harness.join_participant(server.base, code)
    page = phone.get(f"{server.base}/j/{code}/live", timeout=10)
    assert page.status_code == 200
    for transports in (["websocket"], ["polling"]):
        sock, recorder = harness.socket_client(server.base, code, "participant", harness.cookie_header(phone),
                                               transports=transports)
        try:
            got = recorder.wait_for(lambda n, d: n == "sync.snapshot", 10)
            assert got, f"no sync.snapshot over {transports}: {recorder.events}"
            data = got[3]["data"]
            assert data["workshop"]["code"] == code
            assert data["me"]["role"] == "participant"
            assert data["agenda"]["items"][0]["title"] == "Begrüßung"
        finally:
            sock.disconnect()
    assert "Traceback" not in server.output(), "the server logged an error"
