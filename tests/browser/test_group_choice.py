"""Choose your fighter in real browsers: two phones choose theme groups, the projector counts
update live, names reach the other phone as text, the cockpit locks and moves someone."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import LIVE_MS, join, open_live

pytestmark = pytest.mark.browser

KLIMA = "Klimaanpassung & Stadtklima"
WASSER = "Wasser in der Stadt / Schwammstadt"


def card(page, name):
    return page.locator(".group-card", has=page.locator(".group-name", has_text=name))


def bar_value(page, index):
    return page.locator(".group-bar").nth(index).locator("[data-value]")


def test_two_phones_choose_and_the_projector_counts(open_page, live_server, workshop, artifacts):
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{workshop}/cockpit")
    cockpit.locator("tr", has_text="Choose your fighter").locator("button").click()
    projector = open_page("projector")
    open_live(projector, f"/w/{workshop}/screen")
    expect(projector.locator(".group-bar")).to_have_count(5)
    expect(bar_value(projector, 0)).to_have_text("0 / 20")

    paula = open_page("phone")
    join(paula, f"/j/{workshop}", name="Paula <b>Grün</b>")
    other = open_page("phone")
    join(other, f"/j/{workshop}")
    expect(other.locator(".group-card")).to_have_count(5)

    card(paula, KLIMA).click()
    expect(card(paula, KLIMA)).to_have_attribute("aria-pressed", "true")
    expect(paula.locator("[data-group-feedback]")).to_contain_text(KLIMA)
    expect(bar_value(projector, 0)).to_have_text("1 / 20", timeout=LIVE_MS)
    # the other phone sees the name as text, and the seats left
    expect(card(other, KLIMA).locator("[data-members]")).to_have_text("Paula <b>Grün</b>", timeout=LIVE_MS)
    expect(card(other, KLIMA).locator("[data-seats]")).to_contain_text("19")
    expect(other.locator(".group-card b")).to_have_count(0)

    card(other, WASSER).click()
    expect(bar_value(projector, 1)).to_have_text("1 / 20", timeout=LIVE_MS)
    expect(card(other, WASSER)).to_have_attribute("aria-pressed", "true")
    expect(card(other, KLIMA)).to_have_attribute("aria-pressed", "false")
    # changing: Paula switches to the water group
    card(paula, WASSER).click()
    expect(bar_value(projector, 0)).to_have_text("0 / 20", timeout=LIVE_MS)
    expect(bar_value(projector, 1)).to_have_text("2 / 20", timeout=LIVE_MS)

    # 390 px: nothing sticks out sideways
    width = paula.evaluate("document.documentElement.scrollWidth")
    assert width <= paula.viewport_size["width"], width
    paula.screenshot(path=artifacts / "phone-group-choice.png", full_page=True)
    projector.screenshot(path=artifacts / "projector-group-choice.png")

    # the cockpit sees both in the water group, moves one back (keyboard-accessible select) and locks
    column = cockpit.locator(".group-column", has_text=WASSER)
    expect(column.locator(".group-person")).to_have_count(2, timeout=LIVE_MS)
    person = column.locator(".group-person", has_text="Paula")
    person.locator("select").select_option(label=KLIMA)
    person.locator("button").click()
    expect(bar_value(projector, 0)).to_have_text("1 / 20", timeout=LIVE_MS)
    expect(card(paula, KLIMA)).to_have_attribute("aria-pressed", "true", timeout=LIVE_MS)  # her phone knows
    expect(card(paula, WASSER)).to_have_attribute("aria-pressed", "false")
    cockpit.locator("[data-group-lock]").click()
    expect(other.locator("[data-group-state]")).to_be_visible(timeout=LIVE_MS)
    expect(card(other, KLIMA)).to_be_disabled()
    expect(cockpit.locator("[data-export=zoom_csv]")).to_have_attribute("href", f"/w/{workshop}/groups-zoom.csv?round=1")
    cockpit.screenshot(path=artifacts / "cockpit-group-choice.png", full_page=True)
