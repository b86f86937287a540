"""The Profil's and the Sozialindex's documents, filled from the very tables the pages show (their text is already
German-formatted and suppressed cells already read "."), so a document can say nothing the page does not.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from sozialdash import glossary
from sozialdash.documents.model import (Beside, Block, Bullets, Document, Gallery, Heading, Image, Spark, Swatch,
                                        Table, Terms, Text)

COLOUR_COLUMN = "Farbe"
SERIES_COLUMN = "Verlauf"
ALWAYS = ("signifikant", "Konfidenzintervall (Vertrauensbereich)", "Trend", "Geheimhaltung")
"""Terms every profile uses: its judgements, intervals, trends and the "." of a secret value."""
WIDTHS = {COLOUR_COLUMN: 0.35, "Indikator": 2.3, "Bewertung": 1.8, "Trend": 1.6, SERIES_COLUMN: 1.25,
          "Zuerst": 0.65, "Gebiet": 2.2, "Kategorie": 2.2}


def frame_table(frame: pd.DataFrame, numeric: tuple[str, ...] = (), series: list | None = None,
                caption: str = "") -> Table:
    """A table of text cells as the page shows it; its colour column becomes swatches and, with ``series`` (one
    sequence per row, ``None`` for a gap), its "Verlauf" column a sparkline."""
    columns = list(frame.columns)
    rows = []
    for i, record in enumerate(frame[columns].itertuples(index=False)):
        cells = []
        for column, value in zip(columns, record):
            if column == COLOUR_COLUMN:
                cells.append(Swatch(str(value)))
            elif column == SERIES_COLUMN and series is not None:
                cells.append(Spark(tuple(None if v is None or pd.isna(v) else float(v) for v in series[i])))
            else:
                cells.append("" if value is None else str(value))
        rows.append(tuple(cells))
    return Table(columns=tuple("" if c == COLOUR_COLUMN else str(c) for c in columns), rows=tuple(rows),
                 widths=tuple(WIDTHS.get(c, 1.0) for c in columns),
                 numeric=tuple(i for i, c in enumerate(columns) if c in numeric), caption=caption)


def painted_table(shown: pd.DataFrame, paint: pd.DataFrame, row_head: str, caption: str = "") -> Table:
    """A small table of text cells, each painted in the colour ``paint`` gives it (same labels), rows headed by
    ``shown``'s index: the Sozialindex's matrix, in the map's colours."""
    return Table((row_head, *map(str, shown.columns)),
                 tuple((str(row), *(Swatch(paint.iat[i, j], str(shown.iat[i, j])) for j in range(shown.shape[1])))
                       for i, row in enumerate(shown.index)), caption=caption, compact=True)


def terms_used(texts: list[str], always: tuple[str, ...] = ()) -> Terms:
    """The glossary entries whose term occurs in ``texts`` (case forgiven, the part before a bracket), plus
    ``always``, in the glossary's order."""
    said = " ".join(texts).lower()
    picked = [(term, text) for term, text in glossary.TERMS.items()
              if term in always or re.sub(r"\s*\(.*\)", "", term).lower() in said]
    return Terms(tuple(picked))


def _document(meta: dict, title: str, subtitle: str, blocks: list[Block], **kw) -> Document:
    return Document(title=title, subtitle=subtitle, city=str(meta["name"]), source=str(meta["source"]),
                    demo=bool(meta["is_demo"]), blocks=tuple(blocks), **kw)


def profile_document(meta: dict, name: str, about: str, year: int, parent: str | None, said: list[str],
                     topics: list[tuple[str, pd.DataFrame, list]], definitions: pd.DataFrame,
                     locator_png: bytes, series: list[tuple[str, bytes]], children: pd.DataFrame,
                     institutions: pd.DataFrame) -> Document:
    """The Datenblatt of one area: the summary, where it lies, the series of the indicators it names first
    (``series``: caption and picture), a table per topic (``topics``: the topic, the
    Profil's table of it with ``parent`` the label of its parent's column, and each row's series), the areas below, the institutions, every shown indicator's
    definition and the glossary terms the sheet uses."""
    numeric = ("Wert", "Stadt", "seit Vorjahr", "seit Beginn") + ((parent,) if parent else ())
    glance = (Heading("Auf einen Blick"), Bullets(tuple(said)) if said else Text("Keine Auffälligkeiten."))
    blocks: list[Block] = [Beside(glance, Image(locator_png, 62, caption=f"Lage von {name} in der Stadt",
                                                alt=f"Lage von {name}"))]
    if series:
        blocks += [Heading("Verläufe: zuerst zu besprechen und schlechter als die Gesamtstadt"),
                   Gallery(tuple(Image(png, 120, caption=caption, alt=caption) for caption, png in series))]
    if topics:   # one table, a row per topic, so every column lines up from the first page to the last
        starts = np.cumsum([0] + [len(table) for _, table, _ in topics[:-1]])
        whole = frame_table(pd.concat([table for _, table, _ in topics], ignore_index=True), numeric,
                            [s for _, _, series in topics for s in series])
        blocks += [Heading("Alle Indikatoren"),
                   replace(whole, groups=tuple((int(i), topic) for i, (topic, _, _) in zip(starts, topics)))]
    if len(children):
        blocks += [Heading("Teilgebiete"), frame_table(children, tuple(children.columns[1:]))]
    if len(institutions):
        blocks += [Heading("Einrichtungen im Gebiet"),
                   replace(frame_table(institutions, ("Einrichtungen",)), compact=True)]
    blocks += [Heading("Indikatoren: Definition, Quelle, Stichtag"),
               Terms(tuple((str(r.Indikator), " ".join(_sentence(part) for part in (
                   str(r.Definition), f"Quelle: {r.Quelle}", f"Stichtag: {r.Stichtag}")))
                           for r in definitions.itertuples()))]
    texts = said + [str(v) for v in definitions["Indikator"]] + [str(v) for v in definitions["Definition"]]
    blocks += [Heading("Begriffe"), terms_used(texts, ALWAYS),
               Text(f"„{glossary.RED_RED}“ (Spalte „Zuerst“): signifikant schlechter als die Gesamtstadt und mit "
                    "signifikant verschlechterndem Trend; darüber sollte ein Dialog zuerst sprechen.", small=True)]
    return _document(meta, name, about + f" · Stand {year}", blocks, landscape=True)


def index_document(meta: dict, level_label: str, year: int, configuration: str, departures: list[str],
                   map_png: bytes | None, matrix: Table, table: pd.DataFrame) -> Document:
    """The Sozialindex of one level: its configuration (and how it departs from the MSS), the map, the matrix,
    every area with its z-values and classes, and the method."""
    blocks: list[Block] = [Text(configuration)]
    if departures:
        blocks.append(Text("Nicht mehr die Regeln des MSS: " + ", ".join(departures) + "."))
    if map_png is not None:
        blocks.append(Image(map_png, 150, caption="Status × Dynamik je Gebiet; grau: ohne Zuordnung",
                            alt="Karte des Sozialindex"))
    blocks += [Heading("Status (Zeilen) × Dynamik (Spalten)"), matrix,
               Heading("Alle Gebiete"), frame_table(table, tuple(c for c in table.columns
                                                                  if c.startswith("z ") or c.endswith("index")
                                                                  or c == "Einwohner*innen")),
               Heading("Methode"), Text(_plain(glossary.INDEX_METHOD)),
               Heading("Begriffe"), terms_used([configuration], ("Statusindex", "Dynamikindex"))]
    return _document(meta, f"Sozialindex {year}", f"{level_label} · Stand {year}", blocks, landscape=True,
                     kind="Sozialindex")


def _sentence(text: str) -> str:
    """``text`` ending in one full stop: "Stichtag: 31.12." stays, "Einwohner" becomes "Einwohner."."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", ":")) else text + "."


def _plain(markdown: str) -> str:
    """The glossary's method texts without their Markdown emphasis."""
    return markdown.replace("**", "")
