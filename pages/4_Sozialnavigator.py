"""Sozialnavigator: find social institutions by what they offer and where, and see where need meets too little
supply."""

import numpy as np
import streamlit as st

from sozialdash.analysis import finder
from sozialdash.ui import controls, navigator, state
from sozialdash.ui.page import setup_page
from sozialdash.ui.safe import md
from sozialdash.views import institutions as views

TABS = {"finden": "Einrichtungen finden", "versorgung": "Versorgung: Bedarf und Angebot"}

store = setup_page("Sozialnavigator")
state.restore_view("navigator")
choice = navigator.choose(store)
found = finder.find(navigator.directory(store), choice.filters)

heading, count = st.columns([1, 3], vertical_alignment="bottom")
heading.subheader("Sozialnavigator")
tabs, active = controls.tabs(TABS, key="nav_tab")
with tabs["finden"]:
    if found.corrected:
        st.info(f"Für „{md(choice.filters.text)}“ gibt es keinen Treffer; gezeigt wird „{md(found.corrected)}“.",
                icon=":material/spellcheck:")
    if not len(found.rows):
        navigator.loosen(found)
    map_column, side = st.columns([3, 1.1])
    st.subheader("Liste")
    page = navigator.page(len(found.rows))
    start = (page - 1) * navigator.PAGE_ROWS
    shown = navigator.result_rows(store, found, slice(start, start + navigator.PAGE_ROWS))
    picked = st.dataframe(views.display(shown), hide_index=True, width="stretch", key="nav_table",
                          on_select="rerun", selection_mode="single-row")
    chosen = navigator.chosen_institution(
        store, None, shown["ID"].iloc[picked.selection.rows[0]] if picked.selection.rows else None)
    count.markdown(navigator.summary(choice, found))
    with side:
        downloads = st.columns(2)
        downloads[0].download_button(
            "CSV", lambda: views.csv_bytes(navigator.result_rows(store, found)), icon=":material/download:",
            mime="text/csv", file_name=views.file_name(store.meta["name"], "csv"), disabled=not len(found.rows),
            width="stretch")
        downloads[1].download_button(
            "Excel", lambda: views.xlsx_bytes(navigator.result_rows(store, found), navigator.notes(store, choice)),
            icon=":material/table_view:", file_name=views.file_name(store.meta["name"], "xlsx"),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", disabled=not len(found.rows),
            width="stretch")
        if chosen:
            ids = navigator.directory(store).frame["institution_id"].to_numpy()[found.rows]
            at = np.flatnonzero(ids == chosen)
            navigator.card(store, chosen, float(found.metres[at[0]]) if found.metres is not None and len(at) else None)

state.write_url(choice.url(chosen, page), page="navigator")
