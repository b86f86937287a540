"""Repair of non-clean finest polygons: generated coverages with injected defects, and Flensburg's real ones.

For every case and every level: no cracks (display holes never exceed full holes, no gaps or overlaps between
siblings, shared edges shared) and the display stays within the stated tolerance of the full geometry.
"""

import dataclasses

import numpy as np
import pandas as pd
import pytest
import shapely

from bench.coverage import cracks_and_overlaps, deviation, holes
from bench.synthetic import Defects, inject_defects, synthetic_geography
from flensburg_data import flensburg_city
from sozialdash import coverage, geo
from sozialdash.build import DatasetError, validate

CRACK_SHARE = 1e-4  # gaps and overlaps between siblings: at most 0.01 % of the level's area
GRID_METRES = geo.COORDINATE_GRID * 111_000  # the display's coordinate rounding, in metres (at most)


@pytest.fixture(scope="module")
def town():
    return synthetic_geography(30, np.random.default_rng(7))


def defective(town, defects: Defects, seed: int = 3):
    return inject_defects(town.polygons, np.random.default_rng(seed), defects)


CASES = ["flensburg-geojson", "flensburg-shapefile", "synthetic-all-defects", "synthetic-jitter", "synthetic-clean"]


@pytest.fixture(scope="module", params=CASES)
def case(request, town):
    name = request.param
    if name.startswith("flensburg"):
        finest, areas = flensburg_city(name.removeprefix("flensburg-"))
    else:
        kind = name.removeprefix("synthetic-")
        defects = {"all-defects": Defects(gaps=2, overlaps=2, jitter=2, self_touching=1, duplicated=1),
                   "jitter": Defects(jitter=6), "clean": Defects()}[kind]
        finest, areas = defective(town, defects), town.areas
    geometry = geo.build_level_geometry(finest, areas)
    metric = geo.metric_crs(float(geometry.full.total_bounds[[0, 2]].mean()))
    return areas, geometry, geometry.full.to_crs(metric), geometry.display.to_crs(metric)


def levels(areas):
    return sorted(areas["level"].unique())


def test_display_has_no_more_holes_than_the_full_geometry(case):
    areas, _, full, display = case
    for area_id in areas.loc[areas["level"] < areas["level"].max(), "area_id"]:
        assert holes([display[area_id]]) <= holes([full[area_id]]), area_id


def test_siblings_neither_crack_nor_overlap(case):
    areas, _, full, display = case
    for level in levels(areas):
        ids = areas.loc[areas["level"] == level, "area_id"]
        crack, overlap = cracks_and_overlaps(full[ids].values, display[ids].values)
        level_m2 = shapely.area(full[ids].values).sum()
        assert crack <= CRACK_SHARE * level_m2, (level, crack)
        assert overlap <= CRACK_SHARE * level_m2, (level, overlap)


def test_shared_edges_are_shared(case):
    """A clean coverage at every level (stored coordinates), and no union hole that the full level lacks."""
    areas, geometry, full, display = case
    for level in levels(areas):
        ids = areas.loc[areas["level"] == level, "area_id"]
        assert shapely.coverage_is_valid(geometry.display[ids].values), level
        assert holes([shapely.union_all(display[ids].values)]) <= holes([shapely.union_all(full[ids].values)])


def test_display_stays_within_the_pixel_tolerance(case):
    """1.5 px at full-city width on a 1920 px projector, plus the display's rounding of coordinates."""
    areas, geometry, full, display = case
    assert geometry.tolerance_m == pytest.approx(
        max(np.ptp(full.total_bounds[[0, 2]]), np.ptp(full.total_bounds[[1, 3]]))
        / geo.DISPLAY_WIDTH_PX * geo.TOLERANCE_PX, rel=0.02)
    for level in levels(areas):
        ids = areas.loc[areas["level"] == level, "area_id"]
        assert deviation(full[ids].values, display[ids].values) <= geometry.tolerance_m + GRID_METRES, level


def test_repaired_full_geometry_nests(case):
    areas, _, full, _ = case
    for parent, children in areas[areas["level"] > 0].groupby("parent_id")["area_id"]:
        union = shapely.union_all(full[children.to_list()].values)
        assert union.symmetric_difference(full[parent]).area <= 1e-6 * full[parent].area, parent


# --- what the note reports ------------------------------------------------------------------------------------


def test_clean_coverage_is_left_alone(town):
    geometry = geo.build_level_geometry(town.polygons, town.areas)
    assert geometry.simplification_note.startswith("Abdeckung sauber, keine Reparatur nötig; gemeinsam vereinfacht")
    full = geometry.full.to_crs(town.polygons.crs).reindex(town.polygons.index)
    assert shapely.area(full.values) == pytest.approx(shapely.area(town.polygons.values))


def test_gaps_are_closed_and_reported(town):
    broken = defective(town, Defects(gaps=2))
    cut = town.polygons.area.sum() - broken.area.sum()
    repair = geo.build_level_geometry(broken, town.areas)
    assert repair.repair.gaps == 2
    assert repair.repair.gap_m2 == pytest.approx(cut, rel=0.01)
    assert f"2 Lücken ({coverage.square_metres(repair.repair.gap_m2)}) geschlossen" in repair.simplification_note
    assert repair.area_km2["0"] == pytest.approx(town.polygons.area.sum() / 1e6, rel=1e-6)


def test_overlaps_are_resolved_and_reported(town):
    broken = defective(town, Defects(overlaps=2))
    claimed = broken.area.sum() - town.polygons.area.sum()
    geometry = geo.build_level_geometry(broken, town.areas)
    assert geometry.repair.overlaps == 2
    assert geometry.repair.overlap_m2 == pytest.approx(claimed, rel=0.01)
    assert geometry.simplification_note.startswith(
        f"Abdeckung repariert: 2 Überlappungen ({coverage.square_metres(geometry.repair.overlap_m2)}) aufgelöst")


def test_invalid_ring_is_made_valid_and_reported(town):
    broken = defective(town, Defects(self_touching=1))
    assert (~broken.is_valid).sum() == 1
    geometry = geo.build_level_geometry(broken, town.areas)
    assert geometry.repair.made_valid == 1
    assert "1 ungültige Fläche korrigiert" in geometry.simplification_note
    assert geometry.full.is_valid.all()


def test_duplicated_vertex_needs_no_repair(town):
    geometry = geo.build_level_geometry(defective(town, Defects(duplicated=1)), town.areas)
    assert geometry.repair.clean


def test_a_real_gap_stays_open(town):
    """A lake where three areas meet is no digitising error: it stays a hole at every level."""
    coords, index = shapely.get_coordinates(town.polygons.values, return_index=True)
    vertices = pd.DataFrame({"x": coords[:, 0], "y": coords[:, 1], "polygon": index})
    meeting = vertices.groupby(["x", "y"])["polygon"].nunique()
    lake = shapely.Point(meeting[meeting >= 3].index[0]).buffer(60)
    with_lake = town.polygons.map(lambda p: p.difference(lake))
    geometry = geo.build_level_geometry(with_lake, town.areas)
    city = geometry.full.to_crs(town.polygons.crs)["0"]
    assert holes([city]) == 1
    assert holes([geometry.display.to_crs(town.polygons.crs)["0"]]) == 1
    assert city.area == pytest.approx(town.polygons.area.sum() - lake.area, rel=1e-3)


def test_a_narrow_overlap_is_repaired_however_large_its_share(town):
    """A 3 m strip along a shared edge is a digitising error even where it is more than 1 % of a small area."""
    polygons = town.polygons.copy()
    small = polygons.area.idxmin()
    border = polygons.drop(small).map(lambda g: g.boundary.intersection(polygons[small].boundary).length)
    strip = polygons[small].buffer(3).intersection(polygons[border.idxmax()])
    assert strip.area / polygons[small].area > coverage.MAX_OVERLAP_SHARE  # the case the width rule is for
    polygons[small] = polygons[small].union(strip)
    geometry = geo.build_level_geometry(polygons, town.areas)
    assert geometry.repair.overlaps >= 1 and geometry.repair.coverage


# --- refusals -------------------------------------------------------------------------------------------------


def test_a_polygon_covering_its_neighbours_is_refused(town):
    polygons = town.polygons
    bezirk = town.areas.loc[town.areas["level"] == 1, "area_id"].iloc[0]
    covering = shapely.union_all(polygons.values[:4]).buffer(-1)
    finest = pd.concat([polygons, pd.Series([covering], index=["QX"]).pipe(lambda s: s.set_axis(["QX"]))])
    finest = type(polygons)(finest.values, index=finest.index, crs=polygons.crs)
    areas = pd.concat([town.areas, pd.DataFrame([("QX", "Großquartier", 2, bezirk)], columns=town.areas.columns)])
    with pytest.raises(DatasetError, match=r"^Flächen der feinsten Ebene überlappen sich breit \(mehr als \d+ m\) und "
                                           r"um mehr als 1 % der kleineren Fläche: .*Großquartier.*\. Eine Fläche, die "
                                           r"ihre Nachbarn") as error:
        geo.build_level_geometry(finest, areas)
    names = town.areas.set_index("area_id")["name"]
    assert all(names[a] in str(error.value) for a in polygons.index[:4])


def test_a_coarser_area_without_children_is_refused(demo_dataset):
    areas = demo_dataset.areas
    empty = pd.DataFrame([(f"9{i}", f"Leerbezirk {i}", 1, areas.loc[areas["level"] == 0, "area_id"].iloc[0])
                          for i in range(3)], columns=["area_id", "name", "level", "parent_id"])
    broken = dataclasses.replace(demo_dataset, areas=pd.concat([areas, empty], ignore_index=True))
    with pytest.raises(DatasetError, match=r"^Gebiete ohne Teilgebiete auf der feinsten Ebene: "
                                           r"Leerbezirk 0, Leerbezirk 1, Leerbezirk 2\.$"):
        validate(broken)


@pytest.mark.parametrize("shape", [shapely.Polygon(), shapely.LineString([(0, 0), (1, 1)]), None])
def test_an_area_without_a_polygon_is_refused(demo_dataset, shape):
    polygons = demo_dataset.polygons.copy()
    polygons.iloc[0] = shape
    name = demo_dataset.areas.set_index("area_id")["name"][polygons.index[0]]
    broken = dataclasses.replace(demo_dataset, polygons=polygons)
    with pytest.raises(DatasetError, match=rf"^Gebiete ohne Fläche \(Geometrie leer oder kein Polygon\): {name}\.$"):
        validate(broken)


def test_an_invalid_polygon_passes_validation_and_is_repaired(demo_dataset):
    polygons = demo_dataset.polygons.copy()
    ring = shapely.get_coordinates(polygons.iloc[0].exterior)
    swapped = ring.copy()
    swapped[[3, 4]] = ring[[4, 3]]  # two vertices in the wrong order: the ring crosses itself
    polygons.iloc[0] = shapely.Polygon(swapped)
    assert not polygons.iloc[0].is_valid
    broken = dataclasses.replace(demo_dataset, polygons=polygons)
    validate(broken)
    geometry = geo.build_level_geometry(broken.polygons, broken.areas)
    assert geometry.repair.made_valid == 1 and geometry.repair.coverage


def test_where_repair_fails_coarser_levels_come_from_the_full_geometry(town, monkeypatch):
    """Simulate an unrepairable coverage: the polygons come back as given, with cracks between them."""
    broken = defective(town, Defects(jitter=4))
    metric = broken.values

    def unrepaired(geoms, names, width):
        return coverage.make_polygonal(geoms)[0], coverage.Repair(gap_width_m=width, coverage=False, clean=False)

    monkeypatch.setattr(geo, "repair_coverage", unrepaired)
    geometry = geo.build_level_geometry(broken, town.areas)
    tolerance, width = round(geometry.tolerance_m), round(coverage.gap_width(geometry.tolerance_m))
    assert geometry.simplification_note.endswith(
        "danach noch keine saubere Abdeckung: Flächen einzeln vereinfacht, übergeordnete Ebenen aus der vollen "
        f"Geometrie (Toleranz {tolerance} m, Lücken bis {width} m Breite)")
    full = geometry.full.to_crs(broken.crs)
    display = geometry.display.to_crs(broken.crs)
    city = shapely.union_all(metric)
    assert full["0"].symmetric_difference(city).area <= 1e-6 * city.area
    assert deviation([full["0"]], [display["0"]]) <= geometry.tolerance_m + GRID_METRES
    for area_id in town.areas.loc[town.areas["level"] < 2, "area_id"]:
        assert holes([display[area_id]]) <= holes([full[area_id]]), area_id


def test_a_clean_area_enclosed_by_repaired_ones_is_left_alone(town):
    """A small round area on the border of two areas whose shared edge has a gap elsewhere: the repair works on
    the two areas' outlines, where the small area looks like a narrow gap, but it is an area and keeps its
    ground."""
    polygons = town.polygons
    left, right = next((i, j) for i, j in zip(*shapely.STRtree(polygons.values).query(polygons.values,
                                                                                        predicate="intersects"))
                       if i < j and polygons.values[i].intersection(polygons.values[j]).length > 600)
    border = shapely.line_merge(polygons.values[left].intersection(polygons.values[right]))
    border = max(shapely.get_parts(border), key=lambda g: g.length)
    circle = border.interpolate(0.1, normalized=True).buffer(4)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all(
        np.append(shapely.boundary(polygons.values), circle.exterior)))))
    inside = shapely.contains(circle.buffer(0.01), faces)
    owner = [-1 if ins else int(np.flatnonzero(shapely.contains(polygons.values, shapely.point_on_surface(f)))[0])
             for f, ins in zip(faces, inside)]
    rebuilt = [shapely.coverage_union_all(faces[np.array(owner) == k]) for k in range(len(polygons))]
    small = shapely.coverage_union_all(faces[inside])
    strip = shapely.ops.substring(border, border.length / 3, 2 * border.length / 3).buffer(2, cap_style="flat")
    rebuilt[left] = rebuilt[left].difference(strip)
    finest = type(polygons)(rebuilt + [small], index=[*polygons.index, "QX"], crs=polygons.crs)
    bezirk = town.areas.set_index("area_id")["parent_id"][polygons.index[left]]
    areas = pd.concat([town.areas, pd.DataFrame([("QX", "Rundling", 2, bezirk)], columns=town.areas.columns)])
    geometry = geo.build_level_geometry(finest, areas)
    assert geometry.repair.gaps == 1 and geometry.repair.coverage
    full = geometry.full.to_crs(polygons.crs)
    assert full["QX"].area == pytest.approx(small.area, rel=1e-3)
    assert full[polygons.index[left]].intersection(full["QX"]).area < 1e-3
