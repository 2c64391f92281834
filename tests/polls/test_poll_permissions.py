"""Who may run which poll intent.

Every intent is also run by the shared sweep in tests/test_permissions.py (its SETUP opens the
template poll "$poll" and votes with a "Sonstige" answer "$poll_answer"): each allowed role
succeeds, every other role and the facilitator of another workshop are refused and nothing
changes, and invalid payloads change nothing. Here: the intended roles, stated once, and what
the projector's read-only role and a participant meet in practice.
"""
from __future__ import annotations

from facilitator.core.commands import REGISTRY
from facilitator.core.live import register_socket_handlers
from facilitator.polls.models import PollState
from tests.polls.helpers import ok, polls_in, refused, vote_rows

register_socket_handlers()  # the registry is filled by importing the intents

FACILITATOR_INTENTS = ("poll.create", "poll.update", "poll.open", "poll.close", "poll.reopen", "poll.reveal",
                       "poll.set_live", "poll.hide_answer")


def test_the_poll_intents_and_their_roles():
    roles = {name: set(cmd.roles) for name, cmd in REGISTRY.items() if name.startswith("poll.")}
    assert roles == {**{name: {"organiser", "facilitator"} for name in FACILITATOR_INTENTS}, "poll.vote": {"participant"}}


def test_projector_and_participants_cannot_run_the_poll(clients, workshop, clock):
    poll_id = polls_in(workshop)[0].id
    fac = clients.connect("facilitator")  # a co-facilitator may, like the organiser
    ok(fac.emit("poll.open", {"poll_id": poll_id}, callback=True))
    for role in ("participant", "screen"):
        sock = clients.connect(role)
        for name in ("poll.close", "poll.reveal"):
            refused(sock.emit(name, {"poll_id": poll_id}, callback=True), "forbidden")
    refused(clients.connect("screen").emit("poll.vote", {"poll_id": poll_id, "choices": [0]}, callback=True), "forbidden")
    refused(fac.emit("poll.vote", {"poll_id": poll_id, "choices": [0]}, callback=True), "forbidden")
    poll = polls_in(workshop)[0]
    assert poll.state is PollState.open and not poll.is_revealed and vote_rows(poll_id) == []
