"""Publishing to Socket.IO rooms, after commit, with per-workshop sequence numbers.

Every sequenced change reaches every client of the workshop exactly once (as its audience's
view of the change, or as a bare ``sync.seq`` when the change has nothing for that audience),
so a client that sees a gap in the sequence knows it missed something and asks for a snapshot.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .auth import AUDIENCE_OF_ROLE
from .clock import iso, now_utc

AUDIENCES = tuple(dict.fromkeys(AUDIENCE_OF_ROLE.values()))


def workshop_room(workshop_id: int) -> str:
    return f"w{workshop_id}"


def audience_room(workshop_id: int, audience: str) -> str:
    return f"w{workshop_id}.{audience}"


def envelope(data: Any, seq: int | None = None) -> dict:
    message = {"now": iso(now_utc()), "data": data}
    if seq is not None:
        message["seq"] = seq
    return message


@dataclass
class PendingEvent:
    name: str
    build: Callable[[str], Any]  # audience -> payload, or None when the audience gets nothing
    seq: int | None = None


@dataclass
class Outbox:
    """Events of one command; sequence numbers are taken before commit, emits happen after."""

    workshop: Any
    events: list[PendingEvent] = field(default_factory=list)

    def add(self, name: str, build: Callable[[str], Any]) -> None:
        self.events.append(PendingEvent(name, build))

    def reserve_sequence(self) -> None:
        """Bump ``workshop.seq`` in the current transaction (the workshop row is locked)."""
        for event in self.events:
            self.workshop.seq += 1
            event.seq = self.workshop.seq

    def publish(self) -> None:
        """Emit after commit: builds each audience's payload from the committed state."""
        from ..extensions import socketio

        for event in self.events:
            for audience in AUDIENCES:
                room = audience_room(self.workshop.id, audience)
                payload = event.build(audience)
                if payload is None:
                    socketio.emit("sync.seq", envelope(None, event.seq), to=room)
                else:
                    socketio.emit(event.name, envelope(payload, event.seq), to=room)


def emit_unsequenced(workshop_id: int, name: str, payload: Any, audiences: tuple[str, ...]) -> None:
    """Aggregates that are not part of the state history (who is online): no sequence number."""
    from ..extensions import socketio

    for audience in audiences:
        socketio.emit(name, envelope(payload), to=audience_room(workshop_id, audience))
