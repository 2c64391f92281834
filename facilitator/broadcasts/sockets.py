"""Broadcast intents."""
from ..core.auth import FACILITATORS
from ..core.commands import Context, command
from ..workshops.queries import broadcast_view
from . import operations
from .messages import SendPayload


@command("broadcast.send", roles=FACILITATORS, payload=SendPayload, example={"text": "Noch 5 Minuten"})
def send(ctx: Context, payload: SendPayload):
    """Send a message to everyone: shown on phones and on the projector."""
    broadcast = operations.send(ctx.workshop, payload.text, ctx.actor.user_id, ctx.now)
    view = broadcast_view(broadcast)
    ctx.publish("broadcast.sent", lambda audience: view)
    return {"broadcast_id": broadcast.id}
