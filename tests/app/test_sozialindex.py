"""The Sozialindex page: the MSS defaults on the store's own values, the matrix, the URL and what departs from
the MSS."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sozialdash import fmt
from sozialdash.analysis import sozialindex as si
from sozialdash.ui.sozialindex import MSS_INDICATORS

PAGE = "pages/7_Sozialindex.py"


def table(at) -> pd.DataFrame:
    return [d.value for d in at.dataframe if "Statusindex" in d.value.columns][0]


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
    for name, value in expected.items():
        assert shown.at[name, "Statusindex"] == fmt.number(value, 2)
    assert catalogue.loc[list(MSS_INDICATORS), "polarity"].eq("higher_is_worse").all()
    left_out = shown.index.difference(kept)
    assert shown.loc[left_out, "Status"].str.startswith(si.UNASSIGNED).all()


def test_the_matrix_counts_every_assigned_area(open_page, store):
    at = open_page(PAGE, ebene=2, jahr=2025)
    matrix = [d.value for d in at.dataframe if "+/- stabil" in d.value.columns][0]
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
    assert params["zeitraum"] == "3" and params["mindestens"] == "500" and params["gewicht"] == "kinderarmut:2.0"
    assert np.all([c in ("", *[f"{s}{d}" for s in range(1, 5) for d in ("+", "+/-", "-")]) for c in table(at)["Code"]])
