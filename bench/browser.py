"""What a browser waits for and receives: the Karte and the two baselines, or the Sozialnavigator, in Debian's
Chromium; prints only.

    .venv/bin/python -m bench.browser [--store PATH] [--changes 3] [--timeout 120] [--page karte|navigator]

For each app (the Karte, then bench/baselines' naive and simple one, same store, one server each): open the page
in a fresh browser context (every request outside 127.0.0.1 is refused, as in the tests), and time from
navigation until the map is drawn: the chart element (deck.gl canvas or plotly figure) shows at least
``DRAWN_PIXELS`` coloured pixels. Then change the year ``--changes`` times through the Jahr selectbox, as a user
does, and time from the click on the option until the chart's picture differs from the one before and is drawn.
Last, a second participant opens the page on the now warm server (a fresh context again).
Bytes are those of the websocket frames the page receives (the app's data), and separately the HTTP bodies of the
first load (Streamlit's own bundles, the same for all three, plus the Karte's map module; a browser caches them). The browser draws with software WebGL here: absolute times are slower
than on a laptop's GPU, the comparison between apps is what counts.

``--page navigator`` does the same for the Sozialnavigator (sozialdash only: the baselines are Karten): it opens
``/Sozialnavigator``, adds categories one at a time through the sidebar's Kategorie multiselect instead of changing
the year, and, on the warm server, also opens it filtered (``/Sozialnavigator?kategorie=Kita``).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
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


def _add_category(page, category: str) -> None:
    """Add ``category`` in the sidebar's Kategorie multiselect, typed to narrow its list (which shows only the
    first options), then close the list, as a user does."""
    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Kategorie").first.locator(
        "input").click()  # its middle may be a chosen category's remove button
    page.keyboard.type(category)
    page.get_by_role("option", name=category, exact=True).click()
    page.keyboard.press("Escape")


@dataclass(frozen=True)
class Walk:
    """What a participant does on a page: the paths opened (the first on the cold server, then each again on the
    warm one), and the change made ``--changes`` times (its name, the choices, how it is made)."""

    paths: list[str]
    change: str
    choices: list[str]
    make: Callable
    marked: bool = False  # also print when the map marked itself drawn (no screenshot in the way)


KARTE = Walk([URL], "year", ["2024", "2023", "2022", "2021", "2020"], _choose_year)
NAVIGATOR = Walk(["/Sozialnavigator", "/Sozialnavigator?kategorie=Kita"], "category",
                 ["Kita", "Familienzentrum", "Jugendzentrum", "Seniorentreff", "Grundschule"], _add_category,
                 marked=True)
MARK = '[data-testid="sozialdash-map"][data-drawn]'
"""The app's map marks itself once deck.gl has drawn a view's first frame; screenshots of a software-WebGL canvas
take a second or more on a busy machine, so the mark shows how much of the time they account for."""


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

    def navigate(self, timeout: float, marked: bool = False) -> tuple[float, float | None]:
        """Seconds until the map is drawn, and (``marked``) until the map marked itself drawn."""
        started = time.perf_counter()
        self.page.goto(self.url)
        mark = None
        if marked:
            self.page.wait_for_selector(MARK, state="attached", timeout=timeout * 1000)
            mark = time.perf_counter() - started
        return time.perf_counter() - started + _wait_drawn(self.page, None, timeout), mark


def measure(browser, label: str, app: Path, walk: Walk, store: Path, changes: int, timeout: float) -> None:
    """The first visit finds a server that has not yet drawn this map (its caches empty, as just after starting
    it); the visits after the changes find it warm, as every further participant does."""
    port = _free_port()
    server = Server(app, store, port, Path(tempfile.gettempdir()) / f"sozialdash-browser-{port}.log")
    visits: list[_Visit] = []
    try:
        visit = _Visit(browser, port, walk.paths[0])
        visits.append(visit)
        try:
            navigation, mark = visit.navigate(timeout, walk.marked)
        except TimeoutError:
            print(f"  {label:<11} navigation -> map NOT drawn within {timeout:.0f} s, "
                  f"{visit.received / 1024:,.0f} KB received by then", flush=True)
            return
        first_bytes = visit.received
        seconds, sizes = [], []
        for choice in walk.choices[:changes]:
            before = hashlib.md5(_picture(visit.page, timeout)).hexdigest()
            bytes_before = visit.received
            clicked = time.perf_counter()
            walk.make(visit.page, choice)
            seconds.append(time.perf_counter() - clicked + _wait_drawn(visit.page, before, timeout))
            visit.page.wait_for_timeout(300)  # the last frames of the rerun
            sizes.append(visit.received - bytes_before)
        warm = []
        for path in walk.paths:
            again = _Visit(browser, port, path)
            visits.append(again)
            warm.append((path, *again.navigate(timeout, walk.marked), again.received))
        outside = sorted({url for v in visits for url in v.outside})
        marks = (f" (mark {mark:.2f} s; server warm {warm[0][1]:.2f} s, mark {warm[0][2]:.2f} s)" if walk.marked
                 else f" (server warm {warm[0][1]:5.2f} s)")
        print(f"  {label:<11} navigation -> map drawn {navigation:6.2f} s{marks}, "
              f"{first_bytes / 1024:,.0f} KB (HTTP {visit.loaded / 1024:,.0f} KB); "
              f"{walk.change} change -> drawn p50 {statistics.median(seconds):5.2f} s (max {max(seconds):.2f} s), "
              f"{statistics.median(sizes) / 1024:,.0f} KB per change"
              + (f"; REFUSED {len(outside)} requests outside 127.0.0.1: {outside[:3]}" if outside else ""),
              flush=True)
        for path, drawn, marked, received in warm[1:]:
            print(f"  {'':<11} {path}: navigation -> map drawn, server warm {drawn:5.2f} s"
                  + (f" (mark {marked:.2f} s)" if marked is not None else "") + f", {received / 1024:,.0f} KB",
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
    parser.add_argument("--page", choices=("karte", "navigator"), default="karte",
                        help="the Karte (year changes; default) or the Sozialnavigator (category changes; "
                             "sozialdash only, the baselines are Karten)")
    args = parser.parse_args(argv)
    store = args.store
    if store is None:
        from sozialdash.build import build_demo

        store = Path(tempfile.mkdtemp(prefix="sozialdash-browser-")) / "demo.duckdb"
        build_demo(store)
    if args.page == "navigator":
        apps = [("sozialdash", ROOT / "app.py", NAVIGATOR)]
    else:
        apps = [("sozialdash", ROOT / "app.py", replace(KARTE, paths=[args.url]))] + [
            (name, ROOT / "bench" / "baselines" / f"{name}_karte.py", replace(KARTE, paths=["/"]))
            for name in BASELINES]
    apps = [app for app in apps if app[0] in args.apps.split(",")]
    print(f"bench.browser {args.page} on {store.resolve().name} (Chromium, software WebGL, 1440×900)")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for label, app, walk in apps:
                measure(browser, label, app, walk, store.resolve(), min(args.changes, 5), args.timeout)
        finally:
            browser.close()


if __name__ == "__main__":
    sys.exit(main())
