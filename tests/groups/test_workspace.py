"""Breakout workspaces: each group sees and writes its own workspace live, hosts moderate,
dots are limited, round 2 continues round 1, broadcast to one group, recall to the plenary."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from facilitator.core.auth import participant_cookie
from facilitator.extensions import db as _db
from facilitator.extensions import socketio
from tests.conftest import events

from .conftest import CHOICE_ITEM, groups, item_titled, last, participant_actor, run

TEIL_1, LUNCH, TEIL_2 = "Arbeit in Themengruppen, Teil 1", "Mittagspause", "Arbeit in Themengruppen, Teil 2"


def phone(app, factory, workshop, name=None):
    """A participant (named or not) and their connected phone."""
    participant, token = factory.participant(workshop, name=name, org_type="kommune")
    client = app.test_client()
    client.set_cookie(participant_cookie(workshop), token)
    sock = socketio.test_client(app, flask_test_client=client, auth={"workshop": workshop.code, "view": "participant"})
    assert sock.is_connected()
    return SimpleNamespace(participant=participant, sock=sock, client=client, token=token)


def follow(member) -> dict:
    ack = member.sock.emit("workspace.follow", {}, callback=True)
    assert ack["ok"], ack
    member.sock.get_received()
    return ack["personal"]


def states(sock, group_id=None) -> list[dict]:
    found = [m["data"] for _e, m in events(sock, "workspace.state")]
    return [d for d in found if group_id is None or d["group_id"] == group_id]


def goto(fac, workshop, title):
    ack = fac.emit("agenda.goto", {"item_id": item_titled(workshop, title).id}, callback=True)
    assert ack["ok"], ack


@pytest.fixture
def day(app, clients, factory, workshop, clock):
    """Anna and Carla chose group 1, Ben group 2; the breakout of round 1 runs; phones follow."""
    fac = clients.connect("organiser")
    goto(fac, workshop, CHOICE_ITEM)
    first, second = groups(workshop)[:2]
    anna, ben, carla = (phone(app, factory, workshop, name) for name in ("Anna", "Ben", "Carla"))
    for member, group in ((anna, first), (ben, second), (carla, first)):
        assert run(participant_actor(workshop, member.participant), "group.choose", {"group_id": group.id})["ok"]
    goto(fac, workshop, TEIL_1)
    for member in (anna, ben, carla):
        follow(member)
    fac.get_received()
    return SimpleNamespace(fac=fac, first=first, second=second, anna=anna, ben=ben, carla=carla, workshop=workshop)


def test_each_phone_gets_its_own_groups_workspace_with_the_draft_goals(day):
    mine = follow(day.anna)
    assert mine["group_id"] == day.first.id and not mine["is_host"]
    assert mine["dots_left"] == 3 and mine["my_votes"] == {}
    workspace = mine["workspace"]
    assert workspace["name"] == "Klimaanpassung & Stadtklima" and workspace["round"] == 1
    assert workspace["goals"][0]["text"].startswith("Regional bedeutsame Kaltluftbahnen")
    assert [q[:20] for q in workspace["questions"]] == ["Welche Projekte, Str", "Welche Ziele können ", "Wo sehen Sie den dri"]
    assert follow(day.ben)["workspace"]["name"] == day.second.name


def test_snapshot_after_reconnect_lands_in_the_workspace(app, day):
    again = socketio.test_client(app, flask_test_client=day.anna.client,
                                 auth={"workshop": day.workshop.code, "view": "participant"})
    snapshot = events(again, "sync.snapshot")[0][1]["data"]
    assert snapshot["activity"]["kind"] == "breakout"
    assert snapshot["me"]["activity"]["workspace"]["group_id"] == day.first.id


def test_a_comment_reaches_the_group_and_the_facilitators_not_other_groups(clients, day):
    screen = clients.connect("screen")
    events(screen)
    goal = day.first.goals[0]
    ack = day.anna.sock.emit("workspace.comment", {"goal_id": goal.id, "text": "Auch <b>Grünzüge</b>"}, callback=True)
    assert ack["ok"], ack

    carla_sees = states(day.carla.sock, day.first.id)[-1]["workspace"]
    comments = carla_sees["goals"][0]["comments"]
    assert [(c["text"], c["author"], c["round"]) for c in comments] == [("Auch <b>Grünzüge</b>", "Anna", 1)]
    received = events(day.fac)
    cockpit = [m["data"] for e, m in received if e == "workspace.state"]
    assert cockpit[-1]["workspace"]["goals"][0]["comments"][0]["text"] == "Auch <b>Grünzüge</b>"
    assert states(day.ben.sock) == []  # another group's phone gets nothing of it
    overview = [m["data"] for e, m in received if e == "activity.live"][-1]["view"]["groups"]
    assert overview[0]["contribution_count"] == 1 and overview[1]["contribution_count"] == 0
    projector = events(screen)
    assert "workspace.state" not in [e for e, _m in projector] and "Grünzüge" not in str(projector)
    tiles = [m["data"] for e, m in projector if e == "activity.live"][-1]["view"]["groups"]
    assert tiles[0]["contribution_count"] == 1 and "members" not in tiles[0] and "host_link" not in tiles[0]


def test_nobody_writes_into_another_group(day):
    other_goal = day.second.goals[0]
    before = states(day.ben.sock)
    ack = day.anna.sock.emit("workspace.comment", {"goal_id": other_goal.id, "text": "Fremd"}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "not_in_group"
    assert follow(day.ben)["workspace"]["goals"][0]["comments"] == [] and states(day.ben.sock) == before


def test_without_a_group_there_is_no_workspace(app, factory, day):
    lonely = phone(app, factory, day.workshop, "Lona")
    assert follow(lonely)["group_id"] is None
    ack = lonely.sock.emit("workspace.goal.propose", {"text": "Mehr Bäume"}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "not_in_group"


def test_every_kind_of_contribution_shows_in_the_workspace(day):
    goal = day.first.goals[1]
    sock = day.anna.sock
    assert sock.emit("workspace.reword", {"goal_id": goal.id, "text": "Quartiere entsiegeln"}, callback=True)["ok"]
    proposed = sock.emit("workspace.goal.propose", {"text": "Schulhöfe öffnen"}, callback=True)
    assert proposed["ok"]
    assert sock.emit("workspace.practice.add", {"title": "Klimaschutzsiedlung", "organisation": "Stadt Bottrop",
                                                "link": "https://example.org/p"}, callback=True)["ok"]
    assert sock.emit("workspace.answer", {"question_index": 2, "text": "Hitzeinseln"}, callback=True)["ok"]
    workspace = follow(day.carla)["workspace"]
    assert workspace["goals"][1]["rewordings"][0]["text"] == "Quartiere entsiegeln"
    new = workspace["goals"][-1]
    assert new["text"] == "Schulhöfe öffnen" and new["origin"] == "participant" and new["proposed_in_round"] == 1
    assert workspace["practices"][0]["organisation"] == "Stadt Bottrop"
    assert workspace["answers"][2]["items"][0]["text"] == "Hitzeinseln"


@pytest.mark.parametrize("payload", [
    {"title": "x", "link": "javascript:alert(1)"}, {"title": ""}, {"title": "x" * 121},
])
def test_bad_good_practice_is_refused(day, payload):
    ack = day.anna.sock.emit("workspace.practice.add", payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid_payload"


def test_unknown_guiding_question_is_refused(day):
    ack = day.anna.sock.emit("workspace.answer", {"question_index": 7, "text": "?"}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "question_not_found"


# --- dots --------------------------------------------------------------------------------------

def test_three_dots_per_person_and_round(day):
    goals = day.first.goals
    sock = day.anna.sock
    for goal, left in ((goals[0], 2), (goals[0], 1), (goals[1], 0)):
        ack = sock.emit("workspace.vote", {"goal_id": goal.id}, callback=True)
        assert ack["ok"] and ack["dots_left"] == left, ack
    fourth = sock.emit("workspace.vote", {"goal_id": goals[2].id}, callback=True)
    assert fourth["ok"] is False and fourth["error"]["code"] == "no_dots_left"
    assert fourth["error"]["message"]
    back = sock.emit("workspace.unvote", {"goal_id": goals[0].id}, callback=True)
    assert back["ok"] and back["dots_left"] == 1 and back["my_votes"] == {str(goals[0].id): 1, str(goals[1].id): 1}
    seen = follow(day.carla)["workspace"]["goals"]
    assert [g["dots"] for g in seen[:3]] == [1, 1, 0]
    nothing = sock.emit("workspace.unvote", {"goal_id": goals[2].id}, callback=True)
    assert nothing["ok"] is False and nothing["error"]["code"] == "vote_not_found"


# --- hosts -------------------------------------------------------------------------------------

@pytest.fixture
def hosted(day, organiser):
    ack = day.fac.emit("group.host.assign", {"group_id": day.first.id, "participant_id": day.carla.participant.id},
                       callback=True)
    assert ack["ok"], ack
    assert events(day.carla.sock, "workspace.changed")  # her phone follows again
    assert follow(day.carla)["is_host"]
    return day


def test_host_marks_results_merges_hides_and_summarises(hosted, organiser):
    day = hosted
    first, second, third = day.first.goals[:3]
    anna = day.anna.sock
    assert anna.emit("workspace.comment", {"goal_id": second.id, "text": "Doppelt"}, callback=True)["ok"]
    assert anna.emit("workspace.vote", {"goal_id": second.id}, callback=True)["ok"]
    spam = anna.emit("workspace.comment", {"goal_id": first.id, "text": "Werbung"}, callback=True)
    host = day.carla.sock
    assert host.emit("workspace.goal.result", {"goal_id": first.id, "is_result": True}, callback=True)["ok"]
    assert host.emit("workspace.goal.merge", {"goal_id": second.id, "into_goal_id": third.id}, callback=True)["ok"]
    assert host.emit("workspace.post.hide", {"post_id": spam["post_id"], "hidden": True}, callback=True)["ok"]
    assert host.emit("workspace.summary", {"text": "Kaltluft zuerst."}, callback=True)["ok"]

    member_view = follow(day.anna)["workspace"]
    assert member_view["goals"][0]["is_result"] and member_view["goals"][0]["comments"] == []
    assert second.id not in [g["id"] for g in member_view["goals"]]
    merged = next(g for g in member_view["goals"] if g["id"] == third.id)
    assert merged["dots"] == 1 and merged["comments"][0]["text"] == "Doppelt"
    assert member_view["summaries"] == [{"round": 1, "text": "Kaltluft zuerst.", "updated_at": member_view["summaries"][0]["updated_at"]}]
    host_view = states(host, day.first.id)[-1]["workspace"]
    assert host_view["goals"][0]["comments"][0]["is_hidden"] is True  # the host still sees it, flagged
    assert "Werbung" not in str(states(day.anna.sock))  # members never receive the hidden post


def test_members_are_not_hosts(hosted):
    goal = hosted.first.goals[0]
    for name, payload in (("workspace.goal.result", {"goal_id": goal.id}), ("workspace.goal.hide", {"goal_id": goal.id}),
                          ("workspace.summary", {"text": "Ich auch"})):
        ack = hosted.anna.sock.emit(name, payload, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "not_host", (name, ack)


def test_host_of_one_group_cannot_moderate_another(hosted):
    ack = hosted.carla.sock.emit("workspace.goal.result", {"goal_id": hosted.second.goals[0].id}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "not_host"


def test_host_link_makes_whoever_opens_it_host_after_joining(clients, day):
    cockpit = events(clients.connect("organiser"), "sync.snapshot")[0][1]["data"]["activity"]["view"]
    link = next(g for g in cockpit["groups"] if g["id"] == day.second.id)["host_link"]
    assert link.startswith(f"/w/{day.workshop.code}/host/")
    app = clients.app
    fresh = app.test_client()
    response = fresh.get(link)
    assert response.status_code == 302 and "/j/" in response.headers["Location"] and "host=" in response.headers["Location"]
    join_page = fresh.get(response.headers["Location"])
    assert join_page.status_code == 200
    _db.session.expire_all()
    assert _db.session.get(type(day.second), day.second.id).host_participant_id is None
    ben = day.ben
    response = ben.client.get(link)
    assert response.status_code == 302 and response.headers["Location"].endswith("/live")
    _db.session.expire_all()
    assert _db.session.get(type(day.second), day.second.id).host_participant_id == ben.participant.id
    assert follow(ben)["is_host"]


def test_a_forged_host_link_is_refused(day):
    response = day.anna.client.get(f"/w/{day.workshop.code}/host/not-a-token")
    assert response.status_code == 403
    assert "Moderationsteam nach einem neuen" in response.get_data(as_text=True)  # translated, not the developer text


# --- facilitators: broadcast, recall, move ------------------------------------------------------

def test_broadcast_to_one_group(clients, day):
    screen = clients.connect("screen")
    screen.get_received()
    ack = day.fac.emit("broadcast.send", {"text": "Noch 5 Minuten", "group_id": day.second.id}, callback=True)
    assert ack["ok"], ack
    message = last(day.ben.sock, "broadcast.group")  # Ben is in the second group
    assert message["text"] == "Noch 5 Minuten" and message["group_name"] == day.second.name
    for sock in (day.anna.sock, screen):  # another group's phone and the projector: in sequence, no text
        seen = events(sock)
        assert "Noch 5 Minuten" not in str(seen) and "sync.seq" in [e for e, _m in seen]
    assert last(day.fac, "broadcast.sent")["group_id"] == day.second.id
    # after a reload: Ben's snapshot has it, Anna's does not
    assert "Noch 5 Minuten" in str(day.ben.sock.emit("sync.request", {}, callback=True)["snapshot"]["data"]["broadcasts"])
    assert "Noch 5 Minuten" not in str(day.anna.sock.emit("sync.request", {}, callback=True)["snapshot"]["data"]["broadcasts"])


def test_broadcast_to_another_workshops_group_is_refused(app, clients, day, factory, organiser):
    other = factory.workshop(organiser)
    foreign = groups(other)[0]
    ack = day.fac.emit("broadcast.send", {"text": "Hallo", "group_id": foreign.id}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "group_not_found"


def test_recall_brings_everyone_back_to_the_plenary(day):
    ack = day.fac.emit("breakout.recall", {}, callback=True)
    assert ack["ok"], ack
    state = last(day.anna.sock, "workshop.state")
    current = next(i for i in state["agenda"]["items"] if i["id"] == state["agenda"]["current_id"])
    assert current["title"] == LUNCH
    late = day.anna.sock.emit("workspace.comment", {"goal_id": day.first.goals[0].id, "text": "Zu spät"}, callback=True)
    assert late["ok"] is False and late["error"]["code"] == "no_breakout"
    again = day.fac.emit("breakout.recall", {}, callback=True)
    assert again["ok"] is False and again["error"]["code"] == "no_breakout"


def test_moving_someone_during_the_breakout_switches_their_workspace(day):
    ack = day.fac.emit("group.move", {"participant_id": day.anna.participant.id, "group_id": day.second.id, "round": 1},
                       callback=True)
    assert ack["ok"], ack
    assert events(day.anna.sock, "workspace.changed")
    assert follow(day.anna)["group_id"] == day.second.id


# --- round 2: the handover ----------------------------------------------------------------------

def test_round_two_continues_round_ones_workspace(app, factory, day):
    goal = day.first.goals[0]
    assert day.anna.sock.emit("workspace.comment", {"goal_id": goal.id, "text": "Aus Teil 1"}, callback=True)["ok"]
    assert day.anna.sock.emit("workspace.vote", {"goal_id": goal.id}, callback=True)["ok"]
    goto(day.fac, day.workshop, LUNCH)  # round 2 opens with round 1's groups preselected
    newcomer = phone(app, factory, day.workshop, "Nele")
    assert run(participant_actor(day.workshop, newcomer.participant), "group.choose", {"group_id": day.first.id})["ok"]
    goto(day.fac, day.workshop, TEIL_2)

    mine = follow(newcomer)
    workspace = mine["workspace"]
    assert workspace["round"] == 2 and workspace["group_id"] == day.first.id
    comment = workspace["goals"][0]["comments"][0]
    assert comment["text"] == "Aus Teil 1" and comment["round"] == 1
    assert workspace["goals"][0]["dots"] == 1 and workspace["goals"][0]["dots_this_round"] == 0
    assert follow(day.anna)["dots_left"] == 3  # fresh dots in round 2


# --- the documentation and the Zoom list ----------------------------------------------------------

def test_summary_ranks_goals_by_dots_and_counts_hidden_posts(day):
    from facilitator.core.activities import summary_of

    goals = day.first.goals
    anna, carla = day.anna.sock, day.carla.sock
    for goal in (goals[2], goals[2], goals[1]):
        assert anna.emit("workspace.vote", {"goal_id": goal.id}, callback=True)["ok"]
    assert carla.emit("workspace.vote", {"goal_id": goals[2].id}, callback=True)["ok"]
    assert anna.emit("workspace.comment", {"goal_id": goals[2].id, "text": "Dringend"}, callback=True)["ok"]
    hidden = carla.emit("workspace.comment", {"goal_id": goals[2].id, "text": "Unsinn"}, callback=True)
    assert day.fac.emit("workspace.post.hide", {"post_id": hidden["post_id"]}, callback=True)["ok"]
    assert day.fac.emit("workspace.summary", {"text": "Bäume!", "group_id": day.first.id}, callback=True)["ok"]

    summary = summary_of(item_titled(day.workshop, TEIL_1))
    first = summary["groups"][0]
    assert summary["round"] == 1 and first["name"] == day.first.name and first["member_count"] == 2
    assert [g["dots"] for g in first["goals"]][:3] == [3, 1, 0] and first["goals"][0]["id"] == goals[2].id
    assert [c["text"] for c in first["goals"][0]["comments"]] == ["Dringend"]
    assert first["goals"][0]["comments"][0]["organisation_type"] == "kommune"
    assert first["hidden_count"] == 1 and first["summary"] == "Bäume!"
    assert len(first["answers"]) == 3


def test_zoom_list_has_the_email_only_of_those_who_gave_one(app, clients, workshop, clock):
    fac = clients.connect("organiser")
    goto(fac, workshop, CHOICE_ITEM)
    group = groups(workshop)[0]
    for name, email in (("Eva", "eva@example.org"), ("Ohne", "")):
        client = app.test_client()
        form = client.get(f"/j/{workshop.code}").get_data(as_text=True)
        assert 'type="email"' in form
        response = client.post(f"/j/{workshop.code}", data={"display_name": name, "email": email})
        assert response.status_code == 302, response.get_data(as_text=True)
        sock = socketio.test_client(app, flask_test_client=client, auth={"workshop": workshop.code, "view": "participant"})
        assert sock.emit("group.choose", {"group_id": group.id}, callback=True)["ok"]
    csv = clients.http("organiser").get(f"/w/{workshop.code}/groups-zoom.csv?round=1").get_data(as_text=True)
    assert csv.splitlines()[1:] == [f"{group.name},eva@example.org,Eva", f"{group.name},,Ohne"]


def test_a_malformed_email_is_refused_at_join(app, workshop):
    response = app.test_client().post(f"/j/{workshop.code}", data={"display_name": "X", "email": "kein-at"})
    assert response.status_code == 400
