"""Display geometry from Flensburg's real polygons, which are not a clean coverage (see shared SOURCE.md)."""

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from sozialdash import config, geo

FLENSBURG = config.PROJECT_ROOT.parent / "shared" / "data" / "flensburg" / "sozialatlas"
pytestmark = pytest.mark.skipif(not Path(FLENSBURG).exists(), reason="shared/ real data not beside this checkout")


@pytest.fixture(scope="module")
def flensburg():
    districts = gpd.read_file(FLENSBURG / "flensburg_stadtbezirke.geojson")
    parts = gpd.read_file(FLENSBURG / "flensburg_stadtteile.geojson")
    areas = pd.DataFrame(
        [("FL", "Flensburg", 0, None)]
        + [(r.AREA_ID, r.AREA_NAME, 1, "FL") for r in parts.itertuples()]
        + [(r.AREA_ID, r.AREA_NAME, 2, r.PARENT_ARE) for r in districts.itertuples()],
        columns=["area_id", "name", "level", "parent_id"],
    )
    finest = gpd.GeoSeries(districts.geometry.values, index=districts["AREA_ID"].values, crs=districts.crs)
    return finest, areas, geo.build_level_geometry(finest, areas)


def test_unclean_coverage_falls_back_and_says_so(flensburg):
    finest, _, geometry = flensburg
    assert not shapely.coverage_is_valid(finest.to_crs(geo.metric_crs(9.4)).values)
    assert geometry.simplification_note.startswith("Keine saubere Abdeckung")


def test_display_geometry_is_valid_smaller_and_covers_every_area(flensburg):
    _, areas, geometry = flensburg
    assert set(geometry.display.index) == set(areas["area_id"])
    assert geometry.display.is_valid.all()
    display_points = sum(len(shapely.get_coordinates(g)) for g in geometry.display.values)
    full_points = sum(len(shapely.get_coordinates(g)) for g in geometry.full.values)
    assert display_points * 4 < full_points


def test_city_area_matches_the_published_total(flensburg):
    """The Sozialatlas states 49.03 km² for the city (details.json summary)."""
    _, _, geometry = flensburg
    assert geometry.area_km2["FL"] == pytest.approx(49.03, rel=0.01)


def test_labels_lie_inside_their_area(flensburg):
    _, _, geometry = flensburg
    inside = [geometry.display[a].buffer(1e-4).contains(p) for a, p in geometry.label_points.items()]
    assert all(inside)
