"""Export fixtures: the RVR day run through once per module with ~30 simulated participants."""
from __future__ import annotations

import pytest

from facilitator.core.clock import FrozenClock
from tests.conftest import REFERENCE_MORNING, Factory, make_app
from tests.export.scenario import run_rvr_day


@pytest.fixture(scope="module")
def ran_day(tmp_path_factory):
    """(app, day): the RVR workshop after the whole day, 31 participants, every activity used.
    Module-scoped: running the day takes a few seconds; the tests only read."""
    from facilitator.extensions import db

    with make_app(tmp_path_factory.mktemp("export") / "instance") as app:
        factory = Factory(db)
        organiser = factory.user("Olga Organisatorin", "olga@example.org")
        workshop = factory.workshop(organiser)
        with FrozenClock(REFERENCE_MORNING) as clock:
            day = run_rvr_day(factory, workshop, organiser, clock)
        yield app, day
