"""Write a dataset into a NEW DuckDB file and rename it into place, so a failed build changes nothing."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd

from sozialdash import config, coverage, fmt, geo
from sozialdash.analysis.publish import REASONS, Protection, publish
from sozialdash.analysis.quantities import check_relations, with_quantities
from sozialdash.analysis.suppress import DEFAULT_THRESHOLD
from sozialdash.culprits import FIRST, culprits
from sozialdash.errors import DatasetError
from sozialdash.store import SCHEMA_VERSION
from sozialdash.dataset import (
    AREA_COLUMNS, INDICATOR_COLUMNS, INSTITUTION_COLUMNS, LEVEL_COLUMNS, RELATION_COLUMNS, SUPPLY_TARGET_COLUMNS,
    TOPIC_COLUMNS, VALUE_COLUMNS, Dataset,
)

Progress = Callable[[float, str], None]


def _no_progress(_fraction: float, _text: str) -> None:
    return None


# What each value type can be (value = numerator / denominator * multiplier). Every type is non-negative: shares,
# rates per population, counts, and the ratios and means of non-negative quantities (age, income, living space,
# household size) in a Sozialbericht. A balance that can fall below zero (Wanderungssaldo) would need a value
# type of its own, with a diverging map ramp, and is refused rather than mapped as if it were a share.
# Which parts must be whole: people and cases are counted; a mean's numerator is a sum (EUR, m²) and a ratio's
# or a rate's denominator may be one (m², person-years).
_WHOLE = {"proportion": ("numerator", "denominator"), "rate": ("numerator",), "count": ("value", "numerator"),
          "ratio": (), "mean": ("denominator",)}


def _number(value: float) -> str:
    """A number as the file gave it (-9999, 100,5), so it can be searched for there; no thousands separator."""
    return f"{value:.15g}".replace(".", ",")


def _value_rows(rows: pd.DataFrame, column: str | None = None) -> str:
    """The first offending rows as 'indikator, Gebiet id, Jahr' (with the bad number) and how many there are."""
    head = rows.head(FIRST)
    named = [f"{row.indicator_id}, Gebiet {row.area_id}, {row.year}"
             + (f": {_number(getattr(row, column))}" if column else "") for row in head.itertuples()]
    return culprits(named, total=len(rows), separator="; ")


@dataclass(frozen=True)
class ValueProblem:
    """Rows of a values frame that break one rule: ``column`` holds the offending number (None: the pair of
    numerator and denominator). The build refuses the first; an import reports each with its file and cell."""

    message: str
    rows: pd.Series
    column: str | None = None


def value_problems(values: pd.DataFrame, indicators: pd.DataFrame) -> list[ValueProblem]:
    """Numbers no source can mean: a share above its whole, a negative count, half a person (often a missing
    marker such as -9999 read as a number)."""
    kind = values["indicator_id"].map(indicators.set_index("indicator_id")["value_type"])
    multiplier = values["indicator_id"].map(indicators.set_index("indicator_id")["multiplier"])
    proportions = kind == "proportion"
    problems = []
    too_big = proportions & (values["value"] > multiplier * (1 + 1e-9))
    if too_big.any():
        problems.append(ValueProblem(f"Anteile größer als das Ganze ({_number(multiplier[too_big].iloc[0])})",
                                     too_big, "value"))
    for column, label in [("value", "Negative Werte (fehlende Werte bitte leer lassen, nicht als -9999)"),
                          ("numerator", "Negative Zähler"), ("denominator", "Negative Nenner")]:
        negative = values[column] < 0
        if negative.any():
            problems.append(ValueProblem(label, negative, column))
    for column, label in [("value", "Anzahlen"), ("numerator", "Zähler"), ("denominator", "Nenner")]:
        counted = kind.map(lambda value_type: column in _WHOLE.get(value_type, ()))
        fraction = counted & values[column].notna() & (values[column] % 1 != 0)
        if fraction.any():
            problems.append(ValueProblem(f"{label} müssen ganze Zahlen sein", fraction, column))
    bad = proportions & (values["numerator"] > values["denominator"])
    if bad.any():
        problems.append(ValueProblem("Zähler größer als Nenner", bad))
    return problems


def _check_values(values: pd.DataFrame, indicators: pd.DataFrame) -> None:
    for problem in value_problems(values, indicators)[:1]:
        raise DatasetError(f"{problem.message}: {_value_rows(values[problem.rows], problem.column)}.")


def validate(dataset: Dataset) -> None:
    """Refuse what would make wrong statistics: a broken area tree, unknown keys, impossible numbers. Every
    refusal names the first few offenders and how many there are, so the file can be fixed at once."""
    for what, frame, columns in [
        ("Ebenen", dataset.levels, LEVEL_COLUMNS), ("Gebiete", dataset.areas, AREA_COLUMNS),
        ("Themen", dataset.topics, TOPIC_COLUMNS), ("Indikatoren", dataset.indicators, INDICATOR_COLUMNS),
        ("Werte", dataset.values, VALUE_COLUMNS), ("Einrichtungen", dataset.institutions, INSTITUTION_COLUMNS),
        ("Beziehungen", dataset.relations, RELATION_COLUMNS),
        ("Versorgungsziele", dataset.supply_targets, SUPPLY_TARGET_COLUMNS),
    ]:
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise DatasetError(f"{what}: Spalten fehlen: {', '.join(missing)}")
    areas = dataset.areas
    doubled = areas.loc[areas["area_id"].duplicated(), "area_id"].unique()
    if len(doubled):
        raise DatasetError(f"Gebiets-IDs doppelt: {culprits(sorted(doubled))}.")
    top = areas[areas["level"] == 0]
    if len(top) != 1:
        found = f"gefunden: {culprits(list(top['name']))}" if len(top) else "gefunden: keines"
        raise DatasetError(f"Es muss genau ein Gebiet auf der obersten Ebene (Gesamtstadt) geben; {found}.")
    level_of = areas.set_index("area_id")["level"]
    children = areas[areas["level"] > 0]
    parent_level = children["parent_id"].map(level_of)
    orphans = children[parent_level != children["level"] - 1]
    if len(orphans):
        named = [f"{row.name} ({row.area_id})" for row in orphans.head(FIRST).itertuples()]
        raise DatasetError(f"Gebiete ohne gültiges übergeordnetes Gebiet: {culprits(named, total=len(orphans))}.")
    undefined = areas[~areas["level"].isin(dataset.levels["level"])]
    if len(undefined):
        levels = culprits(sorted(undefined["level"].unique()))
        raise DatasetError(f"Gebiete verweisen auf eine Ebene, die nicht definiert ist ({levels}): "
                           f"{culprits(list(undefined['area_id']))}.")
    finest = areas.loc[areas["level"] == areas["level"].max(), "area_id"]
    childless = _without_finest_descendants(areas)
    if len(childless):
        raise DatasetError(f"Gebiete ohne Teilgebiete auf der feinsten Ebene: {culprits(list(childless['name']))}.")
    if set(finest) != set(dataset.polygons.index):
        without = sorted(set(finest) - set(dataset.polygons.index))
        unknown = sorted(set(dataset.polygons.index) - set(finest))
        problems = ([f"ohne Fläche: {culprits(without)}"] if without else []) + (
            [f"Flächen ohne Gebiet der feinsten Ebene: {culprits(unknown)}"] if unknown else [])
        raise DatasetError(f"Für jedes Gebiet der feinsten Ebene wird genau eine Fläche gebraucht; "
                           f"{'; '.join(problems)}.")
    shapeless = coverage.without_area(dataset.polygons)
    if len(shapeless):
        names = areas.set_index("area_id")["name"].reindex(shapeless)
        raise DatasetError(f"Gebiete ohne Fläche (Geometrie leer oder kein Polygon): {culprits(list(names))}.")
    unflagged = dataset.indicators.loc[~dataset.indicators["protect_complement"].isin([True, False]), "indicator_id"]
    if len(unflagged):
        raise DatasetError("Indikatoren ohne Angabe protect_complement (ja für Anteile an Personen, dann ist auch "
                           f"„65 von 66“ geheim; sonst nein): {culprits(list(unflagged))}.")
    check_relations(dataset.relations, dataset.indicators)
    values = dataset.values
    unknown = sorted(set(values["indicator_id"].unique()) - set(dataset.indicators["indicator_id"]))
    if unknown:
        raise DatasetError(f"Werte für unbekannte Indikatoren: {culprits(unknown)}.")
    unknown = sorted(set(values["area_id"].unique()) - set(areas["area_id"]))
    if unknown:
        raise DatasetError(f"Werte für unbekannte Gebiete: {culprits(unknown)}.")
    repeated = values[values.duplicated(["indicator_id", "area_id", "year"])]
    if len(repeated):
        raise DatasetError("Mehrere Werte für dasselbe Gebiet, denselben Indikator und dasselbe Jahr: "
                           f"{_value_rows(repeated)}.")
    aggregates = values["indicator_id"].map(dataset.indicators.set_index("indicator_id")["aggregation"]) != "none"
    above_finest = aggregates & ~values["area_id"].isin(finest)
    if above_finest.any():
        raise DatasetError("Werte dieser Indikatoren werden aus der feinsten Ebene berechnet; für gröbere Gebiete "
                           f"dürfen keine eigenen Werte geliefert werden: {_value_rows(values[above_finest])}.")
    _check_values(values, dataset.indicators)
    if dataset.meta.population_indicator not in set(dataset.indicators["indicator_id"]):
        raise DatasetError(f"Der Bevölkerungsindikator {dataset.meta.population_indicator} fehlt im "
                           "Indikatorenkatalog.")
    _check_supply_targets(dataset)


def _check_supply_targets(dataset: Dataset) -> None:
    """A pairing must name a category that institutions have as their main one (supply is counted by main
    category, so each institution and its places count once) and an indicator of the catalogue."""
    targets = dataset.supply_targets
    doubled = sorted(targets.loc[targets["category"].duplicated(), "category"].unique())
    if doubled:
        raise DatasetError(f"Versorgungsziele: Kategorien mehrfach genannt: {culprits(doubled)}.")
    unknown = sorted(set(targets["population_indicator"]) - set(dataset.indicators["indicator_id"]))
    if unknown:
        raise DatasetError(f"Versorgungsziele nennen unbekannte Indikatoren: {culprits(unknown)}.")
    main_categories = set(dataset.institutions["categories"].str[0].dropna())
    unused = sorted(set(targets["category"]) - main_categories)
    if unused:
        raise DatasetError("Versorgungsziele nennen Kategorien, die keine Einrichtung als Hauptkategorie hat: "
                           f"{culprits(unused)}.")
    unlabelled = sorted(targets.loc[targets["label"].fillna("").str.strip() == "", "category"])
    if unlabelled:
        raise DatasetError(f"Versorgungsziele ohne Bezeichnung der Zielgruppe: {culprits(unlabelled)}.")


def _without_finest_descendants(areas: pd.DataFrame) -> pd.DataFrame:
    """Coarser areas that no finest area lies in: they would have no geometry and no values."""
    parent_of = areas.set_index("area_id")["parent_id"]
    reached = set(areas.loc[areas["level"] == areas["level"].max(), "area_id"])
    frontier = reached
    while frontier:
        frontier = set(parent_of.reindex(list(frontier)).dropna()) - reached
        reached |= frontier
    return areas[~areas["area_id"].isin(reached)]


def _area_rows(dataset: Dataset, geometry: geo.LevelGeometry) -> pd.DataFrame:
    areas = dataset.areas.set_index("area_id")
    ids = areas.index
    return pd.DataFrame({
        "area_id": ids,
        "name": areas["name"].values,
        "level": areas["level"].astype(int).values,
        "parent_id": areas["parent_id"].where(areas["parent_id"].notna(), None).values,
        "area_km2": geometry.area_km2.reindex(ids).values,
        "label_lon": geometry.label_points.reindex(ids).x.values,
        "label_lat": geometry.label_points.reindex(ids).y.values,
        "display_wkb": geo.to_wkb(geometry.display.reindex(ids)),
        "full_wkb": geo.to_wkb(geometry.full.reindex(ids)),
    }).sort_values(["level", "area_id"])


def containing_areas(lon, lat, finest: gpd.GeoSeries) -> pd.Series:
    """The finest area (``finest``: polygons indexed by area_id) each point (EPSG:4326) lies in, NaN outside the
    city; a point on a shared border goes to the first area. The build and the institution import place points
    with this one rule, so the import's report says where the build will put each institution."""
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=geo.WGS84)
    polygons = gpd.GeoDataFrame({"area_id": finest.index}, geometry=finest.values, crs=finest.crs)
    joined = gpd.sjoin(points, polygons.to_crs(geo.WGS84), how="left", predicate="intersects")
    return joined.loc[~joined.index.duplicated(keep="first"), "area_id"].reset_index(drop=True)


def locate_institutions(institutions: pd.DataFrame, finest: gpd.GeoSeries) -> pd.DataFrame:
    """The finest area containing each institution; points outside the city are an error, not a guess."""
    institutions = institutions.reset_index(drop=True)
    area_ids = containing_areas(institutions["lon"], institutions["lat"], finest)
    outside = area_ids.isna()
    if outside.any():
        names = institutions.loc[outside[outside].index, "name"].head(5)
        raise DatasetError(f"{int(outside.sum())} Einrichtungen liegen außerhalb der Stadt, z. B. {', '.join(names)}.")
    return institutions[INSTITUTION_COLUMNS].assign(area_id=area_ids.values)


def _write(path: Path, tables: list[tuple[str, pd.DataFrame]]) -> None:
    """Insert in the given order: DuckDB checks foreign keys per statement, so parents must land first."""
    schema = (config.QUERIES_DIR / "schema.sql").read_text(encoding="utf-8")
    with duckdb.connect(str(path)) as con:
        con.execute(schema)
        for table, frame in tables:
            con.register("incoming", frame)
            columns = ", ".join(f'"{c}"' for c in frame.columns)  # from our own column lists, never from data
            con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
            con.unregister("incoming")
        con.execute("CHECKPOINT")


def report_rows(protection: Protection) -> pd.DataFrame:
    """The suppression's figures as (item, value) rows; the reasons stay in the store, never in a page."""
    items = {**{f"cells_{reason}": protection.hidden_per_reason[reason] for reason in REASONS},
             **{f"quantity_cells_{reason}": protection.quantity_cells_per_reason[reason] for reason in REASONS},
             "audit_targets": protection.targets,
             "audit_rounds": protection.rounds, "audit_programs": protection.programs,
             "audit_seconds": protection.audit_seconds}
    return pd.DataFrame({"item": list(items), "value": [float(v) for v in items.values()]})


REASON_WORDS = {"source": "von der Quelle geheim gehalten", "primary": "kleine Fallzahl", "complement": "kleines Komplement",
                "secondary": "sekundär", "audit": "nach Prüfung ergänzt"}
"""For the build report only: pages show one marker and never say why a cell is secret."""


def protection_report(path: Path) -> list[str]:
    """The build report's lines on suppression, read back from the store."""
    with duckdb.connect(str(path), read_only=True) as con:
        items = dict(con.execute("SELECT item, value FROM suppression_report").fetchall())
        threshold = con.execute("SELECT suppression_threshold FROM dataset").fetchone()[0]
    cells = {reason: int(items[f"cells_{reason}"]) for reason in REASONS}
    lines = [f"Geheim gehaltene Zellen: {fmt.number(sum(cells.values()))} ("
             + ", ".join(f"{REASON_WORDS[r]} {fmt.number(n)}" for r, n in cells.items()) + ")"]
    if not items["audit_targets"]:
        return lines + ["Prüfung: keine kleinen Werte"]
    return lines + [
        f"Prüfung: {fmt.number(items['audit_targets'])} kleine Werte nachgerechnet, jeder kann 0 oder "
        f"{threshold + 1} sein; {fmt.number(items['audit_rounds'])} Runden, {fmt.number(items['audit_programs'])} "
        f"Spielräume berechnet, {fmt.number(items['audit_seconds'], 1)} s"]


def build_store(dataset: Dataset, out: Path | None = None, threshold: int = DEFAULT_THRESHOLD,
                progress: Progress = _no_progress) -> str:
    """Build ``out`` (default: the configured store) from ``dataset``; returns the new build id.

    The file is written next to the target under a temporary name and renamed over it in one step, so readers
    see either the old build or the new one, never half of one.
    """
    out = Path(out) if out is not None else config.db_path()
    if threshold < 1:
        raise DatasetError("Die Geheimhaltungsschwelle muss mindestens 1 sein.")
    progress(0.05, "Daten prüfen")
    validate(dataset)
    progress(0.15, "Geometrien vereinfachen")
    geometry = geo.build_level_geometry(dataset.polygons, dataset.areas)
    progress(0.35, "Kennzahlen aggregieren, Intervalle und Geheimhaltung berechnen")
    publication = publish(dataset.values, dataset.areas, dataset.indicators, dataset.relations, threshold)
    progress(0.7, "Einrichtungen zuordnen")
    finest_ids = dataset.polygons.index
    institutions = locate_institutions(dataset.institutions, geometry.full.reindex(finest_ids))
    build_id = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    meta = dataset.meta
    areas = _area_rows(dataset, geometry)
    tables = [
        ("dataset", pd.DataFrame([{
            "schema_version": SCHEMA_VERSION, "name": meta.name, "city": meta.city, "build_id": build_id, "built_at": datetime.now(timezone.utc)
            .replace(tzinfo=None), "source": meta.source, "is_demo": meta.is_demo,
            "reference_year": meta.reference_year, "suppression_threshold": threshold, "licence": meta.licence,
            "population_indicator": meta.population_indicator, "geometry_note": geometry.simplification_note,
        }])),
        ("area_levels", dataset.levels),
        *[("areas", areas[areas["level"] == level]) for level in sorted(areas["level"].unique())],
        ("topics", dataset.topics),
        ("indicators", with_quantities(dataset.indicators)),
        ("supply_targets", dataset.supply_targets[SUPPLY_TARGET_COLUMNS].astype(str)),
        ("quantity_relations", dataset.relations[RELATION_COLUMNS].astype(str)),
        ("suppression_report", report_rows(publication.protection)),
        ("indicator_values", publication.rows),
        ("institutions", institutions.assign(
            age_min=institutions["age_min"].astype("Int64"), age_max=institutions["age_max"].astype("Int64"),
            capacity=institutions["capacity"].astype("Int64"),
        )),
    ]
    progress(0.8, "Datenbank schreiben")
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.{uuid.uuid4().hex}.tmp")
    try:
        _write(temporary, tables)
        os.replace(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.wal").unlink(missing_ok=True)
    progress(1.0, "Fertig")
    return build_id


def build_demo(out: Path | None = None, threshold: int = DEFAULT_THRESHOLD, progress: Progress = _no_progress) -> str:
    from sozialdash.demo import generate_demo

    progress(0.0, "Demodaten erzeugen")
    return build_store(generate_demo(), out, threshold=threshold, progress=progress)


