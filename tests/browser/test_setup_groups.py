"""Theme groups on the setup page: an organiser adds a group with its theme host and Zoom link,
changes its capacity, adds and rewords a draft goal; a second setup page follows live; markup in a
name stays text; a ``javascript:`` link is refused next to its field; everything survives a
reload; a phone choosing its group sees the new card; a goal the phone proposes in the group
work shows up read-only, marked "proposed"; a chosen group cannot be removed.
At 360 px the section does not scroll sideways and every control is labelled.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import PHONE, PageWatch
from .helpers import LIVE_MS, expect_connected, fill, join, open_live, ui_strings

pytestmark = pytest.mark.browser

NAME = "Stadtbäume <b>fett</b> <img src=x onerror=alert(1)>"
HOST = "Dr. Hanna Grün"
ZOOM = "https://zoom.us/j/93012345678?pwd=abc"
GOAL = "Straßenbäume klimaresilient pflegen"
REWORDED = "Straßenbäume bis 2030 klimaresilient pflegen"
PROPOSAL = "Schulhöfe entsiegeln <i>sofort</i>"
GOVERNANCE = "Flächen, Governance & Umsetzung"


def open_setup(page: Page, workshop: str) -> None:
    page.goto(f"/w/{workshop}/setup")
    expect_connected(page)
    expect(page.locator("[data-group-list] > li").first).to_be_visible()


def group(page: Page, name: str):
    """The <li> of the theme group called ``name``."""
    return page.locator("[data-group-list] > li").filter(
        has=page.locator("[data-group-name]", has_text=re.compile(f"^{re.escape(name)}$")))


def field(root, strings: dict, key: str):
    return root.get_by_label(strings[key], exact=True)


def expect_announced(page: Page, text: str) -> None:
    expect(page.locator("[data-announcer]")).to_have_text(text, timeout=LIVE_MS)


def test_organiser_prepares_theme_groups(open_page, workshop, artifacts):
    page = open_page("cockpit")
    open_setup(page, workshop)
    other = open_page("cockpit")  # a second organiser with the setup page open
    open_setup(other, workshop)
    strings = ui_strings(page)
    expect(page.locator("[data-group-list] > li")).to_have_count(5)  # the RVR template's groups
    expect(page.locator("#agenda-editor [data-group-list], #agenda-editor [data-group-add-form]")).to_have_count(0)

    # add a group with host, capacity, Zoom link and description; the name is markup, shown as text
    add = page.locator("[data-group-add-form]")
    expect(field(add, strings, "setup.group_capacity")).to_have_value("20")
    field(add, strings, "setup.group_name").fill(NAME)
    field(add, strings, "setup.group_capacity").fill("12")
    field(add, strings, "setup.group_host_name").fill(HOST)
    field(add, strings, "setup.group_room_url").fill(ZOOM)
    field(add, strings, "setup.group_description").fill("Bäume, Wasser, Schatten")
    add.locator("[data-group-add-submit]").click()
    expect_announced(page, fill(strings["setup.added"], title=NAME))
    expect(field(add, strings, "setup.group_name")).to_be_focused()
    expect(field(add, strings, "setup.group_name")).to_have_value("")
    expect(field(add, strings, "setup.group_capacity")).to_have_value("20")

    for setup in (page, other):
        added = group(setup, NAME)
        expect(added).to_have_count(1, timeout=LIVE_MS)
        expect(added.locator("[data-group-seats]")).to_have_text(fill(strings["setup.group_seats"], n=12))
        expect(added.locator("[data-group-host]")).to_have_text(fill(strings["setup.group_host_is"], name=HOST))
        expect(added.locator("[data-group-room] a")).to_have_attribute("href", ZOOM)
        expect(added.locator("[data-group-description]")).to_have_text("Bäume, Wasser, Schatten")
        expect(added.locator("[data-goals-none]")).to_be_visible()
        expect(setup.locator("#group-setup b, #group-setup img")).to_have_count(0)
    expect(page.locator("[data-group-list] > li").last).to_have_attribute("data-group-id", re.compile(r"\d+"))
    expect(page.locator("[data-group-list] > li").last.locator("[data-group-name]")).to_have_text(NAME)

    # edit it in place: the name field has the focus; the capacity changes
    added = group(page, NAME)
    edit = added.locator("[data-group-edit]")
    edit.click()
    expect(edit).to_have_attribute("aria-expanded", "true")
    form = added.locator("[data-group-edit-form]")
    expect(field(form, strings, "setup.group_name")).to_be_focused()
    expect(field(form, strings, "setup.group_name")).to_have_value(NAME)
    expect(field(form, strings, "setup.group_room_url")).to_have_value(ZOOM)
    added.screenshot(path=str(artifacts / "setup-groups-edit-desktop.png"))
    field(form, strings, "setup.group_capacity").fill("15")
    form.locator("button[type=submit]").click()
    expect(form).to_be_hidden(timeout=LIVE_MS)
    expect(edit).to_be_focused()
    expect(added.locator("[data-group-state]")).to_have_text(strings["saved"])
    for setup in (page, other):
        expect(group(setup, NAME).locator("[data-group-seats]")).to_have_text(
            fill(strings["setup.group_seats"], n=15), timeout=LIVE_MS)

    # a javascript: link is refused next to its field, which is marked and focused
    edit.click()
    room = field(form, strings, "setup.group_room_url")
    room.fill("javascript:alert(1)")
    form.locator("button[type=submit]").click()
    expect(room).to_have_attribute("aria-invalid", "true", timeout=LIVE_MS)
    expect(room).to_be_focused()
    error = form.locator('[data-error-for="room_url"]')
    expect(error).to_have_text(strings["setup.group_problem_room_url"])
    expect(error).to_have_attribute("role", "alert")
    expect(room).to_have_attribute("aria-describedby", re.compile(error.get_attribute("id")))
    page.keyboard.press("Escape")  # cancel: the form closes, nothing changed
    expect(form).to_be_hidden()
    expect(edit).to_be_focused()
    expect(added.locator("[data-group-room] a")).to_have_attribute("href", ZOOM)

    # a draft goal: add it, then reword it with the keyboard
    goal_form = added.locator("[data-goal-add-form]")
    field(goal_form, strings, "setup.goal_new").fill(GOAL)
    goal_form.locator("button[type=submit]").click()
    expect_announced(page, fill(strings["setup.added"], title=GOAL))
    expect(field(goal_form, strings, "setup.goal_new")).to_have_value("")
    expect(field(goal_form, strings, "setup.goal_new")).to_be_focused()
    for setup in (page, other):
        expect(group(setup, NAME).locator("[data-goal-text]")).to_have_text([GOAL], timeout=LIVE_MS)
        expect(group(setup, NAME).locator("[data-goals-none]")).to_be_hidden()
    goal = added.locator("[data-goal-list] > li").first
    goal.locator("[data-goal-reword]").focus()
    page.keyboard.press("Enter")
    wording = field(goal, strings, "setup.goal_text")
    expect(wording).to_be_focused()
    expect(wording).to_have_value(GOAL)
    wording.fill(REWORDED)
    goal.locator("[data-goal-form] button[type=submit]").click()
    expect(goal.locator("[data-goal-form]")).to_be_hidden(timeout=LIVE_MS)
    expect(goal.locator("[data-goal-reword]")).to_be_focused()
    for setup in (page, other):
        expect(group(setup, NAME).locator("[data-goal-text]")).to_have_text([REWORDED], timeout=LIVE_MS)
    expect(goal.locator(".setup-goal-badge")).to_have_count(0)  # organisers' goals are no proposals

    # a template goal is removed (after the confirmation); the second page follows
    klima = group(page, "Klimaanpassung & Stadtklima")
    goals_before = klima.locator("[data-goal-text]").all_text_contents()
    assert len(goals_before) >= 2, goals_before
    klima.locator("[data-goal-list] > li").first.locator("[data-goal-remove]").click()
    dialog = page.locator("[data-remove-dialog]")
    expect(dialog.locator("[data-remove-question]")).to_have_text(
        fill(strings["setup.goal_confirm_remove"], text=goals_before[0]))
    dialog.locator("[data-remove-confirm]").click()
    expect(klima.locator("[data-goal-text]")).to_have_text(goals_before[1:], timeout=LIVE_MS)
    expect(group(other, "Klimaanpassung & Stadtklima").locator("[data-goal-text]")).to_have_text(
        goals_before[1:], timeout=LIVE_MS)
    expect(klima.locator("[data-goal-list] > li").first.locator("[data-goal-reword]")).to_be_focused()
    page.locator("#group-setup").screenshot(path=str(artifacts / "setup-groups-desktop.png"))

    # after a reload everything is there as saved
    page.reload()
    open_setup(page, workshop)
    added = group(page, NAME)
    expect(added.locator("[data-group-seats]")).to_have_text(fill(strings["setup.group_seats"], n=15))
    expect(added.locator("[data-group-host]")).to_have_text(fill(strings["setup.group_host_is"], name=HOST))
    expect(added.locator("[data-group-room] a")).to_have_attribute("href", ZOOM)
    expect(added.locator("[data-goal-text]")).to_have_text([REWORDED])
    expect(group(page, "Klimaanpassung & Stadtklima").locator("[data-goal-text]")).to_have_text(goals_before[1:])

    # "Choose your fighter" runs: a phone sees the new group's card (name as text) and chooses it
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{workshop}/cockpit")
    cockpit.locator("tr", has_text="Choose your fighter").locator("button").click()
    phone = open_page("phone")
    join(phone, f"/j/{workshop}")
    card = phone.locator(".group-card", has=phone.locator(".group-name", has_text=re.compile(f"^{re.escape(NAME)}$")))
    expect(card).to_have_count(1, timeout=LIVE_MS)
    expect(card.locator(".group-host")).to_contain_text(HOST)
    expect(phone.locator(".group-card b, .group-card img")).to_have_count(0)
    card.click()
    expect(card).to_have_attribute("aria-pressed", "true", timeout=LIVE_MS)

    # a group added while the choice runs reaches the phone at once
    field(add, strings, "setup.group_name").fill("Boden & Fläche")
    add.locator("[data-group-add-submit]").click()
    expect(phone.locator(".group-name", has_text="Boden & Fläche")).to_have_count(1, timeout=LIVE_MS)

    # the group work starts: the phone proposes a goal; both setup pages show it, read-only, marked
    cockpit.locator("tr", has_text="Arbeit in Themengruppen, Teil 1").locator("button").click()
    expect(phone.locator(".bo-group-name")).to_have_text(NAME, timeout=LIVE_MS)
    phone_strings = ui_strings(phone)
    proposal = phone.locator("section.bo-section", has=phone.get_by_role("heading", name=phone_strings["breakout.propose"]))
    proposal.get_by_label(phone_strings["breakout.goal_text"]).fill(PROPOSAL)
    proposal.get_by_role("button", name=phone_strings["breakout.propose_send"]).click()
    for setup in (page, other):
        proposed = group(setup, NAME).locator("[data-goal-list] > li").filter(has_text=PROPOSAL)
        expect(proposed).to_have_count(1, timeout=LIVE_MS)
        expect(proposed.locator(".setup-goal-badge")).to_have_text(strings["setup.goal_proposed"])
        expect(proposed.get_by_role("button")).to_have_count(0)
        expect(group(setup, NAME).locator("[data-goal-text]")).to_have_text([REWORDED, PROPOSAL])

    # the chosen group cannot be removed: the refusal is shown next to its Remove button
    remove = added.locator("[data-group-remove]")
    remove.click()
    expect(dialog.locator("[data-remove-question]")).to_have_text(fill(strings["setup.group_confirm_remove"], name=NAME))
    dialog.locator("[data-remove-confirm]").click()
    refusal = added.locator("[data-group-error]")
    prefix = re.escape(strings["error"].split("%(message)s")[0])
    expect(refusal).to_have_text(re.compile(f"^{prefix}.*(gewählt|chosen)"), timeout=LIVE_MS)
    expect(refusal).to_have_attribute("role", "alert")
    expect(remove).to_be_focused()
    expect(group(page, NAME)).to_have_count(1)

    # a group nobody chose is removed; the focus goes to the next group
    governance = group(page, GOVERNANCE)
    governance.locator("[data-group-remove]").click()
    dialog.locator("[data-remove-confirm]").click()
    for setup in (page, other):
        expect(group(setup, GOVERNANCE)).to_have_count(0, timeout=LIVE_MS)
    expect(group(page, NAME).locator("[data-group-edit]")).to_be_focused()
    expect_announced(page, fill(strings["setup.removed"], title=GOVERNANCE))


def test_theme_groups_on_a_narrow_phone(browser, live_server, facilitator_state, workshop, artifacts):
    context = browser.new_context(base_url=live_server.url, storage_state=facilitator_state,
                                  **{**PHONE, "viewport": {"width": 360, "height": 740}})
    context.set_default_timeout(5000)
    watch = PageWatch("setup-groups-phone")
    try:
        page = context.new_page()
        watch.attach(page)
        open_setup(page, workshop)
        strings = ui_strings(page)

        # add a group by touch, with a long link that must wrap, and open its edit form and a goal's
        add = page.locator("[data-group-add-form]")
        field(add, strings, "setup.group_name").fill("Wasser in der Stadt – Schwammstadt und Starkregenvorsorge")
        field(add, strings, "setup.group_host_name").fill(HOST)
        field(add, strings, "setup.group_room_url").fill("https://bbb.example.org/rooms/" + "x" * 80 + "/join")
        add.locator("[data-group-add-submit]").tap()
        added = group(page, "Wasser in der Stadt – Schwammstadt und Starkregenvorsorge")
        expect(added).to_have_count(1, timeout=LIVE_MS)
        added.locator("[data-group-edit]").tap()
        expect(added.locator("[data-group-edit-form]")).to_be_visible()
        first = page.locator("[data-group-list] > li").first
        first.locator("[data-goal-list] > li").first.locator("[data-goal-reword]").tap()
        expect(first.locator("[data-goal-form]").first).to_be_visible()

        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"the page scrolls sideways on a phone: {width}px"
        # every visible control of the section has a visible label; buttons and fields are 44 px or more
        unlabelled = page.evaluate("""() => [...document.querySelectorAll('#group-setup input, #group-setup select, #group-setup textarea')]
            .filter((el) => el.offsetParent && (!el.labels.length || !el.labels[0].offsetParent)).map((el) => el.id)""")
        assert unlabelled == []
        nameless = page.evaluate("""() => [...document.querySelectorAll('#group-setup button')]
            .filter((el) => el.offsetParent && !el.textContent.trim()).map((el) => el.outerHTML.slice(0, 80))""")
        assert nameless == []
        small = page.evaluate("""() => [...document.querySelectorAll('#group-setup button, #group-setup input, #group-setup textarea')]
            .filter((el) => el.offsetParent && el.getBoundingClientRect().height < 44)
            .map((el) => el.outerHTML.slice(0, 80))""")
        assert small == []
        wide = page.evaluate("""() => [...document.querySelectorAll('#group-setup *')]
            .filter((el) => el.offsetParent && el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map((el) => el.outerHTML.slice(0, 80))""")
        assert wide == []
        added.screenshot(path=str(artifacts / "setup-groups-phone.png"))  # the whole section is very tall
    finally:
        context.close()
    assert not watch.errors and not watch.dialogs, watch.errors + watch.dialogs


def test_the_host_link_from_setup_makes_whoever_opens_it_the_host(open_page, workshop, organiser_api):
    """Before the day the organiser copies a group's host link from the setup page; the
    Themenpat*in opens it on the phone, joins, and hosts that group's workspace."""
    api, token = organiser_api
    setup = open_page("cockpit")
    open_setup(setup, workshop)
    first = setup.locator("[data-group-list] > li").first
    link = first.locator("[data-group-host-link]")
    expect(link).to_have_value(re.compile(rf"^http://127\.0\.0\.1:\d+/w/{workshop}/host/"))
    expect(first.get_by_label(ui_strings(setup)["breakout.host_link"])).to_have_count(1)

    phone = open_page("phone")
    phone.goto(link.input_value())  # not joined yet: the join form comes first, then the link works
    expect(phone).to_have_url(re.compile(rf"/j/{workshop}\?host="))
    phone.locator("#display_name").fill("Theo Themenpate")
    phone.locator("main form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(rf"/j/{workshop}/live$"))
    expect_connected(phone)

    state = api.get(f"/api/v1/workshops/{workshop}").json()
    breakout = next(i["id"] for i in state["agenda"]["items"] if i["kind"] == "breakout")
    response = api.post(f"/api/v1/workshops/{workshop}/commands/agenda.goto", data={"item_id": breakout},
                        headers={"X-CSRFToken": token})
    assert response.ok, response.text()
    view = api.get(f"/api/v1/workshops/{workshop}").json()["activity"]["view"]
    host = view["groups"][0]
    assert host["host_participant_id"] is not None
    assert [m["name"] for m in host["members"]] == ["Theo Themenpate"]
    expect(phone.locator(".bo-host-section")).to_be_visible(timeout=LIVE_MS)  # the host's tools on the phone
