import numpy as np
import pandas as pd

from sozialdash.analysis.area_table import area_table


def level(values, suppression=None):
    return pd.DataFrame({"area_id": ["a", "b", "c"], "name": ["A", "B", "C"], "value": values,
                         "suppression": suppression or [None, None, None]})


def test_ranked_by_value_with_differences_in_percentage_points():
    table = area_table(level([10.0, 30.0, 20.0]), 20.0, level([12.0, 25.0, 20.0]), "proportion")
    assert list(table["area_id"]) == ["b", "c", "a"]
    assert list(table["rank"]) == [1, 2, 3]
    assert list(table["diff_city"]) == [10.0, 0.0, -10.0]
    assert list(table["trend"]) == [5.0, 0.0, -2.0]


def test_change_map_ranks_by_change_and_leaves_secret_years_unranked():
    before = level([np.nan, 25.0, 10.0], suppression=["primary", None, None])
    table = area_table(level([10.0, 30.0, 20.0]), 20.0, before, "proportion", by="trend")
    assert list(table["area_id"]) == ["c", "b", "a"]
    assert list(table["rank"][:2]) == [1, 2] and np.isnan(table["rank"].iloc[2])
    assert table["first_suppression"].iloc[2] == "primary"


def test_counts_have_no_difference_to_the_city_and_change_relatively():
    table = area_table(level([110.0, 90.0, 100.0]), 300.0, level([100.0, 100.0, 100.0]), "count")
    assert table["diff_city"].isna().all()
    assert list(table["trend"]) == [10.0, 0.0, -10.0]
