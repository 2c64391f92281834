"""Translations: .po files in translations/ are compiled to .mo in the instance folder on start."""
from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compile_translations(source: Path, target: Path) -> Path:
    """Compile every ``<lang>/LC_MESSAGES/messages.po`` whose .mo is missing or older."""
    for po_path in source.glob("*/LC_MESSAGES/messages.po"):
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        tmp.replace(mo_path)  # atomic: two processes starting at once do not read half a file
    return target


def js_strings() -> dict[str, str]:
    """UI text the browser modules need, translated on the server (no i18n code in the browser)."""
    from flask_babel import gettext as _

    return {
        "kind.plenary": _("Plenary"), "kind.keynote": _("Keynote"), "kind.cluster_chain": _("Cluster chain"),
        "kind.group_choice": _("Choose your group"), "kind.break": _("Break"), "kind.breakout": _("Group work"),
        "kind.poll": _("Poll"), "kind.blitzlicht": _("Flash round"), "kind.outlook": _("Outlook"),
        "kind.custom": _("Agenda item"),
        "status.pending": _("upcoming"), "status.running": _("now"), "status.paused": _("paused"),
        "status.done": _("done"), "status.skipped": _("skipped"),
        "now": _("Now"), "next": _("Next"), "until": _("until"), "paused": _("Paused"),
        "overrun": _("Overrun"), "time_left": _("Time left"), "time_up": _("Time is up"),
        "minutes_left": _("%(n)s minutes left"), "one_minute_left": _("1 minute left"),
        "starts_at": _("We start at %(time)s"), "day_ended": _("The workshop has ended. Thank you!"),
        "not_started": _("Not started yet"), "continues_at": _("Continues at %(time)s with: %(title)s"),
        "connected": _("Connected"), "reconnecting": _("Connection lost – reconnecting …"),
        "online": _("%(n)s online"), "message": _("Message"), "agenda": _("Agenda"),
        "drift_late": _("+%(n)s min"), "drift_early": _("−%(n)s min"), "on_time": _("on time"),
        "projected_end": _("Projected end"), "planned": _("planned"), "projected": _("projected"),
        "actual": _("actual"), "min": _("min"), "join_at": _("Join at"),
        "replan_none": _("Nothing to re-plan: pinned items and the end of the day are on time."),
        "replan_confirm": _("Shorten these items?"), "replan_left": _("Drift that cannot be absorbed: %(n)s min"),
        "error": _("That did not work: %(message)s"), "saved": _("Saved"),
        "confirm_remove": _("Remove this agenda item?"), "anonymous": _("anonymous"),
        "now_running": _("Now: %(title)s"), "pinned_at": _("fixed time %(time)s"), "item_ended_day": _("The day has ended."),
        # setup page (agenda editor)
        "setup.title": _("Title"), "setup.kind": _("Kind"), "setup.duration": _("Duration (min)"),
        "setup.min_duration": _("Minimum when re-planning (min)"), "setup.pinned_at": _("Pinned clock time"),
        "setup.pinned_hint": _("Empty: not pinned. A pinned item keeps its clock time when the day is re-planned."),
        "setup.description": _("Description (public)"), "setup.notes": _("Notes for facilitators"),
        "setup.planned_start": _("Planned start"), "setup.projected_start": _("projected %(time)s"),
        "setup.save": _("Save"), "setup.move_up": _("Move up"), "setup.move_down": _("Move down"),
        "setup.remove": _("Remove"), "setup.unsaved": _("Unsaved changes"),
        "setup.nothing_to_save": _("Nothing to save: no field has changed."),
        "setup.read_only": _("This item has run or is running; it can no longer be edited here."),
        "setup.confirm_remove": _("Remove the agenda item “%(title)s”?"),
        "setup.removed": _("Removed: %(title)s"), "setup.added": _("Added: %(title)s"),
        "setup.moved": _("%(title)s is now at position %(n)s of %(total)s"),
        "setup.position_end": _("At the end"), "setup.position_before": _("Before “%(title)s”"),
        "setup.no_items": _("The agenda is empty. Add the first item below."),
        "setup.day_started": _("The day has started: its start time and date can no longer change."),
        "setup.day_saved": _("Saved: the day starts at %(time)s"),
        # activities (shared)
        "send": _("Send"), "hidden": _("hidden"), "show": _("Show"), "hide": _("Hide"),
        "open_input": _("Open for contributions"), "close_input": _("Close for contributions"),
        "hidden_count": _("%(n)s hidden"), "top_terms": _("Most frequent terms"),
        # Blitzlicht
        "blitz.mood": _("How are you leaving? (%(min)s = bad, %(max)s = very good)"), "blitz.mood_short": _("Mood"),
        "blitz.spotlight": _("Spotlight"), "blitz.unspotlight": _("End spotlight"), "blitz.moods": _("Moods"),
        "blitz.saved": _("Saved. You can change your statement until the round closes."),
        "blitz.closed": _("The round is closed."), "blitz.wall": _("Statements"),
        "blitz.count": _("%(n)s statements"),
        # polls
        "poll.vote": _("Vote"), "poll.change_vote": _("Change my answer"),
        "poll.saved": _("Your answer is saved. You can change it while the poll is open."),
        "poll.closed": _("The poll is closed."), "poll.waiting": _("The poll starts in a moment."),
        "poll.choose_one": _("Choose one answer."), "poll.choose_up_to": _("Choose up to %(max)s answers."),
        "poll.choose_between": _("Choose %(min)s to %(max)s answers."),
        "poll.choose_exactly": _("Choose %(n)s answers."),
        "poll.scale_hint": _("From %(min)s to %(max)s"),
        "poll.rank_hint": _("Put the options in your order, the most important first: with the arrow buttons or by dragging."),
        "poll.rank_moved": _("%(option)s is now at position %(n)s of %(total)s"),
        "poll.move_up": _("Move up"), "poll.move_down": _("Move down"),
        "poll.text_hint": _("Up to %(n)s characters."),
        "poll.other": _("Other"), "poll.other_label": _("Your other answer"),
        "poll.other_empty": _("Please write your other answer, or untick “Other”."),
        "poll.nothing_chosen": _("Please choose an answer."), "poll.nothing_written": _("Please write an answer."),
        "poll.named_note": _("Named poll: the facilitators see your answer together with the name you gave."),
        "poll.results": _("Results"), "poll.results_later": _("The results are shown after the vote."),
        "poll.results_shown": _("The results are shown."),
        "poll.turnout": _("%(voters)s of %(eligible)s have voted"), "poll.votes": _("%(n)s votes"),
        "poll.mean": _("Average: %(mean)s"), "poll.mean_short": _("Average"),
        "poll.points": _("%(n)s points"), "poll.average_rank": _("average place %(rank)s"),
        "poll.word_cloud": _("Most frequent words"), "poll.other_answers": _("Other answers"),
        "poll.answers": _("Answers"), "poll.no_answers": _("No answers yet."),
        "poll.screen_open": _("Vote now on your phone."),
        "poll.screen_open_hidden": _("Vote now on your phone. The results follow after the vote."),
        "poll.kind.single_choice": _("Single choice"), "poll.kind.multiple_choice": _("Multiple choice"),
        "poll.kind.scale": _("Scale"), "poll.kind.ranking": _("Ranking"), "poll.kind.open_text": _("Open text"),
        "poll.state.draft": _("prepared"), "poll.state.open": _("open"), "poll.state.closed": _("closed"),
        "poll.public": _("results visible"), "poll.not_public": _("results hidden"),
        "poll.polls": _("Polls of this item"), "poll.none": _("This item has no poll yet. Create one below."),
        "poll.open": _("Open the poll"), "poll.close": _("Close the poll"), "poll.reopen": _("Reopen"),
        "poll.reveal": _("Show the results"), "poll.unreveal": _("Hide the results"),
        "poll.live": _("Results live while voting"), "poll.edit": _("Edit"), "poll.show": _("Show details"),
        "poll.joined": _("%(n)s joined in all"),
        "poll.breakdown": _("By type of organisation"),
        "poll.breakdown_note": _("groups of fewer than 3 people are merged"),
        "poll.total": _("All"), "poll.answer": _("Answer"), "poll.named": _("Who voted what"),
        "poll.org.none": _("Not specified"), "poll.org.weitere": _("Further groups"),
        # the organisation types as offered at join (join/forms.py ORGANISATION_TYPE_LABELS)
        "poll.org.kommune": _("Municipality"), "poll.org.kreis": _("District"),
        "poll.org.regionalverband": _("Regional association"), "poll.org.land_bund": _("State / federal government"),
        "poll.org.wissenschaft": _("Research"), "poll.org.zivilgesellschaft": _("Civil society"),
        "poll.org.wirtschaft": _("Business"), "poll.org.sonstige": _("Other"),
        "poll.new": _("New poll"), "poll.edit_heading": _("Edit the poll"), "poll.question": _("Question"),
        "poll.kind": _("Kind of poll"), "poll.options": _("Options, one per line"),
        "poll.allow_other": _("Allow an “Other” answer with free text"),
        "poll.min_choices": _("At least (answers)"), "poll.max_choices": _("At most (answers)"),
        "poll.scale_min": _("Scale from"), "poll.scale_max": _("Scale to"),
        "poll.scale_labels": _("Labels, one per line: both ends, or one per step"),
        "poll.anonymous": _("Anonymous (nobody sees who voted what)"),
        "poll.create": _("Create the poll"), "poll.save": _("Save"), "poll.cancel": _("Cancel"),
        "poll.created": _("Poll created: %(question)s"), "poll.updated": _("Poll saved."),
        # clusters
        "cluster.central": _("Central term"), "cluster.term_label": _("Your association"),
        "cluster.term_hint": _("Up to 40 characters. You can add several terms, one at a time."),
        "cluster.parent_label": _("This reminds me of …"),
        "cluster.parent_none": _("(nothing in particular: links to “%(term)s”)"),
        "cluster.add": _("Add"), "cluster.added": _("Added: %(text)s"),
        "cluster.added_merged": _("Added: %(text)s. Others had the same idea, so it counts up."),
        "cluster.rate_limited": _("That was quick! Please wait %(n)s seconds before adding more terms."),
        "cluster.closed": _("Input is closed. You can still watch the clusters form."),
        "cluster.chains_off": _("In this round, terms are not linked to each other."),
        "cluster.parent_gone": _("The term you linked to is no longer there. Please choose another one."),
        "cluster.invalid": _("Please enter between 1 and 40 characters."),
        "cluster.mine": _("My terms"), "cluster.none_yet": _("You have not added a term yet."),
        "cluster.clusters": _("Clusters"), "cluster.no_clusters": _("No clusters yet."),
        "cluster.unsorted": _("Unsorted"),
        "cluster.stats": _("%(terms)s terms · %(entries)s contributions"),
        "cluster.graph_text": _("Terms around “%(term)s”, by cluster"),
        "cluster.new_cluster": _("Name of the new cluster"), "cluster.create": _("Create cluster"),
        "cluster.created": _("Cluster created: %(name)s"),
        "cluster.name_of": _("Name of cluster %(n)s"), "cluster.rename": _("Rename"),
        "cluster.delete": _("Delete cluster"), "cluster.deleted": _("Cluster deleted; its terms are unsorted again."),
        "cluster.merge_into": _("Merge this cluster into"), "cluster.merge": _("Merge"),
        "cluster.move_to": _("Move “%(text)s” to"), "cluster.moved": _("“%(text)s” moved to %(name)s"),
        "cluster.merge_terms": _("Merge duplicate terms"), "cluster.merge_term": _("Term"),
        "cluster.merge_term_into": _("into the term"), "cluster.merged_terms": _("Merged: %(text)s into %(into)s"),
        "cluster.drag_hint": _("Drag terms into a cluster, or choose the cluster in the list next to a term."),
        "cluster.no_chains": _("Without chains: every term hangs off the central term."),
        # groups
        "group.heading": _("Choose your group (part %(n)s)"),
        "group.hint": _("Tap a group to choose it. You can change until the choice is closed."),
        "group.host": _("Theme host: %(name)s"),
        "group.seats": _("%(taken)s of %(capacity)s seats taken, %(left)s left"),
        "group.full_seats": _("Full: %(taken)s of %(capacity)s seats taken"),
        "group.unnamed": _("%(n)s without a name"),
        "group.your_choice": _("Your choice"), "group.chosen": _("You chose: %(name)s"),
        "group.not_open": _("The choice is not open yet."),
        "group.locked": _("The choice is closed. Ask the facilitation team if you need to change."),
        "group.switch_required": _("please choose another theme than in part 1"),
        "group.screen_open": _("Choose your group on your phone."),
        "group.decided": _("%(n)s have chosen"),
        "group.open_short": _("open"), "group.locked_short": _("closed"),
        "group.open_round": _("Open the choice for part %(n)s"),
        "group.lock": _("Close the choice"), "group.unlock": _("Reopen the choice"),
        "group.assign_undecided": _("Assign the undecided"),
        "group.balance": _("Suggest a balance"), "group.balanced": _("The groups are even enough."),
        "group.suggestions": _("Suggested moves"), "group.suggestion": _("One person from %(from)s to %(to)s"),
        "group.apply": _("Apply"),
        "group.require_switch": _("Require another theme than in part 1"),
        "group.export_groups": _("List per group (CSV)"), "group.export_zoom": _("Zoom breakout list (CSV)"),
        "group.zoom_note": _("Participants give no e-mail address: assign the Zoom breakout rooms by name."),
        "group.undecided": _("Undecided (online)"), "group.no_group": _("(no group)"),
        "group.move": _("Move"), "group.move_label": _("Group for %(name)s"),
        "group.by.facilitator": _("moved"), "group.by.auto": _("assigned"), "group.by.carried": _("from part 1"),
    }
