"""Significance judgement of an area against a comparator (Fingertips rule).

The area's 95 % interval is tested against the comparator's *value*, not
against the comparator's interval: the comparator (city, state) is large, its
own uncertainty is negligible, and overlapping-interval tests are known to be
far too conservative.
"""

import numpy as np


JUDGEMENTS = ("worse", "similar", "better", "higher", "lower", "not_comparable")
"""The codes ``judge`` returns; the store adds 'suppressed' (and queries 'missing' for absent rows)."""

_DIRECTION_WORDS = {
    "higher_is_better": ("better", "worse"),
    "higher_is_worse": ("worse", "better"),
    "neutral": ("higher", "lower"),
}


def judge(ci_low, ci_high, comparator, polarity):
    """Judge each area's interval against the comparator value.

    Boundaries count as "similar" so that an interval touching the
    comparator is never called significant.

    Parameters
    ----------
    ci_low, ci_high : array_like
        95 % interval of each area's value.
    comparator : array_like
        Comparator value, a scalar or one per area.
    polarity : {'higher_is_better', 'higher_is_worse', 'neutral'}
        Polarity of the indicator, one for the whole array.

    Returns
    -------
    numpy.ndarray of object
        Codes from ``JUDGEMENTS``; 'not_comparable' wherever an
        interval bound or the comparator is missing.
    """
    if polarity not in _DIRECTION_WORDS:
        raise ValueError(f"unknown polarity {polarity!r}")
    above_word, below_word = _DIRECTION_WORDS[polarity]
    low, high, ref = np.broadcast_arrays(
        np.asarray(ci_low, dtype=float),
        np.asarray(ci_high, dtype=float),
        np.asarray(comparator, dtype=float),
    )
    comparable = ~(np.isnan(low) | np.isnan(high) | np.isnan(ref))
    result = np.full(low.shape, "not_comparable", dtype=object)
    result[comparable] = "similar"
    result[comparable & (low > ref)] = above_word
    result[comparable & (high < ref)] = below_word
    return result
