"""Polls prepared on the setup page: a facilitator creates and edits a poll for the RVR Blitzlicht,
a second facilitator's setup page shows it at once, it survives a reload, the cockpit opens it
when the Blitzlicht runs (the setup page then shows it read-only) and a phone votes on it.
On a phone-sized screen every kind of poll can be prepared; user text stays text.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import PHONE, PageWatch
from .helpers import LIVE_MS, expect_connected, fill, join, open_live, ui_strings

pytestmark = pytest.mark.browser

AKTEURE = "Welche Akteur*innen sollten stärker eingebunden werden?"
EVIL = "<b>fett</b> <img src=x onerror=alert(1)>"


def open_setup(page: Page, workshop: str) -> None:
    page.goto(f"/w/{workshop}/setup")
    expect_connected(page)
    expect(page.locator("[data-poll-groups] [data-poll-id]").first).to_be_visible()


def group(page: Page, title: str):
    """The list of polls of the item ``title``."""
    return page.locator("[data-poll-group]").filter(has=page.locator("h3", has_text=re.compile(f"{re.escape(title)}$")))


def poll_row(page: Page, question: str):
    return page.locator("[data-poll-groups] [data-poll-id]").filter(
        has=page.locator(".poll-item-question", has_text=re.compile(f"^{re.escape(question)}$")))


def choose_item(editor, title: str) -> None:
    value = editor.locator("select[name=item_id] option").filter(has_text=re.compile(f"{re.escape(title)}$")).get_attribute("value")
    editor.locator("select[name=item_id]").select_option(value)


def test_prepare_a_poll_for_the_blitzlicht_and_run_it(open_page, workshop, artifacts):
    page = open_page("cockpit")
    open_setup(page, workshop)
    other = open_page("cockpit")  # a second facilitator with the setup page open
    open_setup(other, workshop)
    strings = ui_strings(page)

    # the template poll of the Blitzlicht is listed as prepared and editable
    blitz = group(page, "Blitzlicht")
    expect(blitz.locator(".poll-item-question")).to_have_text([AKTEURE])
    expect(poll_row(page, AKTEURE).locator(".poll-state")).to_have_text(strings["poll.state.draft"])

    # a new multiple-choice poll for the Blitzlicht, with "Sonstige", 1 to 2 answers, named, live results
    editor = page.locator("[data-poll-editor]")
    choose_item(editor, "Blitzlicht")
    editor.get_by_label(strings["poll.question"], exact=True).fill("Welche Themen fehlen?")
    editor.get_by_label(strings["poll.kind"], exact=True).select_option("multiple_choice")
    editor.get_by_label(strings["poll.options"], exact=True).fill("Wasser\nKlima\nMobilität")
    editor.get_by_label(strings["poll.allow_other"], exact=True).check()
    editor.get_by_label(strings["poll.min_choices"], exact=True).fill("1")
    editor.get_by_label(strings["poll.max_choices"], exact=True).fill("2")
    editor.get_by_label(strings["poll.anonymous"], exact=True).uncheck()
    editor.get_by_label(strings["poll.live"], exact=True).check()
    expect(editor.get_by_label(strings["poll.scale_min"], exact=True)).to_be_hidden()  # only what the kind needs
    editor.locator("[data-editor-submit]").click()
    expect(editor.locator("[data-editor-feedback]")).to_have_text(
        fill(strings["poll.created"], question="Welche Themen fehlen?"), timeout=LIVE_MS)
    expect(editor.get_by_label(strings["poll.question"], exact=True)).to_have_value("")

    created = poll_row(page, "Welche Themen fehlen?")
    expect(blitz.locator(".poll-item-question")).to_have_text([AKTEURE, "Welche Themen fehlen?"])
    expect(created.locator(".setup-poll-options li")).to_have_text(["Wasser", "Klima", "Mobilität", f"{strings['poll.other']}: …"])
    expect(created.locator(".setup-poll-facts")).to_contain_text(strings["setup.poll_named"])
    expect(group(other, "Blitzlicht").locator(".poll-item-question")).to_have_text(
        [AKTEURE, "Welche Themen fehlen?"], timeout=LIVE_MS)

    # edit it with the keyboard: Edit loads it into the form, the question has the focus
    created.get_by_role("button", name=re.compile(rf"^{strings['poll.edit']}\s*: Welche Themen fehlen\?$")).focus()
    page.keyboard.press("Enter")
    question = editor.get_by_label(strings["poll.question"], exact=True)
    expect(question).to_be_focused()
    expect(question).to_have_value("Welche Themen fehlen?")
    expect(editor.locator("[data-editor-title]")).to_have_text(strings["poll.edit_heading"])
    expect(editor.get_by_label(strings["poll.options"], exact=True)).to_have_value("Wasser\nKlima\nMobilität")
    expect(editor.get_by_label(strings["poll.max_choices"], exact=True)).to_have_value("2")
    question.fill("Welche Themen fehlen Ihnen?")
    editor.get_by_label(strings["poll.options"], exact=True).fill("Wasser\nKlima\nMobilität\nBoden")
    editor.get_by_label(strings["poll.max_choices"], exact=True).fill("3")
    editor.locator("[data-editor-submit]").click()
    expect(editor.locator("[data-editor-feedback]")).to_have_text(strings["poll.updated"], timeout=LIVE_MS)
    expect(editor.locator("[data-editor-title]")).to_have_text(strings["poll.new"])
    edited = poll_row(page, "Welche Themen fehlen Ihnen?")
    expect(edited.locator(".setup-poll-options li")).to_have_count(5)
    expect(edited.locator(".setup-poll-facts")).to_contain_text(fill(strings["poll.choose_up_to"], max=3))
    expect(poll_row(other, "Welche Themen fehlen Ihnen?")).to_have_count(1, timeout=LIVE_MS)
    expect(poll_row(other, "Welche Themen fehlen?")).to_have_count(0)

    # a refusal names the field and focuses it: more answers than there are
    poll_row(page, "Welche Themen fehlen Ihnen?").get_by_role("button", name=re.compile(strings["poll.edit"])).click()
    editor.get_by_label(strings["poll.min_choices"], exact=True).fill("9")
    editor.locator("[data-editor-submit]").click()
    min_choices = editor.get_by_label(strings["poll.min_choices"], exact=True)
    expect(min_choices).to_have_attribute("aria-invalid", "true", timeout=LIVE_MS)
    expect(min_choices).to_be_focused()
    expect(editor.locator("[data-editor-feedback]")).to_contain_text("min_choices")
    editor.get_by_role("button", name=strings["poll.cancel"]).click()
    expect(editor.locator("[data-editor-title]")).to_have_text(strings["poll.new"])
    page.locator("#poll-setup").screenshot(path=str(artifacts / "setup-polls-desktop.png"))

    # after a reload it is still there, as saved
    page.reload()
    open_setup(page, workshop)
    expect(group(page, "Blitzlicht").locator(".poll-item-question")).to_have_text([AKTEURE, "Welche Themen fehlen Ihnen?"])
    expect(poll_row(page, "Welche Themen fehlen Ihnen?").locator(".setup-poll-options li")).to_have_count(5)

    # the Blitzlicht runs: the cockpit opens the poll, a phone votes; the setup pages show it opened
    phone = open_page("phone")
    join(phone, f"/j/{workshop}")
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{workshop}/cockpit")
    cockpit.get_by_role("button", name=re.compile(r"Blitzlicht$")).click()
    prepared = cockpit.locator(".poll-item", has_text="Welche Themen fehlen Ihnen?")
    prepared.get_by_role("button", name=strings["poll.open"]).click(timeout=LIVE_MS)
    form = phone.locator("[data-poll-form]")
    expect(form.locator("legend")).to_have_text("Welche Themen fehlen Ihnen?", timeout=LIVE_MS)
    form.get_by_label("Boden", exact=True).check()
    form.locator("[data-poll-submit]").click()
    expect(form.locator("[data-poll-feedback]")).to_have_text(strings["poll.saved"], timeout=LIVE_MS)

    for setup in (page, other):
        opened = poll_row(setup, "Welche Themen fehlen Ihnen?")
        expect(opened.locator(".poll-state")).to_contain_text(strings["poll.state.open"], timeout=LIVE_MS)
        expect(opened).to_have_class(re.compile(r"\bis-readonly\b"))
        expect(opened.get_by_role("button")).to_have_count(0)
        expect(opened.locator(".hint")).to_have_text(strings["setup.poll_locked"])
    expect(poll_row(page, AKTEURE).get_by_role("button", name=re.compile(strings["poll.edit"]))).to_be_visible()

    # the Blitzlicht ends: its polls close, the setup page follows
    cockpit.locator('[data-cmd="agenda.next"]').click()
    expect(poll_row(page, "Welche Themen fehlen Ihnen?").locator(".poll-state")).to_contain_text(
        strings["poll.state.closed"], timeout=LIVE_MS)


def test_prepare_polls_on_a_phone(browser, live_server, facilitator_state, workshop, artifacts):
    context = browser.new_context(base_url=live_server.url, storage_state=facilitator_state, **PHONE)
    context.set_default_timeout(5000)
    watch = PageWatch("setup-polls-phone")
    try:
        page = context.new_page()
        watch.attach(page)
        open_setup(page, workshop)
        strings = ui_strings(page)
        editor = page.locator("[data-poll-editor]")

        # a scale with labels for the first item; the question is markup, shown as text
        choose_item(editor, "Begrüßung")
        editor.get_by_label(strings["poll.question"], exact=True).fill(EVIL)
        editor.get_by_label(strings["poll.kind"], exact=True).select_option("scale")
        editor.get_by_label(strings["poll.scale_min"], exact=True).fill("1")
        editor.get_by_label(strings["poll.scale_max"], exact=True).fill("4")
        editor.get_by_label(strings["poll.scale_labels"], exact=True).fill("gar nicht\nsehr")
        editor.get_by_role("button", name=strings["poll.create"]).tap()
        expect(editor.locator("[data-editor-feedback]")).to_have_text(fill(strings["poll.created"], question=EVIL))
        expect(group(page, "Begrüßung").locator(".poll-item-question")).to_have_text([EVIL])
        expect(page.locator("[data-poll-groups] img, [data-poll-groups] b")).to_have_count(0)
        expect(poll_row(page, EVIL).locator(".setup-poll-facts")).to_contain_text(fill(strings["poll.scale_hint"], min=1, max=4))

        # every other kind, one after another (the form keeps the chosen item)
        for kind, question, options in (("single_choice", "Einzeln?", "ja\nnein"), ("ranking", "Reihenfolge?", "A\nB\nC"),
                                         ("open_text", "Was noch?", None)):
            editor.get_by_label(strings["poll.question"], exact=True).fill(question)
            editor.get_by_label(strings["poll.kind"], exact=True).select_option(kind)
            if options:
                editor.get_by_label(strings["poll.options"], exact=True).fill(options)
            else:
                expect(editor.get_by_label(strings["poll.options"], exact=True)).to_be_hidden()
            editor.get_by_role("button", name=strings["poll.create"]).tap()
            expect(editor.locator("[data-editor-feedback]")).to_have_text(fill(strings["poll.created"], question=question))
        expect(group(page, "Begrüßung").locator(".poll-item-question")).to_have_text([EVIL, "Einzeln?", "Reihenfolge?", "Was noch?"])
        expect(poll_row(page, "Reihenfolge?").locator("ol.setup-poll-options li")).to_have_text(["A", "B", "C"])

        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone: {width}px"
        # every visible control of the polls section has a visible label; every target is 44 px or more
        unlabelled = page.evaluate("""() => [...document.querySelectorAll('#poll-setup input, #poll-setup select, #poll-setup textarea')]
            .filter((el) => el.offsetParent && (!el.labels.length || !el.labels[0].offsetParent)).map((el) => el.id)""")
        assert unlabelled == []
        small = page.evaluate("""() => [...document.querySelectorAll('#poll-setup button, #poll-setup input:not([type=checkbox]), #poll-setup select, #poll-setup .check label')]
            .filter((el) => el.offsetParent && el.getBoundingClientRect().height < 44)
            .map((el) => el.outerHTML.slice(0, 80))""")
        assert small == []
        page.locator("#poll-setup").screenshot(path=str(artifacts / "setup-polls-phone.png"))
    finally:
        context.close()
    assert not watch.errors and not watch.dialogs, watch.errors + watch.dialogs
