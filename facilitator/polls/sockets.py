"""Poll intents, and the activity registration of the ``poll`` item kind.

Facilitator changes (create, open, close, reveal, hide …) are published sequenced as
``activity.state`` of the poll's item; votes are published coalesced as ``activity.live``
(a burst of votes becomes a few broadcasts per second, not one per vote).
"""
from ..core import activities as core_activities
from ..core.activities import Activity, publish_activity, publish_live, register_activity
from ..core.auth import FACILITATORS, PARTICIPANT
from ..core.commands import Context, command
from ..core.errors import InvalidState
from . import operations, queries
from .messages import CreatePayload, HideAnswerPayload, PollRef, RevealPayload, SetLivePayload, UpdatePayload, VotePayload

register_activity(Activity(
    kind="poll", view=queries.polls_view, personal=queries.personal,
    on_start=operations.open_item, on_finish=operations.close_item, summary=queries.summary,
))

# Items of other kinds that name a poll in ``settings.poll`` (the RVR Blitzlicht) show it beside
# their own activity, as ``activity.polls``. That needs attachments in core.activities (proposed
# together with the polls); until they exist such a poll runs (votes, results, exports) but is
# not shown by its item.
if hasattr(core_activities, "register_attachment"):
    core_activities.register_attachment(core_activities.Attachment(
        name="polls", view=queries.attached_view, personal=queries.attached_personal,
        summary=queries.attached_summary, on_finish=operations.close_attached,
    ))

EXAMPLE_CREATE = {"item_id": "$item:blitzlicht", "question": "Wie geht es Ihnen mit dem Tempo?", "kind": "single_choice",
                  "options": ["zu schnell", "genau richtig", "zu langsam"]}


def _publish(ctx: Context, poll) -> None:
    if poll.item is not None:
        publish_activity(ctx, poll.item)


@command("poll.create", roles=FACILITATORS, payload=CreatePayload, example=EXAMPLE_CREATE,
         errors=("item_not_found", "nothing_running"))
def create(ctx: Context, payload: CreatePayload):
    """Prepare a poll (a draft) for an agenda item, by default the current one."""
    if payload.item_id is None:
        item = ctx.workshop.current_item
        if item is None:
            raise InvalidState("no agenda item is running: name the item", code="nothing_running")
    else:
        item = operations._item(ctx.workshop, payload.item_id)
    poll = operations.create_poll(ctx.workshop, item, payload.model_dump(exclude={"item_id"}), ctx.now)
    _publish(ctx, poll)
    return {"poll_id": poll.id}


@command("poll.update", roles=FACILITATORS, payload=UpdatePayload,
         example={"poll_id": "$poll", "question": "Wer fehlt noch am Tisch?"},
         errors=("poll_not_found", "poll_not_draft", "item_not_found"))
def update(ctx: Context, payload: UpdatePayload):
    """Change a poll that has not been opened yet (only the fields given)."""
    poll = operations.get_poll(ctx.workshop, payload.poll_id)
    before = poll.item
    operations.update_poll(ctx.workshop, poll, payload.model_dump(include=payload.model_fields_set - {"poll_id"}))
    _publish(ctx, poll)
    if before is not None and before is not poll.item:
        publish_activity(ctx, before)


@command("poll.open", roles=FACILITATORS, payload=PollRef, example={"poll_id": "$poll"},
         errors=("poll_not_found", "poll_open", "poll_not_draft"))
def open_(ctx: Context, payload: PollRef):
    """Open a prepared poll for votes (another open poll of the same item closes)."""
    poll = operations.get_poll(ctx.workshop, payload.poll_id)
    closed = operations.open_poll(poll, ctx.now)
    _publish(ctx, poll)
    return {"closed_ids": closed}


@command("poll.close", roles=FACILITATORS, payload=PollRef, example={"poll_id": "$poll"},
         errors=("poll_not_found", "poll_not_open"))
def close(ctx: Context, payload: PollRef):
    """Close a poll: later votes are refused with ``poll_closed``."""
    poll = operations.get_poll(ctx.workshop, payload.poll_id)
    operations.close_poll(poll, ctx.now)
    _publish(ctx, poll)


@command("poll.reopen", roles=FACILITATORS, payload=PollRef, example={"poll_id": "$poll"},
         errors=("poll_not_found", "poll_not_closed"))
def reopen(ctx: Context, payload: PollRef):
    """Take votes again on a closed poll (votes given stay; another open poll of the item closes)."""
    poll = operations.get_poll(ctx.workshop, payload.poll_id)
    closed = operations.reopen_poll(poll, ctx.now)
    _publish(ctx, poll)
    return {"closed_ids": closed}


@command("poll.reveal", roles=FACILITATORS, payload=RevealPayload, example={"poll_id": "$poll"},
         errors=("poll_not_found", "poll_not_opened"))
def reveal(ctx: Context, payload: RevealPayload):
    """Show a poll's results on phones and projector (or hide them again)."""
    poll = operations.get_poll(ctx.workshop, payload.poll_id)
    poll.reveal(payload.is_revealed)
    _publish(ctx, poll)


@command("poll.set_live", roles=FACILITATORS, payload=SetLivePayload,
         example={"poll_id": "$poll", "is_live_results": True}, errors=("poll_not_found",))
def set_live(ctx: Context, payload: SetLivePayload):
    """Results live while people vote, or hidden until revealed."""
    poll = operations.get_poll(ctx.workshop, payload.poll_id)
    poll.is_live_results = payload.is_live_results
    _publish(ctx, poll)


@command("poll.vote", roles={PARTICIPANT}, payload=VotePayload,
         example={"poll_id": "$poll", "choices": [0, 2], "other": "Kleingärtner*innen"},
         errors=("poll_not_found", "poll_not_open", "poll_closed", "invalid_choice", "too_few_choices",
                 "too_many_choices", "invalid_scale_value", "invalid_ranking", "other_not_allowed",
                 "vote_conflict"))
def vote(ctx: Context, payload: VotePayload):
    """Vote on an open poll; voting again while it is open replaces my vote."""
    poll = operations.get_poll(ctx.workshop, payload.poll_id)
    poll.require_votes_open()  # a closed poll says so, whatever the shape of the vote
    choices, text = operations.check_answer(poll, payload.choices, payload.value, payload.text, payload.other)
    vote = operations.cast_vote(poll, ctx.actor.participant_id, choices, text, ctx.now)
    if poll.item_id is not None:
        workshop_id, item_id = ctx.workshop.id, poll.item_id
        ctx.later(lambda: publish_live(workshop_id, item_id))
    return {"vote": queries.vote_view(vote)}


@command("poll.hide_answer", roles=FACILITATORS, payload=HideAnswerPayload, example={"vote_id": "$poll_answer"},
         errors=("vote_not_found", "no_text_answer"))
def hide_answer(ctx: Context, payload: HideAnswerPayload):
    """Hide a free-text answer from phones, projector and word cloud (or show it again)."""
    vote = operations.get_vote(ctx.workshop, payload.vote_id)
    operations.set_answer_hidden(vote, payload.is_hidden)
    poll = operations.get_poll(ctx.workshop, vote.poll_id)
    _publish(ctx, poll)
