from tests.conftest import events


def test_participant_connects_and_gets_snapshot(clients, workshop):
    sock = clients.connect("participant")
    snapshots = events(sock, "sync.snapshot")
    assert len(snapshots) == 1
    data = snapshots[0][1]["data"]
    assert data["workshop"]["code"] == workshop.code
    assert [i["title"] for i in data["agenda"]["items"]][0] == "Begrüßung"
    assert data["me"]["role"] == "participant"


def test_facilitator_advances_and_participant_sees_it(clients, clock):
    fac = clients.connect("organiser")
    par = clients.connect("participant")
    events(par)
    ack = fac.emit("day.start", {}, callback=True)
    assert ack["ok"], ack
    got = events(par, "workshop.state")
    assert got and got[-1][1]["data"]["agenda"]["current_id"] is not None
