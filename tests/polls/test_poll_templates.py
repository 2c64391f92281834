"""The template poll "akteure": on the seed-002 poll item and during the RVR Blitzlicht."""
from __future__ import annotations

from facilitator.polls.models import PollState
from tests.conftest import RVR
from tests.polls.conftest import AKTEURE, NETZ, POLL_ITEM
from tests.polls.helpers import item_titled, ok, polls_in

AKTEURE_OPTIONS = [
    "Immobilieneigentümer*innen", "Flächeneigentümer*innen", "Jugendliche", "Kultur",
    "Zivilgesellschaft / Initiativen", "Wirtschaft", "Wissenschaft", "Politik", "Verwaltung (andere Fachbereiche)",
]


def test_seed_002_runs_the_template_poll_as_its_poll_item(factory, organiser):
    workshop = factory.workshop(organiser, template=NETZ)
    [poll] = polls_in(workshop)
    assert poll.key == "akteure" and poll.question == AKTEURE
    assert poll.item_id == item_titled(workshop, POLL_ITEM).id and poll.item.kind == "poll"
    assert (poll.kind, poll.options, poll.allow_other, poll.max_choices) == ("multiple_choice", AKTEURE_OPTIONS, True, 3)
    assert poll.state is PollState.draft and poll.is_anonymous and not poll.is_live_results and not poll.is_revealed


def test_rvr_blitzlicht_item_shows_the_template_poll(factory, organiser):
    workshop = factory.workshop(organiser, template=RVR)
    [poll] = polls_in(workshop)
    assert poll.question == AKTEURE and poll.options == AKTEURE_OPTIONS
    assert poll.item.title == "Blitzlicht" and poll.item.kind == "blitzlicht"
    assert poll.item.settings["poll"] == "akteure"


def test_template_data_is_kept_for_the_toml_export(factory, organiser):
    from facilitator.workshops.operations import template_of

    workshop = factory.workshop(organiser, template=NETZ)
    [entry] = workshop.extra["polls"]
    assert entry["key"] == "akteure" and entry["options"] == AKTEURE_OPTIONS
    assert [p.key for p in template_of(workshop).polls] == ["akteure"]


def test_a_template_poll_edited_before_the_day_is_exported_as_edited(clients, factory, organiser, clock):
    from facilitator.extensions import db
    from facilitator.workshops.models import Workshop
    from facilitator.workshops.operations import template_of

    workshop = clients.workshop  # RVR
    poll = polls_in(workshop)[0]
    fac = clients.connect("organiser")
    ok(fac.emit("poll.update", {"poll_id": poll.id, "question": "Wer fehlt noch?", "max_choices": 2}, callback=True))
    db.session.expire_all()
    exported = template_of(db.session.get(Workshop, workshop.id)).polls[0]
    assert (exported.question, exported.max_choices, exported.options) == ("Wer fehlt noch?", 2, AKTEURE_OPTIONS)


def test_the_blitzlicht_poll_runs_beside_the_statements(clients, factory, workshop, clock):
    """RVR: the poll is opened during the Blitzlicht; participants vote while statements go on."""
    fac = clients.connect("organiser")
    blitz = item_titled(workshop, "Blitzlicht")
    ok(fac.emit("agenda.goto", {"item_id": blitz.id}, callback=True))
    poll = polls_in(workshop)[0]
    assert poll.state is PollState.draft  # a Blitzlicht does not open its poll by itself
    ok(fac.emit("poll.open", {"poll_id": poll.id}, callback=True))
    phone = clients.connect("participant")
    ok(phone.emit("blitzlicht.submit", {"text": "Viel gelernt"}, callback=True))
    ok(phone.emit("poll.vote", {"poll_id": poll.id, "choices": [0, 2, 3]}, callback=True))
    ok(fac.emit("poll.close", {"poll_id": poll.id}, callback=True))
    summary = ok(fac.emit("activity.summary", {"item_id": blitz.id}, callback=True))["summary"]
    assert summary["count"] == 1  # the Blitzlicht's own summary is unchanged
