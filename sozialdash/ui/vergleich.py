"""The Vergleich's data work: series for chosen areas, a comparison table, the spine and the scatter, and the
sentences that say what a chart leaves out."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sozialdash import fmt, glossary
from sozialdash.culprits import culprits
from sozialdash.analysis.change import change, change_decimals, change_unit
from sozialdash.analysis.correlation import MIN_AREAS, Correlation, correlate
from sozialdash.analysis.gaps import why_missing
from sozialdash.analysis.intervals import WITH_INTERVAL
from sozialdash.glossary import judgement_text, missing_text
from sozialdash.store import Store
from sozialdash.ui.data import city_value, level_labels, query

# URL value -> tab label; the values are German because people read and share these links.
TABS = {
    "balken": "Balken mit Vertrauensbereich",
    "zeitreihen": "Zeitreihen",
    "tabelle": "Tabelle",
    "ueberblick": "Überblick eines Gebiets",
    "streuung": "Streudiagramm",
}
NAME_CHARS = 40  # area names in captions


@dataclass(frozen=True)
class Comparison:
    """What the bars, the time series and the table of one view show; shared between sessions, so read-only."""

    series: pd.DataFrame        # every year, from ``series``
    values: pd.DataFrame        # every indicator and chosen area at the year, from ``every_pair``
    city: pd.DataFrame          # the city's rows at the year
    without_interval: str | None
    table: pd.DataFrame         # from ``comparison_table``


def comparison(store: Store, indicators: pd.DataFrame, areas: list[str], year: int) -> Comparison:
    """The comparison of ``areas`` in the ``indicators`` (catalogue rows) at ``year``."""
    ids = list(indicators["indicator_id"])
    data = series(store, ids, areas)
    current = at_year(data, year)
    values, city = every_pair(current, store, ids, areas), city_rows(current)
    return Comparison(data, values, city, without_interval(values, indicators),
                      comparison_table(values, city, indicators))


def series(store: Store, indicators: list[str], areas: list[str]) -> pd.DataFrame:
    """All years of the indicators for the areas and the city, in the order the areas were chosen, each row
    with its level label."""
    frame = query(store, "area_series", indicators=indicators, areas=areas)
    frame["level_label"] = frame["level"].astype(int).map(level_labels(store))
    order = {a: i for i, a in enumerate(areas)}
    frame["order"] = frame["area_id"].map(order).fillna(-1)
    return frame.sort_values(["indicator_id", "order", "year"]).drop(columns="order").reset_index(drop=True)


def at_year(series: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per indicator the latest year up to ``year`` (elections, for instance, are not held every year)."""
    upto = series[series["year"] <= year]
    latest = upto.groupby("indicator_id")["year"].transform("max")
    return upto[upto["year"] == latest].reset_index(drop=True)


def city_rows(current: pd.DataFrame) -> pd.DataFrame:
    return current[current["level"] == 0]


def first_area(store: Store) -> list[str]:
    """The area the overview shows before any is chosen: the first below the city."""
    areas = query(store, "areas")
    return list(areas.loc[areas["level"] > 0, "area_id"][:1])


def latest_year(catalogue: pd.DataFrame) -> int:
    return int(catalogue["last_year"].max())


def every_pair(current: pd.DataFrame, store: Store, indicators: list[str], areas: list[str]) -> pd.DataFrame:
    """One row per indicator and chosen area, in that order, also where the store has no value: a chart or
    table that silently drops an area would let the reader think it was never asked for."""
    all_areas = query(store, "areas").set_index("area_id")
    grid = pd.MultiIndex.from_product([indicators, areas], names=["indicator_id", "area_id"]).to_frame(index=False)
    found = current.drop(columns=["name", "level", "level_label"], errors="ignore")
    frame = grid.merge(found, on=["indicator_id", "area_id"], how="left")
    frame["name"] = frame["area_id"].map(all_areas["name"])
    frame["level"] = frame["area_id"].map(all_areas["level"]).astype(int)
    frame["level_label"] = frame["level"].map(level_labels(store))
    frame["has_children"] = frame["area_id"].isin(all_areas["parent_id"])
    frame["judgement_city"] = frame["judgement_city"].where(frame["value"].notna() | frame["suppression"].notna(),
                                                            "missing").fillna("not_comparable")
    return frame


def _judgement(row) -> str:
    if pd.notna(row.suppression):
        return "suppressed"
    if pd.isna(row.value):
        return "missing"
    return row.judgement_city


def _difference(row, ind, reference: float) -> str:
    if pd.notna(row.suppression):
        return fmt.SUPPRESSED
    if pd.isna(row.value) or pd.isna(reference):
        return fmt.MISSING
    if ind.value_type == "count":  # an area's count against the city total: no meaningful difference
        return fmt.NOT_COMPARABLE
    diff = float(change(reference, row.value, ind.value_type))
    return fmt.change(diff, change_decimals(ind.value_type, ind.decimals), change_unit(ind.value_type, ind.unit))


def _by_indicator(values: pd.DataFrame) -> dict[str, list]:
    """The rows of ``values`` per indicator, in their order: one pass over the frame instead of a filter per
    indicator (each filter copies the frame)."""
    rows: dict[str, list] = {}
    for row in values.itertuples(index=False):
        rows.setdefault(row.indicator_id, []).append(row)
    return rows


def comparison_table(values: pd.DataFrame, city: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator and area (``values`` from ``every_pair``): value, difference to the city (change
    rule), judgement; gaps say which gap they are."""
    rows = []
    city_value = dict(zip(city["indicator_id"], city["value"]))
    by_indicator = _by_indicator(values)
    for ind in indicators.itertuples():
        reference = city_value.get(ind.indicator_id, np.nan)
        for row in by_indicator.get(ind.indicator_id, []):
            rows.append({
                "Indikator": ind.short_name,
                "Gebiet": fmt.area_label(row.name, row.level_label),
                "Wert": fmt.cell(row.value, ind.decimals, ind.unit, pd.notna(row.suppression),
                                 missing_text(why_missing(ind.aggregation, row.has_children))),
                "Gesamtstadt": fmt.cell(reference, ind.decimals, ind.unit,
                                        missing=missing_text(why_missing(ind.aggregation, True))),
                "Differenz": _difference(row, ind, reference),
                "Bewertung": judgement_text(_judgement(row)),
            })
    return pd.DataFrame(rows, columns=["Indikator", "Gebiet", "Wert", "Gesamtstadt", "Differenz", "Bewertung"])


def without_interval(values: pd.DataFrame, indicators: pd.DataFrame) -> str | None:
    """Which drawn bars have no whisker, and why; None when every bar has one. Secret and missing values have
    no bar at all, so they are not counted here."""
    by_type, published = [], []
    lacking = _by_indicator(values[values["value"].notna() & (values["ci_low"].isna() | values["ci_high"].isna())])
    for ind in indicators.itertuples():
        rows = lacking.get(ind.indicator_id)
        if not rows:
            continue
        if ind.value_type not in WITH_INTERVAL:
            by_type.append(f"{ind.short_name} ({glossary.VALUE_TYPE[ind.value_type]}: "
                           f"{glossary.INTERVAL_METHOD[ind.value_type]})")
        else:
            names = [fmt.area_label(n, row.level_label)
                     for n, row in zip(fmt.shorten_all([row.name for row in rows], NAME_CHARS), rows)]
            published.append(f"{ind.short_name} bei {culprits(names, limit=3)}")
    if not by_type and not published:
        return None
    parts = by_type + ([f"{'; '.join(published)} (veröffentlichte Werte ohne Zähler und Nenner: {fmt.NO_INTERVAL} "
                        "berechenbar)"] if published else [])
    return "Ohne Vertrauensbereich (kein Strich am Balken): " + "; ".join(parts) + "."


SPINE_REASONS = {
    "count": f"{glossary.VALUE_TYPE['count']} (mit der Gesamtstadt nicht vergleichbar)",
    "suppressed": f"Wert des Gebiets geheim ({fmt.SUPPRESSED})",
    "missing": f"Wert des Gebiets: {fmt.MISSING}",
    "no_city": f"Gesamtstadt: {fmt.MISSING}",
    "no_spread": "alle Gebiete der Ebene gleich oder nur eines mit Wert",
}


def spine_rows(overview: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The overview's rows the spine chart can draw, and the short names of the others by reason (keys of
    ``SPINE_REASONS``): a count of one area against the city total says nothing, a row without the area's or
    the city's value has no dot or no centre, and a level without spread has no range to scale by."""
    reasons = pd.Series(None, index=overview.index, dtype=object)
    spread = overview["level_max"] - overview["level_min"]
    for reason, rule in [
        ("no_spread", ~(spread > 0)),
        ("no_city", overview["city_value"].isna()),
        ("missing", overview["value"].isna() & overview["suppression"].isna()),
        ("suppressed", overview["suppression"].notna()),
        ("count", overview["value_type"] == "count"),
    ]:
        reasons[rule] = reason  # later rules win: the most basic reason is the one named
    left_out = {reason: list(overview.loc[reasons == reason, "short_name"])
                for reason in SPINE_REASONS if (reasons == reason).any()}
    return overview[reasons.isna()].reset_index(drop=True), left_out


def spine(store: Store, area: str, year: int) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The overview of ``area`` in ``year`` as the spine draws it (``spine_rows``)."""
    return spine_rows(query(store, "area_overview", area=area, year=year))


def left_out_text(left_out: dict[str, list[str]]) -> str:
    return "; ".join(f"{SPINE_REASONS[reason]}: {culprits(names)}" for reason, names in left_out.items())


def default_topic(catalogue: pd.DataFrame, carried: str | None = None) -> str:
    """The topic a Vergleich opens with: the carried indicator's, else the topic with the most headline
    indicators (what the city reports first), else the first."""
    if carried in catalogue.index:
        return catalogue.at[carried, "topic_id"]
    with_values = catalogue[catalogue["last_year"].notna()]
    headline = with_values[with_values["headline"].astype(bool)]
    if headline.empty:
        return catalogue["topic_id"].iloc[0]
    counts = headline.groupby("topic_id", sort=False).size()
    return counts.idxmax()


def default_axes(catalogue: pd.DataFrame, carried: str | None = None) -> tuple[str, str]:
    """Two different indicators for the scatter: the first two headline shares of the catalogue, else the first
    two indicators with values; a carried indicator takes the x-axis."""
    with_values = catalogue[catalogue["last_year"].notna()]
    headline = with_values[with_values["headline"].astype(bool) & (with_values["value_type"] == "proportion")]
    ids = list(headline.index) if len(headline) >= 2 else list(with_values.index)
    if carried in with_values.index:
        ids = [carried] + [i for i in ids if i != carried]
    ids = ids or list(catalogue.index)
    return ids[0], (ids[1] if len(ids) > 1 else ids[0])


def correlation_text(r: Correlation) -> str:
    """Pearson's r with its interval, Spearman's ρ and n; or why there is no r worth reading."""
    if r.n < MIN_AREAS:
        return (f"Zu wenige Gebiete (n = {r.n}) für eine aussagekräftige Korrelation: "
                f"sie wird ab {MIN_AREAS} Gebieten mit beiden Werten berechnet")
    if not r.meaningful:
        return f"Keine Korrelation berechenbar (n = {r.n}): eine der beiden Kennzahlen ist in allen Gebieten gleich"
    return (f"Pearson r = {fmt.number(r.pearson, 2)} (95-%-KI {fmt.number(r.ci_low, 2)} bis "
            f"{fmt.number(r.ci_high, 2)}) · Spearman ρ = {fmt.number(r.spearman, 2)} · n = {r.n}")


def point_names_note(points: pd.DataFrame, max_named: int) -> str:
    """Says which points carry a name when the scatter names only the chosen areas."""
    drawn = int(points.dropna(subset=["x", "y"]).shape[0])
    return "; nur sie sind beschriftet, die anderen Namen zeigt der Mauszeiger" if drawn > max_named else ""


@dataclass(frozen=True)
class ScatterPair:
    """Two indicators across the areas of one level, each in its latest year up to the page's; shared between
    sessions, so read-only."""

    points: pd.DataFrame        # from ``scatter_table``
    x_year: int
    y_year: int
    correlation: Correlation
    city_x: float | None
    city_y: float | None


def scatter_pair(store: Store, x: str, y: str, year: int | None, level: int) -> ScatterPair:
    x_year, y_year = year_up_to(store, x, year), year_up_to(store, y, year)
    points = scatter_table(store, x, y, x_year, y_year, level)
    return ScatterPair(points, x_year, y_year, correlate(points["x"], points["y"]),
                       city_value(store, x, x_year), city_value(store, y, y_year))


def scatter_table(store: Store, x: str, y: str, year_x: int, year_y: int, level: int) -> pd.DataFrame:
    xs = query(store, "level_values", indicator=x, year=year_x, level=level)
    ys = query(store, "level_values", indicator=y, year=year_y, level=level)
    return xs[["area_id", "name", "value"]].rename(columns={"value": "x"}).merge(
        ys[["area_id", "value"]].rename(columns={"value": "y"}), on="area_id")


def year_up_to(store: Store, indicator: str, year: int | None) -> int:
    """The latest year of an indicator up to the page's year, so the scatter follows the year in the link."""
    years = [int(y) for y in query(store, "indicator_years", indicator=indicator)["year"]]
    earlier = [y for y in years if year is None or y <= year]
    return max(earlier) if earlier else min(years)


def comparison_years(indicators: pd.DataFrame) -> list[int]:
    """Every year any chosen indicator covers, newest first; each chart then takes its latest year up to it."""
    with_years = indicators.dropna(subset=["first_year", "last_year"])
    return sorted({y for first, last in zip(with_years["first_year"], with_years["last_year"])
                   for y in range(int(first), int(last) + 1)}, reverse=True)
