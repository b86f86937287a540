"""Vergleich: 2–8 areas side by side, an overview of one area, and two indicators against each other."""

import streamlit as st

from sozialdash import fmt
from sozialdash.analysis.correlation import correlate
from sozialdash.ui import controls, state
from sozialdash.ui.data import city_value, query
from sozialdash.ui.page import setup_page
from sozialdash.ui.safe import md
from sozialdash.ui.vergleich import at_year, comparison_table, comparison_years, scatter_table, series, year_up_to
from sozialdash.views import charts

store = setup_page("Vergleich")
st.title("Vergleich")
catalogue = controls.catalogue(store)
all_areas = query(store, "areas").set_index("area_id")

chosen = controls.areas(store, key="vergleich_areas", label="Gebiete (2 bis 8, jede Ebene)", suggest=True)
topic, indicator_ids = controls.indicator_set(store)
indicators = catalogue.loc[indicator_ids]
years = comparison_years(catalogue.loc[indicator_ids])
year = st.selectbox("Jahr", years, key="vergleich_year",
                    index=years.index(state.pick(years, state.url_value(state.P_YEAR), years[0], "Jahr"))) if years else None

bars, lines, table, spine, scatter = st.tabs(
    ["Balken mit Vertrauensbereich", "Zeitreihen", "Tabelle", "Überblick eines Gebiets", "Streudiagramm"])
if len(chosen) < 2 or not indicator_ids:
    for tab in (bars, lines, table):
        tab.info("Bitte mindestens zwei Gebiete und einen Indikator wählen.", icon=":material/touch_app:")
else:
    data = series(store, indicator_ids, chosen)
    current = at_year(data, year)
    areas_now, city_now = current[current["level"] > 0], current[current["level"] == 0]
    bars.caption(f"Werte {year} (oder das letzte Jahr davor mit Daten). Balkenfarbe: Bewertung ggü. Gesamtstadt "
                 "(rot schlechter, gelb ähnlich, blau besser); Linien: 95-%-Vertrauensbereich; gestrichelt: Gesamtstadt.")
    bars.plotly_chart(charts.bars_with_intervals(areas_now, indicators, city_now), key="vergleich_bars")
    lines.plotly_chart(charts.time_series(data, indicators), key="vergleich_lines")
    table.dataframe(comparison_table(areas_now, city_now, indicators), hide_index=True, width="stretch")

with spine:
    candidates = chosen or list(all_areas.index[all_areas["level"] > 0][:1])
    focus = st.selectbox("Gebiet", candidates, format_func=lambda a: all_areas.at[a, "name"], key="vergleich_focus",
                         index=candidates.index(state.pick(candidates, state.url_value(state.P_AREA), candidates[0],
                                                           "Gebiet", lambda a: all_areas.at[a, "name"])))
    st.caption(f"Jahr {year}. Jede Zeile: Spanne aller Gebiete derselben Ebene (hell), mittlere Hälfte (dunkler), Gesamtstadt "
               "(Mittellinie) und das Gebiet (Punkt, Farbe = Bewertung). Günstigere Werte stehen immer rechts.")
    overview = query(store, "area_overview", area=focus, year=year or int(catalogue["last_year"].max()))
    st.plotly_chart(charts.spine_chart(overview, all_areas.at[focus, "name"]), key="vergleich_spine")

with scatter:
    x_col, y_col, level_col = st.columns(3)
    x_ind = controls.indicator(store, key="scatter_x", url_key=state.P_X, label="x-Achse", default="sgb2_quote",
                               container=x_col)
    y_ind = controls.indicator(store, key="scatter_y", url_key=state.P_Y, label="y-Achse", default="uebergang_gym",
                               container=y_col)
    level = controls.level(store, key="scatter_level", container=level_col)
    x_year = year_up_to(store, x_ind["indicator_id"], year)
    y_year = year_up_to(store, y_ind["indicator_id"], year)
    points = scatter_table(store, x_ind["indicator_id"], y_ind["indicator_id"], x_year, y_year, int(level["level"]))
    r = correlate(points["x"], points["y"])
    st.caption(f"{md(level['label_plural'])}, x: {x_year}, y: {y_year} · Pearson r = {fmt.number(r.pearson, 2)}, "
               f"Spearman ρ = {fmt.number(r.spearman, 2)} (n = {r.n}; geheime Werte ausgelassen)")
    st.plotly_chart(charts.scatter(points, x_ind, y_ind, city_value(store, x_ind["indicator_id"], x_year),
                                   city_value(store, y_ind["indicator_id"], y_year), chosen), key="vergleich_scatter")

state.write_url({
    state.P_AREAS: chosen, state.P_TOPIC: topic, state.P_INDICATORS: None if topic else indicator_ids,
    state.P_YEAR: year, state.P_AREA: focus, state.P_X: x_ind["indicator_id"], state.P_Y: y_ind["indicator_id"],
    state.P_LEVEL: int(level["level"]),
})
