"""Measures of a level's outlines that the geometry tests assert and the bench prints.

All take arrays of polygons in a metric CRS: holes (interior rings), the cracks and overlaps between the
polygons of one level, and how far a display outline strays from the full one.
"""

from __future__ import annotations

import numpy as np
import shapely


def holes(geoms) -> int:
    """Interior rings over all polygons: a crack inside an area shows up as one more."""
    return int(shapely.get_num_interior_rings(shapely.get_parts(np.asarray(geoms, dtype=object))).sum())


def _hole_area(geometry) -> float:
    parts = shapely.get_parts(geometry)
    return float(shapely.area(shapely.polygons(shapely.get_exterior_ring(parts))).sum() - shapely.area(parts).sum())


def cracks_and_overlaps(full, display) -> tuple[float, float]:
    """m² of gaps between the display polygons that the full ones do not have, and m² they overlap by."""
    full, display = np.asarray(full, dtype=object), np.asarray(display, dtype=object)
    union = shapely.union_all(display)
    overlap = float(shapely.area(display).sum() - shapely.area(union))
    crack = _hole_area(union) - _hole_area(shapely.union_all(full))
    return max(crack, 0.0), overlap


def _filled(geoms) -> np.ndarray:
    parts, index = shapely.get_parts(geoms, return_index=True)
    return shapely.multipolygons(shapely.polygons(shapely.get_exterior_ring(parts)), indices=index)


def deviation(full, display, step: float = 2.0) -> float:
    """The largest distance, in metres, from a point on one outline to the other area (holes ignored: a hole
    of a few square metres may vanish), sampled every ``step`` metres along both outlines."""
    full, display = _filled(np.asarray(full, dtype=object)), _filled(np.asarray(display, dtype=object))
    worst = 0.0
    for outline, other in ((full, display), (display, full)):
        coords, index = shapely.get_coordinates(shapely.segmentize(shapely.boundary(outline), step),
                                                return_index=True)
        worst = max(worst, float(shapely.distance(shapely.points(coords), other[index]).max()))
    return worst
