"""The institution import: Flensburg's real Kita list from CSV and GeoJSON, and broken lists with German messages.

Synthetic lists put their points at known places inside Flensburg's Stadtteile (the polygons in tests/data), so
each test knows which area every institution must land in.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from sozialdash.build import locate_institutions
from sozialdash.dataset import INSTITUTION_COLUMNS
from sozialdash.ingest.institutions import NotAnAge, age_range, read_institutions
from sozialdash.ingest.report import WARNING, Report
from sozialdash.ingest.words import NotABoolean, boolean, name_key, normalised
from tests.shaped import FLENSBURG_DIR

KITAS = Path("/work/shared/data/flensburg/kitas")  # see its SOURCE.md
STADTTEILE = Path("/work/shared/data/flensburg/sozialatlas/flensburg_stadtteile.geojson")
KITA_COLUMNS = {"name": "facility", "organisation": "institution", "street": "address", "postal_code": "postal_code",
                "phone": "phone_number", "opening_hours": "opening_hours", "capacity": "childcare_places",
                "description": "comments"}
KITA_MAPPING = {"columns": KITA_COLUMNS, "fixed": {"city": "Flensburg"}, "category": "Kita", "area": "district",
                "age_groups": {"group_0_3": "0-3", "group_1_6": "1-6", "group_3_6": "3-6", "group_6_14": "6-14"}}


def city(path: Path) -> tuple[gpd.GeoSeries, pd.DataFrame]:
    """Stadtteile (finest) in EPSG:4326 by AREA_ID, as the areas reader returns them, and their tree."""
    parts = gpd.read_file(path).to_crs("EPSG:4326")
    polygons = gpd.GeoSeries(parts.geometry.values, index=parts["AREA_ID"].values, crs="EPSG:4326")
    areas = pd.DataFrame([("FL", "Flensburg", 0, None)]
                         + [(r.AREA_ID, r.AREA_NAME, 1, "FL") for r in parts.itertuples()],
                         columns=["area_id", "name", "level", "parent_id"])
    return polygons, areas


@pytest.fixture(scope="module")
def flensburg():
    return city(FLENSBURG_DIR / "flensburg_stadtteile.geojson")


@pytest.fixture(scope="module")
def spots(flensburg):
    """One point well inside each of the first four Stadtteile: (area_id, name, lon, lat)."""
    polygons, areas = flensburg
    names = areas.set_index("area_id")["name"]
    inner = polygons.to_crs("EPSG:25832").buffer(-150).representative_point().to_crs("EPSG:4326")
    return [(area_id, names[area_id], point.x, point.y) for area_id, point in inner.head(4).items()]


def read(section, base, flensburg):
    report = Report()
    polygons, areas = flensburg
    return read_institutions(section, base, polygons, areas, report), report


def write_csv(path: Path, header: list[str], rows: list[list[object]], separator: str = ";") -> str:
    path.write_text("\n".join(separator.join(map(str, r)) for r in [header, *rows]), encoding="utf-8")
    return path.name


def listing(spots, **extra) -> tuple[list[str], list[list[object]]]:
    """A Jugendamt list: name, street, Art, Stadtteil, lon, lat and the extra columns given (one value per row)."""
    header = ["Einrichtung", "Strasse", "Art", "Stadtteil", "Laenge", "Breite", *extra]
    rows = [[f"Haus {i}", f"Weg {i}", "Kita", name, f"{lon:.6f}".replace(".", ","), f"{lat:.6f}".replace(".", ","),
             *[values[i] for values in extra.values()]] for i, (_, name, lon, lat) in enumerate(spots)]
    return header, rows


UNPLACED = {"columns": {"name": "Einrichtung", "street": "Strasse"}, "category": {"column": "Art", "map": {"Kita": "Kita"}}}
BASIC = {**UNPLACED, "lon": "Laenge", "lat": "Breite"}


def errors(report: Report) -> list[str]:
    return [f.text() for f in report.errors]


def warnings(report: Report) -> list[str]:
    return [f.text() for f in report if f.level == WARNING]


# --- Flensburg's real Kitas -----------------------------------------------------------------------------------

needs_kitas = pytest.mark.skipif(not (KITAS / "kitas_in_flensburg.csv").exists() or not STADTTEILE.exists(),
                                 reason=f"Flensburg's Kita list is not here ({KITAS}); the real-data import is "
                                        "not tested on this machine")


@pytest.fixture(scope="module")
def real_city():
    return city(STADTTEILE)


@needs_kitas
@pytest.mark.parametrize("source", ["geojson", "csv"])
def test_flensburg_kitas_all_land_inside_the_city(source, real_city):
    """70 Kitas from either file, all inside a Stadtteil, and the one the file places wrongly is named."""
    if source == "geojson":
        section = {"file": "kitas_in_flensburg.geojson", "id": "slug", **KITA_MAPPING}
    else:  # the CSV has no coordinates: they come from the GeoJSON, joined by name and address
        section = {"file": "kitas_in_flensburg.csv", **KITA_MAPPING,
                   "coordinates_from": {"file": "kitas_in_flensburg.geojson", "on": ["facility", "address"]}}
    frame, report = read(section, KITAS, real_city)
    assert report.ok, errors(report)
    assert len(frame) == 70 and frame["institution_id"].is_unique
    assert list(frame.columns) == INSTITUTION_COLUMNS
    placed = locate_institutions(frame, real_city[0])  # the build's own placement accepts every one
    assert placed["area_id"].notna().all() and placed["area_id"].nunique() == 13
    mismatches = [f.text() for f in report if "anderes Gebiet" in f.message]
    assert len(mismatches) == 1 and "Waldkiga: laut Datei Westliche Höhe, liegt in 01 Altstadt" in mismatches[0]
    kinderhaus = frame.set_index("name").loc["Kinderhaus"]
    assert (kinderhaus["categories"], kinderhaus["capacity"], kinderhaus["age_min"], kinderhaus["age_max"]) == (
        ["Kita"], 60, 0, 14)
    assert kinderhaus["city"] == "Flensburg" and kinderhaus["street"] == "Marientreppe 10"


@needs_kitas
def test_flensburg_csv_and_geojson_give_the_same_places(real_city):
    geojson, _ = read({"file": "kitas_in_flensburg.geojson", **KITA_MAPPING}, KITAS, real_city)
    csv, _ = read({"file": "kitas_in_flensburg.csv", **KITA_MAPPING,
                   "coordinates_from": {"file": "kitas_in_flensburg.geojson", "on": ["facility", "address"]}},
                  KITAS, real_city)
    key = ["name", "street", "lon", "lat", "capacity"]
    assert sorted(map(tuple, geojson[key].values.tolist())) == sorted(map(tuple, csv[key].values.tolist()))
    assert geojson["institution_id"].tolist() == csv["institution_id"].tolist()  # made from name and street


# --- coordinates ------------------------------------------------------------------------------------------------

def test_lon_lat_with_decimal_commas_land_in_their_stadtteil(tmp_path, flensburg, spots):
    header, rows = listing(spots)
    frame, report = read({"file": write_csv(tmp_path / "liste.csv", header, rows), **BASIC, "area": "Stadtteil"},
                         tmp_path, flensburg)
    assert report.ok and warnings(report) == []
    located = locate_institutions(frame, flensburg[0])
    assert located["area_id"].tolist() == [area_id for area_id, *_ in spots]


def test_projected_x_y_in_the_named_crs(tmp_path, flensburg, spots):
    points = gpd.GeoSeries(gpd.points_from_xy([s[2] for s in spots], [s[3] for s in spots]), crs="EPSG:4326")
    utm = points.to_crs("EPSG:25832")
    header = ["Einrichtung", "Strasse", "Art", "RW", "HW"]
    rows = [[f"Haus {i}", f"Weg {i}", "Kita", f"{p.x:.2f}".replace(".", ","), f"{p.y:.2f}"] for i, p in enumerate(utm)]
    section = {**UNPLACED, "file": write_csv(tmp_path / "utm.csv", header, rows), "x": "RW", "y": "HW",
               "crs": "EPSG:25832"}
    frame, report = read(section, tmp_path, flensburg)
    assert report.ok
    assert np.allclose(frame["lon"], points.x, atol=1e-6) and np.allclose(frame["lat"], points.y, atol=1e-6)


def test_a_crs_that_puts_everything_in_the_sea_is_an_error(tmp_path, flensburg, spots):
    """UTM metres read as if they were in Web Mercator land off West Africa: the CRS is wrong, not the list."""
    utm = gpd.GeoSeries(gpd.points_from_xy([s[2] for s in spots], [s[3] for s in spots]), crs="EPSG:4326"
                        ).to_crs("EPSG:25832")
    rows = [[f"Haus {i}", "Weg", "Kita", round(p.x), round(p.y)] for i, p in enumerate(utm)]
    section = {**UNPLACED, "file": write_csv(tmp_path / "utm.csv", ["Einrichtung", "Strasse", "Art", "RW", "HW"], rows),
               "x": "RW", "y": "HW", "crs": "EPSG:3857"}
    frame, report = read(section, tmp_path, flensburg)
    assert frame.empty
    assert errors(report) == ["Fehler: utm.csv: Keine der 4 Einrichtungen liegt in der Stadt: das Koordinatensystem "
                              "(EPSG:3857) ist vermutlich falsch – crs: in der Zuordnung prüfen (z. B. EPSG:25832 "
                              "für UTM-Meter, EPSG:4326 für Grad)."]


def test_swapped_lon_and_lat_are_suspected(tmp_path, flensburg, spots):
    header, rows = listing(spots)
    section = {**BASIC, "file": write_csv(tmp_path / "liste.csv", header, rows), "lon": "Breite", "lat": "Laenge"}
    _, report = read(section, tmp_path, flensburg)
    assert "lon und lat vertauscht?" in errors(report)[0]


def test_points_outside_the_city_are_left_out_with_a_warning(tmp_path, flensburg, spots):
    header, rows = listing(spots)
    rows[2][4:6] = ["10,1", "53,55"]  # Hamburg
    frame, report = read({"file": write_csv(tmp_path / "liste.csv", header, rows), **BASIC}, tmp_path, flensburg)
    assert report.ok and frame["name"].tolist() == ["Haus 0", "Haus 1", "Haus 3"]
    assert warnings(report) == ["Warnung: liste.csv: Außerhalb der Stadt, nicht aufgenommen: Zeile 4 ('Haus 2') – "
                                "Koordinaten in der Quelle prüfen."]


def test_unreadable_coordinates_name_row_and_value(tmp_path, flensburg, spots):
    header, rows = listing(spots)
    rows[1][5] = "54°47'N"
    frame, report = read({"file": write_csv(tmp_path / "liste.csv", header, rows), **BASIC}, tmp_path, flensburg)
    assert frame.empty
    assert errors(report) == ["Fehler: liste.csv, Spalte „Breite“: Koordinaten (lat) nicht lesbar: Zeile 3 "
                              "(\"54°47'N\") – Zahlen wie 9,4299 oder 9.4299 (Grad) bzw. 527345,2 (Meter) eintragen."]


def test_a_row_without_coordinates_is_left_out(tmp_path, flensburg, spots):
    header, rows = listing(spots)
    rows[0][4:6] = ["", ""]
    frame, report = read({"file": write_csv(tmp_path / "liste.csv", header, rows), **BASIC}, tmp_path, flensburg)
    assert len(frame) == 3 and "Ohne Koordinaten, nicht aufgenommen: Zeile 2 ('Haus 0')" in warnings(report)[0]


def test_geojson_in_a_projected_crs_and_non_points(tmp_path, flensburg, spots):
    points = gpd.GeoDataFrame({"Einrichtung": ["A", "B"], "Art": ["Kita", "Kita"]},
                              geometry=gpd.points_from_xy([s[2] for s in spots[:2]], [s[3] for s in spots[:2]]),
                              crs="EPSG:4326").to_crs("EPSG:25832")
    points.to_file(tmp_path / "punkte.geojson", driver="GeoJSON")
    section = {"file": "punkte.geojson", "columns": {"name": "Einrichtung"}, "category": {"column": "Art"}}
    frame, report = read(section, tmp_path, flensburg)
    assert report.ok and np.allclose(frame["lon"], [s[2] for s in spots[:2]], atol=1e-6)
    points.geometry = points.buffer(10)
    points.to_file(tmp_path / "flaechen.geojson", driver="GeoJSON")
    frame, report = read({**section, "file": "flaechen.geojson"}, tmp_path, flensburg)
    assert frame.empty and "Keine Punktgeometrie: Zeile 1 ('Polygon'); Zeile 2 ('Polygon')" in errors(report)[0]


def test_truncated_geojson_is_an_error(tmp_path, flensburg):
    (tmp_path / "kaputt.geojson").write_text('{"type": "FeatureCollection", "features": [{"type": "Fea',
                                            encoding="utf-8")
    frame, report = read({"file": "kaputt.geojson", "columns": {"name": "x"}, "category": "Kita"}, tmp_path,
                         flensburg)
    assert frame.empty and "Die GeoJSON-Datei bricht mitten ab" in errors(report)[0]


# --- columns, ids, categories, words ---------------------------------------------------------------------------

def test_unknown_columns_are_listed_with_the_files_columns(tmp_path, flensburg, spots):
    header, rows = listing(spots)
    section = {**BASIC, "file": write_csv(tmp_path / "liste.csv", header, rows),
               "columns": {"name": "Name", "street": "Strasse", "phone": "Telefon"}}
    frame, report = read(section, tmp_path, flensburg)
    assert frame.empty
    assert errors(report) == ["Fehler: liste.csv: Spalten nicht in der Datei: „Name“ (für name), „Telefon“ (für phone) "
                              "– Die Datei hat die Spalten: Einrichtung, Strasse, Art, Stadtteil, Laenge, Breite."]


def test_unknown_fields_in_the_mapping(tmp_path, flensburg, spots):
    header, rows = listing(spots)
    section = {**BASIC, "file": write_csv(tmp_path / "liste.csv", header, rows),
               "columns": {"name": "Einrichtung", "traeger": "Art"}}
    _, report = read(section, tmp_path, flensburg)
    assert "Unbekannte Felder unter columns: traeger" in errors(report)[0] and "organisation" in errors(report)[0]


def test_doubled_ids_are_an_error(tmp_path, flensburg, spots):
    header, rows = listing(spots, Nummer=["K1", "K2", "K1", "K3"])
    frame, report = read({"file": write_csv(tmp_path / "liste.csv", header, rows), **BASIC, "id": "Nummer"},
                         tmp_path, flensburg)
    assert errors(report)[0].startswith("Fehler: liste.csv, Spalte „Nummer“: ID doppelt: Zeile 4 ('K1, wie Zeile 2')")


def test_generated_ids_follow_the_row_not_its_position(tmp_path, flensburg, spots):
    header, rows = listing(spots)
    first, _ = read({"file": write_csv(tmp_path / "a.csv", header, rows), **BASIC}, tmp_path, flensburg)
    again, _ = read({"file": write_csv(tmp_path / "b.csv", header, rows[::-1]), **BASIC}, tmp_path, flensburg)
    assert first["institution_id"].tolist() == ["haus-0-weg-0", "haus-1-weg-1", "haus-2-weg-2", "haus-3-weg-3"]
    assert dict(zip(again["name"], again["institution_id"])) == dict(zip(first["name"], first["institution_id"]))


def test_a_row_given_twice_is_kept_once(tmp_path, flensburg, spots):
    header, rows = listing(spots)
    frame, report = read({"file": write_csv(tmp_path / "a.csv", header, [*rows, rows[0]]), **BASIC}, tmp_path,
                         flensburg)
    assert len(frame) == 4 and "Zeile 6 ('Haus 0, wie Zeile 2')" in warnings(report)[0]


def test_categories_mapped_and_unknown_ones_listed(tmp_path, flensburg, spots):
    header, rows = listing(spots)
    for row, art in zip(rows, ["Kindertagesstätte", "kindertagesstätte", "Hort", "Hort, Kindertagesstätte"]):
        row[2] = art
    section = {**BASIC, "file": write_csv(tmp_path / "liste.csv", header, rows),
               "category": {"column": "Art", "map": {"Kindertagesstätte": "Kita", "Jugendtreff": "Jugendzentrum"}}}
    frame, report = read(section, tmp_path, flensburg)
    assert report.ok
    assert frame["categories"].tolist() == [["Kita"], ["Kita"], ["Hort"], ["Hort", "Kita"]]
    assert warnings(report) == ["Warnung: liste.csv, Spalte „Art“: Kategorien nicht in der Zuordnung, unverändert "
                                "übernommen: „Hort“ (2×) – Unter category: map: ergänzen, welcher Kategorie des "
                                "Katalogs sie entsprechen."]


def test_rows_without_category_use_the_default_or_are_left_out(tmp_path, flensburg, spots):
    header, rows = listing(spots)
    rows[1][2] = ""
    section = {**BASIC, "file": write_csv(tmp_path / "liste.csv", header, rows)}
    frame, report = read(section, tmp_path, flensburg)
    assert len(frame) == 3 and "Ohne Kategorie, nicht aufgenommen: Zeile 3 ('Haus 1')" in warnings(report)[0]
    frame, _ = read({**section, "category": {**BASIC["category"], "default": "Sonstige"}}, tmp_path, flensburg)
    assert frame["categories"].tolist()[1] == ["Sonstige"]


def test_yes_no_words_lists_ages_and_numbers(tmp_path, flensburg, spots):
    header, rows = listing(spots, barrierefrei=["X", "Nein", "wahr", "vielleicht"], Plaetze=["60", "1.200", "", "viele"],
                           Sprachen=["Deutsch, Dänisch", "Deutsch | Türkisch", "", "Deutsch"],
                           Alter=["3-6 Jahre", "ab 65", "8 Wochen bis 6 Jahre", "irgendwann"],
                           geprueft=["15.01.2025", "2024-12-01", "", "gestern"])
    section = {**BASIC, "file": write_csv(tmp_path / "liste.csv", header, rows),
               "columns": {**BASIC["columns"], "barrier_free": "barrierefrei", "capacity": "Plaetze",
                           "languages": "Sprachen", "age": "Alter", "last_checked": "geprueft"}}
    frame, report = read(section, tmp_path, flensburg)
    assert report.ok
    assert frame["barrier_free"].tolist() == [True, False, True, None]
    assert frame["capacity"].tolist() == [60, 1200, None, None]
    assert frame["languages"].tolist() == [["Deutsch", "Dänisch"], ["Deutsch", "Türkisch"], [], ["Deutsch"]]
    assert list(zip(frame["age_min"], frame["age_max"])) == [(3, 6), (65, None), (0, 6), (None, None)]
    assert [str(d) for d in frame["last_checked"]] == ["2025-01-15", "2024-12-01", "None", "None"]
    said = "\n".join(warnings(report))
    for culprit in ["Zeile 5 ('vielleicht')", "Zeile 5 ('viele')", "Zeile 5 ('irgendwann')", "Zeile 5 ('gestern')"]:
        assert culprit in said


def test_xlsx_list(tmp_path, flensburg, spots):
    """Excel's own yes and no cells (WAHR, FALSCH) are read as such; rows are named as Excel numbers them."""
    header, rows = listing(spots, Traeger=["AWO", "Stadt", "", "DRK"], barrierefrei=[True, False, None, True])
    rows[3][5] = "Nordpol"
    pd.DataFrame(rows, columns=header).to_excel(tmp_path / "liste.xlsx", sheet_name="Kitas", index=False)
    section = {**BASIC, "file": "liste.xlsx", "sheet": "Kitas",
               "columns": {**BASIC["columns"], "organisation": "Traeger", "barrier_free": "barrierefrei"}}
    frame, report = read(section, tmp_path, flensburg)
    assert "Koordinaten (lat) nicht lesbar: Zeile 5 ('Nordpol')" in errors(report)[0]
    rows[3][5] = f"{spots[3][3]:.6f}"
    pd.DataFrame(rows, columns=header).to_excel(tmp_path / "liste.xlsx", sheet_name="Kitas", index=False)
    frame, report = read(section, tmp_path, flensburg)
    assert report.ok and frame["organisation"].tolist() == ["AWO", "Stadt", "nicht angegeben", "DRK"]
    assert frame["barrier_free"].tolist() == [True, False, None, True]


def test_rows_below_title_lines_are_named_by_their_line_in_the_file(tmp_path, flensburg, spots):
    header, rows = listing(spots)
    rows[1][5] = "54°47'N"
    write_csv(tmp_path / "liste.csv", ["Kitas in Flensburg, Stand 2025"], [[""], header, *rows])
    frame, report = read({"file": "liste.csv", "skip_rows": 2, **BASIC}, tmp_path, flensburg)
    assert frame.empty and "Koordinaten (lat) nicht lesbar: Zeile 5 (\"54°47'N\")" in errors(report)[0]


def test_the_former_separator_key_names_delimiter(tmp_path, flensburg, spots):
    header, rows = listing(spots)
    frame, report = read({"file": write_csv(tmp_path / "liste.csv", header, rows), "separator": ";", **BASIC},
                         tmp_path, flensburg)
    assert frame.empty
    assert errors(report) == ["Fehler: Zuordnung: Unbekannter Schlüssel „separator“. – Gemeint ist wohl „delimiter“."]
    frame, report = read({"file": "liste.csv", "delimiter": ";", **BASIC}, tmp_path, flensburg)
    assert report.ok and len(frame) == 4


def test_a_list_outside_the_mappings_folder_is_not_read(tmp_path, flensburg, spots):
    header, rows = listing(spots)
    write_csv(tmp_path / "liste.csv", header, rows)
    (tmp_path / "zuordnung").mkdir()
    frame, report = read({"file": "../liste.csv", **BASIC}, tmp_path / "zuordnung", flensburg)
    assert frame.empty and errors(report)[0].startswith("Fehler: ../liste.csv: Die Datei liegt außerhalb des Ordners")


def test_a_point_in_coordinates_is_a_decimal_point(tmp_path, flensburg, spots):
    """'54.792' is a latitude, not 54,792 as a table of counts would read it."""
    header, rows = listing(spots)
    for row, (_, _, lon, lat) in zip(rows, spots):
        row[4:6] = [f"{lon:.3f}", f"{lat:.3f}"]
    frame, report = read({"file": write_csv(tmp_path / "liste.csv", header, rows), **BASIC}, tmp_path, flensburg)
    assert report.ok and np.allclose(frame["lat"], [round(s[3], 3) for s in spots])


def test_points_from_a_geopackage_with_typed_properties(tmp_path, flensburg, spots):
    """Yes and no, numbers and dates stored as such are read as the same words in a table would be."""
    gpd.GeoDataFrame({"Einrichtung": ["A", "B"], "Art": ["Kita", "Kita"], "barrierefrei": [True, False],
                      "Plaetze": [1200.0, 45.0], "geprueft": pd.to_datetime(["2025-01-15", "2024-12-01"])},
                     crs="EPSG:4326", geometry=gpd.points_from_xy([s[2] for s in spots[:2]], [s[3] for s in spots[:2]])
                     ).to_file(tmp_path / "punkte.gpkg", layer="kitas", driver="GPKG")
    columns = {"name": "Einrichtung", "barrier_free": "barrierefrei", "capacity": "Plaetze", "last_checked": "geprueft"}
    frame, report = read({"file": "punkte.gpkg", "columns": columns, "category": {"column": "Art"}}, tmp_path,
                         flensburg)
    assert report.ok and frame["name"].tolist() == ["A", "B"] and not warnings(report)
    assert np.allclose(frame["lat"], [s[3] for s in spots[:2]], atol=1e-6)
    assert frame["barrier_free"].tolist() == [True, False] and frame["capacity"].tolist() == [1200, 45]
    assert [str(d) for d in frame["last_checked"]] == ["2025-01-15", "2024-12-01"]


@pytest.mark.parametrize("file, key, value, said", [
    ("liste.csv", "crs", "EPSG:999999", "Fehler: Zuordnung: Unbekanntes Koordinatensystem „EPSG:999999“."),
    ("punkte.gpkg", "crs", "EPSG:999999", "Fehler: Zuordnung: Unbekanntes Koordinatensystem „EPSG:999999“."),
    ("punkte.gpkg", "encoding", "klingonisch", "Fehler: Zuordnung: Unbekannte Kodierung „klingonisch“."),
])
def test_an_unknown_crs_or_encoding_is_named_not_raised(tmp_path, flensburg, spots, file, key, value, said):
    header, rows = listing(spots)
    write_csv(tmp_path / "liste.csv", header, rows)
    gpd.GeoDataFrame({"Einrichtung": ["A"], "Art": ["Kita"]}, crs="EPSG:4326",
                     geometry=gpd.points_from_xy([spots[0][2]], [spots[0][3]])).to_file(tmp_path / "punkte.gpkg")
    frame, report = read({**BASIC, "file": file, key: value}, tmp_path, flensburg)
    assert frame.empty and errors(report)[0].startswith(said)


@pytest.mark.parametrize("one, other", [("01 Altstadt", "altstadt"), ("3. Bahnhofstr.", "Bahnhofstraße"),
                                        ("St. Jürgen", "Sankt Juergen"), ("Mürwik", "MURWIK"),
                                        ("Neu-Mühlenholz", "Neumühlenholz"), ("12a Nord_Ost", "nord ost")])
def test_names_meet_however_they_are_written(one, other):
    assert normalised(one) == normalised(other)


def test_the_name_key_keeps_the_numbering():
    assert name_key("1 Nord") != name_key("2 Nord") and name_key("01 Altstadt") == name_key("01_ALTSTADT")


def test_claimed_area_unknown_or_different(tmp_path, flensburg, spots):
    header, rows = listing(spots)
    rows[0][3] = "Atlantis"
    rows[1][3] = spots[2][1].split(" ", 1)[1]  # another Stadtteil, named without its number
    section = {**BASIC, "file": write_csv(tmp_path / "liste.csv", header, rows), "area": "Stadtteil"}
    frame, report = read(section, tmp_path, flensburg)
    assert report.ok and len(frame) == 4
    said = warnings(report)
    assert any("Gebiete unbekannt: „Atlantis“ (1×)" in w for w in said)
    assert any(f"Zeile 3 ('Haus 1: laut Datei {rows[1][3]}, liegt in {spots[1][1]}')" in w for w in said)


@pytest.mark.parametrize("text, expected", [
    ("3-6 Jahre", (3, 6)), ("3 – 6", (3, 6)), ("von 1 bis 3 Jahren", (1, 3)), ("ab 65", (65, None)),
    ("65+", (65, None)), ("ab 60 Jahren", (60, None)), ("unter 3", (None, 3)), ("bis 10 Jahre", (None, 10)),
    ("8 Wochen bis 6 Jahre", (0, 6)), ("18 Monate - 6 Jahre", (1, 6)), ("alle", (None, None)), ("", (None, None)),
    ("14", (14, 14)),
])
def test_age_range(text, expected):
    assert age_range(text) == expected


@pytest.mark.parametrize("text", ["Kinder", "3-6-9", "ab"])
def test_age_range_refuses_what_it_cannot_read(text):
    with pytest.raises(NotAnAge):
        age_range(text)


def test_coordinates_joined_from_another_file(tmp_path, flensburg, spots):
    """Rows the coordinate file lacks are named and left out; join columns it does not have are an error."""
    header, rows = listing(spots)
    gpd.GeoDataFrame({"Name": ["HAUS 0", "Haus 1"]}, crs="EPSG:4326",
                     geometry=gpd.points_from_xy([s[2] for s in spots[:2]], [s[3] for s in spots[:2]])
                     ).to_file(tmp_path / "orte.geojson", driver="GeoJSON")
    section = {**UNPLACED, "file": write_csv(tmp_path / "liste.csv", header, rows),
               "coordinates_from": {"file": "orte.geojson", "on": {"Einrichtung": "Name"}}}
    frame, report = read(section, tmp_path, flensburg)
    assert frame["name"].tolist() == ["Haus 0", "Haus 1"] and np.allclose(frame["lat"], [s[3] for s in spots[:2]])
    assert warnings(report) == ["Warnung: liste.csv: Keine Koordinaten in orte.geojson gefunden, Einrichtung nicht "
                                "aufgenommen: Zeile 4 ('Haus 2'); Zeile 5 ('Haus 3') – Schreibweise in beiden Dateien "
                                "angleichen (verglichen: Einrichtung)."]
    frame, report = read({**section, "coordinates_from": {"file": "orte.geojson", "on": ["Einrichtung"]}}, tmp_path,
                         flensburg)
    assert frame.empty and errors(report) == ["Fehler: orte.geojson: Spalten nicht in der Datei: „Einrichtung“ (für on: "
                                              "Einrichtung) – Die Datei hat die Spalten: Name."]


@pytest.mark.parametrize("cell, expected", [("X", True), ("x", True), ("ja", True), ("1", True), ("wahr", True),
                                            ("Nein", False), ("0", False), ("falsch", False), ("", None), (True, True),
                                            ("WAHR", True), ("FALSCH", False)])  # Excel's, as ingest.tables writes them
def test_yes_and_no_as_lists_write_them(cell, expected):
    assert boolean(cell) is expected


def test_a_word_that_is_neither_yes_nor_no_is_refused():
    with pytest.raises(NotABoolean):
        boolean("teilweise")


def test_an_unknown_key_in_the_section_is_an_error_with_the_key_meant(tmp_path):
    report = Report()
    frame = read_institutions({"file": "x.csv", "colums": {"name": "Name"}}, tmp_path, gpd.GeoSeries([], crs=4326),
                              pd.DataFrame(columns=["area_id", "name", "level", "parent_id"]), report)
    assert frame.empty
    assert any("Unbekannter Schlüssel „colums“ im Abschnitt institutions" in f.text()
               and "Gemeint ist wohl „columns“" in f.text() for f in report.errors)
