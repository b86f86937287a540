"""Need against supply: institutions and places per 1,000 of the people a category serves, the quadrant of need
and supply, and the share of those people who live within reach of an offer.

The people a category serves are the published numerator of the indicator ``supply_targets`` pairs it with
(Kitas: the children under 6). Every figure per person divides by that published count, so where it is secret
there is no figure: a ratio would hand the hidden count out (institutions / ratio × 1,000). An institution counts
under its main category only (``categories[1]``), so it and its places count once, and under the service its
capacity measures. It counts in the area that contains it; institutions serve beyond area borders, which the
coverage (distance, not borders) shows and the ratios do not.

Inputs are the store's frames as the queries give them (``areas``, ``target_population``,
``supply_institutions``); nothing here reads the store, so the page can cache every call by its arguments.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

SUPPLY_COLUMNS = ["area_id", "name", "institutions", "with_capacity", "places", "population", "suppression",
                  "institutions_per_1000", "places_per_1000"]
COVERAGE_COLUMNS = ["area_id", "name", "population", "suppression", "covered", "covered_share"]
QUADRANTS = ["high_need_low_supply", "high_need_high_supply", "low_need_low_supply", "low_need_high_supply"]
"""Codes of ``quadrants``; their German words are ``glossary.QUADRANT``."""
BUFFER_SEGMENTS = 16  # a reach circle as a 64-gon: 0.16 % less area than the circle
WGS84 = "EPSG:4326"


def shared_target(targets: pd.DataFrame, categories: Collection[str]) -> pd.Series | None:
    """The one ``supply_targets`` row all ``categories`` share (indicator and label), or None when they serve
    different people or one has no pairing: Kitas and Seniorentreffs per 1,000 of whom?"""
    rows = targets[targets["category"].isin(list(categories))]
    if len(rows) != len(set(categories)) or rows["population_indicator"].nunique() != 1:
        return None
    return rows.iloc[0]


def ancestor_at(areas: pd.DataFrame, level: int) -> pd.Series:
    """For every area on ``level`` or below (``areas``: area_id, level, parent_id), the area of ``level`` that
    contains it, indexed by area_id. One step per level, however many areas."""
    ancestor = areas.loc[areas["level"] == level, "area_id"].set_axis(areas.loc[areas["level"] == level, "area_id"])
    for finer in range(level + 1, int(areas["level"].max()) + 1):
        children = areas[areas["level"] == finer]
        ancestor = pd.concat([ancestor, children["parent_id"].map(ancestor).set_axis(children["area_id"])])
    return ancestor


def _ratio(count: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Per 1,000 people; NaN where the population is secret, missing or zero."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(population > 0, count / population * 1000, np.nan)


def supply_by_area(areas: pd.DataFrame, institutions: pd.DataFrame, population: pd.DataFrame, level: int,
                   categories: Collection[str]) -> pd.DataFrame:
    """Supply of ``categories`` in every area of ``level`` (level 0: the city, the quadrant's cross).

    ``institutions``: category (main), capacity (NaN where unknown) and area_id (finest); ``population``:
    area_id, population (published numerator, NaN where secret or missing) and suppression ('secret' or None).
    Columns ``SUPPLY_COLUMNS``: counts of institutions and of those with a known capacity, ``places`` (their
    summed capacity; NaN when no chosen institution anywhere has one), the target population and its
    suppression marker, and both per 1,000 of the target population. ``places_per_1000`` is NaN where a
    capacity in the area is unknown: a partial sum would read as a shortage that may not exist.
    """
    own = areas.loc[areas["level"] == level, ["area_id", "name"]].reset_index(drop=True)
    chosen = institutions[institutions["category"].isin(list(categories))]
    position = pd.Index(own["area_id"]).get_indexer(chosen["area_id"].map(ancestor_at(areas, level)))
    placed = position >= 0
    capacity = pd.to_numeric(chosen["capacity"]).to_numpy(dtype=float, na_value=np.nan)[placed]
    known = ~np.isnan(capacity)
    at = position[placed]
    count = np.bincount(at, minlength=len(own)).astype(float)
    with_capacity = np.bincount(at, weights=known, minlength=len(own)).astype(float)
    places = np.bincount(at, weights=np.where(known, capacity, 0.0), minlength=len(own))
    if not known.any():
        places = np.full(len(own), np.nan)
    target = population.set_index("area_id").reindex(own["area_id"])
    people = pd.to_numeric(target["population"]).to_numpy(dtype=float, na_value=np.nan)
    complete = with_capacity == count
    return own.assign(
        institutions=count.astype(int), with_capacity=with_capacity.astype(int), places=places,
        population=people, suppression=target["suppression"].to_numpy(),
        institutions_per_1000=_ratio(count, people),
        places_per_1000=np.where(complete, _ratio(places, people), np.nan),
    )[SUPPLY_COLUMNS]


def quadrants(need, supply, city_need: float | None, city_supply: float | None,
              polarity: str = "higher_is_worse") -> pd.Series:
    """Each area's quadrant (``QUADRANTS`` codes) against the city's values as the cross; None where either
    value is missing or secret. Need is high above the city's value, or below it for an indicator where higher
    is better (``polarity`` from the catalogue); supply is low below the city's. An area exactly on a line counts
    as the milder side, so "hoher Bedarf, geringe Versorgung" always means strictly worse on both."""
    need = pd.Series(need, dtype=float) if not isinstance(need, pd.Series) else need.astype(float)
    supply = np.asarray(supply, dtype=float)
    city_need, city_supply = (np.nan if pd.isna(v) else float(v) for v in (city_need, city_supply))
    high_need = (need.to_numpy() < city_need) if polarity == "higher_is_better" else (need.to_numpy() > city_need)
    low_supply = supply < city_supply
    code = np.where(high_need, np.where(low_supply, QUADRANTS[0], QUADRANTS[1]),
                    np.where(low_supply, QUADRANTS[2], QUADRANTS[3])).astype(object)
    unknown = np.isnan(need.to_numpy()) | np.isnan(supply) | np.isnan(city_need) | np.isnan(city_supply)
    code[unknown] = None
    return pd.Series(code, index=need.index, dtype=object)


# --- coverage -------------------------------------------------------------------------------------------------

def local_crs(geometries: np.ndarray) -> str:
    """A transverse Mercator centred on the middle of ``geometries`` (EPSG:4326): its scale is exactly 1 at the
    centre and off by about 1e-5 at 30 km from it, wherever the city lies. A UTM zone would do nearly as well in
    Germany (scale 0.9996 on its central meridian), but a city across a zone border would need a choice."""
    minx, miny, maxx, maxy = shapely.total_bounds(geometries)
    return (f"+proj=tmerc +lat_0={(miny + maxy) / 2:.6f} +lon_0={(minx + maxx) / 2:.6f} +k=1 +x_0=0 +y_0=0 "
            "+ellps=GRS80 +units=m +no_defs")


def to_metric(geometries: np.ndarray, crs: str) -> np.ndarray:
    """``geometries`` (EPSG:4326, e.g. ``store.from_wkb(full_wkb)`` or ``shapely.points(lon, lat)``) in ``crs``."""
    transformer = Transformer.from_crs(WGS84, crs, always_xy=True)
    return shapely.transform(np.asarray(geometries), lambda xy: np.column_stack(transformer.transform(*xy.T)))


def _covered_fraction(polygons: np.ndarray, offers: np.ndarray, distance_m: float) -> np.ndarray:
    """Per polygon, the part of its area within ``distance_m`` of an offer (all in metres). Each polygon meets
    the union of the reaches of the offers near it only: no union spans the city, and the polygon's many
    vertices go through one intersection, not one per offer."""
    fraction = np.zeros(len(polygons))
    if not len(offers) or not len(polygons):
        return fraction
    poly_ix, offer_ix = shapely.STRtree(offers).query(polygons, predicate="dwithin", distance=distance_m)
    if not len(poly_ix):
        return fraction
    order = np.argsort(poly_ix, kind="stable")
    poly_ix, offer_ix = poly_ix[order], offer_ix[order]
    reach = shapely.buffer(offers, distance_m, quad_segs=BUFFER_SEGMENTS)
    rows, first, per_row = np.unique(poly_ix, return_index=True, return_counts=True)
    grid = np.full((len(rows), per_row.max()), None, dtype=object)
    grid[np.repeat(np.arange(len(rows)), per_row), np.arange(len(poly_ix)) - np.repeat(first, per_row)] = \
        reach[offer_ix]
    near = shapely.union_all(grid, axis=1)
    fraction[rows] = shapely.area(shapely.intersection(near, polygons[rows])) / shapely.area(polygons[rows])
    return fraction


def _sizes(areas: pd.DataFrame, finest_size: pd.Series) -> pd.Series:
    """Every area's size: the sum of its finest areas' sizes."""
    return pd.concat([finest_size.groupby(ancestor_at(areas, level).reindex(finest_size.index).to_numpy()).sum()
                      for level in sorted(areas["level"].unique())])


def _spread(areas: pd.DataFrame, population: pd.Series, size: pd.Series) -> pd.Series:
    """Every area's target population, where secret estimated from above: a parent's count minus its known
    children's, shared among the others by their area (clipped at 0). Top down, so a secret child of a
    secret parent gets its share of the parent's estimate."""
    estimate = population.copy()
    parent_of = areas.set_index("area_id")["parent_id"]
    for finer in range(1, int(areas["level"].max()) + 1):
        children = areas.loc[areas["level"] == finer, "area_id"].to_numpy()
        parent = parent_of.reindex(children).to_numpy()
        value = estimate.reindex(children).to_numpy()
        unknown = np.isnan(value)
        if not unknown.any():
            continue
        frame = pd.DataFrame({"parent": parent, "known": np.where(unknown, 0.0, value),
                              "unknown_size": np.where(unknown, size.reindex(children).to_numpy(), 0.0)})
        sums = frame.groupby("parent")[["known", "unknown_size"]].sum()
        rest = (estimate.reindex(sums.index) - sums["known"]).clip(lower=0)
        share = (rest / sums["unknown_size"]).reindex(parent).to_numpy()
        estimate.loc[children[unknown]] = (share * size.reindex(children).to_numpy())[unknown]
    return estimate


def coverage(areas: pd.DataFrame, population: pd.DataFrame, finest: pd.Series, offers: np.ndarray,
             distance_m: float, level: int) -> pd.DataFrame:
    """The share of each ``level`` area's target population that lives within ``distance_m`` metres (straight
    line) of an offer.

    ``finest``: the finest areas' polygons in a metric CRS (``to_metric`` with ``local_crs``), indexed by
    area_id; ``offers``: the chosen institutions as points in the same CRS; ``areas`` and ``population`` as for
    ``supply_by_area``.

    An approximation from the finest areas: each one's target population is spread evenly over its polygon, and
    the covered part is the polygon within reach of an offer. Where a finest area's population is secret, its
    parent's published count minus the published children is shared among the secret children by their area,
    so the secret count itself is never used. Columns ``COVERAGE_COLUMNS``: the published population and its
    marker, ``covered`` (estimated people within reach) and ``covered_share`` (in %), NaN where the area's own
    population is secret, missing or zero or some part of it cannot be estimated.
    """
    finest_level = int(areas["level"].max())
    finest_ids = areas.loc[areas["level"] == finest_level, "area_id"].to_numpy()
    polygons = finest.reindex(finest_ids).to_numpy()
    own = areas.loc[areas["level"] == level, ["area_id", "name"]].reset_index(drop=True)
    published = pd.to_numeric(population.set_index("area_id")["population"].reindex(areas["area_id"]))
    size = _sizes(areas, pd.Series(shapely.area(polygons), index=finest_ids))
    people = _spread(areas, published.astype(float), size).reindex(finest_ids).to_numpy()
    covered = people * _covered_fraction(polygons, np.asarray(offers), distance_m)
    at = pd.Index(own["area_id"]).get_indexer(ancestor_at(areas, level).reindex(finest_ids))
    total_people = np.bincount(at, weights=people, minlength=len(own))
    total_covered = np.bincount(at, weights=covered, minlength=len(own))
    mine = published.reindex(own["area_id"]).to_numpy(dtype=float)
    valid = (mine > 0) & (total_people > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(valid, total_covered / total_people * 100, np.nan)
    return own.assign(
        population=mine, suppression=population.set_index("area_id")["suppression"].reindex(own["area_id"]).to_numpy(),
        covered=np.where(valid, total_covered, np.nan), covered_share=share,
    )[COVERAGE_COLUMNS]
