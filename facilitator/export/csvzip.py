"""CSV: a zip with one UTF-8 CSV per activity (the same raw rows as the XLSX sheets), the
agenda, and – in a named export – Zoom's breakout pre-assignment list per round.

Cells that a spreadsheet would run as a formula get an apostrophe (``text.safe_cell``).
"""
from __future__ import annotations

import csv
import io
import zipfile

from .model import Document
from .text import Words, safe_cell, tables

#: Fixed timestamp of the zip entries: the same document gives the same bytes.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def _csv(header: list[str], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    # BOM: Excel opens UTF-8 with umlauts correctly only with it
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_csv(document: Document) -> bytes:
    w = Words.of(document)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        def add(name: str, data: bytes) -> None:
            archive.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), data, zipfile.ZIP_DEFLATED)

        agenda = document.agenda
        add("00-programm.csv", _csv(
            [w.t("id"), w.t("item"), w.t("kind"), w.t("planned_time"), w.t("actual_time"), w.t("drift"), w.t("changes")],
            [[r["item_id"], r["title"], w.kind(r["kind"]),
              f"{w.clock(r['planned_start'])}-{w.clock(r['planned_end'])}",
              f"{w.clock(r['actual_start'])}-{w.clock(r['actual_end'])}", w.drift(r["drift_s"]), w.changes(r)]
             for r in agenda["items"]]))
        for table in tables(document, w):
            add(f"{table.key}.csv", _csv(table.header, table.rows))
        for round_no, text in sorted(document.zoom_csv.items()):
            add(f"zoom-breakout-runde-{round_no}.csv", text.encode("utf-8"))
    return buffer.getvalue()
