"""Vergleich: 2–8 areas side by side, an overview of one area, and two indicators against each other."""

import streamlit as st

from sozialdash.ui import controls, shared, spine, state
from sozialdash.ui import vergleich as v
from sozialdash.ui.data import area_labels
from sozialdash.ui.page import setup_page
from sozialdash.ui.safe import md
from sozialdash.views import charts
from sozialdash.views.colors import CHOSEN_POINT_WORD

store = setup_page("Vergleich")
dataset = store.meta["name"]  # the first part of every chart's file name
st.title("Vergleich")
catalogue = controls.catalogue(store)
labels = area_labels(store)
linked = state.url_value(state.P_TOPIC) or state.url_list(state.P_INDICATORS)
carried = None if linked else state.carried_indicator(catalogue.index)

chosen = controls.areas(store, key="vergleich_areas", label="Gebiete (2 bis 8, jede Ebene)", suggest=True)
topic, indicator_ids = controls.indicator_set(store, default_topic=v.default_topic(catalogue, carried))
indicators = catalogue.loc[indicator_ids]
years = v.comparison_years(indicators)
year = st.selectbox("Jahr", years, key="vergleich_year",
                    index=years.index(state.pick(years, state.url_value(state.P_YEAR), years[0], "Jahr"))) if years else None

tab, active = controls.tabs(v.TABS, key="vergleich_tab")
if len(chosen) < 2 or not indicator_ids or year is None:
    for name in ("balken", "zeitreihen", "tabelle"):
        tab[name].info("Bitte mindestens zwei Gebiete und einen Indikator mit Daten wählen.",
                       icon=":material/touch_app:")
else:
    view = (store.build_id, tuple(indicator_ids), tuple(chosen))  # what the comparison below is of
    shown = shared.built(v.comparison, view + (year,), store, indicators, chosen, year)
    with tab["balken"]:
        st.caption(f"Werte {year} (oder das letzte Jahr davor mit Daten). Balkenfarbe: Bewertung ggü. Gesamtstadt "
                   "(Legende); Striche: 95-%-Vertrauensbereich; gestrichelt: Gesamtstadt.")
        if shown.without_interval:
            st.caption(md(shown.without_interval))
        st.plotly_chart(shared.built(charts.bars_with_intervals, view + (year,), shown.values, indicators, shown.city),
                        key="vergleich_bars", config=charts.camera(dataset, "vergleich_balken", year))
    tab["zeitreihen"].plotly_chart(shared.built(charts.time_series, view, shown.series, indicators),
                                   key="vergleich_lines", config=charts.camera(dataset, "vergleich_zeitreihen"))
    tab["tabelle"].dataframe(shown.table, hide_index=True, width="stretch")

with tab["ueberblick"]:
    candidates = chosen or v.first_area(store)
    focus = st.selectbox("Gebiet", candidates, format_func=labels.get, key="vergleich_focus",
                         index=candidates.index(state.pick(candidates, state.url_value(state.P_AREA), candidates[0],
                                                           "Gebiet", labels.get)))
    spine_year = year or v.latest_year(catalogue)
    st.page_link("pages/3_Profil.py", label="Profil dieses Gebiets", icon=":material/description:",
                 query_params={state.P_AREA: focus, state.P_AS_OF: str(spine_year)})
    spine.show(store, focus, spine_year, labels[focus], "vergleich_ueberblick", key="vergleich_spine")

with tab["streuung"]:
    x_col, y_col, level_col = st.columns(3)
    x_default, y_default = v.default_axes(catalogue, carried)
    x_ind = controls.indicator(store, key="scatter_x", url_key=state.P_X, label="x-Achse", default=x_default,
                               container=x_col)
    y_ind = controls.indicator(store, key="scatter_y", url_key=state.P_Y, label="y-Achse", default=y_default,
                               container=y_col)
    level = controls.level(store, key="scatter_level", container=level_col)
    scatter_view = (store.build_id, x_ind["indicator_id"], y_ind["indicator_id"], year, int(level["level"]))
    pair = shared.built(v.scatter_pair, scatter_view, store, *scatter_view[1:])
    st.caption(f"{md(level['label_plural'])}, x: {pair.x_year}, y: {pair.y_year} · "
               f"{v.correlation_text(pair.correlation)} (Gebiete ohne Wert oder mit geheimem Wert "
               f"ausgelassen). {CHOSEN_POINT_WORD}: "
               f"die gewählten Gebiete{v.point_names_note(pair.points, charts.MAX_POINT_LABELS)}.")
    st.plotly_chart(shared.built(charts.scatter, scatter_view + (tuple(chosen),), pair.points, x_ind, y_ind,
                                 pair.city_x, pair.city_y, chosen), key="vergleich_scatter",
                    config=charts.camera(dataset, "vergleich_streuung", x_ind["indicator_id"], y_ind["indicator_id"]))

state.write_url({
    state.P_AREAS: chosen, state.P_TOPIC: topic, state.P_INDICATORS: None if topic else indicator_ids,
    state.P_YEAR: year, state.P_TAB: active, state.P_AREA: focus, state.P_X: x_ind["indicator_id"],
    state.P_Y: y_ind["indicator_id"], state.P_LEVEL: int(level["level"]),
})
