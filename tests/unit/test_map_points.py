"""Institutions on the map element (views.maps.point_data, circle_data, plain_areas): colours from the one
palette, ids and tooltips in step with their points, counts per cell above the threshold, bounded views."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sozialdash.views import colors, maps

HOSTILE = "<img src=x onerror=alert(1)>"
IDS = pd.Series(["10", "11", "12"])
SHAPES = pd.Series(["a", "b"])


def _sent(data: dict) -> int:
    """Bytes of a view as Streamlit sends it (JSON, non-ASCII as UTF-8)."""
    return len(json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _points(n: int, categories: list[str], seed: int = 1) -> dict:
    rng = np.random.default_rng(seed)
    return {"ids": [f"E{i:06d}" for i in range(n)], "lon": rng.normal(9.44, 0.05, n),
            "lat": rng.normal(54.78, 0.03, n), "categories": rng.choice(categories, n),
            "tooltips": [f"Kindertagesstätte Am Langen Weg {i}\nTräger: Stadt" for i in range(n)]}


def _colour(points: dict, i: int) -> str:
    r, g, b, _ = points["palette"][points["fills"][i]]
    return f"#{r:02x}{g:02x}{b:02x}"


def test_the_first_seven_categories_get_okabe_ito_and_the_rest_one_grey():
    order = ["Kita", "Kita", "Sport", "Senioren", "Familie", "Schule", "Jugend", "Ganztag", "Quartier", "Tafel"]
    colours = colors.category_colours(order)
    assert list(colours) == list(dict.fromkeys(order))
    assert list(colours.values())[:7] == colors.OKABE_ITO and len(set(colors.OKABE_ITO)) == 7
    assert colours["Quartier"] == colours["Tafel"] == colors.OTHER_CATEGORIES
    assert colors.category_legend(order) == [*zip(list(colours)[:7], colors.OKABE_ITO),
                                             (colors.OTHER_CATEGORIES_LABEL, colors.OTHER_CATEGORIES)]
    assert colors.category_legend(["Kita", "Sport"]) == [("Kita", colors.OKABE_ITO[0]), ("Sport", colors.OKABE_ITO[1])]


def test_points_keep_ids_positions_tooltips_and_category_colours_together():
    ids, lon, lat = ["E3", "E1", "E2", "E4"], [9.1, 9.2, 9.3, 9.4], [54.1, 54.2, 54.3, 54.123456789]
    categories, tooltips = ["Sport", "Kita", "Kita", "Tafel"], [HOSTILE, "Kita A", "Kita B", "Tafel"]
    points = maps.point_data(ids, lon, lat, categories, tooltips)
    assert points["aggregated"] is False and points["count"] == 4 and points["chosen"] is None
    assert points["ids"] == ids and points["tooltips"] == tooltips  # hostile text unchanged: the browser draws text
    assert points["positions"] == [9.1, 54.1, 9.2, 54.2, 9.3, 54.3, 9.4, 54.12346]
    # Counted among these points: Kita first, then Sport and Tafel (equal counts: by name).
    assert [_colour(points, i) for i in range(4)] == [colors.OKABE_ITO[1], colors.OKABE_ITO[0], colors.OKABE_ITO[0],
                                                      colors.OKABE_ITO[2]]
    assert points["radius_px"] > 0 and points["edge"] == colors.hex_to_rgba(colors.POINT_EDGE)


def test_a_category_keeps_its_colour_when_a_filter_leaves_others_out():
    order = ["Kita", "Sport", "Tafel"]
    points = maps.point_data(["E9"], [9.0], [54.0], ["Tafel"], ["Tafel"], order=order)
    assert _colour(points, 0) == colors.category_colours(order)["Tafel"] == colors.OKABE_ITO[2]
    unknown = maps.point_data(["E9"], [9.0], [54.0], ["Neu"], ["Neu"], order=order)
    assert _colour(unknown, 0) == colors.OTHER_CATEGORIES


def test_the_chosen_point_is_sent_apart_larger_with_its_colour():
    points = maps.point_data(["E1", "E2"], [9.1, 9.2], [54.1, 54.2], ["Kita", "Sport"], ["Kita A", HOSTILE],
                             chosen="E2")
    chosen = points["chosen"]
    assert chosen["id"] == "E2" and chosen["position"] == [9.2, 54.2] and chosen["tooltip"] == HOSTILE
    assert chosen["fill"] == colors.hex_to_rgba(colors.OKABE_ITO[1])
    assert chosen["radius_px"] > points["radius_px"] and chosen["ring"] == colors.hex_to_rgba(colors.TEXT)
    assert maps.point_data(["E1"], [9.1], [54.1], ["Kita"], ["Kita A"], chosen="E7")["chosen"] is None


def test_above_the_threshold_points_are_counted_per_cell_in_one_colour():
    """Two places far apart, each holding more institutions than the threshold between them: two cells in the
    cells' one colour, with its count in German figures and its most frequent category."""
    n = maps.AGGREGATE_ABOVE // 2 + 1
    lon = [9.0] * n + [9.5] * n
    lat = [54.0] * n + [54.3] * n
    categories = ["Kita"] * (n - 1000) + ["Sport"] * 1000 + ["Sport"] * (n - 10) + ["Tafel"] * 10
    points = maps.point_data([f"E{i}" for i in range(2 * n)], lon, lat, categories, ["x"] * (2 * n),
                             chosen="E3")
    assert points["aggregated"] is True and points["count"] == 2 * n and "ids" not in points
    assert points["counts"] == [n, n] and points["positions"] == [9.0, 54.0, 9.5, 54.3]
    order = maps.category_order(pd.Series(categories))
    assert order[:2] == ["Sport", "Kita"]
    assert [_colour(points, i) for i in range(2)] == [colors.CELL, colors.CELL]
    assert points["tooltips"] == [f"{n:,} Einrichtungen (häufigste: Kita)".replace(",", "."),
                                  f"{n:,} Einrichtungen (häufigste: Sport)".replace(",", ".")]
    assert points["radii_px"] == [maps.CELL_RADIUS_PX[1]] * 2
    assert points["chosen"]["id"] == "E3"  # still drawn on its own, and clickable
    single = maps.point_data([f"E{i}" for i in range(maps.AGGREGATE_ABOVE)], [9.0] * maps.AGGREGATE_ABOVE,
                             [54.0] * maps.AGGREGATE_ABOVE, ["Kita"] * maps.AGGREGATE_ABOVE,
                             ["x"] * maps.AGGREGATE_ABOVE)
    assert single["aggregated"] is False


def test_100000_points_make_a_bounded_view_that_keeps_every_institution():
    raw = _points(100_000, [f"Kategorie {i}" for i in range(12)])
    points = maps.point_data(raw["ids"], raw["lon"], raw["lat"], raw["categories"], raw["tooltips"])
    cells = len(points["counts"])
    assert points["aggregated"] and points["count"] == sum(points["counts"]) == 100_000
    assert 50 < cells <= maps.MAX_CELLS
    assert len(points["positions"]) == 2 * cells and len(points["fills"]) == len(points["tooltips"]) == cells
    assert _sent(maps.view_data("k", SHAPES, maps.plain_areas(SHAPES, SHAPES), points=points)) < 300_000
    # A circle's area follows its count: radius squared in proportion, down to the smallest readable dot.
    counts, radii = np.array(points["counts"]), np.array(points["radii_px"])
    full = counts == counts.max()
    assert radii[full].tolist() == [maps.CELL_RADIUS_PX[1]] * full.sum()
    large = radii > maps.CELL_RADIUS_PX[0]
    assert np.allclose((radii[large] / maps.CELL_RADIUS_PX[1]) ** 2, counts[large] / counts.max(), atol=0.02)
    assert radii.min() >= maps.CELL_RADIUS_PX[0]


def test_single_points_up_to_the_threshold_stay_a_bounded_view():
    raw = _points(maps.AGGREGATE_ABOVE, ["Kita", "Sport"])
    points = maps.point_data(raw["ids"], raw["lon"], raw["lat"], raw["categories"], raw["tooltips"])
    assert not points["aggregated"] and len(points["ids"]) == maps.AGGREGATE_ABOVE
    assert _sent(points) < 500_000


def test_search_circle_is_in_metres_in_the_circle_colour():
    circle = maps.circle_data(np.float64(9.4312345678), 54.78, 800)
    assert circle["position"] == [9.431235, 54.78] and circle["radius_m"] == 800.0
    assert circle["line"][:3] == circle["fill"][:3] == colors.hex_to_rgba(colors.SEARCH_CIRCLE)[:3]
    assert circle["fill"][3] < circle["line"][3]
    json.dumps(circle)  # plain JSON types


def test_plain_areas_give_one_light_fill_and_the_names():
    data = maps.view_data("k", SHAPES, maps.plain_areas(SHAPES, pd.Series(["Nord", HOSTILE])), labels=False)
    assert data["palette"] == [colors.hex_to_rgba(colors.PLAIN_AREA, maps.FILL_ALPHA)] and data["fills"] == [0, 0]
    assert data["tooltips"] == ["Nord", HOSTILE]


@pytest.mark.parametrize("change", ["points", "chosen", "circle", "radius"])
def test_the_view_name_changes_with_points_and_circle_and_the_fills_name_does_not(change):
    areas = maps.plain_areas(SHAPES, SHAPES)

    def view(points_chosen=None, radius=500.0, points=True, circle=True):
        return maps.view_data("k", SHAPES, areas, points=maps.point_data(
            IDS, [9.1, 9.2, 9.3], [54.1, 54.2, 54.3], ["Kita"] * 3, ["a", "b", "c"], chosen=points_chosen)
            if points else None, circle=maps.circle_data(9.2, 54.2, radius) if circle else None)

    before = view()
    assert view()["view"] == before["view"]
    changed = {"points": lambda: view(points=False), "chosen": lambda: view(points_chosen="11"),
               "circle": lambda: view(circle=False), "radius": lambda: view(radius=600.0)}[change]()
    assert changed["view"] != before["view"]
    assert changed["fills_view"] == before["fills_view"]  # the polygons keep their colours: none is recoloured
    recoloured = maps.view_data("k", SHAPES, areas.assign(fill=["#000000", colors.PLAIN_AREA]))
    assert recoloured["fills_view"] != before["fills_view"]


def test_one_colour_for_every_point_over_coloured_areas():
    points = maps.point_data(["E1", "E2"], [9.0, 9.1], [54.0, 54.1], ["Kita", "Jugendzentrum"], ["a", "b"],
                             colour="#222222")
    assert points["palette"] == [colors.hex_to_rgba("#222222")] and points["fills"] == [0, 0]
