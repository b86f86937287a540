"""The trend test: Cochran–Armitage for shares and its Poisson form for rates, by hand; only from five points."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sozialdash.analysis import trend

YEARS = [2021, 2022, 2023, 2024, 2025]


def test_shares_by_hand_and_a_larger_population_makes_the_same_rise_significant():
    # r = 10..18 of 100: pooled 0.14, T = sum x (r - 14) = 20, Var = 0.14 * 0.86 * 1000 = 120.4, z = 1.8227
    small = trend.trend_test(YEARS, [10, 12, 14, 16, 18], [100] * 5, "proportion")
    assert small.z == pytest.approx(20 / math.sqrt(120.4)) and small.p_value == pytest.approx(0.0683, abs=1e-4)
    assert small.code == "no_change" and small.points == 5
    # twice the people, the same shares: T = 40, Var = 240.8, z = 2.5777, p = 0.00995
    large = trend.trend_test(YEARS, [20, 24, 28, 32, 36], [200] * 5, "proportion")
    assert large.z == pytest.approx(40 / math.sqrt(240.8)) and large.p_value == pytest.approx(0.00995, abs=1e-5)
    assert large.code == "increasing"
    falling = trend.trend_test(YEARS, [36, 32, 28, 24, 20], [200] * 5, "proportion")
    assert falling.code == "decreasing" and falling.z == pytest.approx(-large.z)


def test_rates_by_hand():
    # 10..18 cases in 1,000 person-years each: expected 14 a year, Var = sum 14 x^2 = 140, z = 20 / sqrt(140)
    rates = trend.trend_test(YEARS, [10, 12, 14, 16, 18], [1000] * 5, "rate")
    assert rates.z == pytest.approx(20 / math.sqrt(140)) and rates.code == "no_change"


def test_only_the_last_five_points_count_and_they_must_all_be_there():
    earlier = [2015, 2016, *YEARS]
    assert trend.trend_test(earlier, [np.nan, 99, 20, 24, 28, 32, 36], [np.nan, 100, *[200] * 5],
                            "proportion").code == "increasing"
    assert trend.trend_test(YEARS[1:], [24, 28, 32, 36], [200] * 4, "proportion") == trend.NOT_COMPUTABLE
    assert trend.trend_test(YEARS, [20, np.nan, 28, 32, 36], [200] * 5, "proportion") == trend.NOT_COMPUTABLE
    assert trend.trend_test(YEARS, [1, 2, 3, 4, 5], [10] * 5, "mean") == trend.NOT_COMPUTABLE
    assert trend.trend_test(YEARS, [0, 0, 0, 0, 0], [50] * 5, "proportion").code == "no_change"


@pytest.mark.parametrize(("code", "polarity", "expected"), [
    ("increasing", "higher_is_worse", "getting_worse"), ("increasing", "higher_is_better", "getting_better"),
    ("decreasing", "higher_is_worse", "getting_better"), ("decreasing", "higher_is_better", "getting_worse"),
    ("increasing", "neutral", "increasing"), ("no_change", "higher_is_worse", "no_change"),
    ("not_computable", "higher_is_worse", "not_computable"),
])
def test_the_judgement_reads_the_direction_with_the_polarity(code, polarity, expected):
    assert trend.judgement(trend.Trend(code, None, None, 5), polarity) == expected


def test_red_red_is_worse_than_the_city_and_getting_worse():
    assert trend.red_red("worse", "getting_worse")
    assert not trend.red_red("worse", "no_change") and not trend.red_red("similar", "getting_worse")
