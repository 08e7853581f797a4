"""Self-contained HTML pieces for the report and show pages: a page shell with its
CSS, colours, and small inline-SVG charts. No scripts from outside, no CDN: the
pages open offline."""
from __future__ import annotations

from html import escape
from typing import Dict, List, Sequence, Tuple

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#d62728", "#2ca02c", "#9467bd")

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#222;
  background:#fafafa;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.6em 0 .5em;border-bottom:1px solid #ddd}
.meta{color:#666;font-size:.9em}
table{border-collapse:collapse;font-size:.9em;margin:.5em 0}
th,td{padding:4px 10px;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}
.status-ok{color:#2a7a2a}.status-failed{color:#b00020;font-weight:600}
.turn{background:#fff;border:1px solid #e2e2e2;border-left:6px solid var(--c);border-radius:6px;
  margin:12px 0;padding:10px 14px}
.turn header{font-weight:600;margin-bottom:4px}.turn header .role{font-weight:400;color:#666}
.badge{display:inline-block;font-size:.75em;padding:1px 7px;border-radius:9px;margin-left:6px;
  background:#eee;color:#333;font-weight:400}
.topic{background:#e8f0fe;color:#1a4c9c}
.sent{margin:.25em 0}
mark.entity{padding:.1em .3em;margin:0 .1em;border-radius:.3em;line-height:1.9}
mark.entity .label{font-size:.65em;font-weight:700;margin-left:.4em;text-transform:uppercase;
  vertical-align:middle}
.notes{color:#888;font-style:italic;font-size:.85em}
svg text{font-family:system-ui,sans-serif;font-size:12px;fill:#333}
"""


def page(title: str, body: str) -> str:
    """A whole HTML document: the title, the CSS, the body; ``data-rendered`` is set by the
    only script, an inline one at the end, once the page is parsed (tests read it)."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{CSS}</style></head>"
            f"<body><main>{body}</main><script>"
            "document.body.dataset.rendered=document.querySelectorAll('svg').length+' svg';"
            "</script></body></html>\n")


def colours(keys: Sequence[str]) -> Dict[str, str]:
    """A stable colour per key (keys in the order given)."""
    return {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(keys)}


def table(header: Sequence[str], rows: Sequence[Sequence[object]],
          classes: Sequence[str] = ()) -> str:
    """An HTML table; ``classes`` per column (e.g. ``num``); cells are escaped unless they
    are :class:`Raw`."""
    def cell(v, k):
        cls = f' class="{classes[k]}"' if k < len(classes) and classes[k] else ""
        text = v.html if isinstance(v, Raw) else escape("" if v is None else str(v))
        return f"<td{cls}>{text}</td>"

    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(cell(v, k) for k, v in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class Raw:
    """Markup that :func:`table` must not escape."""

    def __init__(self, html: str):
        self.html = html


def bar_chart(items: Sequence[Tuple[str, float, str]], width: int = 760,
              fmt: str = "{:,.0f}") -> str:
    """Horizontal bars: ``(label, value, note)`` each, the longest bar full width."""
    if not items:
        return "<p class=\"meta\">No data.</p>"
    label_w, row_h, note_w = 220, 22, 170
    top = max(v for _, v, _ in items) or 1
    bar_w = width - label_w - note_w
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
           f'height="{row_h * len(items) + 6}" role="img">']
    for k, (label, value, note) in enumerate(items):
        y = 3 + k * row_h
        w = max(1.0, bar_w * value / top)
        out.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
                   f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                   f'fill="{PALETTE[0]}"><title>{escape(label)}: {fmt.format(value)}</title></rect>'
                   f'<text x="{label_w + w + 6:.1f}" y="{y + 15}">{escape(fmt.format(value))} '
                   f'{escape(note)}</text>')
    out.append("</svg>")
    return "".join(out)


def heatmap(rows: Sequence[str], cols: Sequence[str], values: List[List[float]],
            counts: List[List[int]]) -> str:
    """A grid, darker for a larger share (``values`` in [0, 1]); ``counts`` printed in cells."""
    if not rows or not cols:
        return "<p class=\"meta\">No data.</p>"
    label_w, head_h, cw, ch = 200, 130, 46, 24
    width, height = label_w + cw * len(cols) + 90, head_h + ch * len(rows) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">']
    for j, c in enumerate(cols):
        x = label_w + j * cw + cw / 2
        out.append(f'<text transform="translate({x:.1f},{head_h - 6}) rotate(-45)">'
                   f'{escape(c)}</text>')
    for i, r in enumerate(rows):
        y = head_h + i * ch
        out.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{escape(r)}</text>')
        for j, c in enumerate(cols):
            v, n = values[i][j], counts[i][j]
            x = label_w + j * cw
            fill = f"rgba(78,121,167,{0.06 + 0.94 * min(1.0, v):.3f})"
            ink = "#fff" if v > 0.5 else "#333"
            out.append(f'<rect x="{x}" y="{y}" width="{cw - 2}" height="{ch - 2}" fill="{fill}">'
                       f'<title>{escape(r)} / {escape(c)}: {n} ({v:.0%})</title></rect>')
            if n:
                out.append(f'<text x="{x + cw / 2 - 1}" y="{y + 16}" text-anchor="middle" '
                           f'style="fill:{ink}">{n}</text>')
    out.append("</svg>")
    return "".join(out)


def timeline(n_chars: int, turns: Sequence[Tuple[int, int, str]], speaker_colour: Dict[str, str],
             topics: Sequence[Tuple[str, Sequence[int]]], width: int = 1000) -> str:
    """One transcript along x (character position): a band of turns coloured by speaker,
    then a row per topic with a tick at every mention."""
    label_w, band_h, row_h = 150, 16, 16
    span = max(1, n_chars)
    plot_w = width - label_w - 10
    height = band_h + 8 + row_h * len(topics) + 6

    def x(pos: int) -> float:
        return label_w + plot_w * pos / span

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">',
           f'<text x="{label_w - 8}" y="12" text-anchor="end">speaker</text>']
    for a, b, speaker in turns:
        out.append(f'<rect x="{x(a):.1f}" y="1" width="{max(0.8, x(b) - x(a)):.1f}" '
                   f'height="{band_h - 2}" fill="{speaker_colour.get(speaker, "#999")}">'
                   f'<title>{escape(speaker)}</title></rect>')
    for k, (topic, positions) in enumerate(topics):
        y = band_h + 8 + k * row_h
        out.append(f'<text x="{label_w - 8}" y="{y + 12}" text-anchor="end">{escape(topic)}</text>'
                   f'<line x1="{label_w}" x2="{label_w + plot_w}" y1="{y + 8}" y2="{y + 8}" '
                   'stroke="#e4e4e4"/>')
        for pos in positions:
            out.append(f'<rect x="{x(pos) - 1:.1f}" y="{y + 2}" width="2.5" height="12" '
                       f'fill="{PALETTE[2]}"/>')
    out.append("</svg>")
    return "".join(out)


def legend(colour: Dict[str, str]) -> str:
    return "".join(f'<span class="badge" style="background:{c};color:#fff">{escape(k)}</span>'
                   for k, c in colour.items())
