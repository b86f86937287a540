"""Plotly figures for comparisons: pure functions, data in, figure out.

Every text that comes from data goes through ``_safe`` before it reaches a figure, because plotly renders a
subset of HTML in hover texts, titles and labels. Numbers in hover texts are pre-formatted the German way, and
axes use German separators without SI suffixes ("35.000", never "35k").

The charts are projected in meetings, so text is large and near-black (``FONT``, ``TICK_FONT``, ``TITLE_FONT``
in ``_style``, the one place for them). Where space is scarce (axis categories, legend entries, point labels)
long names are shortened with an ellipsis; the hover text always carries the full name.

Area frames carry ``name`` and ``level_label`` (the store's German level label, empty for the city), so every
label says the level: a Sozialraum and a Stadtteil may share a name.

Every chart is put together as traces and a plain layout dict and made a figure once: ``go.Figure(data, layout)``
validates every property as well, while adding traces, lines and axis styles one by one through plotly's figure
methods (``add_trace(row=, col=)``, ``add_hline``, ``update_xaxes``) re-checks the whole figure at every step, three
times as long (0.11 s for the bars of five indicators). ``_panel``, ``_line`` and ``_line_label`` give what those
methods would have set.
"""

from __future__ import annotations

import copy
import html
import math
import textwrap
from collections import Counter

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sozialdash import fmt
from sozialdash.glossary import judgement_text
from sozialdash.views import colors
from sozialdash.views.colors import JUDGEMENT_COLOURS, JUDGEMENT_LEGEND_LABELS, NO_DATA, SERIES_COLOURS, text_colour_on
from sozialdash.views.tables import interval_text, slug

FONT = dict(family="Source Sans Pro, sans-serif", size=17, color=colors.TEXT)
TICK_FONT = dict(size=16, color=colors.TEXT)
TITLE_FONT = dict(size=20, color=colors.TEXT)
BAR_TEXT_SIZE = 15
LABEL_CHARS = fmt.LABEL_CHARS
WRAP_CHARS = 14           # bar categories stand upright, broken into lines of about this length
MAX_AREAS_SIDE_BY_SIDE = 4  # more areas than this: one panel per row, so their names fit under the bars
CITY_LINE = dict(color=colors.CITY_LINE, width=2, dash="dash")
PANEL_PX, GAP_PX, FRAME_PX = 340, 190, 140   # one small multiple, the room for its area names, margins
MAX_YEAR_LABELS = 6       # per panel, so year labels stay horizontal in a half-width panel
MAX_POINT_LABELS = 20     # a scatter with more points names only the chosen areas
LEGEND_PX = 60            # one or two legend rows above the panels' titles
CAMERA_SCALE = 2          # the camera's PNG at twice the size on screen: sharp on a slide


def camera(*name) -> dict:
    """``st.plotly_chart``'s ``config`` for every chart: plotly's camera in the modebar saves the chart as a PNG
    in the browser (no server, no internet), at ``CAMERA_SCALE`` and under a German file name made of ``name``
    (``tables.slug``: "musterstadt_demo_vergleich_balken_2024.png") instead of "newplot.png"."""
    file_name = "_".join(part for part in (slug(p) for p in name) if part) or "diagramm"
    return {"toImageButtonOptions": {"format": "png", "filename": file_name, "scale": CAMERA_SCALE},
            "displaylogo": False}


def _safe(text) -> str:
    return html.escape(str(text), quote=False)


def _merge(into: dict, patch: dict) -> dict:
    """``patch`` merged into ``into`` as plotly's ``update`` does (nested dicts key by key, other values replaced);
    values are copied, so the style constants above never change."""
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)
    return into


def _axes(layout: dict, axis: str, patch: dict) -> None:
    """``patch`` merged into every x or y axis of ``layout`` (``fig.update_xaxes``); a figure without subplots
    has the one axis."""
    for name in [k for k in layout if k.startswith(axis)] or [axis]:
        _merge(layout.setdefault(name, {}), patch)


def _style(layout: dict, height: int, legend: bool = False) -> dict:
    """The charts' one look (fonts, margins, axes), merged into ``layout``, a figure's layout as a dict."""
    _merge(layout, dict(
        font=FONT, height=height, margin=dict(l=10, r=10, t=(LEGEND_PX if legend else 0) + 60, b=10),
        plot_bgcolor="white", separators=",.",
        showlegend=legend, legend=dict(font=FONT, orientation="h", x=0, xanchor="left", y=1, yanchor="top",
                                       yref="container", title=dict(font=FONT)),
        hoverlabel=dict(font=dict(size=FONT["size"])), title=dict(font=TITLE_FONT),
    ))
    _axes(layout, "xaxis", dict(showgrid=False, tickfont=TICK_FONT, exponentformat="none", separatethousands=True,
                                automargin=True, title=dict(font=FONT)))
    _axes(layout, "yaxis", dict(gridcolor=colors.GRID, zeroline=False, tickfont=TICK_FONT, exponentformat="none",
                                separatethousands=True, automargin=True, title=dict(font=FONT)))
    return layout


def _unique(labels: list[str]) -> list[str]:
    """Plotly merges equal category labels into one bar, so a shortened label that repeats (two long names with
    the same start) gets a running number."""
    counts, seen, out = Counter(labels), Counter(), []
    for label in labels:
        seen[label] += 1
        out.append(f"{label} [{seen[label]}]" if counts[label] > 1 else label)
    return out


def _area_labels(frame: pd.DataFrame, max_chars: int | None = None, wrap: int | None = None) -> list[str]:
    """'Name (Level)' per row; with ``max_chars`` the names are shortened and the labels made unique. With
    ``wrap`` (axis categories, which plotly would otherwise turn sideways) the name is broken into lines of
    about that many characters and the level gets a line of its own."""
    names = list(frame["name"]) if max_chars is None else fmt.shorten_all(frame["name"], max_chars)
    if wrap:
        names = ["<br>".join(_safe(line) for line in textwrap.wrap(n, wrap)) for n in names]
    else:
        names = [_safe(n) for n in names]
    labels = [fmt.area_label(n, _safe(lv) if isinstance(lv, str) else None, joint="<br>" if wrap else " ")
              for n, lv in zip(names, frame["level_label"])]
    return labels if max_chars is None else _unique(labels)


def _title(ind) -> str:
    return _safe(f"{ind.short_name} ({ind.unit})" if ind.unit else ind.short_name)


def _small_multiples(indicators: pd.DataFrame, gap: int = GAP_PX, columns: int = 2) -> tuple[dict, int]:
    """The layout (a dict) of a grid of panels, one per indicator, with ``gap`` pixels between rows for the axis
    labels, and the figure's height. Panels are numbered row by row (``_panel``)."""
    count = max(len(indicators), 1)
    cols = min(columns, count)
    rows = math.ceil(count / cols)
    plot_height = rows * PANEL_PX + (rows - 1) * gap
    layout = make_subplots(rows=rows, cols=cols, subplot_titles=[_title(i) for i in indicators.itertuples()],
                           vertical_spacing=gap / plot_height if rows > 1 else 0.1,
                           horizontal_spacing=0.1).to_dict()["layout"]
    for title in layout.get("annotations", []):  # only the subplot titles exist yet
        _merge(title, dict(font=TITLE_FONT))
    return layout, plot_height + FRAME_PX


def _panel(n: int) -> dict:
    """The axes of panel ``n`` (0-based, row by row) of the small multiples, as ``add_trace(row=, col=)`` sets
    them."""
    return dict(xaxis="x" if n == 0 else f"x{n + 1}", yaxis="y" if n == 0 else f"y{n + 1}")


def _judgement_key(codes, **axes) -> list[go.Scatter]:
    """Legend entries for the judgement colours that the figure shows, in the glossary's order."""
    present = set(codes)
    return [go.Scatter(x=[None], y=[None], mode="markers", name=JUDGEMENT_LEGEND_LABELS[code], showlegend=True,
                       hoverinfo="skip", marker=dict(symbol="square", size=18, color=colour,
                                                     line=dict(color=colors.MARK_EDGE, width=1)), **axes)
            for code, colour in JUDGEMENT_COLOURS.items() if code in present]


def _line(axis: str, value: float, line: dict, n: int = 0) -> dict:
    """A line across panel ``n`` at ``value`` of its ``axis`` ("y": horizontal, "x": vertical), the shape
    ``fig.add_hline`` / ``add_vline`` make."""
    xref, yref = _panel(n).values()
    if axis == "y":
        return dict(type="line", x0=0, x1=1, xref=f"{xref} domain", y0=value, y1=value, yref=yref, line=line)
    return dict(type="line", x0=value, x1=value, xref=xref, y0=0, y1=1, yref=f"{yref} domain", line=line)


def _line_label(axis: str, value: float, text: str, anchor: str = "center", n: int = 0, **style) -> dict:
    """The label ``add_hline`` / ``add_vline`` put at the top of such a line: at its left or right end
    (``anchor``) on a horizontal line, above a vertical one."""
    xref, yref = _panel(n).values()
    if axis == "y":
        where = dict(x=0 if anchor == "left" else 1, xanchor=anchor, xref=f"{xref} domain", y=value,
                     yanchor="bottom", yref=yref)
    else:
        where = dict(x=value, xanchor="center", xref=xref, y=1, yanchor="bottom", yref=f"{yref} domain")
    return dict(text=text, showarrow=False, **where, **style)


def bars_with_intervals(values: pd.DataFrame, indicators: pd.DataFrame, city: pd.DataFrame) -> go.Figure:
    """Small multiples, one per indicator: a bar per area coloured by its judgement against the city, the
    95 % interval as whiskers where there is one and the city value as a dashed line. Units differ, so axes
    are not shared. Every area of ``values`` gets a place on the axis; one without a bar says why (secret or
    no data) under its name. A value without an interval gets no whisker, never a zero-width one."""
    areas = values["area_id"].nunique()
    layout, height = _small_multiples(indicators, columns=2 if areas <= MAX_AREAS_SIDE_BY_SIDE else 1)
    traces, lines, shown = [], [], []
    for n, ind in enumerate(indicators.itertuples()):
        part = values[values["indicator_id"] == ind.indicator_id]
        hidden = part["suppression"].notna()
        gaps = ["suppressed" if h else None if pd.notna(v) else "missing" for v, h in zip(part["value"], hidden)]
        full = _area_labels(part)
        texts = [_safe(fmt.cell(v, ind.decimals, ind.unit, h)) for v, h in zip(part["value"], hidden)]
        with_ci = part["value"].notna() & part["ci_low"].notna() & part["ci_high"].notna()
        hover = [f"{name}<br>{text}"
                 + (f"<br>95-%-KI: {interval_text(lo, hi, ind.decimals)}" if ci else "")
                 + f"<br>{judgement_text(gap or j)}"
                 for name, text, lo, hi, ci, j, gap in zip(full, texts, part["ci_low"], part["ci_high"], with_ci,
                                                           part["judgement_city"], gaps)]
        fills = [JUDGEMENT_COLOURS.get(j, NO_DATA) for j in part["judgement_city"]]
        shown += [j for j, gap in zip(part["judgement_city"], gaps) if gap is None]
        categories = [f"{label}<br>{judgement_text(gap)}" if gap else label
                      for label, gap in zip(_area_labels(part, LABEL_CHARS, wrap=WRAP_CHARS), gaps)]
        whiskers = dict(type="data", symmetric=False, array=(part["ci_high"] - part["value"]).where(with_ci),
                        arrayminus=(part["value"] - part["ci_low"]).where(with_ci), color=colors.TEXT,
                        thickness=2, width=8) if with_ci.any() else None
        inside = bool(with_ci.any())  # values inside the bars; above them where no whisker is in the way
        traces.append(go.Bar(
            x=categories, y=part["value"], text=texts, textposition="inside" if inside else "outside",
            insidetextanchor="start", textangle=0, textfont=dict(
                color=[text_colour_on(f) for f in fills] if inside else colors.TEXT, size=BAR_TEXT_SIZE),
            marker=dict(color=fills, line=dict(color=colors.MARK_EDGE, width=1)), error_y=whiskers,
            hovertext=hover, hoverinfo="text", cliponaxis=False, showlegend=False, **_panel(n),
        ))
        city_value = city.loc[city["indicator_id"] == ind.indicator_id, "value"]
        if ind.value_type != "count" and len(city_value) and pd.notna(city_value.iloc[0]):
            y = float(city_value.iloc[0])
            lines.append((_line("y", y, CITY_LINE, n),
                          _line_label("y", y, f"Stadt {fmt.number(y, ind.decimals)}", "left", n,
                                      font=dict(size=TICK_FONT["size"]), bgcolor="rgba(255,255,255,0.85)")))
    traces += _judgement_key(shown, **_panel(0))
    if lines:
        layout["shapes"] = [shape for shape, _ in lines]
        layout["annotations"] = layout.get("annotations", []) + [label for _, label in lines]
    _merge(layout, dict(legend=dict(title=dict(text="Bewertung ggü. Gesamtstadt:"))))
    _style(layout, height, legend=True)
    _axes(layout, "xaxis", dict(tickangle=0))
    layout["uniformtext"] = dict(minsize=BAR_TEXT_SIZE - 1, mode="hide")
    return go.Figure(data=traces, layout=layout)


def _year_ticks(years: list[int]) -> dict:
    """A tick on every year that has data (not every second calendar year); with many years every k-th is
    labelled, counted back from the latest, which is always labelled. Years are text: "2.015" would be a number."""
    step = math.ceil(len(years) / MAX_YEAR_LABELS) if years else 1
    return dict(tickmode="array", tickvals=years, tickangle=0,
                ticktext=[str(y) if (len(years) - 1 - i) % step == 0 else "" for i, y in enumerate(years)])


def time_series(series: pd.DataFrame, indicators: pd.DataFrame) -> go.Figure:
    """Small multiples, one per indicator: a line per area and the city as a dashed line."""
    layout, height = _small_multiples(indicators, gap=GAP_PX // 2)
    traces = []
    areas = list(dict.fromkeys(series.loc[series["level"] > 0, "area_id"]))
    colour = {a: SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, a in enumerate(areas)}
    first = series.drop_duplicates("area_id")
    short = dict(zip(first["area_id"], _area_labels(first, LABEL_CHARS)))
    full = dict(zip(first["area_id"], _area_labels(first)))
    for n, ind in enumerate(indicators.itertuples()):
        part = series[series["indicator_id"] == ind.indicator_id]
        for area_id, line in part.groupby("area_id", sort=False):
            is_city = int(line["level"].iloc[0]) == 0
            traces.append(go.Scatter(
                x=line["year"], y=line["value"], mode="lines+markers", name=short[area_id], legendgroup=area_id,
                showlegend=n == 0, line=CITY_LINE if is_city else dict(color=colour[area_id], width=3),
                marker=dict(size=8),
                hovertext=[f"{full[area_id]} {y}: {_safe(fmt.cell(v, ind.decimals, ind.unit, pd.notna(s)))}"
                           for y, v, s in zip(line["year"], line["value"], line["suppression"])],
                hoverinfo="text", **_panel(n),
            ))
    _style(layout, height, legend=True)
    _axes(layout, "xaxis", _year_ticks(sorted(int(y) for y in series["year"].unique())))
    return go.Figure(data=traces, layout=layout)


def spine_chart(rows: pd.DataFrame, area_name: str) -> go.Figure:
    """Fingertips-style overview of one area: per indicator the range of all areas on its level (light: min–max,
    darker: middle half), the city at the centre line and the area as a dot in its judgement colour.

    ``rows`` are the indicators that can be drawn (a value of the area and of the city, a spread on the level:
    see ``ui.vergleich.spine_rows``). Each row is scaled so the city sits at 0 and the farthest area at ±1;
    rows with a polarity are turned so that better is always to the right, which makes the chart readable
    without knowing each indicator.
    """
    rows = rows.reset_index(drop=True)
    reach = np.maximum(np.abs(rows["level_max"] - rows["city_value"]), np.abs(rows["city_value"] - rows["level_min"]))
    reach = reach.where(reach > 0, 1.0)
    sign = np.where(rows["polarity"] == "higher_is_worse", -1.0, 1.0)

    def scale(column: str) -> np.ndarray:
        return sign * (rows[column] - rows["city_value"]) / reach

    low = np.minimum(scale("level_min"), scale("level_max"))
    high = np.maximum(scale("level_min"), scale("level_max"))
    q_low = np.minimum(scale("level_p25"), scale("level_p75"))
    q_high = np.maximum(scale("level_p25"), scale("level_p75"))
    labels = _unique([_safe(n) for n in fmt.shorten_all(rows["short_name"], LABEL_CHARS + 4)])
    traces = [
        go.Bar(y=labels, x=high - low, base=low, orientation="h", marker_color=colors.RANGE_FULL, hoverinfo="skip",
               width=0.7, showlegend=False),
        go.Bar(y=labels, x=q_high - q_low, base=q_low, orientation="h", marker_color=colors.RANGE_MIDDLE,
               hoverinfo="skip", width=0.7, showlegend=False),
    ]
    hidden = rows["suppression"].notna()
    hover = [
        f"{_safe(r.name)}<br>{_safe(area_name)}: {_safe(fmt.cell(r.value, r.decimals, r.unit, h))}"
        f"<br>Gesamtstadt: {_safe(fmt.with_unit(r.city_value, r.decimals, r.unit))}"
        f"<br>Spanne: {fmt.number(r.level_min, r.decimals)} – {fmt.number(r.level_max, r.decimals)}"
        f"<br>{judgement_text('suppressed' if h else r.judgement_city)}"
        for r, h in zip(rows.itertuples(), hidden)
    ]
    traces.append(go.Scatter(
        y=labels, x=scale("value"), mode="markers", hovertext=hover, hoverinfo="text", showlegend=False,
        marker=dict(size=18, line=dict(color=colors.TEXT, width=1.5),
                    color=[JUDGEMENT_COLOURS.get(j, NO_DATA) for j in rows["judgement_city"]]),
    ))
    traces += _judgement_key(rows["judgement_city"])
    layout = dict(legend=dict(title=dict(text="Punkt: Bewertung ggü. Gesamtstadt:")),
                  shapes=[_line("x", 0, dict(color=colors.TEXT, width=2))])
    _style(layout, 40 * len(rows) + 170, legend=True)
    _merge(layout, dict(
        barmode="overlay", bargap=0.25,
        yaxis=dict(range=[len(rows) - 0.5, -0.5], showgrid=False),  # first row on top, no empty slots
        xaxis=dict(range=[-1.08, 1.08], tickvals=[-1, 0, 1], ticktext=["ungünstiger", "Gesamtstadt", "günstiger"],
                   side="top"),
    ))
    return go.Figure(data=traces, layout=layout)


def scatter(table: pd.DataFrame, x_ind: pd.Series, y_ind: pd.Series, city_x: float | None, city_y: float | None,
            highlight: list[str], corners: dict[str, str] | None = None) -> go.Figure:
    """Two indicators across the areas of one level, with the city values as a crosshair. Points are named
    (shortened; the hover has the full name); beyond ``MAX_POINT_LABELS`` points only the chosen areas are, as
    28 names on top of each other are read by nobody. ``corners`` names the quadrants the crosshair makes, by
    corner ("top left", "bottom right", …), written small inside the plot."""
    both = table.dropna(subset=["x", "y"])
    picked = both["area_id"].isin(highlight)
    named = picked | (len(both) <= MAX_POINT_LABELS)
    points = go.Scatter(
        x=both["x"], y=both["y"], mode="markers+text",
        text=[_safe(n) if show else "" for n, show in zip(fmt.shorten_all(both["name"], LABEL_CHARS), named)],
        textposition="top center", textfont=dict(size=TICK_FONT["size"] - 1, color=colors.TEXT),
        marker=dict(size=np.where(picked, 18, 12), color=np.where(picked, colors.CHOSEN_POINT, colors.POINT),
                    line=dict(color=colors.BACKGROUND, width=1)),
        hovertext=[f"{_safe(n)}<br>{_safe(x_ind['short_name'])}: {_safe(fmt.with_unit(x, x_ind['decimals'], x_ind['unit']))}"
                   f"<br>{_safe(y_ind['short_name'])}: {_safe(fmt.with_unit(y, y_ind['decimals'], y_ind['unit']))}"
                   for n, x, y in zip(both["name"], both["x"], both["y"])],
        hoverinfo="text",
    )
    crosshair = [(axis, value, anchor) for axis, value, anchor in [("x", city_x, "center"), ("y", city_y, "right")]
                 if value is not None]
    layout = dict(xaxis=dict(title=dict(text=_safe(_axis_title(x_ind)))),
                  yaxis=dict(title=dict(text=_safe(_axis_title(y_ind)))))
    if crosshair:
        layout["shapes"] = [_line(axis, value, CITY_LINE) for axis, value, _ in crosshair]
        layout["annotations"] = [_line_label(axis, value, "Gesamtstadt", anchor, font=dict(size=TICK_FONT["size"]))
                                 for axis, value, anchor in crosshair]
    for corner, text in (corners or {}).items():
        vertical, horizontal = corner.split()
        layout.setdefault("annotations", []).append(dict(
            text=_safe(text), xref="paper", yref="paper", x=0.01 if horizontal == "left" else 0.99,
            y=0.99 if vertical == "top" else 0.01, xanchor=horizontal, yanchor=vertical, showarrow=False,
            font=dict(size=TICK_FONT["size"], color=colors.CITY_LINE)))
    return go.Figure(data=[points], layout=_style(layout, 680))


def _axis_title(ind: pd.Series) -> str:
    return f"{fmt.shorten(ind['name'], 60)} ({ind['unit']})" if ind["unit"] else fmt.shorten(ind["name"], 60)
