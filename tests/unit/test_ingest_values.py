"""Indicator values from a city's tables by a mapping: joins that forgive real spellings, every unusable cell
reported with its file, row and column, and Flensburg's real files read into exactly the hand-made import."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from sozialdash.dataset import INDICATOR_COLUMNS, VALUE_COLUMNS
from sozialdash.ingest.report import ERROR, NOTE, WARNING, Report
from sozialdash.ingest.values import SOURCE_COLUMNS, finish_values, parse_values, read_values
from tests.shaped import FLENSBURG_DIR, POPULATION_FILE, SGB2_FILE, SUMMARY_FILE, _indicator, flensburg_dataset

LEVELS = pd.DataFrame([(0, "stadt", "Stadt", "Stadt"), (1, "sozialraum", "Sozialraum", "Sozialräume"),
                       (2, "stadtteil", "Stadtteil", "Stadtteile")],
                      columns=["level", "key", "label", "label_plural"])
AREAS = pd.DataFrame([
    ("00", "Musterstadt", 0, None), ("SR1", "Sozialraum Nord", 1, "00"), ("SR2", "Sozialraum Süd", 1, "00"),
    ("STGT01", "01 Altstadt", 2, "SR1"), ("STGT02", "02 Mürwik", 2, "SR1"),
    ("STGT03", "03 Friedrich-Ebert-Straße", 2, "SR2"), ("STGT04", "04 Westliche Höhe", 2, "SR2"),
], columns=["area_id", "name", "level", "parent_id"])
INDICATORS = pd.DataFrame([
    _indicator("einwohner", "Einwohner*innen", "Einwohner", "bev", "", "count", "none", decimals=0, multiplier=1.0),
    _indicator("sgb2_anteil", "SGB-II-Anteil", "SGB II", "exi", "%", "proportion", "none"),
    _indicator("sgb2_quote", "SGB-II-Quote", "SGB II", "exi", "%", "proportion", "ratio_of_sums"),
    _indicator("kinder", "Kinder", "Kinder", "bev", "", "count", "sum", decimals=0, multiplier=1.0),
], columns=INDICATOR_COLUMNS)
TEMPLATE = {"column": "Nr", "template": "STGT{:02d}"}


def _section(**keys) -> dict:
    return {"file": "werte.csv", "level": "stadtteil", "area": TEMPLATE,
            "columns": [{"match": "Anzahl_(?P<year>\\d{4})", "indicator": "einwohner"},
                        {"match": "Anteil_(?P<year>\\d{4})", "indicator": "sgb2_anteil"}], **keys}


def _values(tmp_path: Path, text: str, report: Report | None = None, **keys) -> tuple[pd.DataFrame, Report]:
    report = report if report is not None else Report()
    section = _section(**keys)
    (tmp_path / section["file"]).write_text(text, encoding="utf-8")
    parsed = parse_values(section, report, "values Nr. 1")
    assert parsed is not None, report.lines()
    return read_values(parsed, tmp_path, AREAS, INDICATORS, report, levels=LEVELS), report


def _findings(report: Report, level: str) -> list:
    return [f for f in report if f.level == level]


def _said(report: Report, level: str) -> str:
    return "\n".join(f.text() for f in _findings(report, level))


# --- the mapping section ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("change, message", [
    ({"columns_names": ["a"]}, "Unbekannter Schlüssel „columns_names“ im Abschnitt values. – Gemeint ist wohl "
                               "„column_names“."),
    ({"area": None}, "„area“ fehlt"),
    ({"area": {"column": "Nr", "id": "00"}}, "„area“ braucht genau eins"),
    ({"area": {"column": "Nr", "join": "ungefähr"}}, "„join“ muss id, name oder prefix sein"),
    ({"area": {"column": "Nr", "template": "{0.__class__.__mro__}"}}, "keine Vorlage mit genau einer Stelle"),
    ({"area": {"column": "Nr", "template": "A{}{}"}}, "keine Vorlage mit genau einer Stelle"),
    ({"area": {"column": "Nr", "join": "name", "prefix": "STGT"}}, "gelten für IDs, nicht für join: name"),
    ({"area": {"column": "Nr", "spalte": "x"}}, "Unbekannter Schlüssel „spalte“ in area"),
    ({"format": "breit"}, "„format“ muss wide oder long sein"),
    ({"columns": []}, "„columns“ fehlt"),
    ({"columns": [{"match": "Anzahl_(\\d{4}"}]}, "„match“ ist kein gültiger regulärer Ausdruck"),
    ({"columns": [{"match": "Anzahl", "indicator": "einwohner"}]}, "Das Jahr fehlt"),
    ({"columns": [{"match": "Anzahl_(?P<year>\\d{4})"}]}, "„indicator“ fehlt"),
    ({"columns": [{"match": "Anzahl", "indicator": "einwohner", "year": 21}]}, "„year“ muss eine Jahreszahl sein"),
    ({"columns": [{"match": "A_(?P<year>\\d{4})", "indicator": "x", "part": "zaehler"}]}, "„part“ muss value"),
    ({"format": "long", "columns": None}, "„value“ (oder „numerator“) fehlt"),
    ({"missing": ["*"], "secret": ["*"]}, "Zeichen sowohl fehlend als auch geheim: *"),
    ({"indicators": {"Einwohner": "einwohner"}}, "„indicators“ ohne „indicator_column“"),
    ({"corrections": [{"row": 2, "column": "Anzahl_2021"}]}, "Eine Korrektur braucht genau row (ab 1), column"),
])
def test_a_wrong_section_is_refused_with_what_is_wrong(change, message):
    report = Report()
    assert parse_values(_section(**change), report, "values Nr. 1") is None
    assert message in _said(report, ERROR)


def test_a_section_is_read_into_its_parts():
    report = Report()
    section = parse_values(_section(missing=["-9999"], secret=["(x)"], delimiter=";"), report, "values Nr. 1")
    assert report.ok
    assert section.table.delimiter == ";" and section.area.template == "STGT{:02d}"
    assert {"-9999", ".", ""} <= section.missing and {"(x)", "*"} <= section.secret
    assert [rule.indicator for rule in section.columns] == ["einwohner", "sgb2_anteil"]


# --- joining areas ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("area, cells", [
    (TEMPLATE, ["1", "2", "3", "4"]),
    ({"column": "Nr", "template": "STGT{}"}, ["01", "02", "03", "04"]),
    ({"column": "Nr", "pad": 2, "prefix": "STGT"}, ["1", "02", "3", "4"]),
    ({"column": "Nr"}, ["STGT01", "STGT02", "STGT03", "STGT04"]),
    ({"column": "Nr", "join": "prefix"}, ["STGT01", "STGT02", "STGT03", "STGT04"]),
    ({"column": "Nr", "join": "name"}, ["ALTSTADT", "Muerwik", "Friedrich-Ebert-Str.", "Westliche_Höhe"]),
    ({"column": "Nr", "join": "name"}, ["01 Altstadt", "murwik", "friedrich ebert strasse", "4 Westliche Hoehe"]),
])
def test_areas_join_by_id_template_prefix_or_folded_name(tmp_path, area, cells):
    text = "Nr;Anzahl_2021\n" + "".join(f"{cell};{100 + i}\n" for i, cell in enumerate(cells))
    values, report = _values(tmp_path, text, area=area)
    assert report.ok, report.lines()
    assert values["area_id"].tolist() == ["STGT01", "STGT02", "STGT03", "STGT04"]
    assert values["value"].tolist() == [100.0, 101.0, 102.0, 103.0]


def test_every_row_that_joins_no_area_is_reported_with_its_row_and_value(tmp_path):
    text = "Nr;Anzahl_2021\n1;100\n17;5\n;7\nx;8\n"
    values, report = _values(tmp_path, text)
    assert values["area_id"].tolist() == ["STGT01"]
    errors = _findings(report, ERROR)
    assert [(f.row, f.column, f.value) for f in errors] == [(3, "Nr", "17"), (4, "Nr", ""), (5, "Nr", "x")]
    assert all(f.file == "werte.csv" and "Zeile keinem Gebiet zugeordnet" in f.message for f in errors)
    assert "die Gebietsspalte ist leer" in errors[1].message


def test_an_ambiguous_prefix_is_reported_with_its_candidates(tmp_path):
    _, report = _values(tmp_path, "Nr;Anzahl_2021\nSTGT0;5\n", area={"column": "Nr", "join": "prefix"})
    assert "mehrdeutig: STGT01, STGT02, STGT03, STGT04" in _said(report, ERROR)


def test_a_city_total_and_a_sozialraum_among_stadtteile_join_their_areas(tmp_path):
    text = ("Gebiet;Anzahl_2021\n01 Altstadt;10\nMürwik;20\nSozialraum Nord;30\nFriedrich-Ebert-Straße;5\n"
            "Westliche Höhe;6\nStadt gesamt;61\nSumme Süd;11\n")
    values, report = _values(tmp_path, text, area={"column": "Gebiet", "join": "name",
                                                   "aliases": {"Summe Süd": "SR2"}})
    assert report.ok, report.lines()
    assert dict(zip(values["area_id"], values["value"])) == {
        "STGT01": 10, "STGT02": 20, "SR1": 30, "STGT03": 5, "STGT04": 6, "00": 61, "SR2": 11}
    noted = _said(report, NOTE)
    assert "Zeilen für Gebiete einer anderen Ebene" in noted and "Stadt gesamt → Musterstadt" in noted


def test_a_constant_area_reads_a_table_of_city_totals_with_indicators_by_row(tmp_path):
    text = "Kennzahl;2018;2019\nAnzahl der Einwohner*innen;96187;96920\nDurchschnittsalter;42,3;42,4\n"
    values, report = _values(tmp_path, text, area={"id": "00"}, level=None, indicator_column="Kennzahl",
                             indicators={"Anzahl der Einwohner*innen": "einwohner", "Arbeitslose": "kinder"},
                             columns=[{"match": "(?P<year>\\d{4})"}])
    assert values[["indicator_id", "area_id", "year", "value"]].values.tolist() == [
        ["einwohner", "00", 2018, 96187.0], ["einwohner", "00", 2019, 96920.0]]
    assert "Zeilen ohne zugeordneten Indikator, übergangen: Zeile 3 ('Durchschnittsalter')" in _said(report, NOTE)
    assert "„indicators“ nennt Texte, die in der Spalte „Kennzahl“ nicht vorkommen: Arbeitslose" in _said(
        report, WARNING)


def test_an_unknown_level_and_an_unknown_column_are_errors(tmp_path):
    _, report = _values(tmp_path, "Nr;Anzahl_2021\n1;5\n", level="bezirk")
    assert "Die Ebene „bezirk“ gibt es nicht; bekannt sind stadt, sozialraum, stadtteil" in _said(report, ERROR)
    _, report = _values(tmp_path, "NR;Anzahl_2021\n1;5\n")
    assert "Die Spalte „Nr“ gibt es nicht; die Datei hat NR, Anzahl_2021. – Gemeint ist wohl „NR“." in _said(
        report, ERROR)


def test_a_file_outside_the_mapping_folder_is_not_read(tmp_path):
    (tmp_path / "geheim.csv").write_text("Nr;Anzahl_2021\n1;5\n", encoding="utf-8")
    (tmp_path / "mapping").mkdir()
    report = Report()
    section = parse_values(_section(file="../geheim.csv"), report, "values Nr. 1")
    values = read_values(section, tmp_path / "mapping", AREAS, INDICATORS, report, levels=LEVELS)
    assert values.empty
    assert "außerhalb des Ordners der Zuordnung" in _said(report, ERROR)


# --- numbers and checks -------------------------------------------------------------------------------------------

def test_markers_give_missing_and_secret_values_and_a_typo_is_reported_with_its_cell(tmp_path):
    text = "Nr;Anzahl_2020;Anzahl_2021;Anteil_2021\n1;.;*;12,3 %\n2;-9999;1.234;(x)\n3;857°;12;\n"
    values, report = _values(tmp_path, text, missing=["-9999"], secret=["(x)"])
    got = values.set_index(["area_id", "indicator_id", "year"])
    assert np.isnan(got.loc[("STGT01", "einwohner", 2020), "value"])
    assert got.loc[("STGT01", "einwohner", 2021), "source_suppressed"]
    assert np.isnan(got.loc[("STGT01", "einwohner", 2021), "value"])
    assert got.loc[("STGT01", "sgb2_anteil", 2021), "value"] == 12.3
    assert got.loc[("STGT02", "einwohner", 2021), "value"] == 1234
    assert got.loc[("STGT02", "sgb2_anteil", 2021), "source_suppressed"]
    assert np.isnan(got.loc[("STGT02", "einwohner", 2020), "value"])
    assert not got.loc[("STGT02", "einwohner", 2020), "source_suppressed"]
    [typo] = _findings(report, ERROR)
    assert (typo.file, typo.row, typo.column, typo.value) == ("werte.csv", 4, "Anzahl_2020", "857°")
    assert "Keine Zahl (Wert für einwohner, 2020)" in typo.message
    assert ("STGT03", "einwohner", 2020) not in got.index


@pytest.mark.parametrize("cell, column, message", [
    ("104,5", "Anteil_2021", "Anteile größer als das Ganze (100): sgb2_anteil, 2021."),
    ("-3", "Anteil_2021", "Negative Werte"),
    ("1.3066", "Anzahl_2021", "Anzahlen müssen ganze Zahlen sein: einwohner, 2021."),   # tab_8's OCR error
])
def test_impossible_numbers_are_reported_where_they_stand(tmp_path, cell, column, message):
    other = "Anteil_2021" if column == "Anzahl_2021" else "Anzahl_2021"
    text = f"Nr;{column};{other}\n1;5;5\n2;{cell};5\n"
    values, report = _values(tmp_path, text)
    [problem] = _findings(report, ERROR)
    assert message in problem.message
    assert (problem.row, problem.column) == (3, column)
    assert len(values) == 3           # the bad cell is left out, the others stay


def test_long_format_with_numerators_and_denominators(tmp_path):
    text = ("Gebiet;Jahr;Kennzahl;Zähler;Nenner\n1;2021;SGB II;50;400\n2;2021;SGB II;30;300\n"
            "3;2021;SGB II;80;70\n4;2021;SGB II;10;100\n1;2021;Kinder;120;\n4;20x1;Kinder;3;\n")
    values, report = _values(tmp_path, text, format="long", columns=None, area={"column": "Gebiet",
                             "template": "STGT{:02d}"}, indicator_column="Kennzahl",
                             indicators={"SGB II": "sgb2_quote", "Kinder": "kinder"},
                             long={"year": "Jahr", "numerator": "Zähler", "denominator": "Nenner"})
    got = values.set_index(["indicator_id", "area_id"])
    assert got.loc[("sgb2_quote", "STGT01"), "value"] == 12.5
    assert got.loc[("sgb2_quote", "STGT02"), ["numerator", "denominator"]].tolist() == [30, 300]
    assert got.loc[("kinder", "STGT01"), ["value", "numerator"]].tolist() == [120, 120]
    errors = _findings(report, ERROR)
    assert [(f.row, f.column, f.value) for f in errors] == [(7, "Jahr", "20x1"), (4, "Zähler", "80")]
    assert "Zähler größer als Nenner: sgb2_quote, 2021 (Zähler 80, Nenner 70)" in errors[1].message
    assert ("sgb2_quote", "STGT03") not in got.index


def test_an_aggregating_share_without_its_parts_is_refused_with_how_to_fix_it(tmp_path):
    values, report = _values(tmp_path, "Nr;Quote_2021\n1;12,5\n", columns=[
        {"match": "Quote_(?P<year>\\d{4})", "indicator": "sgb2_quote"}])
    assert values.empty
    assert "sgb2_quote wird aus Zählern und Nennern berechnet (aggregation ratio_of_sums)" in _said(report, ERROR)
    assert "aggregation: none" in _said(report, ERROR)


def test_an_unknown_indicator_is_an_error_with_a_suggestion(tmp_path):
    _, report = _values(tmp_path, "Nr;Anzahl_2021\n1;5\n", columns=[
        {"match": "Anzahl_(?P<year>\\d{4})", "indicator": "einwohnr"}])
    assert "Den Indikator „einwohnr“ gibt es im Katalog nicht. – Gemeint ist wohl „einwohner“." in _said(
        report, ERROR)


# --- across sections ----------------------------------------------------------------------------------------------

def test_the_same_value_twice_names_both_cells(tmp_path):
    report = Report()
    first, _ = _values(tmp_path, "Nr;Anzahl_2021\n1;5\n2;6\n", report)
    second, _ = _values(tmp_path, "Nr;Anzahl_2021\n2;7\n", report, file="nachtrag.csv")
    values = finish_values([first, second], AREAS, INDICATORS, report)
    assert len(values) == 2 and list(values.columns) == VALUE_COLUMNS
    [doubled] = _findings(report, ERROR)
    assert doubled.message == ("einwohner, Gebiet STGT02, 2021 steht mehrfach: werte.csv, Zeile 3, Spalte "
                               "„Anzahl_2021“; nachtrag.csv, Zeile 2, Spalte „Anzahl_2021“.")


def test_a_published_parent_total_is_kept_and_a_mismatch_with_its_children_is_a_warning(tmp_path):
    report = Report()
    counts = [{"match": "Anzahl_(?P<year>\\d{4})", "indicator": "einwohner"}]
    children, _ = _values(tmp_path, "Nr;Anzahl_2021;Anzahl_2020\n1;10;1\n2;20;2\n3;5;3\n4;6;4\n", report,
                          columns=counts)
    totals, _ = _values(tmp_path, "Gebiet;Anzahl_2021;Anzahl_2020\nMusterstadt;42;10\nSozialraum Nord;31;3\n"
                                  "Sozialraum Süd;11;7\n", report, file="summen.csv", columns=counts,
                        area={"column": "Gebiet", "join": "name"}, level="sozialraum")
    values = finish_values([children, totals], AREAS, INDICATORS, report)
    got = values.set_index(["area_id", "year"])["value"]
    assert got[("00", 2021)] == 42 and got[("SR1", 2021)] == 31 and got[("SR2", 2021)] == 11
    [mismatch] = _findings(report, WARNING)
    assert (mismatch.file, mismatch.row, mismatch.column) == ("summen.csv", 3, "Anzahl_2021")
    assert mismatch.message == ("einwohner 2021: die veröffentlichte Summe 31 weicht von der Summe der 2 "
                                "Teilgebiete ab (30, Differenz 1); verwendet wird die veröffentlichte.")


def test_an_aggregating_indicator_keeps_only_its_finest_rows_after_the_comparison(tmp_path):
    report = Report()
    rule = [{"match": "Kinder_(?P<year>\\d{4})", "indicator": "kinder"}]
    children, _ = _values(tmp_path, "Nr;Kinder_2021\n1;10\n2;20\n", report, columns=rule)
    totals, _ = _values(tmp_path, "Gebiet;Kinder_2021\nSozialraum Nord;31\n", report, file="summen.csv",
                        columns=rule, area={"column": "Gebiet", "join": "name"}, level="sozialraum")
    values = finish_values([children, totals], AREAS, INDICATORS, report)
    assert sorted(values["area_id"]) == ["STGT01", "STGT02"]
    assert "weicht von der Summe der 2 Teilgebiete ab (30, Differenz 1)" in _said(report, WARNING)
    assert "der Berechnung überlassen: Zeile 2 ('kinder, SR1, 2021')" in _said(report, NOTE)


def test_a_gap_in_an_indicators_years_is_a_warning(tmp_path):
    report = Report()
    values, _ = _values(tmp_path, "Nr;Anzahl_2011;Anzahl_2017;Anzahl_2018;Anzahl_2019;Anzahl_2021\n"
                                  "1;1;2;3;4;5\n", report)
    finish_values([values], AREAS, INDICATORS, report)
    assert "einwohner: Werte für 2011 bis 2021, aber keine für 2012–2016, 2020." in _said(report, WARNING)


# --- Flensburg's real files ---------------------------------------------------------------------------------------

def _needs_flensburg(*names: str) -> None:
    missing = [n for n in names if not (FLENSBURG_DIR / n).exists()]
    if missing:
        pytest.skip(f"Flensburg's Sozialatlas tables are not in {FLENSBURG_DIR} ({', '.join(missing)})")


FLENSBURG_SECTIONS = [
    {"file": POPULATION_FILE, "level": "stadtteil", "area": {"column": "id", "template": "STGT{:02d}"},
     "columns": [{"match": "(?P<year>\\d{4})", "indicator": "einwohner"},
                 {"match": "gesamt", "indicator": "einwohner", "year": 2021}]},
    {"file": SGB2_FILE, "level": "stadtteil", "area": {"column": "Stadtteil_ID", "pad": 2, "prefix": "STGT"},
     "columns": [{"match": "Anzahl_(?P<year>\\d{4})", "indicator": "sgb2_anzahl"},
                 {"match": "Anteil_in_%_(?P<year>\\d{4})", "indicator": "sgb2_anteil"}]},
    {"file": SUMMARY_FILE, "column_names": ["Kennzahl", "2018", "2019", "2020", "2021"],
     "area": {"id": "STGM01001000"}, "indicator_column": "Kennzahl",
     "indicators": {"Anzahl der Einwohner*innen": "einwohner"}, "columns": [{"match": "(?P<year>\\d{4})"}]},
]


def test_flensburgs_real_tables_give_exactly_the_hand_made_import():
    _needs_flensburg(POPULATION_FILE, SGB2_FILE, SUMMARY_FILE)
    report = Report()
    dataset = flensburg_dataset()
    frames = [read_values(parse_values(section, report, f"values Nr. {i}"), FLENSBURG_DIR, dataset.areas,
                          dataset.indicators, report, levels=dataset.levels)
              for i, section in enumerate(FLENSBURG_SECTIONS, start=1)]
    assert all(set(SOURCE_COLUMNS) <= set(frame.columns) for frame in frames)
    values = finish_values(frames, dataset.areas, dataset.indicators, report)
    assert report.ok, report.lines()
    key = ["indicator_id", "area_id", "year"]
    ours = values.sort_values(key).reset_index(drop=True)
    theirs = dataset.values[VALUE_COLUMNS].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)
    # the real quirks, each named: the header over four values, the city total that is not the Stadtteile's sum
    assert "wird durch column_names ersetzt" in _said(report, NOTE)
    assert ("einwohner 2021: die veröffentlichte Summe 97.882 weicht von der Summe der 13 Teilgebiete ab (97.877, "
            "Differenz 5)") in _said(report, WARNING)
    assert "einwohner: Werte für 2011 bis 2021, aber keine für 2012–2016." in _said(report, WARNING)


FLENSBURG_KINDS = {"anteil_maennlich": "proportion", "anteil_weiblich": "proportion", "mh_anteil": "proportion",
                   "ausl_anteil": "proportion", "dt_mh_anteil": "proportion", "sgb2_anteil": "proportion",
                   "beschaeftigungsquote": "proportion", "geburten_anteil_jungen": "proportion",
                   "altenquotient": "ratio", "geburtenquote": "ratio"}
"""The value type of each indicator the Flensburg mapping names (the others are counts); all published."""


def test_every_flensburg_table_can_be_described_by_a_mapping():
    mapping = yaml.safe_load((FLENSBURG_DIR.parent / "values.yaml").read_text(encoding="utf-8"))
    sections = mapping["values"]
    _needs_flensburg(*[section["file"] for section in sections])
    ids = sorted({rule["indicator"] for s in sections for rule in s.get("columns", []) if rule.get("indicator")}
                 | {i for s in sections for i in s.get("indicators", {}).values()}
                 | {"mh_anzahl", "mh_anteil", "ausl_anzahl", "ausl_anteil", "dt_mh_anzahl", "dt_mh_anteil"})
    catalogue = pd.DataFrame([
        _indicator(i, i, i, "bevoelkerung", "", FLENSBURG_KINDS.get(i, "count"), "none",
                   multiplier=100.0 if FLENSBURG_KINDS.get(i) == "proportion" else 1.0,
                   decimals=1 if i in FLENSBURG_KINDS else 0) for i in ids],
        columns=INDICATOR_COLUMNS)
    dataset = flensburg_dataset()
    report = Report()
    frames = [read_values(parse_values(section, report, f"values Nr. {i}"), FLENSBURG_DIR, dataset.areas,
                          catalogue, report, levels=dataset.levels) for i, section in enumerate(sections, start=1)]
    values = finish_values(frames, dataset.areas, catalogue, report)
    assert all(len(frame) for frame in frames)
    # The only errors are tab_8's transcription errors, each at its cell (SOURCE.md, Quirks)
    assert sorted((f.file, f.row, f.column, f.value) for f in _findings(report, ERROR)) == [
        ("tab_8_alter_ab_65.csv", 5, "2011", "1,3066"), ("tab_8_alter_ab_65.csv", 7, "2011", "857°"),
        ("tab_8_alter_ab_65.csv", 8, "2019", "1,4131"), ("tab_8_alter_ab_65.csv", 10, "2021", "1,64"),
        ("tab_8_alter_ab_65.csv", 12, "2019", "1,69")]
    got = values.set_index(["indicator_id", "area_id", "year"])["value"]
    assert got[("mh_anzahl", "STGT01", 2021)] == 1374          # tab_9's "1.374": a thousands point
    assert got[("mh_anteil", "STGT01", 2021)] == 35.5
    assert got[("beschaeftigungsquote", "STGT03", 2021)] == 47.5
    assert got[("hze_31", "STGM01001000", 2017)] == 142
    assert got[("einwohner_u18", "STGT04", 2011)] == 1151      # "04 Westliche Höhe" joined by name
    assert got[("geburten", "STGT04", 2011)] == 41             # "Westliche_Höhe" too
    # tab_5's Stadtteile give 100 fewer 65- to 80-year-olds in 2021 than the city total of tab_3
    assert "einwohner_65_80 2021: die veröffentlichte Summe 12.885 weicht von der Summe der 13 Teilgebiete ab " \
           "(12.785, Differenz 100)" in _said(report, WARNING)


def test_numbered_names_that_differ_only_by_their_number_stay_apart(tmp_path):
    areas = pd.DataFrame([("0", "Stadt", 0, None), ("a", "1 Nord", 1, "0"), ("b", "2 Nord", 1, "0")],
                         columns=["area_id", "name", "level", "parent_id"])
    (tmp_path / "werte.csv").write_text("Gebiet;Anzahl_2021\n2 Nord;5\n1 Nord;4\nNord;3\n", encoding="utf-8")
    report = Report()
    section = parse_values(_section(level="sozialraum", area={"column": "Gebiet", "join": "name"}), report, "x")
    values = read_values(section, tmp_path, areas, INDICATORS, report, levels=LEVELS)
    assert dict(zip(values["area_id"], values["value"])) == {"b": 5, "a": 4}
    assert "mehrdeutig: a, b" in _said(report, ERROR)


def test_an_xlsx_with_two_header_rows_and_percent_cells_gives_values(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tabelle 1"
    sheet.append(["SGB II nach Stadtteilen 2020 und 2021"])
    sheet.append(["Stadtteil", "2020", None, "2021", None])
    sheet.append([None, "Anzahl", "Anteil", "Anzahl", "Anteil"])
    sheet.append([1, 502, 0.151, 475, 0.134])
    sheet.append([2, 1063, 0.245, "*", "*"])
    sheet.append(["* Werte unter 4 werden nicht ausgewiesen."])
    sheet.merge_cells("B2:C2")
    sheet.merge_cells("D2:E2")
    for row in sheet.iter_rows(min_row=4, max_row=5, min_col=3, max_col=5):
        for cell in row:
            cell.number_format = "0.0%"
    book.save(tmp_path / "sgb2.xlsx")
    report = Report()
    section = parse_values(_section(file="sgb2.xlsx", sheet="Tabelle 1", skip_rows=1, header_rows=2,
                                    area={"column": "Stadtteil", "template": "STGT{:02d}"},
                                    columns=[{"match": "(?P<year>\\d{4}) Anzahl", "indicator": "einwohner"},
                                             {"match": "(?P<year>\\d{4}) Anteil", "indicator": "sgb2_anteil"}]),
                           report, "values Nr. 1")
    values = read_values(section, tmp_path, AREAS, INDICATORS, report, levels=LEVELS)
    assert report.ok, report.lines()
    got = values.set_index(["indicator_id", "area_id", "year"])
    assert got.loc[("sgb2_anteil", "STGT01", 2020), "value"] == 15.1
    assert got.loc[("einwohner", "STGT02", 2020), "value"] == 1063
    assert got.loc[("einwohner", "STGT02", 2021), "source_suppressed"]
    assert "Fußnoten unter der Tabelle" in _said(report, NOTE)


def test_corrections_in_the_mapping_fix_a_typo_and_say_what_the_file_said(tmp_path):
    text = "Nr;Anzahl_2021\n1;857°\n2;1.3066\n"
    corrections = [{"row": 2, "column": "Anzahl_2021", "value": "857"}, {"row": 3, "column": "Anzahl_2021",
                                                                         "value": "."},
                   {"row": 9, "column": "Anzahl_2021", "value": "1"}]
    values, report = _values(tmp_path, text, corrections=corrections)
    assert values["value"].tolist()[0] == 857 and np.isnan(values["value"].tolist()[1])
    noted = [f for f in _findings(report, NOTE) if "korrigiert" in f.message]
    assert [(f.row, f.value) for f in noted] == [(2, "857°"), (3, "1.3066")]
    [missed] = _findings(report, ERROR)
    assert (missed.row, missed.message) == (9, "Die Korrektur trifft keine Zelle der Tabelle.")


def test_a_rule_for_every_column_leaves_the_area_column_alone(tmp_path):
    values, report = _values(tmp_path, "Nr;einwohner;kinder\n1;100;20\n", year=2021,
                             columns=[{"match": "(?P<indicator>.+)"}])
    assert report.ok, report.lines()
    assert sorted(values["indicator_id"]) == ["einwohner", "kinder"]
