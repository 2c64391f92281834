"""Breakout workspaces in real browsers: three phones in two theme groups, the breakout starts,
each phone shows its own group's workspace; a comment typed by keyboard reaches the other member
and the facilitator's look into the workspace (as text), not the other group; dots count down;
a message to one group reaches only that group, a message to all reaches all; a reload lands
back in the workspace; "Zurück ins Plenum" brings every phone back to the plenary."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import LIVE_MS, fill, join, open_live, ui_strings

pytestmark = pytest.mark.browser

KLIMA = "Klimaanpassung & Stadtklima"
WASSER = "Wasser in der Stadt / Schwammstadt"
TEIL_1 = "Arbeit in Themengruppen, Teil 1"
MARKUP = 'Kaltluft <img src=x onerror="document.body.dataset.pwned=1"> sichern'


def choose(page, name):
    page.locator(".group-card", has=page.locator(".group-name", has_text=name)).click()
    expect(page.locator("[data-group-feedback]")).to_contain_text(name)


def first_goal(page):
    return page.locator(".bo-goal").first


def test_breakout_workspaces_live_messages_and_recall(open_page, live_server, workshop, artifacts):
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{workshop}/cockpit")
    cockpit.locator("tr", has_text="Choose your fighter").locator("button").click()

    paula, bernd, clara, dana = (open_page("phone") for _ in range(4))
    join(paula, f"/j/{workshop}", name="Paula")
    join(bernd, f"/j/{workshop}", name="Bernd")
    join(clara, f"/j/{workshop}", name="Clara")
    join(dana, f"/j/{workshop}", name="Dana")  # chooses no group
    choose(paula, KLIMA)
    choose(bernd, WASSER)
    choose(clara, KLIMA)

    projector = open_page("projector")
    open_live(projector, f"/w/{workshop}/screen")

    # the breakout starts: every phone shows its own group's workspace
    cockpit.locator("tr", has_text=TEIL_1).locator("button").click()
    for phone, group in ((paula, KLIMA), (bernd, WASSER), (clara, KLIMA)):
        expect(phone.locator(".bo-group-name")).to_have_text(group, timeout=LIVE_MS)
        expect(phone.locator(".bo-goal")).to_have_count(4)
    strings = ui_strings(paula)
    expect(dana.locator("[data-bo-message]")).to_contain_text(strings["breakout.no_group"], timeout=LIVE_MS)
    expect(dana.locator(".bo-workspace")).to_have_count(0)
    expect(projector.locator(".bo-tile")).to_have_count(5, timeout=LIVE_MS)
    klima_tile = projector.locator(".bo-tile", has_text=KLIMA)
    expect(klima_tile.locator("[data-members]")).to_have_text(fill(strings["breakout.members"], n=2))
    expect(projector.locator(".bo-workspace")).to_have_count(0)  # no workspace contents on the projector

    # Paula comments by keyboard: open the thread, type, send — focus stays in the form
    summary = first_goal(paula).locator("details[data-thread=comments] > summary")
    summary.focus()
    paula.keyboard.press("Enter")
    paula.keyboard.press("Tab")
    field = first_goal(paula).locator("details[data-thread=comments] textarea")
    expect(field).to_be_focused()
    paula.keyboard.type(MARKUP)
    paula.keyboard.press("Tab")
    expect(first_goal(paula).locator("details[data-thread=comments] button[type=submit]")).to_be_focused()
    paula.keyboard.press("Enter")
    expect(field).to_have_value("")
    expect(field).to_be_focused()
    expect(first_goal(paula).locator("[data-thread=comments] .bo-post-text")).to_have_text(MARKUP, timeout=LIVE_MS)

    # … live on Clara's phone (same group), as text; the count in the closed thread's summary
    expect(first_goal(clara).locator("[data-thread=comments] .bo-post-text")).to_have_text(MARKUP, timeout=LIVE_MS)
    expect(first_goal(clara).locator("[data-thread=comments] > summary")).to_have_text(
        fill(strings["breakout.comments"], n=1))
    # … announced politely to Clara's screen reader, not back to Paula who wrote it
    expect(clara.locator("[data-announcer]")).to_have_text(fill(strings["breakout.new_post"], text=MARKUP))
    expect(paula.locator("[data-announcer]")).not_to_contain_text(strings["breakout.new_post"].split("%")[0].strip())
    # … in the facilitator's look into the group (the first group is selected), not for Bernd
    viewer = cockpit.locator(".bo-viewer")
    expect(cockpit.locator("[data-bo-view-select]")).to_have_value(re.compile(r"\d+"))
    cockpit.locator("[data-bo-view-select]").select_option(label=KLIMA)
    expect(viewer.locator(".bo-post-text", has_text="Kaltluft")).to_have_text(MARKUP, timeout=LIVE_MS)
    expect(bernd.locator(".bo-post-text")).to_have_count(0)
    for page in (paula, clara, cockpit):
        expect(page.locator(".bo-workspace img")).to_have_count(0)
        assert page.evaluate("document.body.dataset.pwned") is None
    # the projector counts the contribution
    expect(klima_tile.locator("[data-contributions]")).to_have_text(
        strings["breakout.contributions_one"], timeout=LIVE_MS)

    # a dot: the counter goes down, the goal counts it
    expect(paula.locator(".bo-dots-left")).to_have_text(fill(strings["breakout.dots_left"], n=3, total=3))
    first_goal(paula).locator(".bo-dot-button").last.click()
    expect(paula.locator(".bo-dots-left")).to_have_text(
        fill(strings["breakout.dots_left"], n=2, total=3), timeout=LIVE_MS)
    expect(first_goal(clara).locator(".bo-dots-total")).to_have_text(
        strings["breakout.dots_one"], timeout=LIVE_MS)
    expect(first_goal(paula).locator(".bo-dot-button").first).to_be_enabled()  # "−" works now
    # by keyboard: the last dot disables "+", the focus moves to "−" of the same goal
    plus, minus = first_goal(paula).locator(".bo-dot-button").last, first_goal(paula).locator(".bo-dot-button").first
    plus.focus()
    paula.keyboard.press("Enter")
    expect(paula.locator(".bo-dots-left")).to_have_text(
        fill(strings["breakout.dots_left"], n=1, total=3), timeout=LIVE_MS)
    paula.keyboard.press("Enter")
    expect(plus).to_be_disabled(timeout=LIVE_MS)
    expect(minus).to_be_focused()
    paula.keyboard.press("Enter")
    expect(paula.locator(".bo-dots-left")).to_have_text(
        fill(strings["breakout.dots_left"], n=1, total=3), timeout=LIVE_MS)

    # "Noch 5 Minuten" to the water group only
    cockpit.locator("#bo-broadcast-target").select_option(label=WASSER)
    cockpit.locator("[data-bo-quick='5']").click()
    five = fill(ui_strings(cockpit)["minutes_left"], n=5)
    expect(bernd.locator("[data-broadcast]")).to_contain_text(five, timeout=LIVE_MS)
    expect(cockpit.locator("[data-bo-broadcast-log]")).to_contain_text(f"{WASSER}: {five}")
    for page in (paula, clara, dana, projector):
        expect(page.locator("[data-broadcast]")).to_be_hidden()

    # a message to all groups reaches every phone and the projector
    cockpit.locator("#bo-broadcast-target").select_option(index=0)
    cockpit.locator("#bo-broadcast-text").fill("Bitte kommen Sie zum Ende")
    cockpit.locator("[data-bo-broadcast-form] button[type=submit]").click()
    for page in (paula, bernd, clara, dana, projector):
        expect(page.locator("[data-broadcast]")).to_contain_text("Bitte kommen Sie zum Ende", timeout=LIVE_MS)

    # Dana (no group) is placed into the water group from the cockpit: her phone switches to it
    undecided = cockpit.locator("[data-bo-undecided] li", has_text="Dana")
    undecided.locator("select").select_option(label=WASSER)
    undecided.locator("button").click()
    expect(dana.locator(".bo-group-name")).to_have_text(WASSER, timeout=LIVE_MS)
    expect(cockpit.locator("[data-bo-undecided] li")).to_have_count(0, timeout=LIVE_MS)

    # every field has a label
    for page in (paula, cockpit):
        unlabelled = page.evaluate("""[...document.querySelectorAll(
            '.bo-workspace :is(input, select, textarea), .breakout-cockpit :is(input, select, textarea)')]
            .filter((el) => !el.labels?.length && !el.getAttribute('aria-label')).map((el) => el.outerHTML)""")
        assert not unlabelled, unlabelled

    # 360 px wide phone: nothing sticks out sideways
    paula.set_viewport_size({"width": 360, "height": 780})
    width = paula.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    paula.screenshot(path=artifacts / "phone-breakout.png", full_page=True)
    projector.screenshot(path=artifacts / "projector-breakout.png")
    cockpit.screenshot(path=artifacts / "cockpit-breakout.png", full_page=True)

    # a reload lands back in the workspace, with what was written and the dot given
    paula.reload()
    expect(paula.locator(".bo-group-name")).to_have_text(KLIMA, timeout=LIVE_MS)
    expect(first_goal(paula).locator("[data-thread=comments] .bo-post-text")).to_have_text(MARKUP)
    expect(paula.locator(".bo-dots-left")).to_have_text(fill(strings["breakout.dots_left"], n=1, total=3))

    # "Zurück ins Plenum" (after a confirmation) brings everyone to the next item
    cockpit.locator("[data-bo-recall]").click()
    expect(cockpit.locator(".bo-recall-dialog")).to_be_visible()
    cockpit.locator("[data-bo-recall-confirm]").click()
    for page in (paula, bernd, clara, dana):
        expect(page.locator("[data-now-title]")).to_have_text("Mittagspause", timeout=LIVE_MS)
        expect(page.locator(".bo-workspace")).to_have_count(0)
    expect(projector.locator(".bo-tile")).to_have_count(0, timeout=LIVE_MS)


def test_the_host_marks_a_result_and_writes_the_summary(open_page, live_server, workshop, artifacts):
    """The facilitator makes Paula the host: her phone gets the host tools; her result mark reaches
    the other member, and the summary she saves is shown to the group."""
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{workshop}/cockpit")
    cockpit.locator("tr", has_text="Choose your fighter").locator("button").click()
    paula, clara = open_page("phone"), open_page("phone")
    join(paula, f"/j/{workshop}", name="Paula")
    join(clara, f"/j/{workshop}", name="Clara")
    choose(paula, KLIMA)
    choose(clara, KLIMA)
    cockpit.locator("tr", has_text=TEIL_1).locator("button").click()
    expect(paula.locator(".bo-group-name")).to_have_text(KLIMA, timeout=LIVE_MS)
    expect(paula.locator(".bo-host-tools").first).to_be_hidden()

    row = cockpit.locator(".bo-groups-table tr", has_text=KLIMA)
    row.locator("select").select_option(label="Paula")
    row.locator("button", has_text=ui_strings(cockpit)["breakout.assign"]).click()
    expect(paula.locator(".bo-host-tools").first).to_be_visible(timeout=LIVE_MS)
    expect(row.locator(".copy-field")).to_have_value(re.compile(rf"/w/{workshop}/host/"))

    # the host tools fit a 360 px phone too
    paula.set_viewport_size({"width": 360, "height": 780})
    width = paula.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    first_goal(paula).locator(".bo-host-tools button").first.click()
    expect(first_goal(clara).locator(".bo-badge-result")).to_be_visible(timeout=LIVE_MS)
    paula.locator(".bo-host-section textarea").fill("Kaltluftbahnen haben Vorrang.")
    paula.locator(".bo-host-section button[type=submit]").click()
    expect(paula.locator(".bo-host-section textarea")).to_be_focused()
    expect(clara.locator(".bo-host-section .bo-summary-text")).to_have_text("Kaltluftbahnen haben Vorrang.", timeout=LIVE_MS)
    paula.screenshot(path=artifacts / "phone-breakout-host.png", full_page=True)

    # part 2 continues the same workspace: what part 1 wrote is marked, its summary comes first
    first_goal(clara).locator("details[data-thread=comments] > summary").click()
    first_goal(clara).locator("details[data-thread=comments] textarea").fill("Aus dem ersten Teil")
    first_goal(clara).locator("details[data-thread=comments] button[type=submit]").click()
    expect(first_goal(paula).locator(".bo-post-text")).to_have_text("Aus dem ersten Teil", timeout=LIVE_MS)
    cockpit.locator("[data-bo-recall]").click()
    cockpit.locator("[data-bo-recall-confirm]").click()
    expect(clara.locator("[data-now-title]")).to_have_text("Mittagspause", timeout=LIVE_MS)
    cockpit.locator("tr", has_text="Teil 2").locator("button").click()
    strings = ui_strings(clara)
    expect(clara.locator(".bo-round")).to_have_text(fill(strings["breakout.part"], n=2), timeout=LIVE_MS)
    expect(clara.locator(".bo-group-name")).to_have_text(KLIMA)
    expect(clara.locator(".bo-handover .bo-summary-text")).to_have_text("Kaltluftbahnen haben Vorrang.")
    earlier = first_goal(clara).locator(".bo-post.is-earlier")
    expect(earlier).to_have_count(1)
    expect(earlier.locator(".bo-badge-earlier")).to_have_text(fill(strings["breakout.from_round"], n=1))
    expect(first_goal(clara).locator(".bo-badge-result")).to_be_visible()
