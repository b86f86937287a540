"""The Sozialnavigator in a real browser, offline: the issue's "Done when" with the sidebar's widgets (Familienzentren
offering Turkish within 1 km of a Kita, both downloads, the shared link on a fresh server), the planner's
Versorgung view against an independent count, hostile institution names as text in card, table, tooltip and
exports, an empty result and its reset button, and a click on a point choosing that institution.

Expected values are computed here from the store's tables (geodesic distances with pyproj, supply ratios with
plain SQL), not with the page's own code.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import numpy as np
import pandas as pd
import pytest
import shapely
from openpyxl import load_workbook
from playwright.sync_api import expect
from pyproj import Geod

from sozialdash import fmt
from sozialdash.store import from_wkb
from sozialdash.ui import navigator
from sozialdash.views import institutions as views
from sozialdash.views.tables import excel_text
from tests.excel import excel_rows
from tests.hostile import INSTITUTION_NAMES

from .conftest import _start
from .helpers import DECK, AppPage, AppServer
from .test_hostile_strings import FINDINGS, NOTHING
from .test_map_points import _on_screen

PAGE = "/Sozialnavigator"
GEOD = Geod(ellps="WGS84")
RADIUS_M = 1000
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
FORMULA_NAME = "=1+1"


# --- what the store says -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def institutions(store) -> pd.DataFrame:
    return store.run("institution_list")


def metres_from(row: pd.Series, frame: pd.DataFrame) -> np.ndarray:
    n = len(frame)
    _, _, metres = GEOD.inv(np.full(n, row["lon"]), np.full(n, row["lat"]), frame["lon"].to_numpy(),
                            frame["lat"].to_numpy())
    return metres


def has(column: str, value: str):
    return lambda frame: frame[column].map(lambda values: value in list(values))


def familienzentren_with_turkish(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[has("categories", "Familienzentrum")(frame) & has("languages", "Türkisch")(frame)]


def kita_with_most_neighbours(frame: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """The Kita with the most Familienzentren offering Turkish within ``RADIUS_M`` (the demo has several with
    one; ties go to the lowest id), and those, nearest first."""
    kitas = frame[frame["categories"].map(lambda c: c[0] == "Kita")]
    offers = familienzentren_with_turkish(frame)
    best, near = None, offers.iloc[:0]
    for _, kita in kitas.iterrows():
        metres = metres_from(kita, offers)
        inside = offers.assign(metres=metres)[metres <= RADIUS_M].sort_values("metres", kind="stable")
        if len(inside) > len(near):
            best, near = kita, inside
    assert best is not None, "no Kita of the demo has a Familienzentrum offering Turkish within 1 km"
    return best, near


def count_line(count: int, rest: str = "") -> re.Pattern:
    """The count line, any space matching any (the page writes "1 km" with a no-break space)."""
    words = "Einrichtung" if count == 1 else "Einrichtungen"
    text = f"{fmt.number(count)} {words}{rest}"
    return re.compile("^" + r"\s".join(re.escape(part) for part in re.split(r"\s", text)) + "$")


# --- driving the sidebar -------------------------------------------------------------------------------------

def settle(app: AppPage) -> None:
    """After an input the script starts a moment later: give it that moment, then wait for it to stop."""
    app.page.wait_for_timeout(400)
    app.wait_for_run()


def _pick(app: AppPage, label: str, option: str):
    """Open the select(box) labelled ``label``, type ``option`` so that the list holds it alone and pick it
    (clicking into a list that is still being filtered can hit a neighbour). Returns the widget's input."""
    field = app.widget(label).locator("input")
    field.click()
    field.press_sequentially(option, delay=15)
    options = app.page.get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_text(option)
    options.first.click()
    if options.count():
        app.page.keyboard.press("Escape")   # a multiselect's list stays open
    settle(app)
    return field


def select(app: AppPage, label: str, option: str) -> None:
    expect(_pick(app, label, option)).to_have_value(option)


def add(app: AppPage, label: str, option: str) -> None:
    """Add ``option`` to a multiselect: it then shows as a tag."""
    _pick(app, label, option)
    expect(app.widget(label).get_by_text(option, exact=True)).to_be_visible()


def download(app: AppPage, button: str) -> bytes:
    with app.page.expect_download() as event:
        app.main.get_by_role("button", name=button, exact=True).click()
    return Path(event.value.path()).read_bytes()


def xlsx_rows(data: bytes) -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(data))["Einrichtungen"]
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)]


def csv_ids(rows: list[dict[str, object]]) -> list[str]:
    """The ID column as Excel shows it: ``excel_text`` keeps an id that Excel would convert text with a leading
    tab, which Excel does not show."""
    return [str(row["ID"]).removeprefix("\t") for row in rows]


def shown_ids(app: AppPage) -> list[str]:
    """The ID column of the result list, as the page's CSV gives it (the grid is a canvas, its cells are not
    in the DOM)."""
    return csv_ids(excel_rows(download(app, "CSV")))


def url_params(app: AppPage) -> dict[str, list[str]]:
    return parse_qs(urlsplit(app.page.url).query)


@pytest.fixture
def new_server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """A server started for this test alone: the deep link must be the first request it ever answers (the
    session's ``fresh_app_server`` may be the very server the first half of the test used)."""
    server = _start(demo_db, tmp_path_factory.mktemp("navigator-fresh"))
    yield server
    server.stop()


# --- 1. the scenario ---------------------------------------------------------------------------------

def test_familienzentren_with_turkish_near_a_kita_exported_and_shared(open_app, institutions, new_server):
    kita, expected = kita_with_most_neighbours(institutions)
    ids = list(expected["institution_id"])
    option = f"{kita['name']} – {views.address(kita.to_frame().T).iloc[0]}"
    line = count_line(len(ids), f" im Umkreis von {fmt.distance(RADIUS_M)} um {kita['name']}")

    app = open_app(PAGE)
    expect(app.main.get_by_text(count_line(len(institutions)))).to_be_visible()
    add(app, "Kategorie", "Familienzentrum")
    add(app, "Sprache", "Türkisch")
    select(app, "Umkreis", fmt.distance(RADIUS_M))
    expect(app.combobox("um")).to_have_value("Einrichtung")
    select(app, "Mittelpunkt (Einrichtung)", option)
    expect(app.main.get_by_text(line)).to_be_visible()
    app.wait_for_map("found")
    app.screenshot("found")

    csv_rows = excel_rows(download(app, "CSV"))
    assert csv_ids(csv_rows) == ids
    assert [row["Entfernung (m)"] for row in csv_rows] == [float(round(m)) for m in expected["metres"]]
    xlsx = xlsx_rows(download(app, "Excel"))
    assert [row["ID"] for row in xlsx] == ids
    assert [row["Name"] for row in xlsx] == list(expected["name"])
    assert [row["Entfernung (m)"] for row in xlsx] == [round(m) for m in expected["metres"]]

    params = url_params(app)
    assert params["kategorie"] == ["Familienzentrum"] and params["sprache"] == ["Türkisch"]
    assert params["umkreis"] == [str(RADIUS_M)] and params["mitte"] == [f"e:{kita['institution_id']}"]
    shared = urlsplit(app.page.url)
    app.assert_no_exception()
    app.assert_clean()

    assert new_server.pages_opened == 0
    again = open_app(f"{shared.path}?{shared.query}", server=new_server)
    expect(again.main.get_by_text(line)).to_be_visible()
    expect(again.combobox("Umkreis")).to_have_value(fmt.distance(RADIUS_M))
    assert shown_ids(again) == ids
    again.assert_no_exception()
    again.assert_clean()
