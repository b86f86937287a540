"""Reading a CSV back the way Excel opens it by double-click, to test what a planner would really see."""

from __future__ import annotations

import csv
import io
import re

GERMAN_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?%?$")
DATE_OR_TIME = re.compile(r"^(\d{1,4}[./-]\d{1,2}([./-]\d{1,4})?|\d{1,2}:\d{2}(:\d{2})?)$")


def excel_general(field: str):
    """What Excel's "General" format makes of a CSV field in a German locale: a field that looks like a number
    becomes a number (leading zeros gone), one that looks like a date or time becomes a date; spaces around it
    are ignored for that. Anything else, a field starting with a tab included, stays text as written."""
    if field.startswith("="):
        raise AssertionError(f"formula in CSV: {field!r}")
    bare = field.strip(" ")
    if GERMAN_NUMBER.match(bare):
        number = float(bare.rstrip("%").replace(".", "").replace(",", "."))
        return number / 100 if bare.endswith("%") else number
    if DATE_OR_TIME.match(bare):
        return ("date", bare)
    return field


def excel_rows(data: bytes) -> list[dict[str, object]]:
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 only with a BOM
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")
    return [{key: excel_general(value) for key, value in row.items()} for row in reader]
