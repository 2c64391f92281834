"""The reference day's first minutes in three browsers: a phone, the cockpit and the projector.

Every test gets its own workshop (fixture ``workshop``) and its own browser contexts, so the
tests can run in any order. "Within 2 s" (LIVE_MS) is the promise the live views make.
"""
from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET

import pytest
import qrcode
import qrcode.image.svg
from playwright.sync_api import expect

from .helpers import (LIVE_MS, countdown, expect_connected, extend, join, open_live, press, send_message,
                      timer_seconds, timer_text, ui_strings)

pytestmark = pytest.mark.browser

SVG = "{http://www.w3.org/2000/svg}"
TITLE = "1. Online-Werkstatt Strategie Grüne Infrastruktur"
KEYNOTE = "Keynote durch RVR & bgmr"
EVIL_NAME = "<img src=x onerror=alert(1)><script>alert(2)</script>"
EVIL_MESSAGE = "<b>Achtung</b> <img src=x onerror=alert(3)> & Pause <script>alert(4)</script>"


def qr_modules(svg: bytes | str) -> str:
    """The path data of a QR code SVG made by the ``qrcode`` package: its dark modules."""
    root = ET.fromstring(svg)
    return next(el.get("d") for el in root.iter(f"{SVG}path") if el.get("d"))


def test_participant_joins_by_qr_and_follows_the_day(open_page, live_server, artifacts):
    """a. QR code → join form → live page; start and next reach phone and projector within 2 s."""
    workshop = live_server.import_workshop()  # as the organiser does it: flask agenda import … (prints the code)
    projector = open_page("projector")
    open_live(projector, f"/w/{workshop}/screen")

    # before the day: title, start time, QR + link + code, nobody online
    expect(projector.locator("[data-now-kind]")).to_have_text(TITLE)
    expect(projector.locator("[data-now-title]")).to_contain_text("09:30")
    qr = projector.locator("[data-join-box] img.qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR image did not load"
    expect(projector.locator("[data-join-box] .code")).to_have_text(workshop)
    shown = projector.locator("[data-join-url]").text_content()
    assert shown == f"127.0.0.1:{live_server.port}/j/{workshop}"
    join_url = f"http://{shown}"
    # the QR image encodes exactly that link: the same QR made from it has the same modules
    served = projector.request.get(qr.get_attribute("src"))
    assert served.ok and served.headers["content-type"].startswith("image/svg+xml")
    made = qrcode.make(join_url, image_factory=qrcode.image.svg.SvgPathImage, border=2).to_string()
    assert qr_modules(served.body()) == qr_modules(made)
    strings = ui_strings(projector)
    expect(projector.locator("[data-online]")).to_have_text(strings["online"].replace("%(n)s", "0"))
    projector.screenshot(path=artifacts / "projector-before-start.png")

    phone = open_page("phone")
    phone.goto(join_url)
    expect(phone.locator("h1")).to_have_text(TITLE)
    phone.screenshot(path=artifacts / "phone-join-form.png", full_page=True)
    join(phone, join_url, name="Kim Kommune", organisation_type="kommune")
    expect(phone.locator("[data-now-title]")).to_have_text(TITLE)
    expect(phone.locator("[data-now-kind]")).to_have_text(strings["not_started"])
    expect(phone.locator("[data-agenda] li")).to_have_count(10)
    expect(projector.locator("[data-online]")).to_have_text(strings["online"].replace("%(n)s", "1"), timeout=LIVE_MS)

    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{workshop}/cockpit")
    due = press(cockpit, "day.start")
    for page in (phone, projector):
        expect(page.locator("[data-now-title]")).to_have_text("Begrüßung", timeout=due.left)
        expect(timer_text(page)).to_have_text(countdown(10), timeout=due.left)
    expect(phone.locator("[data-timer-label]")).to_have_text(strings["time_left"])
    expect(projector.locator("[data-next-title]")).to_have_text(KEYNOTE)
    expect(phone.locator("[data-next-title]")).to_have_text(KEYNOTE)
    expect(cockpit.locator('[data-cmd="day.start"]')).to_be_hidden()
    expect(cockpit.locator('[data-cmd="agenda.previous"]')).to_be_hidden()  # nothing before the first item
    # the countdown runs
    first = timer_seconds(projector)
    expect(timer_text(projector)).not_to_have_text(timer_text(projector).text_content(), timeout=LIVE_MS)
    assert timer_seconds(projector) < first

    due = press(cockpit, "agenda.next")
    for page in (phone, projector):
        expect(page.locator("[data-now-title]")).to_have_text(KEYNOTE, timeout=due.left)
        expect(timer_text(page)).to_have_text(countdown(10), timeout=due.left)
    expect(phone.locator('[data-agenda] li[aria-current="step"] .title')).to_have_text(KEYNOTE)
    expect(cockpit.locator("[data-now-title]")).to_have_text(KEYNOTE)
    expect(cockpit.locator('[data-cmd="agenda.previous"]')).to_be_visible()


def test_reload_keeps_identity(open_page, workshop):
    """b. A reloaded phone (or the QR link opened again) is the same participant, counted once."""
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{workshop}/cockpit")
    phone = open_page("phone")
    join(phone, f"/j/{workshop}", name="Rudi Reload", organisation_type="kreis")
    press(cockpit, "day.start")
    expect(phone.locator("[data-now-title]")).to_have_text("Begrüßung", timeout=LIVE_MS)

    phone.reload()
    expect(phone).to_have_url(re.compile(rf"/j/{workshop}/live$"))
    expect_connected(phone)
    expect(phone.locator("[data-now-title]")).to_have_text("Begrüßung")
    expect(timer_text(phone)).to_have_text(countdown(10))
    expect(phone.locator("#display_name")).to_have_count(0)

    phone.goto(f"/j/{workshop}")  # scanning the QR code again
    expect(phone).to_have_url(re.compile(rf"/j/{workshop}/live$"))
    expect_connected(phone)

    strings = ui_strings(cockpit)
    people = cockpit.locator("[data-people] li")
    expect(people).to_have_count(1)
    expect(people.first).to_contain_text("Rudi Reload")
    expect(cockpit.locator("[data-online]")).to_have_text(strings["online"].replace("%(n)s", "1"))


def test_broadcast_reaches_phone_and_projector(open_page, workshop, artifacts):
    """c. + h. A message from the cockpit is on every phone and the projector within 2 s."""
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{workshop}/cockpit")
    projector = open_page("projector")
    open_live(projector, f"/w/{workshop}/screen")
    phone = open_page("phone")
    join(phone, f"/j/{workshop}", name="Pia Planerin", organisation_type="regionalverband")
    press(cockpit, "day.start")
    expect(phone.locator("[data-now-title]")).to_have_text("Begrüßung", timeout=LIVE_MS)

    due = send_message(cockpit, "Noch 5 Minuten")
    for page in (phone, projector):
        expect(page.locator("[data-broadcast]")).to_be_visible(timeout=due.left)
        expect(page.locator("[data-broadcast]")).to_contain_text("Noch 5 Minuten", timeout=due.left)
    expect(cockpit.locator("#broadcast-text")).to_have_value("")
    expect(cockpit.locator("[data-broadcast-log] li")).to_have_count(1)
    expect(cockpit.locator("[data-broadcast-log] li").first).to_contain_text("Noch 5 Minuten")

    # h. pictures for humans: the phone, the projector and the cockpit in the middle of the day
    phone.screenshot(path=artifacts / "phone-live.png", full_page=True)
    projector.screenshot(path=artifacts / "projector-live.png")
    cockpit.screenshot(path=artifacts / "cockpit.png", full_page=True)

    # a phone that reloads shortly after still sees the message
    phone.reload()
    expect_connected(phone)
    expect(phone.locator("[data-broadcast]")).to_contain_text("Noch 5 Minuten")


def test_user_text_is_never_html(open_page, workshop):
    """d. Markup in a display name or a message shows as text: no element, no script, no dialog."""
    dialogs = []
    cockpit = open_page("cockpit")
    projector = open_page("projector")
    phone = open_page("phone")
    for page in (cockpit, projector, phone):
        page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    open_live(cockpit, f"/w/{workshop}/cockpit")
    open_live(projector, f"/w/{workshop}/screen")
    join(phone, f"/j/{workshop}", name=EVIL_NAME)

    person = cockpit.locator("[data-people] li").first
    expect(person).to_have_text(EVIL_NAME, timeout=LIVE_MS)

    due = send_message(cockpit, EVIL_MESSAGE)
    for page in (phone, projector):
        expect(page.locator("[data-broadcast]")).to_contain_text(EVIL_MESSAGE, timeout=due.left)
    expect(cockpit.locator("[data-broadcast-log] li").first).to_contain_text(EVIL_MESSAGE)

    phone.reload()  # the message again, from the snapshot this time
    expect_connected(phone)
    expect(phone.locator("[data-broadcast]")).to_contain_text(EVIL_MESSAGE)

    for page in (cockpit, projector, phone):
        injected = page.locator('img[src="x"], main b, main script:not(#i18n)').evaluate_all("els => els.map(e => e.outerHTML)")
        assert injected == [], f"{page.url}: user text became elements: {injected}"
    assert dialogs == []


def test_extend_and_pause(open_page, workshop):
    """e. +5 in the cockpit moves the projector's countdown by 5 minutes; pause shows on the phone."""
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{workshop}/cockpit")
    projector = open_page("projector")
    open_live(projector, f"/w/{workshop}/screen")
    phone = open_page("phone")
    join(phone, f"/j/{workshop}")
    strings = ui_strings(phone)

    press(cockpit, "day.start")
    expect(timer_text(projector)).to_have_text(countdown(10), timeout=LIVE_MS)
    before = timer_seconds(projector)
    due = extend(cockpit, 5)
    expect(timer_text(projector)).to_have_text(countdown(15), timeout=due.left)
    assert 290 <= timer_seconds(projector) - before <= 301
    expect(cockpit.locator("[data-agenda-rows] tr").first).to_contain_text(f"15 {strings['min']}")

    due = press(cockpit, "agenda.pause")
    label = phone.locator("[data-timer-label]")
    expect(label).to_have_text(strings["paused"], timeout=due.left)
    expect(projector.locator("[data-timer-label]")).to_have_text(strings["paused"], timeout=due.left)
    assert strings["paused"] != "Paused", "the phone is not in German"
    expect(phone.locator("[data-timer]")).to_have_class(re.compile(r"\bis-paused\b"))
    frozen = timer_text(phone).text_content()
    time.sleep(1.3)  # a running clock would have moved on by now
    expect(timer_text(phone)).to_have_text(frozen)
    expect(cockpit.locator('[data-cmd="agenda.resume"]')).to_be_visible()
    expect(cockpit.locator('[data-cmd="agenda.pause"]')).to_be_hidden()

    due = press(cockpit, "agenda.resume")
    expect(label).to_have_text(strings["time_left"], timeout=due.left)
    expect(timer_text(phone)).not_to_have_text(frozen, timeout=LIVE_MS)


def test_timer_colour_phases(open_page, workshop):
    """g. normal → warning (≤ 20 % left) → critical (≤ 5 %) → overrun ("+"), announced politely.

    Real time is too slow for this, and the server refuses items shorter than a minute, so the
    projector's clock is moved forward (Playwright's clock; the server's clock stays real): the
    countdown is derived from the item's end time and the device's clock, as on a real projector.
    """
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{workshop}/cockpit")
    projector = open_page("projector")
    projector.clock.install()  # time runs normally until the test moves it
    open_live(projector, f"/w/{workshop}/screen")
    strings = ui_strings(projector)
    timer = projector.locator("[data-timer]")

    press(cockpit, "day.start")
    expect(timer_text(projector)).to_have_text(countdown(10), timeout=LIVE_MS)
    expect(timer).to_have_attribute("data-phase", "normal")
    extend(cockpit, -5)
    expect(timer_text(projector)).to_have_text(countdown(5), timeout=LIVE_MS)
    expect(timer).to_have_attribute("data-phase", "normal")
    extend(cockpit, -5)  # would leave 0 minutes: refused, nothing changes
    expect(cockpit.locator("[data-feedback]")).to_contain_text(strings["error"].split("%(")[0].strip())
    expect(timer_text(projector)).to_have_text(countdown(5))

    def move_clock_to(seconds_left: int) -> None:
        """Move the projector's clock forward until ``seconds_left`` remain (negative: overrun)."""
        shift = timer_seconds(projector) - seconds_left
        # a number is seconds since the epoch for Playwright's Python clock
        projector.clock.set_system_time(projector.evaluate("Date.now()") / 1000 + shift)

    move_clock_to(45)  # 15 % of 5 minutes
    expect(timer).to_have_attribute("data-phase", "warning")
    expect(timer_text(projector)).to_have_text(re.compile(r"^00:4\d$"))
    expect(projector.locator("[data-announcer]")).to_have_text(strings["one_minute_left"])
    expect(timer_text(projector)).to_have_css("color", "rgb(255, 204, 77)")  # #ffcc4d

    move_clock_to(8)  # under 5 %
    expect(timer).to_have_attribute("data-phase", "critical")
    expect(timer_text(projector)).to_have_text(re.compile(r"^00:0\d$"))

    move_clock_to(-50)
    expect(timer).to_have_attribute("data-phase", "overrun")
    expect(timer_text(projector)).to_have_text(re.compile(r"^\+00:[45]\d$"))
    expect(projector.locator("[data-timer-label]")).to_have_text(strings["overrun"])
    expect(projector.locator("[data-announcer]")).to_have_text(strings["time_up"])
    expect(timer_text(projector)).to_have_css("color", "rgb(255, 138, 128)")  # #ff8a80 on the dark background
