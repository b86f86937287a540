"""Static images (views.images): decoded PNGs show the fills where the areas are, holes as holes, the city in its
true shape, names only where they fit, and series with gaps where values are secret."""

import io
import math

import numpy as np
import pytest
import shapely
import shapely.affinity
from PIL import Image

from sozialdash.views import images
from sozialdash.views.colors import BACKGROUND, CHOSEN, NO_DATA, SERIES_COLOURS, hex_to_rgba

LAT = 54.0
FILL, OTHER, LEGEND_ONLY = "#e31a1c", "#2b83ba", "#54278f"


def metric_square(x_km: float, y_km: float, size_km: float, hole_km: float = 0.0) -> shapely.Polygon:
    """A square of ``size_km`` whose lower left corner is ``x_km`` east and ``y_km`` north of (9°, 54°), in
    degrees, with a centred square hole of ``hole_km``: square on the ground, 1.7 times as wide in degrees."""
    def corner(dx: float, dy: float) -> tuple[float, float]:
        return 9 + dx / (111.32 * math.cos(math.radians(LAT))), LAT + dy / 111.32

    def ring(x0, y0, edge):
        return [corner(x0, y0), corner(x0 + edge, y0), corner(x0 + edge, y0 + edge), corner(x0, y0 + edge)]

    inner = (size_km - hole_km) / 2
    holes = [ring(x_km + inner, y_km + inner, hole_km)] if hole_km else []
    return shapely.Polygon(ring(x_km, y_km, size_km), holes)


def pixels(png: bytes) -> np.ndarray:
    assert png.startswith(images.PNG_SIGNATURE)
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def mask(image: np.ndarray, colour: str) -> np.ndarray:
    return np.all(image == hex_to_rgba(colour)[:3], axis=2)


def test_the_image_has_the_size_asked_for():
    image = Image.open(io.BytesIO(images.map_png([metric_square(0, 0, 1)], [FILL], size_px=(640, 360), dpi=100)))
    assert image.size == (640, 360) and image.format == "PNG"


def test_a_hole_is_a_hole_and_the_ring_has_the_fill():
    """A donut alone on a square image fills it centred: its centre pixel is the background, the ring's middle
    is the fill."""
    image = pixels(images.map_png([metric_square(0, 0, 3, hole_km=1)], [FILL], size_px=(400, 400)))
    centre = image[200, 200]
    assert tuple(centre) == tuple(hex_to_rgba(BACKGROUND)[:3])
    ring_middle = image[200, 200 + round(400 * (1 - 2 * images.PAD) / 3)]  # 1 km right of the centre
    assert tuple(ring_middle) == tuple(hex_to_rgba(FILL)[:3])


def test_a_square_on_the_ground_is_drawn_square():
    """Degrees of longitude are shorter than degrees of latitude at 54° N: without the projection the square
    would be 1.7 times as wide as high."""
    filled = mask(pixels(images.map_png([metric_square(0, 0, 2)], [FILL], size_px=(600, 400))), FILL)
    rows, columns = np.flatnonzero(filled.any(axis=1)), np.flatnonzero(filled.any(axis=0))
    width, height = columns[-1] - columns[0], rows[-1] - rows[0]
    assert height > 300 and abs(width - height) <= 3


def test_every_part_of_a_multipolygon_and_every_area_gets_its_own_fill():
    parted = shapely.MultiPolygon([metric_square(0, 0, 1), metric_square(3, 0, 1)])
    image = pixels(images.map_png([parted, metric_square(1.5, 2, 1)], [FILL, OTHER], size_px=(500, 400)))
    filled = mask(image, FILL)
    columns = np.flatnonzero(filled.any(axis=0))
    assert np.diff(columns).max() > 50       # two parts, apart
    assert mask(image, OTHER).sum() > 1000 and filled.sum() > 2 * 1000


def test_an_area_without_fill_is_no_data_grey_and_missing_geometries_are_skipped():
    image = pixels(images.map_png([metric_square(0, 0, 1), None], [None, FILL], size_px=(300, 300)))
    assert mask(image, NO_DATA).sum() > 1000 and not mask(image, FILL).any()


def test_fills_must_match_the_areas():
    with pytest.raises(ValueError, match="2 Gebiete, aber 1 Farben"):
        images.map_png([metric_square(0, 0, 1), metric_square(2, 0, 1)], [FILL])


def test_outlined_areas_get_the_chosen_colour():
    areas = [metric_square(0, 0, 1), metric_square(1, 0, 1)]
    plain = pixels(images.map_png(areas, [FILL, OTHER], size_px=(400, 300)))
    outlined = pixels(images.map_png(areas, [FILL, OTHER], outlined=[False, True], size_px=(400, 300)))
    assert not mask(plain, CHOSEN).any() and mask(outlined, CHOSEN).sum() > 100


def test_legend_entries_are_drawn():
    image = pixels(images.map_png([metric_square(0, 0, 1)], [FILL], legend=[(LEGEND_ONLY, "geheim (.)")],
                                  title="Titel", note="Quelle", size_px=(800, 500)))
    assert mask(image, LEGEND_ONLY).sum() > 50


def text_pixels(image: np.ndarray, fill: str) -> int:
    """Pixels inside the image that are neither the fill, the background nor the white outline."""
    return int((~mask(image, fill) & ~mask(image, BACKGROUND)).sum())


def test_a_name_is_drawn_where_it_has_room_and_left_out_where_it_has_none():
    """The same long name on a large area and on a tiny one beside it (lower than the text): only the large one
    carries it."""
    large, tiny = metric_square(0, 0, 4), metric_square(4, 0, 0.08)
    without = pixels(images.map_png([large, tiny], [FILL, FILL], size_px=(600, 500)))
    named = pixels(images.map_png([large, tiny], [FILL, FILL], names=["Altstadt", "Sehr langer Gebietsname"],
                                  size_px=(600, 500)))
    left_of_tiny = 600 * 0.8  # the tiny area sits at the right edge
    assert text_pixels(named[:, :int(left_of_tiny)], FILL) > text_pixels(without[:, :int(left_of_tiny)], FILL) + 50
    assert text_pixels(named[:, int(left_of_tiny):], FILL) == text_pixels(without[:, int(left_of_tiny):], FILL)


def test_names_do_not_pile_up():
    """A hundred areas in a row, each narrower and lower than its name: none is drawn."""
    row = [metric_square(0.05 * i, 0, 0.05) for i in range(100)]
    without = pixels(images.map_png(row, [FILL] * 100, size_px=(800, 300)))
    named = pixels(images.map_png(row, [FILL] * 100, names=[f"Gebiet {i}" for i in range(100)],
                                  size_px=(800, 300)))
    assert np.array_equal(without, named)


def line_columns(png: bytes) -> np.ndarray:
    """The image columns in which the area's line colour appears."""
    return np.flatnonzero(mask(pixels(png), SERIES_COLOURS[0]).any(axis=0))


def has_gap(columns: np.ndarray) -> bool:
    return bool(len(columns)) and int(np.diff(columns).max()) > 15


@pytest.mark.parametrize("values", [[1.0, 2.0, None, 4.0, 5.0], [1.0, 2.0, math.nan, 4.0, 5.0]])
def test_a_secret_value_leaves_a_gap_in_the_line(values):
    years = [2019, 2020, 2021, 2022, 2023]
    assert not has_gap(line_columns(images.series_png(years, [1.0, 2.0, 3.0, 4.0, 5.0])))
    assert has_gap(line_columns(images.series_png(years, values)))


def test_years_never_collected_are_joined_only_a_secret_or_missing_value_breaks_the_line():
    """Wahlbeteiligung: elections in 2015, 2017, 2020, 2021 and 2025 are one line; a year the store has a row
    for without a value (secret, not delivered) is a gap."""
    elections = [2015, 2017, 2020, 2021, 2025]
    assert not has_gap(line_columns(images.series_png(elections, [55.0, 53.7, 54.1, 54.3, 53.4])))
    assert has_gap(line_columns(images.series_png(elections, [55.0, 53.7, None, 54.3, 53.4])))


def test_the_city_line_is_drawn_when_given():
    area_only = pixels(images.series_png([2020, 2021], [5.0, 6.0], size_px=(400, 200)))
    with_city = pixels(images.series_png([2020, 2021], [5.0, 6.0], [3.0, 3.5], area_label="Altstadt",
                                         size_px=(400, 200)))
    assert Image.fromarray(with_city).size == (400, 200)
    assert mask(with_city, "#333333").sum() > mask(area_only, "#333333").sum() + 50


def test_the_value_axis_counts_in_german_and_years_have_no_thousands_point():
    figure = images._series_figure([2019, 2020, 2021], [12.25, 12.5, 12.75], None, decimals=2, unit="%",
                                   area_label=None, city_label="Gesamtstadt", size_px=(600, 240), dpi=100)
    figure.canvas.draw()
    axes = figure.axes[0]
    values = [t.get_text() for t in axes.get_yticklabels() if t.get_text()]
    years = [t.get_text() for t in axes.get_xticklabels() if t.get_text()]
    assert values and all("," in v and "." not in v for v in values)
    assert "2020" in years and not any("." in y for y in years)


def test_names_that_reach_over_their_neighbours_never_overlap_each_other():
    """Ten tall narrow areas with names wider than they are: some names are drawn (haloed, over the neighbours),
    and no two of them touch."""
    row = [metric_square(0.5 * i, 0, 0.5) for i in range(10)]
    tall = [shapely.affinity.scale(square, 1, 6, origin=(9, LAT)) for square in row]
    figure = images._map_figure(tall, [FILL] * 10, outlined=None, names=[f"Gebietsname {i}" for i in range(10)],
                                label_points=None, parents=None, legend=(), title=None, note=None,
                                size_px=(800, 600), dpi=images.DPI)
    figure.canvas.draw()
    boxes = [text.get_window_extent() for text in figure.axes[0].texts]
    assert 1 < len(boxes) < 10
    assert not any(a.overlaps(b) for n, a in enumerate(boxes) for b in boxes[n + 1:])


@pytest.mark.parametrize("text", ["$\\x$", "$x$", "A $\\frac{$ b", "<b>fett</b>", "Mürwik – Süd & Weiße"])
def test_every_string_is_drawn_as_written_never_as_maths(text):
    """matplotlib reads "$...$" as TeX, where "$\\x$" raises: names, legend, title, source and unit never are."""
    area = metric_square(0, 0, 4)
    figure = images._map_figure([area], [FILL], outlined=None, names=[text], label_points=None, parents=None,
                                legend=[(LEGEND_ONLY, text)], title=text, note=text, size_px=(1600, 1000),
                                dpi=images.DPI)
    assert text in [t.get_text() for t in figure.axes[0].texts]
    assert images.map_png([area], [FILL], names=[text], legend=[(LEGEND_ONLY, text)], title=text,
                          note=text).startswith(images.PNG_SIGNATURE)
    assert images.series_png([2020, 2021], [1.0, 2.0], [1.5, 1.5], unit=text,
                             area_label=text).startswith(images.PNG_SIGNATURE)


def test_an_area_without_geometry_gets_no_name_and_breaks_nothing():
    image = pixels(images.map_png([metric_square(0, 0, 4), None], [FILL, OTHER], names=["Altstadt", "Nirgendwo"],
                                  size_px=(600, 500)))
    assert mask(image, FILL).sum() > 1000 and not mask(image, OTHER).any()


def test_a_series_without_a_published_value_has_no_value_scale():
    figure = images._series_figure([2020, 2021], [None, None], None, decimals=1, unit="%", area_label=None,
                                   city_label="Gesamtstadt", size_px=(600, 240), dpi=100)
    figure.canvas.draw()
    assert not [t.get_text() for t in figure.axes[0].get_yticklabels() if t.get_text()]
    assert images.series_png([2020, 2021], [None, None]).startswith(images.PNG_SIGNATURE)
