"""The Karte's data work: one call gives the map's data, the area table and the legend for the chosen view."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
import streamlit as st

from sozialdash.analysis.area_table import area_table
from sozialdash.analysis.change import change_decimals, change_unit
from sozialdash import fmt, glossary
from sozialdash.analysis.classify import SCHEME_LABELS, Classification, classify
from sozialdash.store import Store, from_wkb
from sozialdash.ui import controls, state
from sozialdash.ui.data import city_value, query
from sozialdash.views import choropleth, images, maps, tables

MODES = {"value": "Wert", "judgement": "Bewertung", "change": "Veränderung"}
COMPARATORS = glossary.COMPARATOR
SHARED_VIEWS = 48
SHARED_VIEWS_SECONDS = 1800
"""A view holds its tables and the map's colours and tooltips (the shapes are shared per level), so the views kept
for everybody are bounded in number and dropped half an hour after they were built."""
TITLE_CHARS = 60  # a subheader line beside the definition popover at 1280×720
SOURCE_CHARS = 150  # one line under a 1600 px map


@dataclass(frozen=True)
class KarteChoice:
    """Everything the user chose for the map: the view a shared link must reproduce."""

    ind: pd.Series
    year: int
    level: pd.Series
    mode: str
    compared: int          # first year of the trend, or the start of the change map
    comparator: str
    scheme: str
    k: int
    labels: bool

    def url(self, areas: Sequence[str]) -> dict[str, object]:
        return {
            state.P_INDICATOR: self.ind["indicator_id"], state.P_YEAR: self.year, state.P_LEVEL: int(self.level["level"]),
            state.P_MODE: self.mode, state.P_FROM_YEAR: self.compared, state.P_COMPARATOR: self.comparator,
            state.P_SCHEME: self.scheme, state.P_K: self.k, state.P_LABELS: int(self.labels), state.P_AREAS: list(areas),
        }


def choose(store: Store) -> KarteChoice:
    """The Karte's controls in the sidebar, right below the navigation, each seeded from the URL: the main area
    belongs to the map, which a 1280×720 beamer must show whole. Rarely changed settings sit in a popover."""
    with st.sidebar:
        st.markdown("**Karte**")
        ind = controls.indicator(store, key="karte")
        years = [int(y) for y in query(store, "indicator_years", indicator=ind["indicator_id"])["year"]]
        when, where = st.columns([1, 1.3])
        year = controls.year(store, ind["indicator_id"], key="karte_year", container=when)
        level = controls.level(store, key="karte_level", container=where, indicator=ind["indicator_id"])
        modes = list(MODES)
        mode = st.segmented_control("Darstellung", modes, format_func=MODES.get, key="karte_mode",
                                    default=state.pick(modes, state.url_value(state.P_MODE), "value",
                                                       "Darstellung", MODES.get),
                                    required=True, width="stretch")
        compared, comparator = min(years), "judgement_city"
        if mode == "change":
            earlier = [y for y in years if y < year] or [year]
            compared = st.selectbox("Veränderung seit", earlier, key=f"karte_from_{ind['indicator_id']}",
                                    index=earlier.index(state.pick(earlier, state.url_value(state.P_FROM_YEAR),
                                                                   earlier[0], "Veränderung seit")))
        if mode == "judgement" and int(level["level"]) > 1:
            comparators = list(COMPARATORS)
            comparator = st.selectbox("Bewertung", comparators, format_func=COMPARATORS.get, key="karte_comparator",
                                      index=comparators.index(state.pick(comparators,
                                                                         state.url_value(state.P_COMPARATOR),
                                                                         comparator, "Bewertung", COMPARATORS.get)))
        with st.popover("Klassen und Namen", icon=":material/tune:", width="stretch"):
            schemes = list(SCHEME_LABELS)
            scheme = st.selectbox("Klassifikation", schemes, format_func=SCHEME_LABELS.get, key="karte_scheme",
                                  index=schemes.index(state.pick(schemes, state.url_value(state.P_SCHEME),
                                                                 "quantiles", "Klassifikation", SCHEME_LABELS.get)),
                                  disabled=mode == "judgement")
            k = st.slider("Klassen", 3, 7, key="karte_k", disabled=mode == "judgement",
                          value=int(state.pick(range(3, 8), state.url_value(state.P_K), 5, "Klassen")))
            labels = st.toggle("Gebietsnamen auf der Karte", key="karte_labels",
                               value=state.url_value(state.P_LABELS) != "0")
    return KarteChoice(ind, year, level, mode, compared, comparator, scheme, k, labels)


def png(store: Store, choice: KarteChoice, view: MapView, chosen: Sequence[str]) -> bytes:
    """The Karte's view as a PNG: its fills, its legend, the chosen areas, the names when the map shows them, a
    title naming indicator, year and level, and the indicator's source."""
    heading = f"{title(choice)} · {choice.level['label_plural']}"
    return map_png(store, int(choice.level["level"]), view.fills, legend=view.legend, title=heading,
                   note=source_line(store, choice.ind["source"]), labels=choice.labels, chosen=chosen)


def png_file_name(store: Store, choice: KarteChoice) -> str:
    return tables.file_name(store.meta["name"], choice.ind["indicator_id"], choice.year, choice.level["key"], "png")


def title(choice: KarteChoice) -> str:
    """One line above the map, with the short name: a title that wraps pushes the map below the fold of a
    1280×720 beamer. The full name and definition are one click away (the popover beside it)."""
    name = choice.ind["short_name"]
    text = {"value": f"{name} {choice.year}",
            "judgement": f"{name} {choice.year}: Bewertung {COMPARATORS[choice.comparator]}",
            "change": f"{name}: Veränderung {choice.compared}–{choice.year}"}[choice.mode]
    return fmt.shorten(text, TITLE_CHARS)


@dataclass(frozen=True)
class MapView:
    map: dict                      # the view's data for the map element (views.maps.view_data)
    shapes: dict[str, bytes]       # the shapes it is drawn over, by key
    table: pd.DataFrame            # area table (numbers), sorted as the display table
    display: pd.DataFrame          # formatted table
    legend: pd.DataFrame
    fills: pd.Series               # hex fill by area id, as the map draws them (for the PNG)
    classes_used: int | None
    city_value: float | None
    city_secret: bool


@st.cache_resource(show_spinner=False, max_entries=16)
def shapes(_store: Store, build_id: str, level: int) -> tuple[str, bytes, pd.Series]:
    """A level's shapes for the browser (key, payload, area ids in payload order), made from WKB once per build
    and shared between sessions; callers only read them."""
    key = f"{build_id}:{level}"
    frame = _store.run("area_shapes", level=level)
    return key, maps.shape_payload(key, frame), frame["area_id"]


@st.cache_resource(show_spinner=False, max_entries=16)
def _decoded(_store: Store, build_id: str, level: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """A level's areas, shapes and label points as shapely objects, decoded once per build: a bundle of 540
    Datenblätter draws the same level 540 times. Shared between sessions; shapely objects are immutable."""
    frame = _store.run("area_shapes", level=level)
    return frame, from_wkb(frame["display_wkb"]), shapely.points(frame["label_lon"], frame["label_lat"])


def map_png(store: Store, level: int, fills: pd.Series, *, legend: pd.DataFrame | None = None,
            title: str | None = None, note: str | None = None, labels: bool = True, chosen: Sequence[str] = (),
            parents: bool = True, size_px: tuple[int, int] = images.MAP_SIZE_PX) -> bytes:
    """A map of ``level`` as PNG for slides and Datenblätter, drawn on the server (``views.images.map_png``):
    ``fills`` (hex by area id, the fills the map element draws; an area without one gets the no-data grey),
    the level above outlined as on the Karte when ``parents``, ``chosen`` areas outlined in magenta, names where
    they fit when ``labels``; ``legend`` a legend frame (Farbe, Klasse, Gebiete) drawn beside the map; ``title``
    above it, ``note`` (``source_line``) below. The picture is drawn when someone asks for it, not cached."""
    frame, geometries, label_points = _decoded(store, store.build_id, level)
    outer = _decoded(store, store.build_id, level - 1)[1] if parents and level > 1 else None
    entries = [] if legend is None else [(colour, f"{label} ({count})") for colour, label, count in
                                         zip(legend["Farbe"], legend["Klasse"], legend["Gebiete"])]
    return images.map_png(geometries, fills.reindex(frame["area_id"]).tolist(),
                          outlined=frame["area_id"].isin(list(chosen)).to_numpy(),
                          names=frame["name"].tolist() if labels else None, label_points=label_points,
                          parents=outer, legend=entries, title=title, note=note, size_px=size_px)


def source_line(store: Store, source: object = None) -> str:
    """The line under an exported map: the indicator's source where there is one, the dataset and the build's
    date, and "Fiktive Demodaten" on a demo, as every page's badge says."""
    meta = store.meta
    parts = ([f"Quelle: {source}"] if isinstance(source, str) and source else []) + [
        str(meta["name"]), f"Stand der Datenbank {fmt.day(meta['built_at'])}"]
    if meta["is_demo"]:
        parts.append("Fiktive Demodaten")
    return fmt.shorten(" · ".join(parts), SOURCE_CHARS)


@st.cache_data(show_spinner=False, max_entries=256)
def classes(build_id: str, values: np.ndarray, scheme: str, k: int, city_value: float | None
            ) -> tuple[Classification, np.ndarray]:
    return classify(values, scheme, k, city_value)


@st.cache_resource(show_spinner=False, max_entries=SHARED_VIEWS, ttl=SHARED_VIEWS_SECONDS)
def _shared_view(_store: Store, build_id: str, indicator_id: str, _ind: pd.Series, year: int, level: int, mode: str,
                 compared_year: int, scheme: str, k: int, labels: bool, comparator: str,
                 highlight: tuple[str, ...]) -> MapView:
    return map_view(_store, _ind, year, level, mode, compared_year, scheme, k, labels, comparator, highlight)


def shared_view(store: Store, ind: pd.Series, year: int, level: int, mode: str, compared_year: int, scheme: str,
                k: int, labels: bool, comparator: str = "judgement_city", highlight: Sequence[str] = ()) -> MapView:
    """``map_view``, built once per store and choice for every session: a room looks at the same maps, and a
    view shown once costs the next person only its sending. Read-only (pages copy what they change)."""
    return _shared_view(store, store.build_id, ind["indicator_id"], ind, year, level, mode, compared_year, scheme, k,
                        labels, comparator, tuple(highlight))


def map_view(store: Store, ind: pd.Series, year: int, level: int, mode: str, compared_year: int, scheme: str,
             k: int, labels: bool, comparator: str = "judgement_city", highlight: Sequence[str] = ()) -> MapView:
    indicator_id = ind["indicator_id"]
    values = query(store, "level_values", indicator=indicator_id, year=year, level=level)
    first = query(store, "level_values", indicator=indicator_id, year=compared_year, level=level)
    city = city_value(store, indicator_id, year)
    table = area_table(values, city, first, ind["value_type"], by="trend" if mode == "change" else "value")
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
        colouring = choropleth.by_class(index, classification, ind["polarity"], decimals, unit,
                                        tables.secret_cells(table, column))
        classes_used = classification.k
    areas = table[["area_id", "name"]].assign(
        fill=colouring.fills.to_numpy(),
        tooltip=tables.tooltips(table, ind, city, int(table["rank"].notna().sum()), compared_year,
                                comparator).to_numpy(),
    )
    key, payload, ids = shapes(store, store.build_id, level)
    drawn = {key: payload}
    parent_key = None
    if level > 1:
        parent_key, drawn[parent_key], _ = shapes(store, store.build_id, level - 1)
    data = maps.view_data(key, ids, areas, parent_key=parent_key, labels=labels, chosen=tuple(highlight))
    city_row = query(store, "city_value", indicator=indicator_id, year=year)
    return MapView(data, drawn, table, tables.display_table(table, ind, compared_year, comparator), colouring.legend,
                   areas.set_index("area_id")["fill"], classes_used, city, bool(city_row["suppression"].notna().any()))
