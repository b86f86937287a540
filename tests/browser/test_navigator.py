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
from urllib.parse import parse_qs, quote, urlsplit

import duckdb
import numpy as np
import pandas as pd
import pytest
import shapely
from openpyxl import load_workbook
from playwright.sync_api import expect
from pyproj import Geod

from sozialdash import fmt
from sozialdash.store import current_store, from_wkb
from sozialdash.ui.safe import JOINER
from sozialdash.views import institutions as views
from sozialdash.views import maps
from sozialdash.views.tables import excel_text
from tests.excel import excel_rows

from .helpers import AppPage, AppServer, on_screen, start_server
from .test_hostile_strings import FINDINGS, NOTHING

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
    return csv_ids(excel_rows(app.download("CSV")))


def url_params(app: AppPage) -> dict[str, list[str]]:
    return parse_qs(urlsplit(app.page.url).query)


@pytest.fixture
def new_server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """A server started for this test alone: the deep link must be the first request it ever answers (the
    session's ``fresh_app_server`` may be the very server the first half of the test used)."""
    server = start_server(demo_db, tmp_path_factory.mktemp("navigator-fresh"))
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

    csv_rows = excel_rows(app.download("CSV"))
    assert csv_ids(csv_rows) == ids
    assert [row["Entfernung (m)"] for row in csv_rows] == [float(round(m)) for m in expected["metres"]]
    xlsx = xlsx_rows(app.download("Excel"))
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


# --- 2. the planner's Versorgung view ------------------------------------------------------------------------

def acting_first(db: Path, level: int, year: int, need: str = "kinderarmut", category: str = "Kita",
                 population: str = "anteil_u6") -> list[str]:
    """The areas of ``level`` with more need than the city and fewer places per 1,000 of the target population
    than the city, in area order, counted straight from the store's tables: places of the institutions whose
    main category is ``category``, summed up the area tree; the target population is the published numerator
    of ``population`` in its latest year up to ``year``; an area with a secret or missing value has no quadrant.
    """
    with duckdb.connect(str(db), read_only=True) as con:
        areas = con.execute("SELECT area_id, level, parent_id, name FROM areas").df().set_index("area_id")
        offers = con.execute("SELECT area_id, capacity FROM institutions WHERE categories[1] = ?", [category]).df()
        pyear = con.execute("SELECT max(year) FROM published_values WHERE indicator_id = ? AND year <= ?",
                            [population, year]).fetchone()[0]
        people = con.execute("SELECT area_id, numerator FROM published_values WHERE indicator_id = ? AND year = ? "
                             "AND suppression IS NULL", [population, pyear]).df().set_index("area_id")["numerator"]
        needs = con.execute("SELECT area_id, value FROM published_values WHERE indicator_id = ? AND year = ? "
                            "AND suppression IS NULL", [need, year]).df().set_index("area_id")["value"]
        polarity = con.execute("SELECT polarity FROM indicators WHERE indicator_id = ?", [need]).fetchone()[0]
    assert polarity == "higher_is_worse"

    def up_to(area_id: str, wanted: int) -> str | None:
        while isinstance(area_id, str) and areas.at[area_id, "level"] > wanted:
            area_id = areas.at[area_id, "parent_id"]
        return area_id if isinstance(area_id, str) and areas.at[area_id, "level"] == wanted else None

    def per_1000(rows: pd.DataFrame, area_id: str) -> float:
        if rows["capacity"].isna().any() or area_id not in people.index or not people[area_id] > 0:
            return np.nan
        return rows["capacity"].sum() / people[area_id] * 1000

    city = areas.index[areas["level"] == 0][0]
    city_ratio = per_1000(offers, city)
    located = offers.assign(at=[up_to(a, level) for a in offers["area_id"]])
    chosen = []
    for area_id in sorted(areas.index[areas["level"] == level]):
        ratio = per_1000(located[located["at"] == area_id], area_id)
        value = needs.get(area_id, np.nan)
        if value > needs[city] and ratio < city_ratio:
            chosen.append(str(areas.at[area_id, "name"]))
    return chosen


def test_versorgung_names_the_stadtteile_with_high_need_and_few_places(open_app, demo_db, institutions):
    app = open_app(f"{PAGE}?ansicht=versorgung")
    params = url_params(app)
    with duckdb.connect(str(demo_db), read_only=True) as con:
        latest = con.execute("SELECT max(year) FROM published_values WHERE indicator_id = 'kinderarmut'").fetchone()[0]
        finest, plural = con.execute("SELECT level, label_plural FROM area_levels ORDER BY level DESC").fetchone()
    assert params["angebot"] == ["Kita"] and params["indikator"] == ["kinderarmut"]
    assert params["jahr"] == [str(latest)] and params["ebene"] == [str(finest)] and params["mass"] == ["places"]
    names = acting_first(demo_db, int(finest), int(latest))
    assert names, "the demo should have Stadtteile with high Kinderarmut and few Kita places"
    said = f"Hoher Bedarf, geringe Versorgung ({fmt.number(len(names))} {plural}): {', '.join(names)}"
    expect(app.main.get_by_text(said, exact=True)).to_be_visible()

    pixels = app.wait_for_map("versorgung-map")
    assert pixels >= 2000, f"the Versorgung map stayed blank ({pixels} coloured pixels)"
    chart = app.main.get_by_test_id("stPlotlyChart")
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    assert chart.locator(".scatterlayer .point").count() >= len(names)
    app.screenshot("versorgung")

    app.main.get_by_role("tab", name="Einrichtungen finden").click()
    expect(app.main.get_by_text(count_line(len(institutions)))).to_be_visible()
    app.wait_for_map("finden-map")
    app.screenshot("finden")
    assert url_params(app)["ansicht"] == ["finden"]
    app.assert_no_exception()
    app.assert_clean()


# --- 3. hostile names ----------------------------------------------------------------------------------------

def test_hostile_institution_names_stay_text_everywhere(open_app, hostile_app_server, hostile_db):
    hostile = current_store(hostile_db)
    frame = hostile.run("institution_list")
    target = frame[frame["name"] == HOSTILE_NAME].iloc[0]
    assert target["organisation"] == FORMULA_NAME and target["description"].startswith("=HYPERLINK(")
    category = target["categories"][0]
    path = (f"{PAGE}?einrichtung={target['institution_id']}&kategorie={quote(category)}"
            f"&suche={quote(HOSTILE_NAME)}")
    app = open_app(path, server=hostile_app_server, viewport={"width": 1600, "height": 1400})
    dialogs: list[str] = []
    app.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    expect(app.main.get_by_text(re.compile(r"^[\d.]+ Einrichtung(en)?$"))).to_be_visible()

    card = app.main.get_by_test_id("stVerticalBlock").filter(
        has=app.page.get_by_text(f"Träger: {FORMULA_NAME}")).last
    expect(card.get_by_text(HOSTILE_NAME, exact=True)).to_be_visible()
    # md() puts a word joiner after "https:" against autolinks: invisible, and not part of what a reader sees.
    assert f"Beschreibung: {target['description']}" in card.inner_text().replace(JOINER, "")
    grid_cells = app.main.get_by_test_id("stDataFrame").locator("td, [role='gridcell']")
    expect(grid_cells.filter(has_text=HOSTILE_NAME).first).to_be_attached()

    app.wait_for_map("hostile")
    shapes = hostile.run("area_shapes", level=int(hostile.run("areas")["level"].max()))
    bounds = shapely.total_bounds(from_wkb(shapes["display_wkb"]))
    box = app.map_canvas().bounding_box()
    x, y = on_screen(bounds, box, np.array([target["lon"]]), np.array([target["lat"]]))
    app.page.mouse.move(float(x[0]), float(y[0]))
    tooltip = app.page.locator(".deck-tooltip")
    expect(tooltip).to_contain_text(HOSTILE_NAME)
    expect(tooltip).to_contain_text(f"Träger: {FORMULA_NAME}")
    # innerText turns the tooltip's four lines into three <br>; nothing else may be an element.
    assert tooltip.evaluate("t => [...t.querySelectorAll('*')].map(e => e.tagName)") == ["BR"] * 3
    app.screenshot("hostile")

    assert app.page.locator('img[src="x"]').count() == 0
    # The page's own subheader "Liste" looks like what "- Liste" from the data would become; only it may.
    expect(app.heading("Liste")).to_have_count(1)
    assert app.page.evaluate(FINDINGS) == {**NOTHING, "blocks": ["H3: Liste"]}

    csv_rows = {row["ID"].removeprefix("\t"): row for row in excel_rows(app.download("CSV"))}
    row = csv_rows[target["institution_id"]]
    assert row["Name"] == excel_text(HOSTILE_NAME) == HOSTILE_NAME
    assert row["Träger"] == "'" + FORMULA_NAME and row["Beschreibung"] == "'" + target["description"]
    sheet = load_workbook(io.BytesIO(app.download("Excel")))["Einrichtungen"]
    header = [cell.value for cell in sheet[1]]
    cells = next(dict(zip(header, r)) for r in sheet.iter_rows(min_row=2)
                 if r[header.index("ID")].value == target["institution_id"])
    for column, text in [("Name", HOSTILE_NAME), ("Träger", FORMULA_NAME), ("Beschreibung", target["description"])]:
        assert (cells[column].value, cells[column].data_type) == (text, "s"), column
    assert dialogs == []
    app.assert_no_exception()
    app.assert_clean()


# --- 4. an empty result --------------------------------------------------------------------------------------

def test_an_empty_result_says_what_to_loosen_and_resets_it(open_app, institutions):
    kitas = int(institutions["categories"].map(lambda c: "Kita" in list(c)).sum())
    app = open_app(PAGE)
    add(app, "Kategorie", "Kita")
    expect(app.main.get_by_text(count_line(kitas))).to_be_visible()
    age = app.widget("Alter einer Person (Jahre)").locator("input")
    age.fill("70")
    age.press("Enter")
    settle(app)
    expect(app.main.get_by_text(count_line(0))).to_be_visible()
    expect(app.main.get_by_text("Keine Einrichtung passt zu allen Filtern.", exact=False)).to_be_visible()
    reset = app.main.get_by_role("button", name=re.compile(
        rf"Alter zurücksetzen \({re.escape(fmt.number(kitas))} Treffer\)$"))
    expect(reset).to_be_visible()
    app.screenshot("empty")
    reset.click()
    settle(app)
    expect(app.main.get_by_text(count_line(kitas))).to_be_visible()
    expect(age).to_have_value("")
    assert "alter" not in url_params(app) and url_params(app)["kategorie"] == ["Kita"]
    app.assert_no_exception()
    app.assert_clean()


# --- 5. a click on a point -----------------------------------------------------------------------------------

def test_a_click_on_a_point_chooses_that_institution(open_app, institutions, store):
    main = institutions["categories"].str[0]
    rare = main.value_counts().index[-1]
    few = institutions[main == rare].reset_index(drop=True)
    shapes = store.run("area_shapes", level=int(store.run("areas")["level"].max()))
    bounds = shapely.total_bounds(from_wkb(shapes["display_wkb"]))
    app = open_app(PAGE, viewport={"width": 1600, "height": 1400})
    add(app, "Kategorie", rare)
    expect(app.main.get_by_text(count_line(len(few)))).to_be_visible()
    app.wait_for_map("rare", min_pixels=500)
    box = app.map_canvas().bounding_box()
    x, y = on_screen(bounds, box, few["lon"].to_numpy(), few["lat"].to_numpy())
    apart = np.hypot(x[:, None] - x[None], y[:, None] - y[None])
    np.fill_diagonal(apart, np.inf)
    target = int(apart.min(axis=1).argmax())
    assert apart[target].min() > 3 * maps.POINT_RADIUS_PX, "every point of the rare category is covered by another"
    name, institution_id = few.at[target, "name"], few.at[target, "institution_id"]
    assert "einrichtung" not in url_params(app)

    app.page.mouse.move(float(x[target]), float(y[target]))
    expect(app.page.locator(".deck-tooltip")).to_contain_text(name)
    app.page.mouse.click(float(x[target]), float(y[target]))
    expect(app.page).to_have_url(re.compile(rf"[?&]einrichtung={re.escape(institution_id)}(&|$)"))
    expect(app.main.get_by_text(f"Träger: {few.at[target, 'organisation']}", exact=False).first).to_be_visible()
    expect(app.main.locator("strong").get_by_text(name, exact=True)).to_be_visible()
    app.screenshot("clicked")
    app.assert_no_exception()
    app.assert_clean()
