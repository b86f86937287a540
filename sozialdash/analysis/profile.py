"""An area's profile: every indicator at its latest year up to the chosen one, against the city and the parent,
with its changes, its trend and whether a dialogue should talk about it first; and the summary of it in words.

Everything comes from published rows (``area_profile``: suppressed cells are NULL with the one marker), so a
secret value has no number here, no change through it, no trend over it, and the summary says nothing about it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sozialdash import fmt, glossary
from sozialdash.analysis import trend
from sozialdash.analysis.change import change, change_decimals, change_unit

PROFILE_COLUMNS = [
    "indicator_id", "topic", "short_name", "unit", "decimals", "value_type", "polarity", "year", "value", "secret",
    "city_value", "city_secret", "parent_value", "parent_secret", "judgement_city", "judgement_parent",
    "previous_year", "change_previous", "first_year", "change_first", "series_years", "series", "city_series", "trend",
    "trend_points", "red_red",
]
NAMED = 4   # indicators a sentence of the summary names; the table below lists them all


def _at(rows: pd.DataFrame, year: int) -> pd.Series | None:
    found = rows[rows["year"] == year]
    return found.iloc[0] if len(found) else None


def _value(row: pd.Series | None) -> tuple[float, bool]:
    if row is None:
        return np.nan, False
    return (np.nan, True) if pd.notna(row["suppression"]) else (float(row["value"]) if pd.notna(row["value"])
                                                                else np.nan, False)


def profile_rows(series: pd.DataFrame, catalogue: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per indicator of ``catalogue`` (in its order) from ``series`` (the ``area_profile`` query), at the
    latest year up to ``year`` in which the area has a row. ``series`` holds the area's published values of
    ``series_years`` (None where secret), ``city_series`` the city's of the same years, for the charts. Changes
    are in the change rule's unit (``analysis.change``); NaN where either year is secret or missing. The trend
    uses the last five years up to that year (``analysis.trend``)."""
    out = []
    for ind in catalogue.itertuples():
        rows = series[series["indicator_id"] == ind.indicator_id]
        own = rows[(rows["role"] == "area") & (rows["year"] <= year)].sort_values("year")
        if not len(own):
            continue
        at = int(own["year"].iloc[-1])
        value, secret = _value(own.iloc[-1])
        city_value, city_secret = _value(_at(rows[rows["role"] == "city"], at))
        parent_value, parent_secret = _value(_at(rows[rows["role"] == "parent"], at))
        years = own["year"].astype(int).to_numpy()
        shown = own["value"].where(own["suppression"].isna()).astype(float).to_numpy()
        city_rows = rows[rows["role"] == "city"].set_index("year")
        city_shown = city_rows["value"].where(city_rows["suppression"].isna()).astype(float).reindex(years)
        previous = int(years[-2]) if len(years) > 1 else None
        first = int(years[0]) if len(years) > 1 else None
        tested = trend.trend_test(years, own["numerator"].astype(float), own["denominator"].astype(float),
                                  ind.value_type)
        judged = trend.judgement(tested, ind.polarity)
        last = own.iloc[-1]
        out.append({
            "indicator_id": ind.indicator_id, "topic": ind.topic, "short_name": ind.short_name, "unit": ind.unit,
            "decimals": int(ind.decimals), "value_type": ind.value_type, "polarity": ind.polarity, "year": at,
            "value": value, "secret": secret, "city_value": city_value, "city_secret": city_secret,
            "parent_value": parent_value, "parent_secret": parent_secret,
            "judgement_city": "suppressed" if secret else last["judgement_city"],
            "judgement_parent": "suppressed" if secret else last["judgement_parent"],
            "previous_year": previous,
            "change_previous": float(change(shown[-2], shown[-1], ind.value_type)) if previous else np.nan,
            "first_year": first,
            "change_first": float(change(shown[0], shown[-1], ind.value_type)) if first else np.nan,
            "series_years": [int(y) for y in years], "series": [None if np.isnan(v) else float(v) for v in shown],
            "city_series": [None if np.isnan(v) else float(v) for v in city_shown],
            "trend": judged, "trend_points": tested.points,
            "red_red": trend.red_red("suppressed" if secret else last["judgement_city"], judged),
        })
    return pd.DataFrame(out, columns=PROFILE_COLUMNS)


def _value_text(row) -> str:
    return fmt.with_unit(row.value, row.decimals, row.unit)


def _change_text(row) -> str:
    return fmt.change(row.change_first, change_decimals(row.value_type, row.decimals),
                      change_unit(row.value_type, row.unit))


def _names(rows: pd.DataFrame, text) -> str:
    named = [f"{row.short_name} ({text(row)})" for row in rows.head(NAMED).itertuples()]
    rest = len(rows) - len(named)
    return ", ".join(named) + (f" und {rest} weitere" if rest > 0 else "")


def summary(rows: pd.DataFrame, area_name: str, parent_name: str | None) -> list[str]:
    """Short German sentences about ``rows`` (``profile_rows``), each naming the indicators it rests on with the
    figures the table below shows: what is significantly worse and better than the city, which trends are
    significant, what to talk about first, and what stands out against the parent. A secret value is never
    mentioned; an indicator without a judgement or trend is simply not named."""
    known = rows[~rows["secret"]]
    said = []
    first = known[known["red_red"]]
    if len(first):
        said.append(f"Zuerst besprechen ({glossary.RED_RED}): {_names(first, _value_text)}.")
    worse = known[known["judgement_city"] == "worse"]
    better = known[known["judgement_city"] == "better"]
    if len(worse):
        said.append(f"Signifikant schlechter als die Gesamtstadt: {_names(worse, _value_text)}.")
    if len(better):
        said.append(f"Signifikant besser als die Gesamtstadt: {_names(better, _value_text)}.")
    if not len(worse) and not len(better) and known["judgement_city"].isin(["similar"]).any():
        said.append(f"{area_name} unterscheidet sich bei keinem Indikator signifikant von der Gesamtstadt.")
    for code, words in [("getting_worse", "Signifikant verschlechternder Trend"),
                        ("getting_better", "Signifikant verbessernder Trend")]:
        moving = known[known["trend"] == code]
        if len(moving):
            said.append(f"{words} (letzte fünf Jahre): {_names(moving, _change_text)} seit dem ersten Jahr.")
    if parent_name:
        against = known[known["judgement_parent"] == "worse"]
        if len(against):
            said.append(f"Gegenüber {parent_name} signifikant schlechter: {_names(against, _value_text)}.")
    return said
