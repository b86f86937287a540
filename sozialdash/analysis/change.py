"""Change between two years, the one rule for every page: shares in percentage points, everything else in %.

A difference of two percentages is not a percentage, and a relative change of a share (from 2 % to 3 % is
"+50 %") misleads; counts, rates, ratios and means are compared relatively.
"""

from __future__ import annotations

import numpy as np

from sozialdash import fmt


def change_unit(value_type: str, unit: str) -> str:
    return fmt.share_unit(unit) if value_type == "proportion" else "%"


def change(before, after, value_type: str):
    """Vectorised change from ``before`` to ``after``; NaN if either is missing or suppressed."""
    before = np.asarray(before, dtype=float)
    after = np.asarray(after, dtype=float)
    if value_type == "proportion":
        return after - before
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(before != 0, (after - before) / np.abs(before) * 100, np.nan)


def change_decimals(value_type: str, decimals: int) -> int:
    """Percentage points keep the indicator's decimals; relative changes get one."""
    return decimals if value_type == "proportion" else 1

