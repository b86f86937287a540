"""The fictional Musterstadt's map: Stadtteile that tile the city, grouped into contiguous Sozialräume.

Voronoi cells look like a textbook figure, so their edges are bent by one smooth displacement field and the
faces are rebuilt by polygonizing the noded linework. Every edge exists once as a line, which makes the
result a clean coverage by construction: shared borders, no gaps, no overlaps.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPoint, Point, Polygon

CRS = "EPSG:25832"
CENTRE = (431_500.0, 5_703_000.0)  # a made-up place in Westfalen; nothing here is a real city
STADTTEIL_COUNT = 28
SOZIALRAUM_COUNT = 6

STADTTEIL_NAMES = [
    "Lindenhof", "Mühlenfeld", "Am Hafen", "Schönblick", "Großheide", "Bärenkamp", "Eichenau", "Kirchberg",
    "Wiesental", "Nordstern", "Brückenviertel", "Rosenhügel", "Birkenweiler", "Sonnenhang", "Tannenbusch",
    "Weidenbruch", "Falkenried", "Kesselstadt", "Grünau", "Höhenblick", "Ulmenhof", "Steinbrück", "Fuchsberg",
    "Auenwinkel", "Gut Heidhof", "Buchenfeld", "Märkisch Viertel", "Ziegelei", "Lerchenfeld", "Drosselgrund",
]
DIRECTIONS = ["Ost", "Nordost", "Nord", "Nordwest", "West", "Südwest", "Süd", "Südost"]


@dataclass(frozen=True)
class Geography:
    """Polygons of the Stadtteile (EPSG:25832) and the area tree Stadt > Sozialraum > Stadtteil."""

    polygons: gpd.GeoSeries
    areas: pd.DataFrame
    levels: pd.DataFrame


def _outline(rng: np.random.Generator) -> Polygon:
    theta = np.linspace(0, 2 * np.pi, 720, endpoint=False)
    phases = rng.uniform(0, 2 * np.pi, 4)
    radius = 5_200 * (
        1 + 0.11 * np.sin(2 * theta + phases[0]) + 0.07 * np.sin(3 * theta + phases[1])
        + 0.04 * np.sin(5 * theta + phases[2]) + 0.02 * np.sin(9 * theta + phases[3])
    )
    return Polygon(np.column_stack([CENTRE[0] + 1.3 * radius * np.cos(theta), CENTRE[1] + radius * np.sin(theta)]))


def _seeds(outline: Polygon, rng: np.random.Generator) -> np.ndarray:
    """Best-candidate sampling, scaled so that inner-city Stadtteile come out smaller than outer ones."""
    minx, miny, maxx, maxy = outline.bounds
    points = np.empty((0, 2))
    while len(points) < STADTTEIL_COUNT:
        candidates = rng.uniform((minx, miny), (maxx, maxy), size=(40, 2))
        candidates = candidates[shapely.contains_xy(outline, candidates[:, 0], candidates[:, 1])]
        if not len(candidates):
            continue
        if not len(points):
            points = candidates[:1]
            continue
        gap = np.min(np.hypot(*(candidates[:, None, :] - points[None, :, :]).transpose(2, 0, 1)), axis=1)
        spacing = 1 + np.hypot(candidates[:, 0] - CENTRE[0], candidates[:, 1] - CENTRE[1]) / 3_000
        points = np.vstack([points, candidates[np.argmax(gap / spacing)]])
    return points


def _displace(coords: np.ndarray, phases: np.ndarray) -> np.ndarray:
    """A smooth, small displacement of the plane (slope well below 1, so nothing folds over)."""
    x = (coords[:, 0] - CENTRE[0]) / 1_000
    y = (coords[:, 1] - CENTRE[1]) / 1_000
    dx = 110 * np.sin(1.7 * y + phases[0]) + 60 * np.sin(3.1 * x + 2.3 * y + phases[1])
    dy = 110 * np.sin(1.9 * x + phases[2]) + 60 * np.sin(2.7 * y - 1.6 * x + phases[3])
    return coords + np.column_stack([dx, dy])


def _stadtteil_polygons(rng: np.random.Generator) -> tuple[list[Polygon], np.ndarray]:
    outline = _outline(rng)
    seeds = _seeds(outline, rng)
    cells = shapely.intersection(
        shapely.get_parts(shapely.voronoi_polygons(MultiPoint(seeds), extend_to=outline.buffer(3_000))), outline
    )
    edges = shapely.union_all(shapely.boundary(cells))
    phases = rng.uniform(0, 2 * np.pi, 4)
    linework = shapely.transform(shapely.segmentize(edges, 80), lambda c: _displace(c, phases))
    faces = [f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(linework))) if f.area > 1.0]
    moved_seeds = _displace(seeds, phases)
    ordered = []
    for sx, sy in moved_seeds:
        ordered.append(next(f for f in faces if f.contains(Point(sx, sy))))
    if len(faces) != len(ordered):
        raise RuntimeError("demo geometry: faces and seeds do not match")
    return ordered, moved_seeds


def _adjacency(polygons: list[Polygon]) -> list[set[int]]:
    neighbours: list[set[int]] = [set() for _ in polygons]
    for i, a in enumerate(polygons):
        for j in range(i + 1, len(polygons)):
            if a.intersection(polygons[j]).length > 1.0:
                neighbours[i].add(j)
                neighbours[j].add(i)
    return neighbours


def _sozialraeume(centres: np.ndarray, neighbours: list[set[int]]) -> np.ndarray:
    """Contiguous regions grown from one central and five outer Stadtteile, always feeding the smallest region."""
    distance = np.hypot(centres[:, 0] - CENTRE[0], centres[:, 1] - CENTRE[1])
    angle = np.arctan2(centres[:, 1] - CENTRE[1], centres[:, 0] - CENTRE[0])
    region = np.full(len(centres), -1)
    region[int(np.argmin(distance))] = 0
    outer = np.argsort(-distance)
    for r, target in enumerate(np.linspace(-np.pi, np.pi, SOZIALRAUM_COUNT - 1, endpoint=False), start=1):
        candidates = [i for i in outer[: len(outer) // 2] if region[i] == -1]
        pick = min(candidates, key=lambda i: abs(np.angle(np.exp(1j * (angle[i] - target)))))
        region[pick] = r
    while (region == -1).any():
        sizes = np.bincount(region[region >= 0], minlength=SOZIALRAUM_COUNT)
        for r in np.argsort(sizes, kind="stable"):
            frontier = {n for i in np.flatnonzero(region == r) for n in neighbours[i] if region[n] == -1}
            if frontier:
                members = centres[region == r].mean(axis=0)
                region[min(frontier, key=lambda n: np.hypot(*(centres[n] - members)))] = r
                break
        else:
            raise RuntimeError("demo geometry: a Stadtteil has no assigned neighbour")
    return region


def _direction_names(region_centres: np.ndarray) -> list[str]:
    names = ["Mitte"]
    free = list(DIRECTIONS)
    for x, y in region_centres[1:]:
        angle = np.degrees(np.arctan2(y - CENTRE[1], x - CENTRE[0])) % 360
        best = min(free, key=lambda d: abs(((DIRECTIONS.index(d) * 45 - angle) + 180) % 360 - 180))
        free.remove(best)
        names.append(best)
    return names


def generate_geography(rng: np.random.Generator) -> Geography:
    polygons, seeds = _stadtteil_polygons(rng)
    centres = np.array([[p.centroid.x, p.centroid.y] for p in polygons])
    region = _sozialraeume(centres, _adjacency(polygons))
    region_centres = np.array([centres[region == r].mean(axis=0) for r in range(SOZIALRAUM_COUNT)])
    region_names = _direction_names(region_centres)
    # Number Sozialräume clockwise from Mitte, as many cities do, and Stadtteile within them by distance.
    order = [0] + sorted(range(1, SOZIALRAUM_COUNT), key=lambda r: ["Nord", "Nordost", "Ost", "Südost", "Süd",
                                                                   "Südwest", "West", "Nordwest"].index(region_names[r]))
    names = list(rng.permutation(STADTTEIL_NAMES[1:]))
    centre_most = int(np.argmin(np.hypot(centres[:, 0] - CENTRE[0], centres[:, 1] - CENTRE[1])))
    rows = [{"area_id": "0", "name": "Musterstadt", "level": 0, "parent_id": None}]
    geometry = {}
    for number, r in enumerate(order, start=1):
        sr_id = str(number)
        rows.append({"area_id": sr_id, "name": region_names[r], "level": 1, "parent_id": "0"})
        members = np.flatnonzero(region == r)
        members = members[np.argsort(np.hypot(*(centres[members] - region_centres[r]).T))]
        for k, i in enumerate(members, start=1):
            name = "Altstadt" if i == centre_most else names.pop(0)
            st_id = f"{number}{k:02d}"
            rows.append({"area_id": st_id, "name": name, "level": 2, "parent_id": sr_id})
            geometry[st_id] = polygons[i]
    areas = pd.DataFrame(rows)
    finest = areas.loc[areas["level"] == 2, "area_id"]
    levels = pd.DataFrame(
        [(0, "stadt", "Stadt", "Stadt"), (1, "sozialraum", "Sozialraum", "Sozialräume"),
         (2, "stadtteil", "Stadtteil", "Stadtteile")],
        columns=["level", "key", "label", "label_plural"],
    )
    return Geography(
        polygons=gpd.GeoSeries([geometry[a] for a in finest], index=finest.values, crs=CRS),
        areas=areas,
        levels=levels,
    )
