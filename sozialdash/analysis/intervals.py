"""95 % confidence intervals for indicator values.

The methods follow the Public Health England Fingertips conventions, so that
significance judgements made here agree with what planners know from
published German and English indicator portals.
"""

import numpy as np

Z95 = 1.959963984540054
"""Two-sided 95 % standard normal quantile, kept exact so intervals are reproducible."""

EXACT_POISSON_BELOW = 10
"""Byar's approximation is only trusted from this count upwards; smaller counts use the exact interval."""


def wilson(numerator, denominator, z=Z95):
    """Wilson score interval for a proportion.

    Wilson rather than the textbook Wald interval because small areas have
    small denominators and proportions near 0 or 1, where Wald collapses to a
    zero-width interval or leaves 0..1.

    Parameters
    ----------
    numerator, denominator : array_like
        Event count and population at risk; broadcast against each other.
    z : float
        Normal quantile of the wanted confidence level.

    Returns
    -------
    low, high : numpy.ndarray
        Bounds as proportions in 0..1. NaN where an input is missing, the
        denominator is not positive or the numerator lies outside
        0..denominator, since no proportion exists there.
    """
    x, n = np.broadcast_arrays(
        np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    )
    valid = (n > 0) & (x >= 0) & (x <= n)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        z2n = z * z / n
        centre = (p + z2n / 2) / (1 + z2n)
        half = z / (1 + z2n) * np.sqrt(p * (1 - p) / n + z2n / (4 * n))
    low = np.where(valid, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(valid, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def byar(count, z=Z95):
    """Confidence interval for a Poisson count.

    Exact (chi-square, here as the inverse regularised gamma function:
    chi2.ppf(p, 2k) / 2 = gammaincinv(k, p)) bounds for small counts, where any approximation is
    poor, and Byar's closed form from ``EXACT_POISSON_BELOW`` on, matching
    Fingertips so that published and dashboard intervals agree.

    Parameters
    ----------
    count : array_like
        Observed counts.
    z : float
        Normal quantile of the wanted confidence level; also sets the
        tail probability of the exact bounds.

    Returns
    -------
    low, high : numpy.ndarray
        Bounds of the expected count. NaN for missing or negative counts.
    """
    # Imported here: pages import this module for WITH_INTERVAL and never compute an interval, and scipy.special
    # would cost every server process 13 MB (scipy.stats 46 MB).
    from scipy.special import gammaincinv, ndtr

    o = np.asarray(count, dtype=float)
    valid = o >= 0
    alpha_half = ndtr(-z)
    with np.errstate(divide="ignore", invalid="ignore"):
        exact_low = np.where(o > 0, gammaincinv(o, alpha_half), 0.0)
        exact_high = gammaincinv(o + 1, 1 - alpha_half)
        byar_low = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
        byar_high = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    small = o < EXACT_POISSON_BELOW
    low = np.where(valid, np.where(small, exact_low, byar_low), np.nan)
    high = np.where(valid, np.where(small, exact_high, byar_high), np.nan)
    return low, high


WITH_INTERVAL = ("proportion", "rate")
"""Value types with a sampling model, the only ones that get a 95 % interval (and so a judgement)."""


def interval(value_type, numerator, denominator, multiplier):
    """Confidence interval on the scale of the published indicator value.

    One entry point per value type so callers need not know which method
    belongs to which indicator; types without a sampling model get no
    interval rather than a misleading one.

    Parameters
    ----------
    value_type : {'proportion', 'rate', 'ratio', 'mean', 'count'}
        How the indicator value is built from numerator and denominator.
    numerator, denominator : array_like
        Raw counts; broadcast against each other and ``multiplier``.
    multiplier : array_like
        Scale of the published value, e.g. 100 for percent or 1000 for
        "per 1,000 inhabitants".

    Returns
    -------
    low, high : numpy.ndarray
        Bounds on the published scale; all NaN for value types without an
        interval and wherever numerator or denominator is missing.
    """
    x, n, m = np.broadcast_arrays(
        np.asarray(numerator, dtype=float),
        np.asarray(denominator, dtype=float),
        np.asarray(multiplier, dtype=float),
    )
    if value_type == "proportion":
        low, high = wilson(x, n)
        return low * m, high * m
    if value_type == "rate":
        low, high = byar(x)
        usable = n > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            return (
                np.where(usable, low / n * m, np.nan),
                np.where(usable, high / n * m, np.nan),
            )
    if value_type in ("ratio", "mean", "count"):  # no sampling model: no interval rather than a misleading one
        missing = np.full(x.shape, np.nan)
        return missing, missing.copy()
    raise ValueError(f"unknown value_type {value_type!r}")
