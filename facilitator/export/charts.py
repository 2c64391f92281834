"""Charts as SVG made in Python (no browser, no JavaScript): poll bars and the Clusterkette graph.

Every text is XML-escaped; every layout is deterministic (the same document gives the same SVG),
so exports are reproducible and the tests can compare them.
"""
from __future__ import annotations

import math
from xml.sax.saxutils import escape

FONT = "DejaVu Sans, Liberation Sans, sans-serif"
INK = "#1f2a33"
MUTED = "#5b6770"
BAR = "#2f7d4f"
PALETTE = ["#2f7d4f", "#2b6c9e", "#a05a00", "#7a4b9e", "#b23a48", "#3f7f7f", "#6d6d2b", "#555f99"]


def _attr(value) -> str:
    return escape(str(value), {'"': "&quot;"})


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(rows: list[tuple[str, int, str]], *, title: str, width: int = 640) -> str:
    """Horizontal bars: ``rows`` of (label, count, value text), in the given order."""
    bar_h, gap, label_w, value_w = 18, 8, 250, 70
    height = len(rows) * (bar_h + gap) + gap
    top = max((count for _label, count, _text in rows), default=0) or 1
    span = width - label_w - value_w - 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, count, text) in enumerate(rows):
        y = gap + index * (bar_h + gap)
        length = span * count / top
        parts.append(f'<text x="{label_w - 8}" y="{y + bar_h - 5}" text-anchor="end" fill="{INK}">'
                     f"{escape(_shorten(label, 38))}</text>")
        parts.append(f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar_h}" fill="{BAR}" rx="2"/>')
        parts.append(f'<text x="{label_w + length + 6:.1f}" y="{y + bar_h - 5}" fill="{MUTED}">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def cluster_graph(cluster_part: dict, *, title: str, unsorted_label: str, more_label: str,
                  size: int = 640, terms_per_cluster: int = 10) -> str:
    """The Clusterkette as a radial graph: the central term in the middle, the clusters (and the
    unsorted terms) evenly around it, each cluster's terms on a small arc behind it; circle area
    grows with the term's count. Clusters keep their order (clockwise from the top), terms are
    shown most frequent first (at most ``terms_per_cluster``, the rest counted)."""
    groups = [(c["name"], c["terms"]) for c in cluster_part["clusters"]]
    if cluster_part["unclustered"]:
        groups.append((unsorted_label, cluster_part["unclustered"]))
    cx = cy = size / 2
    pad = 110
    ring = size * 0.24  # distance of the cluster labels from the centre
    outer = size * 0.40  # distance of the terms
    parts = [
        # the viewBox leaves room for the labels of the outermost terms (left and right of the circle)
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" role="img" width="{size + 2 * pad}" '
        f'height="{size}" viewBox="{-pad} 0 {size + 2 * pad} {size}" font-family="{FONT}" font-size="10">',
        f"<title>{escape(title)}</title>",
    ]
    edges, nodes = [], []
    n = max(len(groups), 1)
    sector = 2 * math.pi / n
    for gi, (name, terms) in enumerate(groups):
        colour = PALETTE[gi % len(PALETTE)] if name != unsorted_label else "#7d868c"
        angle = -math.pi / 2 + gi * sector
        gx, gy = cx + ring * math.cos(angle), cy + ring * math.sin(angle)
        edges.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{gx:.1f}" y2="{gy:.1f}" stroke="{colour}" '
                     f'stroke-width="2"/>')
        shown = sorted(terms, key=lambda t: (-t["count"], t["id"]))[:terms_per_cluster]
        rest = len(terms) - len(shown)
        spread = min(sector * 0.92, math.pi * 0.6)
        for ti, term in enumerate(shown):
            offset = (ti - (len(shown) - 1) / 2) * (spread / max(len(shown) - 1, 1)) if len(shown) > 1 else 0
            # three staggered radii so neighbouring labels do not collide
            radius = outer - size * 0.07 + (ti % 3) * size * 0.07
            ta = angle + offset
            tx, ty = cx + radius * math.cos(ta), cy + radius * math.sin(ta)
            r = 3 + 2.2 * math.sqrt(term["count"])
            edges.append(f'<line x1="{gx:.1f}" y1="{gy:.1f}" x2="{tx:.1f}" y2="{ty:.1f}" stroke="{colour}" '
                         f'stroke-opacity="0.45"/>')
            anchor = "start" if math.cos(ta) > 0.2 else "end" if math.cos(ta) < -0.2 else "middle"
            dx = r + 3 if anchor == "start" else -(r + 3) if anchor == "end" else 0
            dy = 3 if anchor != "middle" else (r + 10 if math.sin(ta) > 0 else -(r + 3))
            nodes.append(f'<circle cx="{tx:.1f}" cy="{ty:.1f}" r="{r:.1f}" fill="{colour}" fill-opacity="0.8"/>')
            nodes.append(f'<text x="{tx + dx:.1f}" y="{ty + dy:.1f}" text-anchor="{anchor}" fill="{INK}">'
                         f"{escape(_shorten(term['text'], 22))} ({term['count']})</text>")
        if rest > 0:
            nodes.append(f'<text x="{gx:.1f}" y="{gy + 22:.1f}" text-anchor="middle" fill="{MUTED}">'
                         f"{escape(more_label % {'n': rest})}</text>")
        label = _shorten(name, 24)
        w = 7 * len(label) + 14
        nodes.append(f'<rect x="{gx - w / 2:.1f}" y="{gy - 10:.1f}" width="{w:.1f}" height="20" rx="10" '
                     f'fill="#ffffff" stroke="{colour}" stroke-width="1.5"/>')
        nodes.append(f'<text x="{gx:.1f}" y="{gy + 4:.1f}" text-anchor="middle" font-size="11" font-weight="bold" '
                     f'fill="{colour}">{escape(label)}</text>')
    central = _shorten(cluster_part["central_term"], 30)
    w = 8 * len(central) + 24
    nodes.append(f'<rect x="{cx - w / 2:.1f}" y="{cy - 15:.1f}" width="{w:.1f}" height="30" rx="15" fill="{INK}"/>')
    nodes.append(f'<text x="{cx:.1f}" y="{cy + 5:.1f}" text-anchor="middle" font-size="13" font-weight="bold" '
                 f'fill="#ffffff">{escape(central)}</text>')
    parts.extend(edges)
    parts.extend(nodes)
    parts.append("</svg>")
    return "".join(parts)


def poll_chart(poll: dict, words) -> str | None:
    """The bar chart of a poll's results, or None for open text (its answers are a list)."""
    results = poll["results"]
    voters = results.get("voters", 0)
    if "options" in results:
        rows = [(o["label"], o["count"], f"{o['count']} · {words.percent(o['share'])}") for o in results["options"]]
        if "other" in results:
            rows.append((words.t("other"), results["other"]["count"],
                         f"{results['other']['count']} · {words.percent(results['other']['share'])}"))
    elif "scale" in results:
        rows = [(str(d["value"]), d["count"], f"{d['count']} · {words.percent(d['share'])}")
                for d in results["scale"]["distribution"]]
    elif "ranking" in results:
        rows = [(r["label"], r["points"], f"{r['points']}") for r in results["ranking"]]
    else:
        return None
    return bar_chart(rows, title=f"{poll['question']} ({words.t('voters', n=voters)})")
