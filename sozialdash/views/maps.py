"""Offline maps with pydeck: polygons, outlines of the level above, and area names, on a blank style.

Tried on Streamlit 1.67 (DESIGN.md, Maps): an empty or missing map style still loads a Carto basemap, while a
blank MapLibre style passed as a data URL with ``map_provider=None`` renders with no request at all. The TextLayer builds its
font atlas in the browser; ``character_set='"auto"'`` (a quoted JS string, because pydeck evaluates strings)
makes it include ä, ö, ü and ß. Data values never become layer keywords, only row fields.

Names: Streamlit's bundled deck.gl includes the CollisionFilterExtension, so the browser hides every name that
would overlap a better-fitting one and shows more of them as the user zooms in. It tests only a name's centre,
and fades a name whose centre lies on the edge of a stronger name's box (kepler.gl patches the shader for that;
JSON cannot), so the test boxes are drawn larger than the names (``COLLISION_SCALE``).

The wheel scrolls the page (a map that swallows the wheel traps a reader on a long page). Zooming is by
Streamlit's own + and − buttons on the map, the keyboard and two fingers (a double-click would zoom too, but its
first click already opens the area's profile); deck.gl has no "zoom with Ctrl and the wheel", so the page says
how to zoom.
"""

from __future__ import annotations

import json
import math
import weakref
from urllib.parse import quote

import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize

from sozialdash import fmt
from sozialdash.geo import from_wkb
from sozialdash.views.colors import BACKGROUND, CHOSEN, OUTLINE, PARENT_OUTLINE, TEXT, hex_to_rgba

BLANK_STYLE = "data:application/json," + quote(json.dumps({
    "version": 8,
    "sources": {},
    "layers": [{"id": "background", "type": "background", "paint": {"background-color": BACKGROUND}}],
}))
AREA_LAYER_ID = "areas"
# The smallest map the Karte draws (at 1280×720, the common beamer, measured in the browser tests): the city is
# fitted to it, so it is whole at every larger size too (deck.gl cannot fit bounds from JSON on the client).
FIT_WIDTH_PX = 640
FIT_HEIGHT_PX = 480
LABEL_PX = 15
# The collision filter tests a name's anchor (its centre) against the boxes of better-fitting names, drawn this
# many times larger: 2 would hide exactly the overlapping ones; a little more keeps names apart (measured at 550
# areas: about 50 names at the city view instead of 80, and far fewer half-faded ones).
COLLISION_SCALE = 2.6
CONTROLLER = {"scrollZoom": False, "doubleClickZoom": True, "keyboard": True, "dragPan": True, "dragRotate": False,
              "touchZoom": True, "touchRotate": False}


def inert(text: str) -> str:
    """deck.gl's JSON converter compiles any string starting with "@@" (also inside layer data) as an expression
    or a constant; a zero-width space in front keeps a data string a string."""
    return "\u200b" + text if text.startswith("@@") else text


_SERIALISED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation: pydeck pretty-prints, which makes the map 3–4× larger on the wire
    (bench: 16 MB instead of 5 MB at 10,000 areas) and slower to encode. Streamlit sends ``to_json()`` as is.
    The text is made once per deck: a shared view's deck goes to every session and every rerun unchanged."""

    def to_json(self) -> str:
        text = _SERIALISED.get(self)
        if text is None:
            text = _SERIALISED[self] = json.dumps(self, sort_keys=True, default=default_serialize,
                                                  separators=(",", ":"))
        return text


def shape_records(shapes: pd.DataFrame) -> pd.DataFrame:
    """One row per polygon part with its rings as coordinate lists, ready for a PolygonLayer.

    Built once per build and level (the caller caches it); reruns only recolour these rows.
    """
    rows = []
    for area_id, name, geometry in zip(shapes["area_id"], shapes["name"], from_wkb(shapes["display_wkb"])):
        for part in shapely.get_parts(geometry):
            rings = [part.exterior, *part.interiors]
            rows.append({"area_id": area_id, "name": name,
                         "polygon": [np.round(np.asarray(r.coords)[:, :2], 5).tolist() for r in rings]})
    return pd.DataFrame(rows, columns=["area_id", "name", "polygon"])


def record_paths(records: pd.DataFrame) -> list[dict]:
    """Exterior rings of polygon records as paths: the coarser level's outlines drawn on top (so Stadtteile read
    as parts of Sozialräume) and the areas chosen for a comparison."""
    return [{"path": rings[0]} for rings in records["polygon"]]


def bounds_of(records: pd.DataFrame) -> tuple[float, float, float, float]:
    coords = np.array([xy for rings in records["polygon"] for xy in rings[0]])
    return coords[:, 0].min(), coords[:, 1].min(), coords[:, 0].max(), coords[:, 1].max()


def label_records(shapes: pd.DataFrame) -> pd.DataFrame:
    """Area names for a TextLayer: shortened, inert, at the label point, with a collision priority.

    The priority ranks how well a name fits its area: the room around the label point (its distance to the
    area's outline) per character, which puts the larger areas first. Where names would collide, the browser
    keeps the better-fitting one, so a map of 500 areas opens with a readable selection and zooming in brings
    the others.
    """
    names = shapes["name"].map(lambda n: inert(fmt.shorten(n, fmt.LABEL_CHARS)))
    points = shapely.points(shapes["label_lon"].to_numpy(), shapes["label_lat"].to_numpy())
    room = shapely.distance(points, shapely.boundary(from_wkb(shapes["display_wkb"])))
    fit = room / names.str.len().clip(lower=4).to_numpy()
    ranks = pd.Series(fit).rank(method="first", ascending=False).to_numpy() - 1
    return pd.DataFrame({
        "area_id": shapes["area_id"].to_numpy(),
        "name": names.to_numpy(),
        "position": [[round(x, 5), round(y, 5)] for x, y in zip(shapes["label_lon"], shapes["label_lat"])],
        "priority": np.round(1000 - 2000 * ranks / max(len(shapes), 1)).astype(int),
    })


def fit_view(bounds: tuple[float, float, float, float], width_px: int = FIT_WIDTH_PX,
             height_px: int = FIT_HEIGHT_PX, padding: float = 0.04) -> pdk.ViewState:
    """The zoom at which the city's bounds fill the map (Web Mercator, deck.gl's 512-pixel world)."""
    minx, miny, maxx, maxy = bounds

    def mercator_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    span_x = (maxx - minx) / 360
    span_y = (mercator_y(maxy) - mercator_y(miny)) / (2 * math.pi)
    usable = 1 - 2 * padding
    zoom = min(math.log2(width_px * usable / (512 * span_x)), math.log2(height_px * usable / (512 * span_y)))
    return pdk.ViewState(longitude=(minx + maxx) / 2, latitude=(miny + maxy) / 2, zoom=round(zoom, 2),
                         min_zoom=zoom - 2, max_zoom=zoom + 5, pitch=0, bearing=0)


def area_map(records: pd.DataFrame, areas: pd.DataFrame, *, labels: pd.DataFrame | None = None,
             outlines: list[dict] | None = None, highlight: list[dict] | None = None) -> pdk.Deck:
    """A choropleth of ``records`` coloured by ``areas`` (area_id, fill as hex, tooltip as text), with the names
    of ``labels`` (from ``label_records``) on top. Tooltips are plain text: deck.gl inserts them as text, so no
    data string becomes HTML."""
    by_area = areas.set_index("area_id")
    rgba = {colour: hex_to_rgba(colour, 235) for colour in by_area["fill"].unique()}
    polygons = records.assign(
        fill=records["area_id"].map(by_area["fill"]).map(rgba),
        tooltip=records["area_id"].map(by_area["tooltip"]).map(inert),
    )[["area_id", "polygon", "fill", "tooltip"]]
    layers = [pdk.Layer(
        "PolygonLayer", polygons, id=AREA_LAYER_ID, get_polygon="polygon", get_fill_color="fill",
        get_line_color=hex_to_rgba(OUTLINE), line_width_min_pixels=1, stroked=True, filled=True, pickable=True,
        auto_highlight=True, highlight_color=[0, 0, 0, 60],
    )]
    if outlines:
        layers.append(pdk.Layer("PathLayer", outlines, id="outlines", get_path="path", get_color=hex_to_rgba(PARENT_OUTLINE),
                                width_min_pixels=2.5, pickable=False))
    if highlight:
        layers.append(pdk.Layer("PathLayer", highlight, id="selection", get_path="path", get_color=hex_to_rgba(CHOSEN),
                                width_min_pixels=5, pickable=False))
    if labels is not None:
        layers.append(pdk.Layer(
            "TextLayer", labels[["name", "position", "priority"]], id="labels", get_text="name",
            get_position="position", get_size=LABEL_PX,
            get_color=hex_to_rgba(TEXT), character_set='"auto"', font_weight=600,
            font_family='"Helvetica, Arial, sans-serif"', font_settings={"sdf": True},
            outline_width=3, outline_color=hex_to_rgba(BACKGROUND, 230), pickable=False,
            extensions=[{"@@type": "CollisionFilterExtension"}], get_collision_priority="priority",
            collision_test_props={"sizeScale": COLLISION_SCALE, "background": True},
        ))
    return CompactDeck(
        layers=layers, initial_view_state=fit_view(bounds_of(records)), map_provider=None, map_style=BLANK_STYLE,
        tooltip={"text": "{tooltip}"}, views=[pdk.View(type="MapView", controller=CONTROLLER)],
    )
