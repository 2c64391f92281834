"""The reference day (shared/REFERENCE-DAY.md) driven from the cockpit to its end, phones and
projector following: every item reaches them, the overrun shows as drift, re-planning keeps
lunch at 11:40 and the day ends at its planned time."""
from datetime import datetime, timedelta, timezone

from tests.conftest import events

BERLIN = timezone(timedelta(hours=1))  # 30.11.2022 is winter time


def at(hh_mm: str) -> datetime:
    hours, minutes = map(int, hh_mm.split(":"))
    return datetime(2022, 11, 30, hours, minutes, tzinfo=BERLIN)


def clock_of(iso: str) -> str:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(BERLIN).strftime("%H:%M")


def work_in_the_group(phone, group, run) -> None:
    """Teil 1: the phone lands in its group's workspace, comments, adds a project, gives dots; the
    group's host (here the cockpit) writes the summary."""
    personal = phone.sock.emit("workspace.follow", {}, callback=True)["personal"]
    workspace = personal["workspace"]
    assert workspace["group_id"] == group["id"] and len(workspace["questions"]) == 3
    goal = workspace["goals"][0]["id"]
    say = lambda name, **payload: phone.sock.emit(name, payload, callback=True)  # noqa: E731
    assert say("workspace.comment", goal_id=goal, text="Kaltluft ist Daseinsvorsorge")["ok"]
    assert say("workspace.practice.add", title="Emscher-Umbau Dortmund-Deusen", organisation="Emschergenossenschaft")["ok"]
    assert [say("workspace.vote", goal_id=goal)["dots_left"] for _ in range(3)] == [2, 1, 0]
    assert run("workspace.summary", text="Kaltluftbahnen sichern: höchste Dringlichkeit.", group_id=group["id"])["ok"]
    phone.pump()  # the workspace events carry no workshop sequence number


class Screen:
    """What one client has received so far: the latest workshop state and every sequence number."""

    def __init__(self, sock):
        self.sock, self.state, self.seqs, self.broadcasts = sock, None, [], []

    def pump(self):
        for name, envelope in events(self.sock):
            if envelope and "seq" in envelope:
                self.seqs.append(envelope["seq"])
            if name == "broadcast.sent":
                self.broadcasts.append(envelope["data"]["text"])
            if name in ("sync.snapshot", "workshop.state"):
                self.state = envelope["data"]
        return self.state


def test_the_whole_rvr_day(clients, workshop, clock):
    cockpit = Screen(clients.connect("organiser"))
    phone = Screen(clients.connect("participant"))
    projector = Screen(clients.connect("screen"))
    run = lambda name, **payload: cockpit.sock.emit(name, payload, callback=True)  # noqa: E731
    latest_state = lambda screen: screen.pump()  # noqa: E731
    seen_on_phone, seen_on_projector = [], []

    def follow():
        for screen, seen in ((phone, seen_on_phone), (projector, seen_on_projector)):
            state = screen.pump()
            current = next((i for i in state["agenda"]["items"] if i["id"] == state["agenda"]["current_id"]), None)
            seen.append(current["title"] if current else state["workshop"]["state"])

    clock.set(at("09:30"))
    assert run("day.start")["ok"]
    follow()
    clock.set(at("09:40"))
    assert run("agenda.next")["ok"]  # keynote
    follow()
    clock.set(at("09:54"))  # the keynote overruns by 4 minutes
    agenda = run("agenda.next") and latest_state(cockpit)["agenda"]
    follow()
    assert agenda["drift_s"] == 4 * 60 and clock_of(agenda["projected_end"]) == "13:49"

    clock.set(at("10:04"))
    assert run("agenda.next")["ok"]  # Choose your fighter, 4 minutes late
    follow()
    group = latest_state(cockpit)["groups"][0]
    assert phone.sock.emit("group.choose", {"group_id": group["id"]}, callback=True)["ok"]
    assert run("group.lock")["ok"]
    items = {i["title"]: i for i in latest_state(cockpit)["agenda"]["items"]}
    chosen = [items["Pause"]["id"], items["Arbeit in Themengruppen, Teil 1"]["id"]]
    assert run("agenda.replan", item_ids=chosen)["ok"]
    agenda = latest_state(cockpit)["agenda"]
    items = {i["title"]: i for i in agenda["items"]}
    assert items["Pause"]["duration_s"] == 8 * 60
    assert items["Arbeit in Themengruppen, Teil 1"]["duration_s"] == 73 * 60
    assert clock_of(items["Mittagspause"]["projected_start"]) == "11:40"
    assert clock_of(agenda["projected_end"]) == "13:45" and agenda["drift_s"] == 0

    # the rest of the day on time: each item ends when its clock runs out
    for _ in range(6):
        current = next(i for i in latest_state(cockpit)["agenda"]["items"] if i["status"] == "running")
        if current["title"] == "Arbeit in Themengruppen, Teil 1":
            work_in_the_group(phone, group, run)
        if current["title"] == "Arbeit in Themengruppen, Teil 2":
            handover = phone.sock.emit("workspace.follow", {}, callback=True)["personal"]["workspace"]
            assert handover["round"] == 2 and handover["practices"][0]["title"] == "Emscher-Umbau Dortmund-Deusen"
            assert handover["practices"][0]["round"] == 1 and handover["summaries"][0]["round"] == 1
        clock.set(datetime.fromisoformat(current["ends_at"].replace("Z", "+00:00")))
        if current["title"] == "Arbeit in Themengruppen, Teil 1":
            clock.set(at("11:35"))
            assert run("broadcast.send", text="Noch 5 Minuten")["ok"]
            phone.pump()
            assert phone.broadcasts[-1] == "Noch 5 Minuten"
            clock.set(at("11:40"))
            assert run("breakout.recall")["ok"]  # "Zurück ins Plenum"
        else:
            assert run("agenda.next")["ok"]
        follow()
    assert seen_on_phone[-1] == "Ausblick und Verabschiedung"
    clock.advance(minutes=10)
    assert run("agenda.next")["ok"]  # after the last item the day ends
    follow()

    expected = ["Begrüßung", "Keynote durch RVR & bgmr", "Clusterkette „Grüne Infrastruktur“", "Choose your fighter",
                "Pause", "Arbeit in Themengruppen, Teil 1", "Mittagspause", "Arbeit in Themengruppen, Teil 2",
                "Blitzlicht", "Ausblick und Verabschiedung", "ended"]
    assert seen_on_phone == expected
    assert seen_on_projector == expected
    final = latest_state(projector)
    assert final["workshop"]["state"] == "ended"
    assert clock_of(final["workshop"]["ended_at"]) == "13:45"
    # every sequenced event reached the phone, in order, without a gap
    phone.pump()
    assert phone.seqs == list(range(phone.seqs[0], phone.seqs[0] + len(phone.seqs)))
