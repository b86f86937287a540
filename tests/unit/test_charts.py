"""Chart builders and the Vergleich's helpers on six-row frames with known answers."""

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from sozialdash import fmt
from sozialdash.ui.vergleich import SPINE_REASONS, spine_rows, without_interval
from sozialdash.views import charts, colors


def test_area_label_keeps_the_level_when_the_name_is_shortened():
    assert fmt.area_label("Nord", "Sozialraum") == "Nord (Sozialraum)"
    assert fmt.area_label("Musterstadt", None) == "Musterstadt"
    long = fmt.area_label(fmt.shorten_all(["x" * 300])[0], "Stadtteil")
    assert long.endswith(f"{fmt.ELLIPSIS} (Stadtteil)") and len(long) == 40 + len(" (Stadtteil)")
    assert fmt.area_label("Nord", "Sozialraum", joint="<br>") == "Nord<br>(Sozialraum)"


def test_short_names_that_collide_keep_their_ends_and_stay_unique():
    names = ["Quartier am Güterbahnhof Nordteil" * 3 + "Nord", "Quartier am Güterbahnhof Nordteil" * 3 + "Süd",
             "Kurz"]
    frame = pd.DataFrame({"name": names + [names[0]], "level_label": ["Stadtteil"] * 3 + ["Sozialraum"]})
    labels = charts._area_labels(frame, 24)
    assert len(set(labels)) == 4
    assert labels[0].endswith("Nord (Stadtteil)") and labels[1].endswith("Süd (Stadtteil)")
    assert labels[2] == "Kurz (Stadtteil)"
    assert charts._area_labels(pd.DataFrame({"name": ["a", "a"], "level_label": ["L", "L"]}), 24) == \
        ["a (L) [1]", "a (L) [2]"]


def test_year_ticks_sit_on_the_years_with_data_and_label_the_latest():
    years = [2011, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]
    ticks = charts._year_ticks(years)
    assert ticks["tickvals"] == years
    assert ticks["ticktext"][-1] == "2024"
    assert sum(bool(t) for t in ticks["ticktext"]) <= charts.MAX_YEAR_LABELS
    assert charts._year_ticks([2015, 2018, 2021])["ticktext"] == ["2015", "2018", "2021"]


def _values(**columns):
    base = dict(indicator_id="a", area_id=["1", "2", "3"], name=["Nord", "Süd", "West"],
                level_label="Sozialraum", value=[10.0, 12.0, np.nan], ci_low=[9.0, np.nan, np.nan],
                ci_high=[11.5, np.nan, np.nan], suppression=[None, None, "primary"],
                judgement_city=["worse", "not_comparable", "suppressed"])
    return pd.DataFrame({**base, **columns})


INDICATORS = pd.DataFrame({"indicator_id": ["a"], "short_name": ["Quote"], "unit": ["%"], "decimals": [1],
                           "value_type": ["proportion"]}).set_index("indicator_id", drop=False)


def test_a_bar_without_interval_has_no_whisker():
    fig = charts.bars_with_intervals(_values(), INDICATORS, pd.DataFrame({"indicator_id": ["a"], "value": [11.0]}))
    bar = [t for t in fig.data if t.type == "bar"][0]
    assert bar.error_y.array[0] == pytest.approx(1.5) and bar.error_y.arrayminus[0] == pytest.approx(1.0)
    assert math.isnan(bar.error_y.array[1]) and math.isnan(bar.error_y.array[2])
    assert bar.x[2] == "West<br>(Sozialraum)<br>geheim"
    long = charts.bars_with_intervals(_values(name=["Quartier am alten Güterbahnhof Nord", "Süd", "West"]),
                                      INDICATORS, pd.DataFrame({"indicator_id": ["a"], "value": [11.0]}))
    lines = long.data[0].x[0].split("<br>")  # shortened, then broken into lines that fit under a bar
    assert lines == ["Quartier am", "alten", f"Güterbahn{fmt.ELLIPSIS}", "(Sozialraum)"]
    assert all(len(line) <= charts.WRAP_CHARS for line in lines)


def test_bars_with_no_interval_at_all_have_no_error_bars():
    fig = charts.bars_with_intervals(_values(ci_low=np.nan, ci_high=np.nan), INDICATORS,
                                     pd.DataFrame({"indicator_id": ["a"], "value": [11.0]}))
    bar = [t for t in fig.data if t.type == "bar"][0]
    assert bar.error_y.array is None
    assert bar.textposition == "outside" and bar.textfont.color == colors.TEXT  # dark on the white page


def test_the_interval_note_names_the_areas_without_one():
    note = without_interval(_values(), INDICATORS)
    assert note.startswith("Ohne Vertrauensbereich") and "Quote bei Süd (Sozialraum)" in note
    assert "West" not in note  # secret: no bar at all, so no missing whisker either
    assert without_interval(_values(ci_low=[9.0, 11.0, np.nan], ci_high=[11.0, 13.0, np.nan]), INDICATORS) is None


def _overview():
    return pd.DataFrame({
        "short_name": ["Quote", "Anzahl", "Ohne Stadt", "Flach", "Geheim", "Leer"],
        "value_type": ["proportion", "count", "proportion", "proportion", "rate", "mean"],
        "value": [5.0, 100.0, 5.0, 5.0, np.nan, np.nan], "suppression": [None] * 4 + ["primary", None],
        "city_value": [4.0, 1000.0, np.nan, 5.0, 3.0, 3.0],
        "level_min": [1.0, 10.0, 1.0, 5.0, 1.0, 1.0], "level_max": [9.0, 200.0, 9.0, 5.0, 9.0, 9.0],
    })


def test_spine_rows_keep_the_drawable_and_name_the_others_with_one_reason_each():
    rows, left_out = spine_rows(_overview())
    assert list(rows["short_name"]) == ["Quote"]
    assert left_out == {"count": ["Anzahl"], "suppressed": ["Geheim"], "missing": ["Leer"],
                        "no_city": ["Ohne Stadt"], "no_spread": ["Flach"]}
    assert set(left_out) <= set(SPINE_REASONS)


@pytest.mark.parametrize("axis, anchor, position, n", [
    ("y", "left", "top left", 0), ("y", "left", "top left", 3), ("y", "right", "top right", 0),
    ("x", "center", "top", 0), ("x", "center", "top", 2),
])
def test_lines_labels_and_panels_are_what_plotlys_own_methods_set(axis, anchor, position, n):
    """The charts are built as dicts (one validation instead of plotly's figure methods); what they put there
    must be what ``add_hline``/``add_vline`` and ``add_trace(row=, col=)`` would have set."""
    fig = make_subplots(rows=2, cols=2)
    where = dict(row=n // 2 + 1, col=n % 2 + 1)
    fig.add_trace(go.Scatter(x=[1], y=[1]), **where)  # plotly draws no line in an empty panel
    add = fig.add_hline if axis == "y" else fig.add_vline
    add(1.5, line=charts.CITY_LINE, annotation_text="Stadt", annotation_position=position, **where)
    drawn = fig.to_dict()
    built = go.Figure(data=[go.Scatter(x=[1], y=[1], **charts._panel(n))],
                      layout=dict(shapes=[charts._line(axis, 1.5, charts.CITY_LINE, n)],
                                  annotations=[charts._line_label(axis, 1.5, "Stadt", anchor, n)])).to_dict()
    assert built["layout"]["shapes"] == drawn["layout"]["shapes"]
    assert built["layout"]["annotations"] == drawn["layout"]["annotations"]
    assert built["data"] == drawn["data"]
