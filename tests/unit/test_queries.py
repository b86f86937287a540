"""Every named query in queries/ runs against the demo store with realistic parameters and returns rows.

A new query file without an entry in PARAMS fails here on purpose: add its parameters (even ``{}``) so that it
is exercised at least once.
"""

import re

import pandas as pd
import pytest

from sozialdash import config

QUERY_FILES = sorted(p for p in config.QUERIES_DIR.glob("*.sql"))
QUERY_NAMES = [p.stem for p in QUERY_FILES if p.stem != "schema"]

INDICATOR, YEAR, LEVEL, AREA, AREAS = "kinderarmut", 2025, 2, "101", ["101", "102"]

PARAMS = {
    "area_levels": {},
    "area_overview": {"area": AREA, "year": YEAR},
    "area_series": {"indicators": [INDICATOR], "areas": AREAS},
    "area_profile": {"area": AREA},
    "area_shapes": {"level": LEVEL},
    "area_shapes_full": {"level": LEVEL},
    "areas": {},
    "city_headlines": {"year": YEAR},
    "city_value": {"indicator": INDICATOR, "year": YEAR},
    "dataset_meta": {},
    "indicator_catalogue": {},
    "indicator_levels": {"indicator": INDICATOR},
    "indicator_years": {"indicator": INDICATOR},
    "institutions_by_area": {},
    "institution_list": {},
    "level_population": {"level": LEVEL, "year": YEAR},
    "level_values": {"indicator": INDICATOR, "year": YEAR, "level": LEVEL},
    "supply_institutions": {},
    "supply_targets": {},
    "target_population": {"indicator": "anteil_u6", "year": YEAR},
}

PARAMETER = re.compile(r"\$([A-Za-z_]\w*)")


def sql_of(name):
    return (config.QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def body_parameters(name):
    """``$names`` used in the statement itself (the comment header is skipped)."""
    body = "\n".join(line for line in sql_of(name).splitlines() if not line.lstrip().startswith("--"))
    return set(PARAMETER.findall(body))


def test_there_are_queries():
    assert "dataset_meta" in QUERY_NAMES


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_query_runs_and_returns_rows(store, name):
    if name not in PARAMS:
        pytest.fail(f"queries/{name}.sql has no entry in PARAMS of {__file__}: add its parameters "
                    f"{sorted(body_parameters(name))} so that the query is tested")
    result = store.run(name, **PARAMS[name])
    assert isinstance(result, pd.DataFrame)
    assert len(result) >= 1, f"{name} returned no rows for {PARAMS[name]}"


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_params_name_exactly_the_query_parameters(name):
    if name not in PARAMS:
        pytest.fail(f"queries/{name}.sql has no entry in PARAMS")
    assert set(PARAMS[name]) == body_parameters(name)


def test_params_have_no_stale_entries():
    assert set(PARAMS) <= set(QUERY_NAMES), set(PARAMS) - set(QUERY_NAMES)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_query_file_starts_with_a_two_line_comment(path):
    first, second, *_ = path.read_text(encoding="utf-8").splitlines()
    assert first.startswith("-- ") and len(first) > 5
    assert second.startswith("-- ") and len(second) > 5


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_header_declares_the_parameters(name):
    """The second header line says which ``$parameters`` the query takes ('none' if there are none)."""
    second = sql_of(name).splitlines()[1]
    declared = set(PARAMETER.findall(second))
    assert declared == body_parameters(name), second
    if not declared:
        assert "none" in second.lower()


def test_no_query_hands_out_a_suppressed_number(store):
    leaks = {}
    for name in [n for n in QUERY_NAMES if n in PARAMS]:
        result = store.run(name, **PARAMS[name])
        if "suppression" in result.columns:
            numbers = [c for c in ["value", "numerator", "denominator", "ci_low", "ci_high", "population"]
                       if c in result.columns]
            hidden = result.loc[result["suppression"].notna(), numbers]
            if hidden.notna().any().any():
                leaks[name] = hidden
    assert leaks == {}


def test_no_query_tells_why_a_cell_is_secret(store):
    """The reason would narrow the hidden count down ("kleine Fallzahl": 1 or 2); every query reads the view that
    gives one marker, and none reads the table with the reasons."""
    markers = {}
    for name in [n for n in QUERY_NAMES if n in PARAMS]:
        result = store.run(name, **PARAMS[name])
        if "suppression" in result.columns:
            markers[name] = set(result["suppression"].dropna())
    assert markers and set().union(*markers.values()) == {"secret"}, markers
    assert [name for name in QUERY_NAMES if "indicator_values" in sql_of(name)] == []


def test_level_values_show_a_suppressed_cell_as_null(store, suppressed_cell):
    indicator, area, year = suppressed_cell
    result = store.run("level_values", indicator=indicator, year=year, level=2).set_index("area_id")
    assert result.loc[area, "suppression"] == "secret"
    assert result.loc[area, ["value", "numerator", "denominator", "ci_low", "ci_high"]].isna().all()
    assert result.loc[area, "judgement_city"] == "suppressed"
    parent = store.run("areas").set_index("area_id").loc[area, "parent_id"]
    siblings = result[result["parent_name"] == result.loc[area, "parent_name"]]
    assert siblings["suppression"].notna().sum() >= 2, f"{area} is the only hidden Stadtteil in {parent}"


def test_area_overview_shows_a_suppressed_cell_as_null(store, suppressed_cell):
    indicator, area, year = suppressed_cell
    row = store.run("area_overview", area=area, year=year).set_index("indicator_id").loc[indicator]
    assert row["suppression"] == "secret"
    assert pd.isna(row["value"]) and pd.isna(row["ci_low"]) and pd.isna(row["ci_high"])


def test_area_series_shows_a_suppressed_cell_as_null(store, suppressed_cell):
    indicator, area, year = suppressed_cell
    series = store.run("area_series", indicators=[indicator], areas=[area])
    row = series[(series["area_id"] == area) & (series["year"] == year)].iloc[0]
    assert row["suppression"] == "secret"
    assert pd.isna(row["value"])


def test_target_population_shows_a_suppressed_cell_as_null(store, suppressed_cell):
    indicator, area, year = suppressed_cell
    row = store.run("target_population", indicator=indicator, year=year).set_index("area_id").loc[area]
    assert row["suppression"] == "secret" and pd.isna(row["population"])


def test_target_population_is_the_published_numerator_in_every_area(store):
    population = store.run("target_population", **PARAMS["target_population"]).set_index("area_id")
    numerators = pd.concat([store.run("level_values", indicator="anteil_u6", year=YEAR, level=level)
                            for level in store.run("area_levels")["level"]]).set_index("area_id")["numerator"]
    assert sorted(population.index) == sorted(store.run("areas")["area_id"])
    pd.testing.assert_series_equal(population["population"], numerators.reindex(population.index),
                                   check_names=False)


def test_level_values_cover_every_area_of_the_level(store):
    areas = store.run("areas")
    result = store.run("level_values", **PARAMS["level_values"])
    assert sorted(result["area_id"]) == sorted(areas.loc[areas["level"] == LEVEL, "area_id"])


def test_city_value_is_one_row(store):
    result = store.run("city_value", **PARAMS["city_value"])
    assert len(result) == 1
    assert result["ci_low"].iloc[0] <= result["value"].iloc[0] <= result["ci_high"].iloc[0]


def test_area_series_includes_the_city(store):
    result = store.run("area_series", **PARAMS["area_series"])
    assert set(result["area_id"]) == {*AREAS, "0"}
    assert result.groupby("area_id")["year"].nunique().min() >= 10


def test_area_levels_are_ordered_from_the_city_down(store):
    assert store.run("area_levels")["level"].to_list() == [0, 1, 2]
