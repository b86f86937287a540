"""Profil: the Datenblatt of one area, every indicator against the city and the parent, what stands out in words,
where the area lies, the areas below it and the institutions in it."""

import streamlit as st

from sozialdash.analysis.profile import summary
from sozialdash.glossary import RED_RED
from sozialdash.ui import controls, documents, profil, spine, state
from sozialdash.ui.area_map import area_map
from sozialdash.ui.page import setup_page
from sozialdash.ui.safe import md
from sozialdash.views.tables import profile_table, styled_legend

COLUMNS = {**controls.COLOUR_COLUMN,   # widths that fit the main column of a 1280 px screen
           "Indikator": st.column_config.TextColumn(width=170),
           "Verlauf": st.column_config.LineChartColumn("Verlauf", width=64),
           "Trend": st.column_config.TextColumn(width=124),
           "Zuerst": st.column_config.TextColumn(width=52, help=f"{RED_RED}: zuerst besprechen")}

store = setup_page("Profil")
state.restore_view("profil")
area, year = profil.choose(store)
if area is None:
    st.title("Profil")
    st.info("Kein Gebiet passt zur Suche. Bitte die Suche ändern.", icon=":material/search_off:")
    st.stop()
name, about = profil.heading(store, area)
parent = profil.parent_label(store, area)
rows = profil.rows(store, area, year)
catalogue = controls.catalogue(store)

text, where = st.columns([2.2, 1])
with text:
    st.title(md(name), anchor=False)  # no "link to heading" built from a data string
    st.caption(md(about) + f" · Stand {year}")
    said = summary(rows, name, parent)
    st.markdown("\n".join(f"- {md(sentence)}" for sentence in said) or "Keine Auffälligkeiten.")
    links = st.columns(2)
    links[0].page_link("pages/2_Vergleich.py", label="Dieses Gebiet im Vergleich", icon=":material/compare_arrows:",
                       query_params={state.P_AREAS: area})
    links[1].page_link("pages/4_Sozialnavigator.py", label="Einrichtungen im Gebiet", icon=":material/explore:",
                       query_params={state.P_AREAS: area})
with where:
    data, shapes = profil.locator(store, area)
    area_map(data, shapes, key="profil_map")
    documents.downloads(store, lambda: documents.profile_document(store, area, year), name, year, key="profil")
    with st.expander("Alle Datenblätter einer Ebene"):
        documents.bundle_controls(store, year)

with st.expander("Alle Indikatoren im Überblick (Diagramm)", icon=":material/align_horizontal_center:"):
    spine.show(store, area, year, name, "profil_ueberblick", key="profil_spine")

for topic, part in rows.groupby("topic", sort=False):
    st.subheader(md(topic), anchor=False)
    st.dataframe(styled_legend(profile_table(part, parent, year)), hide_index=True,
                 width="stretch", column_config=COLUMNS, key=f"profil_{topic}")
    with st.expander("Definitionen und Quellen"):
        st.dataframe(profil.definitions(catalogue, list(part["indicator_id"])), hide_index=True, width="stretch")

below, offers = st.columns([2, 1])
with below:
    children = profil.children(store, area, year)
    if len(children):
        st.subheader("Teilgebiete")
        st.dataframe(children, hide_index=True, width="stretch")
with offers:
    st.subheader("Einrichtungen")
    counted = profil.institutions(store, area)
    if len(counted):
        st.dataframe(counted, hide_index=True, width="stretch")
    else:
        st.caption("Keine Einrichtung im Gebiet verzeichnet.")

state.write_url({state.P_AREA: area, state.P_AS_OF: year}, page="profil")
