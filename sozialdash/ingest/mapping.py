"""The mapping file: one YAML per city that says which files to read and how (docs/import.md describes it).

The top level names the dataset and holds one section per kind of file; each section is parsed by the reader
that uses it, so the keys a reader understands are defined in one place. Loaded with ``yaml.safe_load`` only: a
mapping is data, never code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from sozialdash.ingest.report import Report

MAX_MAPPING_BYTES = 1_000_000
TOP_KEYS = {"name", "city", "source", "licence", "reference_year", "population_indicator", "levels", "areas",
            "catalogue", "values", "institutions", "supply_targets", "threshold"}
REQUIRED = ("name", "city", "source", "reference_year", "population_indicator", "levels", "areas", "catalogue")


@dataclass(frozen=True)
class Mapping:
    path: Path
    base_dir: Path          # file names in the mapping are relative to the mapping's folder
    raw: dict

    def get(self, key: str, default=None):
        return self.raw.get(key, default)


def load(path: Path, report: Report) -> Mapping | None:
    """The mapping at ``path``, or None with the reason in ``report``."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        report.error(name, "Die Zuordnungsdatei gibt es nicht.", fix=f"Pfad prüfen: {path}")
        return None
    if path.stat().st_size > MAX_MAPPING_BYTES:
        report.error(name, f"Die Zuordnungsdatei ist größer als {MAX_MAPPING_BYTES // 1000} kB.",
                     fix="Eine Zuordnung beschreibt Dateien, sie enthält keine Daten.")
        return None
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        report.error(name, "Die Zuordnungsdatei ist nicht UTF-8.", fix="Als UTF-8 speichern.")
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        report.error(name, f"Kein gültiges YAML: {getattr(error, 'problem', None) or error}",
                     row=mark.line + 1 if mark else None, fix="Einrückung und Doppelpunkte prüfen.")
        return None
    if not isinstance(raw, dict):
        report.error(name, "Die Zuordnung muss aus Schlüsseln bestehen (name: …, areas: …).")
        return None
    unknown = sorted(set(raw) - TOP_KEYS)
    if unknown:
        report.error(name, f"Unbekannte Schlüssel: {', '.join(map(str, unknown))}",
                     fix=f"Erlaubt sind: {', '.join(sorted(TOP_KEYS))}.")
    missing = [key for key in REQUIRED if key not in raw]
    if missing:
        report.error(name, f"Es fehlen: {', '.join(missing)}", fix="Siehe docs/import.md, Abschnitt „Kopf“.")
    if not isinstance(raw.get("reference_year", 0), int):
        report.error(name, "reference_year muss eine Jahreszahl sein.", value=str(raw.get("reference_year")))
    return Mapping(path, path.parent, raw) if report.ok else None
