"""The Karte's map element: a module of our own in the browser, loaded from the app's static files.

Streamlit's pydeck element sends the whole deck, shapes included, on every change, and the browser tessellates
every polygon again. This element splits the two: the shapes of a level are one element whose message never
changes, so Streamlit's message cache sends it once (and again only after the page was left), and the view is a
small element of colours and tooltips. The module and deck.gl come from ``static/sozialdash-map.js``
(built from ``frontend/map``), which the browser caches: nothing is fetched from anywhere but the app.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

import streamlit as st

from sozialdash.config import PROJECT_ROOT

BUNDLE = PROJECT_ROOT / "static" / "sozialdash-map.js"
_LOADER = """
const url = new URL(%r, window.location.origin).href;
export default function (component) {
  const loading = import(url).then((module) => { module.render(component); return module; });
  return () => { loading.then((module) => module.forget(component.parentElement)); };
}
"""


def _module_url() -> str:
    """The bundle's address under the app's base path, versioned by its content so no browser keeps a stale one."""
    version = hashlib.sha256(BUNDLE.read_bytes()).hexdigest()[:12]
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{'/' + base if base else ''}/app/static/{BUNDLE.name}?v={version}"


# Mounted into the page itself, not a shadow root: the browser tests then see every node a data string could make.
_element = st.components.v2.component("sozialdash_map", js=_LOADER % _module_url(), isolate_styles=False)


class MapEvent(NamedTuple):
    """What a click on the map chose, only in the run that click started: the clicked area's id, or the
    clicked institution's id (``views.maps.point_data``); else None."""

    area: str | None
    point: str | None


def area_map(data: dict, shapes: dict[str, bytes], *, key: str) -> MapEvent:
    """Draw the view ``data`` (``views.maps.view_data``) over ``shapes`` (key -> ``shape_payload``)."""
    for shapes_key, payload in shapes.items():
        _element(data=payload, key=f"{key}_shapes_{shapes_key}", height="content")
    result = _element(data=data, key=key, height="content", on_clicked_change=lambda: None,
                      on_picked_change=lambda: None)
    return MapEvent(result.clicked, result.picked)
