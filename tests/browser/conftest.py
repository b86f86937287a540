"""Fixtures for the real-browser tests: one Streamlit server and one Chromium per test session.

The server reads the session's demo store (``demo_db`` from ``tests/conftest.py``, built once into a temporary
directory); ``hostile_app_server`` is a second one on the hostile-string store, and ``map_points_server`` one that
runs the test-only page tests/browser/apps/map_points.py, each started only when a test asks. Every test gets
its own browser context through ``open_app`` and ends with ``app.assert_clean()``; the fixture repeats that check
for a test that forgot it, so a request leaving 127.0.0.1 never passes unseen.

Nothing here skips: without ``/usr/bin/chromium`` every browser test fails with a message saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from .helpers import EXPECT_MS, AppPage, AppServer, launch_chromium, start_server

HERE = Path(__file__).resolve().parent
MAP_POINTS_APP = "tests/browser/apps/map_points.py"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives the app in the system Chromium against a real server")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    try:
        with sync_playwright() as playwright:
            try:
                browser = launch_chromium(playwright)
            except FileNotFoundError as missing:
                problem = str(missing)  # fail outside the handler: no "during handling of..." noise
            else:
                problem = None
            if problem:
                pytest.fail(problem, pytrace=False)
            expect.set_options(timeout=EXPECT_MS)
            yield browser
            browser.close()
    except RuntimeError as error:  # e.g. "using Playwright Sync API inside the asyncio loop"
        pytest.fail(f"Playwright could not start: {error}", pytrace=False)


@pytest.fixture(scope="session")
def app_server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    server = start_server(demo_db, tmp_path_factory.mktemp("server"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def medium_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """A server on the bench's synthetic city of 550 areas: the size at which names used to pile up."""
    from bench.synthetic import scale_dataset
    from sozialdash.build import build_store

    directory = tmp_path_factory.mktemp("medium")
    build_store(scale_dataset("medium"), out=directory / "medium.duckdb")
    server = start_server(directory / "medium.duckdb", directory)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def hostile_app_server(hostile_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """A server on the store with hostile strings (``tests/hostile.py``); pass it to ``open_app(path, server=...)``."""
    server = start_server(hostile_db, tmp_path_factory.mktemp("hostile-server"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def map_points_server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """A server on the demo store running tests/browser/apps/map_points.py instead of app.py: the map element
    with institutions, before a page of the app draws them."""
    server = start_server(demo_db, tmp_path_factory.mktemp("map-points-server"), script=MAP_POINTS_APP)
    yield server
    server.stop()


@pytest.fixture
def fresh_app_server(app_server: AppServer, demo_db: Path,
                     tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """A server no browser has visited yet: the session's server while that holds (it does for the first test
    module in a normal run), otherwise a new one for this test (e.g. with ``-k`` or a reordered run)."""
    if app_server.pages_opened == 0:
        yield app_server
        return
    server = start_server(demo_db, tmp_path_factory.mktemp("fresh-server"))
    yield server
    server.stop()


@pytest.fixture
def open_app(chromium: Browser, app_server: AppServer,
             request: pytest.FixtureRequest) -> Iterator[Callable[..., AppPage]]:
    """``open_app(path, server=None, viewport=None)``: a new browser context on the session's (or the given)
    server, at the given window size (default: a tall window), with the path opened and its first script run
    finished."""
    opened: list[AppPage] = []

    def open_(path: str, server: AppServer | None = None, viewport: dict | None = None) -> AppPage:
        app = AppPage.open(chromium, server or app_server, name=request.node.name, viewport=viewport)
        opened.append(app)
        app.goto(path)
        return app

    yield open_
    for app in opened:
        try:
            if not app.checked:
                app.assert_clean()
        finally:
            app.close()
