"""Daten & Methodik: the searchable indicator catalogue and the dataset facts."""

from __future__ import annotations

import pytest

from sozialdash import catalogue as cat
from sozialdash import fmt

PAGE = "pages/6_Daten_und_Methodik.py"


@pytest.fixture(scope="module")
def page(open_page):
    at = open_page(PAGE)
    assert not at.exception
    return at


def test_heading(page):
    assert [t.value for t in page.title] == ["Daten & Methodik"]
    assert [s.value for s in page.subheader] == ["Indikatorenkatalog", "Datensatz", "Methodik",
                                                 "Sozialnavigator: Versorgung und Entfernungen", "Sozialindex",
                                                 "Glossar"]


def test_the_glossary_explains_the_terms_a_dialogue_meets(page):
    glossary = [d.value for d in page.dataframe if "Begriff" in d.value.columns]
    assert len(glossary) == 1
    terms = set(glossary[0]["Begriff"])
    assert {"SGB-II-Quote", "Bedarfsgemeinschaft", "Transferleistungen", "Konfidenzintervall (Vertrauensbereich)"} <= terms
    assert glossary[0]["Erklärung"].str.len().min() > 40


def test_the_supply_pairings_and_the_approximations_are_explained(page, store):
    pairings = [d.value for d in page.dataframe if "Zielgruppe" in d.value.columns]
    assert len(pairings) == 1
    assert list(pairings[0]["Angebot"]) == list(store.run("supply_targets")["category"])
    text = " ".join(m.value for m in page.markdown)
    assert "gleichmäßig über ihre Fläche" in text and "WGS84" in text


def test_catalogue_lists_every_indicator(page, catalogue):
    table = page.dataframe[0].value
    assert len(table) == len(catalogue)
    assert list(table["Indikator"]) == list(catalogue["name"])
    count = fmt.number(len(catalogue))
    assert f"{count} von {count} Indikatoren" in [c.value for c in page.caption]


def test_search_narrows_the_catalogue(open_page, catalogue):
    at = open_page(PAGE)
    at.text_input[0].input("Kinderarmut").run()
    assert not at.exception
    table = at.dataframe[0].value
    expected = cat.search(catalogue.reset_index(drop=True), "Kinderarmut")
    assert 1 <= len(table) < len(catalogue)
    assert len(table) == len(expected)
    assert list(table["Indikator"]) == list(expected["name"])
    assert catalogue.at["kinderarmut", "name"] in list(table["Indikator"])
    assert f"{fmt.number(len(expected))} von {fmt.number(len(catalogue))} Indikatoren" in [c.value for c in at.caption]


def test_search_without_match_shows_an_empty_table(open_page, catalogue):
    at = open_page(PAGE)
    at.text_input[0].input("gibtesnicht").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 0
    assert f"0 von {fmt.number(len(catalogue))} Indikatoren" in [c.value for c in at.caption]


def test_dataset_facts_name_the_demo(page, store):
    facts = page.dataframe[1].value.set_index("Merkmal")["Wert"]
    assert facts["Name"] == store.meta["name"] == "Musterstadt (Demo)"
    assert facts["Stadt"] == store.meta["city"]
    assert facts["Demodaten"] == "ja"
    assert facts["Berichtsjahr"] == str(store.meta["reference_year"])
    assert facts["Build"] == store.build_id


def test_dataset_facts_count_areas_per_level(page, store, areas):
    facts = page.dataframe[1].value.set_index("Merkmal")["Wert"]
    levels = store.run("area_levels")
    expected = " > ".join(f"{row.label} ({fmt.number(int((areas['level'] == row.level).sum()))})"
                          for row in levels.itertuples())
    assert facts["Gebietsebenen"] == expected


def test_method_notes_state_the_suppression_threshold(page, store):
    notes = " ".join(m.value for m in page.markdown)
    assert f"Fallzahlen von 1 bis {store.meta['suppression_threshold']}" in notes
    assert "Wilson" in notes
