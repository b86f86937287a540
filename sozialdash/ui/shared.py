"""Figures and tables built once for every session that asks for the same view.

A room looks at the same comparisons. plotly's figure objects are slow to build (80 ms for a Vergleich view's four
charts on the demo) and the comparison's own frames take dozens of pandas steps; sending finished ones costs a
fraction of that. Results are keyed by their builder and the *view* the caller names: what selected the data (the
build id and the page's choices), never the arguments themselves. Hashing the frames by content was the largest
part of a run (pandas hashes Arrow string columns element by element; with 10 sessions the server's CPU per run
fell from 136 to 76 ms without it), and a view is a handful of ids. Results are bounded in number and age, and
treated as read-only: nothing changes a shared figure or frame.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

import plotly.graph_objects as go
import streamlit as st

T = TypeVar("T")


class _Finished(go.Figure):
    """A shared figure whose dict is made once. ``st.plotly_chart`` asks a figure for ``to_dict()`` on every run,
    and plotly deep-copies the whole figure for it: a quarter of a Vergleich run once the figures were shared.
    A finished figure never changes, so one dict serves every run."""

    def __init__(self, figure: go.Figure):
        super().__init__(figure)
        self._sent = super().to_dict()

    def to_dict(self) -> dict:
        return self._sent


@st.cache_resource(show_spinner=False, max_entries=128, ttl=1800)
def _built(builder: str, view: tuple[Hashable, ...], _build: Callable, _args: tuple):
    result = _build(*_args)
    return _Finished(result) if isinstance(result, go.Figure) else result


def built(build: Callable[..., T], view: tuple[Hashable, ...], *args) -> T:
    """``build(*args)``, a pure builder (``views.charts``, ``ui.vergleich``), shared by every session that shows
    ``view``.

    ``view`` must hold everything the arguments depend on (the store's build id first, then every choice that
    went into them): two calls with the same view get the same result, whatever their arguments."""
    return _built(f"{build.__module__}.{build.__qualname__}", view, build, args)
