"""Figures built once for every session that asks for the same one.

A room looks at the same comparisons, and plotly's figure objects are slow to build (their property machinery took
four fifths of a Vergleich run: 0.3 s on the demo); sending a finished figure costs a tenth of that. Figures are
keyed by their builder and its arguments (frames hashed by content), bounded in number and age, and treated as
read-only: ``st.plotly_chart`` copies a figure before it serialises it.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from sozialdash.views import charts


@st.cache_resource(show_spinner=False, max_entries=96, ttl=1800)
def _figure(builder: str, *args) -> go.Figure:
    return getattr(charts, builder)(*args)


def figure(builder: Callable[..., go.Figure], *args) -> go.Figure:
    """``builder(*args)`` from ``views.charts``, shared."""
    return _figure(builder.__name__, *args)
