"""The agenda editor on the setup page: day start, items, order, pins; two organisers at once; a phone."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import PHONE, PageWatch
from .helpers import LIVE_MS, expect_connected, ui_strings

pytestmark = pytest.mark.browser

#: The RVR agenda when the day starts at 09:00 (the lunch break stays pinned to 11:40).
AT_NINE = {
    "Begrüßung": "09:00", "Keynote durch RVR & bgmr": "09:10", "Clusterkette „Grüne Infrastruktur“": "09:20",
    "Choose your fighter": "09:30", "Pause": "09:45", "Arbeit in Themengruppen, Teil 1": "09:55",
    "Mittagspause": "11:40", "Arbeit in Themengruppen, Teil 2": "12:10", "Blitzlicht": "13:20",
    "Ausblick und Verabschiedung": "13:35",
}


def open_setup(page: Page, workshop: str) -> None:
    page.goto(f"/w/{workshop}/setup")
    expect_connected(page)
    expect(page.locator("[data-items] > li")).to_have_count(len(AT_NINE))


def item(page: Page, title: str):
    """The <li> of the item whose heading shows ``title``."""
    return page.locator("[data-items] > li").filter(
        has=page.locator("[data-heading-title]", has_text=re.compile(f"^{re.escape(title)}$")))


def planned(page: Page, title: str):
    return item(page, title).locator("[data-planned]")


def titles(page: Page) -> list[str]:
    return page.locator("[data-items] > li [data-heading-title]").all_text_contents()


def save(li) -> None:
    li.locator("button[type=submit]").click()


def expect_announced(page: Page, text: str) -> None:
    expect(page.locator("[data-announcer]")).to_have_text(text, timeout=LIVE_MS)


def test_organiser_edits_the_agenda(open_page, workshop, artifacts):
    page = open_page("cockpit")
    open_setup(page, workshop)
    other = open_page("cockpit")  # a second organiser watching the same agenda
    open_setup(other, workshop)
    strings = ui_strings(page)

    expect(planned(page, "Begrüßung")).to_have_text("09:30")
    expect(planned(page, "Keynote durch RVR & bgmr")).to_have_text("09:40")
    expect(page.locator("#day-date")).to_have_value("2022-11-30")

    # the day starts at 09:00: the first item starts then, the later ones shift, the pinned one stays
    page.locator("#day-starts-at").fill("09:00")
    page.locator("[data-day-save]").click()
    expect_announced(page, strings["setup.day_saved"].replace("%(time)s", "09:00"))
    for title, start in AT_NINE.items():
        expect(planned(page, title)).to_have_text(start)
        expect(planned(other, title)).to_have_text(start, timeout=LIVE_MS)
    expect(other.locator("#day-starts-at")).to_have_value("09:00")

    # add an item at the end
    page.locator("#add-title").fill("Kaffee")
    page.locator("#add-kind").select_option("break")
    page.locator("#add-duration").fill("5")
    page.locator("[data-add-submit]").click()
    expect_announced(page, strings["setup.added"].replace("%(title)s", "Kaffee"))
    expect(page.locator("#add-title")).to_be_focused()
    expect(page.locator("#add-title")).to_have_value("")
    kaffee = item(page, "Kaffee")
    expect(kaffee.locator("[data-planned]")).to_have_text("13:45")
    expect(kaffee.locator("[data-kind-label]")).to_have_text(strings["kind.break"])
    expect(item(other, "Kaffee")).to_have_count(1, timeout=LIVE_MS)
    item_id = kaffee.get_attribute("data-item-id")
    kaffee = page.locator(f'li[data-item-id="{item_id}"]')

    # move it up with the keyboard: focus stays on the button, the order and times follow
    up = kaffee.locator('[data-move="-1"]')
    up.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-items] > li").nth(-2)).to_have_attribute("data-item-id", item_id)
    expect(up).to_be_focused()
    assert titles(page)[-2:] == ["Kaffee", "Ausblick und Verabschiedung"]
    expect(kaffee.locator("[data-planned]")).to_have_text("13:35")
    expect(planned(page, "Ausblick und Verabschiedung")).to_have_text("13:40")
    expect_announced(page, strings["setup.moved"].replace("%(title)s", "Kaffee").replace("%(n)s", "10")
                     .replace("%(total)s", "11"))
    expect(other.locator("[data-items] > li").nth(-2)).to_have_attribute("data-item-id", item_id, timeout=LIVE_MS)

    # edit its duration: unsaved until Save, then "Saved" is announced and the next item shifts
    duration = kaffee.locator("[data-field=duration]")
    duration.fill("7")
    expect(kaffee).to_have_class(re.compile(r"\bis-dirty\b"))
    expect(kaffee.locator("[data-item-state]")).to_have_text(strings["setup.unsaved"])
    save(kaffee)
    expect_announced(page, strings["saved"])
    expect(kaffee).not_to_have_class(re.compile(r"\bis-dirty\b"))
    expect(planned(page, "Ausblick und Verabschiedung")).to_have_text("13:42")
    expect(planned(other, "Ausblick und Verabschiedung")).to_have_text("13:42", timeout=LIVE_MS)
    expect(other.locator(f'li[data-item-id="{item_id}"] [data-field=duration]')).to_have_value("7")

    # an invalid duration is refused next to the field, focused, and nothing changes
    duration.fill("0")
    save(kaffee)
    error = kaffee.locator(f"#item-{item_id}-duration-error")
    expect(error).not_to_be_empty()
    expect(duration).to_have_attribute("aria-invalid", "true")
    assert f"item-{item_id}-duration-error" in duration.get_attribute("aria-describedby").split()
    expect(duration).to_be_focused()
    expect(planned(page, "Ausblick und Verabschiedung")).to_have_text("13:42")
    expect(other.locator(f'li[data-item-id="{item_id}"] [data-field=duration]')).to_have_value("7")
    kaffee.screenshot(path=str(artifacts / "setup-desktop-error.png"))
    duration.fill("7")  # typing clears the error
    expect(error).to_have_text("")
    expect(duration).not_to_have_attribute("aria-invalid", "true")

    # remove it, after confirming in the dialog
    kaffee.locator("[data-remove]").click()
    dialog = page.locator("[data-remove-dialog]")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-remove-question]")).to_have_text(
        strings["setup.confirm_remove"].replace("%(title)s", "Kaffee"))
    dialog.locator("[data-remove-confirm]").click()
    expect_announced(page, strings["setup.removed"].replace("%(title)s", "Kaffee"))
    expect(page.locator("[data-items] > li")).to_have_count(len(AT_NINE))
    expect(other.locator("[data-items] > li")).to_have_count(len(AT_NINE), timeout=LIVE_MS)
    expect(planned(page, "Ausblick und Verabschiedung")).to_have_text("13:35")
    expect(item(page, "Ausblick und Verabschiedung").locator("[data-field=title]")).to_be_focused()

    # pin an item: it starts at its clock time, the following ones after it; unpinning undoes it
    blitz = item(page, "Blitzlicht")
    blitz.locator("[data-field=pinned_at]").fill("13:30")
    save(blitz)
    expect(blitz.locator("[data-planned]")).to_have_text("13:30")
    expect(planned(page, "Ausblick und Verabschiedung")).to_have_text("13:45")
    expect(item(other, "Blitzlicht").locator("[data-field=pinned_at]")).to_have_value("13:30", timeout=LIVE_MS)
    blitz.locator("[data-field=pinned_at]").fill("")
    save(blitz)
    expect(blitz.locator("[data-planned]")).to_have_text("13:20")

    # what one organiser is typing survives another organiser's change to the same item
    other_intro = item(other, "Begrüßung")
    other_intro.locator("[data-field=title]").fill("Begrüßung und Ablauf")
    intro = item(page, "Begrüßung")
    intro.locator("[data-field=duration]").fill("15")
    intro.locator("[data-field=notes]").fill("Mikrofon prüfen")
    save(intro)
    expect_announced(page, strings["saved"])
    expect(other_intro.locator("[data-field=duration]")).to_have_value("15", timeout=LIVE_MS)
    expect(other_intro.locator("[data-field=notes]")).to_have_value("Mikrofon prüfen")
    expect(other_intro.locator("[data-field=title]")).to_have_value("Begrüßung und Ablauf")
    expect(other_intro).to_have_class(re.compile(r"\bis-dirty\b"))
    expect(planned(other, "Keynote durch RVR & bgmr")).to_have_text("09:15")
    save(other_intro)  # only the title is sent: the duration and notes stay as the first organiser set them
    expect(item(page, "Begrüßung und Ablauf")).to_have_count(1, timeout=LIVE_MS)
    renamed = item(page, "Begrüßung und Ablauf")
    expect(renamed.locator("[data-field=duration]")).to_have_value("15")
    expect(renamed.locator("[data-field=notes]")).to_have_value("Mikrofon prüfen")

    page.locator("#main").focus()
    page.screenshot(path=str(artifacts / "setup-desktop.png"), full_page=True)
    page.locator("#items-heading").scroll_into_view_if_needed()
    page.evaluate("() => document.querySelector('#items-heading').scrollIntoView()")
    page.screenshot(path=str(artifacts / "setup-desktop-items.png"))


def test_running_day_locks_the_start_and_items_that_ran(open_page, workshop, artifacts):
    cockpit = open_page("cockpit")
    cockpit.goto(f"/w/{workshop}/cockpit")
    expect_connected(cockpit)
    page = open_page("cockpit")
    open_setup(page, workshop)
    strings = ui_strings(page)
    cockpit.locator('[data-cmd="day.start"]').click()

    expect(page.locator("#day-starts-at")).to_be_disabled(timeout=LIVE_MS)
    expect(page.locator("#day-date")).to_be_disabled()
    expect(page.locator("[data-day-hint]")).to_have_text(strings["setup.day_started"])
    running = item(page, "Begrüßung")
    expect(running).to_have_class(re.compile(r"\bis-readonly\b"))
    expect(running.locator("input, select, textarea, button")).to_have_count(0)
    # the next item can no longer move above the running one, but can still be edited
    keynote = item(page, "Keynote durch RVR & bgmr")
    expect(keynote.locator('[data-move="-1"]')).to_be_disabled()
    expect(keynote.locator("[data-field=title]")).to_be_editable()
    page.locator(".setup-day").screenshot(path=str(artifacts / "setup-desktop-day-locked.png"))
    running.screenshot(path=str(artifacts / "setup-desktop-readonly.png"))


def test_drag_and_drop_reorders(open_page, workshop):
    page = open_page("cockpit")
    open_setup(page, workshop)
    other = open_page("cockpit")
    open_setup(other, workshop)
    handle = item(page, "Ausblick und Verabschiedung").locator("[data-drag-handle]")
    handle.drag_to(item(page, "Blitzlicht").locator("[data-drag-handle]"))
    expected = ["Ausblick und Verabschiedung", "Blitzlicht"]
    expect(page.locator("[data-items] > li [data-heading-title]").nth(-1)).to_have_text("Blitzlicht")
    expect(other.locator("[data-items] > li [data-heading-title]").nth(-1)).to_have_text("Blitzlicht", timeout=LIVE_MS)
    assert titles(page)[-2:] == expected and titles(other)[-2:] == expected
    expect(planned(page, "Ausblick und Verabschiedung")).to_have_text("13:20")
    expect(planned(page, "Blitzlicht")).to_have_text("13:30")


def test_setup_page_on_a_phone(browser, live_server, facilitator_state, workshop, artifacts):
    context = browser.new_context(base_url=live_server.url, storage_state=facilitator_state, **PHONE)
    watch = PageWatch("setup-phone")
    try:
        page = context.new_page()
        watch.attach(page)
        open_setup(page, workshop)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone: {width}px"

        # every control has a visible label; every target is at least 44 px high
        unlabelled = page.evaluate("""() => [...document.querySelectorAll('#agenda-editor input, #agenda-editor select, #agenda-editor textarea')]
            .filter((el) => !el.labels.length || !el.labels[0].offsetParent).map((el) => el.id)""")
        assert unlabelled == []
        small = page.evaluate("""() => [...document.querySelectorAll('#agenda-editor button, #agenda-editor input, #agenda-editor select')]
            .filter((el) => el.offsetParent && el.getBoundingClientRect().height < 44)
            .map((el) => el.outerHTML.slice(0, 80))""")
        assert small == []

        page.screenshot(path=str(artifacts / "setup-phone.png"), full_page=True)
        page.screenshot(path=str(artifacts / "setup-phone-top.png"))
        page.locator("[data-items] > li").nth(1).screenshot(path=str(artifacts / "setup-phone-item.png"))
        page.locator(".setup-add").screenshot(path=str(artifacts / "setup-phone-add.png"))
    finally:
        context.close()
    assert not watch.errors and not watch.dialogs, watch.errors + watch.dialogs
