"""The indicator catalogue as people read it: searchable, in German words."""

from __future__ import annotations

import pandas as pd

from sozialdash import fmt, glossary

NOT_STATED = "nicht angegeben"  # a definition the catalogue lacks is no missing data value
SEARCHED = ["name", "short_name", "topic", "definition", "numerator_definition", "denominator_definition", "source"]


def search(catalogue: pd.DataFrame, text: str) -> pd.DataFrame:
    """Rows where every word of ``text`` occurs in one of the descriptive fields (case-insensitive)."""
    words = text.lower().split()
    if not words:
        return catalogue
    haystack = catalogue[SEARCHED].fillna("").astype(str).agg(" ".join, axis=1).str.lower()
    mask = pd.Series(True, index=catalogue.index)
    for word in words:
        mask &= haystack.str.contains(word, regex=False)
    return catalogue[mask]


def readable(catalogue: pd.DataFrame) -> pd.DataFrame:
    """The catalogue with German column names and labels instead of codes; an interval method only for
    indicators that have numerators (a published share has no interval, whatever its type)."""
    years = [f"{int(a)}–{int(b)} ({int(n)} Jahre)" if pd.notna(a) else fmt.MISSING
             for a, b, n in zip(catalogue["first_year"], catalogue["last_year"], catalogue["year_count"])]
    return pd.DataFrame({
        "Thema": catalogue["topic"],
        "Indikator": catalogue["name"],
        "Einheit": catalogue["unit"],
        "Werttyp": catalogue["value_type"].map(glossary.VALUE_TYPE),
        "Polarität": catalogue["polarity"].map(glossary.POLARITY),
        "Definition": catalogue["definition"],
        "Zähler": catalogue["numerator_definition"].fillna(NOT_STATED),
        "Nenner": catalogue["denominator_definition"].fillna(NOT_STATED),
        "Quelle": catalogue["source"],
        "Stichtag": catalogue["reference_date"],
        "Jahre": years,
        "Aggregation": catalogue["aggregation"].map(glossary.AGGREGATION),
        "Intervall": [glossary.INTERVAL_METHOD[t] if n else fmt.NO_INTERVAL
                      for t, n in zip(catalogue["value_type"], catalogue["has_numerators"])],
    })
