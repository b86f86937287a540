"""build_store: validation, a complete file, and an atomic swap that a failed build cannot damage."""

import dataclasses
import os
import re
import subprocess
import sys

import duckdb
import numpy as np
import pandas as pd
import pytest
import shapely

from sozialdash import config, geo
from sozialdash.build import DatasetError, build_store, locate_institutions, validate
from sozialdash.dataset import Dataset
from sozialdash.store import from_wkb

SCHEMA_TABLES = re.findall(r"CREATE TABLE (\w+)", (config.QUERIES_DIR / "schema.sql").read_text(encoding="utf-8"))


def read(path, sql):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).df()


def with_areas(dataset, areas):
    return dataclasses.replace(dataset, areas=areas.reset_index(drop=True))


def with_values(dataset, values):
    return dataclasses.replace(dataset, values=values.reset_index(drop=True))


def a_stadtteil(dataset):
    return dataset.areas.index[dataset.areas["level"] == 2][0]


# --- The built file -------------------------------------------------------------------------------------------


def test_schema_declares_the_expected_tables():
    assert set(SCHEMA_TABLES) >= {"dataset", "area_levels", "areas", "topics", "indicators", "indicator_values",
                                  "institutions"}


@pytest.mark.parametrize("table", SCHEMA_TABLES)
def test_every_table_has_rows(demo_db, table):
    assert read(demo_db, f"SELECT count(*) AS n FROM {table}")["n"].iloc[0] > 0


def test_store_holds_what_the_dataset_holds(demo_db, demo_dataset):
    counts = read(demo_db, "SELECT (SELECT count(*) FROM areas) AS areas, (SELECT count(*) FROM indicators) AS "
                           "indicators, (SELECT count(*) FROM institutions) AS institutions").iloc[0]
    assert counts["areas"] == len(demo_dataset.areas)
    assert counts["indicators"] == len(demo_dataset.indicators)
    assert counts["institutions"] == len(demo_dataset.institutions)


def test_dataset_row_describes_the_demo(demo_db):
    meta = read(demo_db, "SELECT * FROM dataset")
    assert len(meta) == 1
    assert bool(meta["is_demo"].iloc[0])
    assert meta["build_id"].iloc[0]
    assert meta["suppression_threshold"].iloc[0] == 2


def test_values_exist_on_every_level(demo_db):
    levels = read(demo_db, "SELECT DISTINCT a.level FROM indicator_values v JOIN areas a USING (area_id)")
    assert sorted(levels["level"]) == [0, 1, 2]


def test_city_population_is_the_sum_of_its_stadtteile(demo_db):
    sums = read(demo_db, """
        SELECT a.level, sum(v.value) AS population
        FROM indicator_values v JOIN areas a USING (area_id)
        WHERE v.indicator_id = 'einwohner' AND v.year = 2025
        GROUP BY a.level ORDER BY a.level""")
    assert sums["population"].nunique() == 1, sums


def test_area_sizes_add_up(demo_db):
    sizes = read(demo_db, "SELECT level, sum(area_km2) AS km2 FROM areas GROUP BY level ORDER BY level")
    assert sizes["km2"].to_numpy() == pytest.approx([sizes["km2"].iloc[0]] * 3, rel=1e-6)


def test_suppressed_rows_carry_no_numbers(demo_db):
    leaked = read(demo_db, """
        SELECT count(*) AS n FROM indicator_values
        WHERE suppression IS NOT NULL
          AND (value IS NOT NULL OR numerator IS NOT NULL OR denominator IS NOT NULL OR ci_low IS NOT NULL)""")
    assert leaked["n"].iloc[0] == 0
    kinds = read(demo_db, "SELECT DISTINCT suppression FROM indicator_values WHERE suppression IS NOT NULL")
    assert {"primary", "secondary"} <= set(kinds["suppression"])


@pytest.mark.parametrize("threshold", [2, 5])
def test_demo_builds_with_complement_protection(demo_dataset, tmp_path, threshold):
    """Every rule's code fits the schema; no visible share of persons leaves 1..threshold out; no visible parent
    has exactly one hidden child."""
    path = tmp_path / f"demo{threshold}.duckdb"
    build_store(demo_dataset, path, threshold=threshold)
    kinds = read(path, "SELECT suppression, count(*) AS n FROM indicator_values GROUP BY 1").set_index("suppression")
    assert {"primary", "complement", "secondary"} <= set(kinds.index.dropna())
    small_rest = read(path, f"""
        SELECT count(*) AS n FROM indicator_values v JOIN indicators i USING (indicator_id)
        WHERE i.protect_complement AND v.suppression IS NULL
          AND v.denominator - v.numerator BETWEEN 1 AND {threshold}""")
    assert small_rest["n"].iloc[0] == 0
    lone = read(path, """
        SELECT v.indicator_id, v.year, a.parent_id FROM indicator_values v JOIN areas a USING (area_id)
        JOIN indicator_values p ON p.indicator_id = v.indicator_id AND p.year = v.year AND p.area_id = a.parent_id
        WHERE p.suppression IS NULL GROUP BY ALL
        HAVING count(v.suppression) = 1 AND count(*) > 1""")
    assert lone.empty, lone


def test_institutions_are_assigned_to_a_stadtteil(demo_db):
    levels = read(demo_db, "SELECT DISTINCT a.level FROM institutions i JOIN areas a USING (area_id)")
    assert levels["level"].to_list() == [2]


@pytest.mark.parametrize("level", [0, 1, 2])
def test_display_shapes_are_a_valid_coverage_with_labels_inside(store, level):
    shapes = store.run("area_shapes", level=level)
    display = from_wkb(shapes["display_wkb"])
    assert shapely.is_valid(display).all()
    assert bool(shapely.coverage_is_valid(display))
    labels = shapely.points(shapes["label_lon"], shapes["label_lat"])
    assert shapely.contains(display, labels).all()


def test_display_outlines_nest(store):
    """Each Sozialraum's simplified outline is exactly the union of its Stadtteile's."""
    areas = store.run("areas").set_index("area_id")
    stadtteile = store.run("area_shapes", level=2).set_index("area_id")["display_wkb"]
    for sozialraum, blob in store.run("area_shapes", level=1).set_index("area_id")["display_wkb"].items():
        children = stadtteile[areas.loc[stadtteile.index, "parent_id"] == sozialraum]
        union = shapely.union_all(from_wkb(children))
        outline = from_wkb([blob])[0]
        assert union.symmetric_difference(outline).area <= 1e-6 * outline.area, sozialraum


def test_build_store_returns_the_build_id_it_writes(tmp_path, demo_dataset):
    out = tmp_path / "neu.duckdb"
    build_id = build_store(demo_dataset, out)
    assert read(out, "SELECT build_id FROM dataset")["build_id"].to_list() == [build_id]
    assert sorted(os.listdir(tmp_path)) == ["neu.duckdb"]


def test_build_reports_progress_up_to_done(tmp_path, demo_dataset):
    steps = []
    build_store(demo_dataset, tmp_path / "neu.duckdb", progress=lambda fraction, text: steps.append(fraction))
    assert steps == sorted(steps)
    assert steps[-1] == 1.0


# --- Validation -----------------------------------------------------------------------------------------------


def test_duplicated_area_id_is_rejected(demo_dataset):
    areas = demo_dataset.areas
    broken = with_areas(demo_dataset, pd.concat([areas, areas.iloc[[3, 4]]]))
    with pytest.raises(DatasetError, match=f"Gebiets-IDs doppelt: {areas.iloc[3]['area_id']}, {areas.iloc[4]['area_id']}\\."):
        validate(broken)


@pytest.mark.parametrize("parent_id", ["999", "0", None])
def test_orphan_area_is_rejected(demo_dataset, parent_id):
    """Unknown parent, a parent two levels up, or none at all."""
    areas = demo_dataset.areas.copy()
    row = a_stadtteil(demo_dataset)
    areas.loc[row, "parent_id"] = parent_id
    expected = f"ohne gültiges übergeordnetes Gebiet: {areas.loc[row, 'name']} \\({areas.loc[row, 'area_id']}\\)\\."
    with pytest.raises(DatasetError, match=expected):
        validate(with_areas(demo_dataset, areas))


def test_two_cities_are_rejected_by_name(demo_dataset):
    areas = demo_dataset.areas.copy()
    sozialraeume = areas["level"] == 1
    areas.loc[sozialraeume, ["level", "parent_id"]] = [0, None]
    names = list(areas.loc[areas["level"] == 0, "name"])
    expected = f"genau ein Gebiet auf der obersten Ebene \\(Gesamtstadt\\) geben; gefunden: {', '.join(names[:5])} " \
               f"\\(und {len(names) - 5} weitere\\)"
    with pytest.raises(DatasetError, match=expected):
        validate(with_areas(demo_dataset, areas))


def test_numerator_above_denominator_is_rejected(demo_dataset):
    values = demo_dataset.values.copy()
    row = values.index[(values["indicator_id"] == "sgb2_quote") & (values["area_id"] == "101")][0]
    values.loc[row, "numerator"] = values.loc[row, "denominator"] + 1
    with pytest.raises(DatasetError, match=f"Zähler größer als Nenner: sgb2_quote, Gebiet 101, {values.loc[row, 'year']}\\."):
        validate(with_values(demo_dataset, values))


def rows_of(values, indicator, n):
    return values.index[values["indicator_id"] == indicator][:n]


@pytest.mark.parametrize(("indicator", "column", "bad", "message"), [
    pytest.param("sgb2_quote", "value", -9999, "Negative Werte", id="missing-marker-in-a-share"),
    pytest.param("sgb2_quote", "value", 140, "Anteile größer als das Ganze \\(100\\)", id="share-above-100"),
    pytest.param("geburten", "value", -1, "Negative Werte", id="negative-rate"),
    pytest.param("jugendquotient", "value", -0.5, "Negative Werte", id="negative-ratio"),
    pytest.param("einkommen", "value", -9999, "Negative Werte", id="negative-mean"),
    pytest.param("einwohner", "value", 100.5, "Anzahlen müssen ganze Zahlen sein", id="half-a-person"),
    pytest.param("sgb2_quote", "numerator", -5, "Negative Zähler", id="negative-numerator"),
    pytest.param("kinderarmut", "denominator", -5, "Negative Nenner", id="negative-denominator"),
    pytest.param("geburten", "numerator", 2.5, "Zähler müssen ganze Zahlen sein", id="fractional-cases"),
    pytest.param("sgb2_quote", "denominator", 20000.5, "Nenner müssen ganze Zahlen sein", id="fractional-population"),
])
def test_impossible_numbers_are_named_with_their_rows_and_count(demo_dataset, indicator, column, bad, message):
    """42 rows broken: the first five are named with indicator, area, year and the number, the rest counted."""
    values = demo_dataset.values.copy()
    rows = rows_of(values, indicator, 42)
    values.loc[rows, column] = bad
    first = values.loc[rows[0]]
    shown = f"{bad:g}".replace(".", ",")
    expected = (f"{message}.*: {indicator}, Gebiet {first['area_id']}, {first['year']}: {shown}; "
                f".* \\(und 37 weitere\\)\\.$")
    with pytest.raises(DatasetError, match=expected):
        validate(with_values(demo_dataset, values))


@pytest.mark.parametrize(("indicator", "column", "value"), [
    ("einkommen", "numerator", 1234567.5),      # a mean's numerator is a sum of euros
    ("jugendquotient", "value", 0.0),
    ("sgb2_quote", "value", 100.0),
])
def test_possible_numbers_pass(demo_dataset, indicator, column, value):
    values = demo_dataset.values.copy()
    values.loc[rows_of(values, indicator, 3), column] = value
    validate(with_values(demo_dataset, values))


@pytest.mark.parametrize(("column", "unknown", "message"), [
    ("indicator_id", "gibt_es_nicht", "Werte für unbekannte Indikatoren: gibt_es_nicht_0, gibt_es_nicht_1"),
    ("area_id", "999", "Werte für unbekannte Gebiete: 999_0, 999_1"),
])
def test_values_for_unknown_keys_are_named(demo_dataset, column, unknown, message):
    values = demo_dataset.values.copy()
    values.loc[values.index[:8], column] = [f"{unknown}_{i}" for i in range(8)]
    with pytest.raises(DatasetError, match=f"{message}, .* \\(und 3 weitere\\)\\."):
        validate(with_values(demo_dataset, values))


def test_duplicate_values_are_named(demo_dataset):
    values = demo_dataset.values
    first = values.iloc[10]
    with pytest.raises(DatasetError, match=f"Mehrere Werte .*: {first['indicator_id']}, Gebiet {first['area_id']}, "
                                           f"{first['year']}\\.$"):
        validate(with_values(demo_dataset, pd.concat([values, values.iloc[[10]]])))


def test_aggregating_values_above_the_finest_level_are_rejected(demo_dataset):
    """Dataset contract: indicators that aggregate come on the finest level only; the build derives the rest.
    A Sozialraum row given as well would collide with the derived one, so validate() must say so in German
    instead of the build failing later with an English ValueError from the suppression step."""
    values = demo_dataset.values
    sozialraum_rows = values[(values["indicator_id"] == "sgb2_quote") & (values["area_id"] == "101")].assign(
        area_id="1")
    broken = with_values(demo_dataset, pd.concat([values, sozialraum_rows]))
    first = sozialraum_rows.iloc[0]
    with pytest.raises(DatasetError, match=f"feinsten Ebene berechnet.*: sgb2_quote, Gebiet 1, {first['year']}; .*"
                                           f"\\(und {len(sozialraum_rows) - 5} weitere\\)"):
        validate(broken)


def test_areas_on_an_undefined_level_are_named(demo_dataset):
    levels = demo_dataset.levels[demo_dataset.levels["level"] < 2]
    stadtteile = demo_dataset.areas.loc[demo_dataset.areas["level"] == 2, "area_id"]
    with pytest.raises(DatasetError, match=f"Ebene, die nicht definiert ist \\(2\\): {', '.join(stadtteile[:5])} "
                                           f"\\(und {len(stadtteile) - 5} weitere\\)"):
        validate(dataclasses.replace(demo_dataset, levels=levels))


def test_indicator_without_complement_flag_is_named(demo_dataset):
    indicators = demo_dataset.indicators.copy()
    indicators["protect_complement"] = indicators["protect_complement"].astype(object)
    indicators.loc[[2, 5], "protect_complement"] = None
    named = ", ".join(indicators.loc[[2, 5], "indicator_id"])
    with pytest.raises(DatasetError, match=f"Indikatoren ohne Angabe protect_complement .*: {named}\\."):
        validate(dataclasses.replace(demo_dataset, indicators=indicators))


def test_missing_population_indicator_is_named(demo_dataset):
    meta = dataclasses.replace(demo_dataset.meta, population_indicator="bevoelkerung_gesamt")
    with pytest.raises(DatasetError, match="Bevölkerungsindikator bevoelkerung_gesamt fehlt"):
        validate(dataclasses.replace(demo_dataset, meta=meta))


def test_store_holds_the_supply_targets(demo_db, demo_dataset):
    stored = read(demo_db, "SELECT category, population_indicator, label FROM supply_targets ORDER BY category")
    expected = demo_dataset.supply_targets.sort_values("category").reset_index(drop=True)
    pd.testing.assert_frame_equal(stored, expected, check_dtype=False)


def with_targets(dataset, rows):
    return dataclasses.replace(dataset, supply_targets=pd.concat(
        [dataset.supply_targets, pd.DataFrame(rows, columns=dataset.supply_targets.columns)], ignore_index=True))


def test_supply_targets_with_unknown_indicators_are_named(demo_dataset):
    broken = with_targets(demo_dataset, [("Quartiersbüro", "anteil_u99", "Alle"),
                                         ("Sportverein", "anteil_u7", "Kinder")])
    with pytest.raises(DatasetError, match="Versorgungsziele nennen unbekannte Indikatoren: anteil_u7, anteil_u99\\."):
        validate(broken)


def test_supply_targets_for_categories_no_institution_has_are_named(demo_dataset):
    broken = with_targets(demo_dataset, [("Hebammenpraxis", "einwohner", "Schwangere")])
    with pytest.raises(DatasetError, match="keine Einrichtung als Hauptkategorie hat: Hebammenpraxis\\."):
        validate(broken)


def test_supply_targets_naming_a_category_twice_are_refused(demo_dataset):
    broken = with_targets(demo_dataset, [("Kita", "anteil_u18", "Kinder unter 18 Jahren")])
    with pytest.raises(DatasetError, match="Versorgungsziele: Kategorien mehrfach genannt: Kita\\."):
        validate(broken)


def test_supply_targets_without_a_label_are_named(demo_dataset):
    broken = with_targets(demo_dataset, [("Sportverein", "anteil_u18", " ")])
    with pytest.raises(DatasetError, match="ohne Bezeichnung der Zielgruppe: Sportverein\\."):
        validate(broken)


def test_a_dataset_without_supply_targets_builds(tmp_path, demo_dataset):
    plain = Dataset(**{f.name: getattr(demo_dataset, f.name) for f in dataclasses.fields(Dataset)
                       if f.name != "supply_targets"})
    assert plain.supply_targets.empty
    build_store(plain, out=tmp_path / "plain.duckdb")
    assert read(tmp_path / "plain.duckdb", "SELECT count(*) AS n FROM supply_targets")["n"].iloc[0] == 0


def test_missing_polygon_is_named(demo_dataset):
    broken = dataclasses.replace(demo_dataset, polygons=demo_dataset.polygons.iloc[1:])
    with pytest.raises(DatasetError, match=f"feinsten Ebene .*; ohne Fläche: {demo_dataset.polygons.index[0]}\\.$"):
        validate(broken)


# --- Institutions ---------------------------------------------------------------------------------------------


def finest_wgs84(dataset):
    return dataset.polygons.to_crs(geo.WGS84)


def test_institution_outside_the_city_is_rejected(demo_dataset):
    institutions = demo_dataset.institutions.copy()
    institutions.loc[institutions.index[4], ["lon", "lat"]] = [13.4, 52.5]  # Berlin
    name = institutions.loc[institutions.index[4], "name"]
    with pytest.raises(DatasetError, match=f"1 Einrichtungen liegen außerhalb der Stadt, z. B. {name}"):
        locate_institutions(institutions, finest_wgs84(demo_dataset))


@pytest.mark.parametrize("index", [
    pytest.param(lambda n: np.arange(n)[::-1], id="reversed"),
    pytest.param(lambda n: np.arange(n) * 10 + 7, id="gaps"),
    pytest.param(lambda n: np.arange(n) // 2, id="duplicated"),  # e.g. pd.concat of two sources
])
def test_locating_institutions_does_not_depend_on_the_index(demo_dataset, index):
    institutions = demo_dataset.institutions
    expected = locate_institutions(institutions, finest_wgs84(demo_dataset))["area_id"].to_list()
    relabelled = institutions.set_axis(index(len(institutions)))
    try:
        located = locate_institutions(relabelled, finest_wgs84(demo_dataset))
    except ValueError as error:
        pytest.fail(f"locate_institutions crashed on this index (unique: {relabelled.index.is_unique}): {error}")
    assert located["area_id"].to_list() == expected


# --- A failed build changes nothing ---------------------------------------------------------------------------


def invalid_for_validate(dataset):
    areas = dataset.areas
    return with_areas(dataset, pd.concat([areas, areas.iloc[[3]]]))


def invalid_for_the_database(dataset):
    """Passes validate() and the statistics, then breaks a CHECK constraint while the file is being written."""
    indicators = dataset.indicators.copy()
    indicators.loc[indicators.index[-1], "decimals"] = 7
    return dataclasses.replace(dataset, indicators=indicators)


@pytest.mark.parametrize(("breaker", "error"), [
    (invalid_for_validate, DatasetError),
    (invalid_for_the_database, duckdb.Error),
])
def test_failed_build_leaves_the_old_file_untouched(tmp_path, demo_dataset, demo_db, breaker, error):
    target = tmp_path / "sozialdash.duckdb"
    target.write_bytes(demo_db.read_bytes())
    before = target.read_bytes()
    with pytest.raises(error):
        build_store(breaker(demo_dataset), target)
    assert target.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["sozialdash.duckdb"]


def test_failed_first_build_leaves_nothing(tmp_path, demo_dataset):
    with pytest.raises(duckdb.Error):
        build_store(invalid_for_the_database(demo_dataset), tmp_path / "sozialdash.duckdb")
    assert os.listdir(tmp_path) == []


# --- Command line ---------------------------------------------------------------------------------------------


def test_cli_builds_the_demo(tmp_path):
    out = tmp_path / "cli" / "demo.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "sozialdash", "build-demo", "--out", str(out)],
        cwd=config.PROJECT_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert out.is_file()
    build_id = read(out, "SELECT build_id FROM dataset")["build_id"].iloc[0]
    assert build_id in result.stdout


def test_cli_without_a_command_fails(tmp_path):
    result = subprocess.run([sys.executable, "-m", "sozialdash"], cwd=config.PROJECT_ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0


def test_missing_columns_are_named_in_the_error(demo_dataset):
    broken = dataclasses.replace(demo_dataset, values=demo_dataset.values.drop(columns=["numerator"]))
    with pytest.raises(DatasetError, match="Werte: Spalten fehlen: numerator"):
        validate(broken)


def test_cli_threshold_hides_more_small_counts(tmp_path, demo_db):
    out = tmp_path / "strict.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "sozialdash", "build-demo", "--out", str(out), "--threshold", "4"],
        cwd=config.PROJECT_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert read(out, "SELECT suppression_threshold FROM dataset").iloc[0, 0] == 4
    hidden = "SELECT count(*) FROM indicator_values WHERE suppression IS NOT NULL"
    assert read(out, hidden).iloc[0, 0] > read(demo_db, hidden).iloc[0, 0]


def test_cli_rejects_a_threshold_below_one(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sozialdash", "build-demo", "--out", str(tmp_path / "x.duckdb"), "--threshold", "0"],
        cwd=config.PROJECT_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 1
    assert "Geheimhaltungsschwelle" in result.stderr
    assert not (tmp_path / "x.duckdb").exists()
