"""aggregate_upwards: parents from their children's numerators and denominators, never from their shares."""

import numpy as np
import pandas as pd
import pytest

from sozialdash.analysis.aggregate import aggregate_upwards
from sozialdash.dataset import VALUE_COLUMNS

# Stadt 0 > Sozialräume A, B > Stadtteile a1, a2, b1, b2.
AREAS = pd.DataFrame(
    [("0", "Stadt", 0, None), ("A", "Nord", 1, "0"), ("B", "Süd", 1, "0"),
     ("a1", "Alt", 2, "A"), ("a2", "Neu", 2, "A"), ("b1", "Berg", 2, "B"), ("b2", "Tal", 2, "B")],
    columns=["area_id", "name", "level", "parent_id"],
)
INDICATORS = pd.DataFrame(
    [("quote", "proportion", 100.0, "ratio_of_sums"),
     ("einwohner", "count", 1.0, "sum"),
     ("einkommen", "mean", 1.0, "ratio_of_sums"),
     ("hze", "rate", 1000.0, "ratio_of_sums"),
     ("wahl", "proportion", 100.0, "none")],
    columns=["indicator_id", "value_type", "multiplier", "aggregation"],
)
# Stadtteile with very different denominators, so that sum/sum and the mean of shares disagree:
# A = (50 + 100) / (100 + 900) = 15 %, while the mean of 50 % and 11.1 % would be 30.6 %.
QUOTE = {"a1": (50, 100), "a2": (100, 900), "b1": (20, 200), "b2": (30, 100)}


def values_frame(rows):
    """Rows of (indicator_id, area_id, numerator, denominator) for 2025, value computed like a source would."""
    frame = pd.DataFrame(rows, columns=["indicator_id", "area_id", "numerator", "denominator"], dtype=object)
    frame["numerator"] = frame["numerator"].astype(float)
    frame["denominator"] = frame["denominator"].astype(float)
    frame["year"] = 2025
    multiplier = frame["indicator_id"].map(INDICATORS.set_index("indicator_id")["multiplier"])
    frame["value"] = frame["numerator"] / frame["denominator"] * multiplier
    frame["source_suppressed"] = False
    return frame[VALUE_COLUMNS]


def quote_rows(quote=QUOTE):
    return values_frame([("quote", area, num, den) for area, (num, den) in quote.items()])


def row(result, indicator_id, area_id):
    match = result[(result["indicator_id"] == indicator_id) & (result["area_id"] == area_id)]
    assert len(match) == 1, f"{indicator_id}/{area_id}: {len(match)} rows"
    return match.iloc[0]


def test_parent_share_is_sum_over_sum_not_mean_of_shares():
    result = aggregate_upwards(quote_rows(), AREAS, INDICATORS)
    parent = row(result, "quote", "A")
    assert parent["numerator"] == 150
    assert parent["denominator"] == 1000
    assert parent["value"] == pytest.approx(15.0)
    mean_of_shares = (50 / 100 + 100 / 900) / 2 * 100
    assert parent["value"] != pytest.approx(mean_of_shares)


@pytest.mark.parametrize(
    ("area_id", "numerator", "denominator"),
    [("A", 150, 1000), ("B", 50, 300), ("0", 200, 1300)],
)
def test_every_level_is_aggregated(area_id, numerator, denominator):
    parent = row(aggregate_upwards(quote_rows(), AREAS, INDICATORS), "quote", area_id)
    assert (parent["numerator"], parent["denominator"]) == (numerator, denominator)
    assert parent["value"] == pytest.approx(numerator / denominator * 100)
    assert not parent["source_suppressed"]


def test_city_is_sum_over_sum_of_all_stadtteile_not_of_sozialraum_shares():
    city = row(aggregate_upwards(quote_rows(), AREAS, INDICATORS), "quote", "0")
    assert city["value"] == pytest.approx(200 / 1300 * 100)
    mean_of_sozialraum_shares = (15.0 + 50 / 300 * 100) / 2
    assert city["value"] != pytest.approx(mean_of_sozialraum_shares)


def test_finest_rows_are_kept_unchanged():
    values = quote_rows()
    result = aggregate_upwards(values, AREAS, INDICATORS)
    finest = result[result["area_id"].isin(QUOTE)].reset_index(drop=True)
    pd.testing.assert_frame_equal(finest, values, check_dtype=False)
    assert len(result) == len(values) + 3


def test_counts_are_summed():
    values = values_frame([("einwohner", "a1", 100, None), ("einwohner", "a2", 900, None),
                           ("einwohner", "b1", 200, None), ("einwohner", "b2", 100, None)])
    values["value"] = values["numerator"]
    result = aggregate_upwards(values, AREAS, INDICATORS)
    assert row(result, "einwohner", "A")["value"] == 1000
    assert row(result, "einwohner", "B")["value"] == 300
    assert row(result, "einwohner", "0")["value"] == 1300
    assert row(result, "einwohner", "0")["numerator"] == 1300


@pytest.mark.parametrize(
    ("indicator_id", "multiplier"),
    [("einkommen", 1.0), ("hze", 1000.0)],
)
def test_means_and_rates_are_sum_over_sum_times_multiplier(indicator_id, multiplier):
    values = values_frame([(indicator_id, area, num, den) for area, (num, den) in QUOTE.items()])
    result = aggregate_upwards(values, AREAS, INDICATORS)
    assert row(result, indicator_id, "A")["value"] == pytest.approx(150 / 1000 * multiplier)
    assert row(result, indicator_id, "0")["value"] == pytest.approx(200 / 1300 * multiplier)


def test_missing_child_row_leaves_its_parents_empty():
    values = quote_rows({area: counts for area, counts in QUOTE.items() if area != "b2"})
    result = aggregate_upwards(values, AREAS, INDICATORS)
    assert np.isnan(row(result, "quote", "B")["value"])
    assert np.isnan(row(result, "quote", "B")["numerator"])
    assert np.isnan(row(result, "quote", "0")["value"])
    assert row(result, "quote", "A")["value"] == pytest.approx(15.0)


@pytest.mark.parametrize("column", ["numerator", "denominator"])
def test_missing_child_number_leaves_its_parents_empty(column):
    values = quote_rows()
    values.loc[values["area_id"] == "b1", column] = np.nan
    result = aggregate_upwards(values, AREAS, INDICATORS)
    assert np.isnan(row(result, "quote", "B")["value"])
    assert np.isnan(row(result, "quote", "B")[column])
    assert np.isnan(row(result, "quote", "0")["value"])
    assert row(result, "quote", "A")["value"] == pytest.approx(15.0)


def test_zero_denominator_gives_no_value_instead_of_infinity():
    values = values_frame([("quote", area, 0, 0) for area in QUOTE])
    result = aggregate_upwards(values, AREAS, INDICATORS)
    assert np.isnan(row(result, "quote", "0")["value"])


def test_rows_that_do_not_aggregate_pass_through():
    published = values_frame([("wahl", "A", 600, 1000), ("wahl", "0", 900, 1500)])
    values = pd.concat([quote_rows(), published], ignore_index=True)
    result = aggregate_upwards(values, AREAS, INDICATORS)
    wahl = result[result["indicator_id"] == "wahl"].reset_index(drop=True)
    pd.testing.assert_frame_equal(wahl, published, check_dtype=False)
    assert row(result, "quote", "A")["value"] == pytest.approx(15.0)


def test_several_indicators_and_years_do_not_mix():
    quote = quote_rows()
    later = quote.assign(year=2026, numerator=quote["numerator"] * 2)
    result = aggregate_upwards(pd.concat([quote, later], ignore_index=True), AREAS, INDICATORS)
    by_year = result[(result["area_id"] == "0")].set_index("year")["numerator"]
    assert by_year.to_dict() == {2025: 200, 2026: 400}
