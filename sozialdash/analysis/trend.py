"""A significant trend, as PHE Fingertips reports one: only from five or more points, on the most recent five.

Shares are tested with the chi-squared test for trend (Cochran–Armitage) on numerators and denominators, rates
with its Poisson form (the expected count of a year is its denominator times the pooled rate). Both test whether
the linear slope of the counts against the years differs from zero, at the app's 95 % level; the direction is that
of the slope. A series with fewer than five points with numerators and denominators, with a secret or missing one
among the last five, or of a type without counts (a mean, a ratio, a published share) has no trend test: "could not
be calculated", never a guess.

The judgement combines the direction with the indicator's polarity: rising and getting worse, rising and getting
better, or for neutral indicators only rising or falling. "Signifikant schlechter und sich verschlechternd"
(Fingertips' red-red) is an area judged worse than the city whose trend is getting worse.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

POINTS = 5
LEVEL = 0.95
TESTED = ("proportion", "rate")


@dataclass(frozen=True)
class Trend:
    code: str                 # increasing | decreasing | no_change | not_computable
    p_value: float | None
    z: float | None
    points: int               # how many points the test used (0 when not computable)


NOT_COMPUTABLE = Trend("not_computable", None, None, 0)


def trend_test(years, numerators, denominators, value_type: str, points: int = POINTS,
               level: float = LEVEL) -> Trend:
    """The trend of the last ``points`` years. ``numerators``/``denominators`` per year; NaN (missing or secret)
    in any of the last ``points`` years, or fewer years, gives ``NOT_COMPUTABLE``."""
    if value_type not in TESTED:
        return NOT_COMPUTABLE
    years = np.asarray(years, dtype=float)
    order = np.argsort(years)
    years = years[order][-points:]
    r = np.asarray(numerators, dtype=float)[order][-points:]
    n = np.asarray(denominators, dtype=float)[order][-points:]
    if len(years) < points or np.isnan(r).any() or np.isnan(n).any() or (n <= 0).any():
        return NOT_COMPUTABLE
    x = years - years.mean()
    total = n.sum()
    pooled = r.sum() / total
    if value_type == "proportion":
        if pooled in (0.0, 1.0):
            return Trend("no_change", 1.0, 0.0, points)
        statistic = float(np.sum(x * (r - n * pooled)))
        variance = pooled * (1 - pooled) * (np.sum(n * x ** 2) - np.sum(n * x) ** 2 / total)
    else:
        expected = n * pooled
        if expected.sum() == 0:
            return Trend("no_change", 1.0, 0.0, points)
        statistic = float(np.sum(x * (r - expected)))
        variance = np.sum(expected * x ** 2) - np.sum(expected * x) ** 2 / expected.sum()
    if variance <= 0:
        return Trend("no_change", 1.0, 0.0, points)
    z = statistic / float(np.sqrt(variance))
    p = math.erfc(abs(z) / math.sqrt(2))  # two-sided, from the normal distribution (no scipy in a page)
    if p >= 1 - level:
        return Trend("no_change", p, z, points)
    return Trend("increasing" if z > 0 else "decreasing", p, z, points)


def judgement(trend: Trend, polarity: str) -> str:
    """getting_worse | getting_better | increasing | decreasing (neutral indicators) | no_change | not_computable."""
    if trend.code not in ("increasing", "decreasing") or polarity == "neutral":
        return trend.code
    worse = (trend.code == "increasing") == (polarity == "higher_is_worse")
    return "getting_worse" if worse else "getting_better"


def red_red(judgement_city: str, trend_judgement: str) -> bool:
    """Significantly worse than the city and getting worse: the cells a dialogue should talk about first."""
    return judgement_city == "worse" and trend_judgement == "getting_worse"
