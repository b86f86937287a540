"""What an ingest (demo generator or a city's files) hands to the store builder.

Only the finest level carries polygons and, for aggregating indicators, values: coarser levels are derived
from it at build time, so parents always equal the sum of their children.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd



def no_rows(columns: list[str]) -> pd.DataFrame:
    """A frame with ``columns`` and no rows, each column of object dtype (so a None put in later stays None)."""
    return pd.DataFrame({column: pd.Series(dtype=object) for column in columns})


LEVEL_COLUMNS = ["level", "key", "label", "label_plural"]
AREA_COLUMNS = ["area_id", "name", "level", "parent_id"]
TOPIC_COLUMNS = ["topic_id", "label", "sort"]
INDICATOR_COLUMNS = [
    "indicator_id", "name", "short_name", "topic_id", "unit", "definition", "numerator_definition",
    "denominator_definition", "numerator_quantity", "denominator_quantity", "source", "polarity", "decimals",
    "reference_date", "value_type", "multiplier", "aggregation", "headline", "sort", "protect_complement",
]
RELATION_COLUMNS = ["relation_id", "total", "part", "kind"]
NO_RELATIONS = no_rows(RELATION_COLUMNS)
SUPPLY_TARGET_COLUMNS = ["category", "population_indicator", "label"]
NO_SUPPLY_TARGETS = no_rows(SUPPLY_TARGET_COLUMNS)
VALUE_COLUMNS = ["indicator_id", "area_id", "year", "value", "numerator", "denominator", "source_suppressed"]
INSTITUTION_COLUMNS = [
    "institution_id", "name", "organisation", "categories", "target_groups", "age_min", "age_max", "languages",
    "barrier_free", "street", "postal_code", "city", "phone", "email", "website", "opening_hours", "capacity",
    "description", "last_checked", "lon", "lat",
]


@dataclass(frozen=True)
class DatasetMeta:
    name: str
    city: str
    source: str
    is_demo: bool
    reference_year: int
    population_indicator: str
    licence: str | None = None


@dataclass(frozen=True)
class Dataset:
    """A city's data before statistics: levels, the area tree, finest-level polygons, indicators, raw values.

    ``numerator_quantity`` and ``denominator_quantity`` of an indicator name the counts it shares with others
    (children under 18 in four indicators); ``relations`` declares, one row per part, the quantities that add up
    (``equal``) or stay within a total (``at_most``). Both are what an attacker knows, so suppression uses them.

    ``values`` holds finest-level rows with numerator and denominator for indicators that aggregate, and rows
    on any level for indicators with ``aggregation == 'none'`` (published values the build cannot derive).

    ``supply_targets`` pairs an institution category (a main category, ``categories[0]``) with the indicator
    whose numerator counts the people it serves (Kitas: the children under 6 of a share "Anteil unter
    6-Jähriger"), and a German label for them; the Versorgung view divides supply by that published numerator.
    """

    meta: DatasetMeta
    levels: pd.DataFrame
    areas: pd.DataFrame
    polygons: gpd.GeoSeries  # finest level, indexed by area_id, any CRS
    topics: pd.DataFrame
    indicators: pd.DataFrame
    values: pd.DataFrame
    institutions: pd.DataFrame
    relations: pd.DataFrame = field(default_factory=NO_RELATIONS.copy)  # analysis.quantities: what adds up
    supply_targets: pd.DataFrame = field(default_factory=NO_SUPPLY_TARGETS.copy)  # category -> target population
