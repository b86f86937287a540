"""The Karte's map as data for its browser module (frontend/map/src/map.js, bundled with deck.gl, no CDN).

A level's shapes go to the browser once, as bytes (``shape_payload``): its polygons, name labels and their
collision priorities. A view sends only what changes (``view_data``): a fill and a tooltip per area, the chosen
areas, whether names are shown. Sending the shapes with every change cost 0.7 MB per click at 550 areas and a new
tessellation in the browser; now a change costs a few kilobytes and a recolouring.

Nothing here is evaluated in the browser: the module draws names on the canvas and tooltips as text, so data
strings stay strings (pydeck's JSON converter compiled any "@@" string, which is gone with it).

Names: the browser hides every name that would overlap a better-fitting one (deck.gl's CollisionFilterExtension)
and shows more of them as the user zooms in. It tests only a name's centre, so the test boxes are drawn larger
than the names (``COLLISION_SCALE``). Every name it is given costs it every frame, so it is given only the names
whose area has room for them at the current zoom (``LABEL_ROOM_PX`` around the label point), and the outlines
between areas only once the areas are large enough on screen to be told apart by them (``BORDER_AREA_PX``): at
10,000 areas the city view is then drawn in 3–4 s instead of 10 s (software WebGL), and zooming in brings both.

Institutions are points over the areas (``point_data``), one Okabe–Ito colour per category (``colors.
category_colours``), each with its id for a click. Above ``AGGREGATE_ABOVE`` points a view would grow by some
60 bytes a point, so the points are counted in square cells instead and each occupied cell is one circle whose area
grows with its count. A radius search adds its circle in metres (``circle_data``).

The wheel scrolls the page (a map that swallows the wheel traps a reader on a long page). Zooming is by the map's
own + and − buttons, the keyboard and two fingers; the page says how to zoom.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely

from sozialdash import fmt
from sozialdash.store import from_wkb
from sozialdash.views.colors import (BACKGROUND, CELL, CHOSEN, NO_DATA, OTHER_CATEGORIES, OUTLINE, PARENT_OUTLINE,
                                     PLAIN_AREA, POINT_EDGE, SEARCH_CIRCLE, TEXT, category_colours, hex_to_rgba)

HEIGHT_PX = 500
LABEL_PX = 15
TOOLTIP_PX = 15
PADDING = 0.04  # of the map's shorter side, around the city when it is fitted
# The collision filter tests a name's anchor (its centre) against the boxes of better-fitting names, drawn this
# many times larger: 2 would hide exactly the overlapping ones; a little more keeps names apart (measured at 550
# areas: about 50 names at the city view instead of 80).
COLLISION_SCALE = 2.6
LABEL_ROOM_PX = 5       # a name is drawn once its label point is this far from its area's outline on screen
BORDER_AREA_PX = 100    # outlines are drawn once the areas on screen average this many square pixels
CONTROLLER = {"scrollZoom": False, "doubleClickZoom": False, "keyboard": True, "dragPan": True,
              "dragRotate": False, "touchZoom": True, "touchRotate": False}
"""No double-click zoom: its first click already opens the area's profile."""
FILL_ALPHA = 235
COLOURS = {"outline": hex_to_rgba(OUTLINE), "parent": hex_to_rgba(PARENT_OUTLINE), "chosen": hex_to_rgba(CHOSEN),
           "text": hex_to_rgba(TEXT), "halo": hex_to_rgba(BACKGROUND, 230), "highlight": [0, 0, 0, 60]}
"""RGBA for deck.gl, made here from the one colour table: the browser module holds no colour of its own."""
POINT_RADIUS_PX = 5
CHOSEN_RADIUS_PX = 9        # the chosen institution: larger, in a dark ring on a white halo
CHOSEN_RING_PX = CHOSEN_HALO_PX = 3
POINT_EDGE_PX = 1.5
POINT_RIM_PX = 1          # a thin dark rim outside the white edge: dots read on light fills as well
RIM_ALPHA = 150
AGGREGATE_ABOVE = 5_000
"""More points than this are sent as counts per cell: 5,000 single points make a view of about 300 KB."""
MAX_CELLS = 600            # a city of 100,000 institutions in cells a projector shows apart
CELL_M = 25                 # the smallest cell edge; doubled until no more than MAX_CELLS cells are occupied
CELL_RADIUS_PX = (4, 16)    # a cell of one point and the fullest cell; the circle's area follows the count
METRES_PER_DEGREE = 111_320  # along a meridian, and along the equator (scaled by cos(latitude) elsewhere)
CIRCLE_FILL_ALPHA = 28
CIRCLE_LINE_PX = 2
CIRCLE_CENTRE_PX = 5        # the centre the distances are measured from, a ring


def shape_payload(key: str, shapes: pd.DataFrame) -> bytes:
    """One level's shapes (``area_shapes``: area_id, name, label point, display WKB) in the layout the browser
    module reads: a uint32 header length, a JSON header (ids, names, label points, their room and priority,
    counts), padding to 4 bytes, then float32 x/y per vertex, uint32 ring starts, part starts and the area of
    each part.

    Float32 keeps a vertex within a metre at German latitudes (a display outline is simplified to 2–5 m), at
    8 bytes a vertex instead of about 20 in JSON.
    """
    geometries = from_wkb(shapes["display_wkb"])
    parts, part_area = [], []
    for area, geometry in enumerate(geometries):
        for part in shapely.get_parts(geometry):
            parts.append(part)
            part_area.append(area)
    rings = [ring for part in parts for ring in (part.exterior, *part.interiors)]
    coords = [np.asarray(ring.coords)[:, :2] for ring in rings]
    ring_start = np.concatenate([[0], np.cumsum([len(c) for c in coords])]).astype("<u4")
    part_start = np.concatenate([[0], np.cumsum([1 + len(p.interiors) for p in parts])]).astype("<u4")
    labels = label_records(shapes, geometries)
    header = json.dumps({
        "key": key, "vertices": int(ring_start[-1]), "rings": len(rings), "parts": len(parts),
        "ids": shapes["area_id"].tolist(), "names": labels["name"].tolist(),
        "label_points": labels["position"].tolist(), "label_rooms": labels["room"].tolist(),
        "priorities": labels["priority"].tolist(),
    }, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    start = struct.pack("<I", len(header)) + header
    xy = np.concatenate(coords).astype("<f4") if coords else np.empty((0, 2), "<f4")
    return b"".join([start, b"\0" * (-len(start) % 4), xy.tobytes(), ring_start.tobytes(), part_start.tobytes(),
                     np.asarray(part_area, "<u4").tobytes()])


def label_records(shapes: pd.DataFrame, geometries: np.ndarray) -> pd.DataFrame:
    """Area names at their label points, shortened, with their room (the distance from the label point to the
    area's outline, in degrees) and a collision priority.

    The priority ranks how well a name fits its area: its room per character, which puts the larger areas
    first. Where names would collide, the browser
    keeps the better-fitting one, so a map of 500 areas opens with a readable selection and zooming in brings
    the others.
    """
    names = shapes["name"].map(lambda n: fmt.shorten(n, fmt.LABEL_CHARS))
    points = shapely.points(shapes["label_lon"].to_numpy(), shapes["label_lat"].to_numpy())
    room = shapely.distance(points, shapely.boundary(geometries))
    fit = room / names.str.len().clip(lower=4).to_numpy()
    ranks = pd.Series(fit).rank(method="first", ascending=False).to_numpy() - 1
    return pd.DataFrame({
        "area_id": shapes["area_id"].to_numpy(),
        "name": names.to_numpy(),
        "position": [[round(x, 5), round(y, 5)] for x, y in zip(shapes["label_lon"], shapes["label_lat"])],
        "room": np.round(room, 6),
        "priority": np.round(1000 - 2000 * ranks / max(len(shapes), 1)).astype(int),
    })


def view_data(shapes_key: str, ids: pd.Series, areas: pd.DataFrame, *, parent_key: str | None = None,
              labels: bool = True, chosen: tuple[str, ...] = (), height_px: int = HEIGHT_PX,
              points: dict | None = None, circle: dict | None = None) -> dict:
    """What one view sends: ``areas`` (area_id, fill as hex, tooltip as text) in the order of the shapes' ``ids``
    (an area without a row gets the no-data fill), the fills as positions in a palette of the view's few colours,
    the chosen areas by position, the drawing settings, and institutions (``point_data``) and a search circle
    (``circle_data``) over the areas. ``view`` names the view, so the browser redraws only when it changed and
    marks the map as drawn; ``fills_view`` names the fills alone, so a change of points recolours no polygon."""
    by_area = areas.set_index("area_id").reindex(ids)
    fills, palette = pd.factorize(by_area["fill"].fillna(NO_DATA))
    data = {
        "shapes": shapes_key, "parent": parent_key,
        "palette": [hex_to_rgba(colour, FILL_ALPHA) for colour in palette], "fills": fills.tolist(),
        "tooltips": by_area["tooltip"].fillna(fmt.MISSING).tolist(),
        "chosen": [int(i) for i in np.flatnonzero(ids.isin(chosen).to_numpy())],
        "labels": labels, "height": height_px, "padding": PADDING, "label_px": LABEL_PX, "tooltip_px": TOOLTIP_PX,
        "collision_scale": COLLISION_SCALE, "label_room_px": LABEL_ROOM_PX, "border_area_px": BORDER_AREA_PX,
        "controller": CONTROLLER, "colours": COLOURS,
    }
    data["areas_view"] = _digest(data)
    data["fills_view"] = _digest([data["palette"], data["fills"]])
    return with_points(data, points, circle)


def with_points(data: dict, points: dict | None, circle: dict | None) -> dict:
    """A view (``view_data``'s, such as a Karte view shared by every session) with institutions and a search circle
    over its areas: a copy with a name of its own, made from the areas' name (``areas_view``) and the points, so
    the ten thousand tooltips of a large city are not encoded again. ``fills_view`` names the fills alone, so a
    change of points recolours no polygon."""
    drawn = {**data, "points": points, "circle": circle}
    drawn["view"] = _digest([data["areas_view"], points, circle])
    return drawn


def _digest(data) -> str:
    """A short name for JSON data: the browser compares names, not the data."""
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()[:16]



def plain_areas(ids: pd.Series, names: pd.Series) -> pd.DataFrame:
    """``view_data``'s areas for a map that shows no indicator, only where things are: one light fill, the name
    as tooltip."""
    return pd.DataFrame({"area_id": ids.to_numpy(), "fill": PLAIN_AREA, "tooltip": names.astype(str).to_numpy()})


def point_data(ids, lon, lat, categories, tooltips, *, chosen: str | None = None,
               order: Sequence[str] | None = None, colour: str | None = None) -> dict:
    """Institutions for ``view_data(points=...)``: ids, positions (lon, lat, lon, ... rounded to about a metre),
    a palette and a colour position per point, plain-text tooltips, and the chosen institution (drawn larger, on
    top and clickable, also when the others are counted per cell). Colours are ``colors.category_colours(order)``:
    ``order`` is the categories most frequent first, the one the legend is drawn from (default: counted among
    these points; a page that filters passes the order of all its institutions, so a category keeps its colour).

    With ``colour`` every point has that one colour: over a map whose areas are coloured already (need against
    supply), category hues would be confused with the areas'.

    ``tooltips`` is a text per point, or a function from point positions to their texts: it is then asked only
    for the points drawn one by one (a city of 100,000 spends a tenth of a second on texts nobody sees).

    Above ``AGGREGATE_ABOVE`` points the view holds counts per cell instead (``"aggregated"``, see ``_cells``);
    either way ``"count"`` is the number of institutions it stands for."""
    ids = _strings(ids)
    frame = pd.DataFrame({"lon": np.asarray(lon, dtype=float), "lat": np.asarray(lat, dtype=float),
                          "category": _strings(categories)})
    order = category_order(frame["category"]) if order is None else list(order)
    frame["colour"] = colour or frame["category"].map(category_colours(order)).fillna(OTHER_CATEGORIES)
    if len(frame) > AGGREGATE_ABOVE:
        data = _cells(frame, order)
    else:
        data = _points(frame, ids, _texts(tooltips, np.arange(len(frame))))
    at = np.flatnonzero(ids == chosen) if chosen is not None else np.empty(0, int)
    picked = _chosen(ids[at[0]], frame.iloc[at[0]], _texts(tooltips, at[:1])[0]) if len(at) else None
    data.update(count=len(frame), chosen=picked,
                edge=hex_to_rgba(POINT_EDGE), edge_px=POINT_EDGE_PX, rim=hex_to_rgba(TEXT, RIM_ALPHA),
                rim_px=POINT_RIM_PX)
    return data


def category_order(categories: pd.Series) -> list[str]:
    """Categories most frequent first, equal counts by name: the order ``colors.category_colours`` expects."""
    counts = pd.Series(categories, dtype=object).astype(str).value_counts()
    return sorted(counts.index, key=lambda category: (-counts[category], category))


def _strings(values) -> np.ndarray:
    return pd.Series(values, dtype=object).astype(str).to_numpy()


def _flat(lon, lat) -> list[float]:
    return np.round(np.column_stack([lon, lat]), 5).ravel().tolist()


def _palette(colours: pd.Series) -> dict:
    positions, palette = pd.factorize(colours)
    return {"palette": [hex_to_rgba(colour) for colour in palette], "fills": positions.tolist()}


def _texts(tooltips, positions: np.ndarray) -> list[str]:
    texts = tooltips(positions) if callable(tooltips) else np.asarray(_strings(tooltips))[positions]
    return [str(text) for text in texts]


def _points(frame: pd.DataFrame, ids: np.ndarray, tooltips: list[str]) -> dict:
    return {"aggregated": False, "ids": ids.tolist(), "positions": _flat(frame["lon"], frame["lat"]),
            **_palette(frame["colour"]), "tooltips": tooltips, "radius_px": POINT_RADIUS_PX}


def _cells(frame: pd.DataFrame, order: list[str]) -> dict:
    """The points counted in square cells of equal metres (longitude scaled by the cosine of the mean latitude),
    the edge doubled from ``CELL_M`` until at most ``MAX_CELLS`` are occupied. A cell is drawn at the mean
    position of its points, all cells in one colour (``colors.CELL``: hundreds of circles in seven hues read as
    noise, and a cell's most frequent category hides the others), with a radius from ``CELL_RADIUS_PX`` whose
    square follows its count; the tooltip names the most frequent category (equal counts: the one first in
    ``order``)."""
    x = frame["lon"].to_numpy() * np.cos(np.radians(frame["lat"].mean())) * METRES_PER_DEGREE
    y = frame["lat"].to_numpy() * METRES_PER_DEGREE
    edge = CELL_M
    while True:
        column, row = np.floor(x / edge).astype(np.int64), np.floor(y / edge).astype(np.int64)
        keys = (column - column.min()) * (row.max() - row.min() + 1) + (row - row.min())
        cell = pd.factorize(keys)[0]
        if cell.max() < MAX_CELLS:
            break
        edge *= 2
    rank = {category: i for i, category in enumerate(dict.fromkeys([*order, *category_order(frame["category"])]))}
    frame = frame.assign(cell=cell, rank=frame["category"].map(rank))
    cells = frame.groupby("cell").agg(lon=("lon", "mean"), lat=("lat", "mean"), count=("lon", "size"))
    top = (frame.groupby(["cell", "rank"]).agg(n=("lon", "size"), category=("category", "first"),
                                               colour=("colour", "first")).reset_index()
           .sort_values(["cell", "n", "rank"], ascending=[True, False, True]).drop_duplicates("cell")
           .set_index("cell"))
    cells = cells.join(top[["category"]]).assign(colour=CELL)
    low, high = CELL_RADIUS_PX
    radii = np.maximum(low, high * np.sqrt(cells["count"] / cells["count"].max()))
    tooltips = [f"{fmt.number(count)} Einrichtung ({category})" if count == 1 else
                f"{fmt.number(count)} Einrichtungen (häufigste: {category})"
                for count, category in zip(cells["count"], cells["category"])]
    return {"aggregated": True, "cell_m": edge, "counts": cells["count"].tolist(),
            "positions": _flat(cells["lon"], cells["lat"]), **_palette(cells["colour"]), "tooltips": tooltips,
            "radii_px": np.round(radii, 1).tolist()}


def _chosen(institution: str, row: pd.Series, tooltip: str) -> dict:
    return {"id": institution, "position": _flat([row["lon"]], [row["lat"]]), "fill": hex_to_rgba(row["colour"]),
            "tooltip": tooltip, "radius_px": CHOSEN_RADIUS_PX, "ring": hex_to_rgba(TEXT),
            "ring_px": CHOSEN_RING_PX, "halo_px": CHOSEN_HALO_PX}


def circle_data(lon: float, lat: float, radius_m: float) -> dict:
    """The radius search for ``view_data(circle=...)``: a circle of ``radius_m`` metres around (lon, lat), outlined,
    with a faint fill that leaves the areas and points below it readable, and its centre marked; the map shows
    the circle whole."""
    return {"position": [round(float(lon), 6), round(float(lat), 6)], "radius_m": float(radius_m),
            "line": hex_to_rgba(SEARCH_CIRCLE, 230), "fill": hex_to_rgba(SEARCH_CIRCLE, CIRCLE_FILL_ALPHA),
            "line_px": CIRCLE_LINE_PX, "centre_px": CIRCLE_CENTRE_PX}
