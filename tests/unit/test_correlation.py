import math

import numpy as np
import pytest

from sozialdash.analysis.correlation import MIN_AREAS, correlate, fisher_interval


@pytest.mark.parametrize(
    ("r", "n", "low", "high"),
    [
        (0.5, 28, 0.156, 0.736),     # z = 0.549 ± 1.96 / 5
        (-0.5, 28, -0.736, -0.156),  # mirror image
        (0.3, 103, 0.113, 0.466),    # z = 0.310 ± 1.96 / 10
        (0.0, 12, -0.574, 0.574),    # z = ±1.96 / 3
    ],
)
def test_fisher_interval_matches_hand_computed_values(r, n, low, high):
    got_low, got_high = fisher_interval(r, n)
    assert got_low == pytest.approx(low, abs=5e-4)
    assert got_high == pytest.approx(high, abs=5e-4)


def test_fisher_interval_narrows_with_more_areas():
    widths = [np.subtract(*fisher_interval(0.4, n)[::-1]) for n in (10, 40, 160)]
    assert widths[0] > widths[1] > widths[2] > 0


@pytest.mark.parametrize(("r", "n"), [(0.5, 3), (float("nan"), 30)])
def test_fisher_interval_is_nan_without_enough_pairs(r, n):
    assert all(math.isnan(v) for v in fisher_interval(r, n))


def test_a_perfect_line_has_a_collapsed_interval():
    assert fisher_interval(1.0, 10) == (1.0, 1.0)


def test_correlate_leaves_out_missing_pairs_and_matches_numpy():
    rng = np.random.default_rng(3)
    x = rng.normal(size=30)
    y = 0.6 * x + rng.normal(size=30)
    x[[2, 7]] = np.nan
    y[11] = np.nan
    result = correlate(x, y)
    keep = ~(np.isnan(x) | np.isnan(y))
    assert result.n == 27
    assert result.pearson == pytest.approx(np.corrcoef(x[keep], y[keep])[0, 1])
    assert (result.ci_low, result.ci_high) == pytest.approx(fisher_interval(result.pearson, 27))
    assert result.ci_low < result.pearson < result.ci_high
    assert result.meaningful


def test_few_areas_are_not_meaningful_even_with_a_high_r():
    x = np.arange(MIN_AREAS - 1, dtype=float)
    result = correlate(x, x * 2 + np.array([0, 1, 0, 1, 0, 1, 0][:len(x)]))
    assert result.pearson > 0.9
    assert result.n == MIN_AREAS - 1
    assert not result.meaningful


def test_a_constant_variable_has_no_correlation():
    result = correlate([1, 2, 3, 4, 5, 6, 7, 8], [5] * 8)
    assert math.isnan(result.pearson) and not result.meaningful


def test_pearson_and_spearman_agree_with_scipy_also_with_ties():
    """scipy.stats is a test dependency only (the app keeps it out of memory); ranks share ties as scipy's do."""
    from scipy import stats

    rng = np.random.default_rng(3)
    for n in (8, 30, 200):
        x = rng.normal(size=n).round(1)  # rounded: ties
        y = (x + rng.normal(size=n)).round(0)
        result = correlate(x, y)
        assert result.pearson == pytest.approx(stats.pearsonr(x, y)[0], abs=1e-12)
        assert result.spearman == pytest.approx(stats.spearmanr(x, y)[0], abs=1e-12)
