"""The Profil: any area from a link or a search, its indicators against the city and the parent with the summary
above them, and nothing said or shown of a secret value."""

from __future__ import annotations

import re

import pytest

from sozialdash import fmt
from sozialdash.ui import profil
from sozialdash.ui.safe import md

PAGE = "pages/3_Profil.py"


def tables(at) -> list:
    return [d.value for d in at.dataframe if "Indikator" in d.value.columns and "Bewertung" in d.value.columns]


@pytest.mark.parametrize("area_id", ["101", "1", "0"])
def test_a_link_opens_the_areas_profile(open_page, areas, area_id):
    at = open_page(PAGE, profil=area_id)
    assert not at.exception
    assert [t.value for t in at.title] == [md(areas.at[area_id, "name"])]
    assert at.query_params["profil"] == area_id
    shown = sum(len(t) for t in tables(at))
    assert shown >= 40


def test_an_unknown_area_is_reported_and_the_first_is_shown(open_page):
    at = open_page(PAGE, profil="nicht-da")
    assert not at.exception
    assert any("nicht-da" in w.value for w in at.warning)
    assert len(at.title) == 1


def test_values_are_the_stores_with_the_city_and_the_parent(open_page, store):
    at = open_page(PAGE, profil="101", stand=2025)
    row = [t for t in tables(at) if "SGB-II-Quote" in list(t["Indikator"])][0].set_index("Indikator").loc["SGB-II-Quote"]
    values = store.run("area_profile", area="101")
    quote = values[(values["indicator_id"] == "sgb2_quote") & (values["year"] == 2025)].set_index("role")
    assert row["Wert"] == fmt.with_unit(quote.at["area", "value"], 1, "%")
    assert row["Stadt"] == fmt.with_unit(quote.at["city", "value"], 1, "%")
    parent_column = [c for c in row.index if c.endswith("(Sozialraum)")]
    assert len(parent_column) == 1 and row[parent_column[0]] == fmt.with_unit(quote.at["parent", "value"], 1, "%")


def test_a_secret_value_is_a_dot_everywhere_and_the_summary_is_silent_about_it(open_page, store, suppressed_cell):
    indicator, area, year = suppressed_cell
    at = open_page(PAGE, profil=area, stand=year)
    assert not at.exception
    catalogue = store.run("indicator_catalogue").set_index("indicator_id")
    name = catalogue.at[indicator, "short_name"]
    row = [t for t in tables(at) if name in list(t["Indikator"])][0].set_index("Indikator").loc[name]
    assert row["Wert"].startswith(fmt.SUPPRESSED) and row["Bewertung"] == "geheim"
    assert row["seit Vorjahr"] == fmt.SUPPRESSED and row["seit Beginn"] == fmt.SUPPRESSED
    summary = " ".join(m.value for m in at.markdown if m.value.startswith("- "))
    assert md(name) not in summary


def test_the_search_forgives_umlauts(open_page, areas):
    at = open_page(PAGE)
    with_umlaut = next(n for n in areas["name"] if re.search("[äöüß]", n))
    typed = with_umlaut.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    level = int(areas.loc[areas["name"] == with_umlaut, "level"].iloc[0])
    at.selectbox(key=profil.K_LEVEL).set_value(level).run()
    at.text_input(key=profil.K_SEARCH).input(typed).run()
    assert not at.exception
    assert at.title[0].value == md(with_umlaut)


def test_the_institutions_in_the_area_are_counted(open_page, store):
    at = open_page(PAGE, profil="1")
    counted = [d.value for d in at.dataframe if "Einrichtungen" in d.value.columns][0]
    institutions = store.run("institution_list")
    children = set(store.run("areas").query("parent_id == '1'")["area_id"])
    assert sum(int(c.replace(".", "")) for c in counted["Einrichtungen"]) == \
        int(institutions["area_id"].isin(children).sum())
