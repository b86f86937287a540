"""Links with values the data does not have: the page clamps or falls back, says so in German, and never breaks.

A link is written by anyone: too many areas (Streamlit raises when a multiselect's default is longer than its
``max_selections``), ids that do not exist, the year 1800, level 99. Every URL value shown back is escaped.
"""

from __future__ import annotations

import pytest

from sozialdash.fmt import area_label
from sozialdash.ui.vergleich import default_axes

from .conftest import shown

KARTE = "pages/1_Karte.py"
VERGLEICH = "pages/2_Vergleich.py"


@pytest.fixture(scope="module")
def area_ids(areas) -> list[str]:
    return list(areas.loc[areas["level"] > 0, "area_id"])


@pytest.fixture(scope="module")
def finest(store):
    return store.run("area_levels").iloc[-1]


def warnings(at) -> list[str]:
    assert not at.exception, [e.value for e in at.exception]
    return [shown(w.value) for w in at.warning]


@pytest.mark.parametrize("page", [KARTE, VERGLEICH])
def test_more_than_eight_areas_are_cut_to_the_first_eight(open_page, area_ids, page):
    at = open_page(page, gebiet=area_ids[:12])
    assert "Es werden die ersten 8 Gebiete gezeigt (12 im Link)." in warnings(at)
    assert at.multiselect[0].value == area_ids[:8]
    assert at.query_params["gebiet"] == area_ids[:8]


def test_five_hundred_area_parameters_name_the_first_unknown_and_count_the_rest(open_page, area_ids):
    asked = [f"x{i}" for i in range(480)] + area_ids[:20]
    at = open_page(VERGLEICH, gebiet=asked)
    seen = warnings(at)
    assert "Unbekannte Gebiete im Link übergangen: x0, x1, x2, x3, x4 (und 475 weitere)." in seen
    assert "Es werden die ersten 8 Gebiete gezeigt (20 im Link)." in seen
    assert at.multiselect[0].value == area_ids[:8]


def test_repeated_areas_count_once(open_page, area_ids):
    at = open_page(KARTE, gebiet=[area_ids[0], area_ids[0], area_ids[1]])
    assert warnings(at) == []
    assert at.multiselect[0].value == area_ids[:2]


def test_karte_with_unknown_indicator_year_and_level_shows_the_default_view(open_page, catalogue, finest):
    at = open_page(KARTE, indikator="xyz", jahr="1800", ebene="99", darstellung="bunt", klassen="egal", anzahl="40")
    first = catalogue.iloc[0]
    assert warnings(at) == [
        f"Indikator „xyz“ nicht vorhanden, {first['name']} gezeigt.",
        f"Jahr „1800“ nicht vorhanden, {int(first['last_year'])} gezeigt.",
        f"Ebene „99“ nicht vorhanden, {finest['label_plural']} gezeigt.",
        "Darstellung „bunt“ nicht vorhanden, Wert gezeigt.",
        "Klassifikation „egal“ nicht vorhanden, Quantile gezeigt.",
        "Klassen „40“ nicht vorhanden, 5 gezeigt.",
    ]
    assert at.query_params["indikator"] == first["indicator_id"]
    assert at.query_params["jahr"] == str(int(first["last_year"]))
    assert at.query_params["ebene"] == str(finest["level"])


def test_unknown_area_ids_are_named_escaped(open_page, area_ids):
    at = open_page(KARTE, gebiet=["[Link](https://evil.example)", area_ids[0]])
    sources = [w.value for w in at.warning]
    assert not at.exception
    assert [shown(s) for s in sources] == ["Unbekannte Gebiete im Link übergangen: [Link](https://evil.example)."]
    assert "[Link](https://" not in sources[0]
    assert at.multiselect[0].value == area_ids[:1]


def test_vergleich_with_unknown_indicators_year_focus_and_axes(open_page, store, catalogue, areas, area_ids,
                                                               finest):
    ids = list(catalogue.index)
    at = open_page(VERGLEICH, gebiet=area_ids[:2], indikatoren=["gibt_es_nicht", *ids[:14]], jahr="1800",
                   profil="zz", x="q", y="r", ebene="7")
    names = catalogue["name"]
    x_default, y_default = default_axes(catalogue)
    level_label = store.run("area_levels").set_index("level")["label"][int(areas.at[area_ids[0], "level"])]
    assert warnings(at) == [
        "Unbekannte Indikatoren im Link übergangen: gibt_es_nicht.",
        "Es werden die ersten 12 Indikatoren gezeigt (14 im Link).",
        f"Jahr „1800“ nicht vorhanden, {int(catalogue['last_year'].max())} gezeigt.",
        f"Gebiet „zz“ nicht vorhanden, {area_label(areas.at[area_ids[0], 'name'], level_label)} gezeigt.",
        f"x-Achse „q“ nicht vorhanden, {names[x_default]} gezeigt.",
        f"y-Achse „r“ nicht vorhanden, {names[y_default]} gezeigt.",
        f"Ebene „7“ nicht vorhanden, {finest['label_plural']} gezeigt.",
    ]
    assert at.multiselect(key="vergleich_list").value == ids[:12]


def test_profil_names_an_unknown_area(open_page):
    assert warnings(open_page("pages/3_Profil.py", profil="nix")) == ["Gebiet „nix“ nicht vorhanden."]


def test_a_rerun_of_the_clamped_view_stays_quiet(open_page, area_ids):
    at = open_page(KARTE, gebiet=area_ids[:12], jahr="1800")
    assert len(warnings(at)) == 2
    at.run()
    assert warnings(at) == []
    assert at.multiselect[0].value == area_ids[:8]


def test_a_huge_url_value_is_quoted_shortened(open_page):
    at = open_page(KARTE, indikator="x" * 5000)
    (message,) = warnings(at)
    assert message.startswith("Indikator „xxxxxxxx") and "…“ nicht vorhanden" in message
    assert len(message) < 200


def test_an_unknown_tab_and_a_huge_area_id_are_reported_short(open_page):
    huge = "x" * 5000
    assert warnings(open_page("pages/3_Profil.py", profil=huge)) == [f"Gebiet „{'x' * 39}…“ nicht vorhanden."]
    at = open_page(VERGLEICH, gebiet=["101", "102"], ansicht="gibtsnicht")
    assert "Ansicht „gibtsnicht“ nicht vorhanden, Balken mit Vertrauensbereich gezeigt." in warnings(at)
    assert dict(at.query_params)["ansicht"] == "balken"
