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

The wheel scrolls the page (a map that swallows the wheel traps a reader on a long page). Zooming is by the map's
own + and − buttons, the keyboard and two fingers; the page says how to zoom.
"""

from __future__ import annotations

import hashlib
import json
import struct

import numpy as np
import pandas as pd
import shapely

from sozialdash import fmt
from sozialdash.store import from_wkb
from sozialdash.views.colors import BACKGROUND, CHOSEN, NO_DATA, OUTLINE, PARENT_OUTLINE, TEXT, hex_to_rgba

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
              labels: bool = True, chosen: tuple[str, ...] = (), height_px: int = HEIGHT_PX) -> dict:
    """What one view sends: ``areas`` (area_id, fill as hex, tooltip as text) in the order of the shapes' ``ids``
    (an area without a row gets the no-data fill), the fills as positions in a palette of the view's few colours,
    the chosen areas by position, and the drawing settings. ``view`` names the view, so the browser recolours
    only when it changed and marks the map as drawn."""
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
    data["view"] = hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()[:16]
    return data

