"""PDF: WeasyPrint over ``templates/export/document.html`` with ``static/css/print.css``.

Tagged (PDF/UA-1, so screen readers get headings, tables and reading order) with page numbers,
bookmarks and a table of contents. Nothing is fetched from the network: the stylesheet is read
from disk, the charts are inline SVG, and the URL fetcher refuses every URL that is not a file
under ``static/`` or a ``data:`` URL.
"""
from __future__ import annotations

from pathlib import Path

from flask import current_app
from markupsafe import Markup

from .charts import bar_chart, cluster_graph, poll_chart
from .model import Document
from .text import Words

ROOT = Path(__file__).resolve().parent.parent.parent
STATIC = ROOT / "static"
PRINT_CSS = STATIC / "css" / "print.css"
#: PDF/UA-1 where WeasyPrint manages it; plain tagged PDF is the fallback.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


class RefusedURL(Exception):
    pass


def local_only_fetcher():
    """A WeasyPrint URL fetcher that only reads ``data:`` URLs and files below ``static/``."""
    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                from urllib.parse import unquote, urlsplit

                path = Path(unquote(urlsplit(url).path)).resolve()
                if path.is_relative_to(STATIC.resolve()):
                    return super().fetch(url, headers)
            raise RefusedURL(f"refused to fetch {url[:200]}: exports read nothing from the network")

    return LocalOnly(allowed_protocols={"file", "data"}, allow_redirects=False)


def svgs(document: Document, words: Words) -> dict:
    graphs, moods, polls = {}, {}, {}
    for section in document.sections:
        if cluster := section.get("clusterkette"):
            graphs[section["item_id"]] = Markup(cluster_graph(
                cluster, title=words.t("cluster_graph", term=cluster["central_term"]),
                unsorted_label=words.t("unsorted"), more_label=words.t("more_terms")))
        if (blitz := section.get("blitzlicht")) and blitz.get("moods"):
            rows = [(value, count, str(count)) for value, count in blitz["moods"].items()]
            moods[section["item_id"]] = Markup(bar_chart(rows, title=words.t("moods"), width=420))
        for poll in section.get("polls", []):
            chart = poll_chart(poll, words)
            polls[poll["id"]] = Markup(chart) if chart else None
    return {"graphs": graphs, "moods": moods, "polls": polls}


def render_html(document: Document) -> str:
    words = Words.of(document)
    template = current_app.jinja_env.get_template("export/document.html")
    return template.render(
        doc=document, cover=document.workshop, sections=document.sections, w=words, svg=svgs(document, words),
        agenda_by_id={row["item_id"]: row for row in document.agenda["items"]},
    )


def render_pdf(document: Document, progress=None) -> bytes:
    """The PDF; ``progress(fraction, step)`` (optional) hears when the layout is done, the
    long part (``render`` maps it into the whole export's progress)."""
    from weasyprint import CSS, DEFAULT_OPTIONS, HTML

    fetcher = local_only_fetcher()
    html = HTML(string=render_html(document), base_url=str(STATIC) + "/", url_fetcher=fetcher)
    stylesheet = CSS(filename=str(PRINT_CSS), url_fetcher=fetcher)
    options = {**DEFAULT_OPTIONS, "stylesheets": [stylesheet], **PDF_OPTIONS}
    laid_out = html.render(**options)  # what write_pdf does, in two steps to report between them
    if progress:
        progress(0.8, "layout")
    return laid_out.write_pdf(**options)
