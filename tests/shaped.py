"""Test datasets shaped like real cities, which are messier than Musterstadt.

Two cities, both built into stores by session fixtures in ``tests/conftest.py`` (only when a test asks):

* ``berlin_like_dataset()``: five levels with Berlin's labels (Stadt > Bezirk > Prognoseraum > Bezirksregion >
  Planungsraum), ids with leading zeros ("01", "0101", "010101", "01010101"), 500+ Planungsräume on
  ``bench.synthetic`` polygons, and every kind of gap a Sozialbericht has:

  - ``einwohner``: a complete count from numerators (the population indicator);
  - ``sgb2_quote``: a share with numerators and denominators (small areas get suppressed), some Planungsräume
    absent and some NaN in the reference year, and one Bezirksregion none of whose children has a value, so that
    parents up to the city get no value ("Teilgebiete ohne Wert") while earlier years are complete;
  - ``kinderarmut_veroeff``: a published share without numerators (aggregation "none") on every level below the
    city, with absent rows and NaN values, and a city total that is not the mean of the areas;
  - ``wohndauer``: a published mean on the finest level only, never a value for the city;
  - ``altersarmut_veroeff``: a published share whose city total stops two years before the reference year.

* ``flensburg_dataset()``: a published-shares city built from Flensburg's real Sozialatlas files: the 41
  statistical districts (``flensburg_stadtbezirke.geojson``) are the finest level, their Stadtteile (by
  ``PARENT_ARE``) the level above; only counts and shares per Stadtteil are published (tab_1 population,
  tab18 SGB-II recipients and share), the city population total comes from the Sozialatlas summary table
  (seite53, 2018–2021) and the SGB-II totals are missing; it has no institutions (the Kita list's licence is
  unclear, so it is not in this repository). The polygons go in as published (two are invalid, the coverage has gaps and overlaps): the
  build's geometry step repairs them.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.cluster.vq import kmeans2

from bench.synthetic import CRS, STEMS, SUFFIXES, quartier_polygons
from sozialdash.dataset import INDICATOR_COLUMNS, INSTITUTION_COLUMNS, Dataset, DatasetMeta

FLENSBURG_DIR = Path(__file__).resolve().parent / "data" / "flensburg" / "sozialatlas"  # see its SOURCE.md

BERLIN_LEVELS = pd.DataFrame(
    [(0, "stadt", "Stadt", "Stadt"), (1, "bezirk", "Bezirk", "Bezirke"),
     (2, "prognoseraum", "Prognoseraum", "Prognoseräume"), (3, "bezirksregion", "Bezirksregion", "Bezirksregionen"),
     (4, "planungsraum", "Planungsraum", "Planungsräume")],
    columns=["level", "key", "label", "label_plural"],
)
BERLIN_CITY_ID = "00"
BERLIN_YEARS = np.arange(2021, 2026)
BERLIN_PLANUNGSRAEUME = 540
# How many children each level splits into (Bezirke, then Prognoseräume per Bezirk, Bezirksregionen per
# Prognoseraum); the Planungsräume are what is left in each Bezirksregion.
BERLIN_SPLITS = (12, 3, 3)
TOPICS = pd.DataFrame([("bevoelkerung", "Bevölkerung", 0), ("existenz", "Existenzsicherung", 1)],
                      columns=["topic_id", "label", "sort"])
EMPTY_INSTITUTIONS = pd.DataFrame({column: pd.Series(dtype=object) for column in INSTITUTION_COLUMNS})


def _indicator(indicator_id, name, short_name, topic_id, unit, value_type, aggregation, *, polarity="higher_is_worse",
               decimals=1, headline=False, sort=0, numerator=None, denominator=None, multiplier=100.0,
               definition="", source="Testdaten"):
    """One catalogue row; every share here counts persons, so its small complements are secret."""
    return {
        "indicator_id": indicator_id, "name": name, "short_name": short_name, "topic_id": topic_id, "unit": unit,
        "definition": definition or name, "numerator_definition": numerator, "denominator_definition": denominator,
        "numerator_quantity": None, "denominator_quantity": None, "source": source, "polarity": polarity, "decimals": decimals,
        "reference_date": "31.12.", "value_type": value_type, "multiplier": multiplier, "aggregation": aggregation,
        "headline": headline, "sort": sort,
        "protect_complement": value_type == "proportion",
    }


def _split(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Labels 0..m-1 for ``points`` in about ``k`` compact groups, none empty, numbered north-west first."""
    k = min(k, len(points))
    if k <= 1:
        return np.zeros(len(points), dtype=int)
    _, label = kmeans2(points, k, minit="++", rng=rng)
    used = np.unique(label)
    centres = np.array([points[label == u].mean(axis=0) for u in used])
    order = used[np.lexsort((centres[:, 0], -centres[:, 1]))]
    rank = {u: i for i, u in enumerate(order)}
    return np.array([rank[u] for u in label])


def _berlin_names(count: int, rng: np.random.Generator) -> list[str]:
    combos = [s + x for s in STEMS for x in SUFFIXES]
    picked = rng.permutation(combos)[:count]
    return [str(name) for name in picked]


def berlin_geography(rng: np.random.Generator) -> tuple[pd.DataFrame, gpd.GeoSeries]:
    """The area tree with zero-padded ids and the Planungsraum polygons (EPSG:25832)."""
    faces = quartier_polygons(BERLIN_PLANUNGSRAEUME, rng)
    centres = shapely.get_coordinates(shapely.centroid(faces))
    rows = [{"area_id": BERLIN_CITY_ID, "name": "Teststadt", "level": 0, "parent_id": None}]
    finest: list[tuple[str, int]] = []  # (id, face index)
    groups = [(BERLIN_CITY_ID, "", np.arange(len(faces)))]
    for level, k in enumerate((*BERLIN_SPLITS, None), start=1):
        next_groups = []
        for parent_id, prefix, members in groups:
            if k is None:  # Planungsräume: one per face, numbered north-west first within their Bezirksregion
                labels = np.empty(len(members), dtype=int)
                labels[np.lexsort((centres[members, 0], -centres[members, 1]))] = np.arange(len(members))
            else:
                labels = _split(centres[members], k, rng)
            for child in range(labels.max() + 1):
                area_id = f"{prefix}{child + 1:02d}"
                next_groups.append((area_id, area_id, members[labels == child]))
                rows.append({"area_id": area_id, "name": "", "level": level, "parent_id": parent_id})
                if k is None:
                    finest.append((area_id, int(members[labels == child][0])))
        groups = next_groups
    areas = pd.DataFrame(rows)
    names = _berlin_names(len(areas) - 1, rng)
    areas.loc[1:, "name"] = names
    polygons = gpd.GeoSeries([faces[i] for _, i in finest], index=[a for a, _ in finest], crs=CRS)
    return areas, polygons


def _finest_rows(indicator_id, ids, years, value, numerator=None, denominator=None) -> pd.DataFrame:
    n = len(ids) * len(years)
    return pd.DataFrame({
        "indicator_id": indicator_id,
        "area_id": np.repeat(ids, len(years)),
        "year": np.tile(years, len(ids)),
        "value": np.ravel(value),
        "numerator": np.full(n, np.nan) if numerator is None else np.ravel(numerator),
        "denominator": np.full(n, np.nan) if denominator is None else np.ravel(denominator),
        "source_suppressed": False,
    })


def berlin_like_dataset(seed: int = 515) -> Dataset:
    rng = np.random.default_rng(seed)
    areas, polygons = berlin_geography(rng)
    ids = polygons.index.to_numpy()
    reference = int(BERLIN_YEARS[-1])
    n, t = len(ids), len(BERLIN_YEARS)
    pop = np.rint(np.exp(rng.normal(np.log(3_000), 0.5, n)))
    pop[rng.choice(n, 12, replace=False)] = rng.integers(8, 30, 12)  # tiny areas: suppression has work to do
    pop = np.rint(pop[:, None] * (1.01 ** np.arange(t))[None, :])
    under65 = np.rint(pop * 0.8)
    centres = shapely.get_coordinates(shapely.centroid(polygons.values))
    gradient = (centres[:, 0] - centres[:, 0].mean()) / np.ptp(centres[:, 0])
    share = np.clip(0.12 + 0.1 * gradient + rng.normal(0, 0.03, n), 0.01, 0.6)
    sgb2 = rng.binomial(under65.astype(np.int64), share[:, None]).astype(float)

    population = _finest_rows("einwohner", ids, BERLIN_YEARS, pop, pop)
    quote = _finest_rows("sgb2_quote", ids, BERLIN_YEARS, sgb2 / under65 * 100, sgb2, under65)
    in_reference = quote["year"] == reference
    region = areas.loc[areas["level"] == 3, "area_id"].iloc[len(areas[areas["level"] == 3]) // 2]
    orphaned = quote["area_id"].str.startswith(region) & in_reference          # a parent whose children lack values
    absent = quote["area_id"].isin(rng.choice(ids, 8, replace=False)) & in_reference
    blank = quote["area_id"].isin(rng.choice(ids, 6, replace=False)) & in_reference & ~absent
    quote.loc[blank, ["value", "numerator", "denominator"]] = np.nan
    quote = quote[~(orphaned | absent)]

    # Published shares on every level below the city, none derived from another: a Sozialbericht's table.
    coarse = areas[areas["level"] > 0]
    published_share = np.clip(0.18 + 0.12 * rng.normal(0, 1, len(coarse)), 0.02, 0.7) * 100
    kinder = pd.DataFrame({
        "indicator_id": "kinderarmut_veroeff",
        "area_id": np.repeat(coarse["area_id"].to_numpy(), t),
        "year": np.tile(BERLIN_YEARS, len(coarse)),
        "value": np.round(np.repeat(published_share, t) + rng.normal(0, 0.4, len(coarse) * t), 1),
        "numerator": np.nan, "denominator": np.nan, "source_suppressed": False,
    })
    kinder = kinder[~kinder["area_id"].isin(rng.choice(coarse["area_id"], 25, replace=False))]
    kinder.loc[kinder.sample(frac=0.03, random_state=seed).index, "value"] = np.nan
    mean = kinder.loc[kinder["year"] == reference, "value"].mean()
    city_kinder = pd.DataFrame({"indicator_id": "kinderarmut_veroeff", "area_id": BERLIN_CITY_ID, "year": BERLIN_YEARS,
                                "value": round(mean + 3.7, 1), "numerator": np.nan, "denominator": np.nan,
                                "source_suppressed": False})

    stay = np.round(rng.uniform(4, 25, (n, t)), 1)
    wohndauer = _finest_rows("wohndauer", ids, BERLIN_YEARS, stay)
    wohndauer = wohndauer[~wohndauer["area_id"].isin(rng.choice(ids, 20, replace=False))]

    old_age = coarse[coarse["level"] <= 2]
    alters = pd.DataFrame({
        "indicator_id": "altersarmut_veroeff",
        "area_id": np.repeat(old_age["area_id"].to_numpy(), t),
        "year": np.tile(BERLIN_YEARS, len(old_age)),
        "value": np.round(rng.uniform(3, 14, len(old_age) * t), 1),
        "numerator": np.nan, "denominator": np.nan, "source_suppressed": False,
    })
    alters_city = pd.DataFrame({"indicator_id": "altersarmut_veroeff", "area_id": BERLIN_CITY_ID,
                                "year": BERLIN_YEARS[:-2], "value": [7.1, 7.4, 7.9][:t - 2],
                                "numerator": np.nan, "denominator": np.nan, "source_suppressed": False})

    indicators = pd.DataFrame([
        _indicator("einwohner", "Einwohner*innen", "Einwohner*innen", "bevoelkerung", "", "count", "sum",
                   polarity="neutral", decimals=0, headline=True, sort=0, numerator="Einwohner*innen",
                   multiplier=1.0),
        _indicator("sgb2_quote", "SGB-II-Quote (unter 65-Jährige)", "SGB-II-Quote", "existenz", "%", "proportion",
                   "ratio_of_sums", headline=True, sort=1, numerator="Personen in Bedarfsgemeinschaften",
                   denominator="Einwohner*innen unter 65 Jahren"),
        _indicator("kinderarmut_veroeff", "Kinderarmut (veröffentlichter Anteil)", "Kinderarmut", "existenz", "%",
                   "proportion", "none", headline=True, sort=2),
        _indicator("altersarmut_veroeff", "Altersarmut (veröffentlichter Anteil)", "Altersarmut", "existenz", "%",
                   "proportion", "none", headline=True, sort=3),
        _indicator("wohndauer", "Durchschnittliche Wohndauer", "Wohndauer", "bevoelkerung", "Jahre", "mean", "none",
                   polarity="neutral", headline=True, sort=4, multiplier=1.0),
    ], columns=INDICATOR_COLUMNS)
    values = pd.concat([population, quote, kinder, city_kinder, wohndauer, alters, alters_city], ignore_index=True)
    return Dataset(
        meta=DatasetMeta(name="Teststadt (5 Ebenen, Testdaten)", city="Teststadt",
                         source="Erzeugt von tests/shaped.py; alle Werte sind erfunden.", is_demo=True,
                         reference_year=reference, population_indicator="einwohner", licence=None),
        levels=BERLIN_LEVELS,
        areas=areas,
        polygons=polygons,
        topics=TOPICS,
        indicators=indicators,
        values=values,
        institutions=EMPTY_INSTITUTIONS,
    )


# --- Flensburg: real published shares -------------------------------------------------------------------------

FLENSBURG_LEVELS = pd.DataFrame(
    [(0, "stadt", "Stadt", "Stadt"), (1, "stadtteil", "Stadtteil", "Stadtteile"),
     (2, "bezirk", "statistischer Bezirk", "statistische Bezirke")],
    columns=["level", "key", "label", "label_plural"],
)
FLENSBURG_CITY_ID = "STGM01001000"
SGB2_FILE = "tab18_Anzahl_der_Regelleistungsberechtigten_nach_SGBII - Tabellenblatt1.csv"
POPULATION_FILE = "tab_1_einwohner_in_stadtteilen_2011_bis_2021.csv"
SUMMARY_FILE = "Stadt Flensburg.seite53.csv"


def _german_number(text: str) -> float:
    text = text.strip().rstrip("%").strip()
    return float(text.replace(".", "").replace(",", ".")) if text else np.nan


def _read_csv(name: str, delimiter: str = ",") -> list[dict[str, str]]:
    with open(FLENSBURG_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def _published(indicator_id: str, area_id: str, year: int, value: float) -> dict:
    return {"indicator_id": indicator_id, "area_id": area_id, "year": year, "value": value,
            "numerator": np.nan, "denominator": np.nan, "source_suppressed": False}


def flensburg_dataset() -> Dataset:
    districts = gpd.read_file(FLENSBURG_DIR / "flensburg_stadtbezirke.geojson")
    parts = json.loads((FLENSBURG_DIR / "flensburg_stadtteile.geojson").read_text(encoding="utf-8"))["features"]
    stadtteile = sorted((f["properties"]["AREA_ID"], f["properties"]["AREA_NAME"]) for f in parts)
    areas = pd.DataFrame(
        [(FLENSBURG_CITY_ID, "Flensburg", 0, None)]
        + [(area_id, name, 1, FLENSBURG_CITY_ID) for area_id, name in stadtteile]
        + [(r.AREA_ID, r.AREA_NAME, 2, r.PARENT_ARE) for r in districts.sort_values("AREA_ID").itertuples()],
        columns=["area_id", "name", "level", "parent_id"],
    )
    polygons = gpd.GeoSeries(districts.geometry.values, index=districts["AREA_ID"].values, crs=districts.crs)

    def stadtteil_id(number: str) -> str:
        return f"STGT{int(number):02d}"

    rows = []
    for record in _read_csv(POPULATION_FILE):
        for column, year in [("2011", 2011), ("2017", 2017), ("2018", 2018), ("2019", 2019), ("2020", 2020),
                             ("gesamt", 2021)]:
            rows.append(_published("einwohner", stadtteil_id(record["id"]), year, _german_number(record[column])))
    for record in _read_csv(SGB2_FILE):
        for year in range(2018, 2022):
            area_id = stadtteil_id(record["Stadtteil_ID"])
            rows.append(_published("sgb2_anzahl", area_id, year, _german_number(record[f"Anzahl_{year}"])))
            rows.append(_published("sgb2_anteil", area_id, year, _german_number(record[f"Anteil_in_%_{year}"])))
    # The summary table's header names five years for four values; they are 2018 to 2021 (SOURCE.md).
    summary = {r["Kennzahl"]: r for r in _read_csv(SUMMARY_FILE, delimiter=";")}["Anzahl der Einwohner*innen"]
    for year, value in zip(range(2018, 2022), [v for k, v in summary.items() if k != "Kennzahl"]):
        rows.append(_published("einwohner", FLENSBURG_CITY_ID, year, _german_number(value)))

    source = "Stadt Flensburg, Sozialatlas 2022 (über OK Lab Flensburg, open-social-map)"
    indicators = pd.DataFrame([
        _indicator("einwohner", "Einwohner*innen", "Einwohner*innen", "bevoelkerung", "", "count", "none",
                   polarity="neutral", decimals=0, headline=True, sort=0, multiplier=1.0, source=source),
        _indicator("sgb2_anteil", "Anteil der Regelleistungsberechtigten nach SGB II", "SGB-II-Anteil", "existenz",
                   "%", "proportion", "none", headline=True, sort=1, source=source),
        _indicator("sgb2_anzahl", "Regelleistungsberechtigte nach SGB II", "SGB-II-Berechtigte", "existenz", "",
                   "count", "none", decimals=0, headline=True, sort=2, multiplier=1.0, source=source),
    ], columns=INDICATOR_COLUMNS)
    return Dataset(
        meta=DatasetMeta(name="Flensburg, Sozialatlas 2022", city="Flensburg", source=source, is_demo=False,
                         reference_year=2021, population_indicator="einwohner", licence="CC0-1.0 (Aufbereitung)"),
        levels=FLENSBURG_LEVELS,
        areas=areas,
        polygons=polygons,
        topics=TOPICS,
        indicators=indicators,
        values=pd.DataFrame(rows),
        institutions=EMPTY_INSTITUTIONS,
    )
