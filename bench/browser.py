"""What a browser waits for and receives: the Karte and the two baselines in Debian's Chromium; prints only.

    .venv/bin/python -m bench.browser [--store PATH] [--changes 3] [--timeout 120]

For each app (the Karte, then bench/baselines' naive and simple one, same store, one server each): open the page
in a fresh browser context (every request outside 127.0.0.1 is refused, as in the tests), and time from
navigation until the map is drawn: the chart element (deck.gl canvas or plotly figure) shows at least
``DRAWN_PIXELS`` coloured pixels. Then change the year ``--changes`` times through the Jahr selectbox, as a user
does, and time from the click on the option until the chart's picture differs from the one before and is drawn.
Last, a second participant opens the page on the now warm server (a fresh context again).
Bytes are those of the websocket frames the page receives (the app's data), and separately the HTTP bodies of the
first load (Streamlit's own bundles, the same for all three, plus the Karte's map module; a browser caches them). The browser draws with software WebGL here: absolute times are slower
than on a laptop's GPU, the comparison between apps is what counts.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.load import BASELINES, ROOT, Server, _free_port
from tests.browser.helpers import coloured_pixels, is_local, launch_chromium

DRAWN_PIXELS = 2000
CHART = ('[data-testid="sozialdash-map"] canvas, [data-testid="stDeckGlJsonChart"] canvas, '
         '[data-testid="stPlotlyChart"] .main-svg')
URL = "/Karte?indikator=sgb2_quote&jahr=2025&ebene=2"


def _picture(page, timeout: float) -> bytes:
    """The chart's picture; a chart that is replaced while it is taken (plotly redraws its SVG once more after
    a large first figure) is taken again."""
    started = time.perf_counter()
    while True:
        try:
            return page.locator(CHART).first.screenshot(animations="disabled", timeout=timeout * 1000)
        except Exception:  # noqa: BLE001 - detached mid-shot
            if time.perf_counter() - started > timeout:
                raise
            page.wait_for_timeout(100)


def _wait_drawn(page, before: str | None, timeout: float) -> float:
    """Seconds until the chart is drawn and, when ``before`` is given, differs from that picture."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            png = _picture(page, min(10.0, timeout))
        except Exception:  # noqa: BLE001 - not there yet
            page.wait_for_timeout(100)
            continue
        if coloured_pixels(png) >= DRAWN_PIXELS and hashlib.md5(png).hexdigest() != before:
            return time.perf_counter() - started
        page.wait_for_timeout(100)
    raise TimeoutError(f"the chart was not drawn within {timeout:.0f} s")


def _choose_year(page, year: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text="Jahr").first.click()
    page.get_by_role("option", name=year, exact=True).click()


class _Visit:
    """One participant's page in a fresh browser context (no cache), refusing every request outside 127.0.0.1
    and counting the bytes it receives."""

    def __init__(self, browser, port: int, path: str):
        self.context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="de-DE")
        self.outside: list[str] = []
        self.context.route("**/*", lambda route: route.continue_() if is_local(route.request.url)
                           else (self.outside.append(route.request.url), route.abort("blockedbyclient")))
        self.page = self.context.new_page()
        self.received, self.loaded = 0, 0
        self.page.on("requestfinished", self._loaded)
        self.page.on("websocket", lambda socket_: socket_.on("framereceived", self._received))
        self.url = f"http://127.0.0.1:{port}{path}"

    def _loaded(self, request) -> None:
        self.loaded += max(request.sizes()["responseBodySize"], 0)

    def _received(self, payload) -> None:
        self.received += len(payload)

    def navigate(self, timeout: float) -> float:
        started = time.perf_counter()
        self.page.goto(self.url)
        return time.perf_counter() - started + _wait_drawn(self.page, None, timeout)


def measure(browser, label: str, app: Path, path: str, store: Path, changes: int, timeout: float) -> None:
    """The first visit finds a server that has not yet drawn this map (its caches empty, as just after starting
    it); the visit after the year changes finds it warm, as every further participant does."""
    port = _free_port()
    server = Server(app, store, port, Path(tempfile.gettempdir()) / f"sozialdash-browser-{port}.log")
    visits: list[_Visit] = []
    try:
        visit = _Visit(browser, port, path)
        visits.append(visit)
        try:
            navigation = visit.navigate(timeout)
        except TimeoutError:
            print(f"  {label:<11} navigation -> map NOT drawn within {timeout:.0f} s, "
                  f"{visit.received / 1024:,.0f} KB received by then", flush=True)
            return
        first_bytes = visit.received
        years = [o for o in ("2024", "2023", "2022", "2021", "2020")][:changes]
        seconds, sizes = [], []
        for year in years:
            before = hashlib.md5(_picture(visit.page, timeout)).hexdigest()
            bytes_before = visit.received
            clicked = time.perf_counter()
            _choose_year(visit.page, year)
            seconds.append(time.perf_counter() - clicked + _wait_drawn(visit.page, before, timeout))
            visit.page.wait_for_timeout(300)  # the last frames of the rerun
            sizes.append(visit.received - bytes_before)
        again = _Visit(browser, port, path)
        visits.append(again)
        warm = again.navigate(timeout)
        outside = sorted({url for v in visits for url in v.outside})
        print(f"  {label:<11} navigation -> map drawn {navigation:6.2f} s (server warm {warm:5.2f} s), "
              f"{first_bytes / 1024:,.0f} KB (HTTP {visit.loaded / 1024:,.0f} KB); "
              f"year change -> drawn p50 {statistics.median(seconds):5.2f} s (max {max(seconds):.2f} s), "
              f"{statistics.median(sizes) / 1024:,.0f} KB per change"
              + (f"; REFUSED {len(outside)} requests outside 127.0.0.1: {outside[:3]}" if outside else ""),
              flush=True)
    finally:
        for v in visits:
            v.context.close()
        server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=None, help="a built store (default: build the demo)")
    parser.add_argument("--url", default=URL, help=f"the Karte's path and query (default {URL})")
    parser.add_argument("--changes", type=int, default=3, help="year changes per app (default 3, at most 5)")
    parser.add_argument("--timeout", type=float, default=120.0, help="bound per wait in seconds")
    parser.add_argument("--apps", default=",".join(["sozialdash", *BASELINES]),
                        help="comma-separated apps to measure (default: all)")
    args = parser.parse_args(argv)
    store = args.store
    if store is None:
        from sozialdash.build import build_demo

        store = Path(tempfile.mkdtemp(prefix="sozialdash-browser-")) / "demo.duckdb"
        build_demo(store)
    apps = [("sozialdash", ROOT / "app.py", args.url)] + [
        (name, ROOT / "bench" / "baselines" / f"{name}_karte.py", "/") for name in BASELINES]
    apps = [app for app in apps if app[0] in args.apps.split(",")]
    print(f"bench.browser on {store.resolve().name} (Chromium, software WebGL, 1440×900)")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for label, app, path in apps:
                measure(browser, label, app, path, store.resolve(), min(args.changes, 5), args.timeout)
        finally:
            browser.close()


if __name__ == "__main__":
    sys.exit(main())
