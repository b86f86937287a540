"""Cached reads for the pages. The cache key is the build id, so a swapped store never serves stale data."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sozialdash.store import Store


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(_store: Store, build_id: str, name: str, params: tuple) -> pd.DataFrame:
    return _store.run(name, **{k: list(v) if isinstance(v, tuple) else v for k, v in params})


def query(store: Store, name: str, **params) -> pd.DataFrame:
    """A named query's result; lists in ``params`` are frozen into tuples for the cache key."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _cached(store, store.build_id, name, frozen).copy()


def city_value(store: Store, indicator: str, year: int) -> float | None:
    """The whole city's value of an indicator in a year, if there is one."""
    city = query(store, "city_value", indicator=indicator, year=year)
    return float(city["value"].iloc[0]) if len(city) and pd.notna(city["value"].iloc[0]) else None
