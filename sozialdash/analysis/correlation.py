"""How two indicators move together across areas: Pearson's r and Spearman's rank correlation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Correlation:
    pearson: float
    spearman: float
    n: int


def correlate(x, y) -> Correlation:
    """Pairs with a missing (or suppressed) value are left out; fewer than three pairs give NaN."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    keep = ~(np.isnan(x) | np.isnan(y))
    n = int(keep.sum())
    if n < 3 or np.ptp(x[keep]) == 0 or np.ptp(y[keep]) == 0:
        return Correlation(float("nan"), float("nan"), n)
    return Correlation(float(stats.pearsonr(x[keep], y[keep])[0]), float(stats.spearmanr(x[keep], y[keep])[0]), n)
