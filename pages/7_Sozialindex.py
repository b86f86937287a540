"""Sozialindex: every area's social status and its dynamics by the method of Berlin's Monitoring Soziale
Stadtentwicklung, as a map, the 4 × 3 matrix and a table."""

import streamlit as st

from sozialdash import fmt, glossary
from sozialdash.analysis import sozialindex as si
from sozialdash.ui import controls, documents, sozialindex, state
from sozialdash.ui.area_map import area_map
from sozialdash.ui.page import setup_page
from sozialdash.ui.safe import md
from sozialdash.views import xlsx
from sozialdash.views.tables import csv_file_name, text_csv

store = setup_page("Sozialindex")
state.restore_view("sozialindex")
config, level, year = sozialindex.choose(store)
st.title("Sozialindex")
names = controls.catalogue(store)["short_name"]
if not config.status or not config.dynamics:
    st.info("Bitte mindestens einen Status- und einen Dynamik-Indikator wählen.", icon=":material/tune:")
    state.write_url(sozialindex.url(config, level, year), page="sozialindex")
    st.stop()
departures = config.departures()
st.caption(md(sozialindex.describe(config, level, year, names)))
if departures:
    st.warning("Nicht mehr die Regeln des MSS: " + ", ".join(departures) + ".", icon=":material/rule:")
result = sozialindex.index(store, config, int(level["level"]), year)
map_column, side = st.columns([3, 1.3])
table = sozialindex.display(result, config, names)
with map_column:
    clicked = area_map(*sozialindex.map_data(store, result, int(level["level"])), key="index_map").area
with side:
    st.markdown("**Status (Zeilen) × Dynamik (Spalten)**")
    st.dataframe(sozialindex.matrix_table(result), width="stretch", column_config=sozialindex.matrix_columns(config))
    unassigned = int(result["excluded"].notna().sum())
    st.caption(f"{fmt.number(unassigned)} {md(level['label_plural'])} {si.UNASSIGNED} (grau). "
               + sozialindex.bounds_caption(config))
    changed = sozialindex.sensitivity(store, config, int(level["level"]), year)
    if len(changed):
        st.markdown("**Ohne einen Indikator** ändern so viele Gebiete ihren Code:")
        st.dataframe({"Indikator": [names[i] for i in changed.index], "Gebiete": changed.to_numpy()},
                     hide_index=True, width="stretch", column_config={"Gebiete": sozialindex.number_column(0)})
st.subheader("Alle Gebiete")
file_name = csv_file_name(store.meta["name"], "sozialindex", year, level["key"])
with st.container(horizontal=True):
    st.download_button("Tabelle als CSV", lambda: text_csv(sozialindex.text_table(table)),
                       icon=":material/download:", mime="text/csv", file_name=file_name)
    st.download_button("Tabelle als Excel",
                       lambda: sozialindex.xlsx_bytes(table, sozialindex.notes(store, config, level, year, names)),
                       icon=":material/table_view:", mime=xlsx.MIME, file_name=file_name.removesuffix(".csv") + ".xlsx")
    st.download_button("Karte als PNG", lambda: documents.index_map_png(store, result, level, year),
                       icon=":material/image:", mime="image/png", file_name=file_name.removesuffix(".csv") + ".png")
    documents.downloads(store, lambda: documents.index_document(store, config, level, year),
                        f"sozialindex_{level['key']}", year, key="index", noun="Bericht", width="content")
st.dataframe(sozialindex.rounded(table), hide_index=True, width="stretch",
             column_config=sozialindex.table_columns(table),
             placeholder="")  # an area left out has empty figures; the Status column says why
st.markdown(glossary.INDEX_METHOD)
state.write_url(sozialindex.url(config, level, year), page="sozialindex")
if clicked:   # the area's Profil at the index's year, as a click on the Karte opens it
    st.switch_page("pages/3_Profil.py", query_params={state.P_AREA: clicked, state.P_AS_OF: str(year)})
