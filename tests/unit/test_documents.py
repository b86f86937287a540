"""Datenblätter: the PDF and the HTML file say what the Profil says, in German typography with embedded fonts,
keep every secret value secret, and treat every string from the data as text."""

from __future__ import annotations

import io
import re

import duckdb
import pytest
from pypdf import PdfReader

from sozialdash import fmt
from sozialdash.analysis import sozialindex as si
from sozialdash.documents import datenblatt, html, pdf
from sozialdash.documents.model import Bullets, Document, Heading, Spark, Table, Text, spark_segments
from sozialdash.ui import controls, documents, sozialindex


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_sparkline_leaves_a_secret_year_open():
    runs = spark_segments((1.0, 2.0, None, 4.0, 5.0, None, 3.0), 60, 16)
    assert [len(r) for r in runs] == [2, 2, 1]
    xs = [x for run in runs for x, _ in run]
    assert xs == sorted(xs) and xs[0] == 1.0 and xs[-1] == 59.0
    ys = [y for run in runs for _, y in run]
    assert min(ys) == 1.0 and max(ys) == 15.0
    assert spark_segments((None, None), 60, 16) == []


def test_german_typography_survives_in_the_pdf_with_embedded_fonts():
    said = "Größe – Übergänge: −1,5 %-Punkte, Straße, Δ 12,3 %"
    doc = Document(title="Mürwik-Süd", subtitle="Stadtteil · Stand 2025", city="Musterstadt", source="Amt",
                   demo=True, blocks=(Heading("Äußeres"), Text(said),
                                      Table(("Indikator", "Wert"), (("Öffentliche Straße", "1.234,5"),))))
    data = pdf.render(doc)
    text = pdf_text(data)
    for expected in ("Mürwik-Süd", said, "Äußeres", "Öffentliche Straße", "1.234,5", "Fiktive Demodaten",
                     "Seite 1 von 1", "Quelle: Amt"):
        assert expected in text
    reader = PdfReader(io.BytesIO(data))
    fonts = {f["/BaseFont"]: f for page in reader.pages for f in page["/Resources"]["/Font"].values()
             if hasattr(f, "keys")}
    fonts = {name: font.get_object() for name, font in fonts.items()}
    assert fonts and all("DejaVu" in name for name in fonts)
    assert all("/FontFile2" in font["/FontDescriptor"].get_object() for font in fonts.values()
               if "/FontDescriptor" in font)
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)   # A4 portrait


def test_page_numbers_count_every_page():
    rows = tuple((f"Zeile {i}", fmt.number(i)) for i in range(400))
    doc = Document(title="Lang", subtitle="", city="Stadt", source="Amt", demo=False,
                   blocks=(Table(("Name", "Wert"), rows, numeric=(1,)),))
    text = pdf_text(pdf.render(doc))
    total = int(re.search(r"Seite 1 von (\d+)", text).group(1))
    assert total > 3
    assert all(f"Seite {n} von {total}" in text for n in range(1, total + 1))
    assert "Fiktive Demodaten" not in text
    assert text.count("Name") == total   # the header row repeats on every page


def test_hostile_strings_are_text_in_both_documents():
    evil = '<img src=x onerror=alert(1)> & <b>fett</b> "Zitat"'
    doc = Document(title=evil, subtitle=evil, city=evil, source=evil, demo=False,
                   blocks=(Heading(evil), Text(evil), Table(("Indikator",), ((evil,),))))
    page = html.render(doc).decode("utf-8")
    assert "<img" not in page and "<b>fett" not in page
    assert page.count("&lt;img src=x onerror=alert(1)&gt;") >= 5
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")
    assert evil in pdf_text(pdf.render(doc))


def test_the_glossary_terms_are_those_the_sheet_uses():
    entries = dict(datenblatt.terms_used(["Die SGB-II-Quote und die Bedarfsgemeinschaft"], ("Trend",)).entries)
    assert set(entries) == {"SGB-II-Quote", "Bedarfsgemeinschaft", "Trend"}


@pytest.fixture(scope="module")
def hidden(store, suppressed_cell, demo_db, demo_dataset):
    """An area and year with secret cells, and each secret indicator's name with its true value (from the dataset
    before suppression) as the Profil would print it."""
    _, area, year = suppressed_cell
    with duckdb.connect(str(demo_db), read_only=True) as con:
        secret = con.execute("""
            SELECT v.indicator_id, i.short_name, i.decimals, i.unit FROM indicator_values v
            JOIN indicators i USING (indicator_id)
            WHERE v.area_id = ? AND v.suppression IS NOT NULL AND v.year = ?""", [area, year]).fetchall()
    raw = demo_dataset.values.set_index(["indicator_id", "area_id", "year"])["value"]
    return area, year, [(name, fmt.cell(raw[(i, area, year)], int(d), u, False)) for i, name, d, u in secret]


def pdf_rows(data: bytes) -> list[str]:
    return [line for page in PdfReader(io.BytesIO(data)).pages for line in page.extract_text(extraction_mode="layout").splitlines()]


def html_rows(data: bytes) -> list[str]:
    return [re.sub(r"<[^>]+>", " ", row) for row in re.findall(r"<tr>(.*?)</tr>", data.decode("utf-8"))]


def test_no_secret_value_reaches_the_pdf_or_the_html(store, hidden):
    area, year, secret = hidden
    assert len(secret) >= 2
    doc = documents.profile_document(store, area, year)
    for rows in (pdf_rows(pdf.render(doc)), html_rows(html.render(doc))):
        for name, truth in secret:
            row = [r for r in rows if re.match(rf"\s*{re.escape(name)}\s{{2,}}", r)]   # its cell, then the next
            assert len(row) == 1, name
            assert f" {fmt.SUPPRESSED} " in f" {row[0]} " and "geheim" in row[0]
            assert truth not in row[0]
    said = " ".join(" ".join(b.items) for b in doc.blocks if isinstance(b, Bullets))
    assert not [name for name, _ in secret if name in said]
    names = {name for name, _ in secret}
    sparks = [row[b.columns.index("Verlauf")] for b in doc.blocks if isinstance(b, Table) and "Verlauf" in b.columns
              for row in b.rows if row[b.columns.index("Indikator")] in names]
    assert len(sparks) == len(names) and all(isinstance(s, Spark) and s.values[-1] is None for s in sparks)


def test_the_index_report_gives_no_figure_for_an_area_left_out(store):
    start = sozialindex.defaults(controls.catalogue(store))
    levels = store.run("area_levels").set_index("level", drop=False)
    config = si.IndexConfig(start, start, min_population=5000)   # the demo has Stadtteile below it
    doc = documents.index_document(store, config, levels.loc[2], int(store.meta["reference_year"]))
    table = [b for b in doc.blocks if isinstance(b, Table) and "Statusindex" in b.columns][0]
    status = table.columns.index("Status")
    figures = [i for i, c in enumerate(table.columns) if c.startswith("z ") or c.endswith("index")]
    left_out = [row for row in table.rows if row[status].startswith(si.UNASSIGNED)]
    kept = [row for row in table.rows if not row[status].startswith(si.UNASSIGNED)]
    assert left_out and kept
    assert all(row[i] == "" for row in left_out for i in figures)
    assert all(re.fullmatch(r"-?\d+,\d\d", row[i]) for row in kept for i in figures)
    text = pdf_text(pdf.render(doc))
    assert "Nicht mehr die Regeln des MSS: Mindestbevölkerung 5000 statt 300." in text
    for row in left_out:
        assert row[0] in text
