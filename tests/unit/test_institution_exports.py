"""The Sozialnavigator's list as the page shows it and as CSV and Excel files: typed, German, never executable."""

from __future__ import annotations

import csv
import datetime
import io

import numpy as np
import openpyxl
import pandas as pd

from sozialdash.views import institutions as views
from tests.excel import excel_general

HOSTILE = "=HYPERLINK(\"http://x.example\",\"<img src=x onerror=alert(1)>\")"


def _found() -> pd.DataFrame:
    return pd.DataFrame([
        {"institution_id": "E0001", "name": HOSTILE, "organisation": "+AWO", "categories": ["Kita", "Familienzentrum"],
         "target_groups": ["Kinder"], "age_min": 0, "age_max": 6, "languages": ["Deutsch", "Türkisch"],
         "barrier_free": True, "street": "Hauptstraße 5", "postal_code": "01067", "city": "Dresden",
         "phone": "0351 123-45", "email": "a@b.example", "website": None, "opening_hours": "Mo–Fr 7–17",
         "capacity": 1200, "description": "-Beratung", "last_checked": datetime.date(2025, 3, 4), "lon": 13.7,
         "lat": 51.05, "area_id": "11"},
        {"institution_id": "E0002", "name": "Seniorentreff", "organisation": "DRK", "categories": ["Seniorentreff"],
         "target_groups": [], "age_min": pd.NA, "age_max": pd.NA, "languages": ["Deutsch"], "barrier_free": None,
         "street": None, "postal_code": "01069", "city": "Dresden", "phone": None, "email": None, "website": None,
         "opening_hours": None, "capacity": pd.NA, "description": None, "last_checked": None, "lon": 13.71,
         "lat": 51.04, "area_id": "12"},
    ])


NAMES = pd.Series({"11": "Altstadt", "12": "Neustadt"})


def test_rows_join_lists_and_word_gaps():
    table = views.rows(_found(), NAMES, np.array([0.0, 1234.4]))
    first, second = table.iloc[0], table.iloc[1]
    assert first["Kategorie"] == "Kita, Familienzentrum" and first["Alter"] == "0–6 Jahre"
    assert first["Adresse"] == "Hauptstraße 5, 01067 Dresden" and first["Gebiet"] == "Altstadt"
    assert second["Adresse"] == "01069 Dresden" and second["Alter"] == "alle Altersgruppen"
    assert second["Barrierefrei"] == "keine Daten" and second["Zuletzt geprüft"] == "keine Daten"
    shown = views.display(table)
    assert list(shown["Entfernung"]) == ["0\u00a0m", "1,2\u00a0km"]
    assert list(shown["Plätze"]) == ["1.200", "keine Daten"]
    assert "Entfernung" not in views.rows(_found(), NAMES).columns


def test_the_tooltip_is_plain_text_with_the_hostile_name_as_written():
    tip = views.tooltip(views.rows(_found(), NAMES, np.array([0.0, 420.0])))
    assert tip[0].split("\n") == [HOSTILE, "Kita, Familienzentrum", "Träger: +AWO", "Hauptstraße 5, 01067 Dresden",
                                  "0\u00a0m entfernt"]
    assert tip[1].endswith("420\u00a0m entfernt")


def test_csv_opens_in_excel_as_written():
    data = views.csv_bytes(views.rows(_found(), NAMES, np.array([0.0, 1234.4])))
    assert data.startswith("\ufeff".encode("utf-8"))
    records = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    header, first, second = records
    row = dict(zip(header, first))
    assert excel_general(row["Name"]) == "'" + HOSTILE      # a formula stays text
    assert excel_general(row["Träger"]) == "'+AWO"
    assert excel_general(row["Beschreibung"]) == "'-Beratung"
    assert row["Entfernung (m)"] == "0" and dict(zip(header, second))["Entfernung (m)"] == "1234"
    assert row["Plätze"] == "1200" and dict(zip(header, second))["Plätze"] == "keine Daten"
    checked = excel_general(row["Zuletzt geprüft"])   # text as written, not a date Excel guesses
    assert isinstance(checked, str) and checked.strip() == "04.03.2025"


def test_xlsx_has_typed_columns_text_that_never_runs_and_its_notes():
    data = views.xlsx_bytes(views.rows(_found(), NAMES, np.array([0.0, 1234.4])), ["Suche: =1+1", "Kategorie: Kita"])
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Einrichtungen"]
    header = [c.value for c in sheet[1]]
    first = {h: c for h, c in zip(header, sheet[2])}
    second = {h: c for h, c in zip(header, sheet[3])}
    assert first["Name"].value == HOSTILE and first["Name"].data_type == "s"
    assert first["Träger"].data_type == "s" and first["Beschreibung"].value == "-Beratung"
    assert first["Plätze"].value == 1200 and second["Plätze"].value is None
    assert first["Entfernung (m)"].value == 0 and second["Entfernung (m)"].value == 1234
    assert first["Barrierefrei"].value is True and second["Barrierefrei"].value is None
    assert first["Zuletzt geprüft"].value == datetime.datetime(2025, 3, 4) and first["Zuletzt geprüft"].is_date
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    notes = book["Hinweise"]
    assert [r[0].value for r in notes.iter_rows()] == ["Suche: =1+1", "Kategorie: Kita"]
    assert notes["A1"].data_type == "s"
