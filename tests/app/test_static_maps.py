"""The maps as PNG beyond the Karte (whose PNG test_karte.py checks): the Sozialindex map in its status × dynamics
colours with their legend, and the Profil's locator, against the store."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from sozialdash import fmt
from sozialdash.analysis import sozialindex as si
from sozialdash.store import current_store
from sozialdash.ui import karte, profil, sozialindex
from sozialdash.views.colors import CHOSEN, NO_DATA, PLAIN_AREA, hex_to_rgba


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def share(image: np.ndarray, colour: str) -> float:
    return float(np.all(image == hex_to_rgba(colour)[:3], axis=2).mean())


@pytest.fixture(scope="module")
def index_result(store):
    config = si.IndexConfig(sozialindex.MSS_INDICATORS, sozialindex.MSS_INDICATORS)
    return sozialindex.index(store, config, 2, 2025)


def test_the_index_legend_counts_every_area_once_in_the_maps_colours(index_result):
    legend = sozialindex.legend(index_result)
    counts = legend["Gebiete"].map(lambda n: int(n.replace(".", "")))
    assert counts.sum() == len(index_result) and (counts > 0).all()
    assert set(legend["Farbe"]) == set(sozialindex.fills(index_result))
    if index_result["excluded"].notna().any():
        assert legend["Klasse"].iloc[-1] == si.UNASSIGNED and legend["Farbe"].iloc[-1] == NO_DATA


def test_the_index_png_shows_every_colour_of_the_map(store, index_result):
    fills = sozialindex.fills(index_result)
    image = pixels(karte.map_png(store, 2, fills, legend=sozialindex.legend(index_result),
                                 title="Sozialindex 2025 · Stadtteile", note=karte.source_line(store)))
    for colour in set(fills):
        assert share(image, colour) > 0.001, colour


def test_the_locator_outlines_the_area_among_the_others_in_one_light_fill(store):
    areas = store.run("areas")
    area = str(areas.loc[areas["level"] == 2, "area_id"].iloc[0])
    image = pixels(profil.locator_png(store, area))
    assert image.shape[:2] == profil.LOCATOR_PNG_PX[::-1]
    assert share(image, PLAIN_AREA) > 0.3 and share(image, CHOSEN) > 0


def test_the_source_line_names_the_source_the_dataset_and_the_demo(store):
    line = karte.source_line(store, "Statistik der BA")
    assert line.startswith("Quelle: Statistik der BA · Musterstadt (Demo) · Stand der Datenbank ")
    assert line.endswith("Fiktive Demodaten") and fmt.day(store.meta["built_at"]) in line


def test_hostile_names_units_and_sources_make_a_png_like_any_other(hostile_db):
    """The hostile store's "$x^2$" units, "$x$" sources and HTML names: the Karte's PNG and a locator are drawn
    (matplotlib would take a dollar pair for TeX and fail on some)."""
    store = current_store(hostile_db)
    catalogue = store.run("indicator_catalogue").set_index("indicator_id", drop=False)
    levels = store.run("area_levels").set_index("level", drop=False)
    for ind in catalogue.head(3).itertuples():
        ind = catalogue.loc[ind.indicator_id]
        year = int(ind["last_year"])
        view = karte.map_view(store, ind, year, 2, "value", int(ind["first_year"]), "quantiles", 5, True)
        choice = karte.KarteChoice(ind, year, levels.loc[2], "value", int(ind["first_year"]), "judgement_city",
                                   "quantiles", 5, True)
        assert pixels(karte.png(store, choice, view, list(view.table["area_id"][:1]))).shape == (1000, 1600, 3)
    area = str(store.run("areas").query("level == 2")["area_id"].iloc[0])
    assert pixels(profil.locator_png(store, area)).shape[:2] == profil.LOCATOR_PNG_PX[::-1]
