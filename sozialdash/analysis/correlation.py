"""How two indicators move together across areas: Pearson's r with its 95 % interval and Spearman's ρ.

With a handful of areas a correlation says almost nothing (four points give |r| > 0.9 by chance often enough),
so below ``MIN_AREAS`` pairs the result is marked as not meaningful and pages say so instead of printing r.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

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
    half = NormalDist().inv_cdf(0.5 + level / 2) / np.sqrt(n - 3)
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
    r = _pearson(x[keep], y[keep])
    low, high = fisher_interval(r, n)
    spearman = _pearson(pd.Series(x[keep]).rank().to_numpy(), pd.Series(y[keep]).rank().to_numpy())
    return Correlation(r, spearman, n, low, high)


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson's r; on average ranks (ties share theirs) it is Spearman's ρ. Written here rather than taken from
    scipy.stats, which would cost a server 58 MB for two lines."""
    return float(np.clip(np.corrcoef(x, y)[0, 1], -1.0, 1.0))
