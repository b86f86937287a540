"""Karte: one indicator on the map of any level, as value classes, judgements or change, with a ranked table."""

import streamlit as st

from sozialdash import fmt
from sozialdash.analysis.classify import SCHEME_LABELS
from sozialdash.ui import controls, state
from sozialdash.ui.data import query
from sozialdash.ui.karte import COMPARATORS, MODES, map_view
from sozialdash.ui.page import setup_page
from sozialdash.views.tables import csv_bytes, styled_legend

store = setup_page("Karte")
st.title("Karte")

what, when, how, classes = st.columns([2, 1.1, 1.7, 1.3])
ind = controls.indicator(store, key="karte", container=what)
years = [int(y) for y in query(store, "indicator_years", indicator=ind["indicator_id"])["year"]]
year = controls.year(store, ind["indicator_id"], key="karte_year", container=when)
level = controls.level(store, key="karte_level", container=when)
modes = list(MODES)
mode = how.segmented_control("Darstellung", modes, format_func=MODES.get, key="karte_mode",
                             default=state.pick(modes, state.url_value(state.P_MODE), "value"), required=True)
earlier = [y for y in years if y < year] or [year]
compared = min(years)
comparator = "judgement_city"
if mode == "change":
    compared = how.selectbox("Veränderung seit", earlier, key=f"karte_from_{ind['indicator_id']}",
                             index=earlier.index(state.pick(earlier, state.url_value(state.P_FROM_YEAR), earlier[0])))
if mode == "judgement" and int(level["level"]) > 1:
    comparators = list(COMPARATORS)
    comparator = how.selectbox("Bewertung", comparators, format_func=COMPARATORS.get, key="karte_comparator",
                               index=comparators.index(state.pick(comparators, state.url_value(state.P_COMPARATOR),
                                                                  comparator)))
schemes = list(SCHEME_LABELS)
scheme = classes.selectbox("Klassifikation", schemes, format_func=SCHEME_LABELS.get, key="karte_scheme",
                           index=schemes.index(state.pick(schemes, state.url_value(state.P_SCHEME), "quantiles")),
                           disabled=mode == "judgement")
k = classes.slider("Klassen", 3, 7, key="karte_k", value=int(state.pick(range(3, 8), state.url_value(state.P_K), 5)),
                   disabled=mode == "judgement")
labels = classes.toggle("Gebietsnamen auf der Karte", key="karte_labels", value=state.url_value(state.P_LABELS) != "0")
controls.describe(ind)

map_column, table_column = st.columns([3, 2])
with map_column:
    head, canvas = st.container(), st.container()
    legend, selection = st.columns([1, 1])
    with selection:
        marked = controls.areas(store, key="karte_areas", label="Auswahl für den Vergleich (magenta umrandet)")
        st.page_link("pages/2_Vergleich.py", label="Auswahl vergleichen", icon=":material/compare_arrows:",
                     query_params={state.P_AREAS: marked}, disabled=len(marked) < 2)

view = map_view(store, ind, year, int(level["level"]), mode, compared, scheme, k, labels, comparator, marked)
title = {"value": f"{ind['name']} {year}", "judgement": f"{ind['name']} {year}: Bewertung {COMPARATORS[comparator]}",
         "change": f"{ind['name']}: Veränderung {compared}–{year}"}[mode]
head.subheader(title)
head.caption(f"{level['label_plural']} · Gesamtstadt: {fmt.with_unit(view.city_value, int(ind['decimals']), ind['unit'])}"
             + (f" · {view.classes_used} Klassen ({SCHEME_LABELS[scheme]})" if view.classes_used else "")
             + " · Klick auf ein Gebiet öffnet sein Profil")
clicked = canvas.pydeck_chart(view.deck, height=620, on_select="rerun", selection_mode="single-object",
                              key="karte_map")
legend.dataframe(styled_legend(view.legend), hide_index=True, width="content")
with table_column:
    st.subheader("Rangfolge")
    picked = st.dataframe(view.display, hide_index=True, width="stretch", height=620, on_select="rerun",
                          selection_mode="single-row", key="karte_table")
    st.download_button("Tabelle als CSV", csv_bytes(view.table, ind, year), icon=":material/download:",
                       file_name=f"{ind['indicator_id']}_{year}_{level['key']}.csv", mime="text/csv")

state.write_url({
    state.P_INDICATOR: ind["indicator_id"], state.P_YEAR: year, state.P_LEVEL: int(level["level"]),
    state.P_MODE: mode, state.P_FROM_YEAR: compared, state.P_COMPARATOR: comparator, state.P_SCHEME: scheme, state.P_K: k,
    state.P_LABELS: int(labels), state.P_AREAS: marked,
})

chosen = [o["area_id"] for o in clicked.selection.objects.get("areas", [])]
chosen += [view.table.at[row, "area_id"] for row in picked.selection.rows]
if chosen:
    st.switch_page("pages/3_Profil.py", query_params={state.P_AREA: chosen[0]})
