"""Building blocks of Daten & Methodik."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sozialdash import catalogue as cat
from sozialdash import fmt
from sozialdash.store import Store
from sozialdash.ui.data import query


def catalogue(store: Store, search_text: str) -> None:
    full = query(store, "indicator_catalogue")
    found = cat.search(full, search_text)
    st.caption(f"{fmt.number(len(found))} von {fmt.number(len(full))} Indikatoren")
    st.dataframe(cat.readable(found), hide_index=True, width="stretch", height=min(38 + 35 * len(found), 600))


def dataset_facts(store: Store) -> None:
    meta = store.meta
    levels = query(store, "area_levels")
    areas = query(store, "areas")
    counts = areas.groupby("level").size()
    facts = pd.DataFrame({
        "Merkmal": ["Name", "Stadt", "Quelle", "Lizenz", "Berichtsjahr", "Demodaten", "Gebietsebenen",
                    "Geheimhaltung", "Kartengeometrie", "Build", "Erzeugt am"],
        "Wert": [
            meta["name"], meta["city"], meta["source"], meta["licence"] or "–", str(meta["reference_year"]),
            "ja" if meta["is_demo"] else "nein",
            " > ".join(f"{row.label} ({fmt.number(counts.get(row.level, 0))})" for row in levels.itertuples()),
            f"Fallzahlen von 1 bis {meta['suppression_threshold']} werden nicht ausgewiesen",
            meta["geometry_note"], meta["build_id"], pd.Timestamp(meta["built_at"]).strftime("%d.%m.%Y %H:%M UTC"),
        ],
    })
    st.dataframe(facts, hide_index=True, width="stretch")


def method_notes(store: Store) -> None:
    threshold = store.meta["suppression_threshold"]
    st.markdown(f"""
- **Aggregation:** Werte für Sozialräume und die Gesamtstadt werden aus Zählern und Nennern der feinsten Ebene
  gebildet (Summe der Zähler durch Summe der Nenner), nie als Mittelwert von Anteilen.
- **Vertrauensbereiche (95 %):** Anteile nach Wilson, Raten nach Byar (unter 10 Fällen exakt nach Poisson).
  Verhältniszahlen, Durchschnitte und Anzahlen haben keinen Vertrauensbereich und gelten als *nicht vergleichbar*.
- **Bewertung:** Ein Gebiet ist *besser* oder *schlechter* als die Gesamtstadt, wenn sein Vertrauensbereich den
  Wert der Gesamtstadt nicht enthält (Regel von PHE Fingertips); sonst *ähnlich*. Bei Indikatoren ohne Wertung
  heißt es *höher* oder *niedriger*.
- **Geheimhaltung:** Fallzahlen von 1 bis {threshold} und von der Quelle geheim gehaltene Werte werden nicht
  ausgewiesen ({fmt.SUPPRESSED}). Damit sie nicht aus der Summe zurückgerechnet werden können, wird in einem Gebiet
  nie genau ein Teilgebiet geheim gehalten: dann entfällt auch das nächstkleinere.
""")
