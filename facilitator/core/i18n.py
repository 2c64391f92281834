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
        "setup.item_heading": _("%(time)s %(title)s"),
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
    }
