"""From raw values to publishable rows: every level, interval, suppression and judgement, decided once at build.

Pages only read the result. Suppressed cells leave here with their flag and without their numbers, so nothing
downstream (map, table, tooltip, CSV, export) can ever show them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sozialdash.analysis import compare, intervals, suppress
from sozialdash.analysis.aggregate import aggregate_upwards

PUBLISHED_COLUMNS = [
    "indicator_id", "area_id", "year", "value", "numerator", "denominator", "ci_low", "ci_high", "suppression",
    "judgement_city", "judgement_parent",
]
NUMBERS = ["value", "numerator", "denominator", "ci_low", "ci_high"]


def disclosure_count(frame: pd.DataFrame, value_types: pd.Series) -> pd.Series:
    """How many people a cell is about: the numerator, except for means, where it is the denominator
    (an average income of two taxpayers identifies them, whatever the sum of their incomes)."""
    return frame["denominator"].where(value_types == "mean", frame["numerator"])


def _intervals(frame: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    low = np.full(len(frame), np.nan)
    high = np.full(len(frame), np.nan)
    for indicator_id, rows in frame.groupby("indicator_id", sort=False).indices.items():
        ind = meta.loc[indicator_id]
        low[rows], high[rows] = intervals.interval(
            ind["value_type"], frame["numerator"].values[rows], frame["denominator"].values[rows], ind["multiplier"]
        )
    return frame.assign(ci_low=low, ci_high=high)


def _hidden_bases(frame: pd.DataFrame, meta: pd.DataFrame, reason: pd.Series) -> np.ndarray:
    """Cells whose denominator is the numerator of a hidden cell of another indicator (same area and year)."""
    base = frame["indicator_id"].map(meta["denominator_indicator"])
    hidden = pd.Series(reason.notna().to_numpy(), index=pd.MultiIndex.from_frame(frame[["indicator_id", "area_id",
                                                                                        "year"]]))
    key = pd.MultiIndex.from_arrays([base, frame["area_id"], frame["year"]])
    return (base.notna().to_numpy() & hidden.reindex(key).fillna(False).to_numpy(dtype=bool)
            & reason.isna().to_numpy())


def protects_complement(frame: pd.DataFrame, meta: pd.DataFrame) -> np.ndarray:
    """Rows of shares whose complement counts persons (``protect_complement``): there "65 von 66" would name
    the one left out, so denominator minus numerator is as secret as a small numerator."""
    types = frame["indicator_id"].map(meta["value_type"])
    protected = frame["indicator_id"].map(meta["protect_complement"]).fillna(False).astype(bool)
    return ((types == "proportion") & protected).to_numpy()


def _suppression(frame: pd.DataFrame, meta: pd.DataFrame, parent_of: pd.Series, threshold: int) -> pd.Series:
    """Primary (small counts, small complements) and secondary suppression, carried over to indicators whose
    denominator is a hidden numerator (e.g. Langzeitarbeitslose per Arbeitslose), until nothing changes.
    The reason stays internal: pages show one marker for every secret cell."""
    types = frame["indicator_id"].map(meta["value_type"])
    hidden_primary = suppress.primary(disclosure_count(frame, types), np.zeros(len(frame), bool), threshold)
    protected = protects_complement(frame, meta)
    hidden_complement = suppress.complement(frame["numerator"], frame["denominator"], protected, threshold)
    source = frame["source_suppressed"].fillna(False).astype(bool).to_numpy()
    reason = np.select([source, hidden_primary, hidden_complement],
                       np.array(["source", "primary", "complement"], dtype=object), None)
    cells = pd.DataFrame({
        "group": frame["indicator_id"] + "|" + frame["year"].astype(str),
        "area_id": frame["area_id"],
        "parent_id": frame["area_id"].map(parent_of),
        "numerator": disclosure_count(frame, types),
        "complement": (frame["denominator"] - frame["numerator"]).where(protected),
        "reason": pd.Series(reason, index=frame.index, dtype=object),
    })
    while True:
        reason = suppress.apply_secondary(cells, threshold)
        carried = _hidden_bases(frame, meta, reason)
        if not carried.any():
            return reason
        reason[carried] = "secondary"
        cells["reason"] = reason


def _judgements(frame: pd.DataFrame, meta: pd.DataFrame, parent_of: pd.Series, city_id: str) -> pd.DataFrame:
    value_at = frame.set_index(["indicator_id", "area_id", "year"])["value"]
    city_key = pd.MultiIndex.from_arrays([frame["indicator_id"], np.full(len(frame), city_id), frame["year"]])
    parent_key = pd.MultiIndex.from_arrays([frame["indicator_id"], frame["area_id"].map(parent_of), frame["year"]])
    city_value = value_at.reindex(city_key).to_numpy()
    parent_value = value_at.reindex(parent_key).to_numpy()
    against_city = np.full(len(frame), "not_comparable", dtype=object)
    against_parent = against_city.copy()
    for indicator_id, rows in frame.groupby("indicator_id", sort=False).indices.items():
        polarity = meta.loc[indicator_id, "polarity"]
        low, high = frame["ci_low"].values[rows], frame["ci_high"].values[rows]
        against_city[rows] = compare.judge(low, high, city_value[rows], polarity)
        against_parent[rows] = compare.judge(low, high, parent_value[rows], polarity)
    is_city = (frame["area_id"] == city_id).to_numpy()
    against_city[is_city] = "not_comparable"
    return frame.assign(judgement_city=against_city, judgement_parent=against_parent)


def publish_values(values: pd.DataFrame, areas: pd.DataFrame, indicators: pd.DataFrame,
                   threshold: int = suppress.DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Rows for the ``indicator_values`` table, on every level."""
    meta = indicators.set_index("indicator_id")
    parent_of = areas.set_index("area_id")["parent_id"]
    city_id = areas.loc[areas["level"] == 0, "area_id"].iloc[0]
    frame = aggregate_upwards(values, areas, indicators).reset_index(drop=True)
    frame = _intervals(frame, meta)
    frame["suppression"] = _suppression(frame, meta, parent_of, threshold).to_numpy()
    hidden = frame["suppression"].notna().to_numpy()
    # Blank first, judge second: a hidden comparator then leaves its areas "not comparable" by itself.
    frame.loc[hidden, NUMBERS] = np.nan
    frame = _judgements(frame, meta, parent_of, city_id)
    frame.loc[hidden, ["judgement_city", "judgement_parent"]] = "suppressed"
    return frame[PUBLISHED_COLUMNS]
