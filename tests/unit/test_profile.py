"""An area's profile from published rows: the latest value up to the year, changes, trend, red-red, the summary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sozialdash.analysis import profile

CATALOGUE = pd.DataFrame([
    {"indicator_id": "quote", "topic": "Existenzsicherung", "short_name": "Quote", "unit": "%", "decimals": 1,
     "value_type": "proportion", "polarity": "higher_is_worse"},
    {"indicator_id": "geheim", "topic": "Existenzsicherung", "short_name": "Geheim", "unit": "%", "decimals": 1,
     "value_type": "proportion", "polarity": "higher_is_worse"},
    {"indicator_id": "flaeche", "topic": "Wohnen", "short_name": "Fläche", "unit": "m²", "decimals": 1,
     "value_type": "mean", "polarity": "higher_is_better"},
])
YEARS = [2021, 2022, 2023, 2024, 2025]


def rows_for(indicator, role, values, numerators=None, denominators=None, judgement="similar", secret=()):
    out = []
    for i, (year, value) in enumerate(zip(YEARS, values)):
        hidden = year in secret
        out.append({"indicator_id": indicator, "year": year, "value": np.nan if hidden else value,
                    "numerator": np.nan if hidden or numerators is None else numerators[i],
                    "denominator": np.nan if hidden or denominators is None else denominators[i],
                    "suppression": "secret" if hidden else None, "judgement_city": "suppressed" if hidden
                    else judgement, "judgement_parent": "similar", "role": role})
    return out


@pytest.fixture
def series() -> pd.DataFrame:
    shares = [10.0, 12.0, 14.0, 16.0, 18.0]
    return pd.DataFrame(
        rows_for("quote", "area", shares, [20, 24, 28, 32, 36], [200] * 5, judgement="worse")
        + rows_for("quote", "city", [9.0] * 5) + rows_for("quote", "parent", [11.0] * 5)
        + rows_for("geheim", "area", [5.0] * 5, [1, 1, 1, 1, 1], [20] * 5, judgement="worse", secret=(2025,))
        + rows_for("geheim", "city", [4.0] * 5)
        + rows_for("flaeche", "area", [40.0, 41, 42, 43, 44][:4] + [np.nan], judgement="not_comparable")[:4]
        + rows_for("flaeche", "city", [45.0] * 5))


def test_latest_value_changes_and_trend(series):
    rows = profile.profile_rows(series, CATALOGUE, 2025).set_index("indicator_id")
    quote = rows.loc["quote"]
    assert quote["year"] == 2025 and quote["value"] == 18.0 and quote["city_value"] == 9.0
    assert quote["parent_value"] == 11.0
    assert quote["change_previous"] == pytest.approx(2.0) and quote["change_first"] == pytest.approx(8.0)
    assert quote["trend"] == "getting_worse" and quote["red_red"]       # 20..36 of 200: significant (z 2.58)
    assert rows.loc["quote", "series"] == [10.0, 12.0, 14.0, 16.0, 18.0]


def test_a_secret_value_gives_no_number_no_change_no_trend(series):
    secret = profile.profile_rows(series, CATALOGUE, 2025).set_index("indicator_id").loc["geheim"]
    assert secret["secret"] and np.isnan(secret["value"]) and secret["judgement_city"] == "suppressed"
    assert np.isnan(secret["change_previous"]) and np.isnan(secret["change_first"])
    assert secret["trend"] == "not_computable" and not secret["red_red"]
    assert secret["series"][-1] is None


def test_the_city_series_runs_over_the_areas_years_with_gaps_where_it_is_secret(series):
    others = series[~((series["indicator_id"] == "flaeche") & (series["role"] == "city"))]
    secret_city = pd.DataFrame(rows_for("flaeche", "city", [45.0] * 5, secret=(2022,)))
    rows = profile.profile_rows(pd.concat([others, secret_city]), CATALOGUE, 2025).set_index("indicator_id")
    assert rows.loc["quote", "city_series"] == [9.0] * 5
    assert rows.loc["flaeche", "series_years"] == [2021, 2022, 2023, 2024]
    assert rows.loc["flaeche", "city_series"] == [45.0, None, 45.0, 45.0]


def test_an_earlier_year_is_taken_when_the_latest_has_no_row_and_means_have_no_trend(series):
    area = profile.profile_rows(series, CATALOGUE, 2025).set_index("indicator_id").loc["flaeche"]
    assert area["year"] == 2024 and area["value"] == 43.0 and area["city_value"] == 45.0
    assert area["trend"] == "not_computable"
    assert area["change_first"] == pytest.approx((43 - 40) / 40 * 100)   # a mean changes relatively
    earlier = profile.profile_rows(series, CATALOGUE, 2022).set_index("indicator_id")
    assert earlier.loc["quote", "value"] == 12.0 and earlier.loc["quote", "trend"] == "not_computable"


def test_the_summary_names_what_the_table_shows_and_never_a_secret(series):
    rows = profile.profile_rows(series, CATALOGUE, 2025)
    said = profile.summary(rows, "Altstadt", "Mitte")
    assert said[0].startswith("Zuerst besprechen") and "Quote (18,0\u00a0%)" in said[0]
    assert any(s.startswith("Signifikant schlechter als die Gesamtstadt: Quote (18,0\u00a0%)") for s in said)
    assert any(s.startswith("Signifikant verschlechternder Trend") and "+8,0\u00a0%-Punkte" in s for s in said)
    assert not any("Geheim" in s for s in said)
