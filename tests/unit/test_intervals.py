import numpy as np
import pytest

from sozialdash.analysis.intervals import byar, interval, wilson

# Reference values checked against a root-finding solution of the Wilson
# score equation and of the Poisson tail equations (scipy.optimize.brentq).


@pytest.mark.parametrize(
    ("numerator", "denominator", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),  # Newcombe 1998, Altman "Statistics with confidence"
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (20, 20, 0.8389, 1.0),
    ],
)
def test_wilson_matches_published_values(numerator, denominator, low, high):
    got_low, got_high = wilson(numerator, denominator)
    assert got_low == pytest.approx(low, abs=5e-5)
    assert got_high == pytest.approx(high, abs=5e-5)


@pytest.mark.parametrize(
    ("numerator", "denominator"),
    [(np.nan, 10), (5, np.nan), (5, 0), (5, -1), (11, 10), (-1, 10)],
)
def test_wilson_is_nan_without_a_valid_proportion(numerator, denominator):
    low, high = wilson(numerator, denominator)
    assert np.isnan(low) and np.isnan(high)


def test_wilson_vectorised_equals_elementwise():
    numerators, denominators = np.array([81, 15, 0]), np.array([263, 148, 20])
    low, high = wilson(numerators, denominators)
    singles = [wilson(x, n) for x, n in zip(numerators, denominators)]
    np.testing.assert_allclose(low, [s[0] for s in singles])
    np.testing.assert_allclose(high, [s[1] for s in singles])


@pytest.mark.parametrize(
    ("count", "low", "high"),
    [
        (0, 0.0, 3.6889),
        (1, 0.0253, 5.5716),
        (5, 1.6235, 11.6683),
        (9, 4.1154, 17.0848),
    ],
)
def test_byar_is_exact_below_ten(count, low, high):
    got_low, got_high = byar(count)
    assert got_low == pytest.approx(low, abs=5e-5)
    assert got_high == pytest.approx(high, abs=5e-5)


@pytest.mark.parametrize(
    ("count", "low", "high"),
    [
        (10, 4.7874, 18.3915),  # exact would be 4.7954 .. 18.3904
        (100, 81.3621, 121.6279),  # exact would be 81.3640 .. 121.6268
    ],
)
def test_byar_uses_approximation_from_ten(count, low, high):
    got_low, got_high = byar(count)
    assert got_low == pytest.approx(low, abs=5e-5)
    assert got_high == pytest.approx(high, abs=5e-5)


@pytest.mark.parametrize("count", [np.nan, -1])
def test_byar_is_nan_for_invalid_counts(count):
    low, high = byar(count)
    assert np.isnan(low) and np.isnan(high)


def test_interval_proportion_is_wilson_times_multiplier():
    low, high = interval("proportion", np.array([81.0]), np.array([263.0]), 100)
    assert low[0] == pytest.approx(25.53, abs=5e-3)
    assert high[0] == pytest.approx(36.62, abs=5e-3)


def test_interval_rate_is_count_interval_over_denominator():
    low, high = interval("rate", np.array([5.0]), np.array([2000.0]), 1000)
    assert low[0] == pytest.approx(1.6235 / 2, abs=5e-5)
    assert high[0] == pytest.approx(11.6683 / 2, abs=5e-5)


@pytest.mark.parametrize("value_type", ["ratio", "mean", "count"])
def test_interval_is_nan_without_a_sampling_model(value_type):
    low, high = interval(value_type, np.array([5.0, 50.0]), np.array([100.0, 100.0]), 1)
    assert np.isnan(low).all() and np.isnan(high).all()


@pytest.mark.parametrize("value_type", ["proportion", "rate"])
@pytest.mark.parametrize(("numerator", "denominator"), [(np.nan, 100.0), (5.0, np.nan), (5.0, 0.0)])
def test_interval_is_nan_for_missing_inputs(value_type, numerator, denominator):
    low, high = interval(value_type, np.array([numerator]), np.array([denominator]), 100)
    assert np.isnan(low[0]) and np.isnan(high[0])


def test_interval_rejects_unknown_value_type():
    with pytest.raises(ValueError):
        interval("median", np.array([1.0]), np.array([2.0]), 1)
