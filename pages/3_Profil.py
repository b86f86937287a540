"""Profil: the Datenblatt of one area (planned); already names the area a map click or a link chose."""

import streamlit as st

from sozialdash.ui import state
from sozialdash.ui.data import query
from sozialdash.ui.page import coming_soon, setup_page
from sozialdash.ui.safe import md

store = setup_page("Profil")
areas = query(store, "areas").set_index("area_id")
area_id = state.url_value(state.P_AREA)
coming_soon("Profil", "Hier entsteht das Datenblatt eines Gebiets.", [
    "alle Kennzahlen eines Sozialraums oder Stadtteils mit Zeitreihe und Vergleich zur Gesamtstadt",
    "ein Sozialindex nach dem Vorbild des Berliner Monitorings Soziale Stadtentwicklung",
    "Export als PDF und HTML für Sitzungsunterlagen",
])
if area_id in areas.index:
    area = areas.loc[area_id]
    st.subheader(md(area["name"]))
    st.caption(f"Teil von {md(area['parent_name'])}" if isinstance(area["parent_name"], str) else "Gesamtstadt")
    st.page_link("pages/2_Vergleich.py", label="Dieses Gebiet im Vergleich", icon=":material/compare_arrows:",
                 query_params={state.P_AREAS: area_id})
elif area_id is not None:
    state.not_found("Gebiet", area_id)
