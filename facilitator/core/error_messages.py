"""What people read when a command is refused, per stable error code (translated per request).

Operations raise errors with an English developer message; the user sees the translated text
for the code. ``tests/test_error_messages.py`` checks every code in the code base has one.
"""
from __future__ import annotations

from flask import has_request_context
from flask_babel import lazy_gettext as _l

MESSAGES = {
    # the pipeline and access
    "invalid_payload": _l("Please check your input."),
    "not_authenticated": _l("Please join the workshop or log in again."),
    "forbidden": _l("You are not allowed to do this."),
    "not_found": _l("This does not exist (any more)."),
    "workshop_not_found": _l("There is no workshop with this code."),
    "unknown_command": _l("Unknown action."),
    "busy": _l("The server is busy. Please try again."),
    "invalid_state": _l("This is not possible right now."),
    "conflict": _l("This conflicts with a change made at the same time. Please try again."),
    "csrf_failed": _l("The form has expired. Please reload the page."),
    "timeout": _l("No answer from the server. Please try again."),
    # workshop and agenda
    "workshop_planned": _l("The day has not started yet."),
    "workshop_running": _l("The day has already started."),
    "workshop_ended": _l("The day has ended."),
    "agenda_empty": _l("The agenda is empty. Add an item first."),
    "nothing_running": _l("No agenda item is running."),
    "item_not_found": _l("This agenda item does not exist (any more)."),
    "item_not_pending": _l("This agenda item has already run."),
    "item_not_running": _l("This agenda item is not running."),
    "item_not_paused": _l("This agenda item is not paused."),
    "item_not_done": _l("This agenda item has not finished yet."),
    "item_not_later": _l("Only a later agenda item can be started."),
    "item_finished": _l("The duration of a finished item cannot change."),
    "no_previous_item": _l("There is no previous agenda item."),
    "duration_too_short": _l("An agenda item lasts at least one minute."),
    "invalid_order": _l("The new order must list every agenda item once."),
    "join_closed": _l("Joining is closed for this workshop."),
    "join_code_exhausted": _l("No free join code could be found. Please try again."),
    "template_not_found": _l("There is no such template."),
    "setup_link_invalid": _l("This setup link is not valid (any more)."),
    "email_taken": _l("There is already an account with this e-mail address."),
    "invite_invalid": _l("This invitation is not valid (any more)."),
    "member_not_found": _l("This person is not on the team."),
    "last_organiser": _l("The last organiser cannot be removed."),
    # activities
    "no_input": _l("This agenda item takes no contributions."),
    "no_activity": _l("This agenda item has no activity."),
    "activity_closed": _l("Contributions are closed."),
    "no_blitzlicht": _l("No flash round is running."),
    "invalid_mood": _l("Please choose a mood on the scale shown."),
    "statement_not_found": _l("This statement does not exist (any more)."),
    "statement_hidden": _l("A hidden statement cannot be shown in the spotlight."),
    # Clusterkette
    "no_cluster_chain": _l("No cluster chain is running."),
    "chains_off": _l("In this round, terms are not linked to each other."),
    "term_not_found": _l("This term does not exist (any more)."),
    "cluster_not_found": _l("This cluster does not exist (any more)."),
    "same_cluster": _l("A cluster cannot be merged into itself."),
    "same_term": _l("A term cannot be merged into itself."),
    "rate_limited": _l("That was quick! Please wait a few seconds before adding more."),
    # groups
    "choice_not_open": _l("The group choice is not open."),
    "choice_locked": _l("The group choice is closed. Please ask the facilitation team if you need to change."),
    "group_full": _l("This group is full. Please choose another one."),
    "group_not_found": _l("This group does not exist (any more)."),
    "switch_required": _l("Please choose a different theme than in the first part."),
    "participant_not_found": _l("This participant does not exist (any more)."),
    # breakout workspaces
    "no_breakout": _l("No group work is running."),
    "not_in_group": _l("You can only contribute in your own theme group."),
    "goal_not_found": _l("This goal does not exist (any more)."),
    "post_not_found": _l("This post does not exist (any more)."),
    "question_not_found": _l("This guiding question does not exist."),
    "no_dots_left": _l("You have given all your dots for this round. Take one back to move it."),
    "not_host": _l("Only the group's host can do this."),
    "same_goal": _l("A goal cannot be merged into itself."),
    "goal_merged": _l("This goal has already been merged into another one."),
    "group_in_use": _l("People have chosen this group or worked in it: it cannot be removed."),
    "goal_in_use": _l("This goal has comments or dots: it cannot be removed."),
    "host_link_invalid": _l("This host link is not valid (any more). Please ask the facilitation team for a new one."),
    # documentation export and retention
    "unknown_export_format": _l("This export format does not exist. Choose PDF, DOCX, XLSX, CSV, Markdown or JSON."),
    "export_busy": _l("Exports of this workshop are still running. Please wait until one has finished."),
    "export_not_found": _l("This export does not exist (any more)."),
    "export_not_ready": _l("This export is not finished yet."),
    "invalid_retention_date": _l("Please choose a date between today and three years from now."),
    # polls
    "poll_not_found": _l("This poll does not exist (any more)."),
    "poll_not_draft": _l("This poll has been opened already and can no longer be changed."),
    "poll_open": _l("The poll is open already."),
    "poll_not_open": _l("The poll is not open."),
    "poll_closed": _l("The poll is closed: your vote was not counted."),
    "poll_not_closed": _l("Only a closed poll can be reopened."),
    "poll_not_opened": _l("A poll that has not been opened has no results to show."),
    "invalid_choice": _l("Please choose among the answers shown."),
    "too_few_choices": _l("Please choose more answers."),
    "too_many_choices": _l("Too many answers: please choose fewer."),
    "invalid_scale_value": _l("Please choose a value on the scale shown."),
    "invalid_ranking": _l("Please put every answer in your order."),
    "other_not_allowed": _l("This poll has no free answer."),
    "vote_conflict": _l("Your vote arrived twice at the same moment. Please send it again."),
    "vote_not_found": _l("This answer does not exist (any more)."),
    "no_text_answer": _l("Only text answers can be hidden."),
}


def message_for(code: str, fallback: str) -> str:
    """The translated message for ``code`` (in the request's language), else ``fallback``."""
    message = MESSAGES.get(code)
    if message is None or not has_request_context():
        return fallback
    return str(message)
