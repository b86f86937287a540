"""Sozialnavigator: find social institutions by what they offer and where, and see where need meets too little
supply."""

import streamlit as st

from sozialdash.analysis import finder
from sozialdash.ui import controls, navigator, state
from sozialdash.ui.page import setup_page
from sozialdash.views import institutions as views

TABS = {"finden": "Einrichtungen finden", "versorgung": "Versorgung: Bedarf und Angebot"}

store = setup_page("Sozialnavigator")
state.restore_view("navigator")
choice = navigator.choose(store)
directory = navigator.directory(store)
found = finder.find(directory, choice.filters)

st.subheader("Sozialnavigator")
tabs, active = controls.tabs(TABS, key="nav_tab")
with tabs["finden"]:
    st.markdown(navigator.summary(choice, found))
    if found.corrected:
        st.info(f"Für „{choice.filters.text}“ gibt es keinen Treffer; gezeigt wird „{found.corrected}“.",
                icon=":material/spellcheck:")
    if not len(found.rows):
        navigator.loosen(found)
    page = navigator.page_of(len(found.rows))
    start = (page - 1) * navigator.PAGE_ROWS
    shown = navigator.result_rows(store, found, slice(start, start + navigator.PAGE_ROWS))
    downloads = st.columns([1, 1, 4])
    downloads[0].download_button(
        "Liste als CSV", lambda: views.csv_bytes(navigator.result_rows(store, found)), icon=":material/download:",
        mime="text/csv", file_name=views.file_name(store.meta["name"], "csv"), disabled=not len(found.rows))
    downloads[1].download_button(
        "Liste als Excel", lambda: views.xlsx_bytes(navigator.result_rows(store, found), navigator.notes(store, choice)),
        icon=":material/table_view:", file_name=views.file_name(store.meta["name"], "xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", disabled=not len(found.rows))
    st.dataframe(views.display(shown), hide_index=True, width="stretch", key="nav_table")
    pages = max(1, -(-len(found.rows) // navigator.PAGE_ROWS))
    if pages > 1:
        page = st.number_input(f"Seite (von {pages})", min_value=1, max_value=pages, value=page, key="nav_page")

state.write_url(choice.url(None, page), page="navigator")
