"""Building blocks of Daten & Methodik. The method notes are derived from the dataset itself: its levels, which
indicators come with numerators and which are published values, so they never claim what this city's data do
not support (a Sozialbericht that publishes only shares has no intervals and no derived totals)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sozialdash import catalogue as cat
from sozialdash import fmt
from sozialdash.culprits import culprits
from sozialdash.analysis.gaps import CHILDREN_MISSING, PUBLISHED_ONLY
from sozialdash.analysis.intervals import WITH_INTERVAL
from sozialdash.glossary import DISTANCE_METHOD, INDEX_METHOD, SECRET, SUPPLY_METHOD, TERMS, missing_text
from sozialdash.store import Store
from sozialdash.ui.data import query
from sozialdash.ui.safe import md

NAMES_SHOWN = 5


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
            meta["name"], meta["city"], meta["source"], meta["licence"] or fmt.MISSING, str(meta["reference_year"]),
            "ja" if meta["is_demo"] else "nein",
            " > ".join(f"{row.label} ({fmt.number(counts.get(row.level, 0))})" for row in levels.itertuples()),
            f"Fallzahlen von 1 bis {meta['suppression_threshold']} werden nicht ausgewiesen",
            meta["geometry_note"], meta["build_id"], pd.Timestamp(meta["built_at"]).strftime("%d.%m.%Y %H:%M UTC"),
        ],
    })
    st.dataframe(facts, hide_index=True, width="stretch")


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " und " + words[-1]


def method_notes_text(levels: pd.DataFrame, catalogue: pd.DataFrame, threshold: int) -> str:
    """The method notes as Markdown, for this dataset's ``levels`` (area_levels query) and ``catalogue``
    (indicator_catalogue query)."""
    finest = levels.iloc[-1]
    coarser = [md(label) for label in levels["label_plural"].iloc[1:-1]] + ["die Gesamtstadt"]
    derived = catalogue[catalogue["aggregation"] != "none"]
    published = catalogue[catalogue["aggregation"] == "none"]
    with_intervals = catalogue[catalogue["has_numerators"].astype(bool)
                               & catalogue["value_type"].isin(WITH_INTERVAL)]
    notes = []
    if len(derived) and len(levels) > 1:
        notes.append(
            f"**Aggregation:** {fmt.counted(len(derived), 'Indikator liegt', 'Indikatoren liegen')} mit Zählern und "
            f"Nennern für die feinste Ebene ({md(finest['label_plural'])}) vor; Werte für {_joined(coarser)} werden daraus "
            "gebildet (Summe der Zähler durch Summe der Nenner), nie als Mittelwert von Anteilen. Fehlt einem "
            f"Teilgebiet ein Wert, bleibt das Gebiet darüber ohne Wert (*{missing_text(CHILDREN_MISSING)}*), "
            "denn eine Teilsumme sähe aus wie eine echte Summe.")
    if len(published):
        notes.append(
            f"**Veröffentlichte Werte:** {fmt.counted(len(published), 'Indikator ist ein', 'Indikatoren sind')} von der "
            f"Quelle veröffentlichte{'r' if len(published) == 1 else ''} Wert{'' if len(published) == 1 else 'e'}, "
            "die nicht aus Teilgebieten berechnet werden: "
            f"{culprits([f'*{md(name)}*' for name in published['name']], limit=NAMES_SHOWN)}. Sie werden gezeigt "
            "wie geliefert; "
            f"wo die Quelle für ein größeres Gebiet keinen Wert veröffentlicht, steht "
            f"*{missing_text(PUBLISHED_ONLY)}*.")
    kinds = [text for value_type, text in [("proportion", "Anteile nach Wilson"),
                                           ("rate", "Raten nach Byar (unter 10 Fällen exakt nach Poisson)")]
             if (with_intervals["value_type"] == value_type).any()]
    if kinds:
        notes.append(
            f"**Vertrauensbereiche (95 %):** {_joined(kinds)}, nur wo Zähler und Nenner vorliegen "
            f"({fmt.counted(len(with_intervals), 'Indikator', 'Indikatoren')}). Werte ohne Zähler, Verhältniszahlen, "
            f"Durchschnitte und Anzahlen haben keinen Vertrauensbereich (*{fmt.NO_INTERVAL}*) und gelten als "
            f"*{fmt.NOT_COMPARABLE}*.")
        notes.append(
            "**Bewertung:** Ein Gebiet ist *besser* oder *schlechter* als die Gesamtstadt, wenn sein "
            "Vertrauensbereich den Wert der Gesamtstadt nicht enthält (Regel von PHE Fingertips); sonst *ähnlich*. "
            "Bei Indikatoren ohne Wertung heißt es *höher* oder *niedriger*.")
    else:
        notes.append(
            "**Vertrauensbereiche und Bewertung:** Kein Anteil und keine Rate dieses Datensatzes hat Zähler und "
            "Nenner. Es gibt "
            f"daher keine Vertrauensbereiche (*{fmt.NO_INTERVAL}*), und kein Gebiet wird als besser oder schlechter "
            f"bewertet: alle Werte sind *{fmt.NOT_COMPARABLE}*.")
    notes.append(
        f"**Geheimhaltung:** Fallzahlen von 1 bis {threshold}, Anteile an Personen, bei denen nur 1 bis {threshold} "
        "Personen nicht mitgezählt sind (etwa „65 von 66“), und von der Quelle geheim gehaltene Werte werden "
        f"nicht ausgewiesen, sondern als *{fmt.SUPPRESSED}* ({SECRET}) gezeigt, immer mit demselben Zeichen und "
        "ohne den Grund. Eine Zahl, die in mehreren Indikatoren vorkommt (etwa die unter 18-Jährigen als Zähler "
        "des einen und Nenner des anderen), ist überall geheim, wo sie es in einem ist. Damit nichts "
        "zurückgerechnet werden kann, aus Summen über Teilgebiete oder aus Zahlen, die sich zu anderen addieren "
        "(die Altersgruppen zu den Einwohner*innen), werden weitere Werte geheim gehalten. Beim Erstellen der "
        "Datenbank rechnet eine Prüfung jeden geheimen kleinen Wert aus allem Veröffentlichten nach, wie es ein "
        "Angreifer täte; sie lässt die Daten nur zu, wenn keiner von 0 oder von "
        f"{threshold + 1} zu unterscheiden ist.")
    notes.append(
        f"**Lücken:** *{fmt.SUPPRESSED}* heißt geheim, *{fmt.MISSING}* heißt, es gibt keinen Wert (der Grund steht "
        f"dabei), *{fmt.NOT_COMPARABLE}* heißt, ein Wert ist da, lässt sich aber nicht bewerten.")
    return "\n".join(f"- {note}" for note in notes)


def method_notes(store: Store) -> None:
    st.markdown(method_notes_text(query(store, "area_levels"), query(store, "indicator_catalogue"),
                                  store.meta["suppression_threshold"]))


def supply_notes(store: Store) -> None:
    """Which offers serve whom (the data's own pairing) and how the Sozialnavigator counts supply and reach."""
    paired = query(store, "supply_targets")
    if len(paired):
        st.dataframe(pd.DataFrame({"Angebot": paired["category"], "Zielgruppe": paired["label"],
                                   "Zielgruppe gezählt als Zähler von": paired["indicator_name"]}),
                     hide_index=True, width="stretch")
    else:
        st.caption("Für diesen Datensatz ist nicht hinterlegt, welche Angebote welche Zielgruppe versorgen.")
    st.markdown(f"- {SUPPLY_METHOD}\n- {DISTANCE_METHOD}")


def index_notes() -> None:
    st.markdown(INDEX_METHOD)


def glossary_table() -> None:
    """The Glossar: every term a page or a Datenblatt uses, explained in plain German."""
    st.dataframe(pd.DataFrame({"Begriff": list(TERMS), "Erklärung": list(TERMS.values())}), hide_index=True,
                 width="stretch", column_config={"Erklärung": st.column_config.TextColumn(width="large")})
