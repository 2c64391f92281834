"""Theme groups in setup: organisers add, change and remove groups and draft goals; phones follow."""
from __future__ import annotations

from tests.conftest import events

from .conftest import groups, last, participant_actor, run


def test_facilitators_get_the_groups_with_goals_participants_do_not(clients, workshop, clock):
    cockpit = events(clients.connect("organiser"), "sync.snapshot")[0][1]["data"]
    assert [g["name"] for g in cockpit["groups"]][:2] == ["Klimaanpassung & Stadtklima", "Wasser in der Stadt / Schwammstadt"]
    assert cockpit["groups"][0]["goals"][0]["text"].startswith("Regional bedeutsame Kaltluftbahnen")
    assert "groups" not in events(clients.connect("participant"), "sync.snapshot")[0][1]["data"]
    assert "groups" not in events(clients.connect("screen"), "sync.snapshot")[0][1]["data"]


def test_create_update_and_the_cards_follow(clients, choosing, workshop):
    phone = clients.connect("participant")
    events(phone), events(choosing)
    ack = choosing.emit("group.create", {"name": "Biodiversität", "capacity": 12, "room_url": "https://zoom.example/j/1"},
                        callback=True)
    assert ack["ok"], ack
    cards = last(phone, "workshop.state")["activity"]["view"]["groups"]
    assert cards[-1]["name"] == "Biodiversität" and cards[-1]["capacity"] == 12
    assert choosing.emit("group.update", {"group_id": ack["group_id"], "host_name": "Dr. Hanna Grün", "capacity": 8,
                                          "description": None}, callback=True)["ok"]
    setup = last(choosing, "workshop.state")["groups"][-1]
    assert (setup["host_name"], setup["capacity"], setup["room_url"]) == ("Dr. Hanna Grün", 8, "https://zoom.example/j/1")
    assert choosing.emit("group.update", {"group_id": ack["group_id"], "room_url": None}, callback=True)["ok"]
    assert last(choosing, "workshop.state")["groups"][-1]["room_url"] is None
    assert last(phone, "workshop.state")["activity"]["view"]["groups"][-1]["host_name"] == "Dr. Hanna Grün"


def test_a_chosen_group_is_not_removed(clients, choosing, workshop, factory):
    first, second = groups(workshop)[:2]
    person, _ = factory.participant(workshop)
    assert run(participant_actor(workshop, person), "group.choose", {"group_id": first.id})["ok"]
    refused = choosing.emit("group.delete", {"group_id": first.id}, callback=True)
    assert refused["ok"] is False and refused["error"]["code"] == "group_in_use"
    assert choosing.emit("group.delete", {"group_id": second.id}, callback=True)["ok"]
    assert [g.id for g in groups(workshop)][:2] == [first.id, groups(workshop)[1].id] and len(groups(workshop)) == 4


def test_draft_goals_are_added_reworded_and_removed_until_someone_used_them(clients, workshop, clock):
    fac = clients.connect("organiser")
    group = groups(workshop)[0]
    added = fac.emit("group.goal.add", {"group_id": group.id, "text": "Grünflächen klimaresilient pflegen"}, callback=True)
    assert added["ok"], added
    assert fac.emit("group.goal.update", {"goal_id": added["goal_id"], "text": "Grünflächen pflegen"}, callback=True)["ok"]
    goals = last(fac, "workshop.state")["groups"][0]["goals"]
    assert goals[-1] == {"id": added["goal_id"], "text": "Grünflächen pflegen", "origin": "template"}
    assert fac.emit("group.goal.remove", {"goal_id": added["goal_id"]}, callback=True)["ok"]
    assert added["goal_id"] not in [g["id"] for g in last(fac, "workshop.state")["groups"][0]["goals"]]


def test_the_agenda_export_keeps_template_goals_not_proposals(clients, workshop, clock, factory):
    from facilitator.extensions import db
    from facilitator.groups.models import DraftGoal

    group = groups(workshop)[0]
    db.session.add(DraftGoal(group_id=group.id, position=99, text="Vorschlag aus Teil 1", origin="participant"))
    db.session.commit()
    toml = clients.http("organiser").get(f"/api/v1/workshops/{workshop.code}/agenda.toml").get_data(as_text=True)
    assert "Regional bedeutsame Kaltluftbahnen" in toml and "Vorschlag aus Teil 1" not in toml
