"""Helpers for the AppTests: open a page the way a browser would, and read the charts it drew.

Every page is opened through ``app.py`` and ``switch_page`` (a page script run alone cannot resolve its
``st.page_link``). The demo store is the one ``tests/conftest.py`` builds per session and points
``SOZIALDASH_DB`` at, so the store fixture and the app read the same file.

Charts are UnknownElements in AppTest: plotly figures are read from ``proto.spec`` (with plotly's binary arrays
``{"dtype", "bdata"}`` decoded to lists), and the Karte's map from its elements: the view's JSON and the shapes'
bytes, read here by a decoder of their own, as the browser module reads them.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from sozialdash.ui.safe import JOINER
from tests.map_payload import decode_shapes

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60


def _open_page(page: str = "app.py", **params) -> AppTest:
    """Run ``page`` with ``params`` as its URL (a list becomes repeated keys), as a first request would."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if page != "app.py":
        at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return at.run()


def _decode(node):
    """Plotly's JSON with every binary array ({"dtype": "f8", "bdata": ...}) turned into a plain list."""
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            array = np.frombuffer(base64.b64decode(node["bdata"]), dtype=np.dtype(node["dtype"]))
            if "shape" in node:
                shape = node["shape"]
                array = array.reshape([int(n) for n in str(shape).split(",")] if isinstance(shape, str) else shape)
            return array.tolist()
        return {key: _decode(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_decode(item) for item in node]
    return node


def _figure(at: AppTest, key: str) -> dict:
    """The decoded plotly figure of the chart with widget key ``key``."""
    charts = [el for el in at.get("plotly_chart") if el.proto.id.endswith(f"-{key}")]
    assert len(charts) == 1, f"expected one plotly chart with key {key!r}, found {len(charts)}"
    return _decode(json.loads(charts[0].proto.spec))


@dataclass
class Drawn:
    """The Karte's map as the browser gets it."""

    data: dict                # the view element's data
    raw: str                  # its JSON text
    shapes: dict[str, dict]   # decoded shapes elements by key
    polygons: list[dict]      # one per polygon part: area_id, fill (r, g, b), tooltip, rings
    labels: list[dict]        # name, position, priority per area; empty when names are off
    outlines: list[dict]      # exterior rings of the level above (area_id, ring); empty on the top level
    chosen: list[str]         # area ids outlined as chosen


def _drawn(at: AppTest) -> Drawn:
    """The page's single map: the view element and the shapes elements it names."""
    elements = [el.proto for el in at.get("bidi_component") if el.proto.component_name == "sozialdash_map"]
    views = [proto for proto in elements if proto.WhichOneof("data") == "json"]
    assert len(views) == 1, f"expected one map, found {len(views)}"
    data = json.loads(views[0].json)
    shapes = {header["key"]: header for header in
              (decode_shapes(proto.bytes) for proto in elements if proto.WhichOneof("data") == "bytes")}
    own = shapes[data["shapes"]]
    ids = own["ids"]
    polygons = [{"area_id": ids[area], "fill": tuple(data["palette"][data["fills"][area]][:3]),
                 "tooltip": data["tooltips"][area],
                 "rings": rings} for area, rings in own["parts_rings"]]
    labels = [{"area_id": ids[i], "name": name, "position": own["label_points"][i], "priority": own["priorities"][i]}
              for i, name in enumerate(own["names"])] if data["labels"] else []
    parent = shapes.get(data["parent"]) if data["parent"] else None
    outlines = [{"area_id": parent["ids"][area], "ring": rings[0]} for area, rings in parent["parts_rings"]
                ] if parent else []
    return Drawn(data, views[0].json, shapes, polygons, labels, outlines, [ids[i] for i in data["chosen"]])


@pytest.fixture(scope="session")
def open_page():
    return _open_page


@pytest.fixture(scope="session")
def open_on():
    """``open_on(db, page, **params)``: open a page on another store. The app reads ``SOZIALDASH_DB`` on every
    run (``config.db_path``), the store registry swaps to a new path and every cache is keyed on the build id, so
    setting the variable for the run is enough; afterwards it points at the demo again."""
    def run(db: Path, page: str = "app.py", **params) -> AppTest:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SOZIALDASH_DB", str(db))
            return _open_page(page, **params)
    return run


@pytest.fixture(scope="session")
def figure():
    return _figure


@pytest.fixture(scope="session")
def drawn():
    return _drawn


@pytest.fixture(scope="session")
def catalogue(store) -> pd.DataFrame:
    return store.run("indicator_catalogue").set_index("indicator_id", drop=False)


@pytest.fixture(scope="session")
def areas(store) -> pd.DataFrame:
    return store.run("areas").set_index("area_id", drop=False)



def shown(markdown: str) -> str:
    """What a user reads: the app escapes data strings for Markdown (sozialdash.ui.safe.md: backslashes and
    invisible word joiners), AppTest returns the Markdown source."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(JOINER, "")
