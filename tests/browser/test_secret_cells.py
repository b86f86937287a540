"""What a browser receives on every page holds no secret cell's true counts and no word that tells why a cell is
secret.

The store is the demo with tracer counts for one indicator (``tests/traced.py``): every hidden cell's numerator and
denominator is a number found nowhere else, so a search of every websocket frame, response and download for it
cannot be fooled by some other number. The reasons ("kleine Fallzahl", "primary", …) would tell an attacker that a
count is 1 or 2; pages show one marker only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from sozialdash import fmt
from sozialdash.analysis.publish import REASONS
from sozialdash.build import REASON_WORDS, build_store
from tests.traced import TRACED, YEAR, traced_dataset

from .helpers import AppPage, AppServer


@pytest.fixture(scope="module")
def traced(demo_dataset, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppServer, Path]]:
    directory = tmp_path_factory.mktemp("traced")
    path = directory / "traced.duckdb"
    build_store(traced_dataset(demo_dataset), out=path)
    server = AppServer.start(path, directory / "streamlit.log")
    yield server, path
    server.stop()


def hidden_truth(path: Path, dataset) -> list[tuple[str, float]]:
    """(area_id, count) of every count a hidden cell of the traced indicator holds, on every level, from the raw
    values summed up the area tree here."""
    with duckdb.connect(str(path), read_only=True) as con:
        hidden = con.execute("SELECT area_id FROM indicator_values WHERE indicator_id = ? AND year = ? "
                             "AND suppression IS NOT NULL", [TRACED, YEAR]).fetchall()
        areas = con.execute("SELECT area_id, parent_id FROM areas").df()
    raw = dataset.values[(dataset.values["indicator_id"] == TRACED) & (dataset.values["year"] == YEAR)]
    parent = dict(zip(areas["area_id"], areas["parent_id"]))
    totals: dict[str, list[float]] = {}
    for area_id, numerator, denominator in zip(raw["area_id"], raw["numerator"], raw["denominator"]):
        while isinstance(area_id, str):
            total = totals.setdefault(area_id, [0.0, 0.0])
            total[0] += numerator
            total[1] += denominator
            area_id = parent[area_id]
    return [(area_id, count) for (area_id,) in hidden for count in totals[area_id]]


def visible_tracers(path: Path) -> list[float]:
    """The traced indicator's printed counts on the levels the test visits: the scan must find every one."""
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("SELECT numerator, denominator FROM published_values JOIN areas USING (area_id) "
                           "WHERE indicator_id = ? AND year = ? AND level IN (1, 2) AND suppression IS NULL",
                           [TRACED, YEAR]).fetchall()
    return [count for row in rows for count in row if count >= 100]


def patterns(count: float) -> list[re.Pattern]:
    """A count as the browser could receive it: German ("5.214"), plain ("5214", "5214.0")."""
    texts = {fmt.number(count), f"{count:.0f}"}
    return [re.compile(rf"(?<![\w.,#]){re.escape(text)}(?:\.0)?(?![\w,]|\.\d)") for text in texts]


RULE_WORDS = [*REASON_WORDS.values(), *[f'"{code}"' for code in REASONS], "Fallzahl", "Komplement", "sekundär",
              "primär"]


def test_no_hidden_count_and_no_rule_reaches_the_browser(chromium, traced, demo_dataset):
    server, path = traced
    dataset = traced_dataset(demo_dataset)
    secrets = [(area_id, count) for area_id, count in hidden_truth(path, dataset) if count >= 100]
    assert len(secrets) >= 6, "the tracer must hide large counts too (partners, parents)"
    with duckdb.connect(str(path), read_only=True) as con:
        shown = {float(x) for (x,) in con.execute(
            "SELECT numerator FROM published_values WHERE numerator IS NOT NULL UNION "
            "SELECT denominator FROM published_values WHERE denominator IS NOT NULL").fetchall()}
    assert not [count for _, count in secrets if count in shown], "a tracer count is also a published number"
    hidden_areas = sorted({area_id for area_id, _ in secrets})

    received: list[str] = []
    app = AppPage.open(chromium, server, "secret-cells")
    app.page.on("websocket", lambda socket_: socket_.on(
        "framereceived", lambda payload: received.append(payload if isinstance(payload, str)
                                                         else payload.decode("utf-8", "replace"))))
    app.page.on("response", lambda response: received.append(_body(response)))
    try:
        for level in (1, 2):
            app.goto(f"/Karte?indikator={TRACED}&jahr={YEAR}&ebene={level}")
            with app.page.expect_download() as download:
                app.page.get_by_role("button", name=re.compile("Tabelle als CSV")).click()
            received.append(Path(download.value.path()).read_text(encoding="utf-8-sig"))
        app.goto(f"/Vergleich?indikator={TRACED}&jahr={YEAR}&" + "&".join(f"gebiet={a}" for a in hidden_areas[:6]))
        for page in ["/", *[f"/Profil?profil={area_id}" for area_id in hidden_areas[:2]]]:
            app.goto(page)
        showing_cells = len(received)  # Daten & Methodik describes the rules (not the cells): words allowed there
        app.goto("/Daten_und_Methodik")
        app.assert_clean()
    finally:
        app.close()
    text = "\n".join(received)
    assert len(text) > 100_000, "the scan saw too little to mean anything"
    found = [(area_id, count) for area_id, count in secrets if any(p.search(text) for p in patterns(count))]
    assert found == [], f"hidden counts reached the browser: {found}"
    missed = [count for count in visible_tracers(path) if not any(p.search(text) for p in patterns(count))]
    assert missed == [], f"the scan does not see visible tracer counts, so it could not see hidden ones: {missed}"
    words = [word for word in RULE_WORDS if word in "\n".join(received[:showing_cells])]
    assert words == [], f"words naming a suppression rule reached the browser: {words}"


def _body(response) -> str:
    """What a response carried, except the app's static files (scripts, styles, fonts), which hold no data."""
    if "/static/" in response.url:
        return ""
    try:
        return response.body().decode("utf-8", "replace")
    except Exception:  # a redirect or a response already gone has no body to read
        return ""
