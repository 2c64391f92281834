"""Blitzlicht intents, and the activity registration of the ``blitzlicht`` item kind."""
from ..core.activities import Activity, publish_activity, publish_live, register_activity
from ..core.auth import FACILITATORS, PARTICIPANT
from ..core.commands import Context, command
from . import operations, queries
from .messages import HidePayload, SpotlightPayload, SubmitPayload

register_activity(Activity(
    kind="blitzlicht", view=queries.view, personal=queries.personal,
    on_start=operations.open_round, on_finish=operations.close_round, summary=queries.summary, has_input=True,
))


@command("blitzlicht.submit", roles={PARTICIPANT}, payload=SubmitPayload,
         example={"text": "Viele gute Beispiele aus den Kommunen", "mood": 4},
         errors=("no_blitzlicht", "activity_closed", "invalid_mood"))
def submit(ctx: Context, payload: SubmitPayload):
    """Post my statement to the running Blitzlicht (sending again replaces it)."""
    item = operations.running_round(ctx.workshop)
    statement = operations.submit(item, ctx.actor.participant_id, payload.text, payload.mood, ctx.now)
    ctx.later(lambda: publish_live(ctx.workshop.id, item.id))
    return {"statement": queries.statement_view(statement)}


@command("blitzlicht.hide", roles=FACILITATORS, payload=HidePayload, example={"statement_id": "$statement"},
         errors=("statement_not_found",))
def hide(ctx: Context, payload: HidePayload):
    """Hide a statement from phones and projector (or show it again)."""
    statement = operations.get_statement(ctx.workshop, payload.statement_id)
    item = _item_of(ctx, statement.item_id)
    operations.set_hidden(statement, item, payload.is_hidden)
    publish_activity(ctx, item)


@command("blitzlicht.spotlight", roles=FACILITATORS, payload=SpotlightPayload, example={"statement_id": "$statement"},
         errors=("statement_not_found", "statement_hidden", "no_blitzlicht"))
def spotlight(ctx: Context, payload: SpotlightPayload):
    """Show one statement large on the projector (or none)."""
    if payload.statement_id is None:
        statement, item = None, operations.running_round(ctx.workshop)
    else:
        statement = operations.get_statement(ctx.workshop, payload.statement_id)
        item = _item_of(ctx, statement.item_id)
    operations.spotlight(item, statement)
    publish_activity(ctx, item)


def _item_of(ctx: Context, item_id: int):
    from ..agenda.operations import get_item

    return get_item(ctx.workshop, item_id)
