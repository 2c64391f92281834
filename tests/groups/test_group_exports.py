"""Exports of the assignment: a list per group and Zoom's breakout pre-assignment CSV."""
import csv
import io

import pytest

from .conftest import groups, participant_actor, run


@pytest.fixture
def chosen(choosing, workshop, factory):
    gs = groups(workshop)
    named, _ = factory.participant(workshop, name="=Anna Formel")
    anonymous, _ = factory.participant(workshop)
    assert run(participant_actor(workshop, named), "group.choose", {"group_id": gs[1].id})["ok"]
    assert run(participant_actor(workshop, anonymous), "group.choose", {"group_id": gs[0].id})["ok"]
    return gs


def rows(response):
    assert response.status_code == 200, response.data
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_list_per_group(clients, workshop, chosen):
    table = rows(clients.http("organiser").get(f"/w/{workshop.code}/groups.csv?round=1"))
    assert table[0] == ["Group", "Name", "Assigned by"]
    assert table[1] == [chosen[0].name, "", "self"]  # anonymous: no name, group by group in order
    assert table[2] == [chosen[1].name, "'=Anna Formel", "self"]  # no spreadsheet formula


def test_zoom_format(clients, workshop, chosen):
    table = rows(clients.http("facilitator").get(f"/w/{workshop.code}/groups-zoom.csv?round=1"))
    assert table[0][:2] == ["Pre-assign Room Name", "Email Address"]
    assert [r[0] for r in table[1:]] == [chosen[0].name, chosen[1].name]
    assert all(r[1] == "" for r in table[1:])  # no e-mail addresses are collected


def test_empty_round_has_the_header_only(clients, workshop, chosen):
    assert rows(clients.http("organiser").get(f"/w/{workshop.code}/groups.csv?round=2")) == [["Group", "Name", "Assigned by"]]


@pytest.mark.parametrize("role, status", [("participant", 302), ("screen", 302), ("anonymous", 302),
                                          ("other_facilitator", 403)])
def test_only_the_workshops_facilitators_may_export(clients, workshop, chosen, role, status):
    for path in ("groups.csv", "groups-zoom.csv?round=1"):
        response = clients.http(role).get(f"/w/{workshop.code}/{path}")
        assert response.status_code == status, (role, path)


def test_unknown_round_is_not_found(clients, workshop, chosen):
    http = clients.http("organiser")
    assert rows(http.get(f"/w/{workshop.code}/groups.csv"))[1][0] == chosen[0].name  # default: round 1
    for bad in ("0", "10", "eins"):
        assert http.get(f"/w/{workshop.code}/groups.csv?round={bad}").status_code == 404


def test_cockpit_view_links_the_exports(clients, workshop, choosing):
    from tests.conftest import events

    cockpit = clients.connect("organiser")
    exports = events(cockpit, "sync.snapshot")[0][1]["data"]["activity"]["view"]["exports"]
    assert exports == {"groups_csv": f"/w/{workshop.code}/groups.csv?round=1",
                       "zoom_csv": f"/w/{workshop.code}/groups-zoom.csv?round=1"}
