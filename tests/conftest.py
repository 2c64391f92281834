"""Fixtures: an app on a fresh SQLite file per test, factories, HTTP and socket clients per role."""
from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import date, datetime, time, timezone
from pathlib import Path

import pytest
from flask.ctx import RequestContext

from facilitator import create_app
from facilitator.core.clock import FrozenClock
from facilitator.extensions import db as _db
from facilitator.extensions import socketio

ROOT = Path(__file__).resolve().parent.parent
RVR = ROOT / "agendas" / "rvr-gruene-infrastruktur-2022.toml"
PASSWORD = "correct horse battery"
#: 09:25 Berlin time on the reference day (UTC+1 in November).
REFERENCE_MORNING = datetime(2022, 11, 30, 8, 25, tzinfo=timezone.utc)


class IsolatedRequestContext(RequestContext):
    """Each request and socket event gets its own app context (its own ``g`` and DB session),
    as in production, although the test holds an app context for its setup code. Without this,
    Flask-Login and Flask-Babel would cache the first request's user and language on the shared
    ``g`` and hand them to every later request of the test."""

    def push(self):
        self._own_app_contexts = getattr(self, "_own_app_contexts", [])
        app_context = self.app.app_context()
        app_context.push()
        self._own_app_contexts.append(app_context)
        super().push()

    def pop(self, *args):
        try:
            super().pop(*args)
        finally:
            self._own_app_contexts.pop().pop()


@contextmanager
def make_app(instance_path, **overrides):
    """An app for tests on a fresh SQLite file in ``instance_path``; ``overrides`` change its config."""
    config = {
        "INSTANCE_PATH": str(instance_path),
        "SECRET_KEY": "test-secret",
        "TESTING": True,
        "ASYNC_MODE": "threading",
        "MESSAGE_QUEUE": None,
        "DEMO": False,
        "AUTO_MIGRATE": False,
        "WTF_CSRF_ENABLED": False,
        "COALESCE_SECONDS": 0,  # coalesced publishing happens at once: deterministic tests
    }
    app = create_app({**config, **overrides})
    app.request_context = lambda environ: IsolatedRequestContext(app, environ)
    with app.app_context():
        _db.create_all()
        try:
            yield app
        finally:
            _db.session.remove()
            _db.drop_all()
            _db.engine.dispose()


@pytest.fixture
def app(tmp_path):
    with make_app(tmp_path / "instance") as app:
        yield app


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def clock():
    """Time frozen at 09:25 on the reference day; ``clock.advance(minutes=…)`` moves it."""
    with FrozenClock(REFERENCE_MORNING) as frozen:
        yield frozen


class Factory:
    """Builds users, workshops and participants in the database (committed)."""

    def __init__(self, db):
        self.db = db
        self.count = 0

    def user(self, name="Mara Moderatorin", email=None):
        from facilitator.accounts.operations import create_user

        self.count += 1
        user = create_user(email or f"user{self.count}@example.org", name, PASSWORD)
        self.db.session.commit()
        return user

    def workshop(self, owner=None, template=RVR, **overrides):
        """The RVR workshop (dated the reference day) unless ``template`` is None (then blank)."""
        from facilitator.agenda.loader import load_template_file
        from facilitator.workshops.operations import create_from_template, create_workshop

        if template is None:
            workshop = create_workshop(owner, overrides.pop("title", "Leere Werkstatt"), **overrides)
        else:
            workshop = create_from_template(owner, load_template_file(template), **overrides)
        self.db.session.commit()
        return workshop

    def member(self, workshop, user, role="facilitator"):
        from facilitator.workshops.models import Role
        from facilitator.workshops.operations import add_member

        add_member(workshop, user, Role(role))
        self.db.session.commit()

    def participant(self, workshop, name=None, org_type=None):
        """A participant and its cookie token."""
        from facilitator.join.operations import join

        participant, token = join(workshop, name, None, org_type)
        self.db.session.commit()
        return participant, token


@pytest.fixture
def factory(db):
    return Factory(db)


@pytest.fixture
def organiser(factory):
    return factory.user("Olga Organisatorin", "olga@example.org")


@pytest.fixture
def workshop(factory, organiser):
    return factory.workshop(organiser)


def login(client, user):
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.data
    return client


class Clients:
    """HTTP + socket clients for each role of one workshop. ``clients.connect(role)`` → socket client."""

    def __init__(self, app, factory, workshop, organiser):
        self.app, self.factory, self.workshop, self.organiser = app, factory, workshop, organiser
        self.sockets = []

    def http(self, role: str):
        """A Flask test client acting as ``role``: organiser, facilitator, other_facilitator,
        participant, screen or anonymous."""
        from facilitator.core.auth import participant_cookie, screen_cookie

        client = self.app.test_client()
        if role == "organiser":
            login(client, self.organiser)
        elif role == "facilitator":
            user = self.factory.user("Fritz Facilitator")
            self.factory.member(self.workshop, user, "facilitator")
            login(client, user)
        elif role == "other_facilitator":
            user = self.factory.user("Otto Anderswo")
            other = self.factory.workshop(user, template=None, title="Andere Werkstatt")
            assert other.id != self.workshop.id
            login(client, user)
        elif role == "participant":
            _p, token = self.factory.participant(self.workshop, name="Paula Teilnehmerin", org_type="kommune")
            client.set_cookie(participant_cookie(self.workshop), token)
        elif role == "screen":
            client.set_cookie(screen_cookie(self.workshop), self.workshop.screen_key)
        elif role != "anonymous":
            raise ValueError(role)
        return client

    def connect(self, role: str, view: str | None = None, workshop_code: str | None = None):
        """A connected Flask-SocketIO test client for ``role`` (raises if refused)."""
        view = view or {"organiser": "cockpit", "facilitator": "cockpit", "other_facilitator": "cockpit",
                        "participant": "participant", "screen": "screen", "anonymous": "participant"}[role]
        http = self.http(role)
        sock = socketio.test_client(self.app, flask_test_client=http,
                                    auth={"workshop": workshop_code or self.workshop.code, "view": view})
        self.sockets.append(sock)
        return sock

    def close(self):
        for sock in self.sockets:
            if sock.is_connected():
                sock.disconnect()


@pytest.fixture
def clients(app, factory, workshop, organiser):
    c = Clients(app, factory, workshop, organiser)
    yield c
    c.close()


def events(sock, name=None):
    """Received socket events (name, first arg), optionally only those called ``name``."""
    received = [(e["name"], e["args"][0] if e["args"] else None) for e in sock.get_received()]
    return [(n, a) for n, a in received if name is None or n == name]


def pytest_collection_modifyitems(config, items):
    # Browser and multi-process tests need a real browser / services: mark them so `-m "not slow"` is quick.
    for item in items:
        if "browser" in item.keywords or "multiprocess" in item.keywords:
            item.add_marker(pytest.mark.slow)
