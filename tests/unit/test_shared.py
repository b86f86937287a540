"""Shared results: keyed by the builder and the view the caller names, never by the arguments passed along."""

import logging

import pandas as pd
import plotly.graph_objects as go
import pytest

from sozialdash.ui import shared

VIEW = ("build-1", ("sgb2_quote",), ("101", "102"), 2024)
calls = []


def counted_chart(frame: pd.DataFrame) -> go.Figure:
    calls.append(frame)
    return go.Figure(go.Bar(y=list(frame["value"])))


def counted_table(frame: pd.DataFrame) -> pd.DataFrame:
    calls.append(frame)
    return frame.assign(doubled=frame["value"] * 2)


@pytest.fixture(autouse=True)
def fresh():
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # cache_resource outside a running app warns
    calls.clear()
    shared._built.clear()
    yield
    shared._built.clear()


def test_the_same_view_is_built_once_whatever_comes_with_it():
    first = shared.built(counted_chart, VIEW, pd.DataFrame({"value": [1.0]}))
    again = shared.built(counted_chart, VIEW, pd.DataFrame({"value": [9.0]}))
    assert again is first and len(calls) == 1
    assert list(first.data[0].y) == [1.0]


@pytest.mark.parametrize("other", [
    ("build-2", ("sgb2_quote",), ("101", "102"), 2024),   # a new build of the store
    ("build-1", ("kinderarmut",), ("101", "102"), 2024),
    ("build-1", ("sgb2_quote",), ("102", "101"), 2024),   # the order the areas were chosen in
    ("build-1", ("sgb2_quote",), ("101", "102"), 2023),
])
def test_another_view_gets_its_own_result(other):
    shared.built(counted_chart, VIEW, pd.DataFrame({"value": [1.0]}))
    fig = shared.built(counted_chart, other, pd.DataFrame({"value": [2.0]}))
    assert len(calls) == 2 and list(fig.data[0].y) == [2.0]


def test_builders_of_the_same_view_do_not_share_results():
    figure = shared.built(counted_chart, VIEW, pd.DataFrame({"value": [1.0]}))
    table = shared.built(counted_table, VIEW, pd.DataFrame({"value": [1.0]}))
    assert isinstance(figure, go.Figure) and list(table["doubled"]) == [2.0]


def test_a_shared_figure_gives_the_same_dict_as_the_built_one_without_copying_it_each_run():
    built = counted_chart(pd.DataFrame({"value": [1.0, 2.5]}))
    shared_figure = shared.built(counted_chart, VIEW, pd.DataFrame({"value": [1.0, 2.5]}))
    assert isinstance(shared_figure, go.Figure)
    assert shared_figure.to_dict() == built.to_dict()
    assert shared_figure.to_dict() is shared_figure.to_dict()
