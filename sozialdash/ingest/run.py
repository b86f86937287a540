"""One import, from the mapping file to a new store: every section read into one report, the dataset checked as
the build checks it, and only then written. A dry run stops before writing; an import with errors writes
nothing, so the store the app reads stays byte for byte what it was."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sozialdash.analysis.suppress import DEFAULT_THRESHOLD
from sozialdash.build import build_store, validate
from sozialdash.dataset import INSTITUTION_COLUMNS, Dataset, DatasetMeta
from sozialdash.errors import DatasetError
from sozialdash.ingest import areas, catalogue, institutions, mapping, values
from sozialdash.ingest.report import Report

Progress = Callable[[float, str], None]
FIX = "Die Zuordnung oder die Dateien anpassen (docs/import.md)."


def _quiet(_fraction: float, _text: str) -> None:
    return None


@dataclass(frozen=True)
class Outcome:
    report: Report
    dataset: Dataset | None     # what was read, when it was complete
    build_id: str | None        # the new store's build, when one was written


def _listed(section) -> list[dict]:
    """A section may be one entry or a list of them."""
    if section is None:
        return []
    return section if isinstance(section, list) else [section]


def read(path: Path, report: Report, progress: Progress = _quiet, folder: Path | None = None
         ) -> tuple[Dataset | None, mapping.Mapping | None]:
    """The dataset the mapping at ``path`` describes (None when it has errors) and the mapping, its files looked
    up in ``folder`` if given; everything found is in ``report``."""
    found = mapping.load(path, report, folder)
    if found is None:
        return None, None
    where, base = found.path.name, found.base_dir
    progress(0.05, "Gebiete lesen")
    section = areas.parse_areas(found.get("areas"), found.get("levels") or [], report, where=where,
                                city=found.get("city"))
    levels, area_tree, polygons = areas.read_areas(section, base, report) if section else (None, None, None)
    progress(0.25, "Kennzahlenkatalog lesen")
    topics, indicators, relations, supply_targets = catalogue.parse_catalogue(found.get("catalogue"), base, report)
    if levels is None or not len(area_tree):
        return None, found
    progress(0.35, "Werte lesen")
    frames = []
    for number, entry in enumerate(_listed(found.get("values")), start=1):
        parsed = values.parse_values(entry, report, f"{where}, values Nr. {number}")
        if parsed is not None:
            frames.append(values.read_values(parsed, base, area_tree, indicators, report, levels=levels))
    value_rows = values.finish_values(frames, area_tree, indicators, report)
    progress(0.6, "Einrichtungen lesen")
    placed = [institutions.read_institutions(entry, base, polygons, area_tree, report)
              for entry in _listed(found.get("institutions"))]
    institution_rows = (pd.concat(placed, ignore_index=True) if placed
                        else pd.DataFrame({c: pd.Series(dtype=object) for c in INSTITUTION_COLUMNS}))
    if not report.ok:
        return None, found
    meta = DatasetMeta(name=str(found.get("name")), city=str(found.get("city")), source=str(found.get("source")),
                       is_demo=False, reference_year=int(found.get("reference_year")),
                       population_indicator=str(found.get("population_indicator")),
                       licence=found.get("licence"))
    dataset = Dataset(meta=meta, levels=levels, areas=area_tree, polygons=polygons, topics=topics,
                      indicators=indicators, values=value_rows, institutions=institution_rows, relations=relations,
                      supply_targets=_offered(supply_targets, institution_rows, where, report))
    try:
        validate(dataset)
    except DatasetError as error:
        report.error(where, str(error), fix=FIX)
        return None, found
    return dataset, found


def _offered(targets: pd.DataFrame, institution_rows: pd.DataFrame, where: str, report: Report) -> pd.DataFrame:
    """The catalogue's supply targets whose category some institution has as its main one; the others are named
    in a warning (the Versorgung view needs institutions to count)."""
    offered = {c[0] for c in institution_rows["categories"] if len(c)}
    unused = targets[~targets["category"].isin(offered)]
    if len(unused):
        report.warning(where, "Versorgungsziele ohne Einrichtungen dieser Kategorie bleiben außen vor: "
                       + ", ".join(map(str, unused["category"])))
    return targets[targets["category"].isin(offered)].reset_index(drop=True)


def run(path: Path, out: Path | None = None, dry_run: bool = False, progress: Progress = _quiet,
        folder: Path | None = None) -> Outcome:
    """Import the mapping at ``path`` into ``out`` (default: the configured store), its files from ``folder``
    if given. Nothing is written on a dry run or when the report has an error."""
    report = Report()
    dataset, found = read(path, report, progress, folder)
    if dataset is None or dry_run:
        return Outcome(report, dataset, None)
    try:
        build_id = build_store(dataset, out=out, threshold=int(found.get("threshold", DEFAULT_THRESHOLD)),
                               progress=lambda f, text: progress(0.7 + 0.3 * f, text))
    except DatasetError as error:
        report.error(found.path.name, str(error), fix=FIX)
        return Outcome(report, dataset, None)
    return Outcome(report, dataset, build_id)
