"""Building blocks of the Übersicht."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from sozialdash import fmt
from sozialdash.analysis.change import change, change_decimals, change_unit
from sozialdash.analysis.gaps import why_missing
from sozialdash.glossary import MISSING_REASON, SECRET, missing_text
from sozialdash.store import Store
from sozialdash.ui.data import query
from sozialdash.ui.safe import md

DELTA_COLOR = {"higher_is_better": "normal", "higher_is_worse": "inverse", "neutral": "off"}
NO_HEADLINES = "Für diesen Datensatz sind keine Kennzahlen für die Übersicht festgelegt."


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    delta: str | None     # the change, in Streamlit's delta pill
    delta_color: str
    arrow: str
    note: str | None = None  # why a value is missing, in full: the delta pill cuts long text off


def levels(store: Store) -> pd.DataFrame:
    return query(store, "area_levels")


def headline_cards(rows: pd.DataFrame) -> list[Card]:
    """One card per headline indicator (rows of the city_headlines query), none dropped: a value with its change
    against the latest earlier year, coloured by polarity; a city without a value says "keine Daten", why, and the
    latest earlier year that has one."""
    cards = []
    for row in rows.itertuples():
        secret = pd.notna(row.suppression)
        earlier = None
        if pd.notna(row.previous_value):
            earlier = f"{int(row.previous_year)}: {fmt.with_unit(row.previous_value, row.decimals, row.unit)}"
        if secret or pd.isna(row.value):
            note = SECRET if secret else MISSING_REASON[why_missing(row.aggregation, has_children=True)]
            cards.append(Card(row.short_name, fmt.SUPPRESSED if secret else fmt.MISSING, None, "off", "off",
                              f"{note} · zuletzt {earlier}" if earlier else note))
            continue
        value = fmt.with_unit(row.value, row.decimals, row.unit)
        if earlier is None:
            cards.append(Card(row.short_name, value, None, "off", "off"))
            continue
        decimals = change_decimals(row.value_type, row.decimals)
        delta = float(change(row.previous_value, row.value, row.value_type))
        flat = round(delta, decimals) == 0
        cards.append(Card(
            row.short_name, value,
            f"{fmt.change(delta, decimals, change_unit(row.value_type, row.unit))} zu {int(row.previous_year)}",
            "off" if flat else DELTA_COLOR[row.polarity], "off" if flat else "auto",
        ))
    return cards


def headline_metrics(store: Store, year: int) -> None:
    """The city's headline indicators as metric cards, four to a row; a gap's reason as a caption in its card."""
    cards = headline_cards(query(store, "city_headlines", year=year))
    if not cards:
        st.info(NO_HEADLINES, icon=":material/info:")
        return
    columns = st.columns(4)
    for index, card in enumerate(cards):
        with columns[index % 4].container(border=True):
            # Every field carries data strings (names, units) and Streamlit renders all of them as Markdown. The
            # delta keeps its leading sign unescaped: Streamlit reads a leading "-" to point the arrow down.
            delta = card.delta and card.delta[:1] + md(card.delta[1:])
            st.metric(md(card.label), md(card.value), delta, delta_color=card.delta_color, delta_arrow=card.arrow)
            if card.note:
                st.caption(md(card.note))


def level_table(store: Store, level: int, year: int) -> None:
    """The areas of one level with their population; a missing count says why, like every other gap."""
    rows = query(store, "level_population", level=level, year=year)
    population = query(store, "indicator_catalogue").set_index("indicator_id").loc[store.meta["population_indicator"]]
    finer = level < int(levels(store)["level"].max())
    missing = missing_text(why_missing(population["aggregation"], finer))
    table = pd.DataFrame({
        "Gebiet": rows["name"],
        "Einwohner*innen": [fmt.cell(v, 0, suppressed=pd.notna(s), missing=missing)
                            for v, s in zip(rows["population"], rows["suppression"])],
        "Fläche": [fmt.with_unit(v, 1, "km²") for v in rows["area_km2"]],
    })
    st.dataframe(table, hide_index=True, width="content")
