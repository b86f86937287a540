"""Static images for slides and Datenblätter: maps and time series as PNG, drawn by matplotlib on the server.

The browser's charts and map need a browser; a PDF engine and a projector without internet need pictures. These
are drawn from the same data as the interactive ones (the fills the map sends, the series the Profil shows), in
the project's colours (``colors``) and German numbers (``fmt``), with matplotlib's Agg backend and its bundled
DejaVu Sans: nothing is fetched, no display is needed.

Maps: geometries come in EPSG:4326 and are drawn equirectangular with the longitude scaled by the cosine of the
middle latitude, so a city keeps its shape (at 50° N a plain lon/lat plot is 1.6 times too wide); over a city's
extent this differs from a transverse Mercator by well under a pixel. All areas are one ``PathCollection`` of
compound paths (each part's outer ring and its holes, oriented so that the nonzero rule leaves holes empty): one
draw call for 10,000 areas, where a patch per area costs a Python object and a draw each.

Area names are drawn only where they have room and never over one another (``_draw_names``): a map of 550
areas shows the names of its larger areas, one of 10,000 none, and no map a pile-up.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.path import Path  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from sozialdash import fmt  # noqa: E402
from sozialdash.views.colors import (BACKGROUND, CHOSEN, CITY_LINE, GRID, MARK_EDGE, NO_DATA, OUTLINE,  # noqa: E402
                                     PARENT_OUTLINE, SERIES_COLOURS, TEXT,
                                     text_colour_on)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PLAIN_TEXT = {"text.parse_math": False, "text.usetex": False}
"""Every string is drawn as written: matplotlib would read "$...$" in a name, unit or source as TeX maths, draw
"$x$" as an italic x and fail on "$\\x$" (a data string must never break an export)."""
FONT = "DejaVu Sans"       # matplotlib's own font: present wherever matplotlib is
MAP_SIZE_PX = (1600, 1000)  # a 16:10 slide's width at 200 dpi: sharp on a projector and in print
SERIES_SIZE_PX = (640, 240)
DPI = 200
TITLE_PT, NOTE_PT, LEGEND_PT, NAME_PT, TICK_PT = 11, 6.5, 7.5, 6, 6.5
PAD = 0.02                  # of the figure, around its parts
LEGEND_SHARE = 0.3          # of a landscape figure's width, beside the map; below the map on a portrait one
OUTLINE_PX = 1.0            # between areas, when an area averages OUTLINE_AREA_PX or more; thinner below
OUTLINE_AREA_PX = 2_000
CHOSEN_PX = 3.0
PARENT_PX = 1.4
NAME_CHARS = fmt.LABEL_CHARS
NAME_WIDTH_EM = 0.6         # DejaVu Sans averages about this width per character, in ems
MAX_NAMES = 80              # a 1600 px map with more names than this reads as text, not as a map
NAME_GAP = 0.5              # ems between two names' boxes
HALO_PX = 3


def map_png(geometries: Sequence, fills: Sequence[str], *, outlined: Sequence[bool] | None = None,
            names: Sequence[str] | None = None, label_points: Sequence | None = None,
            parents: Sequence | None = None, legend: Sequence[tuple[str, str]] = (), title: str | None = None,
            note: str | None = None, size_px: tuple[int, int] = MAP_SIZE_PX, dpi: int = DPI) -> bytes:
    """A map as PNG bytes.

    ``geometries``: shapely (Multi)Polygons in EPSG:4326, one per area (``store.from_wkb(display_wkb)``); empty or
    missing ones are skipped. ``fills``: a hex colour per area, in the same order (the map's fills; None is the
    no-data grey). ``outlined``: per area whether it is drawn with the chosen areas' thick magenta outline (the
    Karte's selection, the Profil's area on its locator). ``names``: per area its name, drawn where it fits, at
    ``label_points`` (shapely points, default each area's ``point_on_surface``). ``parents``: geometries of the
    level above, outlined dark over the areas as on the Karte. ``legend``: (colour, label) entries, beside a
    landscape map and below a portrait one. ``title`` above, ``note`` (the source line) below, both optional.
    ``size_px`` is (width, height) of the image at ``dpi``: printed at width / dpi inches, its text has the
    point sizes above."""
    with matplotlib.rc_context(PLAIN_TEXT):
        return _png(_map_figure(geometries, fills, outlined=outlined, names=names, label_points=label_points,
                                parents=parents, legend=legend, title=title, note=note, size_px=size_px, dpi=dpi))


def _map_figure(geometries, fills, *, outlined, names, label_points, parents, legend, title, note, size_px,
                dpi) -> Figure:
    geometries = np.asarray(geometries, dtype=object)
    fills = [colour or NO_DATA for colour in fills]
    if len(fills) != len(geometries):
        raise ValueError(f"{len(geometries)} Gebiete, aber {len(fills)} Farben")
    width_px, height_px = size_px
    figure = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, facecolor=BACKGROUND)
    top = 1 - PAD - (_text_share(TITLE_PT, height_px, dpi) * 1.6 if title else 0)
    bottom = PAD + (_text_share(NOTE_PT, height_px, dpi) * 1.8 if note else 0)
    right, legend_box = 1 - PAD, None
    if legend:
        if width_px >= height_px:
            right = 1 - LEGEND_SHARE
            legend_box = (right + PAD, top)
        else:
            rows = len(legend)
            legend_height = rows * _text_share(LEGEND_PT, height_px, dpi) * 1.7 + PAD
            legend_box = (PAD, bottom + legend_height)
            bottom += legend_height + PAD
    present = np.flatnonzero(~(shapely.is_missing(geometries) | shapely.is_empty(geometries)))
    scale = _x_scale(geometries[present])
    box = _map_box(geometries[present], scale, (PAD, bottom, right, top), size_px)
    axes = figure.add_axes(box)
    axes.set_axis_off()
    if legend_box is not None and width_px >= height_px:
        legend_box = (box[0] + box[2] + PAD, top)
    paths = _paths(geometries[present], scale)
    line_px = OUTLINE_PX * min(1.0, math.sqrt(box[2] * width_px * box[3] * height_px / max(len(paths), 1)
                                              / OUTLINE_AREA_PX))
    axes.add_collection(PathCollection(paths, facecolors=[fills[i] for i in present], edgecolors=OUTLINE,
                                       linewidths=_points(line_px, dpi), antialiaseds=True))
    if parents is not None:
        axes.add_collection(_outlines(parents, scale, PARENT_OUTLINE, _points(PARENT_PX, dpi)))
    if outlined is not None:
        chosen = geometries[np.flatnonzero(np.asarray(outlined, dtype=bool))]
        if len(chosen):
            axes.add_collection(_outlines(chosen, scale, CHOSEN, _points(CHOSEN_PX, dpi)))
    if len(present):
        minx, miny, maxx, maxy = shapely.total_bounds(geometries[present])
        axes.set_xlim(minx * scale, maxx * scale)
        axes.set_ylim(miny, maxy)
    axes.set_aspect("equal", adjustable="box", anchor="NW")
    axes.apply_aspect()
    if names is not None:
        _draw_names(axes, geometries, names, label_points, fills, scale, dpi)
    if title:
        figure.text(PAD, 1 - PAD, title, ha="left", va="top", fontsize=TITLE_PT, color=TEXT, family=FONT,
                    weight="bold")
    if note:
        figure.text(PAD, PAD, note, ha="left", va="bottom", fontsize=NOTE_PT, color=TEXT, family=FONT)
    if legend:
        handles = [Patch(facecolor=colour, edgecolor=MARK_EDGE, linewidth=0.5, label=label) for colour, label in legend]
        figure.legend(handles=handles, loc="upper left", bbox_to_anchor=legend_box, frameon=False,
                      prop={"family": FONT, "size": LEGEND_PT}, labelcolor=TEXT, handlelength=1.4,
                      handleheight=1.1, borderaxespad=0, borderpad=0)
    return figure


def series_png(years: Sequence[int], values: Sequence[float | None], city_values: Sequence[float | None] | None = None,
               *, decimals: int = 1, unit: str = "", area_label: str | None = None,
               city_label: str = "Gesamtstadt", size_px: tuple[int, int] = SERIES_SIZE_PX, dpi: int = DPI) -> bytes:
    """One indicator's series as PNG bytes: the area as a solid line with points, the city (``city_values``, same
    years) dashed, as on the Vergleich's time series.

    ``values`` may hold None or NaN (secret or missing): the line breaks there and is never drawn across, and a
    year left out of ``years`` breaks it as well when the others are a step apart (yearly data with a year
    missing; data every two years stays one line). The value axis counts with ``decimals`` in German
    (``fmt.number``), its label is ``unit``; years are written without a thousands point. A legend names
    ``area_label`` and ``city_label`` above the chart when the city is drawn and ``area_label`` is given.

    ``analysis.profile.profile_rows`` gives a row's ``series_years``, ``series`` and ``city_series`` for it."""
    with matplotlib.rc_context(PLAIN_TEXT):
        return _png(_series_figure(years, values, city_values, decimals=decimals, unit=unit,
                                   area_label=area_label, city_label=city_label, size_px=size_px, dpi=dpi))


def _series_figure(years, values, city_values, *, decimals: int, unit: str, area_label: str | None,
                   city_label: str, size_px: tuple[int, int], dpi: int) -> Figure:
    x, y = _with_gaps(years, values)
    width_px, height_px = size_px
    figure = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, facecolor=BACKGROUND)
    axes = figure.add_subplot()
    if city_values is not None:
        cx, cy = _with_gaps(years, city_values)
        axes.plot(cx, cy, color=CITY_LINE, linewidth=1.2, linestyle=(0, (4, 2)), marker="o", markersize=2.5,
                  label=city_label)
    axes.plot(x, y, color=SERIES_COLOURS[0], linewidth=2, marker="o", markersize=3.5, label=area_label)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=4))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.number(v, _tick_decimals(axes, decimals))))
    axes.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: str(int(round(v)))))
    if len(x):
        axes.set_xlim(min(x) - 0.3, max(x) + 0.3)
    axes.margins(y=0.15)
    if not np.isfinite([*y, *(cy if city_values is not None else [])]).any():
        axes.set_yticks([])  # nothing published: no scale that would suggest a value
    if unit:
        axes.set_ylabel(unit, fontsize=TICK_PT, color=TEXT, family=FONT)
    axes.tick_params(labelsize=TICK_PT, colors=TEXT, length=2)
    for label in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
        label.set_family(FONT)
    axes.grid(axis="y", color=GRID, linewidth=0.6)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(MARK_EDGE)
        axes.spines[side].set_linewidth(0.6)
    if city_values is not None and area_label:
        handles, labels = axes.get_legend_handles_labels()
        axes.legend(handles[::-1], labels[::-1], loc="lower left", bbox_to_anchor=(0, 1), ncols=2, frameon=False,
                    prop={"family": FONT, "size": TICK_PT}, labelcolor=TEXT, borderaxespad=0.2)
    figure.tight_layout(pad=0.3)
    return figure


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=figure.dpi, facecolor=figure.get_facecolor())
    return out.getvalue()


def _points(px: float, dpi: int) -> float:
    return px * 72 / dpi


def _text_share(points: float, height_px: int, dpi: int) -> float:
    """A line of text of ``points`` as a share of the figure's height."""
    return points * dpi / 72 / height_px


def _x_scale(geometries: np.ndarray) -> float:
    """The cosine of the middle latitude: the east–west metres of a degree of longitude against a degree of
    latitude there."""
    bounds = shapely.total_bounds(geometries)
    middle = (bounds[1] + bounds[3]) / 2 if np.all(np.isfinite(bounds)) else 0.0
    return math.cos(math.radians(middle))


def _map_box(geometries: np.ndarray, scale: float, region: tuple[float, float, float, float],
             size_px: tuple[int, int]) -> tuple[float, float, float, float]:
    """The map's axes (left, bottom, width, height in figure shares) at the top left of ``region`` (left, bottom,
    right, top), as large as the city's shape allows: the legend then sits right beside the map, not beside
    the region's empty rest."""
    left, bottom, right, top = region
    width, height = (right - left) * size_px[0], (top - bottom) * size_px[1]
    if len(geometries):
        minx, miny, maxx, maxy = shapely.total_bounds(geometries)
        shape = (maxx - minx) * scale / (maxy - miny) if maxy > miny else 1.0
        width, height = min(width, height * shape), min(height, width / shape)
    return left, top - height / size_px[1], width / size_px[0], height / size_px[1]


def _paths(geometries: np.ndarray, scale: float) -> list[Path]:
    """One compound path per area, of every part of it: outer rings counter-clockwise, holes clockwise, so
    matplotlib's nonzero fill leaves the holes empty. Made for all areas at once (a shapely call per area cost
    half a second at 10,000 areas)."""
    parts, part_area = shapely.get_parts(shapely.orient_polygons(geometries), return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    vertices, vertex_ring = shapely.get_coordinates(rings, return_index=True)
    vertices = vertices * (scale, 1.0)
    codes = np.full(len(vertices), Path.LINETO, dtype=Path.code_type)
    first = np.flatnonzero(np.diff(vertex_ring, prepend=-1) != 0)
    codes[first] = Path.MOVETO
    codes[np.append(first[1:], len(vertices)) - 1] = Path.CLOSEPOLY
    starts = np.searchsorted(part_area[ring_part][vertex_ring], np.arange(len(geometries) + 1))
    return [Path(vertices[a:b], codes[a:b]) for a, b in zip(starts[:-1], starts[1:])]


def _outlines(geometries, scale: float, colour: str, width_pt: float) -> PathCollection:
    geometries = np.asarray(geometries, dtype=object)
    geometries = geometries[~(shapely.is_missing(geometries) | shapely.is_empty(geometries))]
    return PathCollection(_paths(geometries, scale), facecolors="none", edgecolors=colour, linewidths=width_pt,
                          joinstyle="round")


def _draw_names(axes, geometries: np.ndarray, names: Sequence[str], label_points, fills: list[str], scale: float,
                dpi: int) -> None:
    """Names where they have room, none over another: a name whose box lies inside its area is drawn in black
    or white, whichever reads on the fill; a longer one is drawn dark on a white halo, reaching over the
    neighbours, when its area is at least as high as the text around the label point (the Karte's rule, which
    shows the names of the larger areas among 550). Names that fit come first, then by room per character, at
    most ``MAX_NAMES``; a name's box, enlarged by ``NAME_GAP``, may not touch one placed before it."""
    to_px = axes.transData
    if label_points is None:
        label_points = shapely.point_on_surface(geometries)
    label_points = np.asarray(label_points, dtype=object)
    if len(label_points) != len(geometries):
        raise ValueError(f"{len(geometries)} Gebiete, aber {len(label_points)} Namenspunkte")
    xy = np.column_stack([shapely.get_x(label_points) * scale, shapely.get_y(label_points)])  # NaN: no area
    xy_px = to_px.transform(xy)
    px_per_unit = abs(to_px.transform((1, 0))[0] - to_px.transform((0, 0))[0])
    shown = [fmt.shorten(name, NAME_CHARS) if isinstance(name, str) else "" for name in names]
    chars = np.array([len(s) for s in shown])
    em_px = NAME_PT * dpi / 72
    half = np.column_stack([chars * NAME_WIDTH_EM * em_px / 2 + em_px * 0.15, np.full(len(shown), em_px * 0.65)])
    lo, hi = xy_px - half, xy_px + half
    lo_data, hi_data = to_px.inverted().transform(lo), to_px.inverted().transform(hi)
    boxes = shapely.box(lo_data[:, 0] / scale, lo_data[:, 1], hi_data[:, 0] / scale, hi_data[:, 1])
    inside = shapely.contains(geometries, boxes)
    room = shapely.distance(label_points, shapely.boundary(geometries)) * px_per_unit
    frame = axes.get_window_extent()
    on_map = (lo[:, 0] >= frame.x0) & (hi[:, 0] <= frame.x1) & (lo[:, 1] >= frame.y0) & (hi[:, 1] <= frame.y1)
    candidates = np.flatnonzero((chars > 0) & on_map & (inside | (room >= half[:, 1])))
    order = candidates[np.lexsort((-room[candidates] / np.maximum(chars[candidates], 4), ~inside[candidates]))]
    gap = NAME_GAP * em_px
    placed: list[int] = []
    for i in order:
        if len(placed) >= MAX_NAMES:
            break
        others = np.array(placed, dtype=int)
        if len(others) and np.any((lo[others, 0] - gap < hi[i, 0]) & (hi[others, 0] + gap > lo[i, 0])
                                  & (lo[others, 1] - gap < hi[i, 1]) & (hi[others, 1] + gap > lo[i, 1])):
            continue
        placed.append(i)
    halo = [patheffects.withStroke(linewidth=_points(HALO_PX, dpi), foreground=BACKGROUND)]
    for i in placed:
        axes.text(xy[i, 0], xy[i, 1], shown[i], ha="center", va="center", fontsize=NAME_PT, family=FONT,
                  color=text_colour_on(fills[i]) if inside[i] else TEXT,
                  path_effects=None if inside[i] else halo)


def _with_gaps(years: Sequence[int], values: Sequence[float | None]) -> tuple[list[float], list[float]]:
    """Years and values as floats in year order, NaN for a secret or missing value: matplotlib breaks a line at
    NaN and draws nothing across it. A year the series has no row for was never collected (an election every
    few years, a survey every second), so the line joins the years around it."""
    pairs = sorted((float(year), math.nan if fmt.absent(value) else float(value))
                   for year, value in zip(years, values))
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _tick_decimals(axes, decimals: int) -> int:
    """As many decimals as the indicator has, or fewer when the ticks are whole numbers apart anyway."""
    ticks = axes.yaxis.get_majorticklocs()
    if len(ticks) > 1 and np.allclose(np.asarray(ticks) % 1, 0):
        return 0
    return decimals
