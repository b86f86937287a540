"""The indicator catalogue import: German words and fields, defaults with warnings, errors that name the culprit."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from sozialdash.dataset import INDICATOR_COLUMNS, RELATION_COLUMNS, SUPPLY_TARGET_COLUMNS, TOPIC_COLUMNS
from sozialdash.demo import indicator_table, relation_table, supply_target_table, topic_table
from sozialdash.ingest.catalogue import parse_catalogue
from sozialdash.ingest.report import ERROR, NOTE, WARNING, Report

COMPLETE = {"Name": "SGB-II-Quote", "Kurzname": "SGB II", "Thema": "Existenzsicherung", "Einheit": "%",
            "Polarität": "höher ist schlechter", "Werttyp": "Anteil", "Definition": "Anteil ...", "Quelle": "BA",
            "Stichtag": "31.12.", "Nachkommastellen": 1, "Zählgröße": "sgb2", "Nennergröße": "unter_65"}


def parsed(section, tmp_path=None):
    report = Report()
    frames = parse_catalogue(section, tmp_path or ".", report)
    return (*frames, report)


def texts(report: Report, level: str) -> list[str]:
    return [f.text() for f in report if f.level == level]


def test_demo_catalogue_comes_back_unchanged_from_a_yaml_file(tmp_path):
    """A catalogue written with our own field names reads back as the demo builds it: nothing lost, no defaults."""
    indicators = indicator_table()
    entries = [{("id" if k == "indicator_id" else "topic" if k == "topic_id" else k): v
                for k, v in row.items() if v is not None} for row in indicators.to_dict("records")]
    relations = relation_table()
    document = {
        "topics": [{"id": t.topic_id, "label": t.label} for t in topic_table().itertuples()],
        "indicators": entries,
        "relations": [{"id": rid, "total": rows["total"].iloc[0], "parts": list(rows["part"]),
                       "kind": rows["kind"].iloc[0]} for rid, rows in relations.groupby("relation_id", sort=False)],
        "supply_targets": supply_target_table().to_dict("records"),
    }
    (tmp_path / "katalog.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    topics, got, got_relations, targets, report = parsed({"file": "katalog.yaml"}, tmp_path)
    assert texts(report, ERROR) == [] and texts(report, WARNING) == []
    pd.testing.assert_frame_equal(topics, topic_table()[TOPIC_COLUMNS], check_dtype=False)
    pd.testing.assert_frame_equal(got.fillna("∅"), indicators[INDICATOR_COLUMNS].fillna("∅"), check_dtype=False)
    pd.testing.assert_frame_equal(got_relations, relations[RELATION_COLUMNS])
    pd.testing.assert_frame_equal(targets, supply_target_table()[SUPPLY_TARGET_COLUMNS])


@pytest.mark.parametrize("word, code", [("höher ist schlechter", "higher_is_worse"), ("Höher ist besser", "higher_is_better"),
                                        ("neutral", "neutral"), ("keine Wertung", "neutral"),
                                        ("higher_is_worse", "higher_is_worse")])
def test_polarity_in_german_words(word, code):
    _, indicators, _, _, report = parsed({"indicators": [{"id": "a", **COMPLETE, "Polarität": word}]})
    assert report.ok and indicators["polarity"].tolist() == [code]


@pytest.mark.parametrize("word, code, multiplier", [("Anteil", "proportion", 100), ("Quote", "proportion", 100),
                                                    ("Rate", "rate", 1000), ("Anzahl", "count", 1),
                                                    ("Verhältnis", "ratio", 100), ("Mittelwert", "mean", 1),
                                                    ("Durchschnitt", "mean", 1)])
def test_value_type_in_german_words(word, code, multiplier):
    entry = {"id": "a", **COMPLETE, "Werttyp": word, "Einheit": ""}
    _, indicators, _, _, report = parsed({"indicators": [entry]})
    assert report.ok and indicators["value_type"].tolist() == [code]
    assert indicators["multiplier"].tolist() == [multiplier]


def test_unit_names_the_multiplier():
    entry = {"id": "a", **COMPLETE, "Werttyp": "Rate", "Einheit": "je 100.000 Einwohner*innen"}
    _, indicators, _, _, _ = parsed({"indicators": [entry]})
    assert indicators["multiplier"].tolist() == [100_000]


def test_csv_catalogue_with_german_headers_and_row_numbers(tmp_path):
    (tmp_path / "katalog.csv").write_text(
        "Kennung;Bezeichnung;Thema;Werttyp;Polarität;Einheit;Nachkommastellen;Quelle;Stichtag;Definition;Kurzname\n"
        "einwohner;Einwohner*innen;Bevölkerung;Anzahl;neutral;;0;Melderegister;31.12.;Hauptwohnsitz;EW\n"
        "quote;SGB-II-Quote;Existenzsicherung;Prozentsatz;höher ist schlechter;%;1;BA;31.12.;x;SGB II\n"
        "alte;Altersarmut;Existenzsicherung;Anteil;schlimm;%;1;BA;31.12.;x;Alt\n",
        encoding="utf-8")
    topics, indicators, _, _, report = parsed({"file": "katalog.csv"}, tmp_path)
    assert indicators[["indicator_id", "topic_id"]].values.tolist() == [["einwohner", "bevoelkerung"]]
    assert topics.values.tolist() == [["bevoelkerung", "Bevölkerung", 0]]
    errors = report.errors
    assert [(e.file, e.row, e.column) for e in errors] == [("katalog.csv", 3, "Werttyp"), ("katalog.csv", 4, "Polarität")]
    assert "Prozentsatz" in errors[0].text() and "„Anteil“/„Quote“" in errors[0].text() and "„Mittelwert“" in errors[0].text()
    assert "schlimm" in errors[1].text() and "„höher ist schlechter“" in errors[1].text()


def test_missing_fields_get_defaults_and_one_warning_per_field():
    entries = [{"id": "quote", "Name": "Anteil der Leistungsberechtigten nach SGB II an allen", "Werttyp": "Anteil",
                "Zähler": "Leistungsberechtigte"},
               {"id": "zahl", "Name": "Einwohner*innen", "Werttyp": "Anzahl"}]
    topics, indicators, _, _, report = parsed({"indicators": entries})
    assert report.ok
    row = indicators.set_index("indicator_id")
    assert row.loc["quote", "decimals"] == 1 and row.loc["zahl", "decimals"] == 0
    assert row.loc["quote", "unit"] == "%" and row.loc["quote", "multiplier"] == 100
    assert row.loc["quote", "short_name"] == "Anteil der Leistungsberechtig…" and row.loc["zahl", "short_name"] == "Einwohner*innen"
    assert set(row["topic_id"]) == {"sonstiges"} and topics["label"].tolist() == ["Sonstiges"]
    assert row.loc["quote", "polarity"] == "neutral" and row.loc["quote", "protect_complement"]
    assert row.loc["quote", "aggregation"] == "ratio_of_sums" and row.loc["zahl", "aggregation"] == "sum"
    warnings = texts(report, WARNING)
    decimals = [w for w in warnings if "Nachkommastellen" in w]
    assert len(decimals) == 1 and "2 Indikator(en): quote, zahl" in decimals[0]
    assert any("„Thema“" in w for w in warnings) and any("„Polarität“" in w for w in warnings)


def test_defaults_in_the_mapping_fill_every_indicator():
    section = {"defaults": {"Quelle": "Statistikstelle", "Stichtag": "31.12."},
               "indicators": [{"id": "a", **{k: v for k, v in COMPLETE.items() if k not in ("Quelle", "Stichtag")}}]}
    _, indicators, _, _, report = parsed(section)
    assert indicators[["source", "reference_date"]].values.tolist() == [["Statistikstelle", "31.12."]]
    assert texts(report, WARNING) == []


def test_published_share_without_numerator_is_not_aggregated():
    entry = {"id": "a", **{k: v for k, v in COMPLETE.items() if k not in ("Zählgröße", "Nennergröße")}}
    _, indicators, _, _, report = parsed({"indicators": [entry]})
    assert indicators["aggregation"].tolist() == ["none"]
    assert any("veröffentlicht" in n and ": a" in n for n in texts(report, NOTE))


def test_a_share_cannot_be_summed():
    _, indicators, _, _, report = parsed({"indicators": [{"id": "a", **COMPLETE, "Aggregation": "Summe"}]})
    assert indicators.empty and "nur Anzahlen lassen sich summieren" in report.errors[0].text()


def test_doubled_ids_are_an_error_naming_both():
    _, indicators, _, _, report = parsed({"indicators": [{"id": "a", **COMPLETE}, {"id": "b", **COMPLETE},
                                                         {"id": "a", **COMPLETE, "Name": "noch einmal"}]})
    assert indicators["indicator_id"].tolist() == ["a", "b"]
    assert [e.text() for e in report.errors] == [
        "Fehler: Zuordnung: Indikator-ID doppelt: a (schon in Eintrag Nr. 1) – Jedem Indikator eine eigene ID geben."]


def test_declared_topics_are_the_only_ones():
    section = {"topics": {"existenz": "Existenzsicherung", "wohnen": "Wohnen"},
               "indicators": [{"id": "a", **COMPLETE}, {"id": "b", **COMPLETE, "Thema": "wohnen"},
                              {"id": "c", **COMPLETE, "Thema": "Bildung"}]}
    topics, indicators, _, _, report = parsed(section)
    assert indicators["topic_id"].tolist() == ["existenz", "wohnen"]
    assert topics["topic_id"].tolist() == ["existenz", "wohnen"]
    error = report.errors[0].text()
    assert "Indikator „c“: unbekanntes Thema ('Bildung')" in error and "Existenzsicherung, Wohnen" in error


def test_doubled_topic_ids_are_an_error():
    section = {"topics": [{"id": "t", "label": "Eins"}, {"id": "t", "label": "Zwei"}],
               "indicators": [{"id": "a", **COMPLETE, "Thema": "t"}]}
    *_, report = parsed(section)
    assert "Themen-ID doppelt: t" in report.errors[0].text()


def test_relations_as_written_and_as_fields():
    section = {"indicators": [
        {"id": "u18", **COMPLETE, "Zählgröße": "p0_17", "Nennergröße": "pop"},
        {"id": "ue65", **COMPLETE, "Zählgröße": "p65plus", "Nennergröße": "pop"},
        {"id": "mitte", **COMPLETE, "Zählgröße": "p18_64", "Nennergröße": "pop"},
        {"id": "u6", **COMPLETE, "Zählgröße": "p0_5", "Nennergröße": "pop"}],
        "relations": {"alter": "pop = p0_17 + p18_64 + p65plus",
                      "klein": {"Summe": "p0_17", "Teile": ["p0_5"], "Art": "höchstens"}}}
    _, _, relations, _, report = parsed(section)
    assert report.ok
    assert relations.values.tolist() == [["alter", "pop", "p0_17", "equal"], ["alter", "pop", "p18_64", "equal"],
                                         ["alter", "pop", "p65plus", "equal"], ["klein", "p0_17", "p0_5", "at_most"]]


def test_relations_naming_unknown_quantities_are_an_error():
    section = {"indicators": [{"id": "a", **COMPLETE}], "relations": ["unter_65 = sgb2 + rest"]}
    *_, report = parsed(section)
    assert "Zählgrößen, die kein Indikator als Zähler oder Nenner hat: rest" in report.errors[0].text()


def test_unreadable_relation_is_named():
    *_, report = parsed({"indicators": [{"id": "a", **COMPLETE}], "relations": ["sgb2 plus unter_65"]})
    assert "Beziehung Nr. 1" in report.errors[0].text() and "sgb2 plus unter_65" in report.errors[0].text()


def test_supply_targets_read_and_checked():
    section = {"indicators": [{"id": "u6", **COMPLETE}],
               "supply_targets": {"Kita": {"indicator": "u6", "label": "Kinder unter 6 Jahren"},
                                  "Jugendzentrum": {"indicator": "u21", "label": "Junge Menschen"},
                                  "Seniorentreff": {"indicator": "u6"}}}
    _, _, _, targets, report = parsed(section)
    assert targets.values.tolist()[0] == ["Kita", "u6", "Kinder unter 6 Jahren"]
    errors = [e.text() for e in report.errors]
    assert any("Versorgungsziel Nr. 3" in e for e in errors)
    assert any("Indikatoren, die der Katalog nicht hat: u21" in e for e in errors)


def test_unknown_fields_are_warned_about_with_the_known_ones():
    *_, report = parsed({"indicators": [{"id": "a", **COMPLETE, "Farbe": "rot"}]})
    warning = texts(report, WARNING)[0]
    assert "Unbekannte Felder im Katalog, nicht gelesen: Farbe" in warning and "Kurzname" in warning


def test_missing_file_and_empty_catalogue(tmp_path):
    *_, report = parsed({"file": "fehlt.yaml"}, tmp_path)
    assert report.errors[0].text() == "Fehler: fehlt.yaml: Datei nicht gefunden – Pfad in der Zuordnungsdatei prüfen."
    *_, report = parsed({"indicators": []})
    assert "keine Indikatoren" in report.errors[0].text()


def test_a_catalogue_outside_the_mappings_folder_is_not_read(tmp_path):
    (tmp_path / "katalog.yaml").write_text(yaml.safe_dump({"indicators": [{"id": "a", **COMPLETE}]}), encoding="utf-8")
    (tmp_path / "zuordnung").mkdir()
    _, indicators, *_, report = parsed({"file": "../katalog.yaml"}, tmp_path / "zuordnung")
    assert indicators.empty
    assert report.errors[0].text().startswith("Fehler: ../katalog.yaml: Die Datei liegt außerhalb des Ordners der "
                                              "Zuordnung")


def test_an_unknown_key_in_the_section_is_an_error_with_the_key_meant(tmp_path):
    report = Report()
    parse_catalogue({"indicator": [{"id": "a", "Name": "A", "Werttyp": "Anzahl"}]}, tmp_path, report)
    assert any("Unbekannter Schlüssel „indicator“ im Abschnitt catalogue" in f.text()
               and "Gemeint ist wohl „indicators“" in f.text() for f in report.errors)
