"""Markdown (CommonMark with pipe tables). User text is data: characters that would make it
markup (emphasis, links, HTML, table cells, headings, code) are backslash-escaped and line
breaks inside a list item or cell become spaces, so a contribution can never change the
document's structure."""
from __future__ import annotations

import re

from .model import Document
from .text import Words, breakdown_table, group_choice_table

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!{}])")
_LINE_START = re.compile(r"^(\s*)(\d*)([-+=.)])(?=\s|$)")


def esc(value) -> str:
    """One line of user text, safe anywhere inline (list item, heading, table cell)."""
    text = " ".join(str("" if value is None else value).split())
    text = _SPECIAL.sub(r"\\\1", text)
    # "1. …", "- …", "+ …" at the start would become a list; escape the punctuation ("1\\. …")
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), text)


def _table(lines: list[str], header: list[str], rows: list[list]) -> None:
    lines.append("| " + " | ".join(esc(h) for h in header) + " |")
    lines.append("|" + "|".join(" --- " for _ in header) + "|")
    for row in rows:
        lines.append("| " + " | ".join(esc(v) for v in row) + " |")
    lines.append("")


def render_markdown(document: Document) -> bytes:
    w = Words.of(document)
    cover, agenda = document.workshop, document.agenda
    named = not document.anonymised
    out: list[str] = []
    add = out.append
    add(f"# {esc(cover['title'])}")
    add("")
    add(f"*{esc(w.t('documentation'))}*")
    add("")
    add(f"- **{esc(w.t('date'))}:** {w.day(cover['date'])}")
    add(f"- **{esc(w.t('time'))}:** {w.clock(agenda['actual_start'] or agenda['planned_start'])}–"
        f"{w.clock(agenda['actual_end'] or agenda['planned_end'])}")
    if cover.get("organiser"):
        add(f"- **{esc(w.t('organiser'))}:** {esc(cover['organiser'])}")
    add(f"- **{esc(w.t('format'))}:** {esc(w.format(cover['format']))}" + (f" · {esc(cover['venue'])}" if cover.get("venue") else ""))
    add(f"- **{esc(w.t('participants'))}:** {cover['participant_count']}")
    add("")
    if cover.get("description"):
        for para in cover["description"].strip().split("\n\n"):
            add(esc(para))
            add("")
    if cover.get("guiding_questions"):
        add(f"**{esc(w.t('guiding_questions'))}**")
        add("")
        for n, question in enumerate(cover["guiding_questions"], start=1):
            add(f"{n}. {esc(question)}")
        add("")
    add(f"## {esc(w.t('organisation_types'))}")
    add("")
    _table(out, [w.t("organisation_type"), w.t("count")],
           [[w.org(r["organisation_type"]), r["count"]] for r in cover["organisation_types"]])
    note = (w.t("anonymised_note") if document.anonymised else w.t("named_note")) + " " + w.t("hidden_note")
    if document.hidden_count:
        note += f" ({w.hidden(document.hidden_count)})"
    add(f"> {esc(note)}")
    add("")
    add(f"## {esc(w.t('agenda_as_run'))}")
    add("")
    _table(out, [w.t("item"), w.t("planned_time"), w.t("actual_time"), w.t("drift"), w.t("changes")],
           [[r["title"], f"{w.clock(r['planned_start'])}–{w.clock(r['planned_end'])}",
             f"{w.clock(r['actual_start'])}–{w.clock(r['actual_end'])}", w.drift(r["drift_s"]), w.changes(r)]
            for r in agenda["items"]]
           + [[w.t("day_actual_end"), w.clock(agenda["planned_end"]), w.clock(agenda["actual_end"]),
               w.drift(agenda["drift_s"]), ""]])
    rows_by_id = {r["item_id"]: r for r in agenda["items"]}
    for s in document.sections:
        row = rows_by_id[s["item_id"]]
        add(f"## {esc(s['title'])}")
        add("")
        meta = (f"{w.kind(s['kind'])} · {w.clock(row['actual_start'] or row['planned_start'])}–"
                f"{w.clock(row['actual_end'] or row['planned_end'])}")
        if s["hidden_count"]:
            meta += f" · {w.hidden(s['hidden_count'])}"
        add(f"*{esc(meta)}*")
        add("")
        if s.get("description"):
            add(esc(s["description"]))
            add("")
        if c := s.get("clusterkette"):
            add(f"### {esc(w.t('clusterkette'))}: „{esc(c['central_term'])}“")
            add("")
            add(esc(w.t("cluster_stats", terms=c["term_count"], entries=c["entry_count"])))
            add("")
            for cl in c["clusters"]:
                add(f"- **{esc(cl['name'])}** ({cl['entry_count']}): "
                    + ", ".join(f"{esc(t['text'])} ({t['count']})" for t in cl["terms"]))
            if c["unclustered"]:
                add(f"- **{esc(w.t('unsorted'))}**: " + ", ".join(f"{esc(t['text'])} ({t['count']})" for t in c["unclustered"]))
            add("")
        if g := s.get("group_choice"):
            add(f"### {esc(w.t('group_choice', n=g['round']))}")
            add("")
            header, rows = group_choice_table(g, w, named)
            _table(out, header, rows)
        if b := s.get("breakout"):
            for grp in b["groups"]:
                add(f"### {esc(grp['name'])}")
                add("")
                meta = w.t("participant_count", n=grp["member_count"])
                if grp.get("host_name"):
                    meta += f" · {w.t('host')}: {grp['host_name']}"
                if grp["hidden_count"]:
                    meta += f" · {w.hidden(grp['hidden_count'])}"
                add(f"*{esc(meta)}*")
                add("")
                if grp.get("summary"):
                    add(f"#### {esc(w.t('summary'))}")
                    add("")
                    add(esc(grp["summary"]))
                    add("")
                if grp["goals"]:
                    add(f"#### {esc(w.t('urgency'))}")
                    add("")
                    for n, goal in enumerate(grp["goals"], start=1):
                        marks = (f" **{esc(w.t('result'))}**" if goal["is_result"] else "") + (
                            f" *{esc(w.t('new_goal'))}*" if goal["origin"] == "participant" else "")
                        add(f"{n}. {esc(goal['text'])} ({goal['dots']} {esc(w.t('dots'))}){marks}")
                        for kind in ("rewordings", "comments"):
                            for item in goal[kind]:
                                add(f"    - {esc(w.t(kind))}: {esc(item['text'])}"
                                    + (f" – {esc(item['author'])}" if item.get("author") else ""))
                    add("")
                if grp["practices"]:
                    add(f"#### {esc(w.t('practices'))}")
                    add("")
                    for p in grp["practices"]:
                        add(f"- **{esc(p['title'])}**" + (f" ({esc(p['organisation'])})" if p.get("organisation") else "")
                            + (f": {esc(p['text'])}" if p.get("text") else "") + (f" {esc(p['link'])}" if p.get("link") else "")
                            + (f" – {esc(p['author'])}" if p.get("author") else ""))
                    add("")
                answered = [a for a in grp["answers"] if a["items"]]
                if answered:
                    add(f"#### {esc(w.t('guiding_answers'))}")
                    add("")
                    for a in answered:
                        add(f"**{esc(a['question'])}**")
                        add("")
                        for item in a["items"]:
                            add(f"- {esc(item['text'])}" + (f" – {esc(item['author'])}" if item.get("author") else ""))
                        add("")
        if bl := s.get("blitzlicht"):
            add(f"### {esc(w.t('blitzlicht'))}: {esc(bl['prompt'])}")
            add("")
            add(f"{bl['count']} {esc(w.t('statements'))}" + (f" · {esc(w.hidden(bl['hidden_count']))}" if bl["hidden_count"] else ""))
            add("")
            if bl.get("moods"):
                add(f"#### {esc(w.t('moods'))}")
                add("")
                _table(out, [w.t("mood"), w.t("count")], [[k, v] for k, v in bl["moods"].items()])
            if bl.get("top_terms"):
                add(f"#### {esc(w.t('top_terms'))}")
                add("")
                add(" · ".join(f"{esc(t['term'])} ({t['count']})" for t in bl["top_terms"]))
                add("")
            add(f"#### {esc(w.t('statements'))}")
            add("")
            for st in bl["statements"]:
                add(f"- {esc(st['text'])}" + (f" ({esc(w.t('mood'))} {st['mood']})" if st["mood"] is not None else "")
                    + (f" – {esc(st['name'])}" if st.get("name") else ""))
            add("")
        for poll in s.get("polls", []):
            add(f"### {esc(w.t('poll'))}: {esc(poll['question'])}")
            add("")
            meta = f"{w.poll_kind(poll['kind'])} · {w.t('voters', n=poll['turnout'])}"
            if poll["hidden_count"]:
                meta += f" · {w.hidden(poll['hidden_count'])}"
            add(f"*{esc(meta)}*")
            add("")
            r = poll["results"]
            if "options" in r:
                rows = [[o["label"], o["count"], w.percent(o["share"])] for o in r["options"]]
                if "other" in r:
                    rows.append([w.t("other"), r["other"]["count"], w.percent(r["other"]["share"])])
                _table(out, [w.t("answer"), w.t("votes"), w.t("share")], rows)
            if "scale" in r:
                _table(out, [w.t("value"), w.t("votes"), w.t("share")],
                       [[d["value"], d["count"], w.percent(d["share"])] for d in r["scale"]["distribution"]])
                add(f"{esc(w.t('mean'))}: {r['scale']['mean'] if r['scale']['mean'] is not None else '–'}")
                add("")
            if "ranking" in r:
                _table(out, [w.t("answer"), w.t("points"), w.t("average_rank")],
                       [[o["label"], o["points"], o["average_rank"] if o["average_rank"] is not None else "–"]
                        for o in r["ranking"]])
            if r.get("other", {}).get("answers"):
                add(f"#### {esc(w.t('other_answers'))}")
                add("")
                out.extend(f"- {esc(a)}" for a in r["other"]["answers"])
                add("")
            if "text" in r:
                add(f"#### {esc(w.t('answers'))}")
                add("")
                out.extend(f"- {esc(a)}" for a in r["text"]["answers"])
                add("")
            if poll["breakdown"]:
                add(f"#### {esc(w.t('breakdown'))} ({esc(w.t('breakdown_note'))})")
                add("")
                header, rows = breakdown_table(poll, r, w)
                _table(out, header, rows)
            if named and poll.get("named_votes"):
                add(f"#### {esc(w.t('named_votes'))}")
                add("")
                out.extend(f"- {esc(v['name'])}: {esc(v['answer'])}" + (f" – {esc(v['text'])}" if v.get("text") else "")
                           for v in poll["named_votes"])
                add("")
        if s.get("notes"):
            add(f"### {esc(w.t('notes'))}")
            add("")
            for line in s["notes"].strip().splitlines():
                if line.strip():
                    add(esc(line) + "  ")
            add("")
    if document.broadcasts:
        add(f"## {esc(w.t('broadcasts'))}")
        add("")
        for b in document.broadcasts:
            add(f"- {w.clock(b['created_at'])}: {esc(b['text'])}")
        add("")
    add("---")
    add("")
    add(f"*{esc(w.t('generated', date=w.timestamp(document.generated_at)))}*")
    add("")
    return "\n".join(out).encode("utf-8")
