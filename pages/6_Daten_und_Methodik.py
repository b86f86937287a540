"""Daten & Methodik: the indicator catalogue and what the dataset is."""

import streamlit as st

from sozialdash.ui import methodology
from sozialdash.ui.page import setup_page

store = setup_page("Daten & Methodik")
st.title("Daten & Methodik")

st.subheader("Indikatorenkatalog")
search = st.text_input("Suche im Katalog", placeholder="z. B. Kinderarmut, SGB II, Einschulung")
methodology.catalogue(store, search)

st.subheader("Datensatz")
methodology.dataset_facts(store)

st.subheader("Methodik")
methodology.method_notes(store)

st.subheader("Sozialnavigator: Versorgung und Entfernungen")
methodology.supply_notes(store)

st.subheader("Sozialindex")
methodology.index_notes()

st.subheader("Glossar")
methodology.glossary_table()
