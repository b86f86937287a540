"""Cached reads for the pages. The cache key is the build id, so a swapped store never serves stale data."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sozialdash import fmt
from sozialdash.store import Store


@st.cache_resource(show_spinner=False, max_entries=512)
def _cached(_store: Store, build_id: str, name: str, params: tuple) -> pd.DataFrame:
    """The query's result with its text columns held as Python strings (numpy object arrays) instead of pandas'
    Arrow strings: the pages filter, compare and take small frames many times per run, and every such step on an
    Arrow column is a pyarrow call of its own (one per column; object columns share one block) that also lets go of
    the GIL, so that with a room of sessions each step waits for its turn again. Converted once here, the values
    and the missing ones (NaN) stay the same. The copy puts the columns of a dtype into one block, so that each
    caller's copy is one array copy per dtype (a seventh of the time)."""
    frame = _store.run(name, **{k: list(v) if isinstance(v, tuple) else v for k, v in params})
    return frame.astype({c: object for c in frame.columns if frame[c].dtype == "str"}).copy()


def query(store: Store, name: str, **params) -> pd.DataFrame:
    """A named query's result; lists in ``params`` are frozen into tuples for the cache key. One result serves
    every session (``cache_resource``: no unpickled copy per call, which cost a tenth of a Karte run); each caller
    gets a copy of its own to change."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _cached(store, store.build_id, name, frozen).copy()


def city_value(store: Store, indicator: str, year: int) -> float | None:
    """The whole city's value of an indicator in a year, if there is one."""
    city = query(store, "city_value", indicator=indicator, year=year)
    return float(city["value"].iloc[0]) if len(city) and pd.notna(city["value"].iloc[0]) else None


def level_labels(store: Store) -> dict[int, str | None]:
    """German label per level; none for the city, whose name says what it is."""
    levels = query(store, "area_levels")
    return {int(lv): (label if lv > 0 else None) for lv, label in zip(levels["level"], levels["label"])}


@st.cache_resource(show_spinner=False, max_entries=4)
def _area_names(_store: Store, build_id: str) -> pd.Series:
    areas = query(_store, "areas")
    return pd.Series(areas["name"].to_numpy(dtype=object), index=pd.Index(areas["area_id"].to_numpy(dtype=object)))


def area_names(store: Store) -> pd.Series:
    """Name by area id, made once per build; read-only (callers only look names up)."""
    return _area_names(store, store.build_id)


@st.cache_resource(show_spinner=False, max_entries=4)
def _area_labels(_store: Store, build_id: str) -> pd.Series:
    areas = query(_store, "areas")
    labels = level_labels(_store)
    return pd.Series([fmt.area_label(n, labels[int(lv)]) for n, lv in zip(areas["name"], areas["level"])],
                     index=pd.Index(areas["area_id"].to_numpy(dtype=object), name="area_id"), dtype=object)


def area_labels(store: Store) -> pd.Series:
    """'Nord (Sozialraum)' per area id: the label every list, axis and table uses; made once per build (10,000
    areas cost a page run 40 ms each time), each caller gets a copy."""
    return _area_labels(store, store.build_id).copy()
