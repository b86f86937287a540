"""Test-only page: the map element with institutions of the demo store over plain areas, and what a click chose.

The Sozialnavigator draws its map the same way (``views.maps.point_data``, ``circle_data``, ``plain_areas``);
this page exists so the element's points are tested before that page is there. One institution carries a hostile
name. The URL may choose an institution (``gewaehlt``) and a search circle around it (``radius``, metres).
``static`` here links to the repository's static folder: Streamlit serves the folder next to the main script.

Run from the repository root (its .streamlit/config.toml turns static serving on), with the repository on
PYTHONPATH: ``PYTHONPATH=. streamlit run tests/browser/apps/map_points.py``.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

HOSTILE_NAME = "<img src=x onerror=alert(1)> <b>fett</b> @@=alert(1)"
POINTS = 500
LEVEL = 2


def institutions(db: Path) -> pd.DataFrame:
    """The first ``POINTS`` institutions of the store (id order); the one farthest from its nearest neighbour
    (a dot no other covers, for the test to point at) is renamed to ``HOSTILE_NAME``. The store has no query for
    single institutions yet (the Sozialnavigator brings its own), so this reads the file."""
    with duckdb.connect(str(db), read_only=True) as connection:
        frame = connection.execute(
            "SELECT institution_id, name, categories[1] AS category, lon, lat FROM institutions "
            "ORDER BY institution_id LIMIT ?", [POINTS]).df()
    xy = np.column_stack([frame["lon"] * np.cos(np.radians(frame["lat"].mean())), frame["lat"]])
    apart = np.linalg.norm(xy[:, None] - xy[None], axis=2)
    np.fill_diagonal(apart, np.inf)
    frame.loc[int(apart.min(axis=1).argmax()), "name"] = HOSTILE_NAME
    return frame


def main() -> None:
    import streamlit as st

    from sozialdash import config
    from sozialdash.store import current_store
    from sozialdash.ui import karte
    from sozialdash.ui.area_map import area_map
    from sozialdash.views import maps

    store = current_store()
    key, payload, ids = karte.shapes(store, store.build_id, LEVEL)
    areas = store.run("areas").set_index("area_id").reindex(ids)
    points = institutions(config.db_path())
    chosen = st.query_params.get("gewaehlt")
    circle = None
    if chosen in set(points["institution_id"]) and st.query_params.get("radius"):
        row = points.set_index("institution_id").loc[chosen]
        circle = maps.circle_data(row["lon"], row["lat"], float(st.query_params["radius"]))
    data = maps.view_data(key, ids, maps.plain_areas(ids, areas["name"]), labels=False,
                          points=maps.point_data(points["institution_id"], points["lon"], points["lat"],
                                                 points["category"], points["name"], chosen=chosen),
                          circle=circle)
    event = area_map(data, {key: payload}, key="points_map")
    st.text(f"Einrichtung: {event.point}")
    st.text(f"Gebiet: {event.area}")


if __name__ == "__main__":
    main()
