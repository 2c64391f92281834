"""Two real app processes (gevent) on one PostgreSQL and one Redis message queue.

A participant is connected to process 1, the facilitator to process 2. What the facilitator does
on process 2 must reach the participant on process 1 through the database and the message queue:
nothing may live only in one process's memory (DESIGN.md, "Scale-out").
"""
from __future__ import annotations

import secrets
import time
from datetime import datetime

import pytest

from . import harness

pytestmark = [pytest.mark.multiprocess, pytest.mark.slow, pytest.mark.timeout(300)]

#: How long an event may take from the facilitator's command to the participant's screen.
DELIVERY_LIMIT_S = 2.0
#: Begrüßung and Keynote are planned with 10 minutes each in the RVR template.
ITEM_DURATION_S = 600


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def item_by_id(state: dict, item_id) -> dict:
    return next(i for i in state["agenda"]["items"] if i["id"] == item_id)


def check_running(message: dict, title_prefix: str) -> dict:
    """``workshop.state`` envelope: the current item is ``title_prefix…`` and its timer runs ~10 minutes."""
    state = message["data"]
    current_id = state["agenda"]["current_id"]
    assert current_id is not None, state["agenda"]
    item = item_by_id(state, current_id)
    assert item["title"].startswith(title_prefix), item["title"]
    assert item["status"] == "running", item
    assert item["ends_at"], f"running item has no ends_at: {item}"
    left = (parse_time(item["ends_at"]) - parse_time(message["now"])).total_seconds()
    assert ITEM_DURATION_S - 5 <= left <= ITEM_DURATION_S + 1, f"timer ends {left:.1f}s after now, expected ~{ITEM_DURATION_S}s"
    return item


def environment(services, pg_database, redis_channel, tmp_path, **extra):
    """``env(instance)``: the settings of one process of an installation (shared database, queue, key)."""
    secret = secrets.token_hex(16)

    def env(instance: str) -> dict[str, str]:
        return harness.clean_env(
            DATABASE_URL=pg_database, MESSAGE_QUEUE=services.redis, MESSAGE_QUEUE_CHANNEL=redis_channel,
            SECRET_KEY=secret, INSTANCE_PATH=str(tmp_path / instance), ASYNC_MODE="gevent", AUTO_MIGRATE="1", **extra,
        )

    return env


def test_facilitator_on_one_process_drives_participant_on_the_other(services, pg_database, redis_channel, launch, tmp_path):
    services.require()
    email = "olga@example.org"
    env = environment(services, pg_database, redis_channel, tmp_path, DEMO="1")

    # Three start at once on the empty database: both app processes and the CLI that creates the
    # organiser. Each wants to migrate (and the app processes to create the demo workshop); the
    # advisory lock lets one do it while the others wait and then find it done.
    p1 = launch("p1", env("p1"))
    p2 = launch("p2", env("p2"))
    cli_env = env("cli")
    cli = harness.create_organiser(cli_env, email)
    p1.wait_ready()
    p2.wait_ready()
    migrated = {
        name for name, text in (("p1", p1.output()), ("p2", p2.output()), ("cli", cli.stdout + cli.stderr))
        if "Running upgrade" in text
    }
    assert len(migrated) == 1, f"exactly one of p1, p2, cli should have run the migrations, got {sorted(migrated)}"
    # the other start-up chore that writes: the demo workshop on an empty database, once, not per process
    assert harness.query(pg_database, "SELECT count(*) FROM workshops") == [(1,)], "demo workshop created twice"

    code = harness.import_agenda(cli_env, email)
    assert code.isalnum(), f"agenda import printed {code!r}"

    # participant: joins over HTTP on process 1, socket on process 1
    phone = harness.join_participant(p1.base, code)
    par_sock, par = harness.socket_client(p1.base, code, "participant", harness.cookie_header(phone))
    # facilitator: logs in on process 2, socket on process 2
    browser = harness.login(p2.base, email)
    fac_sock, fac = harness.socket_client(p2.base, code, "cockpit", harness.cookie_header(browser))
    try:
        snap = par.wait_for(lambda n, d: n == "sync.snapshot", 5)
        assert snap, f"participant got no snapshot: {par.events}"
        base_seq = snap[3]["seq"]
        assert snap[3]["data"]["me"]["role"] == "participant"
        assert fac.wait_for(lambda n, d: n == "sync.snapshot", 5), f"facilitator got no snapshot: {fac.events}"

        seen = len(par.events)
        timings = {}
        for command, title in (("day.start", "Begrüßung"), ("agenda.next", "Keynote")):
            sent = time.monotonic()
            ack = fac_sock.call(command, {}, timeout=10)
            acked = time.monotonic()
            assert ack and ack.get("ok") is True, f"{command} ack: {ack}"
            got = par.wait_for(lambda n, d: n == "workshop.state", DELIVERY_LIMIT_S - (time.monotonic() - sent), seen)
            assert got, f"participant on p1 did not get workshop.state within {DELIVERY_LIMIT_S}s of {command}"
            index, arrived, _name, message = got
            assert arrived - sent <= DELIVERY_LIMIT_S
            check_running(message, title)
            timings[command] = (acked - sent, arrived - sent)
            seen = index + 1

        sent = time.monotonic()
        ack = fac_sock.call("broadcast.send", {"text": "Noch 5 Minuten"}, timeout=10)
        assert ack and ack.get("ok") is True, f"broadcast.send ack: {ack}"
        got = par.wait_for(lambda n, d: n == "broadcast.sent", DELIVERY_LIMIT_S - (time.monotonic() - sent), seen)
        assert got, f"participant on p1 did not get the broadcast within {DELIVERY_LIMIT_S}s"
        assert got[3]["data"]["text"] == "Noch 5 Minuten"

        # every sequenced change reached the participant exactly once and in order
        seqs = [seq for _name, seq in par.sequenced()]
        assert seqs == list(range(base_seq, base_seq + 4)), f"participant seqs {par.sequenced()}"
        assert [n for n, _s in par.sequenced()][1:] == ["workshop.state", "workshop.state", "broadcast.sent"]
        fac_seqs = [seq for _name, seq in fac.sequenced()]
        assert fac_seqs[-3:] == seqs[-3:], f"facilitator seqs {fac.sequenced()}"
        print("command -> ack, -> participant on the other process (s):", timings)
    finally:
        fac_sock.disconnect()
        par_sock.disconnect()
    for process in (p1, p2):
        assert "Traceback" not in process.output(), f"{process.name} logged an error"


def test_a_breakout_group_spans_both_processes(services, pg_database, redis_channel, launch, tmp_path):
    """Two members of one theme group, one phone on each process: a comment written on process 1
    reaches the other member on process 2 (the group's room through the message queue), and a
    member of another group receives nothing of it."""
    services.require()
    email = "olga@example.org"
    env = environment(services, pg_database, redis_channel, tmp_path)
    p1 = launch("p1", env("p1"))
    p1.wait_ready()  # migrates first
    p2 = launch("p2", env("p2"))
    cli_env = env("cli")
    harness.create_organiser(cli_env, email)
    p2.wait_ready()
    code = harness.import_agenda(cli_env, email)

    fac_sock, fac = harness.socket_client(p2.base, code, "cockpit", harness.cookie_header(harness.login(p2.base, email)))
    phones = []
    for name, process in (("Anna", p1), ("Carla", p2), ("Ben", p2)):
        session = harness.join_participant(process.base, code, name=name)
        phones.append(harness.socket_client(process.base, code, "participant", harness.cookie_header(session)))
    (anna_sock, anna), (carla_sock, carla), (ben_sock, ben) = phones
    try:
        snapshot = fac.wait_for(lambda n, d: n == "sync.snapshot", 5)[3]["data"]
        items = {i["kind"]: i["id"] for i in reversed(snapshot["agenda"]["items"])}
        first, second = snapshot["groups"][0]["id"], snapshot["groups"][1]["id"]
        assert fac_sock.call("agenda.goto", {"item_id": items["group_choice"]}, timeout=10)["ok"]
        for sock, group in ((anna_sock, first), (carla_sock, first), (ben_sock, second)):
            ack = sock.call("group.choose", {"group_id": group}, timeout=10)
            assert ack and ack["ok"], ack
        assert fac_sock.call("agenda.goto", {"item_id": items["breakout"]}, timeout=10)["ok"]
        for sock in (anna_sock, carla_sock, ben_sock):
            assert sock.call("workspace.follow", {}, timeout=10)["personal"]["group_id"] in (first, second)
        seen_carla, seen_ben = len(carla.events), len(ben.events)
        goal = anna_sock.call("workspace.follow", {}, timeout=10)["personal"]["workspace"]["goals"][0]["id"]

        sent = time.monotonic()
        assert anna_sock.call("workspace.comment", {"goal_id": goal, "text": "Über zwei Prozesse"}, timeout=10)["ok"]

        def has_comment(name, data):
            return name == "workspace.state" and "Über zwei Prozesse" in str(data)

        got = carla.wait_for(has_comment, DELIVERY_LIMIT_S, seen_carla)
        assert got, f"Carla on p2 did not get Anna's comment from p1: {carla.events[seen_carla:]}"
        assert got[1] - sent <= DELIVERY_LIMIT_S
        assert fac.wait_for(has_comment, DELIVERY_LIMIT_S), "the cockpit on p2 did not get the comment"
        time.sleep(0.5)  # anything meant for Ben would have arrived by now
        assert not [e for e in ben.events[seen_ben:] if e[1] == "workspace.state"], "another group's phone got it"
    finally:
        for sock in (fac_sock, anna_sock, carla_sock, ben_sock):
            sock.disconnect()
    for process in (p1, p2):
        assert "Traceback" not in process.output(), f"{process.name} logged an error"
