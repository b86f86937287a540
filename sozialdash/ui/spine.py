"""The spine chart of one area, as the Vergleich's "Überblick eines Gebiets" and the Profil show it: one place for
its data, its caption, its camera and what it leaves out."""

from __future__ import annotations

import streamlit as st

from sozialdash.store import Store
from sozialdash.ui import shared
from sozialdash.ui import vergleich as v
from sozialdash.ui.safe import md
from sozialdash.views import charts


def show(store: Store, area: str, year: int, label: str, page: str, key: str) -> None:
    """The chart of ``area`` (``label`` its name) in ``year``; ``page`` names the PNG the camera saves."""
    view = (store.build_id, area, year)
    rows, left_out = shared.built(v.spine, view, store, area, year)
    if rows.empty:
        st.info(md(f"Für {label} lässt sich {year} keine Kennzahl im Überblick zeigen: "
                   f"{v.left_out_text(left_out)}."), icon=":material/info:")
        return
    st.caption(f"Jahr {year}. Jede Zeile: Spanne aller Gebiete derselben Ebene (hell), mittlere Hälfte "
               "(dunkler), Gesamtstadt (Mittellinie) und das Gebiet (Punkt, Farbe = Bewertung, Legende). "
               "Günstigere Werte stehen immer rechts; bei Kennzahlen ohne Wertung höhere.")
    st.plotly_chart(shared.built(charts.spine_chart, view, rows, label), key=key,
                    config=charts.camera(store.meta["name"], page, label, year))
    if left_out:
        st.caption(md(f"Nicht im Überblick: {v.left_out_text(left_out)}."))
