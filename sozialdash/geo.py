"""Geometry for the store: repaired full outlines and nested display outlines for every level.

Official polygons are never a clean coverage: neighbours disagree by centimetres to a few metres, leaving
slivers of overlap and hairline gaps, and a ring or two crosses itself. Simplifying such polygons one by one
and uniting the results cracks every coarser area with hairline holes, so the finest level is first repaired
into a clean coverage (in a metric CRS), then simplified once as a coverage, and every coarser level is the
coverage union of its children: of the repaired full children for exports and point-in-polygon, of the
simplified children for display, so outlines nest exactly and shared edges stay shared.

How the repair works is in ``coverage``.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.ops import polylabel

from sozialdash.coverage import Repair, describe, gap_width, repair_coverage

WGS84 = "EPSG:4326"
DISPLAY_WIDTH_PX = 1920
TOLERANCE_PX = 1.5
COORDINATE_GRID = 1e-5  # degrees, about a metre: more digits only cost bytes

SIMPLIFY_ATTEMPTS = 3       # coverage simplification with the tolerance, its half and its quarter


def metric_crs(lon: float) -> str:
    """ETRS89 / UTM for the zone the city lies in (EPSG:25832 for most of Germany)."""
    zone = int((lon + 180) // 6) + 1
    return f"EPSG:{25800 + zone}"


def display_tolerance(metric: gpd.GeoSeries) -> float:
    """1.5 projector pixels at full-city width, in metres."""
    minx, miny, maxx, maxy = metric.total_bounds
    return max(maxx - minx, maxy - miny) / DISPLAY_WIDTH_PX * TOLERANCE_PX


@dataclass(frozen=True)
class LevelGeometry:
    """Full (repaired) and display geometry (EPSG:4326) for all areas, indexed by area_id."""

    full: gpd.GeoSeries
    display: gpd.GeoSeries
    area_km2: pd.Series
    label_points: gpd.GeoSeries
    simplification_note: str
    repair: Repair
    tolerance_m: float


# --- simplification -------------------------------------------------------------------------------------------

def _filled(geoms: np.ndarray) -> np.ndarray:
    """Outer rings only: simplification may drop a hole of a few square metres, which is no visible deviation."""
    parts, index = shapely.get_parts(geoms, return_index=True)
    return shapely.multipolygons(shapely.polygons(shapely.get_exterior_ring(parts)), indices=index)


def _exceeds(full: np.ndarray, simplified: np.ndarray, tolerance: float) -> bool:
    """Does any simplified area stray further than ``tolerance`` from its full area (Hausdorff distance of the
    areas, at their vertices)? The Hausdorff distance of the outlines bounds it from above and is fast; only
    areas above the tolerance by that measure are checked point by point (a filled inlet narrower than a pixel
    moves the outline far, the area hardly)."""
    suspect = shapely.hausdorff_distance(shapely.boundary(full), shapely.boundary(simplified)) > tolerance
    for one, other in ((full[suspect], simplified[suspect]), (simplified[suspect], full[suspect])):
        coords, index = shapely.get_coordinates(one, return_index=True)
        if len(coords) and shapely.distance(shapely.points(coords), other[index]).max() > tolerance:
            return True
    return False


def simplify_within(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify a clean coverage so that no area strays further than ``tolerance`` from its full geometry.

    ``coverage_simplify`` is Visvalingam–Whyatt: its tolerance is the square root of the triangle areas it
    removes, not a distance, so a long narrow pier can vanish although it reaches far beyond the tolerance
    (Flensburg's harbour: 65 m at a tolerance of 8 m). The tolerance is halved until every area stays within
    ``tolerance``, at most ``SIMPLIFY_ATTEMPTS`` times.
    """
    full = _filled(geoms)
    for attempt in range(SIMPLIFY_ATTEMPTS):
        simplified = shapely.coverage_simplify(geoms, tolerance / 2 ** attempt)
        if not _exceeds(full, _filled(simplified), tolerance):
            break
    return simplified


# --- levels ---------------------------------------------------------------------------------------------------

def _union_upwards(finest: gpd.GeoSeries, areas: pd.DataFrame, union) -> gpd.GeoSeries:
    """Geometry of every area: the finest level as given, each parent as the union of its children."""
    geometry = dict(finest.items())
    for level in sorted(areas["level"].unique(), reverse=True)[1:]:
        for area_id in areas.loc[areas["level"] == level, "area_id"]:
            children = areas.loc[areas["parent_id"] == area_id, "area_id"]
            geometry[area_id] = union([geometry[c] for c in children])
    return gpd.GeoSeries([geometry[a] for a in areas["area_id"]], index=areas["area_id"].values, crs=finest.crs)


def build_level_geometry(finest: gpd.GeoSeries, areas: pd.DataFrame) -> LevelGeometry:
    """All geometry the store needs, from the finest level's polygons (any CRS) and the area hierarchy."""
    minx, _, maxx, _ = gpd.GeoSeries([shapely.box(*finest.total_bounds)], crs=finest.crs).to_crs(WGS84).total_bounds
    metric = finest.to_crs(metric_crs((minx + maxx) / 2))
    tolerance = display_tolerance(metric)
    names = areas.set_index("area_id")["name"].reindex(metric.index).to_numpy()
    repaired, repair = repair_coverage(metric.values, names, gap_width(tolerance))
    repaired = gpd.GeoSeries(repaired, index=metric.index, crs=metric.crs)
    if repair.coverage:
        simplified = gpd.GeoSeries(simplify_within(repaired.values, tolerance), index=metric.index,
                                   crs=metric.crs)
        full_metric = _union_upwards(repaired, areas, shapely.coverage_union_all)
        display_metric = _union_upwards(simplified, areas, shapely.coverage_union_all)
    else:
        full_metric = _union_upwards(repaired, areas, shapely.union_all)
        display_metric = gpd.GeoSeries(shapely.simplify(full_metric.values, tolerance, preserve_topology=True),
                                       index=full_metric.index, crs=full_metric.crs)
    labels = gpd.GeoSeries(
        [polylabel(_largest_part(g), tolerance=10.0) for g in display_metric.values],
        index=display_metric.index,
        crs=display_metric.crs,
    )
    display = shapely.set_precision(display_metric.to_crs(WGS84).values, COORDINATE_GRID)
    return LevelGeometry(
        full=full_metric.to_crs(WGS84),
        display=gpd.GeoSeries(display, index=display_metric.index, crs=WGS84),
        area_km2=full_metric.area / 1e6,
        label_points=labels.to_crs(WGS84),
        simplification_note=describe(repair, tolerance),
        repair=repair,
        tolerance_m=tolerance,
    )


def _largest_part(geometry):
    if geometry.geom_type == "MultiPolygon":
        return max(geometry.geoms, key=lambda part: part.area)
    return geometry


def to_wkb(geometries: gpd.GeoSeries) -> list[bytes]:
    return [shapely.to_wkb(g) for g in geometries.values]

