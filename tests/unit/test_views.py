"""Pure view builders: data strings stay data, secret changes stay secret."""

import io

import pandas as pd

from sozialdash.views import maps, tables

IND = pd.Series({"indicator_id": "x", "name": "=Indikator", "short_name": "Anteil", "unit": "%", "decimals": 1,
                 "value_type": "proportion"})


def area_table(**overrides) -> pd.DataFrame:
    row = {"area_id": "1", "name": "@@=alert(1)", "value": 20.0, "numerator": 20.0, "denominator": 100.0,
           "ci_low": 13.0, "ci_high": 29.0, "suppression": None, "judgement_city": "worse",
           "judgement_parent": "similar", "rank": 1.0, "diff_city": 5.0, "trend": 2.0, "first_value": 18.0,
           "first_suppression": None}
    row.update(overrides)
    return pd.DataFrame([row])


def test_deck_strings_starting_with_at_at_are_not_expressions():
    assert maps.inert("@@=alert(1)").startswith("\u200b@@")
    assert maps.inert("Mühlenfeld") == "Mühlenfeld"


def test_csv_cells_that_look_like_formulas_are_kept_as_text():
    csv = tables.csv_bytes(area_table(name="=HYPERLINK(1)"), IND, 2025).decode("utf-8-sig")
    frame = pd.read_csv(io.StringIO(csv), sep=";", dtype=str)
    assert frame.loc[0, "Gebiet"] == "'=HYPERLINK(1)"
    assert frame.loc[0, "Indikator"] == "'=Indikator"
    assert frame.loc[0, "Wert"] == "20,0"


def test_change_is_secret_when_the_first_year_is():
    table = area_table(first_suppression="primary", trend=float("nan"), first_value=float("nan"))
    assert tables.display_table(table, IND, 2015)["seit 2015"].iloc[0] == "."
    assert "Veränderung seit 2015: ." in tables.tooltips(table, IND, 18.0, 1, 2015).iloc[0]


def test_tooltip_names_the_judgement_the_map_shows():
    table = area_table()
    assert "Bewertung ggü. Gesamtstadt: schlechter" in tables.tooltips(table, IND, 18.0, 1, 2015).iloc[0]
    parent = tables.tooltips(table, IND, 18.0, 1, 2015, "judgement_parent").iloc[0]
    assert "Bewertung ggü. übergeordnetem Gebiet: ähnlich" in parent
