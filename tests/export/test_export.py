"""The documentation export: the RVR day run through with 31 simulated participants, exported in
every format and opened with each format's own reader (pypdf, python-docx, openpyxl, csv/zipfile,
json + jsonschema). Anonymised exports hold no name, named exports do; hidden contributions are
left out and counted; user text stays data (escaped HTML and Markdown, neutralised formulas)."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import zipfile

import pytest

from facilitator.export import FORMATS, render
from facilitator.export.labels import labels
from tests.conftest import ROOT
from tests.export import scenario as sc

ARTIFACTS = ROOT / "test-artifacts"
#: Texts that were hidden by the facilitators: in no export.
HIDDEN_TEXTS = [sc.OFF_TOPIC_TERM, sc.OFF_TOPIC_STATEMENT, sc.HIDDEN_OTHER, sc.HIDDEN_COMMENT]


@pytest.fixture(scope="module")
def de(ran_day):
    return labels("de")


@pytest.fixture(scope="module")
def exports(ran_day):
    """(fmt, named) -> Rendered, each format once anonymised and once named."""
    _app, day = ran_day
    return {(fmt, named): render(day.workshop, fmt, anonymised=not named) for fmt in FORMATS for named in (False, True)}


def flat(text: str) -> str:
    """PDF text as one line: hyphenation at line ends undone, whitespace collapsed."""
    text = re.sub(r"[\u2010\u00ad-]\n", "", text)
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return flat("\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages))


def docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def xlsx_cells(data: bytes) -> dict[str, list[list]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def csv_files(data: bytes) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
                for name in archive.namelist()}


def text_of(fmt: str, data: bytes) -> str:
    """Everything a reader of the file sees, as text."""
    if fmt == "pdf":
        return pdf_text(data)
    if fmt == "docx":
        return docx_text(data)
    if fmt == "xlsx":
        return "\n".join(str(v) for rows in xlsx_cells(data).values() for row in rows for v in row if v is not None)
    if fmt == "csv":
        return "\n".join(",".join(row) for rows in csv_files(data).values() for row in rows)
    if fmt == "md":  # what a Markdown reader shows: the escapes undone
        return re.sub(r"\\(.)", r"\1", data.decode("utf-8"))
    return data.decode("utf-8")


# --- the document --------------------------------------------------------------------------

def test_the_document_holds_the_day(ran_day):
    from facilitator.export.model import build_document

    _app, day = ran_day
    doc = build_document(day.workshop)
    assert doc.workshop["participant_count"] == len(day.participants) == 31
    assert {r["organisation_type"]: r["count"] for r in doc.workshop["organisation_types"]}["wirtschaft"] == 1
    rows = {r["title"]: r for r in doc.agenda["items"]}
    assert rows["Clusterkette „Grüne Infrastruktur“"]["drift_s"] == 4 * 60
    assert rows["Clusterkette „Grüne Infrastruktur“"]["extended_s"] == 60
    assert rows["Pause"]["replanned_s"] == -2 * 60
    assert doc.agenda["drift_s"] == 0  # re-planning brought the day back to 13:45
    sections = {s["title"]: s for s in doc.sections}
    chain = sections["Clusterkette „Grüne Infrastruktur“"]["clusterkette"]
    assert [c["name"] for c in chain["clusters"]] == list(sc.CLUSTERS)
    assert chain["entry_count"] == 62 and chain["hidden_count"] == 1
    terms = {t["text"]: t["count"] for c in chain["clusters"] for t in c["terms"]}
    assert terms["Bäume"] == 6  # "Bäume" and "Baum" merged
    assert sections["Choose your fighter"]["group_choice"]["round"] == 1
    assert sections["Mittagspause"]["group_choice"]["round"] == 2
    blitz = sections["Blitzlicht"]["blitzlicht"]
    assert blitz["count"] == 30 and blitz["hidden_count"] == 1
    assert sc.KNOWN_STATEMENT in [s["text"] for s in blitz["statements"]]
    [poll] = sections["Blitzlicht"]["polls"]
    assert poll["turnout"] == 31
    counts = {o["label"]: o["count"] for o in poll["results"]["options"]}
    assert counts["Immobilieneigentümer*innen"] == 21 and counts["Jugendliche"] == 21 and counts["Kultur"] == 16
    assert poll["results"]["other"]["answers"] == [sc.OTHER_ANSWER]
    assert poll["hidden_count"] == 1
    # the breakdown never shows a group of fewer than 3 people: the one "wirtschaft" voter is merged
    groups = {row["group"]: row["voters"] for row in poll["breakdown"]}
    assert "wirtschaft" not in groups and min(groups.values()) >= 3
    assert sections["Ausblick und Verabschiedung"]["notes"].count("Herbst 2023") == 1
    assert sections["Begrüßung"]["notes"] is None  # only the outlook's notes are documentation
    assert [b["text"] for b in doc.broadcasts] == [sc.BROADCAST, "Zurück ins Plenum"]
    assert doc.hidden_count == sum(day.hidden.values())


def test_real_breakout_work_is_documented(ran_day):
    """Part 1 of the group work, from the real workspaces: comments, rewordings, the new goal,
    dots (ranking), good practice, answers, the host's summary; the hidden comment counted."""
    from facilitator.export.model import build_document

    _app, day = ran_day
    if day.breakout is None:
        pytest.skip("the breakout workspaces (workspace.* intents) are not in this tree")
    doc = build_document(day.workshop, anonymised=False)
    part1 = next(s for s in doc.sections if s["title"] == "Arbeit in Themengruppen, Teil 1")["breakout"]
    group = next(g for g in part1["groups"] if g["name"] == day.breakout["group"])
    assert group["summary"] == sc.HOST_SUMMARY
    assert group["hidden_count"] == 1
    top, second = group["goals"][:2]
    assert top["text"] == day.breakout["top_goal"] and top["dots"] == day.breakout["members"] and top["is_result"]
    assert second["text"] == sc.NEW_GOAL and second["origin"] == "participant" and second["dots"] == 2
    assert [c["text"] for c in top["comments"]] == [sc.KNOWN_COMMENT]
    assert [p["title"] for p in group["practices"]] == [sc.KNOWN_PRACTICE]
    assert group["answers"][0]["items"][0]["text"] == "Förderprogramm Dachbegrünung"
    assert part1["hidden_count"] == 1


BREAKOUT_SUMMARY = {"round": 1, "groups": [{
    "id": 3, "name": "Klimaanpassung & Stadtklima", "host_name": "Hanna Host", "member_count": 7,
    "summary": "Kurze Zusammenfassung der Themenpatin.", "hidden_count": 2,
    "goals": [
        {"id": 12, "text": "Zweites Ziel", "origin": "template", "is_result": False, "dots": 1,
         "comments": [], "rewordings": []},
        {"id": 11, "text": "Kaltluftbahnen sichern", "origin": "template", "is_result": True, "dots": 5,
         "comments": [{"id": 1, "text": "Injizierter Kommentar", "author": "Zyx Injected", "organisation_type": "kommune",
                       "created_at": "2022-11-30T09:40:00Z"}],
         "rewordings": [{"id": 2, "text": "Kaltluft regional sichern", "author": None, "organisation_type": None,
                         "created_at": "2022-11-30T09:41:00Z"}]},
    ],
    "practices": [{"id": 4, "title": "Emscher-Umbau", "organisation": "EGLV", "text": "Renaturierung",
                   "link": "https://example.org/emscher", "author": "Zyx Injected", "organisation_type": "kommune",
                   "created_at": "2022-11-30T09:45:00Z"}],
    "answers": [{"question_index": 0, "question": "Welche Projekte …?", "items": [
        {"id": 5, "text": "Förderprogramm", "author": None, "organisation_type": "kreis", "created_at": "2022-11-30T09:50:00Z"}]}],
}]}


@pytest.fixture
def injected_breakout(ran_day, monkeypatch):
    """Breakout items answer with BREAKOUT_SUMMARY (the agreed shape), whatever the workspaces say."""
    from facilitator.export import model

    original = model.summary_of
    monkeypatch.setattr(model, "summary_of",
                        lambda item: BREAKOUT_SUMMARY if item.kind == "breakout" else original(item))
    return ran_day[1]


def test_breakout_section_from_the_agreed_summary_shape(injected_breakout):
    from facilitator.export.model import build_document

    doc = build_document(injected_breakout.workshop)
    part = next(s for s in doc.sections if s["title"] == "Arbeit in Themengruppen, Teil 1")["breakout"]
    [group] = part["groups"]
    assert [g["text"] for g in group["goals"]] == ["Kaltluftbahnen sichern", "Zweites Ziel"]  # by dots
    assert group["goals"][0]["comments"][0] == {"id": 1, "text": "Injizierter Kommentar", "organisation_type": "kommune",
                                                "created_at": "2022-11-30T09:40:00Z"}  # no author: anonymised
    assert "author" not in group["practices"][0]
    assert part["hidden_count"] == 2
    assert {r["type"] for r in part["rows"]} >= {"comment", "rewording", "practice", "answer"}
    named = build_document(injected_breakout.workshop, anonymised=False)
    part = next(s for s in named.sections if s["title"] == "Arbeit in Themengruppen, Teil 1")["breakout"]
    assert part["groups"][0]["goals"][0]["comments"][0]["author"] == "Zyx Injected"
    for fmt in FORMATS:
        text = text_of(fmt, render(injected_breakout.workshop, fmt).data)
        assert "Injizierter Kommentar" in text, fmt
        assert "Zyx Injected" not in text, fmt


def test_a_breakout_without_summary_renders_nothing(ran_day, monkeypatch):
    from facilitator.export import model

    original = model.summary_of
    monkeypatch.setattr(model, "summary_of", lambda item: {} if item.kind == "breakout" else original(item))
    doc = model.build_document(ran_day[1].workshop)
    part = next(s for s in doc.sections if s["title"] == "Arbeit in Themengruppen, Teil 1")
    assert "breakout" not in part and part["hidden_count"] == 0
    render(ran_day[1].workshop, "md")  # and nothing breaks


# --- every format --------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_has_the_content(exports, ran_day, fmt, de):
    rendered = exports[(fmt, False)]
    assert rendered.mimetype == FORMATS[fmt].mimetype
    assert rendered.filename.endswith("." + FORMATS[fmt].extension)
    assert rendered.filename.startswith("dokumentation-1-online-werkstatt-strategie-gruene")
    text = text_of(fmt, rendered.data)
    assert "Schatten" in text  # a Clusterkette term
    assert sc.KNOWN_STATEMENT in text  # a Blitzlicht statement
    assert sc.OTHER_ANSWER in text or fmt in ("csv", "xlsx")  # "Sonstige" entries (raw rows: see below)
    assert "Immobilieneigentümer*innen" in text  # a poll option …
    if ran_day[1].breakout is not None:
        assert sc.KNOWN_COMMENT in text  # a breakout comment
    for hidden in HIDDEN_TEXTS:
        assert hidden not in text, (fmt, hidden)
    if fmt not in ("csv", "xlsx", "json"):  # the documents (not the raw data) say what was left out
        assert de["agenda_as_run"] in text
        assert (de["hidden"] % {"n": 3}) in text or (de["hidden"] % {"n": 4}) in text


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_anonymised_exports_hold_no_name_and_named_ones_do(exports, ran_day, fmt):
    _app, day = ran_day
    anonymous = text_of(fmt, exports[(fmt, False)].data)
    named = text_of(fmt, exports[(fmt, True)].data)
    assert "Zyx" not in anonymous
    assert "Olga" not in anonymous  # nor the organiser's account
    present = [name for name in day.names if name in named]
    assert present, f"{fmt}: no participant name in the named export"
    assert exports[(fmt, True)].filename.endswith("-namentlich." + FORMATS[fmt].extension)


def test_json_is_complete_and_valid_against_the_schema(exports, ran_day):
    import jsonschema

    from facilitator.export.jsondoc import schema

    jsonschema.Draft202012Validator.check_schema(schema())
    for named in (False, True):
        data = json.loads(exports[("json", named)].data)
        jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker()).validate(data)
        assert data["schema_version"] == 1 and data["anonymised"] is (not named)
        assert len(data["sections"]) == 10
    # stable: a second export is the same document (but for when it was made)
    again = json.loads(render(ran_day[1].workshop, "json").data)
    first = json.loads(exports[("json", False)].data)
    again["generated_at"] = first["generated_at"]
    assert again == first


def test_json_schema_rejects_names_in_unexpected_places(exports):
    import jsonschema

    from facilitator.export.jsondoc import schema

    data = json.loads(exports[("json", False)].data)
    data["workshop"]["participant_names"] = ["Zyx"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())


def test_pdf_is_tagged_german_with_contents_and_page_numbers(exports, de, ran_day):
    from pypdf import PdfReader

    data = exports[("pdf", False)].data
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert len(reader.pages) >= 8
    assert reader.metadata.title.startswith("1. Online-Werkstatt Strategie Grüne Infrastruktur")
    outline = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    assert "Clusterkette „Grüne Infrastruktur“" in outline and de["agenda_as_run"] in outline
    contents = flat(reader.pages[1].extract_text())
    assert contents.startswith(de["contents"])
    assert re.search(r"Blitzlicht\s*\.*\s*\d+", contents), contents  # an entry with its page number
    last = flat(reader.pages[-1].extract_text())
    assert f"{len(reader.pages)} / {len(reader.pages)}" in last
    # the Clusterkette graph is vector graphics with text: its labels are in the PDF's text
    assert any("Stadtbäume (4)" in (page.extract_text() or "") for page in reader.pages)


def test_pdf_fetches_nothing_from_the_network(ran_day, monkeypatch):
    """User text with HTML in it stays text; the only URLs WeasyPrint may read are our files."""
    from facilitator.export import pdf

    fetched = []
    make = pdf.local_only_fetcher

    def spying():
        fetcher = make()
        original = fetcher.fetch

        def fetch(url, headers=None):
            fetched.append(url)
            return original(url, headers)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(pdf, "local_only_fetcher", spying)
    workshop = ran_day[1].workshop
    old = workshop.description
    workshop.description = '<img src="https://example.org/track.png"><link rel="stylesheet" href="http://example.org/x.css">'
    try:
        data = render(workshop, "pdf").data
        html = pdf.render_html(__import__("facilitator.export.model", fromlist=["x"]).build_document(workshop))
    finally:
        workshop.description = old
    assert "&lt;img src=" in html and "<img" not in html
    assert all(url.startswith(("file://", "data:")) for url in fetched), fetched
    assert "track.png" in pdf_text(data)  # shown as text
    with pytest.raises(pdf.RefusedURL):
        pdf.local_only_fetcher().fetch("https://example.org/font.woff")
    with pytest.raises(pdf.RefusedURL):
        pdf.local_only_fetcher().fetch("file:///etc/passwd")


def test_pdf_first_page_as_png_for_people(exports):
    """Page 1 (and the Clusterkette page) as PNG in test-artifacts/ to look at."""
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm is missing: install Debian's poppler-utils (apt-get install poppler-utils)")
        pytest.skip("pdftoppm not installed (Debian package poppler-utils)")
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / "export.pdf"
    source.write_bytes(exports[("pdf", False)].data)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(ARTIFACTS / "export-page-1")], check=True, timeout=60)
    png = ARTIFACTS / "export-page-1.png"
    assert png.exists() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000  # not blank


def test_docx_has_real_headings_and_tables(exports, de):
    from docx import Document

    doc = Document(io.BytesIO(exports[("docx", False)].data))
    headings = {p.text: p.style.name for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))}
    assert headings["1. Online-Werkstatt Strategie Grüne Infrastruktur"] == "Title"
    assert headings[de["agenda_as_run"]] == "Heading 1"
    assert headings["Blitzlicht"] == "Heading 1"
    assert headings["Clusterkette „Grüne Infrastruktur“"] == "Heading 1"
    agenda = next(t for t in doc.tables if t.rows[0].cells[0].text == de["item"])
    assert len(agenda.rows) == 1 + 10 + 1
    assert [c.text for c in agenda.rows[3].cells][:4] == ["Clusterkette „Grüne Infrastruktur“", "09:50–10:00",
                                                          "09:54–10:04", "+4 min"]
    poll = next(t for t in doc.tables if t.rows[0].cells[0].text == de["answer"] and len(t.columns) == 3)
    assert [c.text for c in poll.rows[1].cells] == ["Immobilieneigentümer*innen", "21", "68 %"]


def test_xlsx_has_an_overview_and_one_sheet_per_activity_with_raw_rows(exports, de):
    sheets = xlsx_cells(exports[("xlsx", False)].data)
    names = list(sheets)
    assert names[0] == de["overview"][:31]
    assert any("Clusterkette" in n or de["clusterkette"] in n for n in names)
    for name in names[1:]:
        header = sheets[name][0]
        assert header[0] == de["timestamp"], name
        if name != de["broadcasts"][:31]:
            assert header[1] == de["organisation_type"], name
    cluster = next(rows for n, rows in sheets.items() if n.startswith("03"))
    assert len(cluster) == 1 + 62  # one row per visible entry
    assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", row[0]) for row in cluster[1:])
    blitz = next(rows for n, rows in sheets.items() if n.startswith("09") and de["blitzlicht"] in n)
    statements = [row[2] for row in blitz[1:]]
    assert sc.KNOWN_STATEMENT in statements
    assert "'" + sc.FORMULA_STATEMENT in statements  # text, not a formula
    poll = next(rows for n, rows in sheets.items() if n.startswith("09") and de["poll"] in n)
    assert len(poll) == 1 + 31 and sc.OTHER_ANSWER in [row[3] for row in poll]
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(exports[("xlsx", False)].data))
    assert all(cell.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for cell in row)
    assert book.worksheets[1].tables  # an Excel table (filters, pivot source)


def test_csv_zip_has_one_file_per_activity_and_neutralises_formulas(exports, de):
    files = csv_files(exports[("csv", False)].data)
    assert "00-programm.csv" in files and "03-clusterkette.csv" in files and "09-blitzlicht.csv" in files
    assert not any(name.startswith("zoom") for name in files)  # names: named export only
    blitz = files["09-blitzlicht.csv"]
    assert blitz[0][:3] == [de["timestamp"], de["organisation_type"], de["statement"]]
    statements = [row[2] for row in blitz[1:]]
    assert "'" + sc.FORMULA_STATEMENT in statements and sc.FORMULA_STATEMENT not in statements
    assert len(files["03-clusterkette.csv"]) == 1 + 62
    named = csv_files(exports[("csv", True)].data)
    assert {"zoom-breakout-runde-1.csv", "zoom-breakout-runde-2.csv"} <= set(named)
    assert named["zoom-breakout-runde-1.csv"][0][:2] == ["Pre-assign Room Name", "Email Address"]


def test_markdown_keeps_user_text_as_data(exports):
    from facilitator.export.markdown import esc

    text = exports[("md", False)].data.decode()
    assert "\n# 1. Online-Werkstatt" not in text and text.startswith("# 1\\. Online-Werkstatt")
    line = next(line for line in text.splitlines() if "Titel" in line and "Spalte" in line)
    assert line.startswith("- \\# Titel \\[Link\\](https://example.org) \\<b\\>fett\\</b\\> \\| Spalte"), line
    assert esc("a\nb") == "a b"
    assert esc("- not a list") == "\\- not a list"
    assert esc("*bold* _it_ `code`") == "\\*bold\\* \\_it\\_ \\`code\\`"


def test_english_headings_on_request(ran_day):
    from facilitator.export.model import build_document

    doc = build_document(ran_day[1].workshop, locale="en")
    assert doc.locale == "en"
    text = render(ran_day[1].workshop, "md", locale="en").data.decode()
    assert "## Agenda as planned and as run" in text
    assert render(ran_day[1].workshop, "md", locale="en").filename.startswith("documentation-")


def test_progress_is_reported_and_unknown_formats_refused(ran_day):
    from facilitator.core.errors import InvalidPayload

    steps = []
    render(ran_day[1].workshop, "md", progress=lambda fraction, step: steps.append((fraction, step)))
    assert [f for f, _s in steps] == sorted(f for f, _s in steps) and steps[-1] == (1.0, "done") and len(steps) >= 3
    steps = []
    render(ran_day[1].workshop, "pdf", progress=lambda fraction, step: steps.append((fraction, step)))
    assert [s for _f, s in steps] == ["collect", "render", "layout", "done"]
    with pytest.raises(InvalidPayload) as err:
        render(ran_day[1].workshop, "odt")
    assert err.value.code == "unknown_export_format"


def test_every_heading_has_a_german_translation_pending_or_merged():
    """New msgids of the export wait in .i18n-pending/export.json until they are merged into the catalog."""
    from babel.messages.pofile import read_po

    source = (ROOT / "facilitator" / "export" / "labels.py").read_text(encoding="utf-8")
    msgids = set(re.findall(r'_\("((?:[^"\\]|\\.)*)"\)', source))
    with (ROOT / "translations" / "de" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = {m.id for m in read_po(po) if m.id and m.string}
    pending_path = ROOT / ".i18n-pending" / "export.json"
    pending = json.loads(pending_path.read_text(encoding="utf-8")) if pending_path.exists() else {}
    missing = sorted(m for m in msgids if m not in catalog and m not in pending)
    assert not missing, missing


# --- the command line ---------------------------------------------------------------------------

def test_cli_writes_an_export(ran_day, tmp_path):
    app, day = ran_day
    runner = app.test_cli_runner()
    target = tmp_path / "doku.json"
    result = runner.invoke(args=["workshop", "export", day.workshop.code, "--format", "json", "-o", str(target)])
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["anonymised"] is True and "Zyx" not in target.read_text(encoding="utf-8")
    result = runner.invoke(args=["workshop", "export", day.workshop.code, "--format", "md", "-o", str(tmp_path), "--named"])
    assert result.exit_code == 0, result.output
    [written] = list(tmp_path.glob("*-namentlich.md"))
    assert "Zyx" in written.read_text(encoding="utf-8")
    result = runner.invoke(args=["workshop", "export", "NOSUCH", "--format", "pdf", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "no workshop NOSUCH" in result.output
    result = runner.invoke(args=["workshop", "export", day.workshop.code, "--format", "odt"])
    assert result.exit_code != 0


def test_control_characters_and_formulas_do_not_break_the_office_formats(ran_day):
    """People paste anything: a vertical tab in a statement must not make DOCX/XLSX invalid XML."""
    from facilitator.blitzlicht.models import Statement
    from facilitator.export.text import safe_cell
    from facilitator.extensions import db

    statement = db.session.execute(db.select(Statement).filter_by(is_hidden=False)).scalars().first()
    statement.text = "Zeile\x0bmit\x00Steuerzeichen"
    try:
        for fmt in ("docx", "xlsx"):
            text = text_of(fmt, render(ran_day[1].workshop, fmt).data)
            assert "ZeilemitSteuerzeichen" in text
    finally:
        db.session.rollback()  # the module's day was committed; this change was not
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("@SUM(A1)") == "'@SUM(A1)" and safe_cell(5) == 5
    assert safe_cell("-3 Grad") == "'-3 Grad" and safe_cell(None) == ""


def test_a_blank_workshop_that_never_ran_exports_in_every_format(ran_day):
    """No items, no date, no participants: every format still makes a valid file."""
    import jsonschema

    from facilitator.export.jsondoc import schema
    from facilitator.extensions import db
    from facilitator.workshops.operations import create_workshop

    blank = create_workshop(None, "Leere Werkstatt")
    db.session.flush()
    try:
        for fmt in FORMATS:
            rendered = render(blank, fmt)
            assert rendered.data, fmt
            assert "Leere Werkstatt" in text_of(fmt, rendered.data) or fmt in ("csv",), fmt
        jsonschema.validate(json.loads(render(blank, "json").data), schema())
    finally:
        db.session.rollback()
