"""Building blocks of the Übersicht."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sozialdash import fmt
from sozialdash.analysis.change import change, change_decimals, change_unit
from sozialdash.store import Store
from sozialdash.ui.data import query
from sozialdash.ui.safe import md

DELTA_COLOR = {"higher_is_better": "normal", "higher_is_worse": "inverse", "neutral": "off"}


def levels(store: Store) -> pd.DataFrame:
    return query(store, "area_levels")


def headline_metrics(store: Store, year: int) -> None:
    """The city's headline indicators with their change against the previous year, coloured by polarity."""
    rows = query(store, "city_headlines", year=year)
    columns = st.columns(4)
    for index, row in enumerate(rows.itertuples()):
        decimals = change_decimals(row.value_type, row.decimals)
        delta = float(change(row.previous_value, row.value, row.value_type))
        delta_text, flat = None, True
        if pd.notna(row.previous_value):
            delta_text = f"{fmt.change(delta, decimals, md(change_unit(row.value_type, row.unit)))} zu {int(row.previous_year)}"
            flat = round(delta, decimals) == 0
        columns[index % 4].metric(
            md(row.short_name), md(fmt.with_unit(row.value, row.decimals, row.unit)), delta_text,
            delta_color="off" if flat else DELTA_COLOR[row.polarity], delta_arrow="off" if flat else "auto",
            border=True,
        )


def level_table(store: Store, level: int, year: int) -> None:
    rows = query(store, "level_population", level=level, year=year)
    table = pd.DataFrame({
        "Gebiet": rows["name"],
        "Einwohner*innen": [fmt.cell(v, 0, suppressed=pd.notna(s)) for v, s in zip(rows["population"], rows["suppression"])],
        "Fläche": [fmt.with_unit(v, 1, "km²") for v in rows["area_km2"]],
    })
    st.dataframe(table, hide_index=True, width="content")
