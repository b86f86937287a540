"""Links between the pages as a dialogue uses them: from the Sozialindex map and the Vergleich into an area's
Profil at the year the page showed, and Back to exactly the view left."""

from __future__ import annotations

import re

from playwright.sync_api import expect

INDEX = "/Sozialindex?jahr=2023&ebene=2&mindestens=500"


def test_a_click_on_the_index_map_opens_the_profil_and_back_returns_to_the_index(open_app):
    app = open_app(INDEX, viewport={"width": 1440, "height": 900})
    app.wait_for_map("index")
    box = app.map_canvas().bounding_box()
    app.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(app.page).to_have_url(re.compile(r"/Profil\?profil=\w+&stand=2023$"))
    expect(app.main.get_by_role("heading", name="Einrichtungen")).to_be_visible()
    expect(app.combobox("Stand")).to_have_value("2023")
    app.wait_for_run()
    app.page.go_back()
    expect(app.page).to_have_url(re.compile(r"/Sozialindex\?.*jahr=2023.*mindestens=500"))
    expect(app.combobox("Jahr")).to_have_value("2023")
    expect(app.main.get_by_text("Mindestbevölkerung 500 statt 300")).to_be_visible()
    app.assert_no_exception()
    app.assert_clean()


def test_the_vergleich_overview_links_to_the_areas_profil(open_app):
    app = open_app("/Vergleich?gebiet=101&ansicht=ueberblick&jahr=2024")
    link = app.main.get_by_role("link", name="Profil dieses Gebiets")
    expect(link).to_be_visible()
    link.click()
    expect(app.page).to_have_url(re.compile(r"/Profil\?profil=101&stand=2024$"))
    expect(app.main.get_by_role("heading", name="Altstadt", exact=True)).to_be_visible()
    app.assert_no_exception()
    app.assert_clean()
