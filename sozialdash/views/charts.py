"""Plotly figures for comparisons: pure functions, data in, figure out.

Every text that comes from data goes through ``_safe`` before it reaches a figure, because plotly renders a
subset of HTML in hover texts, titles and labels. Numbers in hover texts are pre-formatted the German way.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sozialdash import fmt
from sozialdash.glossary import judgement_text
from sozialdash.views.colors import JUDGEMENT_COLOURS, NO_DATA, text_colour_on

FONT = dict(family="Source Sans Pro, sans-serif", size=15)
CITY_LINE = dict(color="#333333", width=2, dash="dash")
SERIES_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]


def _safe(text) -> str:
    return html.escape(str(text), quote=False)


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(font=FONT, height=height, margin=dict(l=10, r=10, t=60, b=10), plot_bgcolor="white",
                      separators=",.", showlegend=False)
    fig.update_xaxes(showgrid=False)
    fig.update_yaxes(gridcolor="#e5e5e5", zeroline=False)
    return fig


def _grid(count: int, columns: int = 2) -> tuple[int, int]:
    cols = min(columns, max(count, 1))
    return math.ceil(max(count, 1) / cols), cols


def bars_with_intervals(values: pd.DataFrame, indicators: pd.DataFrame, city: pd.DataFrame) -> go.Figure:
    """Small multiples, one per indicator: a bar per area coloured by its judgement against the city, the
    95 % interval as whiskers and the city value as a dashed line. Units differ, so axes are not shared."""
    rows, cols = _grid(len(indicators))
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[
        _safe(f"{i.short_name} ({i.unit})" if i.unit else i.short_name) for i in indicators.itertuples()
    ], vertical_spacing=0.12 if rows > 1 else 0.1)
    for n, ind in enumerate(indicators.itertuples()):
        row, col = n // cols + 1, n % cols + 1
        part = values[values["indicator_id"] == ind.indicator_id]
        hidden = part["suppression"].notna()
        texts = [_safe(fmt.cell(v, ind.decimals, ind.unit, h)) for v, h in zip(part["value"], hidden)]
        hover = [f"{_safe(name)}<br>{t}"
                 + (f"<br>95-%-KI: {fmt.number(lo, ind.decimals)} – {fmt.number(hi, ind.decimals)}" if pd.notna(lo)
                    else "")
                 + f"<br>{judgement_text(j)}"
                 for name, t, lo, hi, j in zip(part["name"], texts, part["ci_low"], part["ci_high"],
                                               part["judgement_city"])]
        fills = [JUDGEMENT_COLOURS.get(j, NO_DATA) for j in part["judgement_city"]]
        fig.add_trace(go.Bar(
            x=[_safe(f"{name} (geheim)" if h else name) for name, h in zip(part["name"], hidden)], y=part["value"],
            text=texts, textposition="inside",
            insidetextanchor="start", textfont=dict(color=[text_colour_on(f) for f in fills], size=14),
            marker_color=fills,
            error_y=dict(type="data", symmetric=False, array=(part["ci_high"] - part["value"]).fillna(0),
                         arrayminus=(part["value"] - part["ci_low"]).fillna(0), color="#333333", thickness=1.5),
            hovertext=hover, hoverinfo="text", cliponaxis=False,
        ), row=row, col=col)
        city_value = city.loc[city["indicator_id"] == ind.indicator_id, "value"]
        if ind.value_type != "count" and len(city_value) and pd.notna(city_value.iloc[0]):
            fig.add_hline(y=float(city_value.iloc[0]), line=CITY_LINE, row=row, col=col,
                          annotation_text=f"Stadt {fmt.number(city_value.iloc[0], ind.decimals)}",
                          annotation_position="top left")
    return _layout(fig, 360 * rows + 40)


def time_series(series: pd.DataFrame, indicators: pd.DataFrame) -> go.Figure:
    """Small multiples, one per indicator: a line per area and the city as a dashed line."""
    rows, cols = _grid(len(indicators))
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[
        _safe(f"{i.short_name} ({i.unit})" if i.unit else i.short_name) for i in indicators.itertuples()
    ], vertical_spacing=0.12 if rows > 1 else 0.1)
    areas = [a for a in dict.fromkeys(series.loc[series["level"] > 0, "area_id"])]
    colour = {a: SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, a in enumerate(areas)}
    for n, ind in enumerate(indicators.itertuples()):
        row, col = n // cols + 1, n % cols + 1
        part = series[series["indicator_id"] == ind.indicator_id]
        for area_id, line in part.groupby("area_id", sort=False):
            is_city = int(line["level"].iloc[0]) == 0
            name = _safe(line["name"].iloc[0])
            fig.add_trace(go.Scatter(
                x=line["year"], y=line["value"], mode="lines+markers", name=name, legendgroup=name,
                showlegend=n == 0, line=CITY_LINE if is_city else dict(color=colour[area_id], width=2.5),
                hovertext=[f"{name} {y}: {_safe(fmt.cell(v, ind.decimals, ind.unit, pd.notna(s)))}"
                           for y, v, s in zip(line["year"], line["value"], line["suppression"])],
                hoverinfo="text",
            ), row=row, col=col)
    fig = _layout(fig, 320 * rows + 80)
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=1.02 + 0.04 / rows, x=0, yanchor="bottom"))
    fig.update_xaxes(dtick=2)
    return fig


def spine_chart(overview: pd.DataFrame, area_name: str) -> go.Figure:
    """Fingertips-style overview of one area: per indicator the range of all areas on its level (light: min–max,
    darker: middle half), the city at the centre line and the area as a dot in its judgement colour.

    Each row is scaled so the city sits at 0 and the farthest area at ±1; rows with a polarity are turned so that
    better is always to the right, which makes the chart readable without knowing each indicator.
    """
    comparable = overview[overview["value_type"] != "count"]  # a count of one area against the city total says nothing
    rows = comparable.dropna(subset=["city_value", "level_min", "level_max"]).reset_index(drop=True)
    reach = np.maximum(np.abs(rows["level_max"] - rows["city_value"]), np.abs(rows["city_value"] - rows["level_min"]))
    reach = reach.where(reach > 0, 1.0)
    sign = np.where(rows["polarity"] == "higher_is_worse", -1.0, 1.0)

    def scale(column: str) -> np.ndarray:
        return sign * (rows[column] - rows["city_value"]) / reach

    low = np.minimum(scale("level_min"), scale("level_max"))
    high = np.maximum(scale("level_min"), scale("level_max"))
    q_low = np.minimum(scale("level_p25"), scale("level_p75"))
    q_high = np.maximum(scale("level_p25"), scale("level_p75"))
    labels = [_safe(f"{r.short_name}") for r in rows.itertuples()]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=labels, x=high - low, base=low, orientation="h", marker_color="#e3e3e3",
                         hoverinfo="skip", width=0.7))
    fig.add_trace(go.Bar(y=labels, x=q_high - q_low, base=q_low, orientation="h", marker_color="#b5b5b5",
                         hoverinfo="skip", width=0.7))
    hidden = rows["suppression"].notna()
    hover = [
        f"{_safe(r.name)}<br>{_safe(area_name)}: {_safe(fmt.cell(r.value, r.decimals, r.unit, h))}"
        f"<br>Gesamtstadt: {_safe(fmt.with_unit(r.city_value, r.decimals, r.unit))}"
        f"<br>Spanne: {fmt.number(r.level_min, r.decimals)} – {fmt.number(r.level_max, r.decimals)}"
        f"<br>{judgement_text('suppressed' if h else r.judgement_city)}"
        for r, h in zip(rows.itertuples(), hidden)
    ]
    fig.add_trace(go.Scatter(
        y=labels, x=scale("value"), mode="markers", hovertext=hover, hoverinfo="text",
        marker=dict(size=15, line=dict(color="#222222", width=1),
                    color=[JUDGEMENT_COLOURS.get(j, NO_DATA) for j in rows["judgement_city"]]),
    ))
    fig.add_vline(x=0, line=dict(color="#222222", width=2))
    fig.update_layout(barmode="overlay", bargap=0.25)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[-1.08, 1.08], tickvals=[-1, 0, 1],
                     ticktext=["ungünstiger", "Gesamtstadt", "günstiger"])
    return _layout(fig, 28 * len(rows) + 120)


def scatter(table: pd.DataFrame, x_ind: pd.Series, y_ind: pd.Series, city_x: float | None, city_y: float | None,
            highlight: list[str]) -> go.Figure:
    """Two indicators across the areas of one level, with names and the city values as a crosshair."""
    both = table.dropna(subset=["x", "y"])
    picked = both["area_id"].isin(highlight)
    fig = go.Figure(go.Scatter(
        x=both["x"], y=both["y"], mode="markers+text", text=[_safe(n) for n in both["name"]],
        textposition="top center", textfont=dict(size=12),
        marker=dict(size=np.where(picked, 16, 10), color=np.where(picked, "#d95f02", "#2b83ba"),
                    line=dict(color="#ffffff", width=1)),
        hovertext=[f"{_safe(n)}<br>{_safe(x_ind['short_name'])}: {_safe(fmt.with_unit(x, x_ind['decimals'], x_ind['unit']))}"
                   f"<br>{_safe(y_ind['short_name'])}: {_safe(fmt.with_unit(y, y_ind['decimals'], y_ind['unit']))}"
                   for n, x, y in zip(both["name"], both["x"], both["y"])],
        hoverinfo="text",
    ))
    if city_x is not None:
        fig.add_vline(x=city_x, line=CITY_LINE, annotation_text="Gesamtstadt", annotation_position="top")
    if city_y is not None:
        fig.add_hline(y=city_y, line=CITY_LINE, annotation_text="Gesamtstadt", annotation_position="right")
    fig.update_xaxes(title=_safe(f"{x_ind['name']} ({x_ind['unit']})"))
    fig.update_yaxes(title=_safe(f"{y_ind['name']} ({y_ind['unit']})"))
    return _layout(fig, 620)
