"""Widgets that several pages share: indicator by topic, year, level, areas. Each seeds itself from the URL."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sozialdash import glossary
from sozialdash.store import Store
from sozialdash.ui import state
from sozialdash.ui.data import area_labels, query
from sozialdash.ui.safe import md


COLOUR_COLUMN = {"Farbe": st.column_config.TextColumn("", width=34)}
"""The painted colour column of a legend (``views.tables.styled_legend``): narrow and without a heading."""


def catalogue(store: Store) -> pd.DataFrame:
    return query(store, "indicator_catalogue").set_index("indicator_id", drop=False)


def indicator(store: Store, key: str, url_key: str = state.P_INDICATOR, label: str = "Indikator",
              default: str | None = None, container=st, topic_container=None) -> pd.Series:
    """Topic first (in ``topic_container``, if given, e.g. the column beside), then the indicator; the URL may
    name the indicator directly."""
    cat = catalogue(store)
    fallback = default if default in cat.index else cat.index[0]
    start = cat.loc[state.pick(cat.index, state.url_value(url_key), fallback, label, cat["name"].get)]
    topics = list(dict.fromkeys(cat["topic"]))
    topic = (topic_container or container).selectbox(f"Thema ({label})", topics, index=topics.index(start["topic"]),
                                                     key=f"{key}_topic")
    in_topic = cat[cat["topic"] == topic]
    ids = list(in_topic.index)
    chosen = container.selectbox(label, ids, index=ids.index(start["indicator_id"]) if start["indicator_id"] in ids
                                 else 0, format_func=lambda i: cat.at[i, "name"], key=f"{key}_indicator")
    return cat.loc[chosen]


def indicator_set(store: Store, default_topic: str | None = None,
                  max_selections: int = 12) -> tuple[str | None, list[str]]:
    """A whole topic (the default: ``default_topic``, else the first) or a hand-picked list; returns the topic
    (None for a list) and the ids."""
    cat = catalogue(store)
    left, right = st.columns([1, 2])
    how = left.segmented_control("Indikatoren", ["topic", "list"], required=True, key="vergleich_how",
                                 format_func={"topic": "ganzes Thema", "list": "einzeln wählen"}.get,
                                 default="list" if state.url_list(state.P_INDICATORS) else "topic")
    if how == "list":
        wanted = state.pick_many(state.url_list(state.P_INDICATORS), cat.index, max_selections,
                                 "Indikatoren") or list(cat.index[:2])
        chosen = right.multiselect("Indikatoren", list(cat.index), default=wanted, format_func=lambda i: cat.at[i, "name"],
                                   key="vergleich_list", max_selections=max_selections)
        return None, chosen
    topics = list(dict.fromkeys(cat["topic_id"]))
    labels = cat.drop_duplicates("topic_id").set_index("topic_id")["topic"]
    fallback = default_topic if default_topic in topics else topics[0]
    topic = right.selectbox("Thema", topics, format_func=labels.get, key="vergleich_topic",
                            index=topics.index(state.pick(topics, state.url_value(state.P_TOPIC), fallback, "Thema",
                                                          labels.get)))
    return topic, list(cat.index[cat["topic_id"] == topic])


def describe(ind: pd.Series) -> None:
    """Definition, source and reading direction under the chooser: every number's meaning one glance away."""
    st.caption(
        f"**{md(ind['name'])}** ({md(ind['unit'] or glossary.VALUE_TYPE[ind['value_type']])}): {md(ind['definition'])} "
        f"· Quelle: {md(ind['source'])} · Stichtag: {md(ind['reference_date'])} · Wertung: {glossary.POLARITY[ind['polarity']]}"
    )


def year(store: Store, indicator_id: str, key: str, label: str = "Jahr", url_key: str = state.P_YEAR,
         default_latest: bool = True, container=st) -> int:
    years = [int(y) for y in query(store, "indicator_years", indicator=indicator_id)["year"]]
    fallback = years[0] if default_latest else years[-1]
    start = state.pick(years, state.url_value(url_key), fallback, label)
    return container.selectbox(label, years, index=years.index(start), key=f"{key}_{indicator_id}")


def level(store: Store, key: str, container=st, default_finest: bool = True, indicator: str | None = None
          ) -> pd.Series:
    """With ``indicator``, the default is the finest level on which it has values: a city that publishes shares
    only per Stadtteil would otherwise open on an all-grey map of its statistical districts."""
    levels = query(store, "area_levels")
    below_city = levels[levels["level"] > 0] if len(levels) > 1 else levels
    options = [int(v) for v in below_city["level"]]
    with_values = [int(v) for v in query(store, "indicator_levels", indicator=indicator)["level"]] if indicator else []
    candidates = [o for o in options if o in with_values] or options
    fallback = candidates[-1] if default_finest else candidates[0]
    labels = below_city.set_index("level")["label_plural"]
    start = state.pick(options, state.url_value(state.P_LEVEL), fallback, "Ebene", labels.get)
    chosen = container.selectbox("Ebene", options, index=options.index(start), format_func=lambda lv: labels[lv],
                                 key=key)
    return below_city[below_city["level"] == chosen].iloc[0]


def areas(store: Store, key: str, label: str, max_selections: int = 8, suggest: bool = False,
          container=st) -> list[str]:
    """Areas of any level below the city, named with their level; remembered across pages. With ``suggest``
    an empty choice starts with the first two areas below the city, so a comparison shows something at once.

    Streamlit's own message at the limit is English and cannot be changed (1.67), so a German caption says it."""
    all_areas = query(store, "areas")
    labels = area_labels(store)
    candidates = all_areas[all_areas["level"] > 0]
    names = dict(zip(candidates["area_id"], labels.reindex(candidates["area_id"])))
    default = state.selected_areas(list(names), max_selections)
    if suggest and not default:
        default = list(candidates.loc[candidates["level"] == 1, "area_id"][:2])
    chosen = container.multiselect(label, list(names), default=default,
                                   format_func=names.get, max_selections=max_selections, key=key,
                                   placeholder="Gebiete wählen")
    if len(chosen) >= max_selections:
        container.caption(f"Höchstens {max_selections} Gebiete: zum Hinzufügen erst ein Gebiet entfernen.")
    state.remember_areas(chosen)
    return chosen


def tabs(views: dict[str, str], key: str, url_key: str = state.P_TAB) -> tuple[dict[str, object], str]:
    """Tabs whose active one is in the URL: ``views`` maps the URL value to the tab label. Returns the tab
    containers by URL value and the active one's value.

    ``st.tabs`` (1.67) reports the active tab only when it tracks state (``on_change="rerun"``); it is seeded
    from the URL on the first run only, like the other widgets, so a click is never overridden by the link."""
    labels = list(views.values())
    if key not in st.session_state:
        first = next(iter(views))
        wanted = state.pick(list(views), state.url_value(url_key), first, "Ansicht", views.get)
        st.session_state[key] = views[wanted]
    containers = st.tabs(labels, key=key, on_change="rerun")
    active = next((value for value, tab in zip(views, containers) if tab.open), next(iter(views)))
    return dict(zip(views, containers)), active
