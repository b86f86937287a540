"""Übersicht: what the dataset is, the city's headline indicators, the areas below the city, ways in."""

import streamlit as st

from sozialdash.ui import overview
from sozialdash.ui.page import PAGES, setup_page
from sozialdash.ui.safe import md

store = setup_page("Übersicht")
meta = store.meta
st.title(f"Sozialbericht {md(meta['city'])}")
st.markdown(f"**{md(meta['name'])}** · Berichtsjahr **{meta['reference_year']}** · {md(meta['source'])}")

st.subheader(f"Kennzahlen der Gesamtstadt {meta['reference_year']}")
overview.headline_metrics(store, meta["reference_year"])

levels = overview.levels(store)
top = levels.iloc[1] if len(levels) > 1 else levels.iloc[0]
st.subheader(f"{md(top['label_plural'])} und Einwohner\\*innen")
overview.level_table(store, int(top["level"]), meta["reference_year"])

st.subheader("Weiter")
columns = st.columns(3)
for index, (script, label, icon) in enumerate(PAGES[1:]):
    columns[index % 3].page_link(script, label=label, icon=icon)
