"""The words of the documentation, translated into the document's language.

msgids are English like everywhere in the code base; the German catalog translates them. Every
renderer takes its headings from :func:`labels`, so the six formats say the same thing.
"""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

#: The languages a documentation can be written in.
LOCALES = ("de", "en")


def labels(locale: str) -> dict[str, str]:
    """Headings and fixed words in ``locale`` (``de`` or ``en``); needs an app context."""
    from ..join.forms import ORGANISATION_TYPE_LABELS

    with force_locale(locale):
        words = {
            "documentation": _("Documentation"),
            "contents": _("Contents"),
            "cover": _("Overview"),
            "date": _("Date"),
            "time": _("Time"),
            "organiser": _("Organiser"),
            "format": _("Format"),
            "participants": _("Participants"),
            "guiding_questions": _("Guiding questions"),
            "participant_count": _("%(n)s participants"),
            "organisation_types": _("Participants by type of organisation"),
            "organisation_type": _("Type of organisation"),
            "count": _("Count"),
            "share": _("Share"),
            "agenda": _("Agenda"),
            "agenda_as_run": _("Agenda as planned and as run"),
            "item": _("Agenda item"),
            "planned_time": _("Planned"),
            "actual_time": _("As run"),
            "drift": _("Drift"),
            "changes": _("Changes"),
            "extended": _("extended by %(n)s min"),
            "shortened": _("shortened by %(n)s min"),
            "replanned": _("re-planned: %(n)s min"),
            "overran": _("overran by %(n)s min"),
            "skipped": _("skipped"),
            "not_run": _("not run"),
            "day_actual_end": _("Actual end of the day"),
            "on_time": _("on time"),
            "minutes": _("%(n)s min"),
            "anonymised_note": _("Anonymised: this documentation contains no names of participants."),
            "named_note": _("Named export: contains the names participants gave."),
            "hidden": _("Hidden contributions: %(n)s"),
            "hidden_note": _("Contributions hidden by the facilitators are left out and counted."),
            "generated": _("Generated on %(date)s with Werkstatt."),
            # Clusterkette
            "clusterkette": _("Cluster chain"),
            "unsorted": _("Unsorted"),
            "term": _("Term"),
            "cluster": _("Cluster"),
            "cluster_stats": _("%(terms)s terms · %(entries)s contributions"),
            "cluster_graph": _("Terms around “%(term)s”, by cluster"),
            "more_terms": _("+ %(n)s more"),
            # group choice and breakouts
            "group_choice": _("Group choice, part %(n)s"),
            "group": _("Group"),
            "members": _("Members"),
            "host": _("Theme host"),
            "unnamed": _("%(n)s without a name"),
            "zoom_csv": _("Zoom breakout list (CSV)"),
            "zoom_csv_named_only": _("The Zoom breakout list contains names: it is part of the named export only."),
            "breakout": _("Group work, part %(n)s"),
            "dots": _("Dots"),
            "urgency": _("Urgency ranking (dots)"),
            "result": _("Result"),
            "new_goal": _("new"),
            "comments": _("Comments"),
            "rewordings": _("Rewordings"),
            "practices": _("Good practice projects"),
            "guiding_answers": _("Answers to the guiding questions"),
            "summary": _("Summary by the theme host"),
            # polls
            "poll": _("Poll"),
            "question": _("Question"),
            "kind": _("Kind"),
            "voters": _("%(n)s voted"),
            "answer": _("Answer"),
            "votes": _("Votes"),
            "other": _("Other"),
            "other_answers": _("Other answers"),
            "answers": _("Answers"),
            "breakdown": _("By type of organisation"),
            "breakdown_note": _("groups of fewer than 3 people are merged"),
            "mean": _("Average"),
            "points": _("Points"),
            "average_rank": _("Average place"),
            "value": _("Value"),
            "named_votes": _("Who voted what"),
            "top_terms": _("Most frequent terms"),
            "poll.single_choice": _("Single choice"),
            "poll.multiple_choice": _("Multiple choice"),
            "poll.scale": _("Scale"),
            "poll.ranking": _("Ranking"),
            "poll.open_text": _("Open text"),
            # Blitzlicht
            "blitzlicht": _("Flash round"),
            "statements": _("Statements"),
            "statement": _("Statement"),
            "moods": _("Moods"),
            "mood": _("Mood"),
            # messages and outlook
            "broadcasts": _("Messages from the facilitators"),
            "notes": _("Notes"),
            # raw data
            "overview": _("Overview"),
            "timestamp": _("Timestamp"),
            "content": _("Content"),
            "name": _("Name"),
            "id": _("ID"),
            "activity": _("Activity"),
            "rows": _("Rows"),
            "sheet": _("Sheet"),
            "assigned_by": _("Assigned by"),
            "not_specified": _("Not specified"),
            "further_groups": _("Further groups"),
            "combined": _("Groups of fewer than 3 people"),
            # item kinds (existing msgids of the live views)
            "kind.plenary": _("Plenary"), "kind.keynote": _("Keynote"), "kind.cluster_chain": _("Cluster chain"),
            "kind.group_choice": _("Choose your group"), "kind.break": _("Break"), "kind.breakout": _("Group work"),
            "kind.poll": _("Poll"), "kind.blitzlicht": _("Flash round"), "kind.outlook": _("Outlook"),
            "kind.custom": _("Agenda item"),
            "format.online": _("online"), "format.onsite": _("on site"), "format.hybrid": _("hybrid"),
        }
        words.update({f"org.{key}": str(label) for key, label in ORGANISATION_TYPE_LABELS.items()})
    return words


def organisation_label(words: dict[str, str], key: str | None) -> str:
    """The label of an organisation type key, the merged breakdown group or "not given"."""
    if key is None:
        return words["not_specified"]
    if key == "weitere":
        return words["further_groups"]
    if key == "_combined":
        return words["combined"]
    return words.get(f"org.{key}", key)
