"""Repairing a city's finest polygons into a clean coverage, and saying what was repaired.

Repair, only where ``coverage_invalid_edges`` (gaps up to the gap width included) finds a problem:
1. invalid polygons are made valid (``make_valid``, polygonal parts kept);
2. unless all edges that meet match exactly, all coordinates are rounded to ``GRID_M`` (pointwise: identical
   vertices stay identical, so clean edges stay clean);
3. polygons whose edges overlap, cross or nearly touch a neighbour are grouped with those neighbours; each group's
   outlines are noded together and polygonised into faces, and each face is given to the polygon that covers it;
4. a face covered by several polygons (an overlap) goes to the one among them that shares the longest border
   with it (ties: the larger polygon); overlaps wider than the gap width and above ``MAX_OVERLAP_SHARE`` of the
   smaller polygon are refused, because they mean a polygon that covers its neighbours, not a digitising error;
5. a gap (faces covered by none, enclosed by the group's outlines) between two or more polygons is closed, i.e.
   given to the neighbour with the longest shared border, when it is narrow (mean width 2·area/perimeter at most
   the gap width: the display tolerance, clamped to ``GAP_WIDTH_M``) and small (at most ``MAX_GAP_SHARE`` of
   that neighbour's area). Wider or larger gaps are real (a lake, an enclave that belongs to no area) and stay,
   as do holes inside a single polygon and everything outside the city;
6. narrow detached parts of a polygon (slivers, by the same width and share rule) go to the neighbour they
   share the longest border with, or are dropped when they touch no neighbour.
If the result is still not a clean coverage, every polygon is simplified on its own and every coarser level
from the repaired full geometry, and the note says so. A clean input comes back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from sozialdash import fmt
from sozialdash.culprits import culprits
from sozialdash.errors import DatasetError

GRID_M = 0.01               # repair grid: below any survey's accuracy, far above floating-point noise
GAP_WIDTH_M = (2.0, 10.0)   # the gap width (display tolerance) is kept within these bounds
MAX_GAP_SHARE = 0.01        # a gap or sliver is closed only up to 1 % of the area that receives it
MAX_OVERLAP_SHARE = 0.01    # a wide overlap above 1 % of the smaller polygon's area is refused
POLYGONAL = {"Polygon", "MultiPolygon"}


def gap_width(tolerance: float) -> float:
    """Gaps narrower than a display pixel or so are digitising errors; the bounds keep tiny towns from leaving
    metre-wide cracks and large cities from swallowing a canal."""
    return float(np.clip(tolerance, *GAP_WIDTH_M))


@dataclass(frozen=True)
class Repair:
    """What the repair changed, for the note and the bench. Areas in m²."""

    gap_width_m: float
    coverage: bool = True       # the repaired finest level is a clean coverage
    clean: bool = True          # ... and already was one: nothing was repaired
    made_valid: int = 0
    overlaps: int = 0
    overlap_m2: float = 0.0
    gaps: int = 0
    gap_m2: float = 0.0
    slivers: int = 0
    sliver_m2: float = 0.0
    kept_gaps: int = 0          # gaps between polygons too wide or too large to be errors
    kept_gap_m2: float = 0.0


# --- validity -------------------------------------------------------------------------------------------------

def _polygonal_part(geometry):
    """The polygonal pieces of what ``make_valid`` returns; collapsed lines and points are dropped."""
    if geometry.geom_type in POLYGONAL:
        return geometry
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in POLYGONAL]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def make_polygonal(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Valid polygons for all of ``geoms``, and which ones had to be repaired."""
    geoms = np.asarray(geoms, dtype=object).copy()
    invalid = ~shapely.is_valid(geoms)
    fixed = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
    geoms[invalid] = [_polygonal_part(g) for g in fixed]
    return geoms, invalid


def without_area(polygons: gpd.GeoSeries) -> list:
    """Ids whose geometry is missing, empty, not polygonal, or has no area even once made valid."""
    geoms = polygons.values
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    types = np.array([g.geom_type if ok else "" for g, ok in zip(geoms, present)])
    polygonal = np.isin(types, list(POLYGONAL))
    area = np.zeros(len(geoms))
    area[polygonal] = shapely.area(make_polygonal(geoms[polygonal])[0])
    return list(polygons.index[area <= 0])


# --- repair ---------------------------------------------------------------------------------------------------

def _snap(geoms: np.ndarray) -> np.ndarray:
    """Round every coordinate to the grid. Rounding is pointwise, so vertices two neighbours share stay shared;
    a ring that rounding folds is made valid again."""
    snapped = shapely.remove_repeated_points(shapely.set_precision(geoms, GRID_M, mode="pointwise"))
    return make_polygonal(snapped)[0]


def _flagged(edges: np.ndarray) -> np.ndarray:
    return ~(shapely.is_missing(edges) | shapely.is_empty(edges))


def _clusters(geoms: np.ndarray, edges: np.ndarray, width: float) -> list[np.ndarray]:
    """Groups of polygons whose edges disagree (overlap, cross, or leave a gap narrower than ``width``):
    ``edges`` are each polygon's invalid edges."""
    bad = np.flatnonzero(_flagged(edges))
    tree = shapely.STRtree(geoms)
    left, right = tree.query(edges[bad], predicate="dwithin", distance=width + GRID_M)
    left = bad[left]
    keep = left != right
    left, right = left[keep], right[keep]
    n = len(geoms)
    _, label = connected_components(coo_matrix((np.ones(len(left)), (left, right)), shape=(n, n)), directed=False)
    members = np.unique(np.concatenate([left, right]))
    return [group for _, group in pd.Series(members).groupby(label[members])]


@dataclass
class _Faces:
    """The noded arrangement of every cluster: faces, their cluster and the polygons that cover them."""

    geoms: np.ndarray
    cluster: np.ndarray
    cover: pd.DataFrame      # face, poly: one row per polygon of the face's cluster containing it
    foreign: np.ndarray      # faces inside a polygon of no cluster (enclosed by a cluster, but no gap)


def _faces(geoms: np.ndarray, clusters: list[np.ndarray], grid: float | None) -> _Faces:
    """``grid`` None: the edges already match, so the outlines are noded as they are and no vertex moves."""
    pieces, cluster_of_face = [], []
    cluster_of_poly = np.full(len(geoms), -1)
    for c, members in enumerate(clusters):
        cluster_of_poly[members] = c
        lines = shapely.union_all(shapely.boundary(geoms[members]), grid_size=grid)
        faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
        pieces.append(faces)
        cluster_of_face.append(np.full(len(faces), c))
    faces = np.concatenate(pieces)
    cluster = np.concatenate(cluster_of_face)
    face, poly = shapely.STRtree(geoms).query(shapely.point_on_surface(faces), predicate="within")
    same = cluster_of_poly[poly] == cluster[face]
    cover = pd.DataFrame({"face": face[same], "poly": poly[same]})
    foreign = np.zeros(len(faces), dtype=bool)
    foreign[face[~same]] = True
    return _Faces(faces, cluster, cover, foreign)


def _adjacency(faces: _Faces, selected: np.ndarray) -> pd.DataFrame:
    """Borders (length > 0) between the selected faces and every other face of their cluster."""
    left, right = shapely.STRtree(faces.geoms).query(faces.geoms[selected], predicate="intersects")
    left = selected[left]
    keep = (left != right) & (faces.cluster[left] == faces.cluster[right])
    left, right = left[keep], right[keep]
    involved = np.unique(np.concatenate([left, right]))
    outline = np.empty(len(faces.geoms), dtype=object)
    outline[involved] = shapely.boundary(faces.geoms[involved])
    length = shapely.length(shapely.intersection(outline[left], outline[right]))
    frame = pd.DataFrame({"face": left, "other": right, "length": length})
    return frame[frame["length"] > 0]


def _refuse_large_overlaps(faces: _Faces, areas: np.ndarray, names, width: float) -> None:
    """An overlap that is wide (mean width above the gap width) and above a small share of the smaller polygon
    is not a digitising error but a polygon that covers its neighbours (e.g. the whole city given once more as
    a finest area): refuse, naming the pairs. A strip a few metres wide along a shared edge is an error however
    small the area beside it, and is repaired."""
    pairs = faces.cover.merge(faces.cover, on="face")
    pairs = pairs[pairs["poly_x"] < pairs["poly_y"]]
    if pairs.empty:
        return
    shapes = faces.geoms[pairs["face"].to_numpy()]
    pairs = pairs.assign(m2=shapely.area(shapes), perimeter=shapely.length(shapes))
    overlap = pairs.groupby(["poly_x", "poly_y"])[["m2", "perimeter"]].sum().reset_index()
    smaller = np.minimum(areas[overlap["poly_x"]], areas[overlap["poly_y"]])
    overlap = overlap.assign(share=overlap["m2"] / smaller, width=2 * overlap["m2"] / overlap["perimeter"])
    large = overlap[(overlap["share"] > MAX_OVERLAP_SHARE) & (overlap["width"] > width)] \
        .sort_values("share", ascending=False)
    if large.empty:
        return
    described = [f"{names[r.poly_x]} und {names[r.poly_y]} ({square_metres(r.m2)}, "
                 f"{fmt.number(100 * r.share, 0)} % der kleineren Fläche)" for r in large.itertuples()]
    raise DatasetError(
        f"Flächen der feinsten Ebene überlappen sich breit (mehr als {fmt.number(width, 0)} m) und um mehr als "
        f"{fmt.number(100 * MAX_OVERLAP_SHARE, 0)} % der kleineren Fläche: {culprits(described, separator='; ')}. Eine Fläche, die ihre Nachbarn "
        "überdeckt (etwa die Gesamtstadt als zusätzliches Gebiet), gehört nicht auf die feinste Ebene."
    )


def _best_neighbour(candidates: pd.DataFrame, key: str, areas: np.ndarray) -> pd.DataFrame:
    """Per ``key``, the owner with the longest shared border; ties go to the larger polygon, then the first."""
    border = candidates.groupby([key, "owner"])["length"].sum().reset_index()
    border = border.assign(size=areas[border["owner"]])
    return border.sort_values([key, "length", "size", "owner"], ascending=[True, False, False, True]) \
        .drop_duplicates(key)


def _regions(faces: np.ndarray, adjacent: pd.DataFrame) -> np.ndarray:
    """Connected groups of ``faces`` (a gap or an overlap may be split into several faces)."""
    index = pd.Series(np.arange(len(faces)), index=faces)
    inner = adjacent[adjacent["face"].isin(faces) & adjacent["other"].isin(faces)]
    graph = coo_matrix((np.ones(len(inner)), (index[inner["face"]], index[inner["other"]])),
                       shape=(len(faces), len(faces)))
    return connected_components(graph, directed=False)[1]


def _assign(faces: _Faces, areas: np.ndarray, width: float) -> tuple[np.ndarray, dict]:
    """The owner of every face (-1: a gap that stays), and the counts and areas of what was resolved."""
    n = len(faces.geoms)
    count = np.bincount(faces.cover["face"], minlength=n)
    owner = np.full(n, -1)
    single = faces.cover[count[faces.cover["face"]] == 1]
    owner[single["face"]] = single["poly"]
    overlap_faces, gap_faces = np.flatnonzero(count > 1), np.flatnonzero((count == 0) & ~faces.foreign)
    adjacent = _adjacency(faces, np.concatenate([overlap_faces, gap_faces]))
    face_area = shapely.area(faces.geoms)

    pending = set(overlap_faces)
    allowed = faces.cover[faces.cover["face"].isin(pending)].rename(columns={"poly": "owner"})
    while pending:
        candidates = adjacent[adjacent["face"].isin(pending)].assign(owner=lambda f: owner[f["other"]])
        candidates = candidates.merge(allowed, on=["face", "owner"])
        if candidates.empty:
            break
        best = _best_neighbour(candidates, "face", areas)
        owner[best["face"]] = best["owner"]
        pending -= set(best["face"])
    for face in pending:  # enclosed by other overlaps only: the largest polygon covering it
        polys = faces.cover.loc[faces.cover["face"] == face, "poly"]
        owner[face] = polys.iloc[int(np.argmax(areas[polys]))]

    stats = {"overlaps": 0, "overlap_m2": 0.0, "gaps": 0, "gap_m2": 0.0, "kept_gaps": 0, "kept_gap_m2": 0.0}
    if len(overlap_faces):
        stats["overlaps"] = int(_regions(overlap_faces, adjacent).max() + 1)
        stats["overlap_m2"] = float(face_area[overlap_faces].sum())
    if len(gap_faces):
        region = pd.Series(_regions(gap_faces, adjacent), index=gap_faces)
        inner = adjacent["face"].isin(gap_faces) & adjacent["other"].isin(gap_faces)
        perimeter = pd.Series(shapely.length(faces.geoms[gap_faces]), index=gap_faces).groupby(region).sum() \
            - adjacent[inner].groupby(region.reindex(adjacent.loc[inner, "face"]).to_numpy())["length"].sum() \
            .reindex(range(region.max() + 1), fill_value=0.0)
        size = pd.Series(face_area[gap_faces], index=gap_faces).groupby(region).sum()
        rim = adjacent[adjacent["face"].isin(gap_faces) & ~adjacent["other"].isin(gap_faces)]
        rim = rim.assign(owner=owner[rim["other"]], region=region.reindex(rim["face"]).to_numpy())
        rim = rim[rim["owner"] >= 0]
        between = rim.groupby("region")["owner"].nunique()
        between = between[between >= 2].index  # a hole inside one polygon is that polygon's own
        best = _best_neighbour(rim[rim["region"].isin(between)], "region", areas).set_index("region")
        narrow = 2 * size[best.index] / perimeter[best.index] <= width
        small = size[best.index] <= MAX_GAP_SHARE * areas[best["owner"]]
        closed = best.index[narrow & small]
        filled = region[region.isin(closed)]
        owner[filled.index] = best.loc[filled.to_numpy(), "owner"].to_numpy()
        kept = best.index.difference(closed)
        stats.update(gaps=len(closed), gap_m2=float(size[closed].sum()),
                     kept_gaps=len(kept), kept_gap_m2=float(size[kept].sum()))
    return owner, stats


def _rebuild(geoms: np.ndarray, faces: _Faces, owner: np.ndarray) -> np.ndarray:
    """Every cluster member as the coverage union of the faces it owns (faces share their edges exactly)."""
    rebuilt = geoms.copy()
    owned = pd.Series(np.arange(len(owner)))[owner >= 0]
    for poly, group in owned.groupby(owner[owner >= 0]):
        parts = faces.geoms[group.to_numpy()]
        rebuilt[poly] = parts[0] if len(parts) == 1 else shapely.coverage_union_all(parts)
    return rebuilt


def _absorb_slivers(geoms: np.ndarray, changed: np.ndarray, width: float) -> tuple[np.ndarray, int, float]:
    """Narrow, small detached parts of repaired polygons go to the neighbour with the longest shared border."""
    geoms = geoms.copy()
    tree = shapely.STRtree(geoms)
    moved, moved_m2 = 0, 0.0
    for poly in changed:
        parts = shapely.get_parts(geoms[poly])
        if len(parts) < 2:
            continue
        area = shapely.area(parts)
        sliver = (2 * area / shapely.length(parts) <= width) & (area <= MAX_GAP_SHARE * area.sum())
        sliver[np.argmax(area)] = False
        for part in parts[sliver]:
            others = tree.query(part, predicate="intersects")
            others = others[others != poly]
            border = shapely.length(shapely.intersection(shapely.boundary(part), shapely.boundary(geoms[others])))
            if len(others) and border.max() > 0:
                receiver = others[np.argmax(border)]
                geoms[receiver] = shapely.coverage_union_all([geoms[receiver], part])
        if sliver.any():
            moved += int(sliver.sum())
            moved_m2 += float(area[sliver].sum())
            kept = parts[~sliver]
            geoms[poly] = kept[0] if len(kept) == 1 else shapely.multipolygons(kept)
    return geoms, moved, moved_m2


def repair_coverage(geoms: np.ndarray, names, width: float) -> tuple[np.ndarray, Repair]:
    """The finest level as a clean coverage (metric CRS), and what it took; see the module docstring."""
    geoms, invalid = make_polygonal(geoms)
    edges = shapely.coverage_invalid_edges(geoms, gap_width=width)
    if not invalid.any() and not _flagged(edges).any():
        return geoms, Repair(gap_width_m=width)
    # Edges that match exactly need no grid (narrow inlets of the outer boundary also trip the gap check); every
    # mismatch lies within a cluster, so checking the clusters' polygons suffices.
    clusters = _clusters(geoms, edges, width)
    members = np.concatenate(clusters) if clusters else np.array([], dtype=int)
    matched = not invalid.any() and bool(shapely.coverage_is_valid(geoms[members]))
    repaired = geoms if matched else _snap(geoms)
    if not matched:
        clusters = _clusters(repaired, shapely.coverage_invalid_edges(repaired, gap_width=width), width)
    stats = {}
    slivers, sliver_m2 = 0, 0.0
    if clusters:
        faces = _faces(repaired, clusters, None if matched else GRID_M)
        areas = shapely.area(repaired)
        _refuse_large_overlaps(faces, areas, names, width)
        owner, stats = _assign(faces, areas, width)
        repaired = _rebuild(repaired, faces, owner)
        repaired, slivers, sliver_m2 = _absorb_slivers(repaired, np.concatenate(clusters), width)
    changed = not matched or slivers or stats.get("gaps") or stats.get("overlaps")
    if not changed:
        return geoms, Repair(gap_width_m=width, kept_gaps=stats.get("kept_gaps", 0),
                             kept_gap_m2=stats.get("kept_gap_m2", 0.0))
    return repaired, Repair(
        gap_width_m=width, coverage=bool(shapely.coverage_is_valid(repaired)), clean=False,
        made_valid=int(invalid.sum()), slivers=slivers, sliver_m2=sliver_m2, **stats,
    )


# --- the note -------------------------------------------------------------------------------------------------

def square_metres(value: float) -> str:
    if value == 0:
        return "0 m²"
    if value >= 1e6:
        return f"{fmt.number(value / 1e6, 2)} km²"
    if value < 0.1:
        return "unter 0,1 m²"
    return f"{fmt.number(value, 1 if value < 10 else 0)} m²"


def describe(repair: Repair, tolerance: float) -> str:
    """The German note on Daten & Methodik: what was repaired and how the map outlines were simplified."""
    metres = f"{fmt.number(tolerance, 0)} m"
    kept = ""
    if repair.kept_gaps:
        kept = (f"; {fmt.counted(repair.kept_gaps, 'größere Lücke', 'größere Lücken')} "
                f"({square_metres(repair.kept_gap_m2)}) als echte Lücken belassen")
    if repair.clean:
        return f"Abdeckung sauber, keine Reparatur nötig{kept}; gemeinsam vereinfacht (Toleranz {metres})"
    done = []
    if repair.overlaps:
        done.append(f"{fmt.counted(repair.overlaps, 'Überlappung', 'Überlappungen')} "
                    f"({square_metres(repair.overlap_m2)}) aufgelöst")
    if repair.gaps:
        done.append(f"{fmt.counted(repair.gaps, 'Lücke', 'Lücken')} ({square_metres(repair.gap_m2)}) geschlossen")
    if repair.slivers:
        done.append(f"{fmt.counted(repair.slivers, 'Splitterfläche', 'Splitterflächen')} "
                    f"({square_metres(repair.sliver_m2)}) zugeordnet")
    if repair.made_valid:
        done.append(f"{fmt.counted(repair.made_valid, 'ungültige Fläche', 'ungültige Flächen')} korrigiert")
    text = "Abdeckung repariert: " + (", ".join(done) or "gemeinsame Kanten angeglichen")
    text += kept
    rule = f"Lücken bis {fmt.number(repair.gap_width_m, 0)} m Breite"
    if not repair.coverage:
        return (f"{text}; danach noch keine saubere Abdeckung: Flächen einzeln vereinfacht, übergeordnete Ebenen "
                f"aus der vollen Geometrie (Toleranz {metres}, {rule})")
    return f"{text}; gemeinsam vereinfacht (Toleranz {metres}, {rule})"
