"""Every page on a store whose names, units, sources and definitions are hostile strings (tests/hostile.py).

AppTest returns the Markdown source of every element that Streamlit renders as Markdown (text, captions,
headings, alerts, metric label, value and delta, widget and tab labels). Each such source must trigger no
Streamlit feature, contain no hostile string unescaped, and still show the strings' letters to the reader.
"""

from __future__ import annotations

import pytest
from tests.hostile import HOSTILE, LONG, markdown_features, shown

from sozialdash.ui.safe import md

from .test_every_page import PAGE_FILES

TEXT_ELEMENTS = ["markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"]
LABELLED = ["selectbox", "multiselect", "slider", "toggle", "text_input", "segmented_control", "page_link", "tabs"]
ESCAPABLE = [h for h in HOSTILE if h != LONG]   # LONG is plain letters, nothing to escape


@pytest.fixture
def on_hostile_store(hostile_db, monkeypatch):
    monkeypatch.setenv("SOZIALDASH_DB", str(hostile_db))


def markdown_sources(at) -> list[str]:
    sources = [el.value for kind in TEXT_ELEMENTS for el in at.get(kind)]
    sources += [text for m in at.get("metric") for text in (m.label, m.value, m.proto.delta)]
    return sources + [el.label for kind in LABELLED for el in at.get(kind)]


def check(at) -> str:
    """Assert the page ran and every Markdown source is neutral; return what the reader sees."""
    assert not at.exception, [e.value for e in at.exception]
    sources = markdown_sources(at)
    for source in sources:
        assert markdown_features(source) == [], source
        for text in ESCAPABLE:
            escaped = {md(text), md(f"x {text}")[2:]}   # at the start of a line, or inside one
            if shown(text) in shown(source):
                assert any(form in source for form in escaped), f"{text!r} not escaped in {source!r}"
            rest = source
            for form in escaped:
                rest = rest.replace(form, "")
            assert text not in rest, f"unescaped {text!r} in {source!r}"
    return "\n".join(shown(source) for source in sources)


@pytest.mark.parametrize("script", PAGE_FILES)
def test_gap_texts_show_hostile_units_and_names_as_text(open_on, hostile_gaps_db, script):
    """Reasons for missing values, the city caption and the cards' notes embed units and names."""
    check(open_on(hostile_gaps_db, script))


@pytest.mark.parametrize("script", PAGE_FILES)
def test_every_page_shows_hostile_strings_as_text(open_page, on_hostile_store, script):
    seen = check(open_page(script))
    assert "https://evil.example/x www.evil.example a@b.example" in seen   # dataset name in the sidebar


def test_uebersicht_shows_city_source_and_units_as_text(open_page, on_hostile_store):
    at = open_page("app.py")
    seen = check(at)
    assert "Sozialbericht :red[rot] :material/warning: $x$" in [shown(t.value) for t in at.title]
    assert ":smile: <img src=x onerror=alert(1)> [Link](https://evil.example)" in seen
    units = " ".join(shown(m.value) + shown(m.proto.delta) for m in at.metric)
    assert "$$x^2$$" in units and "<b>fett</b>" in units


def test_karte_with_marked_areas_and_judgement_map(open_page, on_hostile_store):
    at = open_page("pages/1_Karte.py", gebiet=["101", "102"], darstellung="judgement", ebene="2")
    seen = check(at)
    definition = [text for text in HOSTILE if "\n" not in text and text != LONG]
    assert [text for text in definition if text not in seen] == []


def test_vergleich_with_areas_and_profil_of_a_hostile_area(open_page, on_hostile_store):
    check(open_page("pages/2_Vergleich.py", gebiet=["1", "101", "102"]))
    at = open_page("pages/3_Profil.py", profil="101")
    seen = check(at)
    assert "a@b.example" in [shown(t.value) for t in at.title]
    assert "Teil von www.evil.example" in seen
