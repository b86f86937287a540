"""Class breaks for choropleth maps, as mapclassify defines them, in numpy.

mapclassify itself is kept out of the app: importing it loads scikit-learn and
scipy.stats, 206 MB of a server's memory for four short formulas (the tests
check the schemes against it). Every scheme ends in the same post-processing:
the top bound is the maximum, and classes without any area are merged into
their upper neighbour, because an empty legend entry wastes one of the few
colours a reader can tell apart.
"""

from dataclasses import dataclass

import numpy as np

SCHEME_LABELS = {
    "quantiles": "Quantile",
    "fisher_jenks": "Natürliche Grenzen (Fisher-Jenks)",
    "equal_interval": "Gleiche Intervalle",
    "std_mean": "Standardabweichung um den Stadtwert",
}

MIN_CLASSES = 3
MAX_CLASSES = 7
"""More classes than this cannot be told apart on a sequential colour scale."""

FISHER_JENKS_EXACT_LIMIT = 2000
"""Above this many values the exact optimisation is too slow for an interactive map."""

FISHER_JENKS_SAMPLE_SIZE = 1000
"""Sample size of the approximate optimisation; mapclassify's own cap for FisherJenksSampled."""


@dataclass(frozen=True)
class Classification:
    """Class breaks of one map.

    Attributes
    ----------
    bins : tuple of float
        Upper bound of each class; class ``i`` holds values in
        ``(bins[i-1], bins[i]]`` and the first class starts at ``lower``.
    lower : float
        Smallest classified value, NaN when nothing was classified.
    counts : tuple of int
        Number of values in each class.
    k : int
        Number of classes actually used, which can be fewer than requested.
    scheme : str
        Key of ``SCHEME_LABELS``.
    """

    bins: tuple[float, ...]
    lower: float
    counts: tuple[int, ...]
    k: int
    scheme: str


def classify(values, scheme, k, city_value=None):
    """Classify map values into at most ``k`` non-empty classes.

    Missing values (suppressed or not reported) are left out, so that they
    neither shift breaks nor get a colour that suggests a real value.

    Parameters
    ----------
    values : array_like
        One value per area; NaN or infinite values are not classified.
    scheme : str
        Key of ``SCHEME_LABELS``.
    k : int
        Wanted number of classes, clamped to ``MIN_CLASSES..MAX_CLASSES``
        and to the number of distinct values.
    city_value : float, optional
        Centre of the 'std_mean' classes; the mean of ``values`` if None.

    Returns
    -------
    Classification
        The breaks actually used.
    numpy.ndarray of int
        Class index per input value, -1 where the value was left out.
    """
    if scheme not in SCHEME_LABELS:
        raise ValueError(f"unknown scheme {scheme!r}")
    y_all = np.asarray(values, dtype=float).ravel()
    valid = np.isfinite(y_all)
    y = y_all[valid]
    distinct = np.unique(y)
    classes = np.full(y_all.shape, -1, dtype=int)
    if distinct.size == 0:
        return Classification((), float("nan"), (), 0, scheme), classes

    k = min(max(int(k), MIN_CLASSES), MAX_CLASSES, distinct.size)
    if distinct.size < MIN_CLASSES:
        raw_bins = distinct
    else:
        raw_bins = _SCHEME_BINS[scheme](y, k, city_value)

    bins, counts, y_classes = _non_empty_classes(y, raw_bins)
    classes[valid] = y_classes
    classification = Classification(
        bins=tuple(float(b) for b in bins),
        lower=float(y.min()),
        counts=tuple(int(c) for c in counts),
        k=len(bins),
        scheme=scheme,
    )
    return classification, classes


def std_mean_multiples(k):
    """Multiples of the standard deviation at which the 'std_mean' bounds lie.

    Bounds are whole standard deviations from the city value. With an odd
    ``k`` the middle class spans city ± 1 SD ("about average"); with an even
    ``k`` the city value itself separates the below- and above-average
    classes. Either way ``k - 1`` bounds give ``k`` classes.
    """
    if k % 2:
        steps = np.arange(1, k // 2 + 1)
        return np.concatenate([-steps[::-1], steps]).astype(float)
    return np.arange(-(k // 2 - 1), k // 2).astype(float)


def _quantile_bins(y, k, city_value):
    """The upper bounds of ``k`` equal shares of the values (linear interpolation); equal bounds merge."""
    return np.unique(np.percentile(y, np.linspace(100 / k, 100, k)))


def _equal_interval_bins(y, k, city_value):
    """``k`` classes of equal width from the minimum; the last bound is the maximum itself."""
    low, high = float(y.min()), float(y.max())
    bins = low + (high - low) / k * np.arange(1, k + 1)
    bins[-1] = high
    return bins


def _fisher_jenks_bins(y, k, city_value):
    """Exact Fisher-Jenks for small inputs, otherwise optimised on a sample.

    The sample (as mapclassify's FisherJenksSampled does, but without its
    global random state, which is neither reproducible nor thread-safe under
    Streamlit) is systematic: evenly spaced ranks of the sorted values keep
    the distribution's shape, include minimum and maximum, and depend only on
    the values, not on their order or any seed.
    """
    x = np.sort(y)
    if x.size > FISHER_JENKS_EXACT_LIMIT:
        x = x[np.linspace(0, x.size - 1, FISHER_JENKS_SAMPLE_SIZE).round().astype(int)]
    return natural_breaks(x, min(k, np.unique(x).size))


def natural_breaks(x, k):
    """Upper bounds of the ``k`` classes of sorted ``x`` with the least sum of squared deviations from their
    class means (Fisher 1958), by dynamic programming over every split: for each class count and each last
    value, the best start of the last class."""
    n = x.size
    centred = x - x.mean()  # fewer digits lost in the sums of squares
    s1 = np.concatenate([[0.0], np.cumsum(centred)])
    s2 = np.concatenate([[0.0], np.cumsum(centred * centred)])
    start, end = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    size = end - start + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        deviation = (s2[end + 1] - s2[start]) - (s1[end + 1] - s1[start]) ** 2 / size
    deviation = np.where(size > 0, np.maximum(deviation, 0.0), np.inf)  # [start, end] of one class
    best = deviation[0].copy()  # one class from the first value to each end
    first_of_last = np.zeros((k, n), dtype=int)
    for c in range(1, k):
        before = np.concatenate([[np.inf], best[:-1]])  # the c classes ending just before each start
        total = before[:, None] + deviation
        first_of_last[c] = np.argmin(total, axis=0)
        best = total[first_of_last[c], np.arange(n)]
    ends, last = [], n - 1
    for c in range(k - 1, -1, -1):
        ends.append(last)
        last = first_of_last[c, last] - 1
    return x[np.array(ends[::-1])]


def _std_mean_bins(y, k, city_value):
    centre = float(np.mean(y)) if city_value is None else float(city_value)
    return np.sort(centre + std_mean_multiples(k) * np.std(y, ddof=1))


_SCHEME_BINS = {
    "quantiles": _quantile_bins,
    "fisher_jenks": _fisher_jenks_bins,
    "equal_interval": _equal_interval_bins,
    "std_mean": _std_mean_bins,
}


def _non_empty_classes(y, raw_bins):
    """Close the top class at the maximum and merge empty classes upwards.

    Dropping the upper bound of an empty class leaves every value in the
    class it was in, so the merge never moves an area between colours.
    """
    top = y.max()
    bins = np.append(raw_bins[raw_bins < top], top)
    counts = np.bincount(np.searchsorted(bins, y, side="left"), minlength=bins.size)
    bins = bins[counts > 0]
    y_classes = np.searchsorted(bins, y, side="left")
    return bins, np.bincount(y_classes, minlength=bins.size), y_classes
