"""Shared figures: keyed by the view the caller names, never by the frames passed along."""

import logging

import pandas as pd
import plotly.graph_objects as go
import pytest

from sozialdash.ui import shared
from sozialdash.views import charts


@pytest.fixture
def builder(monkeypatch):
    """A chart builder in ``views.charts`` that counts its calls and draws the frame's values."""
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # cache_resource outside a running app warns
    calls = []

    def counted_chart(frame: pd.DataFrame) -> go.Figure:
        calls.append(frame)
        return go.Figure(go.Bar(y=list(frame["value"])))

    monkeypatch.setattr(charts, "counted_chart", counted_chart, raising=False)
    shared._figure.clear()
    yield counted_chart, calls
    shared._figure.clear()


def test_the_same_view_is_built_once_whatever_frame_comes_with_it(builder):
    chart, calls = builder
    first = shared.figure(chart, ("build-1", ("sgb2_quote",), ("101", "102"), 2024), pd.DataFrame({"value": [1.0]}))
    again = shared.figure(chart, ("build-1", ("sgb2_quote",), ("101", "102"), 2024), pd.DataFrame({"value": [9.0]}))
    assert again is first and len(calls) == 1
    assert list(first.data[0].y) == [1.0]


@pytest.mark.parametrize("other", [
    ("build-2", ("sgb2_quote",), ("101", "102"), 2024),   # a new build of the store
    ("build-1", ("kinderarmut",), ("101", "102"), 2024),
    ("build-1", ("sgb2_quote",), ("102", "101"), 2024),   # the order the areas were chosen in
    ("build-1", ("sgb2_quote",), ("101", "102"), 2023),
])
def test_another_view_gets_its_own_figure(builder, other):
    chart, calls = builder
    shared.figure(chart, ("build-1", ("sgb2_quote",), ("101", "102"), 2024), pd.DataFrame({"value": [1.0]}))
    fig = shared.figure(chart, other, pd.DataFrame({"value": [2.0]}))
    assert len(calls) == 2 and list(fig.data[0].y) == [2.0]
