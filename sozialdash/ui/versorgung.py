"""Versorgung: need against supply per area, the data work behind the Sozialnavigator's second tab.

Supply is counted in ``analysis.supply`` from the store's institutions and the published target populations
(the pairing of category and population is data: ``supply_targets``), so a secret population gives no
per-capita figure, and the need indicator is read as the Karte reads it. The results are shared by every
session per build and choice; coverage (polygons against reach circles) is the costly part and is cached alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
import streamlit as st

from sozialdash import fmt, glossary
from sozialdash.analysis import supply
from sozialdash.store import Store, from_wkb
from sozialdash.ui import controls, karte, navigator, state
from sozialdash.ui.data import city_value, query
from sozialdash.views import colors, maps
from sozialdash.views import institutions as listed

DISTANCES = [300, 500, 1000, 2000]
OFFERS_DRAWN = 1_000
MEASURES = {"places": "Plätze je 1.000", "institutions": "Einrichtungen je 1.000"}


NEED_DEFAULT = "kinderarmut"   # the demo's; another city's catalogue starts on its first indicator
P_MEASURE = "mass"


def targets(store: Store) -> pd.DataFrame:
    return query(store, "supply_targets")


@dataclass(frozen=True)
class VersorgungChoice:
    categories: list[str]
    target: pd.Series | None      # None: the chosen categories serve different people (or none is paired)
    need: pd.Series
    year: int
    level: pd.Series
    measure: str
    distance_m: int

    def url(self) -> dict[str, object]:
        return {state.P_OFFER: self.categories, state.P_INDICATOR: self.need["indicator_id"],
                state.P_YEAR: self.year, state.P_LEVEL: int(self.level["level"]), P_MEASURE: self.measure,
                state.P_DISTANCE: self.distance_m}


def choose(store: Store, paired: pd.DataFrame) -> VersorgungChoice:
    """The tab's controls in one row above its map, each seeded from the URL like the Karte's."""
    offer, topic, need_column, where, more = st.columns([1.5, 1.2, 1.8, 1.1, 1.1], vertical_alignment="bottom")
    settings = more.popover("Jahr, Maß", icon=":material/tune:", width="stretch")
    when, how, reach = settings, settings, settings
    counted = navigator.directory(store).vocabulary["main"]
    options = sorted(paired["category"], key=lambda c: counted.index(c) if c in counted else len(counted))
    wanted = state.pick_many(state.url_list(state.P_OFFER), options, len(options), "Angebote") or options[:1]
    categories = offer.multiselect("Angebot", options, default=wanted, key="vers_offer", placeholder="wählen")
    need = controls.indicator(store, key="vers_need", label="Bedarf", default=NEED_DEFAULT, container=need_column,
                              topic_container=topic)
    year = controls.year(store, need["indicator_id"], key="vers_year", container=when)
    level = controls.level(store, key="vers_level", container=where, indicator=need["indicator_id"])
    measures = list(MEASURES)
    measure = how.selectbox("Angebot je 1.000", measures, key="vers_measure", format_func=MEASURES.get,
                            index=measures.index(state.pick(measures, state.url_value(P_MEASURE), "places", "Maß",
                                                            MEASURES.get)))
    distance = reach.selectbox("Erreichbar in", DISTANCES, key="vers_distance", format_func=fmt.distance,
                               index=DISTANCES.index(state.pick(DISTANCES, state.url_value(state.P_DISTANCE), 500,
                                                                "Entfernung", fmt.distance)))
    target = supply.shared_target(paired, categories) if categories else None
    return VersorgungChoice(categories, target, need, year, level, measure, int(distance))


@dataclass(frozen=True)
class Supply:
    """One Versorgung view: a row per area with need, supply, coverage and quadrant, and the city's row."""

    table: pd.DataFrame   # area_id, name, need, need_secret, institutions, with_capacity, places, population,
                          # suppression, institutions_per_1000, places_per_1000, ratio, covered_share, quadrant
    city: pd.Series
    target: pd.Series     # category pairing: population_indicator, label, indicator_name
    population_year: int
    measure: str


@st.cache_resource(show_spinner=False, max_entries=2)
def _metric_shapes(_store: Store, build_id: str) -> tuple[pd.Series, str]:
    """The finest areas' full polygons in a metric projection centred on the city, once per build."""
    areas = query(_store, "areas")
    finest = int(areas["level"].max())
    shapes = _store.run("area_shapes_full", level=finest)
    geometries = from_wkb(shapes["full_wkb"])
    crs = supply.local_crs(geometries)
    return pd.Series(supply.to_metric(geometries, crs), index=shapes["area_id"].to_numpy()), crs


@st.cache_resource(show_spinner=False, max_entries=32, ttl=1800)
def _coverage(_store: Store, build_id: str, categories: tuple[str, ...], indicator: str, year: int,
              distance_m: int, level: int) -> pd.DataFrame:
    shapes, crs = _metric_shapes(_store, build_id)
    offers = query(_store, "supply_institutions")
    offers = offers[offers["category"].isin(list(categories))]
    points = supply.to_metric(shapely.points(offers["lon"].to_numpy(), offers["lat"].to_numpy()), crs)
    return supply.coverage(query(_store, "areas"), query(_store, "target_population", indicator=indicator, year=year),
                           shapes, points, float(distance_m), level)


def population_year(store: Store, indicator: str, year: int) -> int:
    """The target population's year: the need's year if it has one, else its latest before, else its first."""
    years = sorted(int(y) for y in query(store, "indicator_years", indicator=indicator)["year"])
    earlier = [y for y in years if y <= year]
    return earlier[-1] if earlier else years[0]


def supply_view(store: Store, categories: Sequence[str], target: pd.Series, need: pd.Series, year: int, level: int,
                measure: str, distance_m: int) -> Supply:
    chosen = tuple(sorted(categories))
    indicator = target["population_indicator"]
    pyear = population_year(store, indicator, year)
    areas = query(store, "areas")
    institutions = query(store, "supply_institutions")
    population = query(store, "target_population", indicator=indicator, year=pyear)
    rows = supply.supply_by_area(areas, institutions, population, level, chosen)
    city = supply.supply_by_area(areas, institutions, population, 0, chosen).iloc[0]
    values = query(store, "level_values", indicator=need["indicator_id"], year=year, level=level).set_index("area_id")
    if measure == "places" and not rows["with_capacity"].any():
        measure = "institutions"   # no place counts for these offers: count the institutions instead
    column = "places_per_1000" if measure == "places" else "institutions_per_1000"
    rows["need"] = values["value"].reindex(rows["area_id"]).to_numpy(dtype=float)
    rows["need_secret"] = values["suppression"].reindex(rows["area_id"]).notna().to_numpy()
    rows["ratio"] = rows[column]
    covered = _coverage(store, store.build_id, chosen, indicator, pyear, int(distance_m), level)
    rows["covered_share"] = covered.set_index("area_id")["covered_share"].reindex(rows["area_id"]).to_numpy()
    city_need = city_value(store, need["indicator_id"], year)
    rows["quadrant"] = supply.quadrants(rows["need"], rows["ratio"], city_need, city[column],
                                        need["polarity"]).to_numpy()
    city = city.copy()
    city["need"], city["ratio"] = city_need, city[column]
    return Supply(rows, city, target, pyear, measure)


def supply_label(view: Supply, categories: Sequence[str]) -> str:
    """'Plätze (Kita) je 1.000 Kinder unter 6 Jahren'."""
    what = "Plätze" if view.measure == "places" else "Einrichtungen"
    return f"{what} ({', '.join(categories)}) je 1.000 {view.target['label']}"


def supply_indicator(view: Supply, categories: Sequence[str]) -> pd.Series:
    """The supply figure described like an indicator, so the Vergleich's scatter can draw it."""
    label = supply_label(view, categories)
    return pd.Series({"indicator_id": "versorgung", "name": label, "short_name": fmt.shorten(label, 40),
                      "unit": "je 1.000", "decimals": 1, "polarity": "higher_is_better"})


def display(view: Supply, need: pd.Series, distance_m: int) -> pd.DataFrame:
    """The table as the page shows it: German numbers, "." where a number is secret, words for the quadrant."""
    t = view.table
    secret = t["suppression"].notna()

    def cells(values, decimals, hidden) -> list[str]:
        return [fmt.cell(v, decimals, "", h) for v, h in zip(values, hidden)]

    return pd.DataFrame({
        "Gebiet": t["name"].astype(str),
        f"{need['short_name']} ({need['unit']})" if need["unit"] else need["short_name"]:
            cells(t["need"], int(need["decimals"]), t["need_secret"]),
        view.target["label"]: cells(t["population"], 0, secret),
        "Einrichtungen": [fmt.number(v) for v in t["institutions"]],
        "Plätze": [fmt.MISSING if np.isnan(p) or w < n else fmt.number(p)
                   for p, w, n in zip(t["places"], t["with_capacity"], t["institutions"])],
        MEASURES[view.measure]: cells(t["ratio"], 1, secret),
        f"in {fmt.distance(distance_m)} erreichbar": [fmt.cell(v, 0, "%", h)
                                                       for v, h in zip(t["covered_share"], secret)],
        "Einordnung": [glossary.QUADRANT.get(q, fmt.MISSING) if isinstance(q, str) else
                       (fmt.SUPPRESSED if h or s else fmt.MISSING)
                       for q, h, s in zip(t["quadrant"], t["need_secret"], secret)],
    })


def corners(need: pd.Series) -> dict[str, str]:
    """The quadrant chart's corners (need across, supply up): high need lies right, or left where a higher value
    of the need indicator is better."""
    right, left = ("high", "low") if need["polarity"] != "higher_is_better" else ("low", "high")
    return {f"{vertical} {side}": glossary.QUADRANT[f"{level}_need_{supply_level}_supply"]
            for vertical, supply_level in (("top", "high"), ("bottom", "low"))
            for side, level in (("right", right), ("left", left))}


def fills(view: Supply) -> pd.Series:
    """Each area's quadrant colour; secret areas as everywhere, others without a quadrant as no data."""
    t = view.table
    colour = t["quadrant"].map(colors.QUADRANT_COLOURS)
    secret = t["suppression"].notna() | t["need_secret"]
    return colour.where(colour.notna(), np.where(secret, colors.SECRET_FILL, colors.NO_DATA))


def quadrant_legend(view: Supply) -> pd.DataFrame:
    """Colour and words of each quadrant with its number of areas, in one column: the side of a 1280×720 beamer
    has no room for a third."""
    counts = view.table["quadrant"].value_counts()
    return pd.DataFrame({"Farbe": [colors.QUADRANT_COLOURS[q] for q in supply.QUADRANTS],
                         "Einordnung (Gebiete)": [f"{glossary.QUADRANT[q]} ({fmt.number(counts.get(q, 0))})"
                                                  for q in supply.QUADRANTS]})


def map_data(store: Store, choice: VersorgungChoice, view: Supply, table: pd.DataFrame) -> tuple[dict, dict, bool]:
    """Areas coloured by their quadrant, each with its row of ``table`` (``display``) as tooltip, and the chosen
    categories' institutions over them in one dark colour, up to ``OFFERS_DRAWN`` of them (more would cover the
    areas); the last value says whether they are drawn."""
    key, payload, ids = karte.shapes(store, store.build_id, int(choice.level["level"]))
    tips = ["\n".join(f"{column}: {value}" for column, value in row.items()) for _, row in table.iterrows()]
    areas = pd.DataFrame({"area_id": view.table["area_id"], "fill": fills(view).to_numpy(), "tooltip": tips})
    frame = navigator.directory(store).frame
    chosen = frame[frame["categories"].str[0].isin(choice.categories)]
    names = query(store, "areas").set_index("area_id")["name"]
    drawn = len(chosen) <= OFFERS_DRAWN
    points = maps.point_data(chosen["institution_id"], chosen["lon"], chosen["lat"], chosen["categories"].str[0],
                             listed.tooltip(listed.rows(chosen, names)), colour=colors.OFFER_POINT) if drawn else None
    return maps.view_data(key, ids, areas, labels=True, points=points), {key: payload}, drawn
