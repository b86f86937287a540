"""Need against supply on hand-computed cities: ratios, suppression of supply figures, quadrants and coverage."""

import math

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from sozialdash import glossary
from sozialdash.analysis import supply
from sozialdash.store import from_wkb

NAN = float("nan")


def tree(rows):
    """(area_id, level, parent_id) rows as the ``areas`` query gives them, names 'Gebiet <id>'."""
    return pd.DataFrame([(a, f"Gebiet {a}", level, parent) for a, level, parent in rows],
                        columns=["area_id", "name", "level", "parent_id"])


def published(counts):
    """``target_population`` rows: NaN is a secret cell."""
    return pd.DataFrame({"area_id": list(counts), "population": list(counts.values()),
                         "suppression": ["secret" if math.isnan(v) else None for v in counts.values()]})


# City 0 > Sozialräume A, B > Stadtteile a1, a2, b1, b2; b1 and b2 are secret (B is published).
AREAS = tree([("0", 0, None), ("A", 1, "0"), ("B", 1, "0"),
              ("a1", 2, "A"), ("a2", 2, "A"), ("b1", 2, "B"), ("b2", 2, "B")])
POPULATION = published({"0": 1000.0, "A": 600.0, "B": 400.0, "a1": 200.0, "a2": 400.0, "b1": NAN, "b2": NAN})
INSTITUTIONS = pd.DataFrame({
    "category": ["Kita", "Kita", "Kita", "Kita", "Seniorentreff", "Familienzentrum"],
    "capacity": pd.array([50, 30, None, 40, 20, None], dtype="Int64"),
    "area_id": ["a1", "a1", "a2", "b1", "a2", "a1"],
})


def by_area(level, categories=("Kita",)):
    return supply.supply_by_area(AREAS, INSTITUTIONS, POPULATION, level, categories).set_index("area_id")


def test_supply_on_the_finest_level():
    result = by_area(2)
    assert list(result.columns) == supply.SUPPLY_COLUMNS[1:]
    assert result["institutions"].to_dict() == {"a1": 2, "a2": 1, "b1": 1, "b2": 0}
    assert result["with_capacity"].to_dict() == {"a1": 2, "a2": 0, "b1": 1, "b2": 0}
    assert result["places"].to_dict() == {"a1": 80.0, "a2": 0.0, "b1": 40.0, "b2": 0.0}
    assert result.loc["a1", "institutions_per_1000"] == pytest.approx(10.0)   # 2 / 200 × 1,000
    assert result.loc["a1", "places_per_1000"] == pytest.approx(400.0)        # 80 / 200 × 1,000
    assert result.loc["a2", "institutions_per_1000"] == pytest.approx(2.5)    # 1 / 400 × 1,000


def test_places_per_person_need_every_capacity_of_the_area():
    """a2's one Kita has no known capacity: 0 places would read as a shortage."""
    assert math.isnan(by_area(2).loc["a2", "places_per_1000"])
    assert math.isnan(by_area(1).loc["A", "places_per_1000"])


def test_no_figure_per_person_from_a_secret_population():
    result = by_area(2)
    secret = result[result["suppression"] == "secret"]
    assert list(secret.index) == ["b1", "b2"]
    assert secret[["population", "institutions_per_1000", "places_per_1000"]].isna().all().all()
    assert secret["institutions"].to_dict() == {"b1": 1, "b2": 0}  # counting institutions reveals nobody


def test_supply_rolls_up_through_the_area_tree():
    result = by_area(1)
    assert result["institutions"].to_dict() == {"A": 3, "B": 1}
    assert result.loc["A", "institutions_per_1000"] == pytest.approx(5.0)     # 3 / 600
    assert result.loc["B", "institutions_per_1000"] == pytest.approx(2.5)     # 1 / 400: B itself is published
    assert result.loc["B", "places_per_1000"] == pytest.approx(100.0)         # 40 / 400


def test_the_city_is_level_zero():
    city = by_area(0).loc["0"]
    assert (city["institutions"], city["with_capacity"], city["places"]) == (4, 3, 120.0)
    assert city["institutions_per_1000"] == pytest.approx(4.0)
    assert math.isnan(city["places_per_1000"])


def test_categories_without_any_capacity_have_no_places():
    result = by_area(2, ["Familienzentrum"])
    assert result["institutions"].to_dict() == {"a1": 1, "a2": 0, "b1": 0, "b2": 0}
    assert result["places"].isna().all() and result["places_per_1000"].isna().all()


def test_several_categories_add_up_and_others_stay_out():
    result = by_area(2, ["Kita", "Familienzentrum"])
    assert result["institutions"].to_dict() == {"a1": 3, "a2": 1, "b1": 1, "b2": 0}


def test_an_area_without_people_has_no_ratio():
    empty = published({"0": 1000.0, "A": 0.0, "B": 1000.0, "a1": 0.0, "a2": 0.0, "b1": 500.0, "b2": 500.0})
    result = supply.supply_by_area(AREAS, INSTITUTIONS, empty, 1, ["Kita"]).set_index("area_id")
    assert math.isnan(result.loc["A", "institutions_per_1000"])
    assert result.loc["B", "institutions_per_1000"] == pytest.approx(1.0)


def test_shared_target_names_the_one_population_of_all_categories():
    targets = pd.DataFrame({"category": ["Kita", "Familienzentrum", "Seniorentreff"],
                            "population_indicator": ["anteil_u6", "anteil_u6", "anteil_65plus"],
                            "label": ["Kinder unter 6 Jahren", "Kinder unter 6 Jahren", "Menschen ab 65 Jahren"]})
    assert supply.shared_target(targets, ["Kita", "Familienzentrum"])["population_indicator"] == "anteil_u6"
    assert supply.shared_target(targets, ["Kita", "Seniorentreff"]) is None
    assert supply.shared_target(targets, ["Kita", "Sportverein"]) is None


# --- quadrants ------------------------------------------------------------------------------------------------


def test_quadrants_against_the_city_cross():
    need = pd.Series([30, 30, 10, 10, NAN, 20, 30], index=list("abcdefg"))
    places = [5, 15, 5, 15, 5, 10, NAN]
    result = supply.quadrants(need, places, city_need=20, city_supply=10)
    assert result.to_dict() == {"a": "high_need_low_supply", "b": "high_need_high_supply",
                                "c": "low_need_low_supply", "d": "low_need_high_supply", "e": None,
                                "f": "low_need_high_supply", "g": None}


def test_quadrants_read_need_by_polarity():
    """A Betreuungsquote below the city's is the high need."""
    result = supply.quadrants([10, 30], [5, 5], city_need=20, city_supply=10, polarity="higher_is_better")
    assert result.tolist() == ["high_need_low_supply", "low_need_low_supply"]


@pytest.mark.parametrize("city_need, city_supply", [(NAN, 10), (20, None)])
def test_quadrants_without_a_city_value_are_unknown(city_need, city_supply):
    assert supply.quadrants([10, 30], [5, 5], city_need, city_supply).isna().all()


def test_every_quadrant_has_german_words():
    assert set(glossary.QUADRANT) == set(supply.QUADRANTS)
    assert glossary.QUADRANT["high_need_low_supply"] == "hoher Bedarf, geringe Versorgung"


# --- coverage -------------------------------------------------------------------------------------------------


def squares(**boxes):
    return pd.Series({area_id: shapely.box(*bounds) for area_id, bounds in boxes.items()})


def test_coverage_of_half_an_area_is_half_its_people():
    """One Stadtteil of two 100 m squares 5 km apart; the offer's 200 m reach covers one square whole."""
    areas = tree([("0", 0, None), ("a", 1, "0"), ("b", 1, "0")])
    population = published({"0": 300.0, "a": 100.0, "b": 200.0})
    finest = pd.Series({"a": shapely.MultiPolygon([shapely.box(0, 0, 100, 100), shapely.box(5000, 0, 5100, 100)]),
                        "b": shapely.box(20_000, 0, 20_100, 100)})
    offers = shapely.points([[50, 50]])
    result = supply.coverage(areas, population, finest, offers, 200, 1).set_index("area_id")
    assert list(result.columns) == supply.COVERAGE_COLUMNS[1:]
    assert result.loc["a", "covered_share"] == pytest.approx(50.0)
    assert result.loc["a", "covered"] == pytest.approx(50.0)
    assert result.loc["b", "covered_share"] == 0.0
    city = supply.coverage(areas, population, finest, offers, 200, 0).iloc[0]
    assert city["covered_share"] == pytest.approx(50 / 300 * 100)


def test_coverage_of_an_offer_on_a_border_is_half_a_disc_on_each_side():
    """Two 1 km squares, an offer on their shared edge with 300 m reach: π·300²/2 m² of each square."""
    areas = tree([("0", 0, None), ("a", 1, "0"), ("b", 1, "0")])
    population = published({"0": 400.0, "a": 100.0, "b": 300.0})
    finest = squares(a=(0, 0, 1000, 1000), b=(1000, 0, 2000, 1000))
    result = supply.coverage(areas, population, finest, shapely.points([[1000, 500]]), 300, 1).set_index("area_id")
    half_disc = math.pi * 300**2 / 2 / 1e6 * 100
    assert result["covered_share"].to_numpy() == pytest.approx([half_disc, half_disc], rel=2e-3)
    assert result.loc["b", "covered"] == pytest.approx(3 * result.loc["a", "covered"])


def test_overlapping_reaches_count_once():
    areas = tree([("0", 0, None), ("a", 1, "0")])
    population = published({"0": 100.0, "a": 100.0})
    finest = squares(a=(0, 0, 100, 100))
    offers = shapely.points([[50, 50], [60, 50], [40, 40]])
    result = supply.coverage(areas, population, finest, offers, 500, 1)
    assert result["covered_share"].iloc[0] == pytest.approx(100.0)


def test_coverage_without_offers_is_zero():
    areas = tree([("0", 0, None), ("a", 1, "0")])
    result = supply.coverage(areas, published({"0": 10.0, "a": 10.0}), squares(a=(0, 0, 1, 1)),
                             shapely.points(np.empty((0, 2))), 300, 1)
    assert result["covered_share"].tolist() == [0.0]


# City 0 > P > c1 (300 published, 1 km²), c2 (secret, 1 km²), c3 (secret, 3 km², 10 km away). P's 1,000 minus
# c1's 300 leaves 700 for the secret two, spread by area: c2 175, c3 525. Three offers cover c3 whole.
SECRET_AREAS = tree([("0", 0, None), ("P", 1, "0"), ("c1", 2, "P"), ("c2", 2, "P"), ("c3", 2, "P")])
SECRET_POPULATION = published({"0": 1000.0, "P": 1000.0, "c1": 300.0, "c2": NAN, "c3": NAN})
SECRET_FINEST = squares(c1=(0, 0, 1000, 1000), c2=(1000, 0, 2000, 1000), c3=(10_000, 0, 13_000, 1000))
C3_OFFERS = shapely.points([[10_500, 500], [11_500, 500], [12_500, 500]])


def test_secret_stadtteile_share_what_the_published_parent_leaves_by_area():
    result = supply.coverage(SECRET_AREAS, SECRET_POPULATION, SECRET_FINEST, C3_OFFERS, 720, 1).iloc[0]
    assert result["covered"] == pytest.approx(525.0)
    assert result["covered_share"] == pytest.approx(52.5)


def test_no_coverage_for_an_area_whose_own_population_is_secret():
    result = supply.coverage(SECRET_AREAS, SECRET_POPULATION, SECRET_FINEST, C3_OFFERS, 720, 2).set_index("area_id")
    assert result.loc["c1", "covered_share"] == 0.0
    assert result.loc[["c2", "c3"], ["population", "covered", "covered_share"]].isna().all().all()
    assert result.loc[["c2", "c3"], "suppression"].tolist() == ["secret", "secret"]


def test_a_secret_parent_passes_its_estimate_down():
    """Q is secret: the city's 1,000 minus P's 600 leaves Q 400, which its secret children share by area."""
    areas = tree([("0", 0, None), ("P", 1, "0"), ("Q", 1, "0"), ("p", 2, "P"), ("q1", 2, "Q"), ("q2", 2, "Q")])
    population = published({"0": 1000.0, "P": 600.0, "Q": NAN, "p": 600.0, "q1": NAN, "q2": NAN})
    finest = squares(p=(0, 0, 1000, 1000), q1=(10_000, 0, 11_000, 1000), q2=(20_000, 0, 23_000, 1000))
    offers = shapely.points([[10_500, 500]])  # covers q1 (1 of Q's 4 km²): 100 people
    city = supply.coverage(areas, population, finest, offers, 720, 0).iloc[0]
    assert city["covered_share"] == pytest.approx(10.0)


def test_coverage_is_unknown_where_nothing_above_is_published():
    """b is secret and so is the city: nothing published is left to spread."""
    areas = tree([("0", 0, None), ("a", 1, "0"), ("b", 1, "0")])
    population = published({"0": NAN, "a": 50.0, "b": NAN})
    result = supply.coverage(areas, population, squares(a=(0, 0, 10, 10), b=(10, 0, 20, 10)),
                             shapely.points([[5, 5]]), 100, 1).set_index("area_id")
    assert result.loc["a", "covered_share"] == pytest.approx(100.0)
    assert math.isnan(result.loc["b", "covered_share"])


# --- the metric CRS -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lon, lat", [(9.43, 54.78), (13.4, 52.52), (6.95, 50.94), (11.99, 48.14)])
def test_local_metres_are_geodesic_metres(lon, lat):
    """Flensburg, Berlin, Köln, and a point on the edge of UTM zone 32: 2 km in every direction stay 2 km."""
    geod = Geod(ellps="GRS80")
    azimuths = np.arange(0, 360, 45)
    ends_lon, ends_lat, _ = geod.fwd(np.full(len(azimuths), lon), np.full(len(azimuths), lat), azimuths,
                                     np.full(len(azimuths), 2000.0))
    points = shapely.points(np.column_stack([[lon, *ends_lon], [lat, *ends_lat]]))
    metric = supply.to_metric(points, supply.local_crs(points))
    assert shapely.distance(metric[0], metric[1:]) == pytest.approx(np.full(len(azimuths), 2000.0), abs=0.05)


# --- on the demo store ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_supply(store):
    targets = store.run("supply_targets")
    target = supply.shared_target(targets, ["Kita"])
    population = store.run("target_population", indicator=target["population_indicator"], year=2025)
    return store.run("areas"), store.run("supply_institutions"), population


def test_the_demo_kitas_serve_the_children_under_6(store):
    target = supply.shared_target(store.run("supply_targets"), ["Kita"])
    assert (target["population_indicator"], target["label"]) == ("anteil_u6", "Kinder unter 6 Jahren")


@pytest.mark.parametrize("level", [1, 2])
def test_every_demo_kita_counts_once_on_every_level(store, demo_supply, level):
    areas, institutions, population = demo_supply
    result = supply.supply_by_area(areas, institutions, population, level, ["Kita"])
    kitas = institutions[institutions["category"] == "Kita"]
    assert result["institutions"].sum() == len(kitas)
    assert result["places"].sum() == kitas["capacity"].sum()
    city = supply.supply_by_area(areas, institutions, population, 0, ["Kita"]).iloc[0]
    assert city["population"] == population.set_index("area_id").loc["0", "population"]
    assert city["institutions_per_1000"] == pytest.approx(len(kitas) / city["population"] * 1000)


def test_demo_coverage_grows_with_distance_to_everybody(store, demo_supply):
    areas, institutions, population = demo_supply
    shapes = store.run("area_shapes_full", level=2)
    polygons = from_wkb(shapes["full_wkb"])
    crs = supply.local_crs(polygons)
    finest = pd.Series(supply.to_metric(polygons, crs), index=shapes["area_id"].to_numpy())
    kitas = institutions[institutions["category"] == "Kita"]
    offers = supply.to_metric(shapely.points(kitas["lon"], kitas["lat"]), crs)
    shares = [supply.coverage(areas, population, finest, offers, d, 1)["covered_share"].to_numpy()
              for d in (100, 300, 1000, 50_000)]
    assert (np.diff(shares, axis=0) >= -1e-9).all()
    assert shares[-1] == pytest.approx(np.full(len(shares[-1]), 100.0))
    assert (shares[0] > 0).all() and (shares[0] < 100).all()


def test_the_demo_shows_stadtteile_with_high_kinderarmut_and_few_kita_places(store, demo_supply):
    """demo.institutions gives some of the neediest Stadtteile markedly fewer institutions: the quadrant finds them."""
    areas, institutions, population = demo_supply
    finest = int(areas["level"].max())
    places = supply.supply_by_area(areas, institutions, population, finest, ["Kita"])
    city = supply.supply_by_area(areas, institutions, population, 0, ["Kita"]).iloc[0]
    need = store.run("level_values", indicator="kinderarmut", year=2025, level=finest).set_index("area_id")
    city_need = store.run("city_value", indicator="kinderarmut", year=2025)["value"].iloc[0]
    quadrant = supply.quadrants(need["value"].reindex(places["area_id"]).reset_index(drop=True),
                                places["places_per_1000"], city_need, city["places_per_1000"])
    gaps = places.loc[quadrant == "high_need_low_supply", "places_per_1000"]
    assert len(gaps) >= 3
    assert gaps.min() < 0.6 * city["places_per_1000"]  # markedly fewer, not a rounding below the city
