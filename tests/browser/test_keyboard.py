"""f. Keyboard only: joining with Tab/typing/Enter, and the cockpit's controls in the Tab order."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import LIVE_MS, expect_connected, open_live, ui_strings

pytestmark = pytest.mark.browser

#: What the focused element is, in words a failure message can show.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "body";
  if (el.dataset.cmd) return `cmd:${el.dataset.cmd}`;
  if (el.dataset.extend) return `extend:${el.dataset.extend}`;
  if (el.matches("[data-broadcast-form] button")) return "broadcast:send";
  if (el.matches("[data-join-open]")) return "join-open";
  if (el.matches("[data-replan]")) return "replan";
  if (el.id) return `#${el.id}`;
  return el.tagName.toLowerCase() + (el.getAttribute("href") ? `[href=${el.getAttribute("href")}]` : "");
}"""
#: Does the focused element show a focus ring (the :focus-visible outline)?
RING = "() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"


def tab_to(page: Page, target: str, limit: int = 25) -> list[str]:
    """Press Tab until ``target`` (a FOCUSED description) has focus; returns the way there."""
    path = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        path.append(page.evaluate(FOCUSED))
        if path[-1] == target:
            assert page.evaluate(RING), f"{target} has focus but no visible focus ring"
            return path
    raise AssertionError(f"{target} not reached with Tab; focus went {path}")


def test_join_with_the_keyboard_only(open_page, workshop):
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{workshop}/cockpit")
    page = open_page("desktop", "/j")

    tab_to(page, "#code")
    page.keyboard.type(workshop.lower())  # people type codes in lower case
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/j/{workshop}$"))

    tab_to(page, "#display_name")
    page.keyboard.type("Tara Tastatur")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "#organisation"
    page.keyboard.type("Stadt Essen")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "#organisation_type"
    page.keyboard.press("ArrowDown")  # the first type after "not specified"
    expect(page.locator("#organisation_type")).not_to_have_value("")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "#email"  # optional, with its purpose as a hint
    expect(page.locator("#email")).to_have_attribute("aria-describedby", "email-hint")
    page.keyboard.press("Tab")
    expect(page.locator("main form button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/j/{workshop}/live$"))
    expect_connected(page)

    expect(cockpit.locator("[data-people] li").first).to_contain_text("Tara Tastatur · Stadt Essen", timeout=LIVE_MS)


def test_cockpit_controls_are_reachable_by_tab(open_page, workshop):
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{workshop}/cockpit")
    strings = ui_strings(cockpit)

    tab_to(cockpit, "cmd:day.start", limit=20)
    cockpit.keyboard.press("Enter")
    expect(cockpit.locator("[data-now-title]")).to_have_text("Begrüßung", timeout=LIVE_MS)
    # the button that was pressed is gone now: focus must not be lost to the page
    focused = cockpit.evaluate(FOCUSED)
    assert focused != "body", "focus was lost when 'start the day' disappeared"

    wanted = {"cmd:agenda.pause", "cmd:agenda.next", "extend:-5", "extend:-1", "extend:1", "extend:5",
              "#broadcast-text", "broadcast:send", "join-open", "replan"}
    seen = []
    for _ in range(60):
        cockpit.keyboard.press("Tab")
        seen.append(cockpit.evaluate(FOCUSED))
        if seen[-1] in wanted:
            assert cockpit.evaluate(RING), f"{seen[-1]} has focus but no visible focus ring"
        if wanted <= set(seen):
            break
    assert wanted <= set(seen), f"not reachable by Tab: {sorted(wanted - set(seen))}; went {seen}"

    # pause and resume with the keyboard: focus stays on the control that replaced the pressed one
    cockpit.locator('[data-cmd="agenda.pause"]').focus()
    cockpit.keyboard.press("Enter")
    expect(cockpit.locator("[data-timer-label]")).to_have_text(strings["paused"], timeout=LIVE_MS)
    expect(cockpit.locator('[data-cmd="agenda.resume"]')).to_be_focused()
    cockpit.keyboard.press("Space")
    expect(cockpit.locator("[data-timer-label]")).to_have_text(strings["time_left"], timeout=LIVE_MS)
    expect(cockpit.locator('[data-cmd="agenda.pause"]')).to_be_focused()
