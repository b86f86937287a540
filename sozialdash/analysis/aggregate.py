"""Values for every level from the finest level's numerators and denominators.

A parent's share is the sum of its children's numerators over the sum of their denominators, never a mean of
their shares. A parent gets a value only when every child has one: a partial sum would look like a real total.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

KEY = ["indicator_id", "area_id", "year"]


def compute_value(numerator: pd.Series, denominator: pd.Series, value_type: pd.Series,
                  multiplier: pd.Series) -> pd.Series:
    """Counts are their numerator; everything else is numerator / denominator × multiplier."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = numerator / denominator.where(denominator > 0) * multiplier
    return numerator.where(value_type == "count", ratio)


def aggregate_upwards(values: pd.DataFrame, areas: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Finest-level rows plus derived rows for every coarser level, for indicators that aggregate.

    ``values`` has the columns of ``dataset.VALUE_COLUMNS``; rows of indicators with ``aggregation == 'none'``
    pass through untouched.
    """
    meta = indicators.set_index("indicator_id")
    aggregating = values["indicator_id"].map(meta["aggregation"]) != "none"
    passthrough = values[~aggregating]
    current = values[aggregating]
    parent_of = areas.set_index("area_id")["parent_id"]
    level_of = areas.set_index("area_id")["level"]
    child_count = areas.groupby("parent_id").size()
    frames = [current]
    for _level in range(int(level_of.max()), 0, -1):
        children = current[current["area_id"].map(level_of) == _level].assign(
            parent_id=lambda f: f["area_id"].map(parent_of)
        )
        if children.empty:
            break
        grouped = children.groupby(["indicator_id", "parent_id", "year"], sort=False)[["numerator", "denominator"]]
        reported = grouped.count().add_suffix("_reported")
        parents = pd.concat([grouped.sum(), reported], axis=1).reset_index()
        parents = parents.rename(columns={"parent_id": "area_id"})
        expected = parents["area_id"].map(child_count)
        for column in ("numerator", "denominator"):
            parents[column] = parents[column].where(parents[f"{column}_reported"] == expected)
        parents["source_suppressed"] = False
        types = parents["indicator_id"].map(meta["value_type"])
        parents["value"] = compute_value(parents["numerator"], parents["denominator"], types,
                                         parents["indicator_id"].map(meta["multiplier"]))
        current = parents[values.columns]
        frames.append(current)
    return pd.concat([*frames, passthrough], ignore_index=True)[values.columns]
