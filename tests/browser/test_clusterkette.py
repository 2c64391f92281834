"""The Clusterkette in three browsers: a phone adds associations (chained, merged, with markup), the
projector's SVG graph shows them, the facilitator drags a term into a cluster (and moves one with
the keyboard alternative), and the phone sees the clusters form.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import LIVE_MS, join, open_live, ui_strings

pytestmark = pytest.mark.browser

CHAIN_TITLE = "Clusterkette „Grüne Infrastruktur“"
EVIL = "<img src=x onerror=alert(1)>"


def start_chain(cockpit) -> None:
    """Jump the day to the Clusterkette (the agenda row's "now" button)."""
    cockpit.get_by_role("button", name=re.compile(re.escape(CHAIN_TITLE))).click()
    expect(cockpit.locator(".cluster-cockpit [data-central]")).to_have_text("Grüne Infrastruktur", timeout=LIVE_MS)


def add_term(phone, text: str, parent: str | None = None) -> None:
    phone.locator("#cluster-term").fill(text)
    if parent is not None:
        phone.locator("#cluster-parent").select_option(label=parent)
    phone.locator("[data-cluster-form] button[type=submit]").click()
    expect(phone.locator("#cluster-term")).to_have_value("", timeout=LIVE_MS)


def graph_node(projector, text: str):
    """The <g> of a term in the projector's SVG (its <text> starts with the term)."""
    return projector.locator("svg.cluster-svg g.node", has=projector.locator("text", has_text=re.compile("^" + re.escape(text))))


def test_associations_graph_and_clustering(open_page, workshop, artifacts):
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{workshop}/cockpit")
    start_chain(cockpit)
    projector = open_page("projector")
    open_live(projector, f"/w/{workshop}/screen")
    phone = open_page("phone")
    join(phone, f"/j/{workshop}", name="Kim Kommune", organisation_type="kommune")
    strings = ui_strings(phone)

    # the phone: central term, input with label, "reminds me of" list
    expect(phone.locator(".cluster [data-central]")).to_have_text("Grüne Infrastruktur")
    expect(phone.get_by_label(strings["cluster.term_label"])).to_have_attribute("maxlength", "40")
    add_term(phone, "Stadtbäume")
    expect(phone.locator("[data-cluster-feedback]")).to_have_text(strings["cluster.added"].replace("%(text)s", "Stadtbäume"))
    add_term(phone, "Schatten", parent="Stadtbäume")
    add_term(phone, "Bäume")
    add_term(phone, " baum ")
    expect(phone.locator("[data-cluster-feedback]")).to_contain_text("baum")
    # the fifth entry within 30 s is fine, the sixth is refused with a clear message
    add_term(phone, EVIL)
    expect(phone.locator("[data-cluster-mine] li")).to_have_text(["Stadtbäume", "Schatten", "Bäume", "baum", EVIL])
    phone.locator("#cluster-term").fill("Noch einer")
    phone.locator("[data-cluster-form] button[type=submit]").click()
    expect(phone.locator("[data-cluster-feedback]")).to_contain_text(
        strings["cluster.rate_limited"].split("%(n)s")[0].strip(), timeout=LIVE_MS)
    expect(phone.locator("#cluster-term")).to_have_value("Noch einer")  # what I typed is kept
    phone.screenshot(path=artifacts / "cluster-phone.png", full_page=True)

    # the projector: the graph grows, "Bäume" and "baum" are one node with a count, markup is text
    svg = projector.locator("svg.cluster-svg")
    expect(svg).to_be_visible(timeout=LIVE_MS)
    expect(svg.locator("g.node")).to_have_count(1 + 4, timeout=LIVE_MS)  # centre + 4 terms
    expect(svg.locator("g.node.central text")).to_have_text("Grüne Infrastruktur")
    expect(graph_node(projector, "Bäume").locator("text")).to_have_text("Bäume 2")
    expect(graph_node(projector, EVIL)).to_have_count(1)
    expect(svg.locator("img")).to_have_count(0)
    expect(svg.locator("line.link:not(.to-centre)")).to_have_count(1)  # Schatten → Stadtbäume
    # the text alternative for screen readers lists the terms
    expect(projector.locator("[data-cluster-text]")).to_contain_text("Schatten")

    # the cockpit: a cluster, a term dragged into it
    cockpit.get_by_label(ui_strings(cockpit)["cluster.new_cluster"]).fill("Klima")
    cockpit.get_by_role("button", name=ui_strings(cockpit)["cluster.create"]).click()
    klima = cockpit.locator(".cluster-column", has=cockpit.locator("[data-column-name]", has_text="Klima"))
    expect(klima).to_have_count(1, timeout=LIVE_MS)
    term = cockpit.locator(".cluster-column.unsorted li.cluster-term", has_text="Stadtbäume")
    term.locator(".term-text").drag_to(klima.locator("ul.cluster-terms"))
    expect(klima.locator("li.cluster-term")).to_have_count(1, timeout=LIVE_MS)
    expect(klima.locator("li.cluster-term .term-text")).to_have_text("Stadtbäume")
    # keyboard alternative: the "move to" list next to a term
    schatten = cockpit.locator("li.cluster-term", has_text="Schatten")
    schatten.locator("select").focus()
    schatten.locator("select").select_option(label="Klima")
    expect(klima.locator("li.cluster-term .term-text")).to_have_text(["Stadtbäume", "Schatten"], timeout=LIVE_MS)
    expect(schatten.locator("select")).to_be_focused()  # focus follows the moved term
    # moderation: the markup term is hidden from phone and projector
    cockpit.locator("li.cluster-term", has_text=EVIL).get_by_role("button", name=re.compile(ui_strings(cockpit)["hide"])).click()
    cockpit.screenshot(path=artifacts / "cluster-cockpit.png", full_page=True)

    # the phone sees the cluster form; the projector colours the terms and shows the legend
    expect(phone.locator("[data-cluster-list] .cluster-summary h4")).to_have_text(["Klima"], timeout=LIVE_MS)
    expect(phone.locator("[data-cluster-list] .cluster-summary li")).to_have_text(["Stadtbäume", "Schatten"])
    expect(projector.locator("[data-cluster-legend] li")).to_contain_text(["Klima"], timeout=LIVE_MS)
    expect(graph_node(projector, "Stadtbäume")).to_have_class(re.compile(r"\bcluster-c0\b"))
    expect(svg.locator("path.hull")).to_have_count(1)
    expect(graph_node(projector, EVIL)).to_have_count(0, timeout=LIVE_MS)
    expect(phone.locator("#cluster-parent option", has_text=EVIL)).to_have_count(0)
    projector.screenshot(path=artifacts / "cluster-projector.png")


def test_projector_without_animation_when_reduced_motion_is_asked_for(open_page, workshop):
    """prefers-reduced-motion: the layout is computed to rest at once; nothing moves afterwards."""
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{workshop}/cockpit")
    start_chain(cockpit)
    phone = open_page("phone")
    join(phone, f"/j/{workshop}")
    for text in ("Wasser", "Hitze", "Schatten"):
        add_term(phone, text)
    projector = open_page("projector", reduced_motion="reduce")
    open_live(projector, f"/w/{workshop}/screen")
    nodes = projector.locator("svg.cluster-svg g.node")
    expect(nodes).to_have_count(4, timeout=LIVE_MS)
    projector.wait_for_timeout(700)  # let a coalesced update that was already under way arrive first
    first = nodes.evaluate_all("gs => gs.map((g) => g.getAttribute('transform'))")
    projector.wait_for_timeout(400)
    assert nodes.evaluate_all("gs => gs.map((g) => g.getAttribute('transform'))") == first
    # a new term appears at its resting place at once
    add_term(phone, "Bäume")
    expect(nodes).to_have_count(5, timeout=LIVE_MS)
    projector.wait_for_timeout(700)
    placed = nodes.evaluate_all("gs => gs.map((g) => g.getAttribute('transform'))")
    projector.wait_for_timeout(400)
    assert nodes.evaluate_all("gs => gs.map((g) => g.getAttribute('transform'))") == placed


def test_a_group_host_clusters_on_the_phone(open_page, workshop, organiser_api):
    """A Themenpat*in (assigned as a group's host) gets the clustering board on the phone; the
    cockpit sees the cluster; another participant's phone shows no board."""
    api, token = organiser_api

    def command(name, payload):
        response = api.post(f"/api/v1/workshops/{workshop}/commands/{name}", data=payload, headers={"X-CSRFToken": token})
        assert response.ok, response.text()
        return response.json()

    state = api.get(f"/api/v1/workshops/{workshop}").json()
    items = {i["kind"]: i["id"] for i in reversed(state["agenda"]["items"])}
    # the choice first (hosts are assigned among those who joined), then the Clusterkette
    order = [i["id"] for i in state["agenda"]["items"] if i["id"] != items["cluster_chain"]]
    order.insert(order.index(items["group_choice"]) + 1, items["cluster_chain"])
    command("agenda.reorder", {"item_ids": order})
    command("agenda.goto", {"item_id": items["group_choice"]})
    host = open_page("phone")
    join(host, f"/j/{workshop}", name="Theo Themenpate")
    member = open_page("phone")
    join(member, f"/j/{workshop}", name="Mia Mitglied")
    view = api.get(f"/api/v1/workshops/{workshop}").json()["activity"]["view"]
    theo = next(p["participant_id"] for p in view["undecided"] if p["name"] == "Theo Themenpate")
    command("group.host.assign", {"group_id": view["groups"][0]["id"], "participant_id": theo})
    command("agenda.goto", {"item_id": items["cluster_chain"]})
    cockpit = open_page("cockpit")
    open_live(cockpit, f"/w/{workshop}/cockpit")

    add_term(member, "Stadtbäume")
    board = host.locator("[data-host-board] .cluster-cockpit")
    expect(board).to_be_visible(timeout=LIVE_MS)
    expect(member.locator("[data-host-board]")).to_be_hidden()
    strings = ui_strings(host)
    expect(board.locator("[data-cluster-toggle]")).to_be_hidden()  # opening and closing stays with the facilitators
    board.get_by_label(strings["cluster.new_cluster"]).fill("Bäume")
    board.get_by_role("button", name=strings["cluster.create"]).click()
    column = board.locator(".cluster-column", has=host.locator("[data-column-name]", has_text="Bäume"))
    expect(column).to_have_count(1, timeout=LIVE_MS)
    board.locator("li.cluster-term", has_text="Stadtbäume").locator("select").select_option(label="Bäume")
    expect(column.locator("li.cluster-term .term-text")).to_have_text(["Stadtbäume"], timeout=LIVE_MS)
    klima = cockpit.locator(".cluster-column", has=cockpit.locator("[data-column-name]", has_text="Bäume"))
    expect(klima.locator("li.cluster-term .term-text")).to_have_text(["Stadtbäume"], timeout=LIVE_MS)
    expect(member.locator("[data-cluster-list] .cluster-summary h4")).to_have_text(["Bäume"], timeout=LIVE_MS)
