"""The Sozialnavigator's search: filters that combine, spelling forgiven, distances in metres, empty results."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from sozialdash import fmt
from sozialdash.analysis import finder

AREAS = pd.DataFrame({
    "area_id": ["0", "1", "2", "11", "12", "21"],
    "level": [0, 1, 1, 2, 2, 2],
    "parent_id": [None, "0", "0", "1", "1", "2"],
})


def _institution(i, name, category, *, organisation="AWO", groups=("Familien",), age=(None, None),
                 languages=("Deutsch",), barrier_free=True, area="11", lon=9.43, lat=54.78, street="Hauptstraße 1",
                 description=""):
    return {"institution_id": f"E{i}", "name": name, "organisation": organisation, "categories": [category],
            "target_groups": list(groups), "age_min": age[0], "age_max": age[1], "languages": list(languages),
            "barrier_free": barrier_free, "street": street, "postal_code": "24937", "city": "Flensburg",
            "phone": None, "email": None, "website": None, "opening_hours": None, "capacity": None,
            "description": description, "last_checked": None, "lon": lon, "lat": lat, "area_id": area}


@pytest.fixture(scope="module")
def directory() -> finder.Directory:
    rows = [
        _institution(1, "Kita Mürwiker Strolche", "Kita", age=(0, 6), area="11"),
        _institution(2, "Jugendzentrum Nord", "Jugendzentrum", groups=("Jugendliche",), age=(10, 21),
                     organisation="Ev. Jugend", area="12", street="Große Straße 3", barrier_free=False),
        _institution(3, "Familienzentrum Muerwik", "Familienzentrum", languages=("Deutsch", "Türkisch"),
                     age=(0, 10), area="21", lat=54.79),
        _institution(4, "Seniorentreff am Hafen", "Seniorentreff", groups=("Seniorinnen und Senioren",),
                     age=(60, None), organisation="DRK", area="21", barrier_free=None,
                     description="Café und Beratung für Ältere"),
    ]
    return finder.directory(pd.DataFrame(rows), AREAS)


def names(directory, found) -> list[str]:
    return list(directory.frame["name"].iloc[found.rows])


@pytest.mark.parametrize(("typed", "expected"), [
    ("strasse", {"Jugendzentrum Nord", "Kita Mürwiker Strolche", "Familienzentrum Muerwik", "Seniorentreff am Hafen"}),
    ("große str", {"Jugendzentrum Nord"}),
    ("jugend", {"Jugendzentrum Nord"}),
    ("muerwik", {"Kita Mürwiker Strolche", "Familienzentrum Muerwik"}),
    ("Mürwik", {"Kita Mürwiker Strolche", "Familienzentrum Muerwik"}),
    ("MURWIK", {"Kita Mürwiker Strolche", "Familienzentrum Muerwik"}),
    ("drk café", {"Seniorentreff am Hafen"}),
    ("cafe", {"Seniorentreff am Hafen"}),
    ("kita nord", set()),
])
def test_search_forgives_case_umlauts_and_sharp_s(directory, typed, expected):
    assert set(names(directory, finder.find(directory, finder.Filters(text=typed)))) == expected


def test_a_typo_finds_the_closest_word_and_says_so(directory):
    found = finder.find(directory, finder.Filters(text="jugendzentrm"))
    assert found.corrected == "jugendzentrum"
    assert names(directory, found) == ["Jugendzentrum Nord"]
    nothing = finder.find(directory, finder.Filters(text="xylophon"))
    assert nothing.corrected is None and not len(nothing.rows)


def test_filters_combine_and_values_within_a_filter_are_alternatives(directory):
    both = finder.Filters(categories=("Kita", "Familienzentrum"))
    assert set(names(directory, finder.find(directory, both))) == {"Kita Mürwiker Strolche", "Familienzentrum Muerwik"}
    turkish = finder.Filters(categories=("Kita", "Familienzentrum"), languages=("Türkisch",))
    assert names(directory, finder.find(directory, turkish)) == ["Familienzentrum Muerwik"]
    drk = finder.find(directory, finder.Filters(organisations=("DRK",)))
    assert names(directory, drk) == ["Seniorentreff am Hafen"]
    assert names(directory, finder.find(directory, finder.Filters(target_groups=("Jugendliche",)))) == \
        ["Jugendzentrum Nord"]


def test_barrier_free_keeps_only_those_known_to_be(directory):
    kept = set(names(directory, finder.find(directory, finder.Filters(barrier_free=True))))
    assert kept == {"Kita Mürwiker Strolche", "Familienzentrum Muerwik"}


@pytest.mark.parametrize(("age", "expected"), [
    (0, {"Kita Mürwiker Strolche", "Familienzentrum Muerwik"}),
    (6, {"Kita Mürwiker Strolche", "Familienzentrum Muerwik"}),
    (7, {"Familienzentrum Muerwik"}),
    (21, {"Jugendzentrum Nord"}),
    (75, {"Seniorentreff am Hafen"}),
])
def test_an_age_falls_inside_the_offers_range_with_open_ends(directory, age, expected):
    assert set(names(directory, finder.find(directory, finder.Filters(age=age)))) == expected


def test_areas_of_any_level_contain_their_childrens_institutions(directory):
    assert set(names(directory, finder.find(directory, finder.Filters(areas=("1",))))) == \
        {"Kita Mürwiker Strolche", "Jugendzentrum Nord"}
    assert names(directory, finder.find(directory, finder.Filters(areas=("12",)))) == ["Jugendzentrum Nord"]
    assert len(finder.find(directory, finder.Filters(areas=("12", "21"))).rows) == 3
    assert len(finder.find(directory, finder.Filters(areas=("0",))).rows) == 4


def test_an_empty_result_says_what_each_filter_alone_would_give(directory):
    found = finder.find(directory, finder.Filters(categories=("Kita",), languages=("Türkisch",), age=8))
    assert not len(found.rows)
    assert found.without == {"categories": 1, "languages": 0, "age": 0}


@pytest.mark.parametrize(("lon0", "lat0", "lon1", "lat1"), [
    (9.43, 54.78, 9.43, 54.79),        # north, about 1.1 km
    (9.43, 54.78, 9.47, 54.78),        # east
    (9.40, 54.76, 9.52, 54.83),        # diagonal, about 11 km
    (6.85, 51.47, 6.86, 51.475),       # Oberhausen
    (13.2, 52.4, 13.6, 52.6),          # across Berlin, about 34 km
])
def test_distances_match_the_geodesic_on_the_ellipsoid(lon0, lat0, lon1, lat1):
    _, _, geodesic = Geod(ellps="WGS84").inv(lon0, lat0, lon1, lat1)
    measured = finder.metres(lon0, lat0, np.array([lon1]), np.array([lat1]))[0]
    assert measured == pytest.approx(geodesic, rel=1e-4)


def test_one_minute_of_latitude_is_a_nautical_mile_at_45_degrees():
    # The nautical mile (1,852 m) was defined as one minute of latitude; on the ellipsoid that holds near 45°.
    assert finder.metres(0, 44.99166, np.array([0.0]), np.array([45.00833]))[0] == pytest.approx(1852, abs=1.5)


def test_a_radius_keeps_what_lies_within_and_sorts_by_distance(directory):
    centre = (9.43, 54.78)
    found = finder.find(directory, finder.Filters(centre=centre, radius_m=1200))
    # institutions 1, 2, 4 sit on the centre; 3 is 0.01° (1.11 km) north
    assert len(found.rows) == 4
    assert found.metres[-1] == pytest.approx(1113, abs=2)
    assert list(found.metres) == sorted(found.metres)
    assert len(finder.find(directory, finder.Filters(centre=centre, radius_m=1000)).rows) == 3


def test_distances_are_written_as_a_map_scale_says_them():
    assert [fmt.distance(m) for m in (0, 418, 1000, 1234, 12_345)] == \
        ["0\u00a0m", "420\u00a0m", "1\u00a0km", "1,2\u00a0km", "12\u00a0km"]
