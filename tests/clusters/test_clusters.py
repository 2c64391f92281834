"""Clusterkette: associations, merging, chains, clusters, moderation, views per audience, summary."""
from __future__ import annotations

import pytest

from facilitator.clusters.models import ClusterEntry, ClusterTerm
from facilitator.clusters.operations import RATE_LIMIT, merge_key
from facilitator.core.auth import Actor
from facilitator.core.commands import execute
from tests.conftest import events

CENTRAL = "Grüne Infrastruktur"


def chain_item(workshop):
    return next(i for i in workshop.items if i.kind == "cluster_chain")


@pytest.fixture
def fac(clients, workshop, clock):
    """The RVR day jumped to its Clusterkette; the organiser's cockpit socket."""
    sock = clients.connect("organiser")
    assert sock.emit("agenda.goto", {"item_id": chain_item(workshop).id}, callback=True)["ok"]
    sock.get_received()
    return sock


@pytest.fixture
def item_id(workshop):
    return chain_item(workshop).id


def latest_view(sock, kinds=("activity.live", "activity.state")):
    """The newest activity view this socket received (live or sequenced)."""
    received = [e for e in events(sock) if e[0] in kinds]
    assert received, "nothing received"
    return received[-1][1]["data"]["view"]


def snapshot_view(sock):
    return sock.emit("sync.request", {}, callback=True)["snapshot"]["data"]["activity"]["view"]


def add(sock, text, parent_id=None):
    payload = {"text": text} if parent_id is None else {"text": text, "parent_id": parent_id}
    return sock.emit("cluster.add_term", payload, callback=True)


def term_by_text(view, text):
    return next(t for t in view["terms"] if t["text"] == text)


def ok(ack):
    assert ack["ok"] is True, ack
    return ack


def error(ack, code):
    assert ack["ok"] is False, ack
    assert ack["error"]["code"] == code, ack
    return ack


# --- adding and merging ------------------------------------------------------------------------

def test_association_reaches_every_audience_live(clients, fac):
    screen = clients.connect("screen")
    phone = clients.connect("participant")
    events(screen)
    ack = ok(add(phone, "Stadtbäume"))
    assert ack["entry"]["text"] == "Stadtbäume" and ack["merged"] is False
    for sock in (screen, phone, fac):
        view = latest_view(sock, ("activity.live",))
        assert view["central_term"] == CENTRAL
        assert view["chains"] is True and view["is_open"] is True
        assert [(t["text"], t["count"], t["parent_id"], t["cluster_id"]) for t in view["terms"]] == [
            ("Stadtbäume", 1, None, None)]
        assert view["term_count"] == 1 and view["entry_count"] == 1


@pytest.mark.parametrize("spellings", [
    ["Bäume", "Baum", " baum "],
    ["Grünfläche", "GRÜNFLÄCHEN", "grünflächen"],
    ["Schatten  spenden", "schatten spenden", "Schatten\tspenden"],
])
def test_same_words_merge_with_a_count(clients, fac, spellings):
    first = clients.connect("participant")
    ok(add(first, spellings[0]))
    for text in spellings[1:]:
        ack = ok(add(clients.connect("participant"), text))
        assert ack["merged"] is True
    view = snapshot_view(fac)
    assert len(view["terms"]) == 1
    assert view["terms"][0]["count"] == len(spellings)
    assert view["terms"][0]["text"] == " ".join(spellings[0].split())  # shown as first entered, tidied
    assert view["entry_count"] == len(spellings)


def test_different_words_stay_apart():
    assert merge_key("Stadtbäume") != merge_key("Baum")
    assert merge_key("Bäume") == merge_key("Baum") == merge_key(" baum ")
    assert merge_key("?!") == "?!"  # no word characters: the text itself is the key
    assert len(merge_key("ß" * 40)) <= 40


def test_every_entry_is_kept_as_typed(clients, fac, db, item_id):
    phone = clients.connect("participant")
    ok(add(phone, "Bäume"))
    ok(add(phone, "baum"))
    entries = db.session.execute(db.select(ClusterEntry).order_by(ClusterEntry.id)).scalars().all()
    assert [e.text for e in entries] == ["Bäume", "baum"]
    assert len({e.term_id for e in entries}) == 1


# --- chains -----------------------------------------------------------------------------------

def test_chains_link_to_earlier_terms(clients, fac):
    phone = clients.connect("participant")
    ok(add(phone, "Stadtbäume"))
    parent = term_by_text(snapshot_view(phone), "Stadtbäume")
    ok(add(phone, "Schatten", parent_id=parent["id"]))
    view = snapshot_view(clients.connect("screen"))
    assert term_by_text(view, "Schatten")["parent_id"] == parent["id"]
    assert term_by_text(view, "Stadtbäume")["parent_id"] is None  # hangs off the centre


def test_linking_a_term_to_itself_is_no_link(clients, fac):
    phone = clients.connect("participant")
    ok(add(phone, "Bäume"))
    bäume = term_by_text(snapshot_view(phone), "Bäume")
    ok(add(phone, "Baum", parent_id=bäume["id"]))
    assert term_by_text(snapshot_view(phone), "Bäume")["parent_id"] is None


def test_a_duplicate_keeps_the_first_link(clients, fac):
    phone = clients.connect("participant")
    ok(add(phone, "Wasser"))
    ok(add(phone, "Hitze"))
    view = snapshot_view(phone)
    ok(add(phone, "Schwammstadt", parent_id=term_by_text(view, "Wasser")["id"]))
    ok(add(clients.connect("participant"), "schwammstadt", parent_id=term_by_text(view, "Hitze")["id"]))
    assert term_by_text(snapshot_view(phone), "Schwammstadt")["parent_id"] == term_by_text(view, "Wasser")["id"]


def test_parent_must_be_a_visible_term_of_this_item(app, clients, fac, factory, db, organiser):
    phone = clients.connect("participant")
    # a term of another workshop's Clusterkette
    other = factory.workshop(organiser)
    other_item = chain_item(other)
    with app.test_request_context("/"):
        actor = Actor("organiser", other.id, user_id=organiser.id)
        ok(execute("agenda.goto", actor, {"item_id": other_item.id}))
        participant, _token = factory.participant(other)
        ok(execute("cluster.add_term", Actor("participant", other.id, participant_id=participant.id), {"text": "Fremd"}))
    foreign = db.session.execute(db.select(ClusterTerm).filter_by(item_id=other_item.id)).scalar_one()
    error(add(phone, "Schatten", parent_id=foreign.id), "term_not_found")
    error(add(phone, "Schatten", parent_id=999999), "term_not_found")
    # a hidden term cannot be linked to (nor does its existence show)
    ok(add(phone, "Werbung"))
    werbung = term_by_text(snapshot_view(fac), "Werbung")
    ok(fac.emit("cluster.hide_term", {"term_id": werbung["id"]}, callback=True))
    error(add(phone, "Schatten", parent_id=werbung["id"]), "term_not_found")
    assert all(t["text"] != "Schatten" for t in snapshot_view(fac)["terms"])


def test_parent_of_another_item_of_the_same_workshop_is_not_found(app, clients, fac, workshop, db, item_id):
    from facilitator.agenda.models import AgendaItem

    # a second Clusterkette in the same workshop, with a term from earlier
    ok(fac.emit("agenda.item.add", {"title": "Zweite Kette", "kind": "cluster_chain", "duration": 5}, callback=True))
    second = db.session.execute(db.select(AgendaItem).filter_by(title="Zweite Kette")).scalar_one()
    db.session.add(ClusterTerm(item_id=second.id, text="Anderswo", normalized="anderswo"))
    db.session.commit()
    other_term = db.session.execute(db.select(ClusterTerm).filter_by(item_id=second.id)).scalar_one()
    error(add(clients.connect("participant"), "Schatten", parent_id=other_term.id), "term_not_found")


def test_without_chains_parent_ids_are_refused(clients, fac, workshop, db):
    item = chain_item(workshop)
    item.settings = {**item.settings, "chains": False}
    db.session.commit()
    phone = clients.connect("participant")
    ok(add(phone, "Bäume"))
    view = snapshot_view(phone)
    assert view["chains"] is False
    error(add(phone, "Schatten", parent_id=view["terms"][0]["id"]), "chains_off")
    assert [t["text"] for t in snapshot_view(phone)["terms"]] == ["Bäume"]


# --- refusals ---------------------------------------------------------------------------------

def test_rate_limit_counts_stored_entries(clients, fac, clock):
    phone = clients.connect("participant")
    for n in range(RATE_LIMIT):
        ok(add(phone, f"Begriff {n}"))
    ack = error(add(phone, "Einer zu viel"), "rate_limited")
    assert ack["error"]["details"]["retry_after_s"] >= 1
    ok(add(clients.connect("participant"), "Jemand anderes"))  # per participant
    clock.advance(seconds=31)
    ok(add(phone, "Wieder erlaubt"))
    texts = [t["text"] for t in snapshot_view(phone)["terms"]]
    assert "Einer zu viel" not in texts and "Wieder erlaubt" in texts


def test_rate_limit_holds_across_reconnects(app, clients, fac, workshop):
    """The count comes from the database: a new connection (or another process) knows it."""
    from facilitator.extensions import socketio

    http = clients.http("participant")
    for n in range(RATE_LIMIT):
        sock = socketio.test_client(app, flask_test_client=http, auth={"workshop": workshop.code, "view": "participant"})
        ok(add(sock, f"Begriff {n}"))
        sock.disconnect()
    sock = socketio.test_client(app, flask_test_client=http, auth={"workshop": workshop.code, "view": "participant"})
    error(add(sock, "Noch einer"), "rate_limited")
    sock.disconnect()


def test_closed_input_refuses_and_reopens(clients, fac, item_id):
    phone = clients.connect("participant")
    ok(fac.emit("activity.input.set", {"item_id": item_id, "is_open": False}, callback=True))
    assert events(phone, "activity.state")[-1][1]["data"]["view"]["is_open"] is False
    error(add(phone, "zu spät"), "activity_closed")
    ok(fac.emit("activity.input.set", {"item_id": item_id, "is_open": True}, callback=True))
    ok(add(phone, "wieder offen"))


def test_no_association_outside_a_clusterkette(clients, workshop, clock):
    fac = clients.connect("organiser")
    ok(fac.emit("day.start", {}, callback=True))
    error(add(clients.connect("participant"), "zu früh"), "no_cluster_chain")


def test_next_item_closes_the_chain(clients, fac):
    phone = clients.connect("participant")
    ok(fac.emit("agenda.next", {}, callback=True))
    error(add(phone, "vorbei"), "no_cluster_chain")
    ok(fac.emit("agenda.previous", {}, callback=True))
    ok(add(phone, "zurück"))


@pytest.mark.parametrize("payload", [
    {"text": ""}, {"text": "   "}, {"text": "x" * 41}, {"text": None}, {"text": 5}, {},
    {"text": "ok", "parent_id": "eins"}, {"text": "ok", "extra": 1}, {"text": ["a"]},
])
def test_bad_input_is_refused_and_changes_nothing(clients, fac, db, payload):
    phone = clients.connect("participant")
    events(fac)
    error(phone.emit("cluster.add_term", payload, callback=True), "invalid_payload")
    assert db.session.execute(db.select(db.func.count(ClusterEntry.id))).scalar() == 0
    assert events(fac) == []


def test_forty_characters_after_trimming_are_fine(clients, fac):
    ok(add(clients.connect("participant"), "  " + "x" * 40 + "  "))


def test_markup_is_stored_as_plain_text(clients, fac):
    phone = clients.connect("participant")
    evil = "<img src=x onerror=alert(1)>"
    ok(add(phone, evil))
    assert snapshot_view(phone)["terms"][0]["text"] == evil
    assert snapshot_view(phone)["terms"][0]["text"] == evil


# --- clusters ---------------------------------------------------------------------------------

def make_terms(clients, *texts):
    phone = clients.connect("participant")
    for text in texts:
        ok(add(phone, text))
        phone.get_received()


def ids(view):
    return {t["text"]: t["id"] for t in view["terms"]}


def test_clusters_form_and_participants_see_them(clients, fac, item_id):
    make_terms(clients, "Bäume", "Schatten", "Regenwasser")
    phone = clients.connect("participant")
    screen = clients.connect("screen")
    klima = ok(fac.emit("cluster.create", {"item_id": item_id, "name": "Klima"}, callback=True))["cluster_id"]
    wasser = ok(fac.emit("cluster.create", {"item_id": item_id, "name": " Wasser "}, callback=True))["cluster_id"]
    t = ids(snapshot_view(fac))
    ok(fac.emit("cluster.move_term", {"term_id": t["Schatten"], "cluster_id": klima}, callback=True))
    ok(fac.emit("cluster.move_term", {"term_id": t["Bäume"], "cluster_id": klima, "position": 0}, callback=True))
    ok(fac.emit("cluster.move_term", {"term_id": t["Regenwasser"], "cluster_id": wasser}, callback=True))
    for sock in (phone, screen, fac):
        view = latest_view(sock, ("activity.state",))
        assert view["clusters"] == [
            {"id": klima, "name": "Klima", "term_ids": [t["Bäume"], t["Schatten"]]},
            {"id": wasser, "name": "Wasser", "term_ids": [t["Regenwasser"]]},
        ]
        assert term_by_text(view, "Bäume")["cluster_id"] == klima


def test_move_within_a_cluster_and_out(clients, fac, item_id):
    make_terms(clients, "A1", "B2", "C3")
    t = ids(snapshot_view(fac))
    cluster = ok(fac.emit("cluster.create", {"item_id": item_id, "name": "X"}, callback=True))["cluster_id"]
    for text in ("A1", "B2", "C3"):
        ok(fac.emit("cluster.move_term", {"term_id": t[text], "cluster_id": cluster}, callback=True))
    ok(fac.emit("cluster.move_term", {"term_id": t["C3"], "cluster_id": cluster, "position": 0}, callback=True))
    assert snapshot_view(fac)["clusters"][0]["term_ids"] == [t["C3"], t["A1"], t["B2"]]
    ok(fac.emit("cluster.move_term", {"term_id": t["C3"], "cluster_id": cluster, "position": 99}, callback=True))
    assert snapshot_view(fac)["clusters"][0]["term_ids"] == [t["A1"], t["B2"], t["C3"]]
    ok(fac.emit("cluster.move_term", {"term_id": t["A1"], "cluster_id": None}, callback=True))
    view = snapshot_view(fac)
    assert view["clusters"][0]["term_ids"] == [t["B2"], t["C3"]]
    assert term_by_text(view, "A1")["cluster_id"] is None


def test_rename_delete_and_merge_clusters(clients, fac, item_id, db):
    from facilitator.clusters.models import Cluster

    make_terms(clients, "A1", "B2", "C3")
    t = ids(snapshot_view(fac))
    one = ok(fac.emit("cluster.create", {"item_id": item_id, "name": "Eins"}, callback=True))["cluster_id"]
    two = ok(fac.emit("cluster.create", {"item_id": item_id, "name": "Zwei"}, callback=True))["cluster_id"]
    three = ok(fac.emit("cluster.create", {"item_id": item_id, "name": "Drei"}, callback=True))["cluster_id"]
    ok(fac.emit("cluster.move_term", {"term_id": t["A1"], "cluster_id": one}, callback=True))
    ok(fac.emit("cluster.move_term", {"term_id": t["B2"], "cluster_id": two}, callback=True))
    ok(fac.emit("cluster.move_term", {"term_id": t["C3"], "cluster_id": three}, callback=True))

    ok(fac.emit("cluster.rename", {"cluster_id": one, "name": "Erstes"}, callback=True))
    ok(fac.emit("cluster.merge", {"cluster_id": two, "into_id": one}, callback=True))
    view = snapshot_view(fac)
    assert [(c["name"], c["term_ids"]) for c in view["clusters"]] == [("Erstes", [t["A1"], t["B2"]]), ("Drei", [t["C3"]])]
    error(fac.emit("cluster.merge", {"cluster_id": one, "into_id": one}, callback=True), "same_cluster")
    error(fac.emit("cluster.rename", {"cluster_id": two, "name": "weg"}, callback=True), "cluster_not_found")

    ok(fac.emit("cluster.delete", {"cluster_id": one}, callback=True))
    view = snapshot_view(fac)
    assert [c["name"] for c in view["clusters"]] == ["Drei"]
    assert term_by_text(view, "A1")["cluster_id"] is None and term_by_text(view, "B2")["cluster_id"] is None
    assert [c.position for c in db.session.execute(db.select(Cluster)).scalars()] == [0]


def test_clusters_of_another_workshop_or_item_are_not_found(app, clients, fac, factory, organiser, item_id, db):
    make_terms(clients, "A1")
    t = ids(snapshot_view(fac))
    other = factory.workshop(organiser)
    with app.test_request_context("/"):
        theirs = ok(execute("cluster.create", Actor("organiser", other.id, user_id=organiser.id),
                            {"item_id": chain_item(other).id, "name": "Fremd"}))["cluster_id"]
    error(fac.emit("cluster.move_term", {"term_id": t["A1"], "cluster_id": theirs}, callback=True), "cluster_not_found")
    error(fac.emit("cluster.rename", {"cluster_id": theirs, "name": "Meins"}, callback=True), "cluster_not_found")
    error(fac.emit("cluster.create", {"item_id": chain_item(other).id, "name": "x"}, callback=True), "item_not_found")
    blitz = next(i for i in clients.workshop.items if i.kind == "blitzlicht")
    error(fac.emit("cluster.create", {"item_id": blitz.id, "name": "x"}, callback=True), "no_cluster_chain")
    error(fac.emit("cluster.hide_term", {"term_id": 999999}, callback=True), "term_not_found")


# --- moderation -------------------------------------------------------------------------------

def test_hidden_terms_never_reach_phones_or_projector(clients, fac, item_id):
    phone = clients.connect("participant")
    screen = clients.connect("screen")
    ok(add(phone, "Werbung für Firma X"))
    werbung = term_by_text(snapshot_view(fac), "Werbung für Firma X")
    ok(add(phone, "Kind der Werbung", parent_id=werbung["id"]))
    cluster = ok(fac.emit("cluster.create", {"item_id": item_id, "name": "Sonstiges"}, callback=True))["cluster_id"]
    ok(fac.emit("cluster.move_term", {"term_id": werbung["id"], "cluster_id": cluster}, callback=True))
    ok(fac.emit("cluster.hide_term", {"term_id": werbung["id"]}, callback=True))
    for sock in (phone, screen):
        for view in (latest_view(sock, ("activity.state",)), snapshot_view(sock)):
            assert "Werbung für Firma X" not in str(view)
            assert werbung["id"] not in [t["id"] for t in view["terms"]]
            assert view["clusters"][0]["term_ids"] == []
            assert term_by_text(view, "Kind der Werbung")["parent_id"] is None  # re-attached to the centre
            assert view["hidden_count"] is None and view["term_count"] == 1 and view["entry_count"] == 1
    cockpit = latest_view(fac, ("activity.state",))
    assert term_by_text(cockpit, "Werbung für Firma X")["is_hidden"] is True
    assert term_by_text(cockpit, "Kind der Werbung")["parent_id"] == werbung["id"]
    assert cockpit["hidden_count"] == 1 and cockpit["clusters"][0]["term_ids"] == [werbung["id"]]
    # a later identical entry counts on the hidden term and stays hidden
    ok(add(clients.connect("participant"), "werbung für firma x"))
    assert "Firma X" not in str(latest_view(screen, ("activity.live",)))
    # shown again
    ok(fac.emit("cluster.hide_term", {"term_id": werbung["id"], "is_hidden": False}, callback=True))
    shown = latest_view(screen, ("activity.state",))
    assert term_by_text(shown, "Werbung für Firma X")["count"] == 2
    assert term_by_text(shown, "Kind der Werbung")["parent_id"] == werbung["id"]


def test_merge_duplicate_terms(clients, fac, item_id, db):
    phone = clients.connect("participant")
    ok(add(phone, "Stadtgrün"))
    ok(add(phone, "Grünflächen"))
    t = ids(snapshot_view(fac))
    ok(add(phone, "Parks", parent_id=t["Stadtgrün"]))
    ok(add(clients.connect("participant"), "stadtgrün"))
    cluster = ok(fac.emit("cluster.create", {"item_id": item_id, "name": "Grün"}, callback=True))["cluster_id"]
    ok(fac.emit("cluster.move_term", {"term_id": t["Stadtgrün"], "cluster_id": cluster}, callback=True))
    t = ids(snapshot_view(fac))

    ok(fac.emit("cluster.merge_terms", {"term_id": t["Stadtgrün"], "into_id": t["Grünflächen"]}, callback=True))
    view = snapshot_view(clients.connect("screen"))
    assert "Stadtgrün" not in [x["text"] for x in view["terms"]]
    merged = term_by_text(view, "Grünflächen")
    assert merged["count"] == 3  # 2 + 1
    assert merged["cluster_id"] == cluster  # took the place of the duplicate
    assert view["clusters"][0]["term_ids"] == [merged["id"]]
    assert term_by_text(view, "Parks")["parent_id"] == merged["id"]  # children re-parented
    entries = db.session.execute(db.select(ClusterEntry).filter_by(term_id=t["Grünflächen"])).scalars().all()
    assert sorted(e.text for e in entries) == ["Grünflächen", "Stadtgrün", "stadtgrün"]
    # the duplicate's key now leads to the surviving term
    ok(add(clients.connect("participant"), "STADTGRÜN"))
    view = snapshot_view(fac)
    assert term_by_text(view, "Grünflächen")["count"] == 4
    assert "Stadtgrün" not in [x["text"] for x in view["terms"]]
    # an alias is no term for the cockpit
    error(fac.emit("cluster.hide_term", {"term_id": t["Stadtgrün"]}, callback=True), "term_not_found")
    error(fac.emit("cluster.merge_terms", {"term_id": t["Grünflächen"], "into_id": t["Grünflächen"]}, callback=True),
          "same_term")


def test_merging_a_term_into_its_descendant_leaves_no_loop(clients, fac):
    phone = clients.connect("participant")
    ok(add(phone, "Wurzel"))
    t = ids(snapshot_view(fac))
    ok(add(phone, "Mitte", parent_id=t["Wurzel"]))
    t = ids(snapshot_view(fac))
    ok(add(phone, "Blatt", parent_id=t["Mitte"]))
    t = ids(snapshot_view(fac))
    ok(fac.emit("cluster.merge_terms", {"term_id": t["Wurzel"], "into_id": t["Blatt"]}, callback=True))
    view = snapshot_view(fac)
    parents = {x["id"]: x["parent_id"] for x in view["terms"]}
    for start in parents:  # every chain ends at the centre
        seen, current = set(), start
        while current is not None:
            assert current not in seen, f"loop through {current}"
            seen.add(current)
            current = parents[current]
    assert parents[t["Mitte"]] == t["Blatt"] or parents[t["Blatt"]] is None


def test_merging_into_a_child_re_links_to_the_grandparent(clients, fac):
    phone = clients.connect("participant")
    ok(add(phone, "Oben"))
    t = ids(snapshot_view(fac))
    ok(add(phone, "Mitte", parent_id=t["Oben"]))
    t = ids(snapshot_view(fac))
    ok(add(phone, "Unten", parent_id=t["Mitte"]))
    t = ids(snapshot_view(fac))
    ok(fac.emit("cluster.merge_terms", {"term_id": t["Mitte"], "into_id": t["Unten"]}, callback=True))
    view = snapshot_view(fac)
    assert term_by_text(view, "Unten")["parent_id"] == t["Oben"]
    assert term_by_text(view, "Unten")["count"] == 2


# --- who receives what ------------------------------------------------------------------------

def test_late_joiner_gets_the_state_and_own_entries(app, clients, fac, item_id, workshop):
    from facilitator.extensions import socketio

    make_terms(clients, "Bäume", "Schatten")
    cluster = ok(fac.emit("cluster.create", {"item_id": item_id, "name": "Klima"}, callback=True))["cluster_id"]
    t = ids(snapshot_view(fac))
    ok(fac.emit("cluster.move_term", {"term_id": t["Schatten"], "cluster_id": cluster}, callback=True))
    http = clients.http("participant")
    first = socketio.test_client(app, flask_test_client=http, auth={"workshop": workshop.code, "view": "participant"})
    ok(add(first, "Baum"))
    first.disconnect()
    late = socketio.test_client(app, flask_test_client=http, auth={"workshop": workshop.code, "view": "participant"})
    snapshot = events(late, "sync.snapshot")[0][1]["data"]
    assert snapshot["activity"]["kind"] == "cluster_chain"
    view = snapshot["activity"]["view"]
    assert view["central_term"] == CENTRAL
    assert {x["text"]: x["count"] for x in view["terms"]} == {"Bäume": 2, "Schatten": 1}
    assert view["clusters"] == [{"id": cluster, "name": "Klima", "term_ids": [t["Schatten"]]}]
    assert [e["text"] for e in snapshot["me"]["activity"]["entries"]] == ["Baum"]
    late.disconnect()
    newcomer = events(clients.connect("participant"), "sync.snapshot")[0][1]["data"]
    assert newcomer["me"]["activity"] == {"entries": [], "can_cluster": False}


def test_facilitator_changes_are_sequenced_contributions_coalesced(clients, fac, item_id):
    screen = clients.connect("screen")
    events(screen)
    ok(add(clients.connect("participant"), "Bäume"))
    live = events(screen, "activity.live")
    assert live and "seq" not in live[-1][1] and "at_seq" in live[-1][1]
    ok(fac.emit("cluster.create", {"item_id": item_id, "name": "Klima"}, callback=True))
    state = events(screen, "activity.state")
    assert state and isinstance(state[-1][1]["seq"], int)


def test_participants_cannot_cluster_and_screens_cannot_write(clients, fac, item_id):
    make_terms(clients, "Bäume")
    term_id = snapshot_view(fac)["terms"][0]["id"]
    phone = clients.connect("participant")
    screen = clients.connect("screen")
    for sock, code in ((phone, "not_host"), (screen, "forbidden")):  # participants who host a group may
        error(sock.emit("cluster.create", {"item_id": item_id, "name": "Meins"}, callback=True), code)
        error(sock.emit("cluster.hide_term", {"term_id": term_id}, callback=True), code)
        error(sock.emit("cluster.move_term", {"term_id": term_id, "cluster_id": None}, callback=True), code)
    error(add(screen, "Beamer"), "forbidden")
    error(fac.emit("cluster.add_term", {"text": "Moderation"}, callback=True), "forbidden")
    assert snapshot_view(fac)["clusters"] == []


def test_other_workshops_facilitator_is_refused(clients, fac, item_id):
    make_terms(clients, "Bäume")
    term_id = snapshot_view(fac)["terms"][0]["id"]
    http = clients.http("other_facilitator")
    code = clients.workshop.code
    for name, payload in [("cluster.create", {"item_id": item_id, "name": "Fremd"}),
                          ("cluster.hide_term", {"term_id": term_id})]:
        response = http.post(f"/api/v1/workshops/{code}/commands/{name}", json=payload)
        assert response.status_code == 403
    view = snapshot_view(fac)
    assert view["clusters"] == [] and view["hidden_count"] == 0


# --- summary ----------------------------------------------------------------------------------

def test_summary_for_cockpit_and_documentation(app, clients, fac, item_id, factory, workshop):
    from facilitator.core.auth import participant_cookie
    from facilitator.extensions import socketio

    def person(org_type):
        _p, token = factory.participant(workshop, org_type=org_type)
        http = app.test_client()
        http.set_cookie(participant_cookie(workshop), token)
        sock = socketio.test_client(app, flask_test_client=http, auth={"workshop": workshop.code, "view": "participant"})
        clients.sockets.append(sock)
        return sock

    kommune = [person("kommune") for _ in range(3)]
    ok(add(kommune[0], "Bäume"))
    ok(add(kommune[1], "Baum"))
    ok(add(kommune[2], "Schatten"))
    ok(add(person("wissenschaft"), "Biodiversität"))
    ok(add(person(None), "Werbung"))
    t = ids(snapshot_view(fac))
    cluster = ok(fac.emit("cluster.create", {"item_id": item_id, "name": "Klima"}, callback=True))["cluster_id"]
    ok(fac.emit("cluster.move_term", {"term_id": t["Schatten"], "cluster_id": cluster}, callback=True))
    ok(fac.emit("cluster.move_term", {"term_id": t["Bäume"], "cluster_id": cluster}, callback=True))
    ok(fac.emit("cluster.hide_term", {"term_id": t["Werbung"]}, callback=True))

    summary = ok(fac.emit("activity.summary", {"item_id": item_id}, callback=True))["summary"]
    assert summary["central_term"] == CENTRAL
    assert summary["clusters"] == [{"id": cluster, "name": "Klima", "entry_count": 3, "terms": [
        {"id": t["Schatten"], "text": "Schatten", "count": 1, "is_hidden": False},
        {"id": t["Bäume"], "text": "Bäume", "count": 2, "is_hidden": False}]}]
    assert [(x["text"], x["is_hidden"]) for x in summary["unclustered"]] == [("Biodiversität", False), ("Werbung", True)]
    assert summary["hidden_count"] == 1 and summary["term_count"] == 3
    assert summary["entry_count"] == 4 and summary["total_entries"] == 5
    by_type = {r["organisation_type"]: (r["entries"], r["participants"]) for r in summary["entries_by_organisation_type"]}
    # one person from Wissenschaft is not shown on their own (anonymity: fewer than 3)
    assert by_type == {"kommune": (3, 3), "_combined": (1, 1), None: (1, 1)}


@pytest.mark.parametrize("settings, expected", [
    ({}, True), ({"chains": True}, True), ({"chains": False}, False), ({"chains": "false"}, False),
    ({"chains": "ja"}, True),
])
def test_chains_setting(settings, expected):
    from types import SimpleNamespace

    from facilitator.clusters.operations import central_term, has_chains

    item = SimpleNamespace(settings=settings, title="Clusterkette")
    assert has_chains(item) is expected
    assert central_term(item) == "Clusterkette"  # no central_term: the title


def test_entry_keeps_the_text_as_typed_the_term_shows_it_tidied(clients, fac, db):
    ok(add(clients.connect("participant"), "Schatten \n spenden"))
    assert db.session.execute(db.select(ClusterEntry.text)).scalar_one() == "Schatten \n spenden"
    assert db.session.execute(db.select(ClusterTerm.text)).scalar_one() == "Schatten spenden"


# --- group hosts co-moderate ---------------------------------------------------------------------

def test_group_hosts_shape_clusters_other_participants_do_not(clients, fac, workshop, item_id):
    from facilitator.groups.operations import groups_of
    from facilitator.join.models import Participant

    member = clients.connect("participant")
    ok(add(member, "Stadtbäume"))
    error(member.emit("cluster.create", {"item_id": item_id, "name": "Bäume"}, callback=True), "not_host")
    assert member.emit("sync.request", {}, callback=True)["snapshot"]["data"]["me"]["activity"]["can_cluster"] is False

    host = clients.connect("participant")
    host_id = db_max_participant(workshop, Participant)
    ok(fac.emit("group.host.assign", {"group_id": groups_of(workshop)[0].id, "participant_id": host_id}, callback=True))
    assert host.emit("sync.request", {}, callback=True)["snapshot"]["data"]["me"]["activity"]["can_cluster"] is True
    created = ok(host.emit("cluster.create", {"item_id": item_id, "name": "Bäume"}, callback=True))
    term = term_by_text(snapshot_view(fac), "Stadtbäume")
    ok(host.emit("cluster.move_term", {"term_id": term["id"], "cluster_id": created["cluster_id"]}, callback=True))
    assert term_by_text(snapshot_view(member), "Stadtbäume")["cluster_id"] == created["cluster_id"]


def db_max_participant(workshop, model):
    from facilitator.extensions import db

    return db.session.execute(db.select(db.func.max(model.id)).filter_by(workshop_id=workshop.id)).scalar()
