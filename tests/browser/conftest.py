"""Browser fixtures: the real app in a subprocess, the system Chromium, one fresh workshop per test.

The server is started once per session (``python app.py`` on a free port, its own instance folder,
no demo workshop) after an organiser was created through ``flask organiser create``. Every test
gets a new workshop made from ``agendas/rvr-gruene-infrastruktur-2022.toml`` (fixture
``workshop``), so tests never see each other's state. Pages opened through the ``open_page``
fixture fail the test on uncaught JavaScript errors, console errors (e.g. CSP violations) and any
dialog.
"""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

PASSWORD = "correct horse battery"
ROOT = Path(__file__).resolve().parents[2]
RVR = ROOT / "agendas" / "rvr-gruene-infrastruktur-2022.toml"
ARTIFACTS = ROOT / "test-artifacts"
ORGANISER_EMAIL = "mara@example.org"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "locale": "de-DE", "timezone_id": "Europe/Berlin"}
DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "de-DE", "timezone_id": "Europe/Berlin"}
PROJECTOR = {"viewport": {"width": 1280, "height": 720}, "locale": "de-DE", "timezone_id": "Europe/Berlin"}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str):
    """Without a browser the suite cannot run: skipped locally, a failure in CI (CI must run them)."""
    if in_ci():
        pytest.fail(f"browser tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


if importlib.util.find_spec("playwright") is None:
    # the test modules import playwright: without it they are left out here (and in CI that is an error)
    if in_ci():
        raise RuntimeError("browser tests must run in CI: the playwright package is not installed")
    collect_ignore_glob = ["test_*.py"]


def pytest_report_header(config):
    if importlib.util.find_spec("playwright") is None:
        return "browser tests: left out, the playwright package is not installed (pip install -r requirements-dev.txt)"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """The app running as a real process (gevent server, like in production on one machine)."""

    def __init__(self, instance: Path):
        self.instance = instance
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.email = ORGANISER_EMAIL
        self.password = PASSWORD
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("FACILITATOR_")}
        self.env.update(FACILITATOR_INSTANCE_PATH=str(instance), FACILITATOR_DEMO="0",
                        FACILITATOR_SECRET_KEY="test", PYTHONUNBUFFERED="1")
        self.log_path = instance / "server.log"
        self.process: subprocess.Popen | None = None

    def flask(self, *args: str, **kwargs) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs,
        )

    def start(self) -> None:
        created = self.flask("organiser", "create", "--email", self.email, "--name", "Mara Moderatorin",
                             "--password", self.password)
        out, err = created.communicate(timeout=60)
        if created.returncode:
            raise RuntimeError(f"flask organiser create failed:\n{out}\n{err}")
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(self.port)], cwd=ROOT, env=self.env,
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/login", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the app did not start:\n{self.log_path.read_text()}")
            time.sleep(0.1)

    def import_workshop(self) -> str:
        """A fresh RVR workshop through ``flask agenda import`` (the organiser owns it); its join code."""
        proc = self.flask("agenda", "import", str(RVR), "--organiser", self.email)
        out, err = proc.communicate(timeout=120)
        lines = out.strip().splitlines()
        if proc.returncode or not lines or not re.fullmatch(r"[A-Z0-9]{4,12}", lines[-1]):
            raise RuntimeError(f"flask agenda import failed:\n{out}\n{err}")
        return lines[-1]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("werkstatt-instance"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright):
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        _unavailable("no system Chromium found on PATH (apt-get install chromium)")
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def facilitator_state(browser, live_server):
    """Cookies of a logged-in organiser (logged in once through the real /login form)."""
    from .helpers import login

    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    login(page, live_server)
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture(scope="session")
def organiser_api(playwright, live_server, facilitator_state):
    """The REST API as the logged-in organiser: ``(request context, CSRF token)``."""
    api = playwright.request.new_context(base_url=live_server.url, storage_state=facilitator_state)
    page = api.get("/workshops")
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text())
    assert page.ok and token, f"no CSRF token on the dashboard ({page.status})"
    yield api, token.group(1)
    api.dispose()


@pytest.fixture
def workshop(organiser_api) -> str:
    """The join code of a fresh RVR workshop (not started, joining open) owned by the organiser.

    Made through the REST API (~50 ms); ``live_server.import_workshop()`` does the same through
    the CLI but costs seconds per test (it imports the whole app).
    """
    api, token = organiser_api
    response = api.post("/api/v1/workshops", data={"template": RVR.stem}, headers={"X-CSRFToken": token})
    assert response.status == 201, response.text()
    return response.json()["workshop"]["code"]


class PageWatch:
    """What went wrong in a page that a test did not ask for: JS errors, console errors, dialogs."""

    def __init__(self, name: str):
        self.name = name
        self.errors: list[str] = []
        self.dialogs: list[str] = []

    def attach(self, page) -> None:
        page.on("pageerror", lambda exc: self.errors.append(f"{self.name}: uncaught {exc}"))
        page.on("console", self._console)
        page.on("dialog", self._dialog)

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"{self.name}: console error: {message.text}")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{self.name}: {dialog.type} {dialog.message!r}")
        dialog.dismiss()


@pytest.fixture
def open_page(browser, live_server, facilitator_state):
    """``open_page(kind, path=None)`` → a page in its own browser context.

    kind: "phone" (participant, 390×844 touch), "cockpit" (logged-in facilitator, desktop),
    "projector" (logged-in, 1280×720) or "desktop" (anonymous, desktop size).
    The test fails afterwards if any of these pages threw, logged an error or opened a dialog.
    """
    contexts = []
    watches: list[PageWatch] = []

    def open_(kind: str, path: str | None = None, **extra):
        options = {"phone": PHONE, "cockpit": DESKTOP, "projector": PROJECTOR, "desktop": DESKTOP}[kind]
        if kind in ("cockpit", "projector"):
            options = {**options, "storage_state": facilitator_state}
        context = browser.new_context(base_url=live_server.url, **options, **extra)
        context.set_default_timeout(5000)
        contexts.append(context)
        page = context.new_page()
        watch = PageWatch(f"{kind}#{len(watches) + 1}")
        watch.attach(page)
        watches.append(watch)
        if path:
            page.goto(path)
        return page

    yield open_
    for context in contexts:
        context.close()
    problems = [e for w in watches for e in w.errors] + [f"dialog opened: {d}" for w in watches for d in w.dialogs]
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test shows what the server logged meanwhile (its errors are not in the page)."""
    outcome = yield
    report = outcome.get_result()
    server = item.funcargs.get("live_server") if hasattr(item, "funcargs") else None
    if report.failed and server is not None and server.log_path.exists():
        tail = server.log_path.read_text(errors="replace").splitlines()[-60:]
        report.sections.append(("server log (last lines)", "\n".join(tail)))
