"""Display geometry from Flensburg's real polygons, which are not a clean coverage (see tests/data/flensburg/sozialatlas/SOURCE.md).

Both the GeoJSON (CRS84) and the original shapefiles (EPSG:25832) are read: the same city in two CRSs must come
out the same.
"""

import pandas as pd
import pytest
import shapely

from sozialdash import coverage, geo
from sozialdash.errors import DatasetError

from flensburg_data import FLENSBURG_SOURCES, flensburg_city


@pytest.fixture(scope="module", params=list(FLENSBURG_SOURCES))
def flensburg(request):
    finest, areas = flensburg_city(request.param)
    return finest, areas, geo.build_level_geometry(finest, areas)


def test_unclean_coverage_is_repaired_and_the_note_says_what_was_done(flensburg):
    finest, _, geometry = flensburg
    metric = finest.to_crs(geo.metric_crs(9.4)).values
    assert not shapely.coverage_is_valid(metric)
    assert (~shapely.is_valid(metric)).sum() == 2  # STBZ073 and STBZ122 cross themselves
    repair = geometry.repair
    assert repair.coverage and not repair.clean
    assert repair.made_valid == 2 and repair.overlaps > 0 and repair.gaps > 0
    note = geometry.simplification_note
    assert note.startswith("Abdeckung repariert: ")
    assert f"{repair.overlaps} Überlappungen ({coverage.square_metres(repair.overlap_m2)}) aufgelöst" in note
    assert f"{repair.gaps} Lücken ({coverage.square_metres(repair.gap_m2)}) geschlossen" in note
    assert "2 ungültige Flächen korrigiert" in note
    assert f"gemeinsam vereinfacht (Toleranz {round(geometry.tolerance_m)} m" in note


def test_repaired_finest_level_is_a_clean_coverage(flensburg):
    finest, _, geometry = flensburg
    repaired = geometry.full.reindex(finest.index).to_crs(geo.metric_crs(9.4)).values
    assert shapely.is_valid(repaired).all()
    assert shapely.coverage_is_valid(repaired)


def test_display_geometry_is_valid_smaller_and_covers_every_area(flensburg):
    _, areas, geometry = flensburg
    assert set(geometry.display.index) == set(areas["area_id"])
    assert geometry.display.is_valid.all()
    display_points = sum(len(shapely.get_coordinates(g)) for g in geometry.display.values)
    full_points = sum(len(shapely.get_coordinates(g)) for g in geometry.full.values)
    assert display_points * 3 < full_points


def test_city_area_matches_the_published_total(flensburg):
    """The Sozialatlas states 49.03 km² for the city (details.json summary)."""
    _, _, geometry = flensburg
    assert geometry.area_km2["FL"] == pytest.approx(49.03, rel=0.01)


def test_labels_lie_inside_their_area(flensburg):
    _, _, geometry = flensburg
    inside = [geometry.display[a].buffer(1e-4).contains(p) for a, p in geometry.label_points.items()]
    assert all(inside)


def test_both_sources_give_the_same_city():
    geojson = geo.build_level_geometry(*flensburg_city("geojson"))
    shapefile = geo.build_level_geometry(*flensburg_city("shapefile"))
    assert geojson.repair == shapefile.repair
    assert geojson.area_km2.to_dict() == pytest.approx(shapefile.area_km2.to_dict(), abs=1e-5)  # 10 m²


def test_the_whole_city_as_one_more_district_is_refused():
    finest, areas = flensburg_city("shapefile")
    city = shapely.union_all(shapely.make_valid(finest.values))
    finest = pd.concat([finest, finest.iloc[:1].set_axis(["STBZ999"]).map(lambda _: city)])
    areas = pd.concat([areas, pd.DataFrame([("STBZ999", "999 Ganz Flensburg", 2, "STGT01")], columns=areas.columns)])
    with pytest.raises(DatasetError, match=r"überlappen sich breit \(mehr als \d+ m\) und um mehr als 1 % der kleineren Fläche: ") as error:
        geo.build_level_geometry(finest, areas)
    message = str(error.value)
    assert "999 Ganz Flensburg" in message and "100 % der kleineren Fläche" in message
    assert "(und 36 weitere)" in message  # 41 pairs, five of them named
