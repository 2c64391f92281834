"""Small steps the browser tests share: log in, join, read the timer, press cockpit buttons."""
from __future__ import annotations

import json
import re
import time

from playwright.sync_api import Page, expect

#: The UI must react to a command within this many milliseconds on every screen.
LIVE_MS = 2000


def login(page: Page, server, email: str | None = None, password: str | None = None) -> None:
    """Log in as organiser through the real /login form."""
    page.goto(f"{server.url}/login")
    page.locator("#email").fill(email or server.email)
    page.locator("#password").fill(password or server.password)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def fill(template: str, /, **params) -> str:
    """A UI string with its ``%(name)s`` placeholders filled in, as the browser's ``t()`` does."""
    return re.sub(r"%\((\w+)\)s", lambda m: str(params[m.group(1)]), template)


def ui_strings(page: Page) -> dict[str, str]:
    """The translated strings the page's modules use (the #i18n JSON block)."""
    return json.loads(page.locator("#i18n").text_content())


def join(page: Page, url: str, name: str | None = None, organisation_type: str | None = None) -> None:
    """Open a join link, fill the optional fields and take part; ends on the live page."""
    page.goto(url)
    if name is not None:
        page.locator("#display_name").fill(name)
    if organisation_type is not None:
        page.locator("#organisation_type").select_option(organisation_type)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/j/\w+/live$"))
    expect_connected(page)


def expect_connected(page: Page) -> None:
    """The socket is up and the first snapshot arrived (the status line says so)."""
    expect(page.locator("[data-connection]").first).to_have_attribute("data-status", "connected")


def open_live(page: Page, path: str) -> None:
    page.goto(path)
    expect_connected(page)


class Due:
    """A deadline for what a click must cause everywhere: ``expect(…, timeout=due.left)`` on each screen.

    Started right after the click was dispatched, so "phone and projector within 2 s" means both
    within 2 s of the click, not 2 s each one after the other.
    """

    def __init__(self, ms: int = LIVE_MS):
        self.end = time.monotonic() + ms / 1000

    @property
    def left(self) -> float:
        return max(1.0, (self.end - time.monotonic()) * 1000)  # 0 would mean "no timeout" to Playwright


def press(cockpit: Page, cmd: str) -> Due:
    """Click a cockpit control by its data-cmd (day.start, agenda.next, agenda.pause, …)."""
    cockpit.locator(f'[data-cmd="{cmd}"]').click()
    return Due()


def extend(cockpit: Page, minutes: int) -> Due:
    """Click −5 / −1 / +1 / +5 in the cockpit."""
    cockpit.locator(f'[data-extend="{minutes}"]').click()
    return Due()


def send_message(cockpit: Page, text: str) -> Due:
    """Send a message to everyone with the cockpit's form."""
    cockpit.locator("#broadcast-text").fill(text)
    cockpit.locator("[data-broadcast-form] button[type=submit]").click()
    return Due()


def timer_text(page: Page):
    return page.locator("[data-timer] [data-timer-text]").first


def timer_seconds(page: Page) -> int:
    """The countdown shown now, in seconds (negative while overrunning)."""
    text = timer_text(page).text_content().strip()
    match = re.fullmatch(r"(\+?)(?:(\d+):)?(\d{2}):(\d{2})", text)
    assert match, f"not a countdown: {text!r}"
    sign, hours, minutes, seconds = match.groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return -total if sign else total


def countdown(minutes_left: int) -> re.Pattern:
    """A running countdown just below ``minutes_left`` minutes: 10 → "09:5x" or "09:4x"."""
    return re.compile(rf"^{minutes_left - 1:02d}:[45]\d$")
