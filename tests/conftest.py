"""Shared test data: the demo Musterstadt, built once per test session.

``pytest_configure`` builds the demo store into a temporary directory and points ``SOZIALDASH_DB`` at it
before any test module is imported, so app and browser tests that open "the configured store" read this
file and never a developer's ``data/sozialdash.duckdb``. The directory goes away at the end of the session.

Fixtures (all session-scoped):

* ``demo_db``      path of that demo store (treat it as read-only: tests that rebuild a file use ``tmp_path``);
* ``demo_dataset`` the demo ``Dataset`` before statistics, i.e. ``generate_demo()``;
* ``store``        a read-only ``Store`` on ``demo_db``;
* ``berlin_like_dataset`` / ``berlin_like_db`` and ``flensburg_dataset`` / ``flensburg_db``: the datasets shaped
  like real cities from ``tests/shaped.py`` and their stores, built on first use only (a test run that never asks
  for them pays nothing).
* ``hostile_db``   a store of the demo with hostile strings everywhere (``tests/hostile.py``), built on first use;
  ``hostile_gaps_db`` the same strings on the Berlin-like city with its gaps.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from pathlib import Path

import duckdb
import pytest

from sozialdash.build import build_demo, build_store
from sozialdash.demo import generate_demo
from sozialdash.store import Store, current_store
from tests import shaped
from tests.hostile import hostile_dataset

_demo_db = pytest.StashKey[Path]()
_saved_env = pytest.StashKey[str | None]()


def pytest_configure(config: pytest.Config) -> None:
    directory = Path(tempfile.mkdtemp(prefix="sozialdash-tests-"))
    path = directory / "demo.duckdb"
    with warnings.catch_warnings():  # raised outside any test, where pytest would not collect them
        warnings.simplefilter("ignore")
        build_demo(out=path)
    config.stash[_demo_db] = path
    config.stash[_saved_env] = os.environ.get("SOZIALDASH_DB")
    os.environ["SOZIALDASH_DB"] = str(path)


def pytest_unconfigure(config: pytest.Config) -> None:
    path = config.stash.get(_demo_db, None)
    if path is None:
        return
    saved = config.stash[_saved_env]
    if saved is None:
        os.environ.pop("SOZIALDASH_DB", None)
    else:
        os.environ["SOZIALDASH_DB"] = saved
    shutil.rmtree(path.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def demo_db(pytestconfig: pytest.Config) -> Path:
    return pytestconfig.stash[_demo_db]


@pytest.fixture(scope="session")
def demo_dataset():
    return generate_demo()


@pytest.fixture(scope="session")
def store(demo_db: Path) -> Store:
    return current_store(demo_db)


@pytest.fixture(scope="session")
def suppressed_cell(demo_db: Path) -> tuple[str, str, int]:
    """A primary-suppressed Stadtteil cell of the demo: (indicator_id, area_id, year)."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        return con.execute("""
            SELECT v.indicator_id, v.area_id, v.year FROM indicator_values v JOIN areas a USING (area_id)
            WHERE a.level = 2 AND v.suppression = 'primary' ORDER BY 1, 2, 3 LIMIT 1""").fetchone()


@pytest.fixture(scope="session")
def berlin_like_dataset():
    return shaped.berlin_like_dataset()


def _built(dataset, name: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp(name) / f"{name}.duckdb"
    build_store(dataset, out=path)
    return path


@pytest.fixture(scope="session")
def berlin_like_db(berlin_like_dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built(berlin_like_dataset, "berlin_like", tmp_path_factory)


@pytest.fixture(scope="session")
def flensburg_dataset():
    return shaped.flensburg_dataset()


@pytest.fixture(scope="session")
def flensburg_db(flensburg_dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built(flensburg_dataset, "flensburg", tmp_path_factory)


@pytest.fixture(scope="session")
def hostile_db(demo_dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built(hostile_dataset(demo_dataset), "hostile", tmp_path_factory)


@pytest.fixture(scope="session")
def hostile_gaps_db(berlin_like_dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hostile strings on a city with gaps of every kind, so that gap texts (the reasons, the city caption, the
    cards' notes) meet hostile units and names too."""
    return _built(hostile_dataset(berlin_like_dataset), "hostile_gaps", tmp_path_factory)
