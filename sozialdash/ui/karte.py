"""The Karte's data work: one call gives the deck, the area table and the legend for the chosen view."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pydeck as pdk
import streamlit as st

from sozialdash.analysis.area_table import area_table
from sozialdash.analysis.change import change_decimals, change_unit
from sozialdash.analysis.classify import Classification, classify
from sozialdash.store import Store
from sozialdash.ui.data import city_value, query
from sozialdash.views import choropleth, maps, tables

MODES = {"value": "Wert", "judgement": "Bewertung", "change": "Veränderung"}
COMPARATORS = {"judgement_city": "ggü. Gesamtstadt", "judgement_parent": "ggü. übergeordnetem Gebiet"}


@dataclass(frozen=True)
class MapView:
    deck: pdk.Deck
    table: pd.DataFrame            # area table (numbers), sorted as the display table
    display: pd.DataFrame          # formatted table
    legend: pd.DataFrame
    classes_used: int | None
    city_value: float | None
    compared_year: int


@st.cache_resource(show_spinner=False, max_entries=16)
def shapes(_store: Store, build_id: str, level: int) -> pd.DataFrame:
    """Polygon rows of one level, converted from WKB once per build and shared, not copied, between reruns
    (a cache_data copy costs 0.4 s per rerun at 10,000 areas); callers only read it."""
    return maps.shape_records(_store.run("area_shapes", level=level))


@st.cache_resource(show_spinner=False, max_entries=16)
def outlines(_store: Store, build_id: str, level: int) -> list[dict]:
    return maps.outline_paths(_store.run("area_shapes", level=level))


@st.cache_data(show_spinner=False, max_entries=256)
def classes(build_id: str, values: np.ndarray, scheme: str, k: int, city_value: float | None
            ) -> tuple[Classification, np.ndarray]:
    return classify(values, scheme, k, city_value)


def map_view(store: Store, ind: pd.Series, year: int, level: int, mode: str, compared_year: int, scheme: str,
             k: int, labels: bool, comparator: str = "judgement_city", highlight: Sequence[str] = ()) -> MapView:
    indicator_id = ind["indicator_id"]
    values = query(store, "level_values", indicator=indicator_id, year=year, level=level)
    first = query(store, "level_values", indicator=indicator_id, year=compared_year, level=level)
    city = city_value(store, indicator_id, year)
    table = area_table(values, city, first, ind["value_type"])
    decimals, unit = int(ind["decimals"]), ind["unit"]
    classes_used = None
    if mode == "judgement":
        colouring = choropleth.by_judgement(table[comparator])
    else:
        column = "trend" if mode == "change" else "value"
        if mode == "change":
            decimals = change_decimals(ind["value_type"], decimals)
            unit = change_unit(ind["value_type"], ind["unit"])
        reference = None if mode == "change" else city
        classification, index = classes(store.build_id, table[column].to_numpy(dtype=float), scheme, k, reference)
        colouring = choropleth.by_class(index, classification, ind["polarity"], decimals, unit)
        classes_used = classification.k
    names = query(store, "areas").set_index("area_id")
    areas = table[["area_id", "name"]].assign(
        fill=colouring.fills.to_numpy(),
        tooltip=tables.tooltips(table, ind, city, int(table["rank"].notna().sum())).to_numpy(),
        label_lon=table["area_id"].map(names["label_lon"]).to_numpy(),
        label_lat=table["area_id"].map(names["label_lat"]).to_numpy(),
    )
    parent_outlines = outlines(store, store.build_id, level - 1) if level > 1 else None
    records = shapes(store, store.build_id, level)
    marked = maps.record_paths(records[records["area_id"].isin(highlight)])
    deck = maps.area_map(records, areas, labels=labels, outlines=parent_outlines, highlight=marked)
    return MapView(deck, table, tables.display_table(table, ind, compared_year, comparator), colouring.legend, classes_used,
                   city, compared_year)
