"""A projector that came in with the key link (nobody logged in on that machine): when the
organisers make new links, it loses its connection at once and says why, instead of
"reconnecting …" forever."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import LIVE_MS, open_live, ui_strings

pytestmark = pytest.mark.browser


def test_revoked_projector_link_says_so(open_page, workshop, organiser_api):
    api, token = organiser_api
    screen_url = api.get(f"/api/v1/workshops/{workshop}").json()["workshop"]["screen_url"]
    projector = open_page("desktop")  # not logged in: only the key link lets it in
    open_live(projector, screen_url)

    response = api.post(f"/w/{workshop}/team/revoke", headers={"X-CSRFToken": token}, max_redirects=0)
    assert response.status == 302, response.text()

    status = projector.locator("[data-connection]").first
    expect(status).to_have_attribute("data-status", "refused", timeout=LIVE_MS * 2)
    expect(status).to_have_text(ui_strings(projector)["access_refused"])
    expect(status).to_have_attribute("role", "alert")
