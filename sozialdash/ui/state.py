"""Shared state: the keys every page uses, and the URL that makes a view shareable.

A page reads its view from the URL once, lets widgets take over, and at the end writes every parameter back
explicitly (defaults and the year included), so a link shows the same view after a data update. Widgets are not
bound to the URL because bound widgets drop values equal to their default and lose them on page switches.
Selected areas also live in the session, so they carry over when the user moves between pages.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

SELECTED_AREAS = "selected_areas"
SELECTED_INDICATOR = "selected_indicator"  # carried from page to page, like the areas

# URL parameter names: German, because people read and share these links.
P_INDICATOR = "indikator"
P_INDICATORS = "indikatoren"
P_TOPIC = "thema"
P_YEAR = "jahr"
P_FROM_YEAR = "von"
P_LEVEL = "ebene"
P_MODE = "darstellung"
P_SCHEME = "klassen"
P_K = "anzahl"
P_LABELS = "namen"
P_AREAS = "gebiet"
P_AREA = "profil"
P_X = "x"
P_Y = "y"
P_COMPARATOR = "vergleich"
P_TAB = "ansicht"


def url_value(key: str) -> str | None:
    return st.query_params.get(key)


def url_list(key: str) -> list[str]:
    return st.query_params.get_all(key)


def pick(options: Sequence, wanted, fallback):
    """``wanted`` if it is a valid option (URL values are strings, options may not be), else ``fallback``."""
    for option in options:
        if wanted is not None and str(option) == str(wanted):
            return option
    return fallback


def selected_areas(valid: Sequence[str]) -> list[str]:
    """Areas chosen anywhere in this session; a URL with areas wins, since it was shared on purpose."""
    from_url = [a for a in url_list(P_AREAS) if a in valid]
    if from_url:
        st.session_state[SELECTED_AREAS] = from_url
    return [a for a in st.session_state.get(SELECTED_AREAS, []) if a in valid]


def remember_areas(areas: Sequence[str]) -> None:
    st.session_state[SELECTED_AREAS] = list(areas)


def remember_indicator(indicator_id: str) -> None:
    """The indicator a page shows, for the next page to start with (the Karte's choice opens the Vergleich)."""
    st.session_state[SELECTED_INDICATOR] = indicator_id


def carried_indicator(valid: Sequence[str]) -> str | None:
    """The indicator chosen earlier in this session, if this dataset still has it."""
    carried = st.session_state.get(SELECTED_INDICATOR)
    return carried if carried in list(valid) else None


def write_url(params: dict[str, object]) -> None:
    """Replace the URL's parameters with exactly these; lists become repeated keys."""
    st.query_params.from_dict({
        key: [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
        for key, value in params.items() if value is not None
    })
