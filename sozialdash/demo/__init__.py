"""Musterstadt: a seeded, clearly fictional city so that the app works out of the box and tests have data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sozialdash.dataset import INDICATOR_COLUMNS, RELATION_COLUMNS, SUPPLY_TARGET_COLUMNS, Dataset, DatasetMeta
from sozialdash.demo.catalogue import LAST_YEAR, RELATIONS, SOURCES, SPECS, SUPPLY_TARGETS, TOPICS
from sozialdash.demo.geography import generate_geography
from sozialdash.demo.institutions import generate_institutions
from sozialdash.demo.values import deprivation, generate_values, population

DEMO_SEED = 20251
DEMO_NOTE = "Fiktive Demodaten: Musterstadt gibt es nicht, alle Werte und Einrichtungen sind erfunden."


def indicator_table() -> pd.DataFrame:
    rows = []
    for sort, spec in enumerate(SPECS):
        rows.append({
            "indicator_id": spec.indicator_id, "name": spec.name, "short_name": spec.short_name,
            "topic_id": spec.topic_id, "unit": spec.unit, "definition": spec.definition,
            "numerator_definition": spec.numerator_definition, "denominator_definition": spec.denominator_definition,
            "numerator_quantity": spec.numerator_quantity, "denominator_quantity": spec.denominator_quantity,
            "source": SOURCES[spec.source], "polarity": spec.polarity, "decimals": spec.decimals,
            "reference_date": spec.reference_date, "value_type": spec.value_type, "multiplier": spec.multiplier,
            "aggregation": spec.aggregation, "headline": spec.headline, "sort": sort,
            "protect_complement": spec.protect_complement,
        })
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS)


def relation_table() -> pd.DataFrame:
    return pd.DataFrame([(relation, total, part, kind) for relation, total, parts, kind in RELATIONS for part in parts],
                        columns=RELATION_COLUMNS)


def supply_target_table() -> pd.DataFrame:
    return pd.DataFrame(SUPPLY_TARGETS, columns=SUPPLY_TARGET_COLUMNS)


def topic_table() -> pd.DataFrame:
    return pd.DataFrame([(t, label, i) for i, (t, label) in enumerate(TOPICS)], columns=["topic_id", "label", "sort"])


def generate_demo(seed: int = DEMO_SEED) -> Dataset:
    """The same seed gives the same city, value for value."""
    rng = np.random.default_rng(seed)
    geography = generate_geography(rng)
    polygons = geography.polygons
    d = deprivation(polygons, rng)
    groups = population(polygons, d, rng)
    names = geography.areas.set_index("area_id")["name"]
    postal_codes = {area_id: f"99{int(area_id) % 1000:03d}" for area_id in polygons.index}
    return Dataset(
        meta=DatasetMeta(
            name="Musterstadt (Demo)", city="Musterstadt", source=DEMO_NOTE, is_demo=True,
            reference_year=LAST_YEAR, population_indicator="einwohner", licence="CC0-1.0 (fiktive Daten)",
        ),
        levels=geography.levels,
        areas=geography.areas,
        polygons=polygons,
        topics=topic_table(),
        indicators=indicator_table(),
        values=generate_values(polygons, d, groups, rng),
        institutions=generate_institutions(polygons, names, d, groups, rng, postal_codes),
        relations=relation_table(),
        supply_targets=supply_target_table(),
    )
