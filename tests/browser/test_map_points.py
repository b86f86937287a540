"""Institutions on the map element, in a real browser: the dots are drawn where they are, a click on one returns
its id and a click beside them still the area's, and a hostile name shows as its letters in the tooltip.

The Sozialnavigator page is written elsewhere; tests/browser/apps/map_points.py shows the element as that page
will (``map_points_server``). Where a place is on screen is computed here as deck.gl fits the city: Web Mercator
scaled so the shapes' bounds fill the canvas less the padding.
"""

from __future__ import annotations

import io

import numpy as np
import shapely
from PIL import Image
from playwright.sync_api import expect

from sozialdash.store import from_wkb
from sozialdash.views import colors, maps
from tests.browser.apps.map_points import HOSTILE_NAME, LEVEL, institutions
from tests.browser.helpers import on_screen

VIEWPORT = {"width": 1280, "height": 900}


def test_a_click_on_a_point_returns_its_id_and_its_name_stays_text(open_app, map_points_server, demo_db, store):
    points = institutions(demo_db)
    shapes = store.run("area_shapes", level=LEVEL)
    bounds = shapely.total_bounds(from_wkb(shapes["display_wkb"]))
    app = open_app("/", server=map_points_server, viewport=VIEWPORT)
    dialogs: list[str] = []
    app.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    app.wait_for_map("points")
    canvas = app.map_canvas()
    box = canvas.bounding_box()
    x, y = on_screen(bounds, box, points["lon"].to_numpy(), points["lat"].to_numpy())

    # The dot no other covers is drawn in its category's colour where the institution is.
    target = points.index[points["name"] == HOSTILE_NAME][0]
    colour = colors.category_colours(maps.category_order(points["category"]))[points.at[target, "category"]]
    app.page.mouse.move(1, 1)
    shot = np.asarray(Image.open(io.BytesIO(canvas.screenshot(animations="disabled"))).convert("RGB"), dtype=int)
    drawn = shot[round(y[target] - box["y"]), round(x[target] - box["x"])]
    assert np.abs(drawn - colors.hex_to_rgba(colour)[:3]).max() < 40, \
        f"expected {colour} at {points.at[target, 'institution_id']}, found {drawn.tolist()}"

    app.page.mouse.move(x[target], y[target])
    tooltip = app.page.locator(".deck-tooltip")
    expect(tooltip).to_have_text(HOSTILE_NAME)
    assert tooltip.locator("*").count() == 0 and app.page.locator('img[src="x"]').count() == 0
    app.page.mouse.click(x[target], y[target])
    expect(app.main.get_by_text(f"Einrichtung: {points.at[target, 'institution_id']}", exact=True)).to_be_visible()
    expect(app.main.get_by_text("Gebiet: None", exact=True)).to_be_visible()

    # Beside every dot the area underneath answers, as on the Karte.
    labels = shapes.assign(x=on_screen(bounds, box, shapes["label_lon"], shapes["label_lat"])[0],
                           y=on_screen(bounds, box, shapes["label_lon"], shapes["label_lat"])[1])
    room = np.hypot(labels["x"].to_numpy()[:, None] - x[None], labels["y"].to_numpy()[:, None] - y[None]).min(axis=1)
    free = labels.iloc[int(room.argmax())]
    assert room.max() > 3 * maps.POINT_RADIUS_PX, "no area of the demo has room beside the points"
    app.page.mouse.click(free["x"], free["y"])
    expect(app.main.get_by_text(f"Gebiet: {free['area_id']}", exact=True)).to_be_visible()
    expect(app.main.get_by_text("Einrichtung: None", exact=True)).to_be_visible()

    app.screenshot("page")
    assert dialogs == []
    app.assert_no_exception()
    app.assert_clean()
