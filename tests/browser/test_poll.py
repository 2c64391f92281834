"""Live polls in three browsers: a phone votes on the seed-002 poll (with a "Sonstige" answer full
of markup), the projector shows turnout but no result until the facilitator reveals it, then the
bars; the facilitator hides the answer. A spontaneous ranking poll is created in the cockpit and
ranked on the phone with the keyboard alternative to drag and drop.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import LIVE_MS, fill, join, open_live, ui_strings

pytestmark = pytest.mark.browser

NETZ = "netzwerkaustausch-2021"
POLL_ITEM = "Abfrage: Wen sollten wir stärker einbinden?"
AKTEURE = "Welche Akteur*innen sollten stärker eingebunden werden?"
EVIL = "<img src=x onerror=alert(1)> Kleingärten"


@pytest.fixture
def netz(organiser_api) -> str:
    """A fresh seed-002 workshop (its poll item shows the template poll "akteure")."""
    api, token = organiser_api
    response = api.post("/api/v1/workshops", data={"template": NETZ}, headers={"X-CSRFToken": token})
    assert response.status == 201, response.text()
    return response.json()["workshop"]["code"]


def start_item(cockpit, title: str) -> None:
    cockpit.get_by_role("button", name=re.compile(re.escape(title))).click()
    expect(cockpit.locator(".poll-cockpit")).to_be_visible(timeout=LIVE_MS)


def test_phone_votes_projector_shows_the_result_after_reveal(open_page, netz, artifacts):
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{netz}/cockpit")
    projector = open_page("projector")
    open_live(projector, f"/w/{netz}/screen")
    phone = open_page("phone")
    join(phone, f"/j/{netz}", name="Kim Kommune", organisation_type="kommune")
    strings = ui_strings(phone)
    start_item(cockpit, POLL_ITEM)

    # the phone: a fieldset with the question as legend, big touch targets, a "Sonstige" field
    form = phone.locator("[data-poll-form]")
    expect(form.locator("fieldset legend")).to_have_text(AKTEURE, timeout=LIVE_MS)
    expect(form.locator("input[type=checkbox]")).to_have_count(10)  # 9 options + "Sonstige"
    for choice in form.locator(".poll-choice").all():
        assert choice.bounding_box()["height"] >= 48
    expect(form.locator(".hint")).to_have_text(fill(strings["poll.choose_up_to"], max=3))

    # the projector: the question and its options, turnout, no result (not even hidden in the page)
    screen = projector.locator(".poll-screen")
    expect(screen.locator(".prompt")).to_have_text(AKTEURE, timeout=LIVE_MS)
    expect(screen.locator("[data-poll-options] li")).to_have_count(9)
    expect(screen.locator("[data-poll-turnout]")).to_have_text(fill(strings["poll.turnout"], voters=0, eligible=1))

    # too many answers: the server's refusal is shown next to the form, nothing is saved
    for label in ("Jugendliche", "Kultur", "Politik", "Wirtschaft"):
        form.get_by_label(label, exact=True).check()
    form.locator("[data-poll-submit]").click()
    expect(form.locator("[data-poll-feedback]")).to_contain_text(strings["error"].split("%(message)s")[0].strip(),
                                                                 timeout=LIVE_MS)
    form.get_by_label("Politik", exact=True).uncheck()
    form.get_by_label("Wirtschaft", exact=True).uncheck()
    form.get_by_label(strings["poll.other_label"]).fill(EVIL)  # typing ticks "Sonstige"
    expect(form.locator(".poll-other input[type=checkbox]")).to_be_checked()
    form.locator("[data-poll-submit]").click()
    expect(form.locator("[data-poll-feedback]")).to_have_text(strings["poll.saved"], timeout=LIVE_MS)
    expect(form.locator("[data-poll-submit]")).to_have_text(strings["poll.change_vote"])

    expect(screen.locator("[data-poll-turnout]")).to_have_text(fill(strings["poll.turnout"], voters=1, eligible=1),
                                                               timeout=LIVE_MS)
    expect(screen.locator(".poll-bar")).to_have_count(0)
    expect(phone.locator(".poll-bar")).to_have_count(0)
    expect(phone.locator("[data-poll-later]")).to_be_visible()

    # the cockpit sees the result at once, with the breakdown by organisation type
    detail = cockpit.locator("[data-poll-detail]")
    expect(detail.locator('.poll-bar[data-key="o2"] .poll-bar-value')).to_have_text("1 · 100 %", timeout=LIVE_MS)
    expect(detail.locator(".poll-breakdown caption")).to_contain_text(strings["poll.breakdown"])
    expect(detail.locator(".poll-answers li .poll-answer-text")).to_have_text([EVIL])
    cockpit.screenshot(path=artifacts / "poll-cockpit.png", full_page=True)

    # reveal: the projector shows the bars, the phone the bars and the answers — as text
    cockpit.get_by_role("button", name=strings["poll.reveal"]).click()
    expect(screen.locator('.poll-bar[data-key="o2"] .poll-bar-value')).to_have_text("1 · 100 %", timeout=LIVE_MS)
    expect(screen.locator('.poll-bar[data-key="o0"] .poll-bar-value')).to_have_text("0 · 0 %")
    expect(screen.locator('.poll-bar[data-key="other"] .poll-bar-label')).to_have_text(strings["poll.other"])
    expect(screen.locator(".poll-cloud li").first).to_be_visible()
    expect(screen.locator("[data-poll-options]")).to_be_hidden()
    expect(phone.locator(".poll-answers li")).to_have_text([EVIL], timeout=LIVE_MS)
    for page in (phone, projector, cockpit):
        expect(page.locator("[data-activity] img")).to_have_count(0)
    projector.screenshot(path=artifacts / "poll-projector.png")
    phone.screenshot(path=artifacts / "poll-phone.png", full_page=True)

    # moderation: the hidden answer leaves the phone at once, the vote for "Sonstige" still counts
    detail.get_by_role("button", name=re.compile(rf"^{strings['hide']}\s*: {re.escape(EVIL)}$")).click()
    expect(phone.locator(".poll-answers li")).to_have_text([strings["poll.no_answers"]], timeout=LIVE_MS)
    expect(screen.locator('.poll-bar[data-key="other"] .poll-bar-value')).to_have_text("1 · 100 %")

    # close: the phone's form is disabled and says so
    cockpit.get_by_role("button", name=strings["poll.close"]).click()
    expect(phone.locator("[data-poll-closed]")).to_be_visible(timeout=LIVE_MS)
    expect(form.locator("[data-poll-submit]")).to_be_disabled()


def test_spontaneous_ranking_poll_ranked_with_the_keyboard(open_page, netz):
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{netz}/cockpit")
    phone = open_page("phone")
    join(phone, f"/j/{netz}")
    strings = ui_strings(phone)
    start_item(cockpit, POLL_ITEM)

    # the cockpit creates a ranking poll with live results and opens it (the template poll closes)
    editor = cockpit.locator("[data-poll-editor]")
    cockpit.locator("[data-poll-new] summary").click()
    editor.get_by_label(strings["poll.question"], exact=True).fill("Was zuerst?")
    editor.get_by_label(strings["poll.kind"], exact=True).select_option("ranking")
    editor.get_by_label(strings["poll.options"], exact=True).fill("Bäume\nWasser\nWege")
    editor.get_by_label(strings["poll.live"], exact=True).check()
    editor.locator("[data-editor-submit]").click()
    expect(editor.locator("[data-editor-feedback]")).to_have_text(fill(strings["poll.created"], question="Was zuerst?"),
                                                                  timeout=LIVE_MS)
    item = cockpit.locator(".poll-item", has_text="Was zuerst?")
    item.get_by_role("button", name=strings["poll.open"]).click()

    # the phone ranks with the arrow buttons (keyboard: focus stays on the moved button)
    ranking = phone.locator("[data-ranking]")
    expect(ranking.locator("li .poll-rank-label")).to_have_text(["Bäume", "Wasser", "Wege"], timeout=LIVE_MS)
    down = ranking.get_by_role("button", name=f"{strings['poll.move_down']}: Bäume")
    down.focus()
    phone.keyboard.press("Enter")
    expect(down).to_be_focused()
    phone.keyboard.press("Enter")
    expect(ranking.locator("li .poll-rank-label")).to_have_text(["Wasser", "Wege", "Bäume"])
    expect(down).to_be_disabled()  # the last place cannot move further down
    phone.locator("[data-poll-submit]").click()
    expect(phone.locator("[data-poll-feedback]")).to_have_text(strings["poll.saved"], timeout=LIVE_MS)

    # live results: the ranking by points on the phone, best first
    expect(phone.locator(".poll-bar .poll-bar-label")).to_have_text(["1. Wasser", "2. Wege", "3. Bäume"], timeout=LIVE_MS)
    expect(cockpit.locator("[data-poll-detail] .poll-bar .poll-bar-label").first).to_have_text("1. Wasser", timeout=LIVE_MS)


def _attachments_supported() -> bool:
    from facilitator.core import activities

    return hasattr(activities, "register_attachment")


@pytest.mark.skipif(not _attachments_supported(), reason="core.activities has no attachments yet")
def test_the_rvr_blitzlicht_runs_its_poll_beside_the_wall(open_page, workshop):
    """RVR: the poll "akteure" runs during the Blitzlicht; the projector shows it while it is open
    and when its results are revealed, the wall otherwise."""
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{workshop}/cockpit")
    projector = open_page("projector")
    open_live(projector, f"/w/{workshop}/screen")
    phone = open_page("phone")
    join(phone, f"/j/{workshop}", organisation_type="kommune")
    strings = ui_strings(phone)
    cockpit.get_by_role("button", name=re.compile(r"Blitzlicht$")).click()
    expect(projector.locator(".blitzlicht-screen .prompt")).to_have_text("Was nehme ich heute mit?", timeout=LIVE_MS)
    expect(phone.locator("[data-poll-form]")).to_have_count(0)  # prepared, not opened

    cockpit.locator(".poll-item", has_text=AKTEURE).get_by_role("button", name=strings["poll.open"]).click()
    expect(phone.locator("[data-poll-form] legend")).to_have_text(AKTEURE, timeout=LIVE_MS)
    expect(phone.locator("[data-blitz-form]")).to_be_visible()  # the statement can still be written
    expect(projector.locator(".poll-screen .prompt")).to_have_text(AKTEURE, timeout=LIVE_MS)
    expect(projector.locator(".blitzlicht-screen")).to_have_count(0)

    phone.locator("[data-poll-form]").get_by_label("Jugendliche", exact=True).check()
    phone.locator("[data-poll-submit]").click()
    expect(phone.locator("[data-poll-feedback]")).to_have_text(strings["poll.saved"], timeout=LIVE_MS)

    cockpit.get_by_role("button", name=strings["poll.close"]).click()
    expect(projector.locator(".blitzlicht-screen .prompt")).to_be_visible(timeout=LIVE_MS)  # back to the wall
    cockpit.get_by_role("button", name=strings["poll.reveal"]).click()
    expect(projector.locator('.poll-screen .poll-bar[data-key="o2"] .poll-bar-value')).to_have_text(
        "1 · 100 %", timeout=LIVE_MS)
