"""Broadcast intents."""
from ..core.auth import FACILITATORS
from ..core.commands import Context, command
from ..workshops.queries import broadcast_view
from ..groups.workspace_sockets import publish_to_group
from . import operations
from .messages import SendPayload


@command("broadcast.send", roles=FACILITATORS, payload=SendPayload, example={"text": "Noch 5 Minuten"},
         errors=("group_not_found",))
def send(ctx: Context, payload: SendPayload):
    """Send a message to everyone (phones and projector), or with ``group_id`` to one theme group."""
    broadcast = operations.send(ctx.workshop, payload.text, ctx.actor.user_id, ctx.now, payload.group_id)
    view = broadcast_view(broadcast)
    if view["group_id"] is None:
        ctx.publish("broadcast.sent", lambda audience: view)
    else:
        # a message to one theme group: in sequence for the facilitators (a bare sync.seq for the
        # others); its text only to that group's members and host, through the group's rooms
        ctx.publish("broadcast.sent", lambda audience: view if audience == "facilitator" else None)
        workshop_id = ctx.workshop.id
        ctx.later(lambda: publish_to_group(workshop_id, view))
    return {"broadcast_id": broadcast.id}
