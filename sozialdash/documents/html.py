"""A Datenblatt as one self-contained HTML file: styles inline, images as data URIs, sparklines as inline SVG, no
script and no request to anywhere, so it opens offline in any browser, prints on A4 and can be mailed.

Every text is escaped here, once; the model holds plain text only.
"""

from __future__ import annotations

import base64
from html import escape

from sozialdash.documents.model import (Beside, Bullets, Gallery, Document, Heading, Image, Spark, Swatch, Table, Terms, Text,
                                        spark_segments)
from sozialdash.views.colors import text_colour_on

SPARK_W, SPARK_H = 60, 16

STYLE = """
@page { size: A4 PAGE_ORIENTATION; margin: 16mm; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #1f2328; font-size: 10pt;
       line-height: 1.4; max-width: MAX_WIDTH; margin: 1.5em auto; padding: 0 1em; }
header.run { display: flex; justify-content: space-between; color: #59636e; font-size: 8pt;
             border-bottom: 1px solid #d0d7de; padding-bottom: 3px; }
header.run .demo { color: #9a6700; font-weight: bold; }
h1 { font-size: 18pt; margin: 0.6em 0 0.1em; }
.subtitle { color: #59636e; margin: 0 0 1em; }
h2 { font-size: 12pt; margin: 1.2em 0 0.4em; break-after: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin-bottom: 0.3em; }
table.compact { width: auto; } table.compact td.swatch { min-width: 5em; }
th { background: #f0f2f5; text-align: left; }
th, td { border-bottom: 1px solid #d0d7de; padding: 2px 4px; vertical-align: middle; }
td.num { text-align: right; white-space: nowrap; } th.num { text-align: right; }
td.swatch { text-align: center; min-width: 12px; }
tr.group td { font-weight: bold; font-size: 9pt; padding-top: 8px; border-bottom: 1px solid #59636e; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
figure { margin: 0.5em 0; break-inside: avoid; }
.gallery { display: grid; gap: 4mm; } .gallery img { width: 100% !important; }
.beside { display: flex; gap: 6mm; align-items: flex-start; } .beside > div { flex: 1; }
figcaption, .small { color: #59636e; font-size: 8pt; }
dl dt { font-weight: bold; } dl dd { margin: 0 0 0.4em 0; }
footer { color: #59636e; font-size: 8pt; border-top: 1px solid #d0d7de; margin-top: 2em; padding-top: 3px; }
"""


def _spark(cell: Spark) -> str:
    parts = []
    for run in spark_segments(cell.values, SPARK_W, SPARK_H):
        points = [(round(x, 1), round(SPARK_H - y, 1)) for x, y in run]
        if len(points) == 1:
            parts.append(f'<circle cx="{points[0][0]}" cy="{points[0][1]}" r="1.2" fill="#1f2328"/>')
        else:
            parts.append('<polyline fill="none" stroke="#1f2328" stroke-width="1" points="'
                         + " ".join(f"{x},{y}" for x, y in points) + '"/>')
    return (f'<svg width="{SPARK_W}" height="{SPARK_H}" viewBox="0 0 {SPARK_W} {SPARK_H}" role="img" '
            f'aria-label="Verlauf">{"".join(parts)}</svg>')


def _cell(cell, numeric: bool) -> str:
    if isinstance(cell, Swatch):
        return (f'<td class="swatch" style="background:{escape(cell.colour)};'
                f'color:{text_colour_on(cell.colour)}">{escape(cell.text)}</td>')
    if isinstance(cell, Spark):
        return f"<td>{_spark(cell)}</td>"
    return f'<td class="num">{escape(cell)}</td>' if numeric else f"<td>{escape(cell)}</td>"


def _table(block: Table) -> str:
    head = "".join(f'<th class="num">{escape(c)}</th>' if i in block.numeric else f"<th>{escape(c)}</th>"
                   for i, c in enumerate(block.columns))
    groups = dict(block.groups)
    body = "".join((f'<tr class="group"><td colspan="{len(block.columns)}">{escape(groups[r])}</td></tr>'
                    if r in groups else "")
                   + "<tr>" + "".join(_cell(cell, i in block.numeric) for i, cell in enumerate(row)) + "</tr>"
                   for r, row in enumerate(block.rows))
    caption = f'<p class="small">{escape(block.caption)}</p>' if block.caption else ""
    opening = '<table class="compact">' if block.compact else "<table>"
    return f"{opening}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{caption}"


def _block(block) -> str:
    if isinstance(block, Beside):
        return (f'<div class="beside"><div>{"".join(_block(b) for b in block.blocks)}</div>'
                f"{_block(block.image)}</div>")
    if isinstance(block, Gallery):
        return (f'<div class="gallery" style="grid-template-columns: repeat({block.columns}, 1fr)">'
                + "".join(_block(i) for i in block.images) + "</div>")
    if isinstance(block, Heading):
        return f"<h2>{escape(block.text)}</h2>"
    if isinstance(block, Text):
        return f'<p class="{"small" if block.small else ""}">{escape(block.text)}</p>'
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Image):
        data = base64.b64encode(block.png).decode("ascii")
        caption = f"<figcaption>{escape(block.caption)}</figcaption>" if block.caption else ""
        return (f'<figure><img src="data:image/png;base64,{data}" alt="{escape(block.alt)}" '
                f'style="width:{block.width_mm}mm;max-width:100%">{caption}</figure>')
    if isinstance(block, Terms):
        return "<dl>" + "".join(f"<dt>{escape(t)}</dt><dd>{escape(x)}</dd>" for t, x in block.entries) + "</dl>"
    raise TypeError(f"unknown block {type(block).__name__}")


def render(doc: Document) -> bytes:
    """The document as a UTF-8 HTML file."""
    style = (STYLE.replace("PAGE_ORIENTATION", "landscape" if doc.landscape else "portrait")
             .replace("MAX_WIDTH", "265mm" if doc.landscape else "180mm"))
    demo = '<span class="demo">Fiktive Demodaten</span>' if doc.demo else ""
    page = (f'<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(doc.label)}</title><style>{style}</style></head><body>"
            f'<header class="run"><span>{escape(doc.city)} · {escape(doc.kind)}</span>{demo}</header>'
            f'<h1>{escape(doc.title)}</h1><p class="subtitle">{escape(doc.subtitle)}</p>'
            + "".join(_block(b) for b in doc.blocks)
            + f"<footer>Quelle: {escape(doc.source)} · erstellt mit sozialdash</footer></body></html>")
    return page.encode("utf-8")
