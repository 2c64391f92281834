"""XLSX (openpyxl): an overview sheet and one sheet per activity with raw rows (timestamp,
organisation type, content …) as a table, ready for pivot tables."""
from __future__ import annotations

import io
import re

from .model import Document
from .text import Words, safe_cell, tables, xml_safe_document

_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(name: str, taken: set[str]) -> str:
    """Excel: at most 31 characters, none of ``[]:*?/\\``, unique (case-insensitive)."""
    base = _SHEET_CHARS.sub("-", name)[:31].strip() or "Sheet"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def render_xlsx(document: Document) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table as SheetTable, TableStyleInfo

    document = xml_safe_document(document)
    w = Words.of(document)
    book = Workbook()
    overview = book.active
    taken: set[str] = set()
    overview.title = _sheet_title(w.t("overview"), taken)
    cover = document.workshop
    agenda = document.agenda
    bold = Font(bold=True)
    overview.append([cover["title"]])
    overview["A1"].font = Font(bold=True, size=14)
    for key, value in [
        ("date", w.day(cover["date"])),
        ("time", f"{w.clock(agenda['actual_start'] or agenda['planned_start'])}–"
                 f"{w.clock(agenda['actual_end'] or agenda['planned_end'])}"),
        ("organiser", cover.get("organiser") or ""),
        ("format", w.format(cover["format"]) + (f" · {cover['venue']}" if cover.get("venue") else "")),
        ("participants", cover["participant_count"]),
    ]:
        overview.append([w.t(key), safe_cell(value)])
    overview.append([w.t("anonymised_note") if document.anonymised else w.t("named_note")])
    overview.append([w.hidden(document.hidden_count)])
    overview.append([])
    overview.append([w.t("organisation_type"), w.t("count")])
    for cell in overview[overview.max_row]:
        cell.font = bold
    for row in cover["organisation_types"]:
        overview.append([w.org(row["organisation_type"]), row["count"]])
    overview.append([])
    overview.append([w.t("item"), w.t("kind"), w.t("planned_time"), w.t("actual_time"), w.t("drift"),
                     w.t("changes")])
    for cell in overview[overview.max_row]:
        cell.font = bold
    for row in agenda["items"]:
        overview.append([safe_cell(row["title"]), w.kind(row["kind"]),
                         f"{w.clock(row['planned_start'])}–{w.clock(row['planned_end'])}",
                         f"{w.clock(row['actual_start'])}–{w.clock(row['actual_end'])}",
                         w.drift(row["drift_s"]), w.changes(row)])
    overview.append([])
    overview.append([w.t("sheet"), w.t("activity"), w.t("rows")])
    for cell in overview[overview.max_row]:
        cell.font = bold
    overview.column_dimensions["A"].width = 42
    for letter in "BCDEF":
        overview.column_dimensions[letter].width = 18

    for index, table in enumerate(tables(document, w), start=1):
        sheet = book.create_sheet(_sheet_title(table.name, taken))
        overview.append([sheet.title, table.name, len(table.rows)])
        sheet.append(table.header)
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append([safe_cell(v) for v in row])
        for col, _title in enumerate(table.header, start=1):
            sheet.column_dimensions[get_column_letter(col)].width = 20 if col > 2 else 19
        content_col = table.header.index(w.t("content")) + 1 if w.t("content") in table.header else 3
        sheet.column_dimensions[get_column_letter(content_col)].width = 50
        sheet.freeze_panes = "A2"
        if table.rows:  # a real Excel table: filters, and pivot tables pick up its range
            ref = f"A1:{get_column_letter(len(table.header))}{len(table.rows) + 1}"
            sheet_table = SheetTable(displayName=f"T{index}", ref=ref)
            sheet_table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
            sheet.add_table(sheet_table)
    book.properties.title = cover["title"]
    book.properties.creator = "Werkstatt"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
