"""Broadcast intents."""
from ..core.auth import FACILITATORS
from ..core.commands import Context, command
from ..workshops.queries import broadcast_view
from . import operations
from .messages import SendPayload


@command("broadcast.send", roles=FACILITATORS, payload=SendPayload, example={"text": "Noch 5 Minuten"},
         errors=("group_not_found",))
def send(ctx: Context, payload: SendPayload):
    """Send a message to everyone (phones and projector), or with ``group_id`` to one theme group."""
    broadcast = operations.send(ctx.workshop, payload.text, ctx.actor.user_id, ctx.now, payload.group_id)
    view = broadcast_view(broadcast)
    # a group's message goes to every phone (each shows only its own group's), not to the projector
    ctx.publish("broadcast.sent", lambda audience: None if view["group_id"] and audience == "screen" else view)
    return {"broadcast_id": broadcast.id}
