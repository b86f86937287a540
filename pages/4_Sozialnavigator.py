"""Sozialnavigator: find social institutions by what they offer and where, and see where need meets too little
supply."""

import streamlit as st

from sozialdash.analysis import finder
from sozialdash.ui import controls, navigator, navigator_tabs, state
from sozialdash.ui.page import setup_page

TABS = {"finden": "Einrichtungen finden", "versorgung": "Versorgung: Bedarf und Angebot"}

store = setup_page("Sozialnavigator")
state.restore_view("navigator")
heading, count = st.columns([1, 3], vertical_alignment="bottom")
heading.subheader("Sozialnavigator")
tabs, active = controls.tabs(TABS, key="nav_tab")
choice = navigator.choose(store, elsewhere=active != "finden")
found = finder.find(navigator.directory(store), choice.filters)
with tabs[active]:
    if active == "finden":
        params = navigator_tabs.finden(store, choice, found, count)
    else:
        params = {**choice.url(None, 1), **navigator_tabs.bedarf(store)}
state.write_url({**params, state.P_TAB: active}, page="navigator")
