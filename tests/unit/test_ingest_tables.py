"""Reading a city's tables: every cell as text, every quirk of real files handled or reported in German, nothing
in a file ever run."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sozialdash.ingest import tables
from sozialdash.ingest.report import ERROR, NOTE, WARNING, Report
from sozialdash.ingest.tables import TableSource, read_table, table_source
from tests.shaped import FLENSBURG_DIR, SUMMARY_FILE

ROWS = [["Stadtteil_ID", "Stadtteil", "Anzahl_2021", "Anteil_2021"],
        ["01", "Mürwik", "1.429", "12,7"], ["02", "Jürgensby", "1048", "14,8 %"]]


def _csv(rows, delimiter=",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _read(path: Path, **options) -> tuple[object, Report]:
    report = Report()
    return read_table(path, TableSource(path.name, **options), report), report


def _said(report: Report, level: str) -> str:
    return "\n".join(f.text() for f in report if f.level == level)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_a_csv_is_read_as_text_whatever_its_delimiter_and_encoding(tmp_path, delimiter, encoding):
    path = tmp_path / "werte.csv"
    path.write_bytes(_csv(ROWS, delimiter).encode(encoding))
    frame, report = _read(path)
    assert report.ok
    assert list(frame.columns) == ROWS[0]
    assert frame.values.tolist() == ROWS[1:]          # leading zeros, decimal commas, "1.429" all as written
    assert list(frame.index) == [2, 3]                # rows as the spreadsheet numbers them
    detected = _said(report, NOTE)
    assert ("kein UTF-8" in detected) == (encoding in ("cp1252", "latin-1"))


def test_a_decimal_comma_inside_quotes_stays_one_field(tmp_path):
    path = tmp_path / "tab18.csv"
    path.write_text('Stadtteil_ID,Anteil_2018,Anteil_2019\r\n1,"15,8",23\r\n3,"24,1","23,0"', encoding="utf-8")
    frame, report = _read(path)
    assert frame.values.tolist() == [["1", "15,8", "23"], ["3", "24,1", "23,0"]]
    assert "Trennzeichen erkannt: Komma" in _said(report, NOTE)


def test_excels_delimiter_line_is_obeyed_and_twice_encoded_umlauts_are_reported(tmp_path):
    path = tmp_path / "werte.csv"
    path.write_text("sep=;\r\nGebiet;Wert\r\nMürwik;1,5\r\n".encode("utf-8").decode("cp1252"), encoding="utf-8")
    frame, report = _read(path)
    assert list(frame.columns) == ["Gebiet", "Wert"] and frame.index.tolist() == [3]
    assert frame["Wert"].tolist() == ["1,5"]
    assert "Die Datei enthält Ã¼ statt Umlauten" in _said(report, WARNING)


def test_a_named_encoding_is_used_and_a_wrong_one_named_with_its_line(tmp_path):
    path = tmp_path / "werte.csv"
    path.write_bytes("Gebiet;Wert\n1;2\nMürwik;3\n".encode("cp1252"))
    frame, _ = _read(path, encoding="cp1252")
    assert frame["Gebiet"].tolist() == ["1", "Mürwik"]
    frame, report = _read(path, encoding="utf-8")
    assert frame is None
    assert "nicht in UTF-8 kodiert (Zeile 3" in _said(report, ERROR)


@pytest.mark.parametrize("content, message", [
    (b"", "Die Datei ist leer."),
    (b"\r\n  \r\n", "Die Datei ist leer."),
    (b"Gebiet;Wert\r\n", "nur die Kopfzeile"),
    (b"Gebiet;Wert\r\n;\r\n", "nur die Kopfzeile"),
    (b"Gebiet;Wert\x00\x00\x01", "Nullbytes"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "alte Excel-Datei"),
])
def test_a_file_without_values_is_refused_with_a_german_message(tmp_path, content, message):
    path = tmp_path / "werte.csv"
    path.write_bytes(content)
    frame, report = _read(path)
    assert frame is None
    assert message in _said(report, ERROR)


def test_a_200_mb_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "riesig.csv"
    with open(path, "wb") as handle:
        handle.truncate(200 * 2**20)          # sparse: no disk, but stat says 200 MB
    read = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self))
    frame, report = _read(path)
    assert frame is None and not read
    assert "Die Datei ist zu groß (200 MB; höchstens 50 MB)" in _said(report, ERROR)


@pytest.mark.parametrize("suffix", [".xls", ".xlsb", ".ods"])
def test_formats_that_are_not_read_are_refused_with_how_to_save_them(tmp_path, suffix):
    path = tmp_path / f"werte{suffix}"
    path.write_bytes(b"whatever")
    frame, report = _read(path)
    assert frame is None
    assert "als .xlsx oder als CSV (UTF-8) speichern" in _said(report, ERROR)


def test_formula_looking_csv_cells_stay_text_and_are_noted(tmp_path):
    path = tmp_path / "werte.csv"
    cells = ['=HYPERLINK("https://evil.example";"klick")', "+1", "@SUM(A1:A2)", "-2+3", "−0,4"]
    path.write_text(_csv([["Name", "Wert"], *[[c, "1"] for c in cells]], ";"), encoding="utf-8")
    frame, report = _read(path)
    assert frame["Name"].tolist() == cells
    noted = _said(report, NOTE)
    assert "werden als Text gelesen und nie ausgerechnet" in noted
    for looks_like_a_formula in ("=HYPERLINK", "@SUM", "-2+3"):
        assert looks_like_a_formula in noted
    assert "'+1'" not in noted                # a signed number is a number, not a formula


def test_a_header_with_more_fields_than_the_rows_is_reported(tmp_path):
    path = tmp_path / "seite53.csv"
    path.write_text("Kennzahl;2018;2019;2020;2012;2021\nEinwohner;96187;96920;96731;97882\n", encoding="utf-8")
    frame, report = _read(path)
    warned = _said(report, WARNING)
    assert "Die Kopfzeile nennt 6 Spalten, die Zeilen haben höchstens 5 Werte: die Spalten 2021 sind leer" in warned
    assert "column_names" in warned
    assert frame["2012"].tolist() == ["97882"] and frame["2021"].tolist() == [""]


def test_column_names_replace_a_header_that_does_not_fit(tmp_path):
    path = tmp_path / "seite53.csv"
    path.write_text("Kennzahl;2018;2019;2020;2012;2021\nEinwohner;96187;96920;96731;97882\n", encoding="utf-8")
    frame, report = _read(path, column_names=("Kennzahl", "2018", "2019", "2020", "2021"))
    assert frame.iloc[0].tolist() == ["Einwohner", "96187", "96920", "96731", "97882"]
    assert "wird durch column_names ersetzt" in _said(report, NOTE) and not _said(report, WARNING)


def test_the_real_flensburg_summary_table_is_read_and_its_header_reported():
    if not (FLENSBURG_DIR / SUMMARY_FILE).exists():
        pytest.skip(f"Flensburg's Sozialatlas tables are not in {FLENSBURG_DIR}")
    frame, report = _read(FLENSBURG_DIR / SUMMARY_FILE)
    assert frame.shape == (24, 6)
    assert frame.loc[2].tolist() == ["Anzahl der Einwohner*innen", "96187", "96920", "96731", "97882", ""]
    assert "Die Kopfzeile nennt 6 Spalten" in _said(report, WARNING)


def test_rows_wider_than_the_header_get_numbered_names(tmp_path):
    path = tmp_path / "werte.csv"
    path.write_text("Gebiet,2020\nA,1,2\nB,3,4\n", encoding="utf-8")
    frame, report = _read(path)
    assert list(frame.columns) == ["Gebiet", "2020", "Spalte 3"]
    assert "die Kopfzeile nennt nur 2 Spalten" in _said(report, WARNING)


def test_a_table_without_header_is_named_by_the_mapping(tmp_path):
    path = tmp_path / "tab_6.csv"
    path.write_text("01 Altstadt,297,361\n02 Neustadt,574,663\n", encoding="utf-8")
    frame, report = _read(path, header_rows=0, column_names=("stadtteil", "2011", "2017"))
    assert list(frame.columns) == ["stadtteil", "2011", "2017"]
    assert list(frame.index) == [1, 2] and frame["stadtteil"].tolist() == ["01 Altstadt", "02 Neustadt"]
    frame, _ = _read(path, header_rows=0)
    assert list(frame.columns) == ["Spalte 1", "Spalte 2", "Spalte 3"]
    frame, report = _read(path, header_rows=0, column_names=("stadtteil", "2011"))
    assert frame is None
    assert "column_names nennt nur 2 Spalten" in _said(report, ERROR)


def test_title_rows_several_header_rows_footnotes_and_empty_trailing_columns(tmp_path):
    path = tmp_path / "tabelle.csv"
    path.write_text(
        "Tabelle 18: SGB II nach Stadtteilen;;;;;\n"
        ";;;;;\n"
        "Stadtteil;2020;;2021;;\n"                       # the years are merged cells over two columns
        ";Anzahl;Anteil;Anzahl;Anteil;\n"
        "Altstadt;502;15,1;475;13,4;\n"
        "Neustadt;1063;24,5;;;\n"                        # the 2021 values are missing: the row stays
        ";;;;;\n"
        "* Werte unter 4 werden nicht ausgewiesen.;;;;;\n"
        "Quelle: Bundesagentur für Arbeit;;;;;\n", encoding="utf-8")
    frame, report = _read(path, skip_rows=1, header_rows=2)
    assert list(frame.columns) == ["Stadtteil", "2020 Anzahl", "2020 Anteil", "2021 Anzahl", "2021 Anteil"]
    assert frame.index.tolist() == [5, 6]
    assert frame.loc[6].tolist() == ["Neustadt", "1063", "24,5", "", ""]
    noted = _said(report, NOTE)
    assert "Fußnoten unter der Tabelle, nicht als Werte gelesen: Zeile 8 ('* Werte unter 4" in noted
    assert "Zeile 9 ('Quelle: Bundesagentur" in noted


def test_a_last_row_without_values_is_not_taken_for_a_footnote(tmp_path):
    path = tmp_path / "werte.csv"
    path.write_text("Gebiet,Wert\nAltstadt,3\nTarup,\n", encoding="utf-8")
    frame, report = _read(path)
    assert frame["Gebiet"].tolist() == ["Altstadt", "Tarup"]
    assert "Fußnoten" not in _said(report, NOTE)


def test_doubled_column_names_are_numbered_and_reported(tmp_path):
    path = tmp_path / "werte.csv"
    path.write_text("Gebiet,Anzahl,Anzahl\nA,1,2\n", encoding="utf-8")
    frame, report = _read(path)
    assert list(frame.columns) == ["Gebiet", "Anzahl", "Anzahl (2)"]
    assert "Spaltennamen mehrfach: Anzahl" in _said(report, WARNING)


# --- XLSX ---------------------------------------------------------------------------------------------------------

def _workbook(path: Path, build) -> Path:
    book = openpyxl.Workbook()
    build(book)
    book.save(path)
    return path


def _patch(path: Path, member: str, old: bytes, new: bytes, extra: dict[str, bytes] | None = None) -> None:
    """Rewrite one member of a saved workbook (a cached formula result, as Excel would have stored it)."""
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info.filename) for info in source.infolist()}
    assert old in members[member]
    members[member] = members[member].replace(old, new)
    members.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)


def test_an_xlsx_sheet_is_chosen_by_name_or_number_and_its_numbers_are_written_as_read(tmp_path):
    def build(book):
        book.active.title = "Hinweise"
        book.active.append(["Diese Mappe enthält Werte"])
        sheet = book.create_sheet("Tabelle 1")
        sheet.append(["Stadtteil_ID", "Anzahl", "Quote", "Anteil", "Stand"])
        sheet.append(["01", 1234, 1.234, 0.153, datetime.date(2021, 12, 31)])
        sheet["D2"].number_format = "0.0%"
    path = _workbook(tmp_path / "werte.xlsx", build)
    for sheet in ("Tabelle 1", 2):
        frame, report = _read(path, sheet=sheet)
        assert report.ok
        # "1,234" keeps 1.234 one point two three four; a percent cell says what Excel shows, not 0.153
        assert frame.loc[2].tolist() == ["01", "1234", "1,234", "15,3%", "2021-12-31"]
    frame, report = _read(path)
    assert frame is None and "nur die Kopfzeile" in _said(report, ERROR)
    assert "Die Arbeitsmappe hat 2 Blätter (Hinweise, Tabelle 1); gelesen wird das erste" in _said(report, NOTE)
    for wrong, message in (("Tabelle 2", "Das Blatt „Tabelle 2“ gibt es nicht; die Arbeitsmappe hat Hinweise, "
                                         "Tabelle 1"), (3, "Blatt Nummer 3 gibt es nicht")):
        frame, report = _read(path, sheet=wrong)
        assert frame is None and message in _said(report, ERROR)


def test_merged_header_cells_name_every_column_they_span(tmp_path):
    def build(book):
        sheet = book.active
        sheet.append(["SGB II nach Stadtteilen"])
        sheet.append(["Stadtteil", "2020", None, "2021", None, "Bemerkung"])
        sheet.append([None, "Anzahl", "Anteil", "Anzahl", "Anteil", None])
        sheet.append(["Altstadt", 502, 15.1, 475, 13.4, None])
        sheet.append(["Quelle: Bundesagentur für Arbeit"])
        sheet.merge_cells("B2:C2")
        sheet.merge_cells("D2:E2")
        sheet.merge_cells("A2:A3")
        sheet.merge_cells("F2:F3")
    frame, report = _read(_workbook(tmp_path / "werte.xlsx", build), skip_rows=1, header_rows=2)
    assert list(frame.columns) == ["Stadtteil", "2020 Anzahl", "2020 Anteil", "2021 Anzahl", "2021 Anteil",
                                   "Bemerkung"]
    assert frame.loc[4].tolist() == ["Altstadt", "502", "15,1", "475", "13,4", ""]
    assert "Zeile 5 ('Quelle: Bundesagentur" in _said(report, NOTE)


def test_formulas_are_never_computed_their_stored_result_is_read(tmp_path):
    def build(book):
        sheet = book.active
        sheet.append(["Gebiet", "Anzahl", "Summe", "Neu"])
        sheet.append(["A", 2, "=B2+1", "=B2*2"])
    path = _workbook(tmp_path / "werte.xlsx", build)
    # as if Excel had stored 99 as the first formula's result: we read 99, never 3
    _patch(path, "xl/worksheets/sheet1.xml", b"<f>B2+1</f><v />", b"<f>B2+1</f><v>99</v>")
    frame, report = _read(path)
    assert frame.loc[2].tolist() == ["A", "2", "99", ""]
    assert "1 Zellen enthalten Formeln; gelesen wird ihr in der Datei gespeichertes Ergebnis" in _said(report, NOTE)
    warned = _said(report, WARNING)
    assert "Formeln ohne gespeichertes Ergebnis, als leer gelesen: Zeile 2 ('D2: =B2*2')" in warned


def test_a_macro_workbook_gives_its_values_and_its_macros_are_not_run(tmp_path):
    def build(book):
        book.active.append(["Gebiet", "Wert"])
        book.active.append(["A", 5])
    path = _workbook(tmp_path / "makros.xlsm", build)
    _patch(path, "[Content_Types].xml", b"</Types>",
           b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
           extra={"xl/vbaProject.bin": b"Attribute VB_Name = \"Auto_Open\"\nShell \"calc.exe\""})
    frame, report = _read(path)
    assert frame.loc[2].tolist() == ["A", "5"]
    assert "enthält Makros: sie werden weder ausgeführt noch gelesen" in _said(report, WARNING)


def test_a_workbook_that_unpacks_too_big_is_refused(tmp_path, monkeypatch):
    def build(book):
        for i in range(200):
            book.active.append([f"Gebiet {i}", i])
    path = _workbook(tmp_path / "bombe.xlsx", build)
    monkeypatch.setattr(tables, "MAX_UNPACKED", 10_000)
    frame, report = _read(path)
    assert frame is None
    assert "Die Arbeitsmappe entpackt sich zu" in _said(report, ERROR)


def test_a_broken_workbook_is_refused(tmp_path):
    path = tmp_path / "kaputt.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    frame, report = _read(path)
    assert frame is None
    assert "keine gültige Excel-Arbeitsmappe" in _said(report, ERROR)


# --- the mapping keys ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("section, message", [
    ({}, "„file“ fehlt"),
    ({"file": "a.csv", "encoding": "klingonisch"}, "Unbekannte Kodierung „klingonisch“"),
    ({"file": "a.csv", "delimiter": "|"}, "Unbekanntes Trennzeichen '|'"),
    ({"file": "a.csv", "header_rows": -1}, "„header_rows“ muss eine ganze Zahl ab 0 sein"),
    ({"file": "a.csv", "skip_rows": "zwei"}, "„skip_rows“ muss eine ganze Zahl ab 0 sein"),
    ({"file": "a.xlsx", "sheet": 0}, "„sheet“ muss der Name eines Blatts oder seine Nummer (ab 1) sein"),
    ({"file": "a.csv", "column_names": ["a", "a"]}, "„column_names“ nennt Spalten mehrfach: a"),
])
def test_wrong_table_keys_are_errors(section, message):
    report = Report()
    assert table_source(section, report, "values Nr. 1") is None
    assert message in _said(report, ERROR)


def test_table_keys_are_read():
    report = Report()
    source = table_source({"file": "a.csv", "encoding": "Latin-1", "delimiter": "\\t", "header_rows": 0,
                           "column_names": ["Gebiet", 2021]}, report, "values Nr. 1")
    assert source == TableSource("a.csv", encoding="iso8859-1", delimiter="\t", header_rows=0,
                                 column_names=("Gebiet", "2021"))
    assert report.ok
