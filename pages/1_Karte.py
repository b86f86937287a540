"""Karte: one indicator on the map of any level, as value classes, judgements or change, with a ranked table."""

import streamlit as st

from sozialdash import fmt
from sozialdash.analysis.classify import SCHEME_LABELS
from sozialdash.ui import controls, karte, state
from sozialdash.ui.page import setup_page
from sozialdash.ui.safe import md
from sozialdash.views.tables import csv_bytes, csv_file_name, styled_legend

store = setup_page("Karte")
st.title("Karte")
choice = karte.choose(store)
ind, level = choice.ind, choice.level
controls.describe(ind)

map_column, table_column = st.columns([3, 2])
with map_column:
    head, canvas = st.container(), st.container()
    legend, selection = st.columns([1, 1])
    with selection:
        marked = controls.areas(store, key="karte_areas", label="Auswahl für den Vergleich (magenta umrandet)")
        st.page_link("pages/2_Vergleich.py", label="Auswahl vergleichen", icon=":material/compare_arrows:",
                     query_params={state.P_AREAS: marked}, disabled=len(marked) < 2)

view = karte.map_view(store, ind, choice.year, int(level["level"]), choice.mode, choice.compared, choice.scheme,
                      choice.k, choice.labels, choice.comparator, marked)
head.subheader(md(karte.title(choice)))
head.caption(f"{md(level['label_plural'])} · Gesamtstadt: {md(fmt.with_unit(view.city_value, int(ind['decimals']), ind['unit']))}"
             + (f" · {view.classes_used} Klassen ({SCHEME_LABELS[choice.scheme]})" if view.classes_used else "")
             + " · Klick auf ein Gebiet öffnet sein Profil")
clicked = canvas.pydeck_chart(view.deck, height=620, on_select="rerun", selection_mode="single-object",
                              key="karte_map")
legend.dataframe(styled_legend(view.legend), hide_index=True, width="content")
with table_column:
    st.subheader("Rangfolge")
    picked = st.dataframe(view.display, hide_index=True, width="stretch", height=620, on_select="rerun",
                          selection_mode="single-row", key="karte_table")
    st.download_button("Tabelle als CSV", csv_bytes(view.table, ind, choice.year, change_since=choice.compared),
                       icon=":material/download:", mime="text/csv",
                       file_name=csv_file_name(store.meta["name"], ind["indicator_id"], choice.year, level["key"]))

state.write_url(choice.url(marked))

chosen = [o["area_id"] for o in clicked.selection.objects.get("areas", [])]
chosen += [view.table.at[row, "area_id"] for row in picked.selection.rows]
if chosen:
    st.switch_page("pages/3_Profil.py", query_params={state.P_AREA: chosen[0]})
