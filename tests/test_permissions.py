"""Permission sweep over every intent of the command registry: the roles that may, every role that may not,
and invalid payloads. A new command is covered as soon as it is registered.

Examples (``Command.example``) may hold placeholders that only make sense against a real workshop
("$later_item"); :func:`resolve` fills them in. Some commands need the day in a certain state to
succeed; :data:`SETUP` lists the commands to run first.
"""
from __future__ import annotations

import copy

import pytest

from facilitator.core.auth import ROLES, Actor
from facilitator.core.commands import REGISTRY, Payload, execute
from facilitator.extensions import db as _db
from facilitator.extensions import socketio
from facilitator.workshops.models import Workshop
from tests.conftest import events

from facilitator.core.live import register_socket_handlers

register_socket_handlers()  # imports every concept's intents: the registry is complete before it is read
COMMANDS = sorted(REGISTRY)

ORG, PAR, PAR2 = "organiser", "participant", "participant2"
POLL = {"poll_id": "$poll"}
GOTO_BLITZLICHT = (ORG, "agenda.goto", {"item_id": "$item:blitzlicht"})
GOTO_CHAIN = (ORG, "agenda.goto", {"item_id": "$item:cluster_chain"})
CLUSTER = (ORG, "cluster.create", {"item_id": "$item:cluster_chain", "name": "Wasser"})
GOTO_CHOICE = (ORG, "agenda.goto", {"item_id": "$item:group_choice"})
GOTO_BREAKOUT = (ORG, "agenda.goto", {"item_id": "$item:breakout"})
#: A participant of SETUP works in the first group; the breakout runs.
IN_BREAKOUT = [GOTO_CHOICE, (PAR, "group.choose", {"group_id": "$group"}), GOTO_BREAKOUT]
WITH_POST = IN_BREAKOUT + [(PAR, "workspace.comment", {"goal_id": "$goal", "text": "Wichtig"})]
#: The connected participant of the test joins the group's workspace once connected.
AS_MEMBER = [(ORG, "group.assign_undecided", {"round": 1})]
AS_HOST = [(ORG, "group.host.assign", {"group_id": "$group", "participant_id": "$newest_participant"})]
#: command -> (who, command, payload) to run first so that the command can succeed. ``who`` is the
#: organiser or one of two participants; payloads may hold the placeholders that resolve() knows.
SETUP: dict[str, list[tuple[str, str, dict]]] = {
    "agenda.next": [(ORG, "day.start", {})],
    "agenda.previous": [(ORG, "day.start", {}), (ORG, "agenda.next", {})],
    "agenda.pause": [(ORG, "day.start", {})],
    "agenda.resume": [(ORG, "day.start", {}), (ORG, "agenda.pause", {})],
    "agenda.extend": [(ORG, "day.start", {})],
    "agenda.replan": [(ORG, "day.start", {}), (ORG, "agenda.extend", {"minutes": 5})],
    "agenda.replan.preview": [(ORG, "day.start", {}), (ORG, "agenda.extend", {"minutes": 5})],
    # Blitzlicht: the round runs; a statement exists
    "blitzlicht.submit": [GOTO_BLITZLICHT],
    "blitzlicht.hide": [GOTO_BLITZLICHT, (PAR, "blitzlicht.submit", {"text": "Viel gelernt", "mood": 4})],
    "blitzlicht.spotlight": [GOTO_BLITZLICHT, (PAR, "blitzlicht.submit", {"text": "Viel gelernt", "mood": 4})],
    # polls: the RVR template brings a prepared poll ("$poll")
    "poll.close": [(ORG, "poll.open", POLL)],
    "poll.reopen": [(ORG, "poll.open", POLL), (ORG, "poll.close", POLL)],
    "poll.reveal": [(ORG, "poll.open", POLL)],
    "poll.vote": [(ORG, "poll.open", POLL)],
    "poll.hide_answer": [(ORG, "poll.open", POLL), (PAR, "poll.vote", {**POLL, "choices": [1], "other": "Kleingärtner*innen"})],
    # Clusterkette: the chain runs; terms and clusters exist
    "cluster.add_term": [GOTO_CHAIN],
    "cluster.rename": [CLUSTER],
    "cluster.delete": [CLUSTER],
    "cluster.merge": [CLUSTER, (ORG, "cluster.create", {"item_id": "$item:cluster_chain", "name": "Hitze"})],
    "cluster.move_term": [GOTO_CHAIN, (PAR, "cluster.add_term", {"text": "Stadtbäume"}), CLUSTER],
    "cluster.hide_term": [GOTO_CHAIN, (PAR, "cluster.add_term", {"text": "Stadtbäume"})],
    "cluster.merge_terms": [GOTO_CHAIN, (PAR, "cluster.add_term", {"text": "Bäume"}),
                            (PAR2, "cluster.add_term", {"text": "Baumreihen"})],
    # groups: "Choose your fighter" runs (round 1 open); a participant has chosen
    "group.choose": [GOTO_CHOICE],
    "group.lock": [GOTO_CHOICE],
    "group.unlock": [GOTO_CHOICE, (ORG, "group.lock", {})],
    "group.move": [GOTO_CHOICE, (PAR, "group.choose", {"group_id": "$group"})],
    "group.assign_undecided": [GOTO_CHOICE],
    "group.balance.preview": [GOTO_CHOICE],
    # breakout workspaces: the breakout of round 1 runs
    **{name: [GOTO_CHOICE, GOTO_BREAKOUT] for name in (
        "workspace.comment", "workspace.reword", "workspace.goal.propose", "workspace.practice.add",
        "workspace.answer", "workspace.vote", "breakout.recall")},
    "workspace.unvote": [GOTO_CHOICE, GOTO_BREAKOUT],
    "workspace.goal.result": IN_BREAKOUT,
    "workspace.goal.merge": IN_BREAKOUT,
    "workspace.goal.hide": IN_BREAKOUT,
    "workspace.post.hide": WITH_POST,
    "workspace.summary": IN_BREAKOUT,
    "group.host.assign": IN_BREAKOUT,
    "group.goal.remove": [],
    "group.host.claim": IN_BREAKOUT,
}

#: command -> steps (run as the organiser) once the test's own client is connected: for intents
#: that need the connected participant in a group (``AS_MEMBER``) or hosting it (``AS_HOST``).
AFTER_CONNECT: dict[str, list[tuple[str, str, dict]]] = {
    **{name: AS_MEMBER for name in (
        "workspace.comment", "workspace.reword", "workspace.goal.propose", "workspace.practice.add",
        "workspace.answer", "workspace.vote")},
    "workspace.unvote": AS_MEMBER + [("connected", "workspace.vote", {"goal_id": "$goal"})],
    # group hosts co-moderate the Clusterkette
    **{name: AS_HOST for name in (
        "cluster.create", "cluster.rename", "cluster.delete", "cluster.merge", "cluster.move_term",
        "cluster.hide_term", "cluster.merge_terms")},
    **{name: AS_HOST for name in (
        "workspace.goal.result", "workspace.goal.merge", "workspace.goal.hide", "workspace.post.hide", "workspace.summary")},
}

#: Values that no payload field of any command accepts.
WRONG_TYPES = ({"nested": {"x": 1}}, [[{"x": 1}]])
NOT_AN_OBJECT = ([], ["agenda"], "agenda", 5, True)

#: command -> payloads out of range or otherwise refused (on top of the generic cases below).
OUT_OF_RANGE: dict[str, list[dict]] = {
    "agenda.extend": [{"minutes": 0}, {"minutes": 61}, {"minutes": -61}, {"minutes": 2.5}, {"minutes": "fünf"},
                      {"minutes": None}],
    "agenda.item.add": [
        {"title": "x", "duration": 0}, {"title": "x", "duration": 601}, {"title": "", "duration": 5},
        {"title": "x" * 121, "duration": 5}, {"title": "x", "kind": "party", "duration": 5},
        {"title": "x", "duration": 5, "position": -1}, {"title": "x", "duration": 5, "min_duration": 0},
        {"title": "x", "duration": 5, "pinned_at": "25:00"}, {"title": "   ", "duration": 5},
    ],
    "agenda.item.update": [
        {"item_id": "$later_item"}, {"item_id": "$later_item", "duration": 0},
        {"item_id": "$later_item", "title": None}, {"item_id": "$later_item", "duration": None},
        {"item_id": "$later_item", "pinned_at": "9 Uhr"},
    ],
    "agenda.reorder": [{"item_ids": []}],
    "agenda.day.update": [{"starts_at": "25:00"}, {"starts_at": "neun"}, {"starts_at": "09:00", "date": "30.11.2022"}],
    "broadcast.send": [{"text": ""}, {"text": "   "}, {"text": "x" * 281}],
    "workshop.join.set": [{"is_open": "maybe"}, {"is_open": None}],
    "agenda.goto": [{"item_id": "erster"}],
    "agenda.replan": [{"item_ids": "alle"}],
    "agenda.replan.preview": [{"item_ids": ["eins"]}],
    "group.choose": [{"group_id": "$group", "round": 0}, {"group_id": "$group", "round": 10}, {"group_id": "erste"}],
    "group.round.open": [{"round": 0}, {"round": 10}, {"round": None}],
    "group.require_switch": [{"round": 1, "required": True}, {"required": "ja"}],
    "group.move": [{"participant_id": "$participant", "group_id": "$group", "round": 0}],
    "group.create": [{"name": ""}, {"name": "x", "capacity": 0}, {"name": "x", "room_url": "javascript:alert(1)"},
                     {"name": "x" * 81}],
    "group.update": [{"group_id": "$group", "capacity": 1001}, {"group_id": "$group", "room_url": "ftp://x"},
                     {"group_id": "$group", "name": ""}, {"group_id": "$group", "name": None},
                     {"group_id": "$group", "capacity": None}],
}


# --- helpers ----------------------------------------------------------------------------------

def pending_after_current(workshop) -> list:
    current = workshop.current_item
    return [i for i in workshop.items
            if i.status.value == "pending" and (current is None or i.position > current.position)]


def resolve(value, workshop, command: str):
    """Fill the example's placeholders in with ids of ``workshop``."""
    if isinstance(value, dict):
        return {k: resolve(v, workshop, command) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, workshop, command) for v in value]
    if not (isinstance(value, str) and value.startswith("$")):
        return value
    _db.session.expire_all()
    workshop = _db.session.get(Workshop, workshop.id)
    if value == "$later_item":  # a pending item after the next one: jumping there skips something
        later = pending_after_current(workshop)
        return later[min(1, len(later) - 1)].id
    if value == "$reversed_pending":  # items that ran keep their place, the others reversed
        ran = [i.id for i in workshop.items if i.status.value != "pending"]
        return ran + [i.id for i in reversed([i for i in workshop.items if i.status.value == "pending"])]
    if value.startswith("$item:"):  # the first item of a kind
        return next(i.id for i in workshop.items if i.kind == value.split(":", 1)[1])
    if value == "$input_item":  # an item whose activity takes contributions
        from facilitator.core.activities import activity_of

        return next(i.id for i in workshop.items if getattr(activity_of(i), "has_input", False))
    if value == "$statement":  # a Blitzlicht statement of this workshop (SETUP posts one)
        from facilitator.blitzlicht.models import Statement

        return first_of_workshop(Statement, workshop)
    if value in ("$poll", "$poll_answer"):
        from facilitator.polls.models import Poll, PollVote

        if value == "$poll":  # the prepared poll of the template
            return _db.session.execute(_db.select(Poll.id).filter_by(workshop_id=workshop.id).order_by(Poll.id)).scalars().first()
        return _db.session.execute(  # an answer with free text (SETUP votes with one)
            _db.select(PollVote.id).join(Poll, Poll.id == PollVote.poll_id)
            .filter(Poll.workshop_id == workshop.id, PollVote.text.is_not(None))).scalars().first()
    if value in ("$cluster", "$other_cluster", "$term", "$other_term"):  # made by SETUP
        from facilitator.clusters.models import Cluster, ClusterTerm

        ids = first_of_workshop(Cluster if "cluster" in value else ClusterTerm, workshop, every=True)
        return ids[1] if value.startswith("$other") else ids[0]
    if value in ("$goal", "$other_goal"):  # the first goals of the first theme group
        from facilitator.groups.models import DraftGoal, ThemeGroup

        ids = _db.session.execute(
            _db.select(DraftGoal.id).join(ThemeGroup, ThemeGroup.id == DraftGoal.group_id)
            .filter(ThemeGroup.workshop_id == workshop.id).order_by(ThemeGroup.position, DraftGoal.position)).scalars().all()
        return ids[1] if value == "$other_goal" else ids[0]
    if value == "$post":  # a workspace post (SETUP writes one)
        from facilitator.groups.models import WorkspacePost

        return _db.session.execute(_db.select(WorkspacePost.id).filter_by(workshop_id=workshop.id)).scalars().first()
    if value == "$host_token":  # the host link of the first theme group
        from facilitator.groups.models import ThemeGroup
        from facilitator.groups.workspace import host_token

        return host_token(_db.session.execute(
            _db.select(ThemeGroup).filter_by(workshop_id=workshop.id).order_by(ThemeGroup.position)).scalars().first())
    if value == "$newest_participant":  # the test's own connected participant
        from facilitator.join.models import Participant

        return _db.session.execute(_db.select(_db.func.max(Participant.id)).filter_by(workshop_id=workshop.id)).scalar()
    if value in ("$group", "$participant"):  # the first theme group; a participant (SETUP makes one)
        from facilitator.groups.models import ThemeGroup
        from facilitator.join.models import Participant

        model, order = (ThemeGroup, ThemeGroup.position) if value == "$group" else (Participant, Participant.id)
        found = _db.session.execute(_db.select(model.id).filter_by(workshop_id=workshop.id).order_by(order)).scalars().first()
        assert found, f"no {model.__name__} in the workshop: add a SETUP step that makes one"
        return found
    pytest.fail(f"{command}: unknown placeholder {value!r} in its example; teach resolve() in {__file__}")


def first_of_workshop(model, workshop, every=False):
    """The id (or all ids) of ``model`` rows that belong to an agenda item of ``workshop``."""
    from facilitator.agenda.models import AgendaItem

    ids = _db.session.execute(
        _db.select(model.id).join(AgendaItem, AgendaItem.id == model.item_id)
        .filter(AgendaItem.workshop_id == workshop.id).order_by(model.id)).scalars().all()
    assert ids, f"no {model.__name__} in the workshop: add a SETUP step that makes one"
    return ids if every else ids[0]


def fingerprint() -> dict:
    """Every row of every table: what "nothing changed" means."""
    _db.session.expire_all()
    state = {}
    with _db.engine.connect() as conn:
        for table in _db.metadata.sorted_tables:
            rows = conn.execute(table.select()).all()
            state[table.name] = sorted((tuple(map(repr, row)) for row in rows))
    return state


def seq_of(workshop) -> int:
    _db.session.expire_all()
    return _db.session.get(Workshop, workshop.id).seq


def run_setup(app, factory, name: str, workshop, owner) -> None:
    """Run the SETUP steps of ``name`` in ``workshop`` (as its organiser ``owner`` or a new participant)."""
    participants = {}
    for who, step, payload in SETUP.get(name, []):
        if who in (PAR, PAR2):
            if who not in participants:
                participants[who] = factory.participant(workshop, name=f"Setzi {who}")[0]
            actor = Actor(PAR, workshop.id, participant_id=participants[who].id)
        else:
            actor = Actor(ORG, workshop.id, user_id=owner.id)
        with app.test_request_context("/"):
            ack = execute(step, actor, resolve(payload, workshop, name))
        assert ack["ok"], (name, step, ack)


@pytest.fixture
def prepare(app, factory, workshop, organiser):
    """Run the setup commands of ``name`` in the test's workshop."""
    return lambda name: run_setup(app, factory, name, workshop, organiser)


@pytest.fixture
def connected(app, workshop, organiser):
    """Run the AFTER_CONNECT steps of ``name`` (as the organiser, or as the test's own connection
    ``sock`` for steps of "connected"), then drop what they published."""

    def run(name: str, sock) -> None:
        for who, step, payload in AFTER_CONNECT.get(name, []):
            payload = resolve(payload, workshop, name)
            if who == "connected":
                ack = sock.emit(step, payload, callback=True)
            else:
                with app.test_request_context("/"):
                    ack = execute(step, Actor(ORG, workshop.id, user_id=organiser.id), payload)
            assert ack["ok"], (name, step, ack)
        sock.get_received()

    return run


def forbidden(ack, name):
    assert ack["ok"] is False, (name, ack)
    assert ack["error"]["code"] == "forbidden", (name, ack)
    assert ack["error"]["message"]


# --- the registry is complete -----------------------------------------------------------------

def test_the_sweep_sees_the_commands():
    assert {"day.start", "agenda.next", "agenda.extend", "broadcast.send"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_roles_a_payload_type_and_a_socket_handler(app, name):
    cmd = REGISTRY[name]
    assert cmd.roles and cmd.roles <= set(ROLES), name
    assert "screen" not in cmd.roles  # the projector is read-only
    assert issubclass(cmd.payload, Payload)
    assert name in socketio.server.handlers["/"], f"{name} has no socket handler"


# --- allowed roles succeed --------------------------------------------------------------------

ALLOWED = [(name, role) for name in COMMANDS for role in sorted(REGISTRY[name].roles)]


@pytest.mark.parametrize("name, role", ALLOWED, ids=[f"{n}-{r}" for n, r in ALLOWED])
def test_allowed_role_succeeds(clients, prepare, connected, clock, name, role):
    prepare(name)
    sock = clients.connect(role)
    assert sock.is_connected()
    connected(name, sock)
    before = seq_of(clients.workshop)
    ack = sock.emit(name, resolve(REGISTRY[name].example, clients.workshop, name), callback=True)
    assert ack["ok"] is True, (name, role, ack)
    published = events(sock)
    sequenced = [message["seq"] for event, message in published if message and "seq" in message and event != "sync.snapshot"]
    # what was published is numbered on from the workshop's sequence, without gaps
    assert sequenced == list(range(before + 1, seq_of(clients.workshop) + 1)), (name, published)


# --- every other role is refused and nothing changes ------------------------------------------

DENIED = [(name, role) for name in COMMANDS
          for role in ("organiser", "facilitator", "participant", "screen") if role not in REGISTRY[name].roles]


@pytest.mark.parametrize("name, role", DENIED, ids=[f"{n}-{r}" for n, r in DENIED])
def test_other_roles_are_refused_and_nothing_changes(clients, prepare, clock, name, role):
    prepare(name)
    sock = clients.connect(role)
    assert sock.is_connected()
    watcher = clients.connect("screen")
    payload = resolve(REGISTRY[name].example, clients.workshop, name)
    sock.get_received(), watcher.get_received()
    before = fingerprint()

    forbidden(sock.emit(name, payload, callback=True), name)

    assert fingerprint() == before
    assert events(sock) == [] and events(watcher) == []  # nothing was published


@pytest.mark.parametrize("name", COMMANDS)
def test_facilitator_of_another_workshop_is_refused_and_nothing_changes(clients, prepare, clock, name):
    prepare(name)
    http = clients.http("other_facilitator")
    payload = resolve(REGISTRY[name].example, clients.workshop, name)
    before = fingerprint()

    response = http.post(f"/api/v1/workshops/{clients.workshop.code}/commands/{name}", json=payload)

    assert response.status_code == 403
    forbidden(response.get_json(), name)
    assert fingerprint() == before


def workshop_rows(workshop_id: int) -> tuple:
    """The workshop's own row and its agenda (for checks where another workshop may change)."""
    from facilitator.agenda.models import AgendaItem
    from facilitator.broadcasts.models import Broadcast

    _db.session.expire_all()
    workshop = _db.session.get(Workshop, workshop_id)
    items = _db.session.execute(_db.select(AgendaItem).filter_by(workshop_id=workshop_id).order_by(AgendaItem.id)).scalars()
    broadcasts = _db.session.scalar(_db.select(_db.func.count(Broadcast.id)).filter_by(workshop_id=workshop_id))
    return (workshop.seq, workshop.state, workshop.current_item_id, workshop.is_join_open, workshop.day_starts_at,
            [(i.id, i.position, i.title, i.status, i.duration_s, i.ends_at, i.remaining_s) for i in items], broadcasts)


@pytest.mark.parametrize("name", COMMANDS)
def test_cockpit_of_another_workshop_cannot_reach_this_one(app, clients, factory, prepare, clock, name):
    """Their own cockpit connection acts on their own workshop only: our item ids are unknown there."""
    from tests.conftest import login

    prepare(name)
    payload = resolve(REGISTRY[name].example, clients.workshop, name)
    user = factory.user("Otto Anderswo")
    theirs = factory.workshop(user)  # also the RVR agenda, in the same state
    run_setup(app, factory, name, theirs, user)
    sock = socketio.test_client(app, flask_test_client=login(app.test_client(), user),
                                auth={"workshop": theirs.code, "view": "cockpit"})
    assert sock.is_connected()
    before = workshop_rows(clients.workshop.id)

    ack = sock.emit(name, payload, callback=True)

    assert workshop_rows(clients.workshop.id) == before
    if any(key in payload for key in ("item_id", "item_ids")):
        assert ack["ok"] is False, (name, ack)
    sock.disconnect()


# --- invalid payloads -------------------------------------------------------------------------

def invalid_payloads(name: str, workshop) -> list:
    cmd = REGISTRY[name]
    example = resolve(cmd.example, workshop, name)
    cases = list(NOT_AN_OBJECT)
    cases.append({**example, "unexpected": 1})
    fields = cmd.payload.model_fields
    for field_name, info in fields.items():
        if info.is_required():
            cases.append({k: v for k, v in example.items() if k != field_name})
        for wrong in WRONG_TYPES:
            base = example if field_name in example else {**example}
            cases.append({**base, field_name: copy.deepcopy(wrong)})
    cases.extend(resolve(case, workshop, name) for case in OUT_OF_RANGE.get(name, []))
    return cases


@pytest.mark.parametrize("name", COMMANDS)
def test_invalid_payloads_are_refused_and_change_nothing(clients, prepare, connected, clock, name):
    prepare(name)
    roles = REGISTRY[name].roles
    sock = clients.connect(ORG if ORG in roles else sorted(roles)[0])  # one who may
    connected(name, sock)
    before = fingerprint()
    cases = invalid_payloads(name, clients.workshop)
    assert len(cases) >= len(NOT_AN_OBJECT) + 1

    for payload in cases:
        ack = sock.emit(name, payload, callback=True)
        assert ack["ok"] is False, (name, payload, ack)
        assert ack["error"]["code"] == "invalid_payload", (name, payload, ack)
        assert ack["error"]["message"]

    assert fingerprint() == before
    assert events(sock) == []
    # … and the example itself is fine, so the cases above failed for the reason given
    assert sock.emit(name, resolve(REGISTRY[name].example, clients.workshop, name), callback=True)["ok"]


def test_out_of_range_table_names_real_commands():
    assert set(OUT_OF_RANGE) <= set(REGISTRY)


def test_invalid_payload_ack_names_the_field(clients):
    sock = clients.connect("organiser")
    ack = sock.emit("agenda.extend", {"minutes": 0}, callback=True)
    assert ack["error"]["code"] == "invalid_payload"
    assert ack["error"]["message"]
    assert ack["error"]["details"]["fields"][0]["field"] == "minutes"


def test_unknown_command_through_rest_is_not_found(clients):
    response = clients.http("organiser").post(f"/api/v1/workshops/{clients.workshop.code}/commands/agenda.explode", json={})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_command"


def test_execute_without_actor_is_refused(app, workshop):
    with app.test_request_context("/"):
        ack = execute("day.start", None, {})
    assert ack["ok"] is False and ack["error"]["code"] == "not_authenticated"
