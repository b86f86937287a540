"""The mapping file: one YAML per city that says which files to read and how (docs/import.md describes it).

The top level names the dataset and holds one section per kind of file; each section is parsed by the reader
that uses it, so the keys a reader understands are defined in one place. Loaded as data only (``load_yaml``): a
mapping is data, never code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from sozialdash.ingest.report import Report

MAX_MAPPING_BYTES = 1_000_000
TOP_KEYS = {"name", "city", "source", "licence", "reference_year", "population_indicator", "levels", "areas",
            "catalogue", "values", "institutions", "threshold", "folder"}
REQUIRED = ("name", "city", "source", "reference_year", "population_indicator", "levels", "areas", "catalogue")


class _Loader(yaml.SafeLoader):
    """YAML 1.2's booleans and integers. YAML 1.1 reads on, off, yes, no, y and n as booleans (so
    ``coordinates_from: {on: [name]}`` lost its key) and 0100 as the octal 64: an id with a leading zero stays
    text here, as it is in the city's files."""


_REPLACED = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _REPLACED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"),
                              list("-+0123456789"))


def load_yaml(text: str):
    """YAML as data (``safe_load``: no objects, no code), with YAML 1.2's booleans."""
    return yaml.load(text, Loader=_Loader)


@dataclass(frozen=True)
class Mapping:
    path: Path
    base_dir: Path          # file names in the mapping are relative to this folder (``folder``, else the mapping's)
    raw: dict

    def get(self, key: str, default=None):
        return self.raw.get(key, default)


def load(path: Path, report: Report, folder: Path | None = None) -> Mapping | None:
    """The mapping at ``path``, or None with the reason in ``report``. The files it names are looked up in
    ``folder`` when given (an upload's folder), else in its own ``folder:`` relative to the mapping file, else
    next to it."""
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
        raw = load_yaml(path.read_text(encoding="utf-8-sig"))
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
    if not report.ok:
        return None
    base = Path(folder) if folder is not None else path.parent / str(raw.get("folder", "."))
    if not base.is_dir():
        report.error(name, f"Den Datenordner gibt es nicht: {base}",
                     fix="„folder:“ in der Zuordnung oder --daten beim Aufruf anpassen.")
        return None
    return Mapping(path, base.resolve(), raw)
