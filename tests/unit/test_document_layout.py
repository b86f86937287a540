"""How a PDF Datenblatt looks on paper, read back from the PDF: every page says what it is about, a number sits on
its row's line, and a column of long reasons is not squeezed while a column of short codes keeps room it does not
need."""

from __future__ import annotations

import io

from pypdf import PdfReader

from sozialdash import fmt
from sozialdash.documents import pdf
from sozialdash.documents.model import Document, Table

REASON = "ohne Zuordnung (Wert fehlt oder geheim)"


def document(*blocks, title: str = "Altstadt", kind: str = "Datenblatt") -> Document:
    return Document(title=title, subtitle="Stadtteil · Stand 2025", city="Musterstadt", source="Amt", demo=False,
                    blocks=blocks, landscape=True, kind=kind)


def baselines(data: bytes) -> dict[str, float]:
    """The y of each text piece on the first page."""
    found: dict[str, float] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.setdefault(text.strip(), cm[5] + tm[5] * cm[3])

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return found


def test_every_page_and_the_title_bar_name_the_document():
    rows = tuple((f"Zeile {i}", fmt.number(i)) for i in range(200))
    data = pdf.render(document(Table(("Name", "Wert"), rows, numeric=(1,))))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 2
    assert all("Musterstadt · Datenblatt Altstadt" in page.extract_text() for page in reader.pages)
    assert reader.metadata.title == "Datenblatt Altstadt"
    index = PdfReader(io.BytesIO(pdf.render(document(title="Sozialindex 2025", kind="Sozialindex"))))
    assert index.metadata.title == "Sozialindex 2025"
    assert "Musterstadt · Sozialindex 2025" in index.pages[0].extract_text()


def test_a_number_sits_on_the_line_of_its_row():
    data = pdf.render(document(Table(("Indikator", "Wert"), (("Geburtenrate", "45,5 je 1.000"),), numeric=(1,))))
    found = baselines(data)
    assert abs(found["Geburtenrate"] - found["45,5 je 1.000"]) < 0.2


def test_short_columns_leave_room_for_a_long_reason():
    rows = tuple((f"Gebiet {i}", REASON if i % 2 else "1 hoch", "4+/-") for i in range(20))
    table = Table(("Gebiet", "Status", "Code"), rows, widths=(2.2, 1.0, 1.0))
    narrow = Table(("Gebiet", "Wert", "Wert", "Wert", "Wert", "Status", "Code"),
                   tuple((r[0], "1.234", "1.234", "1.234", "1.234", *r[1:]) for r in rows), widths=(2.2,) + (1.0,) * 6,
                   numeric=(1, 2, 3, 4))
    for block in (table, narrow):
        lines = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.render(document(block)))).pages)
        assert lines.count(REASON) == 10, block.columns   # on one line each, not broken across two
