"""A Datenblatt as PDF with ReportLab: A4, DejaVu Sans embedded (umlauts, ß, en dashes, the minus sign and Δ in
every viewer and printer), a running header with the city and "Fiktive Demodaten" where so, and a footer with the
source and "Seite n von m".

ReportLab because it is a wheel from PyPI with no system libraries and no browser, lays out flowing tables that
break across pages with a repeated header row, and draws sparklines as vectors. WeasyPrint would need Pango from
the system, typst a second layout language next to the HTML.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors as rl_colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (CondPageBreak, Flowable, Image as RLImage, KeepTogether, ListFlowable, ListItem, Paragraph,
                                SimpleDocTemplate, Spacer, Table as RLTable, TableStyle)

from sozialdash import fmt
from sozialdash.documents.model import (Beside, Bullets, Gallery, Document, Heading, Image, Spark, Swatch, Table, Terms, Text,
                                        spark_segments)
from sozialdash.views.colors import text_colour_on

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
MARGIN = 16 * mm
INK, MUTED, RULE, HEAD_FILL = "#1f2328", "#59636e", "#d0d7de", "#f0f2f5"
SPARK_W, SPARK_H = 16 * mm, 4.5 * mm
CELL_PT = 7.5


@cache
def _fonts() -> None:
    """Register the DejaVu fonts matplotlib ships (the charts use the same), once per process."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=12, textColor=INK)
    return {
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=18, leading=22, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", base, textColor=MUTED, spaceAfter=8),
        "heading": ParagraphStyle("heading", base, fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=9,
                                  spaceAfter=4),
        "text": base,
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=CELL_PT, leading=9),
        "head": ParagraphStyle("head", base, fontName=BOLD, fontSize=CELL_PT, leading=9),
        "group": ParagraphStyle("group", base, fontName=BOLD, fontSize=9, leading=11),
        "term": ParagraphStyle("term", base, fontSize=8.5, leading=11, spaceAfter=3),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


class _Sparkline(Flowable):
    """Drawn straight on the canvas: reportlab.graphics would reset the font to an unembedded Helvetica."""

    def __init__(self, values: tuple[float | None, ...]):
        super().__init__()
        self.values, self.width, self.height = values, SPARK_W, SPARK_H

    def draw(self) -> None:
        canvas = self.canv
        canvas.setStrokeColor(rl_colors.HexColor(INK))
        canvas.setFillColor(rl_colors.HexColor(INK))
        canvas.setLineWidth(0.7)
        for run in spark_segments(self.values, SPARK_W, SPARK_H):
            if len(run) == 1:
                canvas.circle(run[0][0], run[0][1], 0.6, stroke=0, fill=1)
                continue
            path = canvas.beginPath()
            path.moveTo(*run[0])
            for point in run[1:]:
                path.lineTo(*point)
            canvas.drawPath(path, stroke=1, fill=0)


def _widths(block: Table, width: float) -> list[float]:
    """Number, swatch and sparkline columns as wide as their content needs (numbers and swatch headings never
    wrap); text columns share what is left by their relative widths, none narrower than its longest word and none
    wider than its text while another still wraps (a column of short codes gives its share to one of long
    reasons). A compact table ends where its text ends, any other fills the page. When even the longest words do
    not fit, every column shrinks in proportion."""
    shares = block.widths or (1.0,) * len(block.columns)
    pad = 6

    def longest(texts, font=FONT) -> float:
        return max((pdfmetrics.stringWidth(t, font, CELL_PT) for t in texts), default=0.0) + pad

    fixed, least, natural = [], [], []
    for c, head in enumerate(block.columns):
        cells = [row[c] for row in block.rows]
        heading = longest(head.split(), BOLD)
        if cells and all(isinstance(x, Swatch) for x in cells):
            fixed.append(max(4 * mm, longest([head], BOLD), longest([x.text for x in cells])))
        elif cells and all(isinstance(x, Spark) for x in cells):
            fixed.append(max(SPARK_W + pad, heading))
        elif c in block.numeric:
            fixed.append(max(heading, longest(cells)))
        else:
            fixed.append(None)
        texts = [x for x in cells if isinstance(x, str)]
        least.append(max(heading, longest([w for t in texts for w in t.split()])))
        natural.append(max(least[-1], longest([head], BOLD), longest(texts)))
    free = [c for c, f in enumerate(fixed) if f is None]
    left = width - sum(f for f in fixed if f is not None)
    if left < sum(least[c] for c in free):
        need = [f if f is not None else least[c] for c, f in enumerate(fixed)]
        return [n * width / sum(need) for n in need]
    out = [f if f is not None else least[c] for c, f in enumerate(fixed)]
    spare = left - sum(least[c] for c in free)
    wrapping = [c for c in free if natural[c] > out[c]]
    while spare > 1e-6 and wrapping:   # the room beyond the longest words, by share, to columns that still wrap
        total = sum(shares[c] for c in wrapping)
        given = {c: min(natural[c] - out[c], spare * shares[c] / total) for c in wrapping}
        for c, more in given.items():
            out[c] += more
        spare -= sum(given.values())
        wrapping = [c for c in wrapping if natural[c] - out[c] > 1e-6]
    if spare > 1e-6 and free and not block.compact:   # nothing wraps: the rest by share, so the table fills the page
        total = sum(shares[c] for c in free)
        for c in free:
            out[c] += spare * shares[c] / total
    return out


def _table(block: Table, width: float, st: dict[str, ParagraphStyle]) -> RLTable:
    widths = _widths(block, width)
    # LEADING as the cells' paragraphs have it: a plain-string number cell (default leading 12) sat higher.
    commands = [("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), CELL_PT),
                ("LEADING", (0, 0), (-1, -1), st["cell"].leading),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 1), (-1, -1), "LEFT"),
                ("BACKGROUND", (0, 0), (-1, 0), rl_colors.HexColor(HEAD_FILL)),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, rl_colors.HexColor(RULE)),
                ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    commands += [("ALIGN", (c, 1), (c, -1), "RIGHT") for c in block.numeric]
    head_right = ParagraphStyle("head_right", st["head"], alignment=2)
    data = [[_p(c, head_right if i in block.numeric else st["head"]) for i, c in enumerate(block.columns)]]
    groups = dict(block.groups)
    for i, row in enumerate(block.rows):
        if i in groups:
            r = len(data)
            data.append([_p(groups[i], st["group"])] + [""] * (len(block.columns) - 1))
            commands += [("SPAN", (0, r), (-1, r)), ("TOPPADDING", (0, r), (-1, r), 6)]
        r = len(data)
        cells = []
        for c, cell in enumerate(row):
            if isinstance(cell, Swatch):
                commands.append(("BACKGROUND", (c, r), (c, r), rl_colors.HexColor(cell.colour)))
                cells.append(_p(cell.text, ParagraphStyle("on", st["cell"], alignment=1,
                                                          textColor=text_colour_on(cell.colour))))
            elif isinstance(cell, Spark):
                cells.append(_Sparkline(cell.values))
            elif c in block.numeric:
                cells.append(cell)   # a plain string: it does not wrap
            else:
                cells.append(_p(cell, st["cell"]))
        data.append(cells)
    table = RLTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _image(block: Image, width: float | None = None) -> RLImage:
    reader = ImageReader(io.BytesIO(block.png))
    w, h = reader.getSize()
    width = width or block.width_mm * mm
    image = RLImage(io.BytesIO(block.png), width=width, height=width * h / w)
    image.hAlign = "LEFT"
    return image


def _flowables(doc: Document, width: float, st: dict[str, ParagraphStyle]) -> list:
    return [_p(doc.title, st["title"]), _p(doc.subtitle, st["subtitle"])] + _blocks(doc.blocks, width, st)


def _blocks(blocks, width: float, st: dict[str, ParagraphStyle]) -> list:
    out: list = []
    for block in blocks:
        if isinstance(block, Beside):
            picture = block.image.width_mm * mm
            side = RLTable([[_blocks(block.blocks, width - picture - 6 * mm, st),
                             [_image(block.image)] + ([_p(block.image.caption, st["small"])]
                                                      if block.image.caption else [])]],
                           colWidths=[width - picture, picture], hAlign="LEFT")
            side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                      ("RIGHTPADDING", (0, 0), (0, 0), 6 * mm)]))
            out.append(side)
        elif isinstance(block, Gallery):
            cell = width / block.columns
            pictures = [[_image(i, cell - 4 * mm)] + ([_p(i.caption, st["small"])] if i.caption else [])
                        for i in block.images]
            pictures += [""] * (-len(pictures) % block.columns)
            grid = RLTable([pictures[i:i + block.columns] for i in range(0, len(pictures), block.columns)],
                           colWidths=[cell] * block.columns, hAlign="LEFT")
            grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
            out.append(grid)
        elif isinstance(block, Heading):   # a heading never ends a page; the table after it may break
            out += [CondPageBreak(35 * mm), _p(block.text, st["heading"])]
        elif isinstance(block, Text):
            out.append(_p(block.text, st["small" if block.small else "text"]))
            out.append(Spacer(1, 3))
        elif isinstance(block, Bullets):
            out.append(ListFlowable([ListItem(_p(item, st["text"]), leftIndent=10) for item in block.items],
                                    bulletType="bullet", start="•", leftIndent=10, bulletFontName=FONT))
        elif isinstance(block, Table):
            parts = [_table(block, width, st)]
            if block.caption:
                parts.append(_p(block.caption, st["small"]))
            out.extend(parts)
            out.append(Spacer(1, 4))
        elif isinstance(block, Image):
            parts = [_image(block)] + ([_p(block.caption, st["small"])] if block.caption else [])
            out.append(KeepTogether(parts))
            out.append(Spacer(1, 4))
        elif isinstance(block, Terms):
            out.extend(Paragraph(f"<b>{escape(term)}</b>: {escape(text)}", st["term"])
                       for term, text in block.entries)
    return out


def _numbered(doc: Document, size: tuple[float, float]):
    """A canvas that draws header and footer once the page count is known ("Seite 2 von 5")."""
    class Numbered(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, "initialFontName": FONT})   # no unembedded Helvetica
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, page in enumerate(self._pages, start=1):
                self.__dict__.update(page)
                self._furniture(number, len(self._pages))
                super().showPage()
            super().save()

        def _furniture(self, number: int, total: int) -> None:
            w, h = size
            self.setFillColor(rl_colors.HexColor(MUTED))
            self.setFont(FONT, 7.5)
            self.drawString(MARGIN, h - 10 * mm, fmt.shorten(f"{doc.city} · {doc.label}", 110))
            if doc.demo:
                self.setFillColor(rl_colors.HexColor("#9a6700"))
                self.setFont(BOLD, 7.5)
                self.drawRightString(w - MARGIN, h - 10 * mm, "Fiktive Demodaten")
            self.setStrokeColor(rl_colors.HexColor(RULE))
            self.setLineWidth(0.4)
            self.line(MARGIN, h - 11.5 * mm, w - MARGIN, h - 11.5 * mm)
            self.line(MARGIN, 11.5 * mm, w - MARGIN, 11.5 * mm)
            self.setFillColor(rl_colors.HexColor(MUTED))
            self.setFont(FONT, 7)
            self.drawString(MARGIN, 8 * mm, f"Quelle: {fmt.shorten(doc.source, 150)}")
            self.drawRightString(w - MARGIN, 8 * mm, f"Seite {number} von {total}")
    return Numbered


def render(doc: Document) -> bytes:
    """The document as PDF bytes."""
    _fonts()
    size = landscape(A4) if doc.landscape else A4
    buffer = io.BytesIO()
    template = SimpleDocTemplate(buffer, pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN,
                                 topMargin=16 * mm, bottomMargin=16 * mm, title=doc.label,
                                 author="sozialdash", subject=doc.subtitle, lang="de-DE")
    width = size[0] - 2 * MARGIN
    template.build(_flowables(doc, width, _styles()), canvasmaker=_numbered(doc, size))
    return buffer.getvalue()
