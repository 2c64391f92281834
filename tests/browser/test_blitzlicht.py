"""Blitzlicht in three browsers: statements fill the wall, the spotlight reaches the projector,
a hidden statement disappears everywhere, and markup in statements stays text."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import LIVE_MS, join, open_live

pytestmark = pytest.mark.browser

EVIL = '<img src=x onerror=alert(1)><script>alert(2)</script> Mehr Grün!'


def test_wall_spotlight_and_hiding(open_page, live_server, workshop, artifacts):
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{workshop}/cockpit")
    cockpit.locator("tr", has_text="Blitzlicht").locator("button").click()  # jump to the Blitzlicht
    projector = open_page("projector")
    open_live(projector, f"/w/{workshop}/screen")
    expect(projector.locator(".blitzlicht-screen .prompt")).to_have_text("Was nehme ich heute mit?")

    phone = open_page("phone")
    join(phone, f"/j/{workshop}", name="Paula")
    form = phone.locator("[data-blitz-form]")
    form.locator("textarea").fill("Viele gute Beispiele aus den Kommunen")
    phone.locator("label[for=blitz-mood-4]").click()
    form.locator("button[type=submit]").click()
    expect(projector.locator(".wall .statement")).to_have_count(1, timeout=LIVE_MS)

    evil_phone = open_page("phone")
    join(evil_phone, f"/j/{workshop}")
    evil_phone.locator("[data-blitz-form] textarea").fill(EVIL)
    evil_phone.locator("[data-blitz-form] button[type=submit]").click()
    # the markup arrives as text on the projector and in the cockpit, never as elements
    expect(projector.locator(".wall .statement", has_text="<script>alert(2)</script>")).to_have_count(1, timeout=LIVE_MS)
    for page in (projector, cockpit, phone):
        expect(page.locator(".wall img")).to_have_count(0)
        expect(page.locator(".wall script")).to_have_count(0)

    # spotlight one statement, then hide the other: gone from phone and projector at once
    row = cockpit.locator(".wall.moderation li", has_text="Beispiele aus den Kommunen")
    row.locator("button").first.click()
    expect(projector.locator("[data-spotlight]")).to_have_text("Viele gute Beispiele aus den Kommunen", timeout=LIVE_MS)
    cockpit.locator(".wall.moderation li", has_text="Mehr Grün").locator("button").last.click()
    expect(projector.locator(".wall .statement")).to_have_count(1, timeout=LIVE_MS)
    expect(phone.locator(".wall .statement", has_text="Mehr Grün")).to_have_count(0, timeout=LIVE_MS)
    expect(cockpit.locator(".wall.moderation li.is-hidden")).to_have_count(1)
    projector.screenshot(path=artifacts / "projector-blitzlicht.png")
    phone.screenshot(path=artifacts / "phone-blitzlicht.png", full_page=True)

    # editable until the round closes
    form.locator("textarea").fill("Geändert: mehr Mut zur Schwammstadt")
    form.locator("button[type=submit]").click()
    expect(projector.locator(".wall .statement", has_text="Geändert")).to_have_count(1, timeout=LIVE_MS)
    cockpit.locator("[data-blitz-toggle]").click()
    expect(phone.locator("[data-blitz-closed]")).to_be_visible(timeout=LIVE_MS)
    expect(form.locator("textarea")).to_be_disabled()
