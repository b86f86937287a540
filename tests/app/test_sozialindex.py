"""The Sozialindex page: the MSS defaults on the store's own values, the matrix, the URL and what departs from
the MSS."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sozialdash.analysis import sozialindex as si
from sozialdash.ui.sozialindex import MSS_INDICATORS

PAGE = "pages/7_Sozialindex.py"


def table_element(at):
    return [d for d in at.dataframe if "Statusindex" in d.value.columns][0]


def table(at) -> pd.DataFrame:
    return table_element(at).value


def test_the_default_follows_the_mss_on_the_stores_values(open_page, store):
    at = open_page(PAGE, ebene=2, jahr=2025)
    assert not at.exception and not at.warning
    shown = table(at).set_index("Gebiet")
    catalogue = store.run("indicator_catalogue").set_index("indicator_id")
    status, dynamics = {}, {}
    for indicator in MSS_INDICATORS:
        now = store.run("level_values", indicator=indicator, year=2025, level=2).set_index("name")["value"]
        before = store.run("level_values", indicator=indicator, year=2023, level=2).set_index("name")["value"]
        status[indicator], dynamics[indicator] = now, now - before
    people = store.run("level_values", indicator="einwohner", year=2025, level=2).set_index("name")["value"]
    complete = pd.concat([*status.values(), *dynamics.values()], axis=1).notna().all(axis=1)
    kept = people.index[(people >= 300) & complete.reindex(people.index, fill_value=False)]
    total = sum(si.standardise(status[i].reindex(kept).to_numpy()) for i in MSS_INDICATORS)
    expected = pd.Series(si.standardise(total), index=kept)
    assert np.array_equal(shown.loc[expected.index, "Statusindex"].astype(float), expected.round(2))   # as shown
    assert catalogue.loc[list(MSS_INDICATORS), "polarity"].eq("higher_is_worse").all()
    left_out = shown.index.difference(kept)
    assert shown.loc[left_out, "Status"].str.startswith(si.UNASSIGNED).all()


def test_the_matrix_counts_every_assigned_area(open_page, store):
    at = open_page(PAGE, ebene=2, jahr=2025)
    matrix = [d.value for d in at.dataframe if list(d.value.columns) == ["+", "+/-", "-"]][0]
    assigned = (table(at)["Code"] != "").sum()
    assert matrix.map(lambda v: int(v.replace(".", ""))).to_numpy().sum() == assigned
    assert list(matrix.index) == ["1 hoch", "2 mittel", "3 niedrig", "4 sehr niedrig"]


def test_a_changed_configuration_says_so_and_lives_in_the_url(open_page):
    at = open_page(PAGE, ebene=2, jahr=2025, zeitraum=3, mindestens=500, gewicht="kinderarmut:2")
    assert not at.exception
    said = " ".join(w.value for w in at.warning)
    assert "Nicht mehr die Regeln des MSS" in said and "Zeitraum 3 statt 2 Jahre" in said
    assert "ungleiche Gewichte" in said and "Mindestbevölkerung 500 statt 300" in said
    params = {k: at.query_params[k] for k in at.query_params}
    assert params["grenzen_status"] == "-1,1,1.5" and params["grenzen_dynamik"] == "-1,1"   # the MSS's, explicit
    assert params["zeitraum"] == "3" and params["mindestens"] == "500" and params["gewicht"] == "kinderarmut:2.0"
    assert np.all([c in ("", *[f"{s}{d}" for s in range(1, 5) for d in ("+", "+/-", "-")]) for c in table(at)["Code"]])


def test_a_link_with_custom_thresholds_reproduces_its_classes(open_page):
    at = open_page(PAGE, ebene=2, jahr=2025, grenzen_status="-0.5,0.5,1", grenzen_dynamik="-2,1.5")
    assert not at.exception
    said = " ".join(w.value for w in at.warning)
    assert "Klassengrenzen Status −0,5 | +0,5 | +1 statt −1 | +1 | +1,5" in said
    assert "Klassengrenzen Dynamik −2 | +1,5 statt −1 | +1" in said
    assert [n.value for n in at.number_input if n.label.startswith(("Status:", "Dynamik:"))] == [-0.5, 0.5, 1, -2, 1.5]
    shown = table(at)
    kept = shown[shown["Code"] != ""]
    status = si.status_class(kept["Statusindex"].to_numpy(), (-0.5, 0.5, 1.0))
    dynamics = si.dynamics_class(kept["Dynamikindex"].to_numpy(), (-2.0, 1.5))
    assert list(kept["Code"]) == [f"{s}{d}" for s, d in zip(status, dynamics)]
    assert set(status) - {2} and list(kept["Status"]) == [f"{s} {si.STATUS_CLASSES[s]}" for s in status]
    caption = " ".join(c.value for c in at.caption)
    assert "Status −0,5 | +0,5 | +1, Dynamik −2 | +1,5" in caption
    params = {k: at.query_params[k] for k in at.query_params}
    assert params["grenzen_status"] == "-0.5,0.5,1" and params["grenzen_dynamik"] == "-2,1.5"
    default = table(open_page(PAGE, ebene=2, jahr=2025)).set_index("Gebiet")
    assert np.allclose(default.loc[kept["Gebiet"], "Statusindex"], kept["Statusindex"])  # the index is the same
    assert (default.loc[kept["Gebiet"], "Code"].to_numpy() != kept["Code"].to_numpy()).any()


@pytest.mark.parametrize("bounds, culprit", [("1,-1,2", "auf +1 folgt −1"), ("-1,1", "3 Werte nötig, 2 angegeben"),
                                             ("a,b,c", "keine Zahlen"), ("-1,1,9", "+9 außerhalb von −5 bis +5")])
def test_thresholds_a_link_cannot_classify_with_are_named_and_the_mss_used(open_page, bounds, culprit):
    at = open_page(PAGE, ebene=2, jahr=2025, grenzen_status=bounds)
    assert not at.exception
    said = " ".join(w.value for w in at.warning)
    assert "Klassengrenzen Status" in said and f"(im Link „{bounds}“)" in said and culprit in said
    assert "MSS-Grenzen −1 | +1 | +1,5 gezeigt" in said and "Nicht mehr die Regeln des MSS" not in said
    assert at.query_params["grenzen_status"] == "-1,1,1.5"


def test_thresholds_entered_out_of_order_are_refused_in_the_sidebar(open_page):
    at = open_page(PAGE, ebene=2, jahr=2025)
    [bound] = [n for n in at.number_input if n.label == "Status: mittel | niedrig"]
    at = bound.set_value(2.0).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Klassengrenzen Status nicht aufsteigend: auf +2 folgt +1,5" in errors
    assert "Es gelten die MSS-Grenzen −1 | +1 | +1,5" in errors
    assert at.query_params["grenzen_status"] == "-1,1,1.5" and not at.warning


def test_the_table_sorts_by_number_and_has_both_downloads(open_page):
    at = open_page(PAGE, ebene=2, jahr=2025)
    element = table_element(at)
    shown = element.value
    numbers = [c for c in shown.columns if c.startswith("z ")] + ["Einwohner*innen", "Statusindex", "Dynamikindex"]
    assert all(pd.api.types.is_float_dtype(shown[c]) for c in numbers)
    columns = json.loads(element.proto.columns)
    assert element.proto.HasField("placeholder") and element.proto.placeholder == ""   # empty, not "None"
    assert all(columns[c]["type_config"]["format"] == "localized" for c in numbers)
    assert columns["Statusindex"]["type_config"]["step"] == 0.01
    assert columns["Einwohner*innen"]["type_config"]["step"] == 1
    left_out = shown[shown["Code"] == ""]
    assert len(left_out) and left_out[numbers[:-3] + ["Statusindex", "Dynamikindex"]].isna().all().all()
    assert {b.proto.label for b in at.get("download_button")} == {
        "Tabelle als CSV", "Tabelle als Excel", "Karte als PNG", "Bericht als PDF", "Bericht als HTML"}
    # the grid cuts a number to its step before formatting it, so it must get numbers rounded, not 3,2369
    figures = shown[numbers[:-3] + ["Statusindex", "Dynamikindex"]].to_numpy(dtype=float)
    assert np.array_equal(np.nan_to_num(figures), np.nan_to_num(np.round(figures, 2)))
