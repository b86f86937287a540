"""How two indicators move together across areas: Pearson's r with its 95 % interval and Spearman's ρ.

With a handful of areas a correlation says almost nothing (four points give |r| > 0.9 by chance often enough),
so below ``MIN_AREAS`` pairs the result is marked as not meaningful and pages say so instead of printing r.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

MIN_AREAS = 8
LEVEL = 0.95


@dataclass(frozen=True)
class Correlation:
    pearson: float
    spearman: float
    n: int
    ci_low: float = float("nan")
    ci_high: float = float("nan")

    @property
    def meaningful(self) -> bool:
        return self.n >= MIN_AREAS and not np.isnan(self.pearson)


def fisher_interval(r: float, n: int, level: float = LEVEL) -> tuple[float, float]:
    """Confidence interval of Pearson's r by Fisher's z transformation: z = atanh(r) is close to normal with
    standard error 1/sqrt(n - 3), so the interval is symmetric in z and asymmetric in r. NaN below four pairs."""
    if n < 4 or np.isnan(r):
        return float("nan"), float("nan")
    if abs(r) >= 1:  # a perfect line: z is infinite, the interval collapses onto r
        return float(r), float(r)
    z = np.arctanh(r)
    half = stats.norm.ppf(0.5 + level / 2) / np.sqrt(n - 3)
    return float(np.tanh(z - half)), float(np.tanh(z + half))


def correlate(x, y) -> Correlation:
    """Pairs with a missing (or suppressed) value are left out; fewer than three pairs, or a variable that does
    not vary, give NaN."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    keep = ~(np.isnan(x) | np.isnan(y))
    n = int(keep.sum())
    if n < 3 or np.ptp(x[keep]) == 0 or np.ptp(y[keep]) == 0:
        return Correlation(float("nan"), float("nan"), n)
    r = float(stats.pearsonr(x[keep], y[keep])[0])
    low, high = fisher_interval(r, n)
    return Correlation(r, float(stats.spearmanr(x[keep], y[keep])[0]), n, low, high)
