"""Browser-test helpers: a real Streamlit server, the system Chromium, and the checks every page test shares.

* ``AppServer`` starts ``streamlit run app.py`` (or a test-only script) on a free port of 127.0.0.1 in its own
  process group, with ``SOZIALDASH_DB`` pointing at the test session's demo store, waits for ``/_stcore/health``
  and kills the group.
* ``launch_chromium`` starts ``/usr/bin/chromium`` (never a downloaded browser).
* ``AppPage`` wraps one Playwright page on one server: it routes every request, lets only 127.0.0.1/localhost and
  ``data:``/``blob:`` through and records the rest (that is the "works offline" test), records page errors,
  opens app paths and waits for the script run, finds widgets by their German label and saves screenshots.
"""

from __future__ import annotations

import ctypes
import io
import math
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright, Request, WebSocket, expect

from sozialdash.views import maps

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# Tall instead of full_page screenshots: a full-page screenshot often leaves the deck.gl canvas blank.
VIEWPORT = {"width": 1600, "height": 2200}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob"}

SERVER_START_SECONDS = 90      # a cold start imports pandas, geopandas, plotly, ...
SCRIPT_RUN_MS = 60_000         # the first run of a page in a fresh server compiles and caches a lot
EXPECT_MS = 30_000
DOWNLOAD_MS = 60_000   # the click reruns the page, then the file is made: on a loaded 2-core CI machine 30 s ran out
PR_SET_PDEATHSIG = 1
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
DECK = '[data-testid="sozialdash-map"]'


# --- the server ---------------------------------------------------------------------------------------------

def _die_with_parent() -> None:
    """Runs in the server process before exec: if pytest dies without its teardown (killed, or stopped by
    ``faulthandler_exit_on_timeout``), the kernel sends the server SIGTERM, so no server outlives its test run."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: teardown alone stops the server
        pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class AppServer:
    """One ``streamlit run app.py`` process (or of a test-only script under tests/browser/apps, run from the
    repository root as well, so that it reads the app's .streamlit/config.toml). ``pages_opened`` counts browser
    page loads, so a test that needs a server nobody has visited yet (the deep link as first request) can tell
    whether this one still qualifies."""

    process: subprocess.Popen
    port: int
    log: Path
    pages_opened: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    def start(cls, db: Path, log: Path, attempts: int = 3, script: str = "app.py") -> AppServer:
        """Start on a free port; retry on another port if something took it between probe and bind."""
        failures = []
        for attempt in range(attempts):
            port = free_port()
            attempt_log = log.with_name(f"{log.stem}-{attempt}{log.suffix}") if attempt else log
            server = cls._spawn(db, port, attempt_log, script)
            try:
                server._wait_healthy()
                return server
            except RuntimeError as error:
                server.stop()
                failures.append(str(error))
                if "is not available" not in error.args[0]:
                    break
        raise RuntimeError("Streamlit server did not start:\n" + "\n---\n".join(failures))

    @classmethod
    def _spawn(cls, db: Path, port: int, log: Path, script: str) -> AppServer:
        # A script outside the root imports sozialdash from the root, which Streamlit puts on no path of its own.
        path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "SOZIALDASH_DB": str(db), "PYTHONUNBUFFERED": "1", "PYTHONPATH": path}
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
                 "--server.address", "127.0.0.1", "--server.headless", "true"],
                cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group: stop() kills everything it started
                preexec_fn=_die_with_parent,
            )
        return cls(process, port, log)

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    # Only trust the answer while our process is alive: another server may hold the port.
                    if response.status == 200 and self.process.poll() is None:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"no answer from {self.url}/_stcore/health after {SERVER_START_SECONDS} s:\n"
                           f"{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
        # Children that outlived the leader (none expected) go with the group.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


# --- the browser --------------------------------------------------------------------------------------------

def launch_chromium(playwright: Playwright) -> Browser:
    if not os.access(CHROMIUM, os.X_OK):
        raise FileNotFoundError(
            f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium (apt-get install chromium); "
            "they never download a browser.")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname in LOCAL_HOSTS


@dataclass
class AppPage:
    """One browser page (own context: own cookies, own Streamlit session) on one server."""

    server: AppServer
    context: BrowserContext
    page: Page
    name: str
    outside: list[str] = field(default_factory=list)      # requests to anywhere but 127.0.0.1/localhost
    page_errors: list[str] = field(default_factory=list)
    checked: bool = False

    @classmethod
    def open(cls, browser: Browser, server: AppServer, name: str, viewport: dict | None = None) -> AppPage:
        context = browser.new_context(viewport=viewport or VIEWPORT, locale="de-DE", timezone_id="Europe/Berlin")
        context.set_default_timeout(EXPECT_MS)
        page = context.new_page()
        app = cls(server, context, page, name)
        context.route("**/*", app._route)
        # Belt and braces: anything the router does not see (websockets, worker requests) is recorded here.
        context.on("request", app._saw_request)
        page.on("websocket", app._saw_websocket)
        page.on("pageerror", lambda error: app.page_errors.append(f"{error.name}: {error.message}"))
        return app

    def _record(self, url: str) -> None:
        if url not in self.outside:
            self.outside.append(url)

    def _route(self, route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self._record(url)
            route.abort("blockedbyclient")

    def _saw_request(self, request: Request) -> None:
        if not is_local(request.url):
            self._record(request.url)

    def _saw_websocket(self, socket_: WebSocket) -> None:
        if not is_local(socket_.url):
            self._record(socket_.url)

    # navigation and waiting

    def goto(self, path: str) -> None:
        """Open an app path (``/``, ``/Karte?...``) and wait until the script has run once."""
        self.server.pages_opened += 1
        self.page.goto(self.server.url + path)
        self.wait_for_run()

    def wait_for_run(self) -> None:
        """Wait for the script to stop. After a click the state may still read notRunning from the previous
        run, so callers then wait for the expected content with ``expect``."""
        self.page.locator(APP_IDLE).wait_for(timeout=SCRIPT_RUN_MS)

    # finding things by what the user reads

    @property
    def main(self) -> Locator:
        return self.page.get_by_test_id("stMain")

    @property
    def sidebar(self) -> Locator:
        return self.page.get_by_test_id("stSidebar")

    def heading(self, text: str, exact: bool = True) -> Locator:
        return self.main.get_by_role("heading", name=text, exact=exact)

    def sidebar_links(self) -> Locator:
        return self.sidebar.get_by_test_id("stPageLink-NavLink")

    def sidebar_link(self, label: str) -> Locator:
        """The German label is the link's text next to a Material icon (whose ligature text is e.g. "map")."""
        return self.sidebar_links().filter(has=self.page.get_by_text(label, exact=True))

    def widget(self, label: str) -> Locator:
        """The element container of the widget whose label reads ``label`` (any widget type)."""
        label_element = self.page.get_by_test_id("stWidgetLabel").filter(
            has=self.page.get_by_text(label, exact=True))
        return self.page.get_by_test_id("stElementContainer").filter(has=label_element).last

    def combobox(self, label: str) -> Locator:
        """A selectbox's input; ``expect(...).to_have_value("…")`` reads the shown option."""
        return self.page.get_by_role("combobox", name=label, exact=True)

    def exceptions(self) -> Locator:
        return self.page.get_by_test_id("stException")

    def demo_badges(self) -> tuple[Locator, Locator]:
        """The badge in the sidebar and the one above the page content (their text includes the icon's name)."""
        return (self.sidebar.get_by_text("Fiktive Demodaten").first,
                self.main.get_by_text("Fiktive Demodaten").first)

    def download(self, button: str) -> bytes:
        """Click the main column's button labelled ``button`` and return the file it saves."""
        with self.page.expect_download(timeout=DOWNLOAD_MS) as event:
            self.main.get_by_role("button", name=button, exact=True).click()
        return Path(event.value.path()).read_bytes()

    # maps

    def map_canvas(self) -> Locator:
        return self.page.locator(f"{DECK} canvas").first

    def wait_for_map(self, name: str, min_pixels: int = 2000, timeout_s: float = 30) -> int:
        """Wait until the map says it has drawn a whole view (names included: a new map draws them a frame after
        its areas), then poll element screenshots of the canvas until it shows ``min_pixels`` coloured pixels.

        Element screenshots are used because page screenshots of a WebGL canvas are sometimes blank in headless
        Chromium. Saves the last canvas screenshot and returns its count of coloured pixels."""
        canvas = self.map_canvas()
        expect(canvas).to_be_visible(timeout=EXPECT_MS)
        expect(self.page.locator(f"{DECK}[data-drawn]")).to_have_count(1, timeout=timeout_s * 1000)
        deadline = time.monotonic() + timeout_s
        while True:
            png = canvas.screenshot(animations="disabled")
            pixels = coloured_pixels(png)
            if pixels >= min_pixels or time.monotonic() > deadline:
                break
            self.page.wait_for_timeout(500)
        save_png(png, f"{self.name}-{name}")
        return pixels

    # evidence and final checks

    def screenshot(self, name: str | None = None) -> Path:
        """Viewport screenshot (tall viewport, not full_page: see VIEWPORT)."""
        return save_png(self.page.screenshot(animations="disabled"), f"{self.name}-{name}" if name else self.name)

    def assert_no_exception(self) -> None:
        count = self.exceptions().count()
        assert count == 0, (f"{count} exception box(es) on {self.page.url}; details are redacted in the browser "
                            f"(client.showErrorDetails), server log:\n{self.server.log_tail()}")

    def assert_clean(self) -> None:
        """Nothing left 127.0.0.1, and no JavaScript error reached the page."""
        self.checked = True
        # The sync API delivers events (requests, page errors) only while it runs a call: let late ones arrive.
        if not self.page.is_closed():
            self.page.wait_for_timeout(300)
        assert not self.outside, "requests to hosts other than 127.0.0.1/localhost:\n" + "\n".join(self.outside)
        assert not self.page_errors, "page errors:\n" + "\n".join(self.page_errors)

    def close(self) -> None:
        self.context.close()


def coloured_pixels(png: bytes, spread: int = 40) -> int:
    """Pixels whose channels differ by more than ``spread``: a blank canvas is white/grey, a drawn map is not."""
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)
    return int(((rgb.max(axis=2) - rgb.min(axis=2)) > spread).sum())


def dark_pixels(png: bytes, below: int = 40) -> int:
    """Near-black pixels: the glyphs of area names (outlines are thin dark grey, no fill is this dark)."""
    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    return int((grey < below).sum())


def save_png(png: bytes, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name).strip('_')}.png"
    path.write_bytes(png)
    return path


# --- servers and map pixels shared by several test files -----------------------------------------------------

def start_server(db: Path, directory: Path, script: str = "app.py") -> AppServer:
    """A server on ``db`` whose log goes to ``directory``; a server that does not come up fails the test."""
    try:
        return AppServer.start(db, directory / "streamlit.log", script=script)
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)


def world(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator at zoom 0 (512 units around the world), y pointing north."""
    x = 512 * (np.asarray(lon) + 180) / 360
    y = 512 * (math.pi + np.log(np.tan(math.pi / 4 + np.radians(np.asarray(lat)) / 2))) / (2 * math.pi)
    return x, y


def on_screen(bounds: np.ndarray, box: dict, lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Page pixels of (lon, lat) on the fitted map (math.gl's fitBounds with padding ``maps.PADDING``)."""
    (x0, y0), (x1, y1) = (world(bounds[0], bounds[1]), world(bounds[2], bounds[3]))
    padding = round(min(box["width"], box["height"]) * maps.PADDING)
    scale = min((box["width"] - 2 * padding) / (x1 - x0), (box["height"] - 2 * padding) / (y1 - y0))
    x, y = world(lon, lat)
    return (box["x"] + box["width"] / 2 + (x - (x0 + x1) / 2) * scale,
            box["y"] + box["height"] / 2 - (y - (y0 + y1) / 2) * scale)
