"""Übersicht (app.py): title, the city's headline metrics and the table of Sozialräume, checked against the store."""

from __future__ import annotations

import pandas as pd
import pytest

from sozialdash import fmt

from .conftest import shown


@pytest.fixture(scope="module")
def page(open_page):
    at = open_page("app.py")
    assert not at.exception
    return at


@pytest.fixture(scope="module")
def headlines(store) -> pd.DataFrame:
    return store.run("city_headlines", year=int(store.meta["reference_year"]))


def test_title_names_the_city(page, store):
    assert [t.value for t in page.title] == [f"Sozialbericht {store.meta['city']}"]
    assert page.title[0].value == "Sozialbericht Musterstadt"


def test_reference_year_in_heading(page, store):
    assert f"Kennzahlen der Gesamtstadt {store.meta['reference_year']}" in [shown(s.value) for s in page.subheader]


def test_sgb2_quote_metric_is_the_city_value_formatted_german(page, headlines):
    row = headlines.set_index("indicator_id").loc["sgb2_quote"]
    expected = fmt.with_unit(row["value"], int(row["decimals"]), row["unit"])
    metrics = {shown(m.label): m.value for m in page.metric}
    assert row["short_name"] == "SGB-II-Quote"
    assert metrics["SGB-II-Quote"] == expected
    assert "," in expected and expected.endswith("%")  # like "11,8 %"


def test_every_headline_indicator_is_a_metric_with_its_store_value(page, headlines):
    metrics = {shown(m.label): m.value for m in page.metric}
    expected = {row.short_name: fmt.with_unit(row.value, int(row.decimals), row.unit) for row in headlines.itertuples()}
    assert metrics == expected


def test_metric_deltas_name_the_previous_year(page, headlines):
    deltas = {shown(m.label): m.proto.delta for m in page.metric}
    for row in headlines.itertuples():
        if pd.notna(row.previous_year):
            assert deltas[row.short_name].endswith(f" zu {int(row.previous_year)}")


def test_sozialraum_table_lists_every_sozialraum(page, store, areas):
    levels = store.run("area_levels")
    level_one = levels[levels["level"] == 1].iloc[0]
    assert f"{level_one['label_plural']} und Einwohner*innen" in [shown(s.value) for s in page.subheader]
    table = page.dataframe[0].value
    sozialraeume = areas[areas["level"] == 1]
    assert len(table) == len(sozialraeume) == 6
    assert list(table["Gebiet"]) == list(sozialraeume["name"])


def test_sozialraum_populations_sum_to_the_city_population(page, store):
    year = int(store.meta["reference_year"])
    city = store.run("city_value", indicator=store.meta["population_indicator"], year=year)
    table = page.dataframe[0].value
    populations = [int(text.replace(".", "")) for text in table["Einwohner*innen"]]
    assert sum(populations) == round(float(city["value"].iloc[0]))
    by_store = store.run("level_population", level=1, year=year)
    assert list(table["Einwohner*innen"]) == [fmt.number(v) for v in by_store["population"]]


def test_links_to_every_other_page(page):
    main_links = [link.label for link in page.main.get("page_link")]
    assert sorted(main_links) == sorted(["Karte", "Vergleich", "Profil", "Sozialindex", "Sozialnavigator", "Dialog",
                                         "Daten & Methodik", "Datenpflege"])
