"""Coalesced publishing of high-frequency aggregates (poll tallies, a growing graph, a wall).

A burst of 1,000 votes must not cause 1,000 broadcasts to 1,000 clients. The first change
schedules a flush ``delay`` seconds later; further changes within that window only ride along.
The flush reads the current state from the database, so it is correct whichever process does
it; each process debounces only its own changes.
"""
from __future__ import annotations

from typing import Callable

from flask import current_app

from ..extensions import socketio

# Keys with a flush scheduled in THIS process. Purely local scheduling: no other process needs
# it, and losing it (restart) loses nothing, because a flush reads everything from the database.
_scheduled: set[str] = set()
#: Flushes done by this process (for tests and benchmarks).
flush_count = {"n": 0}


def schedule(key: str, flush: Callable[[], None]) -> None:
    """Run ``flush`` (in an app context) once, ``COALESCE_SECONDS`` from now, for all changes of ``key`` until then."""
    app = current_app._get_current_object()
    delay = app.config.get("COALESCE_SECONDS", 0.25)
    if delay <= 0:  # tests: publish at once, deterministically
        flush_count["n"] += 1
        flush()
        return
    if key in _scheduled:
        return
    _scheduled.add(key)

    def run():
        socketio.sleep(delay)
        _scheduled.discard(key)
        with app.app_context():
            flush_count["n"] += 1
            flush()

    socketio.start_background_task(run)
