"""DOCX (python-docx): real Heading styles and tables, so organisers edit it in Word.

Charts are not embedded (Word cannot take our SVG without a rasteriser); their numbers are the
tables next to them.
"""
from __future__ import annotations

import io

from .model import Document
from .text import Words, breakdown_table, group_choice_table, xml_safe_document


def _table(doc, header: list[str], rows: list[list], numeric: set[int] = frozenset()):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for i, text in enumerate(header):
        cell = table.rows[0].cells[i]
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            cells[i].text = "" if value is None else str(value)
            if i in numeric:
                cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def _bullets(doc, texts):
    for text in texts:
        doc.add_paragraph(text, style="List Bullet")


def _poll(doc, poll: dict, w: Words, named: bool) -> None:
    doc.add_heading(f"{w.t('poll')}: {poll['question']}", level=3)
    meta = f"{w.poll_kind(poll['kind'])} · {w.t('voters', n=poll['turnout'])}"
    if poll["hidden_count"]:
        meta += f" · {w.hidden(poll['hidden_count'])}"
    doc.add_paragraph(meta)
    r = poll["results"]
    if "options" in r:
        rows = [[o["label"], o["count"], w.percent(o["share"])] for o in r["options"]]
        if "other" in r:
            rows.append([w.t("other"), r["other"]["count"], w.percent(r["other"]["share"])])
        _table(doc, [w.t("answer"), w.t("votes"), w.t("share")], rows, {1, 2})
    if "scale" in r:
        _table(doc, [w.t("value"), w.t("votes"), w.t("share")],
               [[d["value"], d["count"], w.percent(d["share"])] for d in r["scale"]["distribution"]], {1, 2})
        doc.add_paragraph(f"{w.t('mean')}: {r['scale']['mean'] if r['scale']['mean'] is not None else '–'}")
    if "ranking" in r:
        _table(doc, [w.t("answer"), w.t("points"), w.t("average_rank")],
               [[o["label"], o["points"], o["average_rank"] if o["average_rank"] is not None else "–"]
                for o in r["ranking"]], {1, 2})
    if r.get("other", {}).get("answers"):
        doc.add_heading(w.t("other_answers"), level=4)
        _bullets(doc, r["other"]["answers"])
    if "text" in r:
        doc.add_heading(w.t("answers"), level=4)
        _bullets(doc, r["text"]["answers"])
    if poll["breakdown"]:
        doc.add_heading(f"{w.t('breakdown')} ({w.t('breakdown_note')})", level=4)
        header, rows = breakdown_table(poll, r, w)
        _table(doc, header, rows, set(range(1, len(header))))
    if named and poll.get("named_votes"):
        doc.add_heading(w.t("named_votes"), level=4)
        _bullets(doc, [f"{v['name']}: {v['answer']}" + (f" – {v['text']}" if v.get("text") else "")
                       for v in poll["named_votes"]])


def render_docx(document: Document) -> bytes:
    from docx import Document as Docx
    from docx.shared import Pt

    document = xml_safe_document(document)
    w = Words.of(document)
    cover = document.workshop
    named = not document.anonymised
    doc = Docx()
    doc.core_properties.title = cover["title"]
    doc.core_properties.author = cover.get("organiser") or "Werkstatt"
    doc.core_properties.language = document.locale
    doc.styles["Normal"].font.size = Pt(10.5)

    doc.add_paragraph(w.t("documentation"), style="Subtitle")
    doc.add_heading(cover["title"], level=0)
    agenda = document.agenda
    _table(doc, [w.t("cover"), ""], [
        [w.t("date"), w.day(cover["date"])],
        [w.t("time"), f"{w.clock(agenda['actual_start'] or agenda['planned_start'])}–"
                      f"{w.clock(agenda['actual_end'] or agenda['planned_end'])}"],
        [w.t("organiser"), cover.get("organiser") or "–"],
        [w.t("format"), w.format(cover["format"]) + (f" · {cover['venue']}" if cover.get("venue") else "")],
        [w.t("participants"), cover["participant_count"]],
    ])
    if cover.get("description"):
        for para in cover["description"].strip().split("\n\n"):
            doc.add_paragraph(para)
    if cover.get("guiding_questions"):
        doc.add_paragraph(w.t("guiding_questions")).runs[0].bold = True
        for question in cover["guiding_questions"]:
            doc.add_paragraph(question, style="List Number")
    doc.add_heading(w.t("organisation_types"), level=2)
    _table(doc, [w.t("organisation_type"), w.t("count")],
           [[w.org(r["organisation_type"]), r["count"]] for r in cover["organisation_types"]], {1})
    note = w.t("anonymised_note") if document.anonymised else w.t("named_note")
    note += " " + w.t("hidden_note")
    if document.hidden_count:
        note += f" ({w.hidden(document.hidden_count)})"
    doc.add_paragraph(note)

    doc.add_heading(w.t("agenda_as_run"), level=1)
    _table(doc, [w.t("item"), w.t("planned_time"), w.t("actual_time"), w.t("drift"), w.t("changes")], [
        [row["title"], f"{w.clock(row['planned_start'])}–{w.clock(row['planned_end'])}",
         f"{w.clock(row['actual_start'])}–{w.clock(row['actual_end'])}", w.drift(row["drift_s"]), w.changes(row)]
        for row in agenda["items"]
    ] + [[w.t("day_actual_end"), w.clock(agenda["planned_end"]), w.clock(agenda["actual_end"]),
          w.drift(agenda["drift_s"]), ""]])

    rows_by_id = {row["item_id"]: row for row in agenda["items"]}
    for s in document.sections:
        doc.add_heading(s["title"], level=1)
        row = rows_by_id[s["item_id"]]
        meta = (f"{w.kind(s['kind'])} · {w.clock(row['actual_start'] or row['planned_start'])}–"
                f"{w.clock(row['actual_end'] or row['planned_end'])}")
        if s["hidden_count"]:
            meta += f" · {w.hidden(s['hidden_count'])}"
        doc.add_paragraph(meta)
        if s.get("description"):
            doc.add_paragraph(s["description"]).runs[0].italic = True
        if c := s.get("clusterkette"):
            doc.add_heading(f"{w.t('clusterkette')}: „{c['central_term']}“", level=2)
            stats = w.t("cluster_stats", terms=c["term_count"], entries=c["entry_count"])
            doc.add_paragraph(stats + (f" · {w.hidden(c['hidden_count'])}" if c["hidden_count"] else ""))
            rows = [[cl["name"], t["text"], t["count"]] for cl in c["clusters"] for t in cl["terms"]]
            rows += [[w.t("unsorted"), t["text"], t["count"]] for t in c["unclustered"]]
            _table(doc, [w.t("cluster"), w.t("term"), w.t("count")], rows, {2})
        if g := s.get("group_choice"):
            doc.add_heading(w.t("group_choice", n=g["round"]), level=2)
            header, rows = group_choice_table(g, w, named)
            _table(doc, header, rows, {1})
            doc.add_paragraph(w.t("zoom_csv_named_only") if document.anonymised else
                              f"{w.t('zoom_csv')}: zoom-breakout-runde-{g['round']}.csv")
        if b := s.get("breakout"):
            for grp in b["groups"]:
                doc.add_heading(grp["name"], level=2)
                meta = w.t("participant_count", n=grp["member_count"])
                if grp.get("host_name"):
                    meta += f" · {w.t('host')}: {grp['host_name']}"
                if grp["hidden_count"]:
                    meta += f" · {w.hidden(grp['hidden_count'])}"
                doc.add_paragraph(meta)
                if grp.get("summary"):
                    doc.add_heading(w.t("summary"), level=3)
                    doc.add_paragraph(grp["summary"])
                if grp["goals"]:
                    doc.add_heading(w.t("urgency"), level=3)
                    for goal in grp["goals"]:
                        marks = (f" [{w.t('result')}]" if goal["is_result"] else "") + (
                            f" [{w.t('new_goal')}]" if goal["origin"] == "participant" else "")
                        doc.add_paragraph(f"{goal['text']} ({goal['dots']} {w.t('dots')}){marks}", style="List Number")
                        for kind in ("rewordings", "comments"):
                            for c in goal[kind]:
                                text = f"{w.t(kind)}: {c['text']}" + (f" – {c['author']}" if c.get("author") else "")
                                doc.add_paragraph(text, style="List Bullet 2")
                if grp["practices"]:
                    doc.add_heading(w.t("practices"), level=3)
                    _bullets(doc, [p["title"] + (f" ({p['organisation']})" if p.get("organisation") else "")
                                   + (f": {p['text']}" if p.get("text") else "") + (f" {p['link']}" if p.get("link") else "")
                                   + (f" – {p['author']}" if p.get("author") else "") for p in grp["practices"]])
                answered = [a for a in grp["answers"] if a["items"]]
                if answered:
                    doc.add_heading(w.t("guiding_answers"), level=3)
                    for a in answered:
                        doc.add_paragraph(a["question"]).runs[0].bold = True
                        _bullets(doc, [i["text"] + (f" – {i['author']}" if i.get("author") else "") for i in a["items"]])
        if bl := s.get("blitzlicht"):
            doc.add_heading(f"{w.t('blitzlicht')}: {bl['prompt']}", level=2)
            doc.add_paragraph(f"{bl['count']} {w.t('statements')}"
                              + (f" · {w.hidden(bl['hidden_count'])}" if bl["hidden_count"] else ""))
            if bl.get("moods"):
                doc.add_heading(w.t("moods"), level=3)
                _table(doc, [w.t("mood"), w.t("count")], [[k, v] for k, v in bl["moods"].items()], {1})
            if bl.get("top_terms"):
                doc.add_heading(w.t("top_terms"), level=3)
                doc.add_paragraph(" · ".join(f"{t['term']} ({t['count']})" for t in bl["top_terms"]))
            doc.add_heading(w.t("statements"), level=3)
            _bullets(doc, [st["text"] + (f" ({w.t('mood')} {st['mood']})" if st["mood"] is not None else "")
                           + (f" – {st['name']}" if st.get("name") else "") for st in bl["statements"]])
        for poll in s.get("polls", []):
            _poll(doc, poll, w, named)
        if s.get("notes"):
            doc.add_heading(w.t("notes"), level=2)
            for line in s["notes"].strip().splitlines():
                doc.add_paragraph(line)
    if document.broadcasts:
        doc.add_heading(w.t("broadcasts"), level=1)
        _table(doc, [w.t("time"), w.t("content")], [[w.clock(b["created_at"]), b["text"]] for b in document.broadcasts])
    doc.add_paragraph(w.t("generated", date=w.timestamp(document.generated_at)))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
