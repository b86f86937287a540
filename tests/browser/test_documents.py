"""Datenblätter in a real browser, offline: the Profil's PDF and self-contained HTML, every Sozialraum's PDF in one
ZIP behind a progress bar, and the Sozialindex's report and map. Every request that leaves 127.0.0.1 fails the test
(``AppPage.assert_clean``), so a document that fetched a font or a script would show here.

What the files must hold comes from the store (names, how many areas a level has), not from the page's code."""

from __future__ import annotations

import io
import re
import zipfile

import numpy as np
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from sozialdash.ui.sozialindex import DYNAMICS_HEAD, STATUS_HEAD
from sozialdash.views.colors import INDEX_COLOURS, hex_to_rgba
from sozialdash.views.images import MAP_SIZE_PX, PNG_SIGNATURE

from .helpers import AppPage, save_png

BUNDLE = "Alle Datenblätter einer Ebene"
DATA_URI = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")
# The bar's text while the ZIP is made, noted by the page itself: the bar is gone when the script ends.
WATCH_PROGRESS = """() => {
    window.progressTexts = [];
    new MutationObserver(() => {
        for (const bar of document.querySelectorAll('[data-testid="stProgress"]')) {
            if (!window.progressTexts.includes(bar.innerText)) window.progressTexts.push(bar.innerText);
        }
    }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


def pdf_pages(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def first_area(store, level: int) -> tuple[str, str]:
    areas = store.run("areas")
    row = areas[areas["level"] == level].sort_values("area_id").iloc[0]
    return str(row["area_id"]), str(row["name"])


def level_of(store, key: str) -> tuple[int, str]:
    levels = store.run("area_levels")
    row = levels[levels["key"] == key].iloc[0]
    return int(row["level"]), str(row["label_plural"])


def test_the_profil_datenblatt_is_a_pdf_and_a_self_contained_html_file(open_app, store):
    area, name = first_area(store, level_of(store, "stadtteil")[0])
    app = open_app(f"/Profil?profil={area}")
    expect(app.heading(name)).to_be_visible()

    pages = pdf_pages(app.download("Datenblatt als PDF"))
    assert name in pages[0]
    for page in pages:
        assert "Fiktive Demodaten" in page
    assert all(f"Seite {n} von {len(pages)}" in page for n, page in enumerate(pages, start=1))

    page = app.download("Datenblatt als HTML").decode("utf-8")
    assert f"<h1>{name}</h1>" in page   # demo names hold nothing to escape
    assert "<script" not in page.lower()
    without_pictures = DATA_URI.sub("", page)
    assert "http" not in without_pictures.lower()
    assert re.findall(r'src="([^"]*)"', without_pictures) == [""] * len(DATA_URI.findall(page))
    app.assert_no_exception()
    app.assert_clean()


def test_every_sozialraum_datenblatt_comes_as_one_zip_after_a_progress_bar(open_app, store):
    level, plural = level_of(store, "sozialraum")
    areas = store.run("areas")
    names = sorted(areas.loc[areas["level"] == level, "name"])
    area, _ = first_area(store, level_of(store, "stadtteil")[0])
    app = open_app(f"/Profil?profil={area}")
    year = int(store.meta["reference_year"])

    expander = app.main.get_by_test_id("stExpander").filter(has_text=BUNDLE)
    expander.get_by_text(BUNDLE, exact=True).click()
    field = expander.get_by_role("combobox", name="Ebene", exact=True)
    field.click()
    app.page.get_by_role("option", name=plural, exact=True).click()
    expect(field).to_have_value(plural)
    app.page.evaluate(WATCH_PROGRESS)
    expander.get_by_role("button", name=f"{plural} {year} als ZIP erstellen", exact=True).click()
    expect(expander.get_by_role("button", name="ZIP speichern", exact=True)).to_be_visible(timeout=120_000)
    shown = app.page.evaluate("window.progressTexts")
    assert any(re.search(rf"\b\d+ von {len(names)}\b", text) for text in shown), shown

    archive = zipfile.ZipFile(io.BytesIO(app.download("ZIP speichern")))
    members = archive.namelist()
    assert len(members) == len(names) and all(m.endswith(".pdf") for m in members)
    titles = []
    for member in members:
        pages = pdf_pages(archive.read(member))
        titles.append(max((n for n in names if n in pages[0]), key=len))   # "Nordost", not "Nord"
    assert sorted(titles) == names   # one Datenblatt for each Sozialraum, none twice
    app.assert_no_exception()
    app.assert_clean()


def test_the_sozialindex_report_is_a_pdf_and_its_map_a_png(open_app):
    app = open_app("/Sozialindex")
    expect(app.main.get_by_role("heading", name="Sozialindex", exact=True)).to_be_visible()

    pages = pdf_pages(app.download("Bericht als PDF"))
    text = "\n".join(pages)
    assert "Sozialindex" in pages[0]
    for head in ("Status", *STATUS_HEAD.values(), *DYNAMICS_HEAD.values()):
        assert head in text, head

    data = app.download("Karte als PNG")
    assert data.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(data))
    assert image.size == MAP_SIZE_PX
    rgb = np.asarray(image.convert("RGB"))
    painted = {cell for cell, colour in INDEX_COLOURS.items()
               if np.all(rgb == hex_to_rgba(colour)[:3], axis=2).sum() > 200}
    assert len(painted) >= 2, painted   # areas filled in the colours of at least two matrix cells
    save_png(data, "sozialindex_map")
    app.assert_no_exception()
    app.assert_clean()
