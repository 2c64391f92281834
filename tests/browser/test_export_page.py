"""The documentation page in Chromium against the real (gevent) server: start a PDF export, follow
it to its download link, download a real PDF, and find the job again after a reload."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_organiser_exports_a_pdf_follows_progress_and_downloads_it(open_page, workshop):
    page = open_page("cockpit", f"/w/{workshop}/export")
    states: list[str] = []

    def watch(response):
        if "/exports" in response.url and response.request.resource_type in ("fetch", "xhr") and response.ok:
            body = json.loads(response.body())
            for job in ([body["job"]] if "job" in body else body.get("jobs", [])):
                states.append(job["state"])

    page.on("response", watch)
    expect(page.locator("[data-export-jobs] li")).to_have_count(0)
    pdf = page.get_by_label("PDF", exact=True)
    expect(pdf).to_be_checked()  # the default
    expect(page.locator("#anonymised")).to_be_checked()
    pdf.focus()
    page.keyboard.press("Space")  # the form works by keyboard
    page.locator("[data-export-start]").focus()
    page.keyboard.press("Enter")

    job = page.locator("[data-export-jobs] li").first
    expect(job).to_be_visible()
    expect(job).to_have_attribute("data-state", "done", timeout=90_000)
    expect(page.locator("[data-export-feedback]")).to_contain_text("PDF")  # announced in the live region
    assert states[0] in ("queued", "running"), states  # the job was shown before it was done …
    assert states[-1] == "done", states  # … and the polling followed it to the end

    link = job.locator("a.export-download")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as file:
        data = file.read()
    assert data.startswith(b"%PDF-") and len(data) > 1000

    page.reload()
    expect(page.locator("[data-export-jobs] li")).to_have_count(1)
    expect(page.locator("[data-export-jobs] li").first).to_have_attribute("data-state", "done")
    expect(page.locator("[data-export-jobs] a.export-download")).to_be_visible()


def test_the_page_is_reached_from_the_cockpit_and_shows_the_retention_date(open_page, workshop):
    page = open_page("cockpit", f"/w/{workshop}/cockpit")
    page.locator(f'a[href="/w/{workshop}/export"]').click()
    expect(page).to_have_url(f"{page.url.split('/w/')[0]}/w/{workshop}/export")
    expect(page.locator("[data-retention-date]")).to_contain_text(".20")  # a date dd.mm.yyyy
    expect(page.locator("#confirm_code")).to_be_visible()  # the organiser may delete the workshop
