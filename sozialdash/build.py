"""Write a dataset into a NEW DuckDB file and rename it into place, so a failed build changes nothing."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd

from sozialdash import config, geo
from sozialdash.analysis.publish import publish_values
from sozialdash.analysis.suppress import DEFAULT_THRESHOLD
from sozialdash.errors import DatasetError, culprits
from sozialdash.store import SCHEMA_VERSION
from sozialdash.dataset import (
    AREA_COLUMNS, INDICATOR_COLUMNS, INSTITUTION_COLUMNS, LEVEL_COLUMNS, TOPIC_COLUMNS, VALUE_COLUMNS, Dataset,
)

Progress = Callable[[float, str], None]


def _no_progress(_fraction: float, _text: str) -> None:
    return None


def validate(dataset: Dataset) -> None:
    """Refuse what would make wrong statistics: a broken area tree, unknown keys, impossible counts."""
    for what, frame, columns in [
        ("Ebenen", dataset.levels, LEVEL_COLUMNS), ("Gebiete", dataset.areas, AREA_COLUMNS),
        ("Themen", dataset.topics, TOPIC_COLUMNS), ("Indikatoren", dataset.indicators, INDICATOR_COLUMNS),
        ("Werte", dataset.values, VALUE_COLUMNS), ("Einrichtungen", dataset.institutions, INSTITUTION_COLUMNS),
    ]:
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise DatasetError(f"{what}: Spalten fehlen: {', '.join(missing)}")
    areas = dataset.areas
    if areas["area_id"].duplicated().any():
        raise DatasetError(f"Gebiets-IDs doppelt: {sorted(areas.loc[areas['area_id'].duplicated(), 'area_id'])[:5]}")
    top = areas[areas["level"] == 0]
    if len(top) != 1:
        raise DatasetError("Es muss genau ein Gebiet auf der obersten Ebene (Gesamtstadt) geben.")
    level_of = areas.set_index("area_id")["level"]
    children = areas[areas["level"] > 0]
    parent_level = children["parent_id"].map(level_of)
    orphans = children[parent_level != children["level"] - 1]
    if len(orphans):
        raise DatasetError(f"Gebiete ohne gültiges übergeordnetes Gebiet: {', '.join(orphans['name'].head(5))}")
    if set(areas["level"]) - set(dataset.levels["level"]):
        raise DatasetError("Gebiete verweisen auf eine Ebene, die nicht definiert ist.")
    finest = areas.loc[areas["level"] == areas["level"].max(), "area_id"]
    childless = _without_finest_descendants(areas)
    if len(childless):
        raise DatasetError(f"Gebiete ohne Teilgebiete auf der feinsten Ebene: {culprits(childless['name'])}")
    if set(finest) != set(dataset.polygons.index):
        raise DatasetError("Für jedes Gebiet der feinsten Ebene wird genau eine Fläche gebraucht.")
    shapeless = geo.without_area(dataset.polygons)
    if len(shapeless):
        names = areas.set_index("area_id")["name"].reindex(shapeless)
        raise DatasetError(f"Gebiete ohne Fläche (Geometrie leer oder kein Polygon): {culprits(names)}")
    values = dataset.values
    unknown = set(values["indicator_id"].unique()) - set(dataset.indicators["indicator_id"])
    if unknown:
        raise DatasetError(f"Werte für unbekannte Indikatoren: {', '.join(sorted(unknown)[:5])}")
    if not values["area_id"].isin(areas["area_id"]).all():
        raise DatasetError("Werte für unbekannte Gebiete.")
    if values.duplicated(["indicator_id", "area_id", "year"]).any():
        raise DatasetError("Mehrere Werte für dasselbe Gebiet, denselben Indikator und dasselbe Jahr.")
    aggregates = values["indicator_id"].map(dataset.indicators.set_index("indicator_id")["aggregation"]) != "none"
    above_finest = aggregates & ~values["area_id"].isin(finest)
    if above_finest.any():
        row = values[above_finest].iloc[0]
        raise DatasetError(f"Werte für {row['indicator_id']} werden aus der feinsten Ebene berechnet; "
                           f"für Gebiet {row['area_id']} dürfen keine eigenen Werte geliefert werden.")
    proportions = values["indicator_id"].map(dataset.indicators.set_index("indicator_id")["value_type"]) == "proportion"
    bad = proportions & (values["numerator"] > values["denominator"])
    if bad.any():
        row = values[bad].iloc[0]
        raise DatasetError(f"Zähler größer als Nenner: {row['indicator_id']}, Gebiet {row['area_id']}, {row['year']}.")
    if dataset.meta.population_indicator not in set(dataset.indicators["indicator_id"]):
        raise DatasetError("Der Bevölkerungsindikator fehlt im Indikatorenkatalog.")
    if (values[["numerator", "denominator"]] < 0).any().any():
        raise DatasetError("Negative Zähler oder Nenner.")


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


def locate_institutions(institutions: pd.DataFrame, finest: gpd.GeoSeries) -> pd.DataFrame:
    """The finest area containing each institution; points outside the city are an error, not a guess."""
    institutions = institutions.reset_index(drop=True)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(institutions["lon"], institutions["lat"]), crs=geo.WGS84)
    polygons = gpd.GeoDataFrame({"area_id": finest.index}, geometry=finest.values, crs=finest.crs)
    joined = gpd.sjoin(points, polygons, how="left", predicate="intersects")
    joined = joined[~joined.index.duplicated(keep="first")]
    outside = joined["area_id"].isna()
    if outside.any():
        names = institutions.loc[outside[outside].index, "name"].head(5)
        raise DatasetError(f"{int(outside.sum())} Einrichtungen liegen außerhalb der Stadt, z. B. {', '.join(names)}.")
    return institutions[INSTITUTION_COLUMNS].assign(area_id=joined["area_id"].values)


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
    published = publish_values(dataset.values, dataset.areas, dataset.indicators, threshold)
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
        ("indicators", dataset.indicators),
        ("indicator_values", published),
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


