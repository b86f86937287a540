"""A city's list of institutions (Kitas, Jugendzentren, Beratungsstellen) as the navigator needs them.

Lists come from a Jugendamt or a Landesdatenbank as CSV, XLSX or GeoJSON, with coordinates as lon/lat or as
projected x/y (EPSG:25832 and friends), or none at all and a second file that has them. The mapping names the
columns; the reader turns "X"/"Nein" into yes and no, "3-6 Jahre" into an age range, the city's words for a kind
of institution into the catalogue's categories, and places every point in the finest area by the build's own
rule, reporting where the file claims another area and which points lie outside the city (left out, a warning;
all of them outside is an error: the CRS is then wrong, not the city).

Mapping keys (section ``institutions``):

``file``                CSV or XLSX (read by ``ingest.tables``: ``sheet``, ``encoding``, ``delimiter`` and the other
                        ``tables.TABLE_KEYS``), or geodata with points (read by ``ingest.geofile``: GeoJSON,
                        GeoPackage with ``layer``, Shapefile, zipped Shapefile), relative to the mapping.
``lon``/``lat`` or ``x``/``y``   coordinate columns; a GeoJSON's point geometry is used when none are named.
``crs``                 the coordinates' CRS ("EPSG:25832"); default EPSG:4326 for lon/lat; x/y need it; for geodata
                        only where the file names none (a shapefile without .prj).
``coordinates_from``    {file, on, and the keys above}: coordinates from another file, joined by the ``on``
                        columns (a list of columns both files have, or {column here: column there}).
``id``                  the column with stable ids; without it ids are made from name and street.
``columns``             {field: column} for name, organisation, street, postal_code, city, phone, email, website,
                        opening_hours, capacity, description, last_checked, barrier_free, target_groups,
                        languages, age ("3-6 Jahre", "ab 65"), age_min, age_max.
``fixed``               {field: value} the same for every row (city: Flensburg, languages: [Deutsch]).
``category``            a fixed category ("Kita"), or {column, map: {word in the file: our category}, default}.
``age_groups``          {column: "0-3"}: the institution serves that range where the column says yes or a count > 0.
``area``                the column naming the area the file claims (id or name); checked against the point.
``list_separator``      between list items in one cell (default ",", ";" and "|" are understood too).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

from sozialdash.build import containing_areas
from sozialdash.catalogue import NOT_STATED
from sozialdash.culprits import culprits
from sozialdash.dataset import INSTITUTION_COLUMNS, no_rows
from sozialdash.ingest.geofile import READABLE, Source, known_crs, read_geofile
from sozialdash.ingest.report import ERROR, MAPPING, WARNING, Report, encoding_name, inside, unknown_keys
from sozialdash.ingest.tables import RENAMED, TABLE_KEYS, read_table, table_source, value_text
from sozialdash.ingest.words import NotABoolean, boolean, normalised, slug, text
from sozialdash.numbers import NotANumber, german_number

WGS84 = "EPSG:4326"
TEXT_FIELDS = ["name", "organisation", "street", "postal_code", "city", "phone", "email", "website", "opening_hours",
               "description"]
LIST_FIELDS = ["target_groups", "languages"]
FIELDS = [*TEXT_FIELDS, *LIST_FIELDS, "capacity", "last_checked", "barrier_free", "age", "age_min", "age_max"]
GEODATA = (*READABLE, ".zip")
SECTION_KEYS = (*TABLE_KEYS, "layer", "lon", "lat", "x", "y", "crs", "coordinates_from", "id", "columns", "fixed",
                "category", "age_groups", "area", "list_separator")
_LIST_SPLIT = re.compile(r"\s*[,;|]\s*")


class NotAnAge(ValueError):
    """The text is no age range anybody writes."""


_AGE_NUMBER = r"(\d+(?:[.,]\d+)?)\s*(jahr\w*|j\b|monat\w*|mon\b|woche\w*)?"


def _years(number: str, unit: str | None) -> int:
    """Whole years (an age in months or weeks, as Kita lists give it, rounded down)."""
    value = float(number.replace(",", "."))
    if unit and unit.startswith("mon"):
        value /= 12
    elif unit and unit.startswith("woche"):
        value /= 52
    return int(value)


def age_range(said: object) -> tuple[int | None, int | None]:
    """(lowest, highest age served) from "3-6 Jahre", "3 bis 6", "ab 65", "unter 3", "bis 10", "8 Wochen bis 6
    Jahre", "alle"; a missing bound is open (None). Raises ``NotAnAge`` for anything else."""
    written, said = str(said), str(said).strip().casefold().replace("–", "-").replace("—", "-")
    if said in ("", "alle", "alle altersgruppen", "jedes alter", "ohne altersbegrenzung"):
        return None, None
    numbers = [_years(n, u) for n, u in re.findall(_AGE_NUMBER, said)]
    words = re.sub(_AGE_NUMBER, "#", said).replace(" ", "")
    if len(numbers) == 2 and words in ("#-#", "#bis#", "von#bis#", "#bisunter#", "von#bisunter#", "#-#."):
        return numbers[0], numbers[1]
    if len(numbers) == 1:
        if words in ("ab#", "#+", "über#", "#undälter", "#undmehr", "ab#.", "#plus"):
            return numbers[0], None
        if words in ("bis#", "unter#", "bisunter#", "bis#."):
            return None, numbers[0]
        if words == "#":
            return numbers[0], numbers[0]
    raise NotAnAge(written)


def _row(table: pd.DataFrame, i: int) -> int:
    """Where row ``i`` (from 0) is for the person fixing the file: a table's line as the spreadsheet numbers it,
    a geodata file's feature number (from 1)."""
    return int(table.index[i])


class _Reader:
    """One institution file and the findings on it."""

    def __init__(self, section: dict, base_dir: Path, report: Report):
        self.section, self.base_dir, self.report = section, base_dir, report
        self.file = str(section.get("file", ""))

    def rows(self, options: dict) -> tuple[pd.DataFrame, gpd.GeoSeries | None] | None:
        """The file as text cells indexed by ``_row``'s numbers (and its geometry in WGS84, for geodata), or None
        after an error."""
        file = str(options.get("file", ""))
        if not file:
            self.report.error(MAPPING, "Für die Einrichtungen ist keine Datei angegeben (file)")
            return None
        path = inside(self.base_dir, file, self.report)
        if path is None:
            return None
        if path.suffix.lower() not in GEODATA:
            source = table_source(options, self.report, MAPPING)
            table = None if source is None else read_table(path, source, self.report)
            return None if table is None else (table, None)
        errors = len(self.report.errors)
        crs, encoding = options.get("crs"), options.get("encoding")
        if crs is not None:
            known_crs(str(crs), self.report, MAPPING)
        if encoding is not None:
            encoding = encoding_name(encoding, self.report, MAPPING)
        if len(self.report.errors) > errors:
            return None
        frame = read_geofile(path, Source(file, layer=options.get("layer"), crs=None if crs is None else str(crs),
                                          encoding=encoding), None, self.report)
        if frame is None:
            return None
        frame.index = pd.RangeIndex(1, len(frame) + 1)
        return pd.DataFrame(frame.drop(columns=frame.geometry.name)).map(value_text), frame.geometry

    def check_columns(self, file: str, table: pd.DataFrame, wanted: dict[str, str]) -> bool:
        """Every column the mapping names is in the file; else one error listing the file's columns."""
        absent = {key: column for key, column in wanted.items() if column not in table.columns}
        if absent:
            named = [f"„{column}“ (für {key})" for key, column in absent.items()]
            self.report.error(file, f"Spalten nicht in der Datei: {culprits(named)}",
                              fix=f"Die Datei hat die Spalten: {', '.join(table.columns)}.")
        return not absent


def _wanted_columns(section: dict) -> dict[str, str]:
    """What the mapping calls each column it uses, keyed by what it is used for."""
    wanted = {f: str(c) for f, c in (section.get("columns") or {}).items()}
    for key in ("id", "area", "lon", "lat", "x", "y"):
        if section.get(key):
            wanted[key] = str(section[key])
    category = section.get("category")
    if isinstance(category, dict) and category.get("column"):
        wanted["category"] = str(category["column"])
    for column in section.get("age_groups") or {}:
        wanted[f"age_groups: {column}"] = str(column)
    return wanted


def _coordinates(reader: _Reader, options: dict, table: pd.DataFrame, geometry: gpd.GeoSeries | None
                 ) -> tuple[np.ndarray, np.ndarray] | None:
    """lon and lat (EPSG:4326) per row, NaN where a row has none; None after an error."""
    file = str(options.get("file"))
    pair = ("lon", "lat") if options.get("lon") else ("x", "y") if options.get("x") else None
    if pair is None and geometry is None:
        reader.report.error(file, "Die Datei hat keine Koordinaten und die Zuordnung nennt keine",
                            fix="lon/lat oder x/y (mit crs) angeben, oder coordinates_from mit einer Datei, die sie "
                            "hat.")
        return None
    crs_said = options.get("crs")
    if pair is None:
        crs_said = WGS84  # geodata come in WGS84
        kinds = geometry.geom_type.fillna("")
        odd = kinds[(kinds != "Point") & (kinds != "")]
        reader.report.many(ERROR, file, "Keine Punktgeometrie", list(odd.items()),
                           fix="Einrichtungen als Punkte exportieren.")
        if len(odd):
            return None
        points = [p if p is not None and not p.is_empty else None for p in geometry.where(kinds == "Point")]
        xs = np.array([np.nan if p is None else p.x for p in points], dtype=float)
        ys = np.array([np.nan if p is None else p.y for p in points], dtype=float)
    else:
        if pair == ("x", "y") and not crs_said:
            reader.report.error(file, "Für x/y-Koordinaten muss die Zuordnung das Koordinatensystem nennen",
                                fix="z. B. crs: EPSG:25832 (ETRS89 / UTM 32N).")
            return None
        xs, ys = (_numbers(reader, file, table, str(options[key]), key) for key in pair)
        if xs is None or ys is None:
            return None
    crs = known_crs(str(crs_said or WGS84), reader.report, MAPPING)
    if crs is None:
        return None
    lon, lat = Transformer.from_crs(crs, WGS84, always_xy=True).transform(xs, ys)
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def _numbers(reader: _Reader, file: str, table: pd.DataFrame, column: str, key: str) -> np.ndarray | None:
    """A coordinate column as numbers; a point is always a decimal point here ("54.792" is no thousands)."""
    values, bad = np.full(len(table), np.nan), []
    for i, cell in enumerate(table[column]):
        try:
            number = german_number(cell, grouping=False)
        except NotANumber:
            bad.append((_row(table, i), cell))
            continue
        if number is not None:
            values[i] = number
    reader.report.many(ERROR, file, f"Koordinaten ({key}) nicht lesbar", bad, column=column,
                       fix="Zahlen wie 9,4299 oder 9.4299 (Grad) bzw. 527345,2 (Meter) eintragen.")
    return None if bad else values


def _joined_coordinates(reader: _Reader, table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray] | None:
    """Coordinates from ``coordinates_from``: another file, rows matched by the ``on`` columns (normalised)."""
    other = dict(reader.section["coordinates_from"])
    file = str(other.get("file", ""))
    on = other.get("on") or []
    pairs = dict(on) if isinstance(on, dict) else {str(c): str(c) for c in on}
    if not pairs:
        reader.report.error(MAPPING, "coordinates_from braucht on: die Spalten, über die die Zeilen "
                            "zusammengehören", fix="z. B. on: [facility, address].")
        return None
    read = reader.rows(other)
    if read is None:
        return None
    there, geometry = read
    if not (reader.check_columns(reader.file, table, {f"on: {c}": c for c in pairs})
            and reader.check_columns(file, there, {f"on: {c}": c for c in pairs.values()})):
        return None
    found = _coordinates(reader, other, there, geometry)
    if found is None:
        return None
    key_there = there[list(pairs.values())].map(normalised).agg("|".join, axis=1)
    doubled = key_there[key_there.duplicated(keep=False)]
    reader.report.many(WARNING, file, "Mehrdeutige Zuordnung der Koordinaten (Schlüssel mehrfach), erste verwendet",
                       list(doubled.items()))
    position = pd.Series(np.arange(len(there)), index=key_there.values)
    position = position[~position.index.duplicated()]
    key_here = table[list(pairs)].map(normalised).agg("|".join, axis=1)
    matched = key_here.map(position)
    unmatched = matched[matched.isna()]
    reader.report.many(WARNING, reader.file, f"Keine Koordinaten in {file} gefunden, Einrichtung nicht aufgenommen",
                       [(i, table.loc[i, list(pairs)].str.cat(sep=", ")) for i in unmatched.index],
                       fix=f"Schreibweise in beiden Dateien angleichen (verglichen: {', '.join(pairs)}).")
    index = matched.fillna(-1).astype(int).to_numpy()
    lon, lat = (np.where(index >= 0, values[np.maximum(index, 0)], np.nan) for values in found)
    return lon, lat


def _categories(reader: _Reader, table: pd.DataFrame, separator: re.Pattern) -> list[list[str]] | None:
    """Each row's categories in the catalogue's words, main one first; rows without one are [] (left out)."""
    given = reader.section.get("category")
    if given is None:
        reader.report.error(MAPPING, "Für die Einrichtungen fehlt die Kategorie",
                            fix="category: Kita (für alle) oder category: {column: Art, map: {...}} angeben.")
        return None
    if not isinstance(given, dict):
        return [[str(given)] for _ in range(len(table))]
    if not given.get("column"):
        reader.report.error(MAPPING, "category: braucht column: (die Spalte mit der Art der Einrichtung)",
                            fix="z. B. category: {column: Art, map: {Kindertagesstätte: Kita}}.")
        return None
    words = {str(k): str(v) for k, v in (given.get("map") or {}).items()}
    by_key = {normalised(k): v for k, v in words.items()}
    default = text(given.get("default"))
    unknown: dict[str, int] = {}
    found = []
    for cell in table[str(given["column"])]:
        row = []
        for word in [w for w in separator.split(cell) if w] if cell else []:
            mapped = words.get(word) or by_key.get(normalised(word))
            if mapped is None and words:
                unknown[word] = unknown.get(word, 0) + 1
            row.append(mapped or word)
        found.append(list(dict.fromkeys(row)) or ([default] if default else []))
    if unknown:
        named = [f"„{w}“ ({n}×)" for w, n in sorted(unknown.items(), key=lambda item: -item[1])]
        reader.report.warning(reader.file, f"Kategorien nicht in der Zuordnung, unverändert übernommen: "
                              f"{culprits(named)}", column=str(given["column"]),
                              fix="Unter category: map: ergänzen, welcher Kategorie des Katalogs sie entsprechen.")
    return found


def _ages(reader: _Reader, table: pd.DataFrame, columns: dict[str, str]) -> tuple[list, list]:
    """(age_min, age_max) per row from an age text, two number columns or the age_groups columns."""
    low, high = [None] * len(table), [None] * len(table)
    bad: list[tuple[int, str]] = []
    if "age" in columns:
        for i, cell in enumerate(table[columns["age"]]):
            try:
                low[i], high[i] = age_range(cell)
            except NotAnAge:
                bad.append((_row(table, i), cell))
    for key, target in (("age_min", low), ("age_max", high)):
        if key in columns:
            for i, cell in enumerate(table[columns[key]]):
                try:
                    number = german_number(cell)
                except NotANumber:
                    bad.append((_row(table, i), cell))
                    continue
                target[i] = None if number is None else int(number)
    groups = {}
    for column, said in (reader.section.get("age_groups") or {}).items():
        try:
            groups[str(column)] = age_range(said)
        except NotAnAge:
            reader.report.error(MAPPING, f"age_groups: Altersangabe für „{column}“ nicht lesbar", value=str(said),
                                fix="z. B. „0-3“, „3-6“, „ab 6“.")
    for i in range(len(table)):
        served = [r for c, r in groups.items() if _yes(table[c].iat[i])]
        if served:
            lows, highs = [r[0] or 0 for r in served], [r[1] for r in served]
            low[i], high[i] = min(lows), None if None in highs else max(highs)
    reader.report.many(WARNING, reader.file, "Altersangabe nicht lesbar, ohne Alter übernommen", bad,
                       column=columns.get("age"), fix="z. B. „3-6 Jahre“, „ab 65“, „unter 3“.")
    return low, high


def _yes(cell: str) -> bool:
    """A column that says an age group is served: yes, or a count of its groups above zero."""
    try:
        return bool(boolean(cell))
    except NotABoolean:
        try:
            return (german_number(cell) or 0) > 0
        except NotANumber:
            return False


def _date(said: str) -> date | None:
    """A date as German lists write it (15.01.2025) or as software exports it (2025-01-15)."""
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return datetime.strptime(said, pattern).date()
        except ValueError:
            continue
    raise ValueError(said)


def _fields(reader: _Reader, table: pd.DataFrame, columns: dict[str, str], separator: re.Pattern) -> dict:
    """Every INSTITUTION_COLUMNS field but ids, categories and coordinates, one list entry per row."""
    fixed = reader.section.get("fixed") or {}
    n = len(table)

    def cells(field: str) -> list[str]:
        if field in columns:
            return list(table[columns[field]])
        value = fixed.get(field)
        return [", ".join(map(str, value)) if isinstance(value, list) else text(value)] * n

    out: dict[str, list] = {field: cells(field) for field in TEXT_FIELDS}
    out["organisation"] = [o or NOT_STATED for o in out["organisation"]]
    for field in ("street", "postal_code", "city", "phone", "email", "website", "opening_hours", "description"):
        out[field] = [v or None for v in out[field]]
    for field in LIST_FIELDS:
        out[field] = [[w for w in separator.split(c) if w] if c else [] for c in cells(field)]
    for field, parse, label in [("capacity", lambda c: _whole(c), "Plätze als ganze Zahl"),
                                ("barrier_free", boolean, "ja oder nein (X, ja, nein, 1, 0)"),
                                ("last_checked", lambda c: _date(c) if c else None, "ein Datum wie 15.01.2025")]:
        values, bad = [], []
        for i, cell in enumerate(cells(field)):
            try:
                values.append(parse(cell))
            except ValueError:
                values.append(None)
                bad.append((_row(table, i), cell))
        reader.report.many(WARNING, reader.file, f"Nicht lesbar (erwartet: {label}), leer übernommen", bad,
                           column=columns.get(field, field))
        out[field] = values
    out["age_min"], out["age_max"] = _ages(reader, table, columns)
    return out


def _whole(cell: str) -> int | None:
    number = german_number(cell)
    if number is not None and (number < 0 or number % 1):
        raise ValueError(cell)
    return None if number is None else int(number)


def _ids(reader: _Reader, table: pd.DataFrame, names: list[str], streets: list) -> tuple[list[str], np.ndarray]:
    """Ids and which rows to keep: the file's ids (doubled or empty ones are errors), else made from name and
    street, so next year's list gives the same institution the same id; a row made twice is kept once."""
    column = reader.section.get("id")
    keep = np.ones(len(table), dtype=bool)
    if column:
        ids = list(table[str(column)])
        empty = [(_row(table, i), None) for i, v in enumerate(ids) if not v]
        reader.report.many(ERROR, reader.file, "Einrichtung ohne ID", empty, column=str(column))
        seen: dict[str, int] = {}
        doubled = []
        for i, value in enumerate(ids):
            if value in seen and value:
                doubled.append((_row(table, i), f"{value}, wie Zeile {seen[value]}"))
            seen.setdefault(value, _row(table, i))
        reader.report.many(ERROR, reader.file, "ID doppelt", doubled, column=str(column),
                           fix="Jeder Einrichtung eine eigene ID geben (oder id: weglassen, dann werden IDs aus "
                           "Name und Adresse gebildet).")
        return ids, keep
    ids = [slug(name, street or "") or f"zeile-{i + 1}" for i, (name, street) in enumerate(zip(names, streets))]
    first: dict[str, int] = {}
    doubled = []
    for i, value in enumerate(ids):
        if value in first:
            keep[i] = False
            doubled.append((_row(table, i), f"{names[i]}, wie Zeile {first[value]}"))
        first.setdefault(value, _row(table, i))
    reader.report.many(WARNING, reader.file, "Gleicher Name und gleiche Adresse mehrfach, nur die erste Zeile "
                       "übernommen", doubled, fix="Doppelte Zeilen löschen oder eine ID-Spalte angeben (id:).")
    return ids, keep


def _claims(reader: _Reader, table: pd.DataFrame, area_ids: pd.Series, areas: pd.DataFrame, names: list[str],
            rows: np.ndarray) -> None:
    """Where the file names another area than the point lies in (the claim may name a coarser area)."""
    column = str(reader.section["area"])
    by_id = set(areas["area_id"].astype(str))
    by_name = {normalised(n): a for a, n in zip(areas["area_id"].astype(str), areas["name"])}
    indexed = areas.set_index(areas["area_id"].astype(str))
    parent, name_of, level_of = indexed["parent_id"], indexed["name"], indexed["level"]
    unknown: dict[str, int] = {}
    differ = []
    for i, area_id in zip(rows, area_ids):
        said = table[column].iat[i]
        if not said:
            continue
        claimed = said if said in by_id else by_name.get(normalised(said))
        if claimed is None:
            unknown[said] = unknown.get(said, 0) + 1
            continue
        around, here = [], area_id
        while isinstance(here, str):
            around.append(here)
            here = parent.get(here)
        if claimed not in around:
            same_level = next((a for a in around if level_of.get(a) == level_of[claimed]), area_id)
            lies_in = name_of.get(same_level, same_level) + (
                f" ({name_of.get(area_id, area_id)})" if same_level != area_id else "")
            differ.append((_row(table, i), f"{names[i]}: laut Datei {said}, liegt in {lies_in}"))
    if unknown:
        reader.report.warning(reader.file, f"Gebiete unbekannt: {culprits([f'„{w}“ ({n}×)' for w, n in unknown.items()])}",
                              column=column, fix="Name oder ID eines Gebiets aus der Gebietsdatei verwenden.")
    reader.report.many(WARNING, reader.file, "Die Datei nennt ein anderes Gebiet, als der Punkt liegt; "
                       "zugeordnet wird nach dem Punkt", differ, column=column,
                       fix="Koordinaten oder Gebietsangabe in der Quelle prüfen.")


def read_institutions(section: dict, base_dir: Path, polygons: gpd.GeoSeries, areas: pd.DataFrame, report: Report
                      ) -> pd.DataFrame:
    """The institutions inside the city (``INSTITUTION_COLUMNS``, coordinates in EPSG:4326) from the mapping's
    ``institutions`` section; ``polygons`` are the finest areas indexed by area_id and ``areas`` the area tree
    (for the claimed areas). What cannot be read is in ``report``; after an error the frame may be empty."""
    empty = no_rows(INSTITUTION_COLUMNS)
    if unknown_keys({k: v for k, v in section.items() if k not in RENAMED}, SECTION_KEYS,
                    "im Abschnitt institutions", report, MAPPING):
        return empty
    reader = _Reader(section, Path(base_dir), report)
    read = reader.rows(section)
    if read is None:
        return empty
    table, geometry = read
    columns = {f: str(c) for f, c in (section.get("columns") or {}).items()}
    odd = sorted(set(columns) - set(FIELDS))
    if odd:
        report.error(MAPPING, f"Unbekannte Felder unter columns: {culprits(odd)}",
                     fix=f"Bekannt sind: {', '.join(FIELDS)}.")
        return empty
    if "name" not in columns:
        report.error(MAPPING, "Unter columns fehlt name: die Spalte mit dem Namen der Einrichtung",
                     fix=f"Die Datei hat die Spalten: {', '.join(table.columns)}.")
        return empty
    if not reader.check_columns(reader.file, table, _wanted_columns(section)):
        return empty
    separator = re.compile(rf"\s*{re.escape(section['list_separator'])}\s*") if section.get("list_separator") \
        else _LIST_SPLIT
    if section.get("coordinates_from"):
        located = _joined_coordinates(reader, table)
    else:
        located = _coordinates(reader, section, table, geometry)
    categories = _categories(reader, table, separator)
    if located is None or categories is None:
        return empty
    lon, lat = located
    fields = _fields(reader, table, columns, separator)
    names = fields["name"]
    nameless = [(_row(table, i), None) for i, n in enumerate(names) if not n]
    report.many(ERROR, reader.file, "Einrichtung ohne Namen", nameless, column=columns["name"])
    ids, keep = _ids(reader, table, names, fields["street"])
    without = [(_row(table, i), names[i]) for i in range(len(table)) if np.isnan(lon[i]) or np.isnan(lat[i])]
    if not section.get("coordinates_from"):
        report.many(WARNING, reader.file, "Ohne Koordinaten, nicht aufgenommen", without)
    uncategorised = [(_row(table, i), names[i]) for i, c in enumerate(categories) if not c]
    report.many(WARNING, reader.file, "Ohne Kategorie, nicht aufgenommen", uncategorised,
                column=str(section["category"].get("column")) if isinstance(section["category"], dict) else None,
                fix="Kategorie in der Datei ergänzen oder category: default: angeben.")
    keep &= ~(np.isnan(lon) | np.isnan(lat)) & np.array([bool(c) for c in categories])
    rows = np.flatnonzero(keep)
    if not len(rows):
        return empty
    placed = _place(reader, lon[rows], lat[rows], polygons)
    if placed is None:
        return empty
    outside = placed.isna().to_numpy()
    report.many(WARNING, reader.file, "Außerhalb der Stadt, nicht aufgenommen",
                [(_row(table, i), names[i]) for i in rows[outside]], fix="Koordinaten in der Quelle prüfen.")
    inside = rows[~outside]
    if section.get("area"):
        _claims(reader, table, placed[~outside], areas, names, inside)
    given = {**fields, "institution_id": ids, "categories": categories}
    frame = pd.DataFrame({field: pd.Series([given[field][i] for i in inside], dtype=object)  # None stays None
                          for field in INSTITUTION_COLUMNS if field in given})
    frame["lon"], frame["lat"] = np.round(lon[inside], 6), np.round(lat[inside], 6)
    return frame[INSTITUTION_COLUMNS].reset_index(drop=True)


def _place(reader: _Reader, lon: np.ndarray, lat: np.ndarray, polygons: gpd.GeoSeries) -> pd.Series | None:
    """The finest area of each point by the build's rule (NaN outside); None after the error that none lies in the
    city, which means a wrong CRS (or swapped coordinates), not a list of institutions elsewhere."""
    placed = containing_areas(lon, lat, polygons)
    if placed.notna().any():
        return placed
    reader.report.error(reader.file, f"Keine der {len(placed)} Einrichtungen liegt in der Stadt: das "
                        f"Koordinatensystem ({crs_of(reader.section)}) ist vermutlich falsch"
                        + _swapped(lon, lat, polygons),
                        fix="crs: in der Zuordnung prüfen (z. B. EPSG:25832 für UTM-Meter, EPSG:4326 für Grad).")
    return None


def crs_of(section: dict) -> str:
    """The CRS the coordinates are read in, as the mapping (or, failing it, the default) names it."""
    where = section.get("coordinates_from") or section
    return str(where.get("crs") or ("die der Datei" if str(where.get("file", "")).lower().endswith(GEODATA)
                                    else WGS84))


def _swapped(lon: np.ndarray, lat: np.ndarray, polygons: gpd.GeoSeries) -> str:
    """A hint when degrees would lie in the city with longitude and latitude exchanged."""
    if not (np.all(np.abs(lon) <= 90) and np.all(np.abs(lat) <= 180)):
        return ""
    return "; mit vertauschten Koordinaten lägen sie in der Stadt (lon und lat vertauscht?)" \
        if containing_areas(lat, lon, polygons).notna().any() else ""
