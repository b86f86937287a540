"""The Karte as people use it: on a beamer and on common screens, with the wheel, Back and the sidebar.

Screenshots of every case land in tests/browser/screenshots/; the canvas is checked from element screenshots
(page screenshots of a WebGL canvas are unreliable in headless Chromium).
"""

from __future__ import annotations

import io
import re
import time

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from .helpers import DECK, dark_pixels, save_png

SIZES = [(1280, 720), (1440, 900), (1920, 1080)]
KARTE = "/Karte?indikator=kinderarmut&jahr=2025&ebene=2"
LONGEST_TITLE = KARTE + "&darstellung=judgement&vergleich=judgement_parent"  # the worst case for the fold
EDGE_PX = 4
ZOOM_BUTTONS_PX = (56, 136)  # the map's own +, − and ⌂ buttons in its top right corner
SCROLLED = "Math.max(window.scrollY, ...[...document.querySelectorAll('*')].map(e => e.scrollTop))"


def _coloured(png: bytes) -> np.ndarray:
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)
    return (rgb.max(axis=2) - rgb.min(axis=2)) > 40


def _inside(box: dict, width: int, height: int) -> bool:
    return box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width + 0.5 \
        and box["y"] + box["height"] <= height + 0.5


def _no_horizontal_scroll(frame) -> tuple[int, int]:
    return frame.evaluate("e => { const s = e.querySelector('.dvn-scroller'); return [s.scrollWidth, s.clientWidth] }")


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_map_and_legend_are_whole_on_screen_without_scrolling(open_app, width, height, medium_server):
    for server, name in [(None, "demo"), (medium_server, "550")]:
        app = open_app(LONGEST_TITLE if server is None else "/Karte", server=server,
                       viewport={"width": width, "height": height})
        app.wait_for_map(f"{name}-{width}x{height}")
        app.screenshot(f"{name}-{width}x{height}-page")
        canvas = app.map_canvas().bounding_box()
        legend = app.main.get_by_test_id("stDataFrame").first.bounding_box()
        assert _inside(canvas, width, height), f"{name}: map {canvas} is not whole in a {width}×{height} window"
        assert _inside(legend, width, height), f"{name}: legend {legend} is not whole in a {width}×{height} window"

        # The city is not cut off: nothing coloured touches the canvas edges (but the zoom buttons).
        coloured = _coloured(app.map_canvas().screenshot(animations="disabled"))
        coloured[:ZOOM_BUTTONS_PX[1], -ZOOM_BUTTONS_PX[0]:] = False
        edges = {"links": coloured[:, :EDGE_PX], "rechts": coloured[:, -EDGE_PX:],
                 "oben": coloured[:EDGE_PX, :], "unten": coloured[-EDGE_PX:, :]}
        assert coloured.sum() > 2000, f"{name}: the map stayed blank"
        assert not any(edge.any() for edge in edges.values()), \
            f"{name}: the city is cut off at {[k for k, v in edges.items() if v.any()]}"
        app.assert_no_exception()
        app.assert_clean()


def test_every_table_column_is_visible_at_1440x900(open_app):
    app = open_app(KARTE, viewport={"width": 1440, "height": 900})
    app.wait_for_map("map")
    for frame in app.main.get_by_test_id("stDataFrame").all():
        frame.scroll_into_view_if_needed()
        scroll_width, visible_width = _no_horizontal_scroll(frame)
        assert scroll_width <= visible_width + 1, f"table needs horizontal scrolling ({scroll_width} > {visible_width})"
    table = app.main.get_by_test_id("stDataFrame").last
    expect(table.locator("th").filter(has_text="Gebiet")).to_have_count(1)  # the map may be drawn before it
    headers = table.locator("th").all_inner_texts()
    assert {"Rang", "Gebiet", "Wert", "KI 95 %", "Bewertung", "seit 2015"} <= set(headers)
    change = open_app(KARTE + "&darstellung=change&von=2015", viewport={"width": 1440, "height": 900})
    change.wait_for_map("change")
    frame = change.main.get_by_test_id("stDataFrame").last
    frame.scroll_into_view_if_needed()
    expect(frame.locator("th").filter(has_text="seit 2015")).to_have_count(1)
    scroll_width, visible_width = _no_horizontal_scroll(frame)
    assert scroll_width <= visible_width + 1
    app.assert_clean()
    change.assert_clean()


def test_the_wheel_over_the_map_scrolls_the_page_and_leaves_the_map(open_app):
    app = open_app(KARTE, viewport={"width": 1280, "height": 720})
    app.wait_for_map("before")
    app.page.mouse.move(1, 1)
    before = app.map_canvas().screenshot(animations="disabled")
    box = app.map_canvas().bounding_box()
    app.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    app.page.mouse.wheel(0, 400)
    app.page.wait_for_function(f"() => {SCROLLED} > 100", timeout=10_000)  # fails the test if the page stays put
    app.page.evaluate("() => document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0 })")
    app.page.wait_for_function(f"() => {SCROLLED} === 0")
    app.page.mouse.move(1, 1)  # no hover highlight, no tooltip in the comparison
    after = app.map_canvas().screenshot(animations="disabled")
    changed = (_coloured(before) != _coloured(after)).mean()
    assert changed < 0.002, f"the wheel zoomed the map ({changed:.1%} of its pixels changed)"
    app.assert_clean()


def test_back_and_the_sidebar_link_return_to_the_last_view(open_app):
    app = open_app("/Karte?indikator=sgb2_quote&jahr=2023&ebene=1&darstellung=judgement",
                   viewport={"width": 1440, "height": 900})
    app.wait_for_map("start")
    expect(app.combobox("Indikator")).to_have_value("SGB-II-Quote")
    app.sidebar_link("Übersicht").click()
    expect(app.main.get_by_role("heading", name="Sozialbericht Musterstadt")).to_be_visible()
    app.sidebar_link("Karte").click()
    app.wait_for_run()
    expect(app.combobox("Indikator")).to_have_value("SGB-II-Quote")
    expect(app.combobox("Jahr")).to_have_value("2023")
    expect(app.page).to_have_url(re.compile(r"darstellung=judgement.*|jahr=2023"))
    assert "darstellung=judgement" in app.page.url and "jahr=2023" in app.page.url

    box = app.map_canvas().bounding_box()
    app.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(app.page).to_have_url(re.compile(r"/Profil"))
    expect(app.main.get_by_role("heading", name="Einrichtungen")).to_be_visible()
    app.wait_for_run()  # the Profil has written its address: one Back must still reach the Karte
    assert "stand=2023" in app.page.url
    app.page.go_back()
    app.wait_for_run()
    expect(app.combobox("Indikator")).to_have_value("SGB-II-Quote")
    expect(app.combobox("Jahr")).to_have_value("2023")
    expect(app.page.get_by_role("heading", name="SGB-II-Quote 2023: Bewertung ggü. Gesamtstadt")).to_be_visible()
    app.assert_no_exception()
    app.assert_clean()


def test_names_do_not_pile_up_at_550_areas(open_app, medium_server):
    """Before the collision filter, 550 names covered the city in black; now the names that fit are shown."""
    app = open_app("/Karte?namen=1", server=medium_server, viewport={"width": 1440, "height": 900})
    app.wait_for_map("names")
    canvas = app.page.locator(f"{DECK} canvas").first
    png = canvas.screenshot(animations="disabled")
    box = canvas.bounding_box()
    share = dark_pixels(png) / (box["width"] * box["height"])
    without = open_app("/Karte?namen=0", server=medium_server, viewport={"width": 1440, "height": 900})
    without.wait_for_map("no-names")
    plain = dark_pixels(without.map_canvas().screenshot(animations="disabled")) / (box["width"] * box["height"])
    assert share - plain > 0.005, "no names were drawn"
    assert share - plain < 0.06, f"names cover {share - plain:.1%} of the map: they pile up"
    app.assert_clean()
    without.assert_clean()


def _words(png: bytes) -> int:
    """Names on the canvas: clusters of near-black glyph pixels (the letters of a word merge when smeared a few
    pixels sideways) of a word's shape. On a judgement map no fill is that dark, and outlines make long thin
    clusters that the shape test leaves out."""
    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    smeared = ndimage.binary_dilation(grey < 36, structure=np.ones((3, 7), dtype=bool))
    labels, _ = ndimage.label(smeared)
    boxes = ndimage.find_objects(labels)
    return sum(1 for rows, cols in boxes
               if 8 <= rows.stop - rows.start <= 30 and 20 <= cols.stop - cols.start <= 260)


def test_zooming_in_brings_more_names(open_app, medium_server):
    """A quarter of the city, two zoom steps in, shows at least half as many names as the whole city did: the names
    hidden at the city view appear (without the collision filter's reveal only a sixteenth would remain). The
    clicks on the + button stay with the button: none reaches the area under it (Streamlit's pydeck buttons
    passed a second click through, which opened that area's profile)."""
    app = open_app("/Karte?namen=1&darstellung=judgement", server=medium_server,
                   viewport={"width": 1440, "height": 900})
    app.wait_for_map("city")
    app.page.mouse.move(1, 1)
    whole = _words(app.map_canvas().screenshot(animations="disabled"))
    zoom_in = app.page.get_by_role("button", name="Hineinzoomen")
    for _ in range(2):
        zoom_in.click()
        app.page.wait_for_timeout(500)  # a click that reached the map would start a run and open a profile
    app.wait_for_run()
    assert "/Karte" in app.page.url
    zoomed, png = 0, None
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:  # the zoom animates; the count settles once it has
        app.page.mouse.move(1, 1)
        try:
            png = app.map_canvas().screenshot(animations="disabled", timeout=10_000)
        except PlaywrightError:  # software WebGL may be busy drawing 550 areas
            continue
        zoomed, previous = _words(png), zoomed
        if zoomed == previous and zoomed:
            break
    assert png is not None, "the map canvas never settled after zooming"
    save_png(png, f"{app.name}-zoomed")
    assert whole > 15, f"only {whole} names at the city view"
    assert zoomed >= whole / 2, f"{zoomed} names after zooming in, {whole} before: hidden names did not appear"
    app.assert_clean()
