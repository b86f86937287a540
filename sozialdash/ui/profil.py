"""The Profil's choices and data work: which area (by level and a search that forgives umlauts), which year, and
the pieces of its Datenblatt: the profile rows and their summary, the locator map, the areas below, the
institutions in it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sozialdash import fmt
from sozialdash.analysis import finder, profile
from sozialdash.store import Store
from sozialdash.ui import karte, navigator, state
from sozialdash.ui.data import area_labels, level_labels, query
from sozialdash.ui.shared import built
from sozialdash.views import maps
from sozialdash.views.colors import CHOSEN, PLAIN_AREA

K_LEVEL, K_SEARCH, K_AREA, K_YEAR = "profil_level", "profil_search", "profil_area", "profil_year"
LOCATOR_PX = 260
LOCATOR_PNG_PX = (600, 600)  # 7,6 cm at images.DPI: the size a Datenblatt prints it at, lines and text true to size
KEY_INDICATORS = 4   # headline indicators in the table of the areas below


def choose(store: Store) -> tuple[str, int]:
    """The area and the year, in the sidebar: a level, a search over the names (forgiving case and umlauts), the
    area itself. The URL's ``profil`` wins on a new link; the default is the first area below the city."""
    areas = query(store, "areas")
    labels = level_labels(store)
    wanted = state.url_value(state.P_AREA)
    known = set(areas["area_id"])
    if K_AREA not in st.session_state:
        if wanted is not None and wanted not in known:
            state.not_found("Gebiet", wanted)
        first = areas.loc[areas["level"] == min(1, int(areas["level"].max())), "area_id"].iloc[0]
        start = wanted if wanted in known else first
        st.session_state[K_LEVEL] = int(areas.set_index("area_id").at[start, "level"])
        st.session_state[K_AREA] = start
    levels = sorted(int(lv) for lv in areas["level"].unique())
    with st.sidebar:
        st.markdown("**Profil**")
        level = st.selectbox("Ebene", levels, key=K_LEVEL,
                             format_func=lambda lv: labels[lv] or "Gesamtstadt")
        typed = st.text_input("Gebiet suchen", key=K_SEARCH, placeholder="Name, z. B. muehlenfeld")
        on_level = areas[areas["level"] == level]
        options = list(on_level["area_id"])
        words = finder.fold(typed)[0].split()
        if words:
            folded = [finder.fold(n) for n in on_level["name"]]
            options = [a for a, (spelled, collapsed) in zip(on_level["area_id"], folded)
                       if all(w in spelled or finder.fold(w)[1] in collapsed for w in words)]
        if st.session_state.get(K_AREA) not in options:
            st.session_state[K_AREA] = options[0] if options else None
        names = on_level.set_index("area_id")["name"]
        area = st.selectbox("Gebiet", options, key=K_AREA, format_func=lambda a: names[a],
                            placeholder="kein Gebiet gefunden")
        catalogue = query(store, "indicator_catalogue")
        all_years = list(range(int(catalogue["last_year"].max()), int(catalogue["first_year"].min()) - 1, -1))
        if K_YEAR not in st.session_state:
            st.session_state[K_YEAR] = state.pick(all_years, state.url_value(state.P_AS_OF),
                                                  int(store.meta["reference_year"]), "Jahr")
        year = st.selectbox("Stand", all_years, key=K_YEAR)
    return area, int(year)


def _rows(store: Store, area: str, year: int) -> pd.DataFrame:
    return profile.profile_rows(query(store, "area_profile", area=area),
                                query(store, "indicator_catalogue"), year)


def rows(store: Store, area: str, year: int) -> pd.DataFrame:
    """The profile rows, built once per build, area and year for every session."""
    return built(_rows, (store.build_id, area, year), store, area, year)


def _located(store: Store, area: str) -> tuple[int, pd.Series]:
    """The locator's level (the area's own, the Sozialräume for the city) and a fill per area of it: one light
    fill, the area itself in the chosen colour, so it stands out among hundreds of Planungsräume."""
    areas = query(store, "areas").set_index("area_id")
    level = max(1, int(areas.at[area, "level"]))
    fills = pd.Series(PLAIN_AREA, index=areas.index[areas["level"] == level], dtype=object)
    if area in fills.index:
        fills[area] = CHOSEN
    return level, fills


def locator(store: Store, area: str) -> tuple[dict, dict[str, bytes]]:
    """The city's areas of the chosen area's level, the area filled and outlined, no names."""
    level, fills = _located(store, area)
    key, payload, ids = karte.shapes(store, store.build_id, level)
    names = query(store, "areas").set_index("area_id")["name"].reindex(ids)
    data = maps.view_data(key, ids, maps.plain_areas(ids, names).assign(fill=fills.reindex(ids).to_numpy()),
                          labels=False, chosen=tuple(a for a in (area,) if a in fills.index), height_px=LOCATOR_PX)
    return data, {key: payload}


def locator_png(store: Store, area: str, size_px: tuple[int, int] = LOCATOR_PNG_PX) -> bytes:
    """``locator`` as a PNG for the Datenblatt: the same areas and fills."""
    level, fills = _located(store, area)
    return karte.map_png(store, level, fills, labels=False, chosen=[a for a in (area,) if a in fills.index],
                         parents=False, size_px=size_px)


def children(store: Store, area: str, year: int) -> pd.DataFrame:
    """The areas directly below with the first headline indicators, "." where secret."""
    areas = query(store, "areas")
    below = areas[areas["parent_id"] == area]
    if not len(below):
        return pd.DataFrame()
    catalogue = query(store, "indicator_catalogue")
    key = catalogue[catalogue["headline"].astype(bool)].head(KEY_INDICATORS)
    table = pd.DataFrame({"Gebiet": below["name"].astype(str).to_numpy()})
    level = int(below["level"].iloc[0])
    for ind in key.itertuples():
        at = min(year, int(ind.last_year)) if pd.notna(ind.last_year) else year
        values = query(store, "level_values", indicator=ind.indicator_id, year=at, level=level).set_index("area_id")
        picked = values.reindex(below["area_id"])
        table[f"{ind.short_name} {at}"] = [fmt.cell(v, int(ind.decimals), ind.unit, pd.notna(s))
                                           for v, s in zip(picked["value"], picked["suppression"])]
    return table


def institutions(store: Store, area: str) -> pd.DataFrame:
    """The institutions in the area, counted by main category, most first."""
    d = navigator.directory(store)
    inside = finder.find(d, finder.Filters(areas=(area,))).rows
    counts = d.frame["categories"].iloc[inside].str[0].value_counts()
    return pd.DataFrame({"Kategorie": counts.index.astype(str), "Einrichtungen": [fmt.number(c) for c in counts]})


def heading(store: Store, area: str) -> tuple[str, str]:
    """The area's name and a line saying what it is: its level, every area it belongs to up to the city (a
    Planungsraum names its Bezirksregion, Prognoseraum and Bezirk), its size."""
    areas = query(store, "areas").set_index("area_id")
    row = areas.loc[area]
    labels = level_labels(store)
    parts = [labels[int(row["level"])] or "Gesamtstadt"]
    chain, parent = [], row["parent_id"]
    while isinstance(parent, str) and int(areas.at[parent, "level"]) > 0:
        chain.append(f"{areas.at[parent, 'name']} ({labels[int(areas.at[parent, 'level'])]})")
        parent = areas.at[parent, "parent_id"]
    if chain:
        parts.append("Teil von " + ", ".join(chain))
    parts.append(f"{fmt.number(row['area_km2'], 1)} km²")
    return str(row["name"]), " · ".join(parts)


def parent_label(store: Store, area: str) -> str | None:
    """The parent's label for its column, or None when the parent is the city (which has a column of its own)."""
    areas = query(store, "areas").set_index("area_id")
    parent = areas.at[area, "parent_id"]
    if not isinstance(parent, str) or int(areas.at[parent, "level"]) == 0:
        return None
    return str(area_labels(store)[parent])


def definitions(catalogue: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Definition, source and reference date of each shown indicator, one click away under its topic."""
    shown = catalogue.set_index("indicator_id").loc[ids]
    return pd.DataFrame({"Indikator": shown["name"].astype(str).to_numpy(),
                         "Definition": shown["definition"].astype(str).to_numpy(),
                         "Quelle": shown["source"].astype(str).to_numpy(),
                         "Stichtag": shown["reference_date"].astype(str).to_numpy()})
