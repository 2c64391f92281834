"""The documentation export: a workshop as it ran, in six formats from one model.

``render(workshop, fmt)`` is the entry point for the CLI and the background job::

    rendered = render(workshop, "pdf", anonymised=True, progress=lambda f, step: ...)
    rendered.data, rendered.filename, rendered.mimetype

``model.build_document`` builds the one data model; each format has ``render_<fmt>(document)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..core.errors import InvalidPayload


@dataclass(frozen=True)
class Format:
    label: str
    extension: str
    mimetype: str


#: fmt -> label, file extension, MIME type (in the order a format choice offers them).
FORMATS: dict[str, Format] = {
    "pdf": Format("PDF", "pdf", "application/pdf"),
    "docx": Format("Word (DOCX)", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": Format("Excel (XLSX)", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": Format("CSV (ZIP)", "zip", "application/zip"),
    "md": Format("Markdown", "md", "text/markdown; charset=utf-8"),
    "json": Format("JSON", "json", "application/json"),
}


@dataclass(frozen=True)
class Rendered:
    data: bytes
    filename: str
    mimetype: str


def renderer(fmt: str) -> Callable:
    """The ``render_<fmt>(document) -> bytes`` function of a format."""
    if fmt == "pdf":
        from .pdf import render_pdf
        return render_pdf
    if fmt == "docx":
        from .word import render_docx
        return render_docx
    if fmt == "xlsx":
        from .spreadsheet import render_xlsx
        return render_xlsx
    if fmt == "csv":
        from .csvzip import render_csv
        return render_csv
    if fmt == "md":
        from .markdown import render_markdown
        return render_markdown
    if fmt == "json":
        from .jsondoc import render_json
        return render_json
    raise InvalidPayload(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}", code="unknown_export_format")


def filename_for(document, fmt: str) -> str:
    from .text import slug

    cover = document.workshop
    parts = ["dokumentation" if document.locale == "de" else "documentation", slug(cover["title"])]
    if cover.get("date"):
        parts.append(cover["date"])
    if not document.anonymised:
        parts.append("namentlich" if document.locale == "de" else "named")
    return "-".join(parts) + "." + FORMATS[fmt].extension


def render(workshop, fmt: str, *, anonymised: bool = True, locale: str = "de",
           progress: Callable[[float, str], None] | None = None) -> Rendered:
    """The workshop's documentation in ``fmt`` (a key of FORMATS); needs an app context.

    :param anonymised: True (default): no participant's name anywhere.
    :param locale: ``de`` (default) or ``en`` for the headings.
    :param progress: called as ``progress(fraction, step)`` a few times with growing fractions:
        ``0.0 "collect"``, ``0.4 "render"``, (PDF: ``0.8 "layout"``), ``1.0 "done"``.
    :raises InvalidPayload: ``unknown_export_format``, or ``invalid_payload`` for an unknown locale.
    """
    from .model import build_document

    report = progress or (lambda fraction, step: None)
    if fmt not in FORMATS:
        raise InvalidPayload(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}", code="unknown_export_format")
    render_fmt = renderer(fmt)
    report(0.0, "collect")
    document = build_document(workshop, anonymised=anonymised, locale=locale)
    report(0.4, "render")
    if fmt == "pdf":  # the long one: it reports when its layout is done
        data = render_fmt(document, progress=report)
    else:
        data = render_fmt(document)
    report(1.0, "done")
    return Rendered(data=data, filename=filename_for(document, fmt), mimetype=FORMATS[fmt].mimetype)
