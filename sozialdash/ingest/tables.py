"""A city's table (CSV or XLSX) as a frame of TEXT cells, read safely: nothing in it is ever run or evaluated.

Cells stay text so that one number reader (``numbers.german_number``) decides what "1.234" means, ids keep
their leading zeros, and a cell like ``=HYPERLINK(...)`` is just letters. The frame's index is the row as the
spreadsheet numbers it (the first line of the file is 1), so every finding can name the row to look at.

What real files do, and what happens here:
- CSV with ``,``, ``;`` or tab (sniffed unless named), UTF-8 with or without BOM, UTF-16 with BOM (Excel's
  "Unicode-Text"), else Windows-1252 (ISO-8859-1 where that fails), unless the mapping names the encoding.
- XLSX (also .xlsm) read by openpyxl in read-only mode with the cached values: formulas are never computed, macros
  never run or read; a formula without a stored result is reported. .xls, .xlsb and .ods are refused.
- Title rows (``skip_rows``), several header rows joined into one name per column, merged header cells filled
  across, footnote rows below the table dropped with a note, empty trailing columns dropped, a header with more
  (or fewer) fields than the rows reported, a table without header named by the mapping (``column_names``).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from sozialdash import fmt
from sozialdash.culprits import culprits
from sozialdash.ingest.report import NOTE, WARNING, Report, encoding_name
from sozialdash.numbers import NotANumber, german_number

MAX_BYTES = 50 * 2**20
"""No table is read beyond this size (the upload limit in .streamlit/config.toml); a city's table of 10,000 areas
and 100 columns is a few MB."""
MAX_UNPACKED = 500 * 2**20
"""An XLSX is a ZIP: unpacked it may not exceed this (a ZIP bomb unpacks to gigabytes)."""
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
REFUSED = {
    ".xls": "das alte Excel-Format .xls wird nicht gelesen",
    ".xlsb": "das binäre Excel-Format .xlsb wird nicht gelesen",
    ".ods": "OpenDocument-Tabellen werden nicht gelesen",
}
SAVE_AS = "Bitte in Excel oder LibreOffice als .xlsx oder als CSV (UTF-8) speichern."
DELIMITERS = (";", ",", "\t")
DELIMITER_WORDS = {";": "Semikolon", ",": "Komma", "\t": "Tabulator"}
ENCODING_WORDS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 mit BOM", "utf-16": "UTF-16", "cp1252": "Windows-1252",
                  "latin-1": "ISO-8859-1"}
TABLE_KEYS = ("file", "encoding", "delimiter", "sheet", "header_rows", "skip_rows", "column_names")
"""The mapping keys that say how to read a table; every section that reads one (values, catalogue, institutions)
has them."""
RENAMED = {"separator": "delimiter"}
"""Keys a reader once took for a table key: reported with the key meant, never silently ignored."""

_FOOTNOTE = re.compile(r"^\s*(\*|\d{1,2}\)|[¹²³⁴⁵⁶⁷⁸⁹]|(Quellen?|Anm|Anmerkungen?|Hinweise?|Stand|Legende)\b|"
                       r"Fu(ß|ss)note|Erl(ä|ae)uterung|Zeichenerkl|[.x–-]\s)", re.IGNORECASE)
"""How a footnote below a table starts: a marker, "Quelle:", or a sign explained (". = geheim")."""
_FORMULA_START = ("=", "@", "+", "-")
_SNIFF_ROWS = 50
_SEP_HINT = re.compile(r"^sep=([;,\t])\r?\n")
_MOJIBAKE = re.compile("Ã[¤¶¼Ÿ„–œ]")
"""Umlauts written as UTF-8, read as Windows-1252 and saved again as UTF-8: "MÃ¼rwik"."""


@dataclass(frozen=True)
class TableSource:
    """How to read one table, as the mapping says (see ``TABLE_KEYS``)."""

    file: str
    encoding: str | None = None          # None: detected
    delimiter: str | None = None         # None: sniffed
    sheet: str | int | None = None       # XLSX: a sheet's name, or its position counted from 1; None: the first
    header_rows: int = 1                 # 0: no header, the mapping names the columns
    skip_rows: int = 0                   # title rows above the header
    column_names: tuple[str, ...] = ()   # replace the header (or name a headerless table's columns)


def table_source(section: dict, report: Report, where: str) -> TableSource | None:
    """The ``TABLE_KEYS`` of a mapping section, checked; None (with the errors reported) when they are wrong."""
    file = section.get("file")
    errors = len(report.errors)
    if not isinstance(file, str) or not file.strip():
        report.error(where, "„file“ fehlt: welche Datei soll gelesen werden?",
                     fix="z. B. file: sozialatlas/tabelle.csv")
    for old, new in RENAMED.items():
        if old in section:
            report.error(where, f"Unbekannter Schlüssel „{old}“.", fix=f"Gemeint ist wohl „{new}“.")
    encoding = section.get("encoding")
    if encoding is not None:
        encoding = encoding_name(encoding, report, where)
    delimiter = section.get("delimiter")
    if delimiter is not None:
        delimiter = {"\\t": "\t", "tab": "\t", "tabulator": "\t"}.get(str(delimiter).lower(), str(delimiter))
        if delimiter not in DELIMITERS:
            report.error(where, f"Unbekanntes Trennzeichen {delimiter!r}.", fix="„,“, „;“ oder „\\t“ (Tabulator)")
    sheet = section.get("sheet")
    if sheet is not None and (isinstance(sheet, bool) or not isinstance(sheet, str | int) or (
            isinstance(sheet, int) and sheet < 1)):
        report.error(where, f"„sheet“ muss der Name eines Blatts oder seine Nummer (ab 1) sein, nicht {sheet!r}.")
    counts = {}
    for key, default in (("header_rows", 1), ("skip_rows", 0)):
        value = section.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            report.error(where, f"„{key}“ muss eine ganze Zahl ab 0 sein, nicht {value!r}.")
            value = default
        counts[key] = value
    names = section.get("column_names", [])
    if not isinstance(names, list) or not all(isinstance(n, str | int) and str(n).strip() for n in names):
        report.error(where, "„column_names“ muss eine Liste von Spaltennamen sein (keiner leer).")
        names = []
    names = [str(n).strip() for n in names]
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        report.error(where, f"„column_names“ nennt Spalten mehrfach: {culprits(doubled)}.")
    if counts["header_rows"] == 0 and not names:
        report.warning(where, "Die Tabelle hat keine Kopfzeile und „column_names“ fehlt: die Spalten heißen "
                              "„Spalte 1“, „Spalte 2“ usw.", fix="column_names: [Stadtteil, '2020', '2021']")
    if len(report.errors) > errors:
        return None
    return TableSource(file=file, encoding=encoding, delimiter=delimiter, sheet=sheet,
                       header_rows=counts["header_rows"], skip_rows=counts["skip_rows"], column_names=tuple(names))


def read_table(path: Path, source: TableSource, report: Report) -> pd.DataFrame | None:
    """Every cell of the table as stripped text ("" for empty), columns named, indexed by the spreadsheet's row
    number; None when the file cannot be read as a table (the report says why)."""
    path = Path(path)
    name = source.file
    if not path.is_file():
        report.error(name, "Die Datei gibt es nicht.", fix="Den Pfad prüfen: er gilt vom Ordner der Zuordnung aus.")
        return None
    size = path.stat().st_size
    if size > MAX_BYTES:
        report.error(name, f"Die Datei ist zu groß ({fmt.number(size / 2**20, 0)} MB; höchstens "
                           f"{fmt.number(MAX_BYTES / 2**20, 0)} MB).",
                     fix="Nur die benötigten Blätter und Spalten speichern, oder die Tabelle aufteilen.")
        return None
    if size == 0:
        report.error(name, "Die Datei ist leer.")
        return None
    suffix = path.suffix.lower()
    if suffix in REFUSED:
        report.error(name, f"Dateiformat {suffix}: {REFUSED[suffix]}.", fix=SAVE_AS)
        return None
    with open(path, "rb") as handle:
        magic = handle.read(8)
    if suffix in XLSX_SUFFIXES or magic.startswith(b"PK\x03\x04"):
        grid = _xlsx_grid(path, source, report)
    elif magic.startswith(b"\xd0\xcf\x11\xe0"):
        report.error(name, "Die Datei ist eine alte Excel-Datei (.xls), keine CSV-Datei.", fix=SAVE_AS)
        return None
    else:
        if suffix not in CSV_SUFFIXES:
            report.note(name, f"Unbekannte Endung „{suffix}“: die Datei wird als CSV gelesen.")
        grid = _csv_grid(path.read_bytes(), source, report)
    return None if grid is None else _frame(grid, source, report)


# --- CSV ----------------------------------------------------------------------------------------------------------

def _decode(raw: bytes, source: TableSource, report: Report) -> str | None:
    name = source.file
    if source.encoding:
        try:
            return raw.decode("utf-8-sig" if source.encoding == "utf-8" else source.encoding)
        except UnicodeDecodeError as error:
            line = raw[:error.start].count(b"\n") + 1
            report.error(name, f"Die Datei ist nicht in {ENCODING_WORDS.get(source.encoding, source.encoding)} "
                               f"kodiert (Zeile {line}, Byte {raw[error.start:error.start + 1]!r}).", row=line,
                         fix="„encoding“ in der Zuordnung weglassen (dann wird sie erkannt) oder richtig angeben.")
            return None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        report.note(name, f"Die Datei ist kein UTF-8; gelesen als {ENCODING_WORDS[encoding]}.",
                    fix="Falls Umlaute falsch erscheinen: encoding in der Zuordnung angeben.")
        return text
    raise AssertionError("latin-1 decodes every byte")


def _sniff(text: str) -> str:
    """The delimiter under which the first rows split most alike into more than one field (a decimal comma
    inside quotes does not split; one outside splits a row unevenly)."""
    sample = text.splitlines()[:_SNIFF_ROWS]
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(sample, delimiter=delimiter) if any(c.strip() for c in row)]
        if not widths:
            continue
        common = max(set(widths), key=lambda w: (widths.count(w), w))
        score = (widths.count(common) if common > 1 else 0, common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_grid(raw: bytes, source: TableSource, report: Report) -> list[tuple[int, list[str]]] | None:
    name = source.file
    text = _decode(raw, source, report)
    if text is None:
        return None
    if "\x00" in text:
        report.error(name, "Die Datei enthält Nullbytes: sie ist keine Textdatei (CSV).", fix=SAVE_AS)
        return None
    twice = sorted({m for m in _MOJIBAKE.findall(text)})
    if twice:
        report.warning(name, f"Die Datei enthält {culprits(twice)} statt Umlauten: sie wurde wohl zweimal als UTF-8 "
                             "gespeichert.", fix="Die Datei aus der Quelle neu exportieren (CSV UTF-8).")
    hint = _SEP_HINT.match(text)   # Excel's first line "sep=;" names the delimiter
    delimiter = source.delimiter or (hint and hint[1]) or _sniff(text)
    if not source.delimiter:
        report.note(name, f"Trennzeichen erkannt: {DELIMITER_WORDS[delimiter]}.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    if hint:
        next(reader)
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as error:
        report.error(name, f"Die Datei ist kein lesbares CSV ab Zeile {reader.line_num}: {error}.",
                     row=reader.line_num, fix="Anführungszeichen prüfen (ein Feld ohne schließendes „\"“).")
        return None
    # csv counts lines; a row is numbered by the line it starts on, as a text editor shows it
    numbered, start = [], 1
    for line_num, row in rows:
        numbered.append((start, row))
        start = line_num + 1
    return numbered


# --- XLSX ---------------------------------------------------------------------------------------------------------

def _xlsx_grid(path: Path, source: TableSource, report: Report) -> list[tuple[int, list[str]]] | None:
    import openpyxl

    name = source.file
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            unpacked = sum(member.file_size for member in members)
            macros = any(member.filename.lower().endswith("vbaproject.bin") for member in members)
    except zipfile.BadZipFile:
        report.error(name, "Die Datei ist keine gültige Excel-Arbeitsmappe (.xlsx).", fix=SAVE_AS)
        return None
    if unpacked > MAX_UNPACKED:
        report.error(name, f"Die Arbeitsmappe entpackt sich zu {fmt.number(unpacked / 2**20, 0)} MB (höchstens "
                           f"{fmt.number(MAX_UNPACKED / 2**20, 0)} MB); so groß ist keine Tabelle.",
                     fix="Nur die benötigten Blätter als .xlsx oder CSV speichern.")
        return None
    if macros:
        report.warning(name, "Die Arbeitsmappe enthält Makros: sie werden weder ausgeführt noch gelesen; gelesen "
                             "werden nur die gespeicherten Werte der Zellen.",
                       fix="Füllt ein Makro Werte erst beim Öffnen, die Datei in Excel öffnen und als .xlsx speichern.")
    try:
        values_book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_vba=False, keep_links=False)
        formula_book = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_vba=False,
                                              keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a broken file; each means "not readable"
        report.error(name, f"Die Arbeitsmappe ist nicht lesbar ({type(error).__name__}: {error}).", fix=SAVE_AS)
        return None
    try:
        sheet = _sheet(values_book, source, report)
        if sheet is None:
            return None
        grid = [(number, [_cell_text(cell) for cell in row])
                for number, row in enumerate(sheet.iter_rows(), start=1)]
        _fill_merged(grid, _merged_ranges(sheet))
        _report_formulas(formula_book[sheet.title], grid, name, report)
    finally:
        values_book.close()
        formula_book.close()
    return grid


def _sheet(book, source: TableSource, report: Report):
    names = book.sheetnames
    if source.sheet is None:
        if len(names) > 1:
            report.note(source.file, f"Die Arbeitsmappe hat {len(names)} Blätter ({culprits(names)}); gelesen "
                                     f"wird das erste, „{names[0]}“.", fix="Ein anderes mit sheet: wählen.")
        return book[names[0]]
    if isinstance(source.sheet, int):
        if source.sheet > len(names):
            report.error(source.file, f"Blatt Nummer {source.sheet} gibt es nicht; die Arbeitsmappe hat "
                                      f"{len(names)} ({culprits(names)}).")
            return None
        return book[names[source.sheet - 1]]
    if source.sheet not in names:
        report.error(source.file, f"Das Blatt „{source.sheet}“ gibt es nicht; die Arbeitsmappe hat "
                                  f"{culprits(names)}.", fix="Den Namen genau so schreiben wie auf dem Reiter.")
        return None
    return book[source.sheet]


def _cell_text(cell) -> str:
    """A cell as the planner sees it: as ``value_text`` says, and a share formatted as percent as "15,3%" (Excel
    stores 0.153)."""
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return _decimal_text(round(value * 100, 10)) + "%"
    return value_text(value)


def value_text(value: object) -> str:
    """A typed value (an XLSX cell's, a geodata file's property) as the text a CSV would hold, in the text the
    number reader expects: a decimal comma (so 1.234 stays one point two three four), Excel's WAHR and FALSCH,
    a date as 2025-01-15, "" for none."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool | np.bool_):
        return "WAHR" if value else "FALSCH"
    if isinstance(value, int | float | np.number):
        return _decimal_text(value)
    if hasattr(value, "isoformat"):
        return value.isoformat().removesuffix("T00:00:00")
    return str(value).strip()


def _decimal_text(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return np.format_float_positional(value, trim="-").replace(".", ",")


def _merged_ranges(sheet) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column) of each merged range. Read-only worksheets do not
    parse them, so the sheet's XML is scanned for ``mergeCell`` elements (a streaming parse: no tree is built)."""
    from openpyxl.utils.cell import range_boundaries

    ranges = []
    with sheet._get_source() as xml:
        for _event, element in ElementTree.iterparse(xml):
            if element.tag.endswith("}mergeCell"):
                low_col, low_row, high_col, high_row = range_boundaries(element.get("ref"))
                ranges.append((low_row, low_col, high_row, high_col))
            element.clear()
    return ranges


def _fill_merged(grid: list[tuple[int, list[str]]], ranges: Iterable[tuple[int, int, int, int]]) -> None:
    """Every cell of a merged range says what its top-left cell says: a year over two columns names both."""
    for low_row, low_col, high_row, high_col in ranges:
        if low_row > len(grid):
            continue
        text = grid[low_row - 1][1][low_col - 1] if low_col <= len(grid[low_row - 1][1]) else ""
        for r in range(low_row, min(high_row, len(grid)) + 1):
            cells = grid[r - 1][1]
            cells.extend([""] * (high_col - len(cells)))
            for c in range(low_col, high_col + 1):
                cells[c - 1] = text


def _report_formulas(sheet, grid: list[tuple[int, list[str]]], name: str, report: Report) -> None:
    """Formulas are never computed: their stored result is read. Without one (a file written by a program,
    never opened in Excel), the cell is empty and said so."""
    from openpyxl.utils.cell import get_column_letter

    computed, unstored = 0, []
    for number, row in enumerate(sheet.iter_rows(), start=1):
        for column, cell in enumerate(row, start=1):
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                stored = grid[number - 1][1][column - 1] if number <= len(grid) and column <= len(
                    grid[number - 1][1]) else ""
                if stored:
                    computed += 1
                else:
                    unstored.append((number, f"{get_column_letter(column)}{number}: {cell.value}"))
    if computed:
        report.note(name, f"{fmt.number(computed)} Zellen enthalten Formeln; gelesen wird ihr in der Datei "
                          "gespeichertes Ergebnis, keine Formel wird ausgeführt.")
    report.many(WARNING, name, "Formeln ohne gespeichertes Ergebnis, als leer gelesen", unstored,
                fix="Die Datei in Excel oder LibreOffice öffnen und speichern (dann ist das Ergebnis gespeichert), "
                    "oder die Werte statt der Formeln einfügen.")


# --- from rows to a frame -----------------------------------------------------------------------------------------

def _trimmed(cells: list[str]) -> list[str]:
    cells = [c.strip() for c in cells]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _frame(grid: list[tuple[int, list[str]]], source: TableSource, report: Report) -> pd.DataFrame | None:
    name = source.file
    rows = [(number, _trimmed(cells)) for number, cells in grid[source.skip_rows:]]
    while rows and not rows[0][1]:
        rows.pop(0)
    if not rows:
        report.error(name, "Die Datei ist leer." if not source.skip_rows else
                     f"Nach den {source.skip_rows} übersprungenen Zeilen (skip_rows) ist die Tabelle leer.")
        return None
    header, body = rows[:source.header_rows], rows[source.header_rows:]
    body = _without_footnotes(body, name, report)
    body = [(number, cells) for number, cells in body if cells]
    if not body:
        report.error(name, "Die Datei enthält nur die Kopfzeile, keine Werte." if header else "Keine Werte.",
                     fix="Ist header_rows zu groß?" if len(header) > 1 else None)
        return None
    width = max(len(cells) for _, cells in body)
    names = _names(header, width, source, report)
    if names is None:
        return None
    frame = pd.DataFrame([cells + [""] * (len(names) - len(cells)) for _, cells in body], columns=names,
                         index=pd.Index([number for number, _ in body], name="Zeile"), dtype=object)
    _note_formula_like(frame, name, report)
    return frame


def _without_footnotes(body: list[tuple[int, list[str]]], name: str, report: Report) -> list[tuple[int, list[str]]]:
    """The table without the rows below it that hold only one text each: footnotes ("* Werte unter 4 ...",
    "Quelle: ..."), separated by an empty row or starting like a footnote. A row that only misses its values
    ("13 Tarup" and nothing else) right below the table stays."""
    start = len(body)
    while start > 0 and sum(bool(c) for c in body[start - 1][1]) <= 1:
        start -= 1
    tail = body[start:]
    cut = next((i for i, (_, cells) in enumerate(tail) if not cells), None)
    if cut is None:
        cut = next((i for i, (_, cells) in enumerate(tail) if _FOOTNOTE.match(" ".join(cells) + " ")), None)
    if cut is None:
        return body
    dropped = [(number, " ".join(cells)) for number, cells in tail[cut:] if cells]
    if dropped:
        report.many(NOTE, name, "Fußnoten unter der Tabelle, nicht als Werte gelesen", dropped)
    return body[:start + cut]


def _names(header: list[tuple[int, list[str]]], width: int, source: TableSource, report: Report
           ) -> list[str] | None:
    name = source.file
    if source.column_names:
        names = list(source.column_names)
        if header:
            written = _joined(header)
            if written[:len(names)] != names:
                report.note(name, f"Die Kopfzeile ({culprits(written, limit=12)}) wird durch column_names "
                                  f"ersetzt ({culprits(names, limit=12)}).")
        if width > len(names):
            report.error(name, f"Die Zeilen haben bis zu {width} Werte, column_names nennt nur {len(names)} Spalten.",
                         fix="column_names um die fehlenden Spalten ergänzen.")
            return None
        if width < len(names):
            report.warning(name, f"column_names nennt {len(names)} Spalten, die Zeilen haben höchstens {width} "
                                 f"Werte: ohne Werte bleiben {culprits(names[width:])}.")
        return names
    names = _joined(header) if header else []
    if len(names) > width:
        report.warning(name, f"Die Kopfzeile nennt {len(names)} Spalten, die Zeilen haben höchstens {width} Werte: "
                             f"die Spalten {culprits(names[width:])} sind leer. Passt die Kopfzeile zu den Werten?",
                       row=header[-1][0], fix="Sonst mit column_names die Spalten der Reihe nach benennen.")
    elif len(names) < width and header:
        report.warning(name, f"Die Zeilen haben bis zu {width} Werte, die Kopfzeile nennt nur {len(names)} "
                             f"Spalten; die übrigen heißen „Spalte {len(names) + 1}“ usw.", row=header[-1][0],
                       fix="Mit column_names alle Spalten benennen.")
    names += [""] * (width - len(names))
    names = [n or f"Spalte {i}" for i, n in enumerate(names, start=1)]
    seen: dict[str, int] = {}
    doubled = []
    for i, n in enumerate(names):
        seen[n] = seen.get(n, 0) + 1
        if seen[n] > 1:
            doubled.append(n)
            names[i] = f"{n} ({seen[n]})"
    if doubled:
        report.warning(name, f"Spaltennamen mehrfach: {culprits(sorted(set(doubled)))}; die weiteren heißen "
                             "„Name (2)“ usw.", fix="Mehrere Kopfzeilen? Dann header_rows angeben.")
    return names


def _joined(header: list[tuple[int, list[str]]]) -> list[str]:
    """One name per column from several header rows, top to bottom joined by a space: a group written once above
    its columns (a merged cell, in CSV only in its first column) names every column until the next group."""
    width = max(len(cells) for _, cells in header)
    grid = [cells + [""] * (width - len(cells)) for _, cells in header]
    for cells in grid[:-1]:
        for i in range(1, width):
            if not cells[i] and grid[-1][i]:
                cells[i] = cells[i - 1]
    names = []
    for i in range(width):
        parts = []
        for cells in grid:
            if cells[i] and cells[i] not in parts:
                parts.append(cells[i])
        names.append(" ".join(parts))
    return names


def _note_formula_like(frame: pd.DataFrame, name: str, report: Report) -> None:
    """Cells a spreadsheet would run as formulas are text here; a later export neutralises them
    (``views.tables``), but the planner should know the file has them."""
    found = []
    for column in frame.columns:
        for number, text in frame[column].items():
            if text.startswith(_FORMULA_START) and not _is_number(text):
                found.append((number, text))
    if found:
        report.many(NOTE, name, "Zellen, die wie eine Formel beginnen (=, +, -, @), werden als Text gelesen "
                                     "und nie ausgerechnet", sorted(found))


def _is_number(text: str) -> bool:
    try:
        return german_number(text) is not None
    except NotANumber:
        return False
