"""Areas from a city's own geodata files: real Flensburg, a Berlin-like five-level tree, and broken input."""

from __future__ import annotations

import dataclasses
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from sozialdash import build
from sozialdash.ingest import geofile
from sozialdash.ingest.areas import DEFAULT_CITY_ID, parse_areas, read_areas
from sozialdash.ingest.report import ERROR, NOTE, WARNING, Report
from tests.shaped import FLENSBURG_CITY_ID, FLENSBURG_DIR, flensburg_dataset

STADTTEIL = {"key": "stadtteil", "label": "Stadtteil", "label_plural": "Stadtteile"}
BEZIRK = {"key": "bezirk", "label": "statistischer Bezirk", "label_plural": "statistische Bezirke"}
TWO_LEVELS = [STADTTEIL, BEZIRK]
BERLIN_LEVELS = [{"key": "bezirk", "label": "Bezirk", "label_plural": "Bezirke"},
                 {"key": "prognoseraum", "label": "Prognoseraum", "label_plural": "Prognoseräume"},
                 {"key": "bezirksregion", "label": "Bezirksregion", "label_plural": "Bezirksregionen"},
                 {"key": "planungsraum", "label": "Planungsraum", "label_plural": "Planungsräume"}]
CITY = {"id": "C", "name": "Teststadt"}
METRIC = "EPSG:25832"  # the files below are in ETRS89 / UTM 32N as most German cities' are, near Flensburg
X0, Y0 = 526_000, 6_072_000


def _square(x: float, y: float, size: float = 1000) -> shapely.Polygon:
    return shapely.box(X0 + x * size, Y0 + y * size, X0 + (x + 1) * size, Y0 + (y + 1) * size)


def _wgs84(geometry) -> np.ndarray:
    return gpd.GeoSeries([geometry], crs=METRIC).to_crs("EPSG:4326").total_bounds


def _feature(properties: dict, geometry) -> dict:
    return {"type": "Feature", "properties": properties,
            "geometry": None if geometry is None else shapely.geometry.mapping(geometry)}


def _write_geojson(path: Path, features: list[dict], crs: str | None = "urn:ogc:def:crs:EPSG::25832") -> Path:
    document = {"type": "FeatureCollection", "features": features}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _two_level_files(folder: Path, parents=("S1", "S1", "S2", "S2")) -> None:
    """Two Stadtteile of two Bezirke each; ``parents`` are the Bezirke's parent ids."""
    _write_geojson(folder / "teile.geojson", [
        _feature({"ID": "S1", "NAME": "01 Nord"}, shapely.box(*_square(0, 0).bounds[:2], *_square(1, 0).bounds[2:])),
        _feature({"ID": "S2", "NAME": "02 Süd"}, shapely.box(*_square(0, 1).bounds[:2], *_square(1, 1).bounds[2:]))])
    _write_geojson(folder / "bezirke.geojson", [
        _feature({"ID": f"B{i}", "NAME": f"Bezirk {i}", "TEIL": parent}, _square(i % 2, i // 2))
        for i, parent in enumerate(parents)])


def _section(finest: dict | None = None, coarse: dict | None = None, city: dict | None = CITY) -> dict:
    section = {"files": [{"file": "teile.geojson", "level": "stadtteil", "id": "ID", "name": "NAME", **(coarse or {})},
                         {"file": "bezirke.geojson", "level": "bezirk", "id": "ID", "name": "NAME",
                          "parent": {"column": "TEIL"}, **(finest or {})}]}
    return section if city is None else {"city": dict(city), **section}


def _read(folder: Path, section: dict, levels=TWO_LEVELS, city: str | None = None):
    report = Report()
    parsed = parse_areas(section, levels, report, where="stadt.yaml", city=city)
    assert parsed is not None, report.lines()
    return (*read_areas(parsed, folder, report), report)


def _errors(report: Report) -> str:
    assert not report.ok, report.lines()
    return "\n".join(f.text() for f in report.errors)


def _failed(folder: Path, section: dict, levels=TWO_LEVELS) -> str:
    """What the report says when the files are broken; the frames come back empty, nothing is raised."""
    levels_frame, areas, polygons = _read(folder, section, levels)[:3]
    assert levels_frame.empty and areas.empty and polygons.empty
    return _errors(_read(folder, section, levels)[3])


def _tree(areas: pd.DataFrame) -> list[tuple]:
    return sorted((r.level, r.area_id, r.name, r.parent_id if isinstance(r.parent_id, str) else None)
                  for r in areas.itertuples())


# --- real data ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("extension", ["geojson", "zip"])
@pytest.mark.parametrize("parent", [{"column": "PARENT_ARE"}, {"contained": True}])
def test_flensburg_files_give_the_areas_of_the_hand_written_import(extension, parent):
    """The shapefiles' and the GeoJSON's areas, linked by their parent column or by where they lie (the two
    levels are not exactly nested), are the tree the hand-written import reads."""
    if not FLENSBURG_DIR.is_dir():
        pytest.skip(f"Flensburg's files are not in {FLENSBURG_DIR}")
    section = {"city": {"id": FLENSBURG_CITY_ID, "name": "Flensburg"}, "files": [
        {"file": f"flensburg_stadtteile.{extension}", "level": "stadtteil", "id": "AREA_ID", "name": "AREA_NAME"},
        {"file": f"flensburg_stadtbezirke.{extension}", "level": "bezirk", "id": "AREA_ID", "name": "AREA_NAME",
         "parent": parent}]}
    levels, areas, polygons, report = _read(FLENSBURG_DIR, section)
    expected = flensburg_dataset()
    assert report.ok, report.lines()
    assert areas.groupby("level").size().to_dict() == {0: 1, 1: 13, 2: 41}
    assert _tree(areas) == _tree(expected.areas)
    assert levels["level"].tolist() == [0, 1, 2] and levels["key"].tolist() == ["stadt", "stadtteil", "bezirk"]
    assert polygons.crs == "EPSG:4326" and sorted(polygons.index) == sorted(expected.polygons.index)
    # The shapefile is the original in EPSG:25832, the GeoJSON its export in lon/lat: the same outlines.
    moved = polygons.to_crs("EPSG:25832").symmetric_difference(
        expected.polygons.reindex(polygons.index).to_crs("EPSG:25832"), align=False).area
    assert moved.max() < 1.0
    invalid = [f for f in report if f.level == NOTE and "ungültig" in f.message]
    assert len(invalid) == 2 and {"073 Peelwatt", "122 Engelsby Süd"} <= {
        name for f in invalid for name in ["073 Peelwatt", "122 Engelsby Süd"] if name in f.message}
    gaps = "Lücken zwischen Gebieten der Ebene „statistische Bezirke“ (vor der Reparatur)"
    assert any(gaps in f.message for f in report)
    build.validate(dataclasses.replace(expected, levels=levels, areas=areas, polygons=polygons))


# --- levels and links -----------------------------------------------------------------------------------------

def _metric(box: shapely.Polygon) -> shapely.Polygon:
    x0, y0, x1, y1 = box.bounds
    return shapely.box(X0 + x0 * 1000, Y0 + y0 * 1000, X0 + x1 * 1000, Y0 + y1 * 1000)


def _berlin_tree() -> dict[int, list[tuple[str, str, shapely.Polygon]]]:
    """Four levels of ids with leading zeros ("01" > "0101" > "010101" > "01010101"): each area halves its
    parent, alternately across and along, so the finest level is a 4 x 4 grid of squares of a kilometre."""
    tree = {1: [(f"{b:02d}", f"Bezirk {b}", shapely.box(2 * (b - 1), 0, 2 * b, 4)) for b in (1, 2)]}
    for level in (2, 3, 4):
        tree[level] = []
        for parent_id, _, box in tree[level - 1]:
            x0, y0, x1, y1 = box.bounds
            halves = ([(x0, y0, x1, (y0 + y1) / 2), (x0, (y0 + y1) / 2, x1, y1)] if level % 2 == 0
                      else [(x0, y0, (x0 + x1) / 2, y1), ((x0 + x1) / 2, y0, x1, y1)])
            tree[level] += [(f"{parent_id}{k:02d}", f"Gebiet {parent_id}{k:02d}", shapely.box(*bounds))
                            for k, bounds in enumerate(halves, start=1)]
    return {level: [(i, n, _metric(g)) for i, n, g in areas] for level, areas in tree.items()}


def test_berlin_like_four_levels_linked_by_id_prefix(tmp_path):
    tree = _berlin_tree()
    files = []
    for level, entry in zip((1, 2, 3, 4), BERLIN_LEVELS):
        features = [_feature({"ID": i, "NAME": n}, g) for i, n, g in tree[level]]
        _write_geojson(tmp_path / f"{entry['key']}.geojson", features)
        files.append({"file": f"{entry['key']}.geojson", "level": entry["key"], "id": "ID", "name": "NAME",
                      **({"parent": {"prefix": 2 * (level - 1)}} if level > 1 else {})})
    levels, areas, polygons, report = _read(tmp_path, {"files": files}, BERLIN_LEVELS, city="Berlin")
    assert report.ok, report.lines()
    assert levels["level"].tolist() == [0, 1, 2, 3, 4]
    assert areas.groupby("level").size().to_dict() == {0: 1, 1: 2, 2: 4, 3: 8, 4: 16}
    city = areas[areas["level"] == 0].iloc[0]
    assert (city["area_id"], city["name"]) == (DEFAULT_CITY_ID, "Berlin")
    parent_of = areas.set_index("area_id")["parent_id"]
    assert parent_of["01020102"] == "010201" and parent_of["010201"] == "0102" and parent_of["0102"] == "01"
    assert parent_of["01"] == DEFAULT_CITY_ID
    assert sorted(polygons.index) == sorted(i for i, _, _ in tree[4])
    assert not [f for f in report if "Lücke" in f.message or "Überlappung" in f.message]


def test_levels_without_polygons_read_from_the_finest_file_grouped(tmp_path):
    """Berlin's Planungsraum file names its Bezirk: the Bezirke come from it, without a file of their own."""
    tree = _berlin_tree()
    features = [_feature({"PLR": i, "PLR_NAME": n, "BEZ": i[:2], "BEZ_NAME": f"Bezirk {i[:2]}"}, g)
                for i, n, g in tree[4]]
    _write_geojson(tmp_path / "plr.geojson", features)
    levels = [BERLIN_LEVELS[0], BERLIN_LEVELS[3]]
    section = {"files": [
        {"file": "plr.geojson", "level": "bezirk", "id": "BEZ", "name": "BEZ_NAME", "grouped": True},
        {"file": "plr.geojson", "level": "planungsraum", "id": "PLR", "name": "PLR_NAME", "parent": {"column": "BEZ"}},
    ]}
    _, areas, polygons, report = _read(tmp_path, section, levels, city="Berlin")
    assert report.ok, report.lines()
    bezirke = areas[areas["level"] == 1].set_index("area_id")["name"]
    assert bezirke.to_dict() == {"01": "Bezirk 01", "02": "Bezirk 02"}
    assert len(polygons) == 16


def test_grouped_level_with_two_names_for_one_id_is_an_error(tmp_path):
    features = [_feature({"PLR": f"0{k}", "BEZ": "01", "BEZ_NAME": name}, _square(k, 0))
                for k, name in enumerate(["Mitte", "Mitte", "Mite"])]
    _write_geojson(tmp_path / "plr.geojson", features)
    section = {"files": [
        {"file": "plr.geojson", "level": "stadtteil", "id": "BEZ", "name": "BEZ_NAME", "grouped": True},
        {"file": "plr.geojson", "level": "bezirk", "id": "PLR", "name": "PLR", "parent": {"column": "BEZ"}}],
        "city": CITY}
    assert "dieselbe ID mit verschiedenen Namen: 01" in _failed(tmp_path, section)


def test_containment_finds_parents_and_says_what_lies_outside(tmp_path):
    _two_level_files(tmp_path)
    # Bezirk 3 pushed a fifth of its height out of its Stadtteil (S2) towards the north.
    moved = shapely.affinity.translate(_square(1, 1), yoff=200)
    document = json.loads((tmp_path / "bezirke.geojson").read_text())
    document["features"][3]["geometry"] = shapely.geometry.mapping(moved)
    (tmp_path / "bezirke.geojson").write_text(json.dumps(document))
    _, areas, _, report = _read(tmp_path, _section(finest={"parent": {"contained": True}}))
    assert report.ok, report.lines()
    assert areas.set_index("area_id")["parent_id"].to_dict() == {"C": None, "S1": "C", "S2": "C", "B0": "S1",
                                                                 "B1": "S1", "B2": "S2", "B3": "S2"}
    outside = [f.message for f in report if "nur zum Teil" in f.message]
    assert outside and "Bezirk 3: 80 % in 02 Süd" in outside[0]


def test_an_area_outside_every_parent_is_an_error(tmp_path):
    _two_level_files(tmp_path)
    document = json.loads((tmp_path / "bezirke.geojson").read_text())
    document["features"][3]["geometry"] = shapely.geometry.mapping(_square(5, 5))
    (tmp_path / "bezirke.geojson").write_text(json.dumps(document))
    said = _failed(tmp_path, _section(finest={"parent": {"contained": True}}))
    assert "in keinem Gebiet der Ebene „Stadtteile“ zur Hälfte" in said and "Zeile 4" in said
    assert "Bezirk 3 (höchstens 0 % in einem Gebiet)" in said


def test_unknown_parent_id_names_the_row_and_the_ids_there_are(tmp_path):
    _two_level_files(tmp_path, parents=("S1", "S1", "S2", "S9"))
    said = _failed(tmp_path, _section())
    assert "Übergeordnetes Gebiet (Ebene „Stadtteile“) nicht in teile.geojson: Zeile 4 ('S9')" in said
    assert "Dort gibt es S1, S2" in said


def test_parent_ids_that_lost_their_leading_zeros_say_so(tmp_path):
    """The Stadtteile say "01", the Bezirke's shapefile stored their parent as the number 1."""
    _write_geojson(tmp_path / "teile.geojson", [_feature({"ID": "01", "NAME": "01 Nord"}, _square(0, 0))])
    _write_geojson(tmp_path / "bezirke.geojson", [_feature({"ID": "B1", "NAME": "B", "TEIL": 1}, _square(0, 0))])
    said = _failed(tmp_path, _section())
    assert "nicht in teile.geojson: Zeile 1 ('1')" in said and "unterscheiden sich nur in führenden Nullen" in said


def test_parent_id_that_contradicts_the_map_is_a_warning(tmp_path):
    _two_level_files(tmp_path, parents=("S1", "S2", "S2", "S1"))
    _, areas, _, report = _read(tmp_path, _section())
    assert report.ok
    warned = [f for f in report if f.level == WARNING]
    assert len(warned) == 1 and "Bezirk 1 → S2: 0 %" in warned[0].message and "Bezirk 3 → S1" in warned[0].message


def test_a_parent_without_children_is_an_error(tmp_path):
    _two_level_files(tmp_path, parents=("S1", "S1", "S1", "S1"))
    said = _failed(tmp_path, _section())
    assert "Gebiete ohne Teilgebiete der Ebene „statistische Bezirke“ (aus bezirke.geojson): Zeile 2 ('S2')" in said


def test_prefix_longer_than_an_id_is_an_error(tmp_path):
    _two_level_files(tmp_path)
    said = _failed(tmp_path, _section(finest={"parent": {"prefix": 2}}))
    assert "IDs nicht länger als die 2 Zeichen" in said and "Zeile 1 ('B0')" in said


def test_the_same_id_on_two_levels_is_an_error(tmp_path):
    _two_level_files(tmp_path)
    said = _failed(tmp_path, _section(city={"id": "S1", "name": "Teststadt"}))
    assert "IDs kommen auf mehreren Ebenen vor" in said and "S1 (Ebene 0)" in said


# --- ids and names --------------------------------------------------------------------------------------------

def test_ids_keep_their_leading_zeros_and_numbers_become_text_with_a_note(tmp_path):
    _write_geojson(tmp_path / "teile.geojson", [_feature({"ID": "0100", "NAME": "01 Nord"}, _square(0, 0))])
    _write_geojson(tmp_path / "bezirke.geojson", [_feature({"ID": 100, "NAME": "", "TEIL": "0100"}, _square(0, 0))])
    _, areas, polygons, report = _read(tmp_path, _section())
    assert report.ok, report.lines()
    assert areas["area_id"].tolist() == ["C", "0100", "100"] and list(polygons.index) == ["100"]
    noted = [f for f in report if f.level == NOTE and f.column == "ID"]
    assert noted and "„100“" in noted[0].message and noted[0].file == "bezirke.geojson"
    unnamed = [f for f in report if f.level == WARNING]
    assert "ohne Namen; angezeigt wird die ID: Zeile 1 ('100')" in unnamed[0].message
    assert areas.set_index("area_id")["name"]["100"] == "100"


def test_shapefile_integer_ids_are_their_digits(tmp_path):
    frame = gpd.GeoDataFrame({"ID": [7, 12], "NAME": ["Nord", "Süd"]}, geometry=[_square(0, 0), _square(1, 0)],
                             crs=METRIC)
    _zip_shapefile(tmp_path / "teile.zip", frame)
    section = {"city": CITY, "files": [{"file": "teile.zip", "level": "stadtteil", "id": "ID", "name": "NAME"}]}
    _, areas, polygons, report = _read(tmp_path, section, [STADTTEIL])
    assert report.ok, report.lines()
    assert sorted(polygons.index) == ["12", "7"] and polygons.crs == "EPSG:4326"
    assert np.allclose(polygons["7"].bounds, _wgs84(_square(0, 0)))  # reprojected by the .prj's EPSG:25832
    assert any("Zahlen" in f.message for f in report if f.level == NOTE)


def test_duplicate_ids_are_an_error_naming_the_rows(tmp_path):
    _two_level_files(tmp_path)
    document = json.loads((tmp_path / "bezirke.geojson").read_text())
    document["features"][2]["properties"]["ID"] = "B0"
    (tmp_path / "bezirke.geojson").write_text(json.dumps(document))
    said = _failed(tmp_path, _section())
    assert "IDs mehrfach vergeben: Zeile 1 ('B0'); Zeile 3 ('B0')" in said


def test_missing_id_column_lists_the_columns_the_file_has(tmp_path):
    _two_level_files(tmp_path)
    said = _failed(tmp_path, _section(finest={"id": "AREA_ID"}))
    assert "bezirke.geojson: Spalte fehlt: AREA_ID; die Datei hat die Spalten ID, NAME, TEIL" in said


def test_missing_ids_are_an_error(tmp_path):
    _two_level_files(tmp_path)
    document = json.loads((tmp_path / "bezirke.geojson").read_text())
    document["features"][1]["properties"]["ID"] = None
    (tmp_path / "bezirke.geojson").write_text(json.dumps(document))
    assert "IDs fehlen: Zeile 2" in _failed(tmp_path, _section())


# --- geometry -------------------------------------------------------------------------------------------------

def test_empty_and_missing_geometries_are_an_error(tmp_path):
    _two_level_files(tmp_path)
    document = json.loads((tmp_path / "bezirke.geojson").read_text())
    document["features"][0]["geometry"] = None
    document["features"][2]["geometry"] = {"type": "Polygon", "coordinates": []}
    (tmp_path / "bezirke.geojson").write_text(json.dumps(document))
    assert "Gebiete ohne Fläche (Geometrie leer): Zeile 1 ('B0'); Zeile 3 ('B2')" in _failed(tmp_path, _section())


def test_points_and_lines_are_not_areas(tmp_path):
    _two_level_files(tmp_path)
    document = json.loads((tmp_path / "bezirke.geojson").read_text())
    document["features"][0]["geometry"] = {"type": "Point", "coordinates": [X0, Y0]}
    document["features"][1]["geometry"] = {"type": "LineString", "coordinates": [[X0, Y0], [X0 + 500, Y0 + 500]]}
    (tmp_path / "bezirke.geojson").write_text(json.dumps(document))
    said = _failed(tmp_path, _section())
    assert "Keine Flächen (Polygon oder MultiPolygon), sondern LineString, Point: Zeile 1 ('B0'); Zeile 2" in said


def test_multipolygons_are_areas_and_invalid_ones_get_a_note_each(tmp_path):
    _two_level_files(tmp_path)
    document = json.loads((tmp_path / "bezirke.geojson").read_text())
    x0, y0, x1, y1 = _square(0, 0).bounds
    bowtie = {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y1], [x1, y0], [x0, y1], [x0, y0]]]}
    document["features"][0]["geometry"] = bowtie
    with_island = shapely.MultiPolygon([_square(1, 0), _square(5, 5, size=100)])
    document["features"][1]["geometry"] = shapely.geometry.mapping(with_island)
    (tmp_path / "bezirke.geojson").write_text(json.dumps(document))
    _, _, polygons, report = _read(tmp_path, _section())
    assert report.ok, report.lines()
    assert polygons["B1"].geom_type == "MultiPolygon"
    invalid = [f for f in report if "ungültig" in f.message]
    assert len(invalid) == 1 and invalid[0].row == 1 and "„Bezirk 0“" in invalid[0].message
    assert "Self-intersection" in invalid[0].message and "ändert sich um 500.000 m²" in invalid[0].message


def test_overlaps_and_gaps_of_the_finest_level_are_reported_with_their_size(tmp_path):
    _two_level_files(tmp_path)
    document = json.loads((tmp_path / "bezirke.geojson").read_text())
    x0, y0, x1, y1 = _square(1, 0).bounds  # Bezirk 1 reaches 2 m into Bezirk 0
    document["features"][1]["geometry"] = shapely.geometry.mapping(shapely.box(x0 - 2, y0, x1, y1))
    x0, y0, x1, y1 = _square(1, 1).bounds  # a notch 3 m wide and 800 m long between Bezirk 3 and Bezirk 2
    notched = shapely.box(x0, y0, x1, y1).difference(shapely.box(x0, y0 + 100, x0 + 3, y0 + 900))
    document["features"][3]["geometry"] = shapely.geometry.mapping(notched)
    document["features"][2]["geometry"] = shapely.geometry.mapping(_square(0, 1))
    (tmp_path / "bezirke.geojson").write_text(json.dumps(document))
    _, _, _, report = _read(tmp_path, _section())
    overlaps = [f.message for f in report if "Überlappung" in f.message]
    gaps = [f.message for f in report if "Lücke zwischen" in f.message]
    assert overlaps == ["1 Überlappung zwischen Gebieten der Ebene „statistische Bezirke“ (vor der Reparatur), "
                        "zusammen 2.000 m²: Bezirk 0 und Bezirk 1 (2.000 m²)"]
    assert len(gaps) == 1 and gaps[0].startswith("1 Lücke zwischen") and "zusammen 2.400 m²: bei " in gaps[0]
    assert {"Bezirk 2", "Bezirk 3"} <= set(gaps[0].split(": bei ")[1].split(" (")[0].split(", "))


# --- coordinate systems ---------------------------------------------------------------------------------------

def _zip_shapefile(path: Path, frame: gpd.GeoDataFrame, drop: tuple[str, ...] = (), names: dict | None = None):
    folder = path.parent / f"{path.stem}-shp"
    folder.mkdir()
    pyogrio.write_dataframe(frame, folder / "Gebiete.shp")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in sorted(folder.iterdir()):
            if part.suffix not in drop:
                archive.write(part, (names or {}).get(part.name, part.name))


def _utm_teile(tmp_path: Path, drop=(".prj",)) -> dict:
    frame = gpd.GeoDataFrame({"ID": ["S1"], "NAME": ["Nord"]}, geometry=[_square(0, 0)], crs=METRIC)
    _zip_shapefile(tmp_path / "teile.zip", frame, drop=drop)
    return {"city": CITY, "files": [{"file": "teile.zip", "level": "stadtteil", "id": "ID", "name": "NAME"}]}


def test_a_shapefile_without_prj_needs_the_crs_from_the_mapping(tmp_path):
    section = _utm_teile(tmp_path)
    assert "nennt kein Koordinatensystem (beim Shapefile fehlt die .prj-Datei)" in _failed(tmp_path, section,
                                                                                        [STADTTEIL])
    section["files"][0]["crs"] = "EPSG:25832"
    _, _, polygons, report = _read(tmp_path, section, [STADTTEIL])
    assert report.ok and np.allclose(polygons["S1"].bounds, _wgs84(_square(0, 0)))


def test_a_local_crs_without_a_datum_is_an_error(tmp_path):
    """CAD exports carry a .prj with a LOCAL_CS: metres from an arbitrary origin, not a place on earth."""
    frame = gpd.GeoDataFrame({"ID": ["S1"], "NAME": ["Nord"]}, geometry=[_square(0, 0)], crs=METRIC)
    _zip_shapefile(tmp_path / "teile.zip", frame, drop=(".prj",))
    with zipfile.ZipFile(tmp_path / "teile.zip", "a") as archive:
        archive.writestr("Gebiete.prj", 'LOCAL_CS["Baustelle",UNIT["metre",1],AXIS["X",EAST],AXIS["Y",NORTH]]')
    said = _failed(tmp_path, _one_file("teile.zip"), [STADTTEIL])
    assert "lässt sich nicht nach WGS84 umrechnen (ein lokales System ohne Bezug zur Erde?): Baustelle" in said


def test_a_crs_in_the_mapping_does_not_override_the_files_own(tmp_path):
    section = _utm_teile(tmp_path, drop=())
    section["files"][0]["crs"] = "EPSG:25833"
    _, _, polygons, report = _read(tmp_path, section, [STADTTEIL])
    assert report.ok and np.allclose(polygons["S1"].bounds, _wgs84(_square(0, 0)))
    assert "es gilt das der Datei" in [f for f in report if f.level == WARNING][0].message


def test_coordinates_that_do_not_fit_the_crs_are_an_error(tmp_path):
    """UTM metres in a GeoJSON that claims lon/lat: a wrong or missing CRS declaration."""
    _write_geojson(tmp_path / "teile.geojson", [_feature({"ID": "S1", "NAME": "Nord"}, _square(0, 0))], crs=None)
    section = {"city": CITY, "files": [{"file": "teile.geojson", "level": "stadtteil", "id": "ID", "name": "NAME"}]}
    said = _failed(tmp_path, section, [STADTTEIL])
    assert "Die Koordinaten passen nicht zum Koordinatensystem EPSG:4326 (x von 526.000 bis 527.000" in said


def test_a_geojson_without_crs_member_is_lon_lat(tmp_path):
    """RFC 7946: WGS84; the legacy member (as in Flensburg's files and all files above) names another."""
    lonlat = shapely.box(*_wgs84(_square(0, 0)))
    _write_geojson(tmp_path / "teile.geojson", [_feature({"ID": "S1", "NAME": "Nord"}, lonlat)], crs=None)
    section = {"city": CITY, "files": [{"file": "teile.geojson", "level": "stadtteil", "id": "ID", "name": "NAME"}]}
    _, _, polygons, report = _read(tmp_path, section, [STADTTEIL])
    assert report.ok and np.allclose(polygons["S1"].bounds, lonlat.bounds)


def test_geopackage_layer_is_chosen_by_the_mapping(tmp_path):
    frame = gpd.GeoDataFrame({"ID": ["S1"], "NAME": ["Nord"]}, geometry=[_square(0, 0)], crs=METRIC)
    pyogrio.write_dataframe(frame, tmp_path / "geo.gpkg", layer="stadtteile")
    pyogrio.write_dataframe(frame.to_crs("EPSG:4326"), tmp_path / "geo.gpkg", layer="kitas")
    section = {"city": CITY, "files": [{"file": "geo.gpkg", "level": "stadtteil", "id": "ID", "name": "NAME"}]}
    assert "Die GeoPackage-Datei hat 2 Ebenen: " in _failed(tmp_path, section, [STADTTEIL])
    section["files"][0]["layer"] = "stadtteile"
    _, areas, polygons, report = _read(tmp_path, section, [STADTTEIL])
    assert report.ok and areas["area_id"].tolist() == ["C", "S1"]
    assert np.allclose(polygons["S1"].bounds, _wgs84(_square(0, 0)))


# --- hostile files --------------------------------------------------------------------------------------------

def _one_file(name: str) -> dict:
    return {"city": dict(CITY), "files": [{"file": name, "level": "stadtteil", "id": "ID", "name": "NAME"}]}


@pytest.mark.parametrize("name, content, said", [
    ("teile.geojson", b"", "Die Datei ist leer (0 Bytes)."),
    ("teile.zip", b"", "Die Datei ist leer (0 Bytes)."),
    ("teile.geojson", b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"ID": "S',
     "Die GeoJSON-Datei bricht mitten ab"),
    ("teile.geojson", "ID;NAME\nS1;Nord\n".encode(), "Keine GeoJSON-Datei: sie beginnt nicht mit „{“. ('ID;NAME"),
    ("teile.geojson", b'{"type": "Topology", "objects": {}}', "Keine GeoJSON-Datei: es fehlt eine FeatureCollection"),
    ("teile.geojson", b'{"type": "FeatureCollection", "features": [}', "kein gültiges JSON (Zeile 1, Spalte 44"),
    ("teile.geojson", b'{"type": "FeatureCollection", "features": []}', "Die Datei enthält keine Objekte"),
    ("teile.zip", b"PK\x03\x04 not really a zip", "Die ZIP-Datei ist beschädigt oder keine ZIP-Datei."),
    pytest.param("teile.gpkg", b"SQLite format 3\x00" + b"\x00" * 100, "kann nicht als Geodatei gelesen werden",
                 marks=pytest.mark.filterwarnings("ignore:GPKG:RuntimeWarning")),  # GDAL's own complaint
    ("teile.geojson", '{"type": "FeatureCollection",\n "features": [{"NAME": "Mürwik"}]}'.encode("cp1252"),
     "Die GeoJSON-Datei ist nicht in UTF-8 gespeichert (Zeile 2: Byte 0xFC, in Windows-1252 „ü“)."),
    ("teile.kml", b"<kml/>", "Dateiformat „.kml“ wird nicht unterstützt"),
])
def test_broken_files_give_a_german_error(tmp_path, name, content, said):
    (tmp_path / name).write_bytes(content)
    assert said in _failed(tmp_path, _one_file(name), [STADTTEIL])


def test_a_missing_file_names_the_geodata_files_there_are(tmp_path):
    _two_level_files(tmp_path)
    said = _failed(tmp_path, _section(coarse={"file": "stadtteile.geojson"}))
    assert "stadtteile.geojson: Datei nicht gefunden" in said and "bezirke.geojson, teile.geojson" in said


def test_a_file_above_the_size_limit_is_not_parsed(tmp_path, monkeypatch):
    huge = tmp_path / "teile.geojson"
    with open(huge, "wb") as handle:  # 200 MB of nothing, sparse on disk
        handle.truncate(200 * 2**20)
    monkeypatch.setattr(geofile.json, "loads", lambda *_: pytest.fail("a file above the limit was parsed"))
    said = _failed(tmp_path, _one_file("teile.geojson"), [STADTTEIL])
    assert "Die Datei ist zu groß (200,0 MB, höchstens 100,0 MB); sie wird nicht gelesen." in said


def test_a_zip_with_a_path_outside_its_folder_is_not_unpacked(tmp_path):
    with zipfile.ZipFile(tmp_path / "teile.zip", "w") as archive:
        archive.writestr("../x.shp", b"\x00" * 100)
        archive.writestr("gebiete/../../etc/y.dbf", b"\x00" * 100)
    said = _failed(tmp_path, _one_file("teile.zip"), [STADTTEIL])
    assert "Pfade außerhalb ihres Ordners und wird nicht entpackt: ../x.shp, gebiete/../../etc/y.dbf" in said
    assert not (tmp_path.parent / "x.shp").exists()


def test_a_zip_bomb_is_refused_before_unpacking(tmp_path):
    with zipfile.ZipFile(tmp_path / "teile.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("Gebiete.shp", "w") as member:
            for _ in range(20):
                member.write(b"\x00" * 2**20)
        archive.writestr("Gebiete.shx", b"\x00" * 100)
        archive.writestr("Gebiete.dbf", b"\x00" * 100)
    said = _failed(tmp_path, _one_file("teile.zip"), [STADTTEIL])
    assert "würde entpackt 20,0 MB ergeben (Gebiete.shp unverhältnismäßig groß)" in said


def test_a_zip_above_the_total_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(geofile, "MAX_UNPACKED_BYTES", 2**20)
    with zipfile.ZipFile(tmp_path / "teile.zip", "w", zipfile.ZIP_STORED) as archive:
        for k in range(3):
            archive.writestr(f"teil{k}.geojson", np.random.default_rng(k).bytes(2**19))
    assert "würde entpackt 1,5 MB ergeben; erlaubt sind 1,0 MB insgesamt" in _failed(
        tmp_path, _one_file("teile.zip"), [STADTTEIL])


def test_a_zip_that_lies_about_its_sizes_is_an_error(tmp_path):
    """A member declaring 100 bytes that holds a megabyte: zipfile stops at 100 and the CRC fails."""
    with zipfile.ZipFile(tmp_path / "teile.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Gebiete.geojson", b"{" + b" " * 2**20 + b"}")
    raw = bytearray((tmp_path / "teile.zip").read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = raw.index(signature) + offset
        raw[at:at + 4] = (100).to_bytes(4, "little")
    (tmp_path / "teile.zip").write_bytes(bytes(raw))
    assert "Die ZIP-Datei ist beschädigt oder keine ZIP-Datei." in _failed(tmp_path, _one_file("teile.zip"),
                                                                          [STADTTEIL])


def test_a_zip_with_several_shapefiles_needs_a_layer(tmp_path):
    frame = gpd.GeoDataFrame({"ID": ["S1"], "NAME": ["Nord"]}, geometry=[_square(0, 0)], crs=METRIC)
    _zip_shapefile(tmp_path / "teile.zip", frame)
    with zipfile.ZipFile(tmp_path / "teile.zip", "a") as archive:
        archive.writestr("Alt/Gebiete_2010.shp", b"\x00" * 100)
    said = _failed(tmp_path, _one_file("teile.zip"), [STADTTEIL])
    assert "enthält mehrere Geodateien: Alt/Gebiete_2010.shp, Gebiete.shp" in said
    section = _one_file("teile.zip")
    section["files"][0]["layer"] = "Gebiete"
    _, areas, _, report = _read(tmp_path, section, [STADTTEIL])
    assert report.ok and areas["area_id"].tolist() == ["C", "S1"]


def test_a_zipped_shapefile_whose_parts_differ_in_case_is_read(tmp_path):
    frame = gpd.GeoDataFrame({"ID": ["S1"], "NAME": ["Nord"]}, geometry=[_square(0, 0)], crs=METRIC)
    _zip_shapefile(tmp_path / "teile.zip", frame, names={"Gebiete.shp": "GEBIETE.SHP", "Gebiete.dbf": "gebiete.dbf"})
    _, areas, _, report = _read(tmp_path, _one_file("teile.zip"), [STADTTEIL])
    assert report.ok and areas["area_id"].tolist() == ["C", "S1"]


def test_a_zipped_shapefile_without_its_dbf_is_an_error(tmp_path):
    frame = gpd.GeoDataFrame({"ID": ["S1"], "NAME": ["Nord"]}, geometry=[_square(0, 0)], crs=METRIC)
    _zip_shapefile(tmp_path / "teile.zip", frame, drop=(".dbf",))
    assert "Zum Shapefile Gebiete.shp fehlen in der ZIP-Datei: .dbf" in _failed(tmp_path, _one_file("teile.zip"),
                                                                               [STADTTEIL])


# --- the mapping ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("change, levels, said", [
    (lambda s: s.update(colour="rot"), TWO_LEVELS,
     "Unbekannter Schlüssel „colour“ in areas. – Erlaubt: city, files."),
    (lambda s: s["files"][1].update(parnet={"column": "TEIL"}), TWO_LEVELS,
     "Unbekannter Schlüssel „parnet“ in areas.files[2]. – Gemeint ist wohl „parent“."),
    (lambda s: s["files"][0].pop("id"), TWO_LEVELS, "areas.files[1]: „id“ fehlt."),
    (lambda s: s["files"][0].update(level="ortsteil"), TWO_LEVELS,
     "areas.files[1]: Ebene „ortsteil“ ist nicht unter levels definiert; dort stehen stadt, stadtteil, bezirk."),
    (lambda s: s["files"][1].pop("parent"), TWO_LEVELS, "parent fehlt: wie findet jedes Gebiet sein übergeordnetes"),
    (lambda s: s["files"][1].update(parent={"column": "TEIL", "prefix": 2}), TWO_LEVELS, "genau eine Verknüpfung"),
    (lambda s: s["files"][1].update(parent={"prefix": "2"}), TWO_LEVELS, "prefix muss eine positive ganze Zahl sein"),
    (lambda s: s["files"][0].update(parent={"column": "X"}), TWO_LEVELS, "die gröbste Ebene gehört direkt zur "),
    (lambda s: s["files"][1].update(grouped=True), TWO_LEVELS, "die feinste Ebene braucht Flächen"),
    (lambda s: s["files"][1].update(crs="EPSG:999999"), TWO_LEVELS,
     "areas.files[2]: Unbekanntes Koordinatensystem „EPSG:999999“."),
    (lambda s: s["files"][1].update(encoding="klingonisch"), TWO_LEVELS,
     "areas.files[2]: Unbekannte Kodierung „klingonisch“."),
    (lambda s: s["files"].pop(0), TWO_LEVELS, "für die Ebene stadtteil fehlt eine Datei"),
    (lambda s: s["files"].append(dict(s["files"][1])), TWO_LEVELS, "für die Ebene „bezirk“ sind mehrere Dateien"),
    (lambda s: s["city"].update(id=100), TWO_LEVELS, "„id“ muss ein Text sein (IDs in Anführungszeichen"),
    (lambda s: s.pop("city"), TWO_LEVELS, "areas.city fehlt und die Zuordnung nennt keine Stadt"),
    (lambda s: None, [STADTTEIL, {"key": "stadtteil", "label": "x"}], "Ebenen-Schlüssel mehrfach vergeben"),
    (lambda s: None, [], "levels: die Ebenen unterhalb der Stadt fehlen"),
    (lambda s: s["files"][0].update(level="stadt"), TWO_LEVELS, "die Gesamtstadt („stadt“) braucht keine Datei"),
])
def test_mapping_mistakes_are_named(change, levels, said):
    section = _section()
    change(section)
    report = Report()
    assert parse_areas(section, levels, report, where="stadt.yaml") is None
    assert all(f.level == ERROR and f.file == "stadt.yaml" for f in report)
    assert said in _errors(report)


def test_city_defaults_to_the_mappings_city_name(tmp_path):
    _two_level_files(tmp_path)
    _, areas, _, report = _read(tmp_path, _section(city=None), city="Teststadt")
    assert report.ok and areas.iloc[0].to_dict() == {"area_id": "0", "name": "Teststadt", "level": 0,
                                                     "parent_id": None}


def test_a_shapefile_without_cpg_is_read_in_the_encoding_the_mapping_names(tmp_path):
    """Windows GIS tools write cp1252 DBFs, often without a .cpg: the dash and the euro sign are not Latin-1."""
    frame = gpd.GeoDataFrame({"ID": ["S1"], "NAME": ["Nord – Süd"]}, geometry=[_square(0, 0)], crs=METRIC)
    folder = tmp_path / "shp"
    folder.mkdir()
    pyogrio.write_dataframe(frame, folder / "Gebiete.shp", encoding="cp1252")
    with zipfile.ZipFile(tmp_path / "teile.zip", "w") as archive:
        for part in folder.iterdir():
            if part.suffix != ".cpg":
                archive.write(part, part.name)
    section = _one_file("teile.zip")
    _, areas, _, report = _read(tmp_path, section, [STADTTEIL])
    assert report.ok and areas.set_index("area_id")["name"]["S1"] == "Nord \x96 Süd"
    assert "Namen mit Zeichen, die nach falscher Zeichenkodierung aussehen: Zeile 1" in report.lines()[0]
    section["files"][0]["encoding"] = "Windows-1252"
    _, areas, _, report = _read(tmp_path, section, [STADTTEIL])
    assert report.ok and areas.set_index("area_id")["name"]["S1"] == "Nord – Süd" and not report.findings


def test_a_file_outside_the_mappings_folder_is_not_read(tmp_path):
    _two_level_files(tmp_path)
    (tmp_path / "zuordnung").mkdir()
    said = _failed(tmp_path / "zuordnung", _one_file("../teile.geojson"), [STADTTEIL])
    assert "../teile.geojson: Die Datei liegt außerhalb des Ordners der Zuordnung" in said
