"""One indicator across the areas of a level: rank, difference to the city and trend, ready for map and table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sozialdash.analysis.change import change


def area_table(values: pd.DataFrame, city_value: float | None, first: pd.DataFrame, value_type: str,
               by: str = "value") -> pd.DataFrame:
    """``values`` from the level_values query (one year), ``first`` the same for the comparison year.

    Ranked and sorted ``by`` the value or, for the change map, by the change ("trend"): rank 1 is the highest;
    areas without one (suppressed in either year) get no rank. Differences follow the change rule (percentage
    points for shares, % otherwise); a count has no meaningful difference to the city total.
    """
    table = values.merge(first[["area_id", "value", "suppression"]].rename(
        columns={"value": "first_value", "suppression": "first_suppression"}), on="area_id", how="left")
    city = np.nan if city_value is None else float(city_value)
    table["diff_city"] = np.nan if value_type == "count" else change(np.full(len(table), city), table["value"],
                                                                      value_type)
    table["trend"] = change(table["first_value"], table["value"], value_type)
    table["rank"] = table[by].rank(ascending=False, method="min")
    return table.sort_values([by, "name"], ascending=[False, True], na_position="last").reset_index(drop=True)
