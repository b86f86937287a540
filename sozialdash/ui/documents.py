"""The documents' Streamlit side: a Datenblatt collected from the same pieces the Profil shows, the download
buttons (built only when clicked), and every area's Datenblatt of a level in one ZIP with a progress bar."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import streamlit as st

from sozialdash.analysis.profile import NAMED, summary
from sozialdash.documents import datenblatt, html, pdf
from sozialdash.analysis import sozialindex as si
from sozialdash.documents.model import Document
from sozialdash.store import Store
from sozialdash.ui import controls, karte, profil, sozialindex
from sozialdash.ui.data import query
from sozialdash.ui.safe import md
from sozialdash.views import images, tables
from sozialdash.views.tables import profile_table, slug

RENDERERS = {"pdf": (pdf.render, "application/pdf"), "html": (html.render, "text/html")}
K_BUNDLE = "profil_bundle"


def series_charts(rows: pd.DataFrame) -> list[tuple[str, bytes]]:
    """The series of the indicators a dialogue should talk about first (red-red, then significantly worse than
    the city), at most as many as a summary sentence names, each against the city (``profile_rows``'
    ``city_series``); secret years stay gaps."""
    known = rows[~rows["secret"]]
    picked = pd.concat([known[known["red_red"]], known[known["judgement_city"] == "worse"]])
    charts = []
    for row in picked.drop_duplicates("indicator_id").head(NAMED).itertuples():
        png = images.series_png([int(y) for y in row.series_years], list(row.series), list(row.city_series),
                                decimals=int(row.decimals), unit=str(row.unit), area_label=str(row.short_name))
        charts.append((f"{row.short_name} ({row.unit})" if row.unit else str(row.short_name), png))
    return charts


def profile_document(store: Store, area: str, year: int) -> Document:
    name, about = profil.heading(store, area)
    parent = profil.parent_label(store, area)
    rows = profil.rows(store, area, year)
    topics = [(topic, profile_table(part, parent, year), list(part["series"]))
              for topic, part in rows.groupby("topic", sort=False)]
    return datenblatt.profile_document(
        store.meta, name, about, year, parent, summary(rows, name, parent), topics,
        profil.definitions(controls.catalogue(store), list(rows["indicator_id"])), profil.locator_png(store, area),
        series_charts(rows), profil.children(store, area, year), profil.institutions(store, area))


def index_map_png(store: Store, result: pd.DataFrame, level: pd.Series, year: int) -> bytes:
    """The index map as a picture: the page's fills, a legend of the cells that have areas, no parent outlines
    (the page draws none)."""
    return karte.map_png(store, int(level["level"]), sozialindex.fills(result), legend=sozialindex.legend(result),
                         title=f"Sozialindex {year} · {level['label_plural']}", note=karte.source_line(store),
                         parents=False)


def index_document(store: Store, config: si.IndexConfig, level: pd.Series, year: int) -> Document:
    names = controls.catalogue(store)["short_name"]
    result = sozialindex.index(store, config, int(level["level"]), year)
    shown, paint = sozialindex.matrix_cells(result)
    matrix = datenblatt.painted_table(shown.rename(columns=sozialindex.DYNAMICS_HEAD), paint, "Status",
                                      sozialindex.bounds_caption(config))
    table = sozialindex.text_table(sozialindex.display(result, config, names))
    return datenblatt.index_document(store.meta, str(level["label_plural"]), year,
                                     sozialindex.describe(config, level, year, names), config.departures(),
                                     index_map_png(store, result, level, year), matrix, table)


def downloads(store: Store, make, what: str, year: int, key: str, noun: str = "Datenblatt",
              width: str = "stretch") -> None:
    """A PDF and an HTML button for the document ``make()`` returns, each rendering only on its click."""
    for kind, label, icon in (("pdf", f"{noun} als PDF", ":material/picture_as_pdf:"),
                              ("html", f"{noun} als HTML", ":material/html:")):
        render, mime = RENDERERS[kind]
        st.download_button(label, lambda render=render: render(make()), mime=mime, icon=icon,
                           file_name=tables.file_name(store.meta["name"], what, year, "", kind), key=f"{key}_{kind}", width=width)


def bundle(store: Store, level: int, year: int) -> bytes:
    """Every area's Datenblatt of ``level`` as PDFs in one ZIP, with a progress bar while they are made."""
    areas = query(store, "areas")
    chosen = areas[areas["level"] == level]
    bar = st.progress(0.0, text="Datenblätter werden erstellt …")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:   # PDFs barely compress (14 %)
        for done, (area, name) in enumerate(zip(chosen["area_id"], chosen["name"]), start=1):
            archive.writestr(f"{slug(area, 12)}_{slug(name)}.pdf", pdf.render(profile_document(store, area, year)))
            bar.progress(done / len(chosen), text=f"{done} von {len(chosen)}: {md(name)}")
    bar.empty()
    return buffer.getvalue()


def bundle_controls(store: Store, year: int) -> None:
    """A level, a button that makes the ZIP of its Datenblätter (it takes a while at many areas), and the button
    that saves it; the session keeps only its latest ZIP."""
    level = controls.level(store, key="profil_bundle_level", default_finest=False)
    plural, number = str(level["label_plural"]), int(level["level"])
    wanted = (store.build_id, number, year)
    if st.button(f"{md(plural)} {year} als ZIP erstellen", icon=":material/folder_zip:", key="profil_bundle_make"):
        st.session_state[K_BUNDLE] = (wanted, bundle(store, number, year))
    made = st.session_state.get(K_BUNDLE)
    if made and made[0] == wanted:
        st.download_button("ZIP speichern", made[1], mime="application/zip", icon=":material/download:",
                           file_name=tables.file_name(store.meta["name"], f"datenblaetter_{plural}", year, "", "zip"),
                           key="profil_bundle_save")
