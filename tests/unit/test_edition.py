"""An index edition recomputed from its published table: German numbers and encodings, the published classes
compared area by area, and a clear German error for a file that does not fit."""

from __future__ import annotations

import pytest

from sozialdash import numbers
from sozialdash.__main__ import DIFFERENT, main
from sozialdash.edition import read_table

# The six areas of tests/unit/test_sozialindex.py's hand computation (codes 1+/-, 2+/-, 2+/-, 2+/-, 2-, 3+), a
# Planungsraum below 300 inhabitants and one with a secret value, written as an edition's CSV is.
EDITION = """PLR;Name;EW;Arbeitslose;Veränderung Arbeitslose;Status;Dynamik
0100;Äußere Stadt;1.000;1,0;0,0;1;+/-
0200;Mitte;1.000;2,0;0,0;2;+/-
0300;Süd;1 000;3,0;0,0;mittel;stabil
0400;Nord;1000;4,0;±0,0;2;+/-
0500;Ost;1.000;5,0;+1,0;2;\u2212
0600;West;1.000;6,0;\u22121,0;3;+
0700;Klein;250;9,0;0,0;;
0800;Geheim;900;.;0,0;;
"""
ARGS = ["--id", "PLR", "--einwohner", "EW", "--status", "Arbeitslose", "--dynamik", "Veränderung Arbeitslose"]


@pytest.mark.parametrize("text, number", [("1.234,5", 1234.5), ("12,3 %", 12.3), ("1 675", 1675.0),
                                          ("\u22120,4", -0.4), ("1.234", 1234.0), ("12.5", 12.5), ("+1,5", 1.5),
                                          ("12.345.678", 12345678.0), ("1\xa0675", 1675.0),
                                          ("±0,0", 0.0)])
def test_german_numbers(text, number):
    assert numbers.german_number(text) == number


def test_without_grouping_a_lone_point_is_a_decimal_point():
    assert numbers.german_number("54.792") == 54792.0
    assert numbers.german_number("54.792", grouping=False) == 54.792
    assert numbers.german_number("527.345,2", grouping=False) == 527345.2


def test_markers_are_gaps_and_anything_else_is_an_error():
    assert numbers.german_number(".") is None and numbers.german_number("–") is None
    assert numbers.german_number("*") is None and numbers.is_secret("*") and not numbers.is_secret(".")
    with pytest.raises(numbers.NotANumber):
        numbers.german_number("12,3,4")
    with pytest.raises(numbers.NotANumber):
        numbers.german_number("zwölf")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_an_edition_is_recomputed_and_agrees_with_its_classes(tmp_path, capsys, encoding):
    path = tmp_path / "mss.csv"
    text = EDITION if encoding != "cp1252" else EDITION.replace("\u2212", "-")   # Windows-1252 has no minus sign
    path.write_bytes(text.encode(encoding))
    out = tmp_path / "ergebnis.csv"
    assert main(["sozialindex", str(path), *ARGS, "--amtlich-status", "Status", "--amtlich-dynamik", "Dynamik",
                 "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "8 Gebiete, 6 im Index, 2 ohne Zuordnung." in said
    assert "Abweichungen von der amtlichen Ausgabe: 0 von 8 Gebieten." in said
    result = read_table(out).set_index("PLR")
    assert list(result.index) == ["0100", "0200", "0300", "0400", "0500", "0600", "0700", "0800"]
    assert list(result["code"]) == ["1+/-", "2+/-", "2+/-", "2+/-", "2-", "3+", "", ""]
    assert list(result["excluded"][-2:]) == ["small", "missing"]
    assert result.at["0100", "status_index"].startswith("-1,46")


def test_a_class_that_differs_is_named_and_the_exit_code_says_so(tmp_path, capsys):
    path = tmp_path / "mss.csv"
    path.write_text(EDITION.replace("6,0;\u22121,0;3;+", "6,0;\u22121,0;4;+"), encoding="utf-8")
    assert main(["sozialindex", str(path), *ARGS, "--amtlich-status", "Status"]) == DIFFERENT
    said = capsys.readouterr().out
    assert "Abweichungen von der amtlichen Ausgabe: 1 von 8 Gebieten." in said
    assert "0600: berechnet 3+, amtlich 4" in said


def test_other_thresholds_change_the_classes(tmp_path, capsys):
    path = tmp_path / "mss.csv"
    path.write_text(EDITION, encoding="utf-8")
    assert main(["sozialindex", str(path), *ARGS, "--amtlich-status", "Status",
                 "--grenzen-status=-1,1,1.4"]) == DIFFERENT
    assert "0600: berechnet 4+, amtlich 3" in capsys.readouterr().out


@pytest.mark.parametrize("change, message", [
    (("EW;", "Einwohner;"), "Spalten fehlen: EW"),
    (("0300;Süd;1 000;3,0", "0300;Süd;1 000;drei"), "Spalte „Arbeitslose“ enthält keine Zahl: Zeile 4: 'drei'"),
    (("0200;Mitte", "0100;Mitte"), "Gebiets-IDs doppelt: 0100"),
    (("0500;Ost;1.000;5,0;+1,0;2;\u2212", "0500;Ost;1.000;5,0;+1,0;2;fallend"), "Dynamikklasse unbekannt: fallend"),
])
def test_a_file_that_does_not_fit_is_refused_in_german(tmp_path, capsys, change, message):
    path = tmp_path / "mss.csv"
    path.write_text(EDITION.replace(*change), encoding="utf-8")
    assert main(["sozialindex", str(path), *ARGS, "--amtlich-dynamik", "Dynamik"]) == 1
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("content, message", [
    (b"", "mss.csv: Die Datei ist leer."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "mss.csv: Die Datei ist eine alte Excel-Datei (.xls)"),
    (b"PLR;EW\n", "mss.csv: Die Datei enthält nur die Kopfzeile, keine Werte."),
])
def test_what_the_table_reader_refuses_is_an_edition_error(tmp_path, capsys, content, message):
    path = tmp_path / "mss.csv"
    path.write_bytes(content)
    assert main(["sozialindex", str(path), *ARGS]) == 1
    assert message in capsys.readouterr().err


def test_a_cell_is_named_by_its_line_in_the_file(tmp_path, capsys):
    """An empty line above the header is skipped, and the unreadable cell keeps its line number."""
    path = tmp_path / "mss.csv"
    path.write_text("\n" + EDITION.replace("0300;Süd;1 000;3,0", "0300;Süd;1 000;drei"), encoding="utf-8")
    assert main(["sozialindex", str(path), *ARGS]) == 1
    assert "Spalte „Arbeitslose“ enthält keine Zahl: Zeile 5: 'drei'" in capsys.readouterr().err
