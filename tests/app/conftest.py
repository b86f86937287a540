"""Helpers for the AppTests: open a page the way a browser would, and read the charts it drew.

Every page is opened through ``app.py`` and ``switch_page`` (a page script run alone cannot resolve its
``st.page_link``). The demo store is the one ``tests/conftest.py`` builds per session and points
``SOZIALDASH_DB`` at, so the store fixture and the app read the same file.

Charts are UnknownElements in AppTest: plotly figures are read from ``proto.spec`` (with plotly's binary arrays
``{"dtype", "bdata"}`` decoded to lists) and pydeck decks from ``proto.json``.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from sozialdash.ui.safe import JOINER

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


def _deck(at: AppTest) -> tuple[dict, str, dict]:
    """The page's single pydeck chart: (parsed deck JSON, raw JSON text, parsed tooltip spec)."""
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1, f"expected one map, found {len(charts)}"
    proto = charts[0].proto
    return json.loads(proto.json), proto.json, json.loads(proto.tooltip) if proto.tooltip else {}


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
def deck():
    return _deck


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
