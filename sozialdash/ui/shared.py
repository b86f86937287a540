"""Figures built once for every session that asks for the same one.

A room looks at the same comparisons, and plotly's figure objects are slow to build (their property machinery took
four fifths of a Vergleich run: 0.3 s on the demo); sending a finished figure costs a tenth of that. Figures are
keyed by their builder and the *view* the caller names: what selected the data (the build id and the page's
choices), never the frames themselves. Hashing the frames by content cost more than a quarter of every run (pandas
hashes each Arrow string column element by element), and a view is a handful of ids. Figures are bounded in number
and age, and treated as read-only: ``st.plotly_chart`` copies a figure before it serialises it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import plotly.graph_objects as go
import streamlit as st

from sozialdash.views import charts


@st.cache_resource(show_spinner=False, max_entries=96, ttl=1800)
def _figure(builder: str, view: tuple[Hashable, ...], _args: tuple) -> go.Figure:
    return getattr(charts, builder)(*_args)


def figure(builder: Callable[..., go.Figure], view: tuple[Hashable, ...], *args) -> go.Figure:
    """``builder(*args)`` from ``views.charts``, shared by every session that shows ``view``.

    ``view`` must hold everything the arguments depend on (the store's build id first, then every choice that
    went into them): two calls with the same view get the same figure, whatever their arguments."""
    return _figure(builder.__name__, view, args)
