"""Karte: one indicator on the map of any level, as value classes, judgements or change, with a ranked table."""

import streamlit as st

from sozialdash.analysis.classify import SCHEME_LABELS
from sozialdash.ui import controls, karte, state
from sozialdash.ui.area_map import area_map
from sozialdash.ui.page import setup_page
from sozialdash.ui.safe import md
from sozialdash.views.colors import CHOSEN_WORD
from sozialdash.views.tables import city_text, csv_bytes, csv_file_name, styled_legend

LEGEND_COLUMNS = {**controls.COLOUR_COLUMN, "Gebiete": st.column_config.TextColumn("Anzahl", width=58)}

store = setup_page("Karte")
state.restore_view("karte")
choice = karte.choose(store)
ind, level = choice.ind, choice.level

if choice.mode == "change" and choice.compared >= choice.year:
    state.write_url(choice.url(state.url_list(state.P_AREAS)), page="karte")
    st.warning(f"Für {choice.year}, das erste Jahr mit Werten, gibt es keine Veränderung. Bitte ein späteres Jahr "
               "wählen.", icon=":material/event_busy:")
    st.stop()

title, about = st.columns([6, 1], vertical_alignment="bottom")
caption = st.container()
map_column, side = st.columns([3, 1.1])
with side:
    legend = st.container()
    marked = controls.areas(store, key="karte_areas", label=f"Auswahl für den Vergleich ({CHOSEN_WORD} umrandet)")
    st.page_link("pages/2_Vergleich.py", label="Auswahl vergleichen", icon=":material/compare_arrows:",
                 query_params={state.P_AREAS: marked}, disabled=len(marked) < 2)

view = karte.shared_view(store, ind, choice.year, int(level["level"]), choice.mode, choice.compared, choice.scheme,
                         choice.k, choice.labels, choice.comparator, marked)
title.subheader(md(karte.title(choice)), anchor=False)  # no "link to heading" built from a data string
with about.popover("Definition", icon=":material/info:", width="stretch"):
    controls.describe(ind)
caption.caption(f"{md(level['label_plural'])} · Gesamtstadt: {md(city_text(view.city_value, ind, view.city_secret))}"
           + (f" · {view.classes_used} Klassen ({SCHEME_LABELS[choice.scheme]})" if view.classes_used else "")
           + " · Klick auf ein Gebiet öffnet sein Profil · Zoomen: + und − auf der Karte")
with map_column:
    clicked = area_map(view.map, view.shapes, key="karte_map").area
legend.dataframe(styled_legend(view.legend), hide_index=True, width="stretch", column_config=LEGEND_COLUMNS)
side.download_button("Tabelle als CSV", lambda: csv_bytes(view.table, ind, choice.year,
                                                      change_since=choice.compared),
                     icon=":material/download:", mime="text/csv",
                     file_name=csv_file_name(store.meta["name"], ind["indicator_id"], choice.year, level["key"]))
side.download_button("Karte als PNG", lambda: karte.png(store, choice, view, marked), icon=":material/image:",
                     mime="image/png", file_name=karte.png_file_name(store, choice))

st.subheader("Rangfolge")
picked = st.dataframe(view.display, hide_index=True, width="stretch", on_select="rerun",
                      selection_mode="single-row", key="karte_table")

state.write_url(choice.url(marked), page="karte")
state.remember_indicator(ind["indicator_id"])

chosen = [clicked] if clicked else []
chosen += [view.table.at[row, "area_id"] for row in picked.selection.rows]
if chosen:
    # the Profil at the Karte's year writes back exactly this address, so Back is one step to the Karte
    st.switch_page("pages/3_Profil.py", query_params={state.P_AREA: chosen[0], state.P_AS_OF: str(choice.year)})
