"""Excel workbooks for the downloads, one writer for every page that offers one.

A table arrives with its cells already typed (numbers, dates, booleans, text, None for an empty cell) and leaves
as a sheet whose header stays in view and filters, numbers stay numbers in the given number format (Excel shows
them in the reader's own locale: 1.234,56 in a German Excel), an absent value is an empty cell and never "nan",
and every text cell is written as text, so a data string starting with "=" never runs as a formula. What the
file holds (dataset, source, "Fiktive Demodaten", the choices behind it) goes on a second sheet, "Hinweise".
"""

from __future__ import annotations

import datetime
import io
import math
from collections.abc import Mapping, Sequence

import pandas as pd

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTES_SHEET = "Hinweise"
DATE_FORMAT = "DD.MM.YYYY"
WHOLE = "#,##0"
WIDEST, MEASURED_ROWS = 60, 200


def _cell_value(value: object) -> object:
    """What openpyxl can write: numpy scalars as Python numbers, NaN and NA as an empty cell."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str):   # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def workbook_bytes(table: pd.DataFrame, title: str, notes: Sequence[str],
                   number_formats: Mapping[str, str] | None = None) -> bytes:
    """``table`` as the sheet ``title`` (at most 31 characters, Excel's limit), ``notes`` one a line on the
    Hinweise sheet; ``number_formats`` by column name (e.g. "0.00", ``WHOLE``), dates get ``DATE_FORMAT``."""
    from openpyxl import Workbook  # only when someone downloads: a page run should not pay for it
    from openpyxl.styles import Font

    formats = dict(number_formats or {})
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([str(c) for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    for record in table.itertuples(index=False):
        sheet.append([_cell_value(v) for v in record])
    for row in sheet.iter_rows(min_row=2):
        for name, cell in zip(table.columns, row):
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, int | float) and not isinstance(cell.value, bool) and name in formats:
                cell.number_format = formats[name]
    for column in sheet.iter_cols(max_row=min(sheet.max_row, MEASURED_ROWS)):
        longest = max(len(str(cell.value if cell.value is not None else "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(WIDEST, longest + 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    about = book.create_sheet(NOTES_SHEET)
    for note in notes:
        about.append([note])
        about.cell(about.max_row, 1).data_type = "s"
    about.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
