"""The Vergleich's data work: series for chosen areas, a comparison table, the spine and the scatter."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sozialdash import fmt
from sozialdash.glossary import judgement_text
from sozialdash.analysis.change import change, change_decimals, change_unit
from sozialdash.store import Store
from sozialdash.ui.data import query


def series(store: Store, indicators: list[str], areas: list[str]) -> pd.DataFrame:
    """All years of the indicators for the areas and the city, in the order the areas were chosen."""
    frame = query(store, "area_series", indicators=indicators, areas=areas)
    order = {a: i for i, a in enumerate(areas)}
    frame["order"] = frame["area_id"].map(order).fillna(-1)
    return frame.sort_values(["indicator_id", "order", "year"]).drop(columns="order").reset_index(drop=True)


def comparison_table(values: pd.DataFrame, city: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator and area: value, difference to the city (change rule), judgement."""
    rows = []
    city_value = city.set_index("indicator_id")["value"]
    for ind in indicators.itertuples():
        part = values[values["indicator_id"] == ind.indicator_id]
        reference = city_value.get(ind.indicator_id, np.nan)
        for row in part.itertuples():
            hidden = pd.notna(row.suppression)
            diff = np.nan if ind.value_type == "count" else float(change(reference, row.value, ind.value_type))
            rows.append({
                "Indikator": ind.short_name,
                "Gebiet": row.name,
                "Wert": fmt.cell(row.value, ind.decimals, ind.unit, hidden),
                "Gesamtstadt": fmt.with_unit(reference, ind.decimals, ind.unit),
                "Differenz": fmt.SUPPRESSED if hidden else fmt.change(
                    diff, change_decimals(ind.value_type, ind.decimals), change_unit(ind.value_type, ind.unit)),
                "Bewertung": judgement_text("suppressed" if hidden else row.judgement_city),
            })
    return pd.DataFrame(rows, columns=["Indikator", "Gebiet", "Wert", "Gesamtstadt", "Differenz", "Bewertung"])


def scatter_table(store: Store, x: str, y: str, year_x: int, year_y: int, level: int) -> pd.DataFrame:
    xs = query(store, "level_values", indicator=x, year=year_x, level=level)
    ys = query(store, "level_values", indicator=y, year=year_y, level=level)
    return xs[["area_id", "name", "value"]].rename(columns={"value": "x"}).merge(
        ys[["area_id", "value"]].rename(columns={"value": "y"}), on="area_id")


def at_year(series: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per indicator the latest year up to ``year`` (elections, for instance, are not held every year)."""
    upto = series[series["year"] <= year]
    latest = upto.groupby("indicator_id")["year"].transform("max")
    return upto[upto["year"] == latest].reset_index(drop=True)


def year_up_to(store: Store, indicator: str, year: int | None) -> int:
    """The latest year of an indicator up to the page's year, so the scatter follows the year in the link."""
    years = [int(y) for y in query(store, "indicator_years", indicator=indicator)["year"]]
    earlier = [y for y in years if year is None or y <= year]
    return max(earlier) if earlier else min(years)


def comparison_years(indicators: pd.DataFrame) -> list[int]:
    """Every year any chosen indicator covers, newest first; each chart then takes its latest year up to it."""
    return sorted({y for first, last in zip(indicators["first_year"], indicators["last_year"])
                   for y in range(int(first), int(last) + 1)}, reverse=True)
