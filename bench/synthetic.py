"""Synthetic cities of any size for benchmarks: a ``Dataset`` with the demo's catalogue but no hand-tuned map.

Geography: Poisson-random seed points in a square around (430 000, 5 700 000) in EPSG:25832, sized so that the
finest areas (Quartiere) average ``MEAN_AREA_KM2``; their Voronoi cells are clipped to the square, the cell edges
are noded once, densified every ``SEGMENT_M`` metres and bent by a smooth displacement field (so boundaries carry
as many vertices as real cadastral outlines do, which is what display simplification is for), then polygonized.
Every edge exists once as a line, so the result is a clean coverage by construction. Quartiere are grouped into
Bezirke by k-means on their centroids, with stray pieces moved to a neighbouring Bezirk until each Bezirk is
contiguous; one Stadt sits on top.

Values: a spatially smooth deprivation score from coordinates (sums of random Gaussian bumps, O(N) instead of the
demo's O(N²) neighbour search), the demo's ``population()`` model rescaled to a random population per area, and the
demo's vectorised ``generate_values()``. Institutions: random points inside areas chosen in proportion to the
population group each category serves, every ``INSTITUTION_COLUMNS`` field filled, and the demo's pairing of
categories with the indicators that count those groups (for the categories drawn).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from scipy.cluster.vq import kmeans2
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
import shapely.ops
from shapely.geometry import MultiPoint, box

from sozialdash.dataset import INSTITUTION_COLUMNS, Dataset, DatasetMeta
from sozialdash.demo import indicator_table, relation_table, supply_target_table, topic_table
from sozialdash.demo.catalogue import LAST_YEAR
from sozialdash.demo.institutions import CATEGORIES, LANGUAGES, NAMES, STREETS
from sozialdash.demo.values import generate_values, population

CRS = "EPSG:25832"
CENTRE = (430_000.0, 5_700_000.0)
MEAN_AREA_KM2 = 1.5          # Voronoi cells then range from about 0.3 to 4 km²
SEGMENT_M = 12.0             # vertex spacing of the full geometry before bending
AREAS_PER_BEZIRK = 20
MIN_BEZIRKE = 5
SMALL_AREA_SHARE = 0.02      # villages and industrial estates: the small counts suppression has to catch
CITY = "Beispielstadt"

# (amplitude m, wavelength m): a gentle sweep, street-scale bends and small kinks. The summed slope stays well
# below 1, so the displacement never folds an edge over another one.
WAVES = [(100.0, 3_000.0), (15.0, 400.0), (2.0, 60.0)]

STEMS = ["Linden", "Eichen", "Birken", "Mühlen", "Rosen", "Buchen", "Tannen", "Weiden", "Erlen", "Ahorn",
         "Kastanien", "Falken", "Lerchen", "Finken", "Bären", "Fuchs", "Hasen", "Wolfs", "Kirch", "Schloss",
         "Burg", "Brunnen", "Stein", "Sand", "Heide", "Moor", "Wiesen", "Sonnen", "Grün", "Schön", "Hoch", "Tief",
         "Alt", "Neu", "Ober", "Unter", "Kreuz", "Marien", "Johannis", "Georgs", "Bach", "See", "Holz", "Roggen",
         "Hafer", "Gersten", "Ziegel", "Kalk", "Hütten", "Glas"]
SUFFIXES = ["hof", "feld", "au", "berg", "dorf", "heide", "bruch", "kamp", "winkel", "grund", "tal", "hagen",
            "brück", "höhe", "wald", "busch", "horst", "stedt", "hausen", "weiler", "viertel", "garten", "mark",
            "ried"]
QUALIFIERS = ["", " Nord", " Süd", " Ost", " West", " Mitte", " I", " II", " III", " IV", " V", " VI"]


@dataclass(frozen=True)
class Scale:
    name: str
    areas: int          # finest areas (Quartiere)
    institutions: int


SCALES = {
    "small": Scale("small", 30, 600),
    "medium": Scale("medium", 550, 10_000),
    "large": Scale("large", 10_000, 100_000),
}


# --- geography ------------------------------------------------------------------------------------------------

def _displacement(rng: np.random.Generator):
    """A smooth bending of the plane, a function of position only: shared vertices move identically."""
    waves = []
    for amplitude, wavelength in WAVES:
        for _component in range(2):
            angle = rng.uniform(0, 2 * np.pi)
            k = 2 * np.pi / wavelength * np.array([np.cos(angle), np.sin(angle)])
            waves.append((amplitude, k, rng.uniform(0, 2 * np.pi)))

    def displace(coords: np.ndarray) -> np.ndarray:
        xy = coords - np.array(CENTRE)
        dx = sum(a * np.sin(xy @ k + p) for a, k, p in waves[0::2])
        dy = sum(a * np.sin(xy @ k + p) for a, k, p in waves[1::2])
        return coords + np.column_stack([dx, dy])

    return displace


def quartier_polygons(n: int, rng: np.random.Generator) -> np.ndarray:
    """About ``n`` polygons (EPSG:25832) that tile a square city exactly."""
    side = np.sqrt(n * MEAN_AREA_KM2) * 1_000
    x0, y0 = CENTRE[0] - side / 2, CENTRE[1] - side / 2
    square = box(x0, y0, x0 + side, y0 + side)
    seeds = rng.uniform((x0, y0), (x0 + side, y0 + side), size=(n, 2))
    cells = shapely.intersection(
        shapely.get_parts(shapely.voronoi_polygons(MultiPoint(seeds), extend_to=square.buffer(side / 10))), square
    )
    edges = shapely.get_parts(shapely.union_all(shapely.boundary(cells)))  # noded: every edge once
    linework = shapely.transform(shapely.segmentize(edges, SEGMENT_M), _displacement(rng))
    faces = shapely.get_parts(shapely.polygonize(linework))
    return faces[shapely.area(faces) > 1.0]


def _neighbour_pairs(polygons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both directions of every pair of touching polygons."""
    left, right = shapely.STRtree(polygons).query(polygons, predicate="intersects")
    keep = left != right
    return left[keep], right[keep]


def _contiguous(label: np.ndarray, left: np.ndarray, right: np.ndarray, max_rounds: int = 50) -> np.ndarray:
    """Move every piece of a group that is cut off from the group's largest piece to a neighbouring group."""
    label = label.copy()
    n = len(label)
    for _ in range(max_rounds):
        same = label[left] == label[right]
        graph = coo_matrix((np.ones(same.sum()), (left[same], right[same])), shape=(n, n))
        _, component = connected_components(graph, directed=False)
        sizes = pd.DataFrame({"label": label, "component": component}).value_counts()
        main = sizes.reset_index().drop_duplicates("label").set_index("label")["component"]  # largest first
        stray = component != main.reindex(label).to_numpy()
        if not stray.any():
            break
        border = stray[left] & (component[left] != component[right])
        target = pd.Series(label[right[border]]).groupby(component[left[border]]).first()
        movable = stray & np.isin(component, target.index)
        label[movable] = target.reindex(component[movable]).to_numpy()
    return label


def _names(count: int, rng: np.random.Generator) -> list[str]:
    combos = [s + x for s in STEMS for x in SUFFIXES]
    names = [c + q for q in QUALIFIERS for c in rng.permutation(combos)]
    if count > len(names):
        names += [f"Gebiet {i}" for i in range(len(names), count)]
    return names[:count]


@dataclass(frozen=True)
class Geography:
    polygons: gpd.GeoSeries   # finest level, EPSG:25832, indexed by area_id
    areas: pd.DataFrame
    levels: pd.DataFrame
    bezirk_of: np.ndarray     # index of each finest area's Bezirk, aligned with polygons


def synthetic_geography(n: int, rng: np.random.Generator) -> Geography:
    faces = quartier_polygons(n, rng)
    centres = shapely.get_coordinates(shapely.centroid(faces))
    k = max(MIN_BEZIRKE, round(len(faces) / AREAS_PER_BEZIRK))
    _, label = kmeans2(centres, k, minit="++", rng=rng)
    label = _contiguous(label, *_neighbour_pairs(faces))
    # Number Bezirke from north-west to south-east in 5 km bands, Quartiere within a Bezirk likewise.
    used = np.unique(label)
    bezirk_centre = np.array([centres[label == b].mean(axis=0) for b in used])
    bezirk_order = used[np.lexsort((bezirk_centre[:, 0], -(bezirk_centre[:, 1] // 5_000)))]
    rank = np.empty(label.max() + 1, dtype=int)
    rank[bezirk_order] = np.arange(len(bezirk_order))
    bezirk = rank[label]
    order = np.lexsort((centres[:, 0], -(centres[:, 1] // 1_000), bezirk))
    faces, bezirk = faces[order], bezirk[order]
    names = _names(len(bezirk_order) + len(faces), rng)
    bezirk_ids = [f"B{b + 1:03d}" for b in range(len(bezirk_order))]
    quartier_ids = [f"Q{i + 1:05d}" for i in range(len(faces))]
    areas = pd.DataFrame(
        [{"area_id": "0", "name": CITY, "level": 0, "parent_id": None}]
        + [{"area_id": b, "name": names[i], "level": 1, "parent_id": "0"} for i, b in enumerate(bezirk_ids)]
        + [{"area_id": q, "name": names[len(bezirk_ids) + i], "level": 2, "parent_id": bezirk_ids[bezirk[i]]}
           for i, q in enumerate(quartier_ids)]
    )
    levels = pd.DataFrame(
        [(0, "stadt", "Stadt", "Stadt"), (1, "bezirk", "Bezirk", "Bezirke"), (2, "quartier", "Quartier", "Quartiere")],
        columns=["level", "key", "label", "label_plural"],
    )
    return Geography(gpd.GeoSeries(faces, index=quartier_ids, crs=CRS), areas, levels, bezirk)


# --- defects ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Defects:
    """How many of each defect real cities' polygons show to put into a clean synthetic coverage."""

    gaps: int = 0            # a strip 1–3 m wide cut from one side of a shared edge
    overlaps: int = 0        # a strip 1–3 m wide of a neighbour claimed by one side
    jitter: int = 0          # every vertex of a polygon moved by a few decimetres (independent digitising)
    self_touching: int = 0   # a ring that runs into a notch and back through the same vertex: invalid
    duplicated: int = 0      # a vertex repeated

    @classmethod
    def typical(cls, areas: int) -> Defects:
        """About one defect per six areas, at least one of each kind."""
        n = max(1, areas // 20)
        return cls(gaps=n, overlaps=n, jitter=n, self_touching=max(1, n // 4), duplicated=max(1, n // 4))


def _shared_pieces(polygons: np.ndarray, rng: np.random.Generator) -> list[tuple[int, int, shapely.Geometry]]:
    """Neighbour pairs in random order, each with the middle third of its longest shared edge."""
    left, right = _neighbour_pairs(polygons)
    once = left < right
    left, right = left[once], right[once]
    order = rng.permutation(len(left))
    pieces = []
    for i, j in zip(left[order], right[order]):
        shared = shapely.line_merge(shapely.intersection(shapely.boundary(polygons[i]), shapely.boundary(polygons[j])))
        lines = [g for g in shapely.get_parts(shared) if g.geom_type == "LineString"]
        if not lines:
            continue
        line = max(lines, key=lambda g: g.length)
        if line.length > 150:
            pieces.append((int(i), int(j), shapely.ops.substring(line, line.length / 3, 2 * line.length / 3)))
    return pieces


def _notched(polygon: shapely.Polygon, rng: np.random.Generator) -> shapely.Polygon:
    """The outer ring runs from a vertex into a small triangular notch and back through the same vertex."""
    ring = shapely.get_coordinates(polygon.exterior)[:-1]
    centre = np.array(polygon.centroid.coords[0])
    for k in rng.permutation(len(ring)):
        v = ring[k]
        inward = (centre - v) / np.linalg.norm(centre - v)
        side = np.array([-inward[1], inward[0]])
        notch = [v + 20 * inward + 6 * side, v + 20 * inward - 6 * side]
        if shapely.contains(polygon, shapely.Polygon([v, *notch]).buffer(-0.5)):
            coords = [*ring[:k + 1], *notch, v, *ring[k + 1:]]
            return shapely.Polygon(coords, [i.coords for i in polygon.interiors])
    return polygon


def inject_defects(polygons: gpd.GeoSeries, rng: np.random.Generator,
                   defects: Defects | None = None) -> gpd.GeoSeries:
    """``polygons`` (a clean coverage in a metric CRS) with the defects real cities' polygons have (by default
    ``Defects.typical``), each on other polygons so that every defect stays separate."""
    defects = defects or Defects.typical(len(polygons))
    geoms = polygons.values.copy()
    used: set[int] = set()
    pieces = _shared_pieces(geoms, rng)
    for kind, count in (("gap", defects.gaps), ("overlap", defects.overlaps)):
        done = 0
        for i, j, piece in pieces:
            if done == count:
                break
            if i in used or j in used:
                continue
            strip = piece.buffer(rng.uniform(1.0, 3.0), cap_style="flat")
            geoms[i] = geoms[i].difference(strip) if kind == "gap" else geoms[i].union(strip.intersection(geoms[j]))
            used |= {i, j}
            done += 1
    free = [k for k in rng.permutation(len(geoms)) if k not in used]
    take = iter(free)
    for _ in range(defects.jitter):
        k = next(take)
        phase = rng.uniform(0, 2 * np.pi, 2)  # noise from position alone keeps every ring closed
        geoms[k] = shapely.transform(geoms[k], lambda xy, p=phase: xy + 0.3 * np.sin(xy[:, ::-1] * 1.7 + p))
    for _ in range(defects.self_touching):
        k = next(take)
        geoms[k] = _notched(geoms[k], rng)
    for _ in range(defects.duplicated):
        k = next(take)
        ring = shapely.get_coordinates(geoms[k].exterior)
        geoms[k] = shapely.Polygon(np.insert(ring, len(ring) // 2, ring[len(ring) // 2], axis=0),
                                   [i.coords for i in geoms[k].interiors])
    return gpd.GeoSeries(geoms, index=polygons.index, crs=polygons.crs)


# --- values ---------------------------------------------------------------------------------------------------

def smooth_deprivation(polygons: gpd.GeoSeries, rng: np.random.Generator) -> np.ndarray:
    """A standardised, spatially smooth score from coordinates alone: random Gaussian bumps, a gradient, noise."""
    centres = np.column_stack([polygons.centroid.x, polygons.centroid.y])
    minx, miny, maxx, maxy = polygons.total_bounds
    bumps = max(3, round((maxx - minx) * (maxy - miny) / 60e6))
    bump_centres = rng.uniform((minx, miny), (maxx, maxy), size=(bumps, 2))
    sigma = rng.uniform(1_500, 5_000, bumps)
    height = rng.normal(0, 1, bumps)
    raw = np.zeros(len(centres))
    for start in range(0, bumps, 64):  # blocks keep the (areas × bumps) matrix small
        part = slice(start, start + 64)
        distance2 = ((centres[:, None, :] - bump_centres[None, part, :]) ** 2).sum(axis=2)
        raw += (height[part] * np.exp(-distance2 / (2 * sigma[part] ** 2))).sum(axis=1)
    direction = rng.normal(size=2)
    raw += (centres - centres.mean(axis=0)) @ (direction / np.linalg.norm(direction)) / max(maxx - minx, 1) \
        + rng.normal(0, 0.35, len(centres))
    return (raw - raw.mean()) / raw.std()


def population_groups(polygons: gpd.GeoSeries, d: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The demo's age and household model, rescaled to a random population per area.

    The demo's density falls off within a few kilometres of one centre, which would leave a large synthetic city
    almost empty; here each area gets ``area × density`` with a log-normal density around 2,800 per km² that rises
    with deprivation, and a few areas get only a few hundred people. Rounding a scaled group is monotone, so a
    part never exceeds its whole; the groups the demo declares as exact sums (``RELATIONS``) are summed again
    after rounding, so that they still add up, and the 6- to under-10-year-olds are capped so that with the
    under-6s they stay within the under-15s.
    """
    groups = population(polygons, d, rng)
    n = len(polygons)
    density = 2_800 * np.exp(0.3 * d + rng.normal(0, 0.45, n))
    target = polygons.area.to_numpy() / 1e6 * density
    small = rng.random(n) < SMALL_AREA_SHARE
    target[small] = rng.uniform(60, 900, small.sum())
    factor = np.maximum(target, 50) / np.maximum(groups["pop"][:, 0], 1)
    scaled = {key: np.rint(values * factor[:, None]) for key, values in groups.items()}
    scaled["p18_64"] = scaled["pop"] - scaled["p0_17"] - scaled["p65plus"]
    scaled["p0_64"] = scaled["p0_17"] + scaled["p18_64"]
    scaled["p6_9"] = np.minimum(scaled["p6_9"], scaled["p0_14"] - scaled["p0_5"])
    scaled["p10_20"] = scaled["p0_20"] - scaled["p0_5"] - scaled["p6_9"]
    return scaled


# --- institutions ---------------------------------------------------------------------------------------------

def _points_in(polygons: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One uniform point inside each of ``polygons`` (rejection sampling from their bounding boxes, vectorised)."""
    bounds = shapely.bounds(polygons)
    points = np.empty((len(polygons), 2))
    pending = np.arange(len(polygons))
    while len(pending):
        b = bounds[pending]
        xy = rng.uniform(b[:, :2], b[:, 2:])
        inside = shapely.contains_xy(polygons[pending], xy[:, 0], xy[:, 1])
        points[pending[inside]] = xy[inside]
        pending = pending[~inside]
    return points


def synthetic_institutions(count: int, geography: Geography, groups: dict[str, np.ndarray], d: np.ndarray,
                           rng: np.random.Generator) -> pd.DataFrame:
    """``count`` institutions with every HSDS-style field; categories in the demo's proportions."""
    polygons = geography.polygons
    centres = np.column_stack([polygons.centroid.x, polygons.centroid.y])
    centrality = np.exp(-np.hypot(*(centres - centres.mean(axis=0)).T) / 4_000)
    weights = np.array([c.per_person * groups[c.target_group][:, -1].sum() for c in CATEGORIES])
    category_ix = rng.choice(len(CATEGORIES), size=count, p=weights / weights.sum())
    area_ix = np.empty(count, dtype=int)
    for c, category in enumerate(CATEGORIES):
        rows = np.flatnonzero(category_ix == c)
        demand = groups[category.target_group][:, -1] * ((0.3 + 3.0 * centrality) if category.central else 1.0)
        area_ix[rows] = rng.choice(len(polygons), size=len(rows), p=demand / demand.sum())
    xy = _points_in(polygons.values[area_ix], rng)
    lon, lat = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True).transform(xy[:, 0], xy[:, 1])

    categories = [CATEGORIES[c] for c in category_ix]
    area_names = geography.areas.set_index("area_id")["name"]
    names = [f"{cat.prefix} {label}" for cat, label in zip(categories, rng.choice(NAMES, count))]
    slugs = [f"{''.join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())}-{i}"
             for i, name in enumerate(names)]
    organisations = [str(cat.organisations[int(u * len(cat.organisations))]).replace("Musterstadt", CITY)
                     for cat, u in zip(categories, rng.random(count))]
    extra = np.minimum(rng.poisson(0.6 + 0.8 * np.clip(d[area_ix], 0, None)), len(LANGUAGES))
    languages = [["Deutsch", *sorted(str(x) for x in rng.choice(LANGUAGES, size=e, replace=False))]
                 for e in extra]
    low = np.array([c.capacity[0] if c.capacity else 0 for c in categories])
    high = np.array([c.capacity[1] if c.capacity else 1 for c in categories])
    has_capacity = np.array([c.capacity is not None for c in categories])
    capacity = np.where(has_capacity, rng.integers(low, high), np.nan)
    area_ids = polygons.index.values[area_ix]
    frame = pd.DataFrame({
        "institution_id": [f"E{i:06d}" for i in range(1, count + 1)],
        "name": names,
        "organisation": organisations,
        "categories": [[c.label] for c in categories],
        "target_groups": [list(c.target_groups) for c in categories],
        "age_min": pd.array([c.age[0] for c in categories], dtype="Int64"),
        "age_max": pd.array([c.age[1] for c in categories], dtype="Int64"),
        "languages": languages,
        "barrier_free": rng.random(count) < 0.6,
        "street": [f"{s} {n}" for s, n in zip(rng.choice(STREETS, count), rng.integers(1, 120, count))],
        "postal_code": [f"{98000 + b:05d}" for b in geography.bezirk_of[area_ix]],
        "city": CITY,
        "phone": [f"09999 {a}-{b}" for a, b in zip(rng.integers(100, 999, count), rng.integers(10, 99, count))],
        "email": [f"kontakt@{s}.example" for s in slugs],
        "website": [f"https://{s}.example" for s in slugs],
        "opening_hours": [c.hours for c in categories],
        "capacity": pd.array(capacity, dtype="Int64"),
        "description": [f"{c.label} in {area_names[a]}. Synthetischer Benchmark-Eintrag."
                        for c, a in zip(categories, area_ids)],
        "last_checked": [date(2025, 1, 15) + timedelta(days=int(x)) for x in rng.integers(0, 300, count)],
        "lon": lon,
        "lat": lat,
    })
    return frame[INSTITUTION_COLUMNS]


# --- the dataset ----------------------------------------------------------------------------------------------

def synthetic_dataset(areas: int, institutions: int, seed: int = 2025) -> Dataset:
    """A city with about ``areas`` Quartiere and exactly ``institutions`` institutions; same seed, same city."""
    rng = np.random.default_rng(seed)
    geography = synthetic_geography(areas, rng)
    polygons = geography.polygons
    d = smooth_deprivation(polygons, rng)
    groups = population_groups(polygons, d, rng)
    institution_rows = synthetic_institutions(institutions, geography, groups, d, rng)
    targets = supply_target_table()
    return Dataset(
        meta=DatasetMeta(
            name=f"{CITY} (synthetisch, {len(polygons):,} Quartiere)".replace(",", "."), city=CITY,
            source="Synthetische Benchmark-Daten (bench/synthetic.py); alle Werte sind erfunden.", is_demo=True,
            reference_year=LAST_YEAR, population_indicator="einwohner", licence="CC0-1.0 (fiktive Daten)",
        ),
        levels=geography.levels,
        areas=geography.areas,
        polygons=polygons,
        topics=topic_table(),
        indicators=indicator_table(),
        values=generate_values(polygons, d, groups, rng),
        institutions=institution_rows,
        relations=relation_table(),
        supply_targets=targets[targets["category"].isin(institution_rows["categories"].str[0])],
    )


def scale_dataset(scale: Scale | str, seed: int = 2025) -> Dataset:
    scale = SCALES[scale] if isinstance(scale, str) else scale
    return synthetic_dataset(scale.areas, scale.institutions, seed)
