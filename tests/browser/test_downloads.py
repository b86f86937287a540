"""PNG images for slides, offline: plotly's own camera on the Vergleich's charts and the Karte's map, drawn on the
server. Every request that leaves 127.0.0.1 fails the test (``AppPage.assert_clean``), so a camera that fetched
anything would show here."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image
from playwright.sync_api import expect

from sozialdash.views.charts import CAMERA_SCALE
from sozialdash.views.colors import CHOSEN, hex_to_rgba
from sozialdash.views.images import PNG_SIGNATURE

from .helpers import DOWNLOAD_MS, save_png

VERGLEICH = "/Vergleich?gebiet=303&gebiet=405&gebiet=101&thema=existenzsicherung&jahr=2024"
KARTE = "/Karte?indikator=kinderarmut&jahr=2025&ebene=2&gebiet=303"
CAMERA = '.modebar-btn[data-title="Download plot as a PNG"]'


def test_the_camera_saves_a_vergleich_chart_as_a_png_at_twice_its_size(open_app):
    app = open_app(VERGLEICH)
    chart = app.main.get_by_role("tabpanel").locator(".js-plotly-plot")  # the open tab: the bars
    expect(chart).to_contain_text("SGB-II-Quote")
    chart.hover()
    camera = chart.locator(CAMERA)
    expect(camera).to_be_visible()
    for kept in ("Zoom", "Autoscale"):   # the camera comes with plotly's other buttons, none hidden
        expect(chart.locator(f'.modebar-btn[data-title="{kept}"]')).to_have_count(1)
    with app.page.expect_download(timeout=DOWNLOAD_MS) as event:
        camera.click()
    download = event.value
    data = Path(download.path()).read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert download.suggested_filename == "musterstadt_demo_vergleich_balken_2024.png"
    image = Image.open(io.BytesIO(data))
    box = chart.bounding_box()
    assert abs(image.width - CAMERA_SCALE * box["width"]) <= CAMERA_SCALE
    assert abs(image.height - CAMERA_SCALE * box["height"]) <= CAMERA_SCALE
    save_png(data, "camera_bars")
    app.assert_no_exception()
    app.assert_clean()


def test_the_karte_png_download_is_the_map_with_the_chosen_area(open_app):
    app = open_app(KARTE)
    button = app.main.get_by_role("button", name="Karte als PNG", exact=True)
    expect(button).to_be_visible()
    with app.page.expect_download(timeout=DOWNLOAD_MS) as event:
        button.click()
    download = event.value
    data = Path(download.path()).read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert download.suggested_filename == "musterstadt_demo_kinderarmut_2025_stadtteil.png"
    image = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    assert (image.shape[1], image.shape[0]) == (1600, 1000)
    assert np.all(image == hex_to_rgba(CHOSEN)[:3], axis=2).sum() > 100   # the area chosen in the link, outlined
    save_png(data, "karte_png")
    app.assert_no_exception()
    app.assert_clean()
