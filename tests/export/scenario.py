"""The RVR reference day run through with simulated participants, for the export tests and the
export benchmark: every activity gets contributions through the command pipeline (as the socket
handlers would send them), some are hidden by the facilitators, the agenda overruns, is extended
and re-planned, and the day ends."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from facilitator.core.auth import Actor
from facilitator.core.commands import execute
from facilitator.extensions import db

BERLIN = timezone(timedelta(hours=1))  # 30.11.2022 is winter time

#: Organisation types of the simulated participants, in turn; "wirtschaft" is given by one
#: person only (the poll breakdown must merge it), some give none.
ORG_TYPES = ["kommune", "kommune", "kreis", "regionalverband", "kommune", "zivilgesellschaft", None,
             "wissenschaft", "kommune", "kreis"]

#: Associations to "Grüne Infrastruktur"; "Bäume" and "Baum" merge, "Stadtbäume" is linked to "Schatten".
TERMS = ["Schatten", "Stadtbäume", "Bäume", "Baum", "Kaltluft", "Regenwasser", "Schwammstadt", "Parks",
         "Artenvielfalt", "Biotopverbund", "Emscher", "Radwege", "Gesundheit", "Dachbegrünung", "Brachen",
         "Erholung", "Klimaanpassung", "Hitzevorsorge", "Fassadengrün", "Kleingärten"]
CLUSTERS = {"Klima": ["Schatten", "Kaltluft", "Klimaanpassung", "Hitzevorsorge", "Stadtbäume", "Bäume"],
            "Wasser": ["Regenwasser", "Schwammstadt", "Emscher"],
            "Natur": ["Artenvielfalt", "Biotopverbund", "Brachen"],
            "Freiraum": ["Parks", "Radwege", "Gesundheit", "Erholung", "Kleingärten"]}
OFF_TOPIC_TERM = "Mittagessen!!!"
STATEMENTS = ["Viele gute Beispiele aus den Kommunen mitgenommen.", "Die Schwammstadt braucht mehr Tempo.",
              "Spannender Austausch über Kaltluftbahnen.", "Die Region sollte Flächen dauerhaft sichern.",
              "Ich nehme Kontakte für unser Baumprojekt mit."]
OFF_TOPIC_STATEMENT = "Kann jemand den Zoom-Link noch mal schicken? Off-topic"
KNOWN_STATEMENT = "Die Emscher zeigt, was blau-grüne Infrastruktur kann."
#: A statement a spreadsheet would run as a formula (CSV/XLSX must neutralise it).
FORMULA_STATEMENT = '=HYPERLINK("https://example.org";"klick")'
#: A statement with Markdown and HTML in it: data, never markup.
MARKUP_STATEMENT = "# Titel [Link](https://example.org) <b>fett</b> | Spalte"
OTHER_ANSWER = "Kleingartenvereine"
HIDDEN_OTHER = "unpassender Kommentar xyz"
BROADCAST = "Noch 5 Minuten"
KNOWN_COMMENT = "Kaltluftbahnen brauchen eine regionale Karte."
KNOWN_PRACTICE = "Emscher-Umbau Dortmund-Deusen"
HIDDEN_COMMENT = "Werbung: kauft unsere Rasensamen"
NEW_GOAL = "Schulhöfe als grüne Klimaoasen öffnen"
HOST_SUMMARY = "Kaltluftbahnen sichern hat höchste Dringlichkeit."


def has_workspaces() -> bool:
    """Whether the breakout workspaces (being built next door) are registered in this tree."""
    from facilitator.core.commands import REGISTRY

    return "workspace.comment" in REGISTRY and "workspace.summary" in REGISTRY


def at(hh_mm: str) -> datetime:
    hours, minutes = map(int, hh_mm.split(":"))
    return datetime(2022, 11, 30, hours, minutes, tzinfo=BERLIN)


def name_of(n: int) -> str:
    """Distinctive names, easy to search for in an export ("Zyx" does not occur in German)."""
    return f"Zyx Person{n:03d}"


@dataclass
class Day:
    workshop: object
    participants: list = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    hidden: dict[str, int] = field(default_factory=dict)
    item_ids: dict[str, int] = field(default_factory=dict)
    contributions: int = 0
    #: What the group work of part 1 produced (None when the workspaces are not in this tree).
    breakout: dict | None = None


def _run(actor: Actor, name: str, payload: dict | None = None) -> dict:
    from flask import current_app

    with current_app.test_request_context("/"):
        ack = execute(name, actor, payload or {})
    assert ack["ok"], (name, payload, ack)
    return ack


def run_rvr_day(factory, workshop, organiser, clock, participants: int = 30, terms_each: int = 2,
                extra_open_poll: bool = False, capacity: int | None = None, comments_each: int = 0) -> Day:
    """Run the whole RVR day; returns what a test needs to know about it.

    The benchmark makes it bigger: ``capacity`` per theme group (the template's 20 hold 100
    people), ``extra_open_poll`` (an open-text poll everyone answers), ``comments_each``
    (comments per person in their group's workspace in part 1, when the workspaces exist).
    """
    from facilitator.blitzlicht.models import Statement
    from facilitator.clusters.models import ClusterTerm
    from facilitator.groups.operations import groups_of
    from facilitator.polls.models import Poll, PollVote

    day = Day(workshop)
    fac = Actor("organiser", workshop.id, user_id=organiser.id)
    items = {i.title: i.id for i in workshop.items}
    day.item_ids = items
    clock.set(at("09:20"))
    people = []
    for n in range(participants):
        # every third person gives no name
        name = name_of(n) if n % 3 else None
        participant, _token = factory.participant(workshop, name=name, org_type=ORG_TYPES[n % len(ORG_TYPES)])
        people.append(participant)
        if name:
            day.names.append(name)
    _p, _t = factory.participant(workshop, name="Zyx Einzelwirtschaft", org_type="wirtschaft")
    people.append(_p)
    day.names.append("Zyx Einzelwirtschaft")
    day.participants = people
    actors = [Actor("participant", workshop.id, participant_id=p.id) for p in people]

    clock.set(at("09:30"))
    _run(fac, "day.start")
    clock.set(at("09:40"))
    _run(fac, "agenda.next")  # keynote
    clock.set(at("09:54"))  # the keynote overruns by 4 minutes
    _run(fac, "agenda.next")  # Clusterkette
    _run(fac, "agenda.extend", {"minutes": 1})

    # --- Clusterkette ---
    term_ids: dict[str, int] = {}

    def term_id(text):
        if text not in term_ids:
            db.session.expire_all()
            from facilitator.core.text import normalize_term

            row = db.session.execute(db.select(ClusterTerm).filter_by(
                item_id=items["Clusterkette „Grüne Infrastruktur“"], normalized=normalize_term(text))).scalar_one()
            term_ids[text] = row.merged_into_id or row.id
        return term_ids[text]

    for k, actor in enumerate(actors):
        for j in range(terms_each):
            text = TERMS[(k * terms_each + j) % len(TERMS)]
            payload = {"text": text}
            if text == "Stadtbäume" and "Schatten" in term_ids:
                payload["parent_id"] = term_id("Schatten")
            _run(actor, "cluster.add_term", payload)
            day.contributions += 1
            term_id(text)
        if (k + 1) % 5 == 0:
            clock.advance(seconds=31)  # past the rate limit window
    _run(actors[0], "cluster.add_term", {"text": OFF_TOPIC_TERM})
    day.contributions += 1
    clusters_item = items["Clusterkette „Grüne Infrastruktur“"]
    for name, members in CLUSTERS.items():
        ack = _run(fac, "cluster.create", {"item_id": clusters_item, "name": name})
        cluster_id = ack.get("cluster_id") or ack.get("id") or ack.get("cluster", {}).get("id")
        if cluster_id is None:
            from facilitator.clusters.models import Cluster

            cluster_id = db.session.execute(db.select(Cluster.id).filter_by(item_id=clusters_item, name=name)).scalar_one()
        for text in members:
            if text in term_ids:
                _run(fac, "cluster.move_term", {"term_id": term_id(text), "cluster_id": cluster_id})
    _run(fac, "cluster.hide_term", {"term_id": term_id(OFF_TOPIC_TERM)})
    day.hidden["clusterkette"] = 1

    # --- Choose your fighter (round 1) ---
    clock.set(at("10:04"))
    _run(fac, "agenda.next")
    groups = groups_of(workshop)
    if capacity:
        for group in groups:
            group.capacity = capacity
        db.session.commit()
    for k, actor in enumerate(actors[:-3]):  # three stay undecided
        _run(actor, "group.choose", {"group_id": groups[k % len(groups)].id})
    _run(fac, "group.assign_undecided")
    _run(fac, "group.lock")
    _run(fac, "agenda.replan", {"item_ids": [items["Pause"], items["Arbeit in Themengruppen, Teil 1"]]})

    clock.set(at("10:19"))
    _run(fac, "agenda.next")  # Pause
    clock.set(at("10:27"))
    _run(fac, "agenda.next")  # Teil 1
    if has_workspaces():
        day.breakout = _group_work(day, fac, actors, groups, round_no=1)
        if comments_each:
            _many_comments(day, actors, comments_each, round_no=1)
    clock.set(at("11:35"))
    _run(fac, "broadcast.send", {"text": BROADCAST})
    clock.set(at("11:40"))
    _run(fac, "agenda.next")  # Mittagspause: round 2 opens, round 1 preselected
    for k, actor in enumerate(actors):
        if k % 3 == 0:  # a third switch theme
            _run(actor, "group.choose", {"round": 2, "group_id": groups[(k + 1) % len(groups)].id})
    clock.set(at("12:10"))
    _run(fac, "agenda.next")  # Teil 2
    _run(fac, "group.lock", {"round": 2})
    clock.set(at("13:20"))
    _run(fac, "broadcast.send", {"text": "Zurück ins Plenum"})
    _run(fac, "agenda.next")  # Blitzlicht

    # --- Blitzlicht ---
    for k, actor in enumerate(actors):
        text = {1: KNOWN_STATEMENT, 2: FORMULA_STATEMENT, 3: MARKUP_STATEMENT}.get(
            k, STATEMENTS[k % len(STATEMENTS)] + f" ({k})")
        _run(actor, "blitzlicht.submit", {"text": text, "mood": 1 + k % 5})
        day.contributions += 1
    spammer = actors[-2]
    _run(spammer, "blitzlicht.submit", {"text": OFF_TOPIC_STATEMENT, "mood": 3})
    statement = db.session.execute(db.select(Statement).filter_by(
        item_id=items["Blitzlicht"], participant_id=spammer.participant_id)).scalar_one()
    _run(fac, "blitzlicht.hide", {"statement_id": statement.id})
    day.hidden["blitzlicht"] = 1

    # --- the poll "akteure" during the Blitzlicht ---
    poll = db.session.execute(db.select(Poll).filter_by(workshop_id=workshop.id, key="akteure")).scalar_one()
    _run(fac, "poll.open", {"poll_id": poll.id})
    for k, actor in enumerate(actors):
        # Immobilieneigentümer*innen (0), Jugendliche (2) and Kultur (3) lead
        choices = [[0, 2, 3], [0, 2], [0, 3], [2, 3], [0, 5], [1, 2]][k % 6]
        payload = {"poll_id": poll.id, "choices": choices[:2]}
        if k == 4:
            payload["other"] = OTHER_ANSWER
        elif k == 7:
            payload["other"] = HIDDEN_OTHER
        else:
            payload["choices"] = choices
        _run(actor, "poll.vote", payload)
        day.contributions += 1
    _run(fac, "poll.close", {"poll_id": poll.id})
    _run(fac, "poll.reveal", {"poll_id": poll.id})
    hidden_vote = db.session.execute(db.select(PollVote).filter_by(poll_id=poll.id, text=HIDDEN_OTHER)).scalar_one()
    _run(fac, "poll.hide_answer", {"vote_id": hidden_vote.id})
    day.hidden["poll"] = 1

    if extra_open_poll:  # the benchmark: a second, open-text poll on the same item
        _run(fac, "poll.create", {"item_id": items["Blitzlicht"], "question": "Was fehlt der Region?",
                                        "kind": "open_text"})
        second = db.session.execute(db.select(Poll).filter_by(workshop_id=workshop.id, kind="open_text")).scalar_one()
        _run(fac, "poll.open", {"poll_id": second.id})
        for k, actor in enumerate(actors):
            _run(actor, "poll.vote", {"poll_id": second.id, "text": f"Mehr Grün in Quartier {k % 40} und Geld für Pflege"})
            day.contributions += 1
        _run(fac, "poll.close", {"poll_id": second.id})

    clock.set(at("13:35"))
    _run(fac, "agenda.next")  # Ausblick
    clock.set(at("13:45"))
    _run(fac, "agenda.next")  # the day ends
    db.session.expire_all()
    return day


def _group_work(day: Day, fac: Actor, actors: list[Actor], groups, round_no: int) -> dict:
    """Part 1 in the workspaces: comments, rewordings, a new goal, good practice, answers to the
    guiding questions, dots; the host marks a result, hides a post and writes the summary."""
    from facilitator.groups.models import DraftGoal, GroupChoice

    db.session.expire_all()
    member_of = dict(db.session.execute(db.select(GroupChoice.participant_id, GroupChoice.group_id)
                                        .filter_by(workshop_id=day.workshop.id, round=round_no)).all())
    first = groups[0]
    goals = db.session.execute(db.select(DraftGoal).filter_by(group_id=first.id).order_by(DraftGoal.position)).scalars().all()
    members = [a for a in actors if member_of.get(a.participant_id) == first.id]
    assert len(members) >= 3, "group 1 needs members for the group work"
    _run(members[0], "workspace.comment", {"goal_id": goals[0].id, "text": KNOWN_COMMENT})
    _run(members[1], "workspace.reword", {"goal_id": goals[1].id, "text": "Hitzeinseln gezielt entsiegeln und begrünen."})
    new_goal = _run(members[1], "workspace.goal.propose", {"text": NEW_GOAL})["goal_id"]
    _run(members[2], "workspace.practice.add", {"title": KNOWN_PRACTICE, "organisation": "Emschergenossenschaft",
                                                "text": "Renaturierung als blau-grüne Achse", "link": "https://example.org/emscher"})
    _run(members[0], "workspace.answer", {"question_index": 0, "text": "Förderprogramm Dachbegrünung"})
    spam = _run(members[2], "workspace.comment", {"goal_id": goals[0].id, "text": HIDDEN_COMMENT})["post_id"]
    for member in members:  # everyone puts dots on goal 1, some on the new goal
        _run(member, "workspace.vote", {"goal_id": goals[0].id})
    for member in members[:2]:
        _run(member, "workspace.vote", {"goal_id": new_goal})
    day.contributions += 6 + len(members) + 2
    _run(fac, "workspace.post.hide", {"post_id": spam})
    _run(fac, "workspace.goal.result", {"goal_id": goals[0].id})
    _run(fac, "workspace.summary", {"text": HOST_SUMMARY, "group_id": first.id, "round": round_no})
    day.hidden["breakout"] = 1
    return {"group": first.name, "top_goal": goals[0].text, "members": len(members), "new_goal_id": new_goal}


def _many_comments(day: Day, actors: list[Actor], each: int, round_no: int) -> None:
    """Every member comments ``each`` times on the goals of their group (the benchmark's volume)."""
    from facilitator.groups.models import DraftGoal, GroupChoice

    member_of = dict(db.session.execute(db.select(GroupChoice.participant_id, GroupChoice.group_id)
                                        .filter_by(workshop_id=day.workshop.id, round=round_no)).all())
    goals: dict[int, list[int]] = {}
    for goal_id, group_id in db.session.execute(db.select(DraftGoal.id, DraftGoal.group_id)
                                                .filter_by(origin="template")).all():
        goals.setdefault(group_id, []).append(goal_id)
    for k, actor in enumerate(actors):
        group_goals = goals.get(member_of.get(actor.participant_id))
        if not group_goals:
            continue
        for j in range(each):
            _run(actor, "workspace.comment", {"goal_id": group_goals[(k + j) % len(group_goals)],
                                              "text": f"Anmerkung {j + 1}: wichtig für Quartier {k % 40}"})
            day.contributions += 1
