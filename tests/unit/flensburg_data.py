"""Flensburg's official polygons (tests/data, see its SOURCE.md) as a finest level and an area tree; a helper
module for the geometry tests (not a conftest: tests/conftest.py already claims that module name)."""

from __future__ import annotations


import geopandas as gpd
import pandas as pd

from tests.shaped import FLENSBURG_DIR

FLENSBURG = FLENSBURG_DIR
# The GeoJSON is in CRS84 (lon/lat), the original shapefiles (zipped) in EPSG:25832.
FLENSBURG_SOURCES = {
    "geojson": ("flensburg_stadtbezirke.geojson", "flensburg_stadtteile.geojson"),
    "shapefile": ("zip://flensburg_stadtbezirke.zip", "zip://flensburg_stadtteile.zip"),
}


def _read(name: str) -> gpd.GeoDataFrame:
    if name.startswith("zip://"):
        return gpd.read_file(f"zip://{FLENSBURG / name.removeprefix('zip://')}")
    return gpd.read_file(FLENSBURG / name)


def flensburg_city(source: str) -> tuple[gpd.GeoSeries, pd.DataFrame]:
    """Statistische Bezirke (finest) with their Stadtteile and the city on top, as the build expects them."""
    districts_file, parts_file = FLENSBURG_SOURCES[source]
    districts, parts = _read(districts_file), _read(parts_file)
    areas = pd.DataFrame(
        [("FL", "Flensburg", 0, None)]
        + [(r.AREA_ID, r.AREA_NAME, 1, "FL") for r in parts.itertuples()]
        + [(r.AREA_ID, r.AREA_NAME, 2, r.PARENT_ARE) for r in districts.itertuples()],
        columns=["area_id", "name", "level", "parent_id"],
    )
    finest = gpd.GeoSeries(districts.geometry.values, index=districts["AREA_ID"].values, crs=districts.crs)
    return finest, areas
