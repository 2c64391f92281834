"""Choose your fighter: choosing per role, capacity, lock, move, assign the undecided, balance, rounds."""
import pytest

from facilitator.extensions import db as _db
from tests.conftest import events

from .conftest import choices, groups, item_titled, last, organiser_actor, participant_actor, run


def set_capacity(group, capacity):
    group.capacity = capacity
    _db.session.commit()


# --- participants -----------------------------------------------------------------------------

def test_cards_on_phone_projector_and_cockpit(clients, choosing, workshop):
    phone = clients.connect("participant")
    view = events(phone, "sync.snapshot")[0][1]["data"]["activity"]
    assert view["kind"] == "group_choice"
    cards = view["view"]["groups"]
    assert len(cards) == 5 and cards[0]["name"] == "Klimaanpassung & Stadtklima"
    assert cards[0]["capacity"] == 20 and cards[0]["seats_left"] == 20 and cards[0]["names"] == []
    assert "members" not in cards[0] and "room_url" not in cards[0]
    assert view["view"]["is_open"] and not view["view"]["is_locked"]
    screen = clients.connect("screen")
    screen_card = events(screen, "sync.snapshot")[0][1]["data"]["activity"]["view"]["groups"][0]
    assert "names" not in screen_card and "members" not in screen_card and screen_card["taken"] == 0


def test_choice_reaches_projector_cockpit_and_other_phones_live(clients, choosing, workshop):
    screen = clients.connect("screen")
    named = clients.connect("participant")  # "Paula Teilnehmerin"
    other = clients.connect("participant")
    first = groups(workshop)[0]
    events(screen), events(choosing), events(other)

    ack = named.emit("group.choose", {"group_id": first.id}, callback=True)

    assert ack["ok"], ack
    assert ack["choice"]["group_id"] == first.id and ack["choice"]["assigned_by"] == "self"
    assert last(screen, "activity.live")["view"]["groups"][0]["taken"] == 1
    card = last(other, "activity.live")["view"]["groups"][0]
    assert card["names"] == ["Paula Teilnehmerin"] and card["seats_left"] == 19
    members = last(choosing, "activity.live")["view"]["groups"][0]["members"]
    assert [m["name"] for m in members] == ["Paula Teilnehmerin"]


def test_anonymous_choices_are_counted_not_named(clients, choosing, workshop, factory):
    anonymous, _ = factory.participant(workshop)
    assert run(participant_actor(workshop, anonymous), "group.choose", {"group_id": groups(workshop)[1].id})["ok"]
    phone = clients.connect("participant")
    card = events(phone, "sync.snapshot")[0][1]["data"]["activity"]["view"]["groups"][1]
    assert card["names"] == [] and card["unnamed_count"] == 1 and card["taken"] == 1


def test_changing_my_choice_and_reconnect_shows_it(app, clients, choosing, workshop):
    from facilitator.extensions import socketio

    http = clients.http("participant")
    phone = socketio.test_client(app, flask_test_client=http, auth={"workshop": workshop.code, "view": "participant"})
    a, b = groups(workshop)[:2]
    assert phone.emit("group.choose", {"group_id": a.id}, callback=True)["ok"]
    assert phone.emit("group.choose", {"group_id": b.id}, callback=True)["ok"]
    phone.disconnect()
    again = socketio.test_client(app, flask_test_client=http, auth={"workshop": workshop.code, "view": "participant"})
    snapshot = events(again, "sync.snapshot")[0][1]["data"]
    assert snapshot["me"]["activity"]["choice"]["group_id"] == b.id
    assert [g["taken"] for g in snapshot["activity"]["view"]["groups"][:2]] == [0, 1]
    again.disconnect()


def test_full_group_refuses_more(clients, choosing, workshop, factory):
    first = groups(workshop)[0]
    set_capacity(first, 1)
    p1, _ = factory.participant(workshop, name="Erste")
    assert run(participant_actor(workshop, p1), "group.choose", {"group_id": first.id})["ok"]
    phone = clients.connect("participant")
    card = events(phone, "sync.snapshot")[0][1]["data"]["activity"]["view"]["groups"][0]
    assert card["is_full"] and card["seats_left"] == 0
    ack = phone.emit("group.choose", {"group_id": first.id}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "group_full"
    assert ack["error"]["message"]
    # choosing the group one is already in is fine, also when it is full
    assert run(participant_actor(workshop, p1), "group.choose", {"group_id": first.id})["ok"]


def test_not_open_before_the_item_and_unknown_group(clients, workshop, clock, factory):
    p, _ = factory.participant(workshop, name="Früh")
    ack = run(participant_actor(workshop, p), "group.choose", {"group_id": groups(workshop)[0].id})
    assert ack["error"]["code"] == "choice_not_open"
    assert choices(workshop) == {}


def test_group_of_another_workshop_is_not_found(clients, choosing, workshop, factory, organiser):
    other = factory.workshop(organiser)
    p, _ = factory.participant(workshop)
    ack = run(participant_actor(workshop, p), "group.choose", {"group_id": groups(other)[0].id})
    assert ack["error"]["code"] == "group_not_found"
    assert choices(workshop) == {}


# --- facilitators -----------------------------------------------------------------------------

def test_lock_refuses_changes_unlock_allows_them(clients, choosing, workshop):
    phone = clients.connect("participant")
    a, b = groups(workshop)[:2]
    assert phone.emit("group.choose", {"group_id": a.id}, callback=True)["ok"]
    events(phone)
    assert choosing.emit("group.lock", {}, callback=True)["ok"]
    assert last(phone, "activity.state")["view"]["is_locked"] is True
    ack = phone.emit("group.choose", {"group_id": b.id}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "choice_locked"
    assert choosing.emit("group.unlock", {}, callback=True)["ok"]
    assert phone.emit("group.choose", {"group_id": b.id}, callback=True)["ok"]


def test_move_ignores_lock_and_capacity(clients, choosing, workshop, factory):
    a, b = groups(workshop)[:2]
    set_capacity(b, 1)
    p1, _ = factory.participant(workshop, name="In B")
    p2, _ = factory.participant(workshop, name="Wird verschoben")
    assert run(participant_actor(workshop, p1), "group.choose", {"group_id": b.id})["ok"]
    assert run(participant_actor(workshop, p2), "group.choose", {"group_id": a.id})["ok"]
    assert choosing.emit("group.lock", {}, callback=True)["ok"]
    ack = choosing.emit("group.move", {"participant_id": p2.id, "group_id": b.id}, callback=True)
    assert ack["ok"], ack
    assert ack["choice"]["assigned_by"] == "facilitator"
    assert choices(workshop) == {p1.id: b.id, p2.id: b.id}
    card = last(choosing, "activity.state")["view"]["groups"][1]
    assert card["taken"] == 2 and card["is_full"] and card["seats_left"] == 0


def test_phones_learn_that_someone_was_moved_but_not_who(clients, choosing, workshop, factory):
    a, b = groups(workshop)[:2]
    phone = clients.connect("participant")
    assert phone.emit("group.choose", {"group_id": a.id}, callback=True)["ok"]
    assert last(phone, "activity.live")["view"]["assignments_at"] is None  # only own choices so far
    from facilitator.join.models import Participant

    me = _db.session.execute(_db.select(Participant).filter_by(workshop_id=workshop.id)).scalars().first()
    assert choosing.emit("group.move", {"participant_id": me.id, "group_id": b.id}, callback=True)["ok"]
    view = last(phone, "activity.state")["view"]
    assert view["assignments_at"] is not None
    assert "members" not in view["groups"][1]
    resynced = phone.emit("sync.request", {}, callback=True)["snapshot"]["data"]
    assert resynced["me"]["activity"]["choice"] == {**resynced["me"]["activity"]["choice"], "group_id": b.id,
                                                    "assigned_by": "facilitator"}


def test_move_of_a_participant_of_another_workshop_is_refused(clients, choosing, workshop, factory, organiser):
    other = factory.workshop(organiser)
    stranger, _ = factory.participant(other)
    ack = choosing.emit("group.move", {"participant_id": stranger.id, "group_id": groups(workshop)[0].id}, callback=True)
    assert ack["error"]["code"] == "participant_not_found"
    assert choices(workshop) == {} and choices(other) == {}


def test_assign_undecided_fills_the_emptiest_groups(clients, choosing, workshop, factory):
    gs = groups(workshop)
    set_capacity(gs[4], 0)  # a closed group gets nobody
    early = []
    for index, group in enumerate([gs[0], gs[0], gs[1]]):
        p, _ = factory.participant(workshop, name=f"Entschieden {index}")
        assert run(participant_actor(workshop, p), "group.choose", {"group_id": group.id})["ok"]
        early.append(p.id)
    phones = [clients.connect("participant") for _ in range(4)]  # online, undecided
    events(choosing)
    cockpit = clients.connect("organiser")
    undecided = events(cockpit, "sync.snapshot")[0][1]["data"]["activity"]["view"]["undecided"]
    assert len(undecided) == 4 and all(u["name"] == "Paula Teilnehmerin" for u in undecided)

    ack = choosing.emit("group.assign_undecided", {}, callback=True)

    assert ack["ok"] and len(ack["assigned"]) == 4 and ack["unplaced"] == 0
    assert all(a["assigned_by"] == "auto" for a in ack["assigned"])
    view = last(choosing, "activity.state")["view"]
    assert [g["taken"] for g in view["groups"]] == [2, 2, 2, 1, 0]  # from [2, 1, 0, 0, closed]: 3, 4, 2, 3
    assert view["undecided"] == []
    assert len(choices(workshop)) == len(early) + len(phones)


def test_balance_preview_suggests_and_changes_nothing(clients, choosing, workshop, factory):
    from tests.test_permissions import fingerprint

    gs = groups(workshop)
    for index in range(5):
        p, _ = factory.participant(workshop, name=f"Klima {index}")
        assert run(participant_actor(workshop, p), "group.choose", {"group_id": gs[0].id})["ok"]
    events(choosing)
    before = fingerprint()

    ack = choosing.emit("group.balance.preview", {}, callback=True)

    assert ack["ok"], ack
    moves = ack["suggestions"]
    assert moves and all(m["from_group_id"] == gs[0].id for m in moves)
    assert {m["to_group_id"] for m in moves} <= {g.id for g in gs[1:]}
    assert len(moves) == 4  # 5 in one group, 0 in four: one each → 1,1,1,1,1
    assert fingerprint() == before
    assert events(choosing) == []


def test_balance_preview_is_empty_when_groups_are_even_enough(clients, choosing, workshop, factory):
    gs = groups(workshop)
    for index, group in enumerate([gs[0], gs[0], gs[1]]):
        p, _ = factory.participant(workshop, name=f"P{index}")
        run(participant_actor(workshop, p), "group.choose", {"group_id": group.id})
    assert choosing.emit("group.balance.preview", {}, callback=True)["suggestions"] == []


# --- rounds -----------------------------------------------------------------------------------

@pytest.fixture
def round_one(workshop, factory, choosing, organiser):
    """Three participants in groups 1, 1, 2 in round 1."""
    gs = groups(workshop)
    people = []
    for index, group in enumerate([gs[0], gs[0], gs[1]]):
        p, _ = factory.participant(workshop, name=f"Runde1 {index}")
        assert run(participant_actor(workshop, p), "group.choose", {"group_id": group.id})["ok"]
        people.append(p)
    return people


def test_round_two_preselects_round_one_and_allows_switching(workshop, organiser, round_one):
    gs = groups(workshop)
    org = organiser_actor(workshop, organiser)
    assert run(org, "group.lock", {"round": 1})["ok"]
    assert run(org, "group.round.open", {"round": 2})["ok"]
    assert choices(workshop, 2) == {round_one[0].id: gs[0].id, round_one[1].id: gs[0].id, round_one[2].id: gs[1].id}
    from facilitator.groups.models import GroupChoice

    assert {c.assigned_by for c in _db.session.execute(_db.select(GroupChoice).filter_by(round=2)).scalars()} == {"carried"}
    # the open round is round 2 now: a switch goes there, round 1 stays as it was
    ack = run(participant_actor(workshop, round_one[0]), "group.choose", {"group_id": gs[2].id})
    assert ack["ok"] and ack["choice"]["round"] == 2
    assert choices(workshop, 1)[round_one[0].id] == gs[0].id
    assert choices(workshop, 2)[round_one[0].id] == gs[2].id
    # round 1 is locked: changing it explicitly is refused
    ack = run(participant_actor(workshop, round_one[1]), "group.choose", {"group_id": gs[2].id, "round": 1})
    assert ack["error"]["code"] == "choice_locked"


def test_round_two_with_a_required_switch(workshop, organiser, round_one):
    gs = groups(workshop)
    org = organiser_actor(workshop, organiser)
    assert run(org, "group.require_switch", {"round": 2, "required": True})["ok"]
    assert run(org, "group.round.open", {"round": 2})["ok"]
    assert choices(workshop, 2) == {}  # nothing preselected: the same group would not be allowed
    me = participant_actor(workshop, round_one[0])
    ack = run(me, "group.choose", {"group_id": gs[0].id})
    assert ack["error"]["code"] == "switch_required" and ack["error"]["message"]
    assert run(me, "group.choose", {"group_id": gs[1].id})["ok"]


def test_requiring_a_switch_later_drops_the_same_group_preselections(workshop, organiser, round_one):
    gs = groups(workshop)
    org = organiser_actor(workshop, organiser)
    assert run(org, "group.round.open", {"round": 2})["ok"]
    assert run(participant_actor(workshop, round_one[0]), "group.choose", {"group_id": gs[3].id})["ok"]
    assert run(org, "group.require_switch", {"round": 2, "required": True})["ok"]
    assert choices(workshop, 2) == {round_one[0].id: gs[3].id}


def test_round_two_item_view_and_personal(clients, workshop, organiser, round_one, factory):
    """A group_choice item with settings.round = 2 shows round 2 and my round-1 group."""
    from facilitator.agenda.models import AgendaItem
    from facilitator.core.auth import participant_cookie
    from facilitator.extensions import socketio

    org = organiser_actor(workshop, organiser)
    lunch = item_titled(workshop, "Mittagspause")
    item = AgendaItem(workshop_id=workshop.id, position=lunch.position, title="Wahl Teil 2", kind="group_choice",
                      duration_s=600, planned_duration_s=600, min_duration_s=300, settings={"round": 2})
    _db.session.add(item)
    _db.session.commit()
    assert run(org, "agenda.goto", {"item_id": item.id})["ok"]
    http = clients.app.test_client()
    participant, token = factory.participant(workshop, name="Neu in Runde 2")
    http.set_cookie(participant_cookie(workshop), token)
    sock = socketio.test_client(clients.app, flask_test_client=http, auth={"workshop": workshop.code, "view": "participant"})
    data = events(sock, "sync.snapshot")[0][1]["data"]
    assert data["activity"]["view"]["round"] == 2 and data["activity"]["view"]["is_open"]
    assert [g["taken"] for g in data["activity"]["view"]["groups"]][:2] == [2, 1]  # carried from round 1
    assert data["me"]["activity"] == {"choice": None, "previous_group_id": None}
    sock.disconnect()


def test_lock_without_an_open_round_is_refused(clients, workshop, clock):
    fac = clients.connect("organiser")
    ack = fac.emit("group.lock", {}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "choice_not_open"


def test_summary_lists_members(choosing, workshop, round_one):
    from facilitator.core.activities import activity_of

    item = item_titled(workshop, "Choose your fighter")
    summary = activity_of(item).summary(item)
    assert [len(g["members"]) for g in summary["groups"]] == [2, 1, 0, 0, 0]


def test_lunch_break_opens_round_two_on_every_phone(clients, workshop, organiser, round_one, choosing):
    """The reference day: at 11:40 the lunch break (settings.opens_group_choice_round = 2) starts,
    round 2 opens with everyone's round-1 group preselected, and phones show the cards."""
    gs = groups(workshop)
    lunch = item_titled(workshop, "Mittagspause")
    assert choosing.emit("agenda.goto", {"item_id": lunch.id}, callback=True)["ok"]
    assert choices(workshop, 2) == {round_one[0].id: gs[0].id, round_one[1].id: gs[0].id, round_one[2].id: gs[1].id}
    phone = clients.connect("participant")
    activity = events(phone, "sync.snapshot")[0][1]["data"]["activity"]
    assert activity["kind"] == "group_choice" and activity["item_id"] == lunch.id
    assert [card["name"] for card in activity["view"]["groups"]] == [g.name for g in gs]
    assert activity["view"]["round"] == 2
    ack = run(participant_actor(workshop, round_one[0]), "group.choose", {"group_id": gs[3].id})
    assert ack["ok"] and ack["choice"]["round"] == 2
