"""The Sozialnavigator page: filters from the URL reproduce a view, the URL says every filter, empty results say
what to loosen, and areas carry over from the Karte."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod
from streamlit.testing.v1 import AppTest

from sozialdash.ui import navigator
from sozialdash.ui.safe import md
from sozialdash.ui.state import SELECTED_AREAS

from .conftest import ROOT, TIMEOUT

PAGE = "pages/4_Sozialnavigator.py"
COUNT = re.compile(r"^\*\*([\d.]+) Einrichtung(en)?\*\*")


@pytest.fixture(scope="module")
def institutions(store) -> pd.DataFrame:
    return store.run("institution_list")


def count(at) -> int:
    shown = [m.value for m in at.markdown if COUNT.match(m.value)]
    assert len(shown) == 1, shown
    return int(COUNT.match(shown[0]).group(1).replace(".", ""))


def listed(at) -> list[str]:
    tables = [d.value for d in at.dataframe if "ID" in d.value.columns]
    assert len(tables) == 1
    return list(tables[0]["ID"])


def url(at, key: str) -> list[str]:
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def a_kita(institutions) -> pd.Series:
    return institutions[institutions["categories"].map(lambda c: c[0] == "Kita")].iloc[0]


def test_without_filters_every_institution_is_found(open_page, institutions):
    at = open_page(PAGE)
    assert not at.exception
    assert count(at) == len(institutions)
    assert len(listed(at)) == min(len(institutions), navigator.PAGE_ROWS)


def test_a_shared_link_reproduces_familienzentren_within_1_km_of_a_kita_that_offer_turkish(open_page, institutions):
    kita = a_kita(institutions)
    at = open_page(PAGE, kategorie="Familienzentrum", sprache="Türkisch", umkreis=2000,
                   mitte=f"e:{kita['institution_id']}")
    assert not at.exception
    n = len(institutions)
    _, _, metres = Geod(ellps="WGS84").inv(np.full(n, kita["lon"]), np.full(n, kita["lat"]),
                                           institutions["lon"].to_numpy(), institutions["lat"].to_numpy())
    expected = institutions[institutions["categories"].map(lambda c: "Familienzentrum" in list(c))
                            & institutions["languages"].map(lambda ls: "Türkisch" in list(ls)) & (metres <= 2000)]
    order = np.argsort(metres[expected.index])
    assert listed(at) == list(expected["institution_id"].iloc[order])
    assert count(at) == len(expected)
    assert url(at, "kategorie") == ["Familienzentrum"] and url(at, "sprache") == ["Türkisch"]
    assert url(at, "umkreis") == ["2000"] and url(at, "mitte") == [f"e:{kita['institution_id']}"]


def test_the_url_names_every_filter_after_a_change(open_page):
    at = open_page(PAGE)
    at.multiselect(key=navigator.K["categories"]).select("Kita").run()
    at.text_input(key=navigator.K["text"]).input("strasse").run()
    at.number_input(key=navigator.K["age"]).set_value(3).run()
    assert not at.exception
    assert url(at, "kategorie") == ["Kita"] and url(at, "suche") == ["strasse"] and url(at, "alter") == ["3"]
    assert url(at, "barrierefrei") == ["0"]


def test_search_finds_strasse_in_straße(open_page, institutions):
    at = open_page(PAGE, suche="hauptstrasse")
    expected = institutions["street"].str.contains("Hauptstraße", regex=False)
    assert count(at) == int(expected.sum()) > 0


def test_an_empty_result_offers_to_reset_the_filter_in_the_way(open_page, institutions):
    at = open_page(PAGE, kategorie="Kita", alter=70)
    assert count(at) == 0
    assert any("Keine Einrichtung passt" in w.value for w in at.warning)
    buttons = {b.key: b for b in at.button}
    assert "nav_reset_age" in buttons and "nav_reset_categories" in buttons
    buttons["nav_reset_age"].click().run()
    kitas = institutions["categories"].map(lambda c: "Kita" in list(c)).sum()
    assert count(at) == kitas
    assert "alter" not in at.query_params


def test_areas_chosen_on_the_karte_carry_over(store, institutions):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.switch_page(PAGE)
    at.session_state[SELECTED_AREAS] = ["1"]
    at.run()
    areas = store.run("areas")
    inside = set(areas.loc[areas["parent_id"] == "1", "area_id"])
    assert count(at) == int(institutions["area_id"].isin(inside).sum()) > 0
    assert url(at, "gebiet") == ["1"]


def test_unknown_link_values_are_reported_and_dropped(open_page, institutions):
    at = open_page(PAGE, kategorie="Raumstation", alter="hundert", mitte="e:E99999", umkreis=1000)
    assert not at.exception
    said = " ".join(w.value for w in at.warning)
    assert "Raumstation" in said and "hundert" in said and "E99999" in said
    assert count(at) == len(institutions)


def test_a_chosen_institution_shows_every_detail(open_page, institutions):
    kita = a_kita(institutions)
    at = open_page(PAGE, einrichtung=kita["institution_id"])
    text = " ".join(m.value for m in at.markdown)
    assert md(kita["opening_hours"]) in text and md(kita["phone"]) in text and md(kita["email"]) in text
    assert url(at, "einrichtung") == [kita["institution_id"]]
