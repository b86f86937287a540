"""The found institutions as a table, a tooltip, a CSV and an Excel file: one set of German columns for all four.

``rows`` turns store rows into those columns once; the table shows them, the CSV writes them the way the Karte's
CSV does (semicolons, decimal commas, BOM, text cells through ``excel_text``), and the Excel file keeps their types
(whole numbers, distances in metres, dates, yes/no as Excel booleans). Every data string stays text: in Excel a
value starting with "=" would be a formula, so text cells are written as text explicitly.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from sozialdash import fmt
from sozialdash.views import xlsx
from sozialdash.views.tables import slug, excel_text

YES, NO = "ja", "nein"
COLUMNS = ["Name", "Kategorie", "Träger", "Adresse", "Gebiet", "Entfernung", "Zielgruppen", "Alter", "Sprachen",
           "Barrierefrei", "Plätze", "Öffnungszeiten", "Telefon", "E-Mail", "Website", "Beschreibung",
           "Zuletzt geprüft", "ID"]
NUMBERS = {"Plätze", "Entfernung (m)"}


def _joined(values) -> str:
    return ", ".join(str(v) for v in values) if isinstance(values, list | tuple | np.ndarray) else ""


def _yes_no(value) -> str:
    return fmt.MISSING if fmt.absent(value) else (YES if value else NO)


def address(frame: pd.DataFrame) -> pd.Series:
    """'Hauptstraße 5, 99012 Musterstadt'; parts that are missing are left out."""
    def one(street, postal_code, city) -> str:
        place = " ".join(str(p) for p in (postal_code, city) if not fmt.absent(p) and str(p))
        return ", ".join(p for p in (None if fmt.absent(street) else str(street), place) if p)
    return pd.Series([one(*parts) for parts in zip(frame["street"], frame["postal_code"], frame["city"])],
                     index=frame.index, dtype=object)


def rows(found: pd.DataFrame, area_names: pd.Series, metres: np.ndarray | None = None) -> pd.DataFrame:
    """``found``: institutions as the store holds them, in the order to show; ``area_names`` by area id. Without
    ``metres`` there is no distance column. Capacity and distance stay numbers, the rest is text."""
    table = pd.DataFrame({
        "Name": found["name"].astype(str).to_numpy(),
        "Kategorie": [_joined(c) for c in found["categories"]],
        "Träger": found["organisation"].astype(str).to_numpy(),
        "Adresse": address(found).to_numpy(),
        "Gebiet": found["area_id"].map(area_names).fillna("").astype(str).to_numpy(),
        "Entfernung": np.asarray(metres, float) if metres is not None else np.full(len(found), np.nan),
        "Zielgruppen": [_joined(t) for t in found["target_groups"]],
        "Alter": [fmt.age_range(lo, hi) for lo, hi in zip(found["age_min"], found["age_max"])],
        "Sprachen": [_joined(v) for v in found["languages"]],
        "Barrierefrei": [_yes_no(v) for v in found["barrier_free"]],
        "Plätze": found["capacity"].astype("Float64").to_numpy(float, na_value=np.nan),
        "Öffnungszeiten": found["opening_hours"].fillna("").astype(str).to_numpy(),
        "Telefon": found["phone"].fillna("").astype(str).to_numpy(),
        "E-Mail": found["email"].fillna("").astype(str).to_numpy(),
        "Website": found["website"].fillna("").astype(str).to_numpy(),
        "Beschreibung": found["description"].fillna("").astype(str).to_numpy(),
        "Zuletzt geprüft": [fmt.day(d) for d in found["last_checked"]],
        "ID": found["institution_id"].astype(str).to_numpy(),
    }, columns=COLUMNS)
    return table if metres is not None else table.drop(columns="Entfernung")


def display(table: pd.DataFrame) -> pd.DataFrame:
    """For the page: distances and places as German text ('420 m', '1.200'), every cell a string, so nothing
    from the data is interpreted on the way to the browser."""
    shown = table.copy()
    if "Entfernung" in shown:
        shown["Entfernung"] = [fmt.distance(m) for m in shown["Entfernung"]]
    shown["Plätze"] = [fmt.MISSING if np.isnan(p) else fmt.number(p) for p in shown["Plätze"]]
    return shown


def tooltip(table: pd.DataFrame) -> list[str]:
    """Name, category, Träger and address (and the distance, where measured), one per line, as plain text."""
    lines = [table["Name"], table["Kategorie"], "Träger: " + table["Träger"], table["Adresse"]]
    if "Entfernung" in table:
        lines.append(pd.Series([f"{fmt.distance(m)} entfernt" for m in table["Entfernung"]], index=table.index))
    return ["\n".join(parts) for parts in zip(*lines)]


def _exported(table: pd.DataFrame) -> pd.DataFrame:
    """Distances as whole metres under a name that says so: a spreadsheet sorts and sums numbers."""
    if "Entfernung" not in table:
        return table
    return table.rename(columns={"Entfernung": "Entfernung (m)"}).assign(
        **{"Entfernung (m)": np.round(table["Entfernung"].to_numpy(float))})


def csv_bytes(table: pd.DataFrame) -> bytes:
    """For Excel in Germany, like the Karte's CSV: semicolons, decimal commas, UTF-8 with BOM, text through
    ``excel_text``; a missing number reads 'keine Daten'."""
    exported = _exported(table)
    columns = {}
    for name in exported.columns:
        if name in NUMBERS:
            columns[name] = [fmt.MISSING if np.isnan(v) else fmt.number(v).replace(".", "") for v in exported[name]]
        else:
            columns[name] = [excel_text(v) if v else "" for v in exported[name]]
    buffer = io.StringIO()
    pd.DataFrame(columns).to_csv(buffer, sep=";", index=False)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(table: pd.DataFrame, notes: list[str]) -> bytes:
    """A real Excel workbook (``views.xlsx``): numbers as numbers, the check date as a date, barrier-free as
    WAHR/FALSCH, every other cell text (never a formula); ``notes`` (the dataset, the filters) on the Hinweise
    sheet, so the file says what it holds."""
    exported = _exported(table)
    typed = exported.astype(object)
    for name in NUMBERS & set(exported.columns):
        typed[name] = [None if np.isnan(v) else int(v) for v in exported[name]]
    typed["Zuletzt geprüft"] = [pd.to_datetime(v, format="%d.%m.%Y").date() if v != fmt.MISSING else None
                                for v in exported["Zuletzt geprüft"]]
    typed["Barrierefrei"] = [{YES: True, NO: False}.get(v) for v in exported["Barrierefrei"]]
    return xlsx.workbook_bytes(typed, "Einrichtungen", notes)


def file_name(meta_name: str, extension: str) -> str:
    """'musterstadt_demo_einrichtungen.xlsx'."""
    return f"{slug(meta_name)}_einrichtungen.{extension}"
