"""Datenpflege in a real browser: sign in, upload Flensburg's mapping and files, check, import, and the Karte
shows Flensburg. The server runs on a fresh copy of the demo store in this test's own folder, never on the
session's shared store."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sozialdash import roles
from sozialdash.store import current_store
from sozialdash.ui import importer
from tests import flensburg_upload

from .helpers import SCRIPT_RUN_MS, AppServer, start_server

PASSWORD = "Sozialraum 2026!"


@pytest.fixture
def import_server(demo_db: Path, tmp_path: Path) -> Iterator[tuple[AppServer, Path]]:
    db = tmp_path / "store.duckdb"
    shutil.copyfile(demo_db, db)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(importer.ENV_HASH, roles.hash_password(PASSWORD, iterations=roles.MIN_ITERATIONS))
        server = start_server(db, tmp_path)
    yield server, db
    server.stop()


def test_flensburg_imports_through_the_page_and_shows_on_the_karte(open_app, import_server, tmp_path):
    server, db = import_server
    mapping = tmp_path / "flensburg.yaml"
    mapping.write_text(flensburg_upload.mapping_text(), encoding="utf-8")
    app = open_app("/Datenpflege", server=server, viewport={"width": 1440, "height": 900})
    page = app.page

    page.get_by_label("Passwort der Datenpflege").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    expect(app.main.get_by_text("Das Passwort ist falsch (Versuch 1).")).to_be_visible()
    page.get_by_label("Passwort der Datenpflege").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(app.heading("1. Zuordnung")).to_be_visible()

    uploaders = app.main.locator('[data-testid="stFileUploader"] input[type="file"]')
    uploaders.nth(0).set_input_files(str(mapping))
    expect(app.main.get_by_role("textbox", name="Zuordnung (YAML): welche Datei was enthält")).to_have_value(
        flensburg_upload.mapping_text())
    uploaders.nth(1).set_input_files([str(p) for p in flensburg_upload.files()])
    expect(app.main.get_by_text("tab_4_altenquotient_2011_bis_2021.csv · nach der Zuordnung gelesen")).to_be_visible(
        timeout=SCRIPT_RUN_MS)
    importieren = app.main.get_by_role("button", name="Importieren")
    expect(importieren).to_be_disabled()
    app.screenshot("uploaded")

    app.main.get_by_role("button", name="Prüfen").click()
    expect(app.main.get_by_text("Prüfung ohne Fehler: jetzt kann importiert werden.")).to_be_visible(
        timeout=SCRIPT_RUN_MS)
    expect(app.main.get_by_text("0 Fehler", exact=False)).to_be_visible()
    expect(importieren).to_be_enabled()
    app.screenshot("checked")

    importieren.click()
    expect(app.main.get_by_text("Importiert. Alle Seiten zeigen jetzt Flensburg, Sozialatlas 2022.")).to_be_visible(
        timeout=SCRIPT_RUN_MS)
    build = current_store(db).meta["build_id"]
    expect(app.main.get_by_text(f"Build: {build}")).to_be_visible()
    expect(app.sidebar).to_contain_text("Flensburg, Sozialatlas 2022")
    app.screenshot("imported")

    app.goto("/Karte?gebiet=STGT01")   # Flensburg's own id; the map draws names on its canvas, the choice as text
    expect(app.main.get_by_test_id("stMultiSelect")).to_contain_text("01 Altstadt (Stadtteil)")
    expect(app.main.locator("[role=gridcell]", has_text="11 Mürwik").first).to_be_attached()  # the Rangfolge's first row
    app.wait_for_map("flensburg")
    app.screenshot("karte")
    app.assert_no_exception()
    app.assert_clean()
