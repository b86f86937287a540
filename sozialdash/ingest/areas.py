"""A city's areas from its own geodata files: one file per level below the city, each level linked to the one
above by a parent column, by an id prefix, or by where its polygons lie.

What comes out is what ``Dataset`` takes: the levels (0 = the city), the area tree with the city on top, and the
finest level's polygons in WGS84 as the file has them. Repairing them is the build's job (``coverage``), so this
module only says, per area, what the build will repair, and reports the finest level's overlaps and gaps with
their size; coarser levels' polygons serve only to link by containment and to check the links, because the build
derives every coarser outline from the finest one.

Ids are text exactly as the file writes them ("0100" stays "0100"). A file that stores ids as numbers has lost
leading zeros already; the ids are then the numbers as text ("100"), and a note says so. Names are kept as the
city writes them ("01 Altstadt"): the number is part of the name in the city's own tables and reports, it sorts
the areas as the city does, and joining tables by a name without its number is the join's business, not the
name's. Rows in the report are the features' numbers in the file, the first being 1.

The mapping's ``areas`` section (``levels`` are the mapping's, coarse to fine, below the city)::

    areas:
      city: {id: "STGM01001000", name: Flensburg}   # optional: else id "0" and the mapping's city name
      files:                                        # one per level, in any order
        - {file: stadtteile.geojson, level: stadtteil, id: AREA_ID, name: AREA_NAME}
        - {file: bezirke.zip, level: bezirk, id: AREA_ID, name: AREA_NAME,
           parent: {column: PARENT_ARE}}            # or {prefix: 4}, or {contained: true}
    # per file, optional: layer (GeoPackage layer, or the shapefile's name in a ZIP with several),
    # crs (only for a file without one, e.g. a shapefile without .prj), encoding (a DBF without .cpg),
    # grouped: true (a coarser level read from a finer level's file: its distinct ids and names, no polygons)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from sozialdash import fmt, geo
from sozialdash.coverage import POLYGONAL, make_polygonal, square_metres
from sozialdash.culprits import culprits
from sozialdash.dataset import AREA_COLUMNS, LEVEL_COLUMNS, no_rows
from sozialdash.ingest.geofile import Source, known_crs, read_geofile
from sozialdash.ingest.report import ERROR, MAPPING, NOTE, WARNING, Report, encoding_name, inside, unknown_keys

CITY_KEY, CITY_LABEL = "stadt", "Stadt"
DEFAULT_CITY_ID = "0"
CONTAINED_SHARE = 0.5   # an area belongs to the coarser area that holds at least half of it
NESTED_SHARE = 0.95     # ... and a note says so when a twentieth or more lies outside
MISREAD = "[\x80-\x9f]|Ã[\x80-\xbf]"  # cp1252 read as Latin-1 (control characters), UTF-8 read as Latin-1 ("Ã¼")
MIN_M2 = 0.01           # overlaps and gaps below 100 cm² are rounding, not digitising errors

SECTION_KEYS = ("city", "files")
CITY_KEYS = ("id", "name")
LEVEL_KEYS = ("key", "label", "label_plural")
FILE_KEYS = ("file", "level", "id", "name", "parent", "crs", "layer", "encoding", "grouped")
REQUIRED_FILE_KEYS = ("file", "level", "id", "name")
PARENT_KEYS = ("column", "prefix", "contained")


@dataclass(frozen=True)
class Link:
    """How a level finds its parents: exactly one of the three is set."""

    column: str | None = None
    prefix: int | None = None
    contained: bool = False


@dataclass(frozen=True)
class AreaFile:
    """One level's file. ``grouped``: the file has a row per finer area (Berlin's Planungsräume naming their
    Bezirk), and this level's areas are its distinct ids and names, without polygons."""

    source: Source
    level: int
    key: str
    label_plural: str    # the level's name in messages
    id: str
    name: str
    parent: Link | None  # None on the coarsest level, whose parent is the city
    grouped: bool = False


@dataclass(frozen=True)
class AreasSection:
    levels: pd.DataFrame  # LEVEL_COLUMNS, the city's level 0 included
    files: tuple[AreaFile, ...]  # one per level, coarse to fine
    city_id: str
    city_name: str


# --- the mapping ----------------------------------------------------------------------------------------------

def _text(entry: dict, key: str, where: str, path: str, report: Report, required: bool = True) -> str | None:
    value = entry.get(key)
    if value is None:
        if required:
            report.error(where, f"{path}: „{key}“ fehlt.")
        return None
    if not isinstance(value, str) or not value.strip():
        hint = " (IDs in Anführungszeichen schreiben: „0100“, sonst liest YAML eine Zahl)" if key == "id" else ""
        report.error(where, f"{path}: „{key}“ muss ein Text sein{hint}.", value=str(value))
        return None
    return value.strip()


def _levels(levels: list[dict], where: str, report: Report) -> pd.DataFrame | None:
    if not isinstance(levels, list) or not levels or not all(isinstance(x, dict) for x in levels):
        report.error(where, "levels: die Ebenen unterhalb der Stadt fehlen, von grob nach fein, z. B. "
                     "- {key: stadtteil, label: Stadtteil, label_plural: Stadtteile}.")
        return None
    rows = [(0, CITY_KEY, CITY_LABEL, CITY_LABEL)]
    for number, entry in enumerate(levels, start=1):
        path = f"levels[{number}]"
        unknown_keys(entry, LEVEL_KEYS, f"in {path}", report, where)
        key, label = _text(entry, "key", where, path, report), _text(entry, "label", where, path, report)
        plural = _text(entry, "label_plural", where, path, report, required=False) or label
        rows.append((number, key, label, plural))
    frame = pd.DataFrame(rows, columns=LEVEL_COLUMNS)
    doubled = sorted(frame.loc[frame["key"].duplicated() & frame["key"].notna(), "key"].unique())
    if doubled:
        report.error(where, f"levels: Ebenen-Schlüssel mehrfach vergeben (oder „{CITY_KEY}“, der der "
                     f"Gesamtstadt vorbehalten ist): {culprits(doubled)}.")
    return frame


def _link(entry, path: str, where: str, report: Report) -> Link | None:
    if not isinstance(entry, dict):
        report.error(where, f"{path}: parent muss {{column: …}}, {{prefix: …}} oder {{contained: true}} sein.",
                     value=str(entry))
        return None
    unknown_keys(entry, PARENT_KEYS, f"in {path}", report, where)
    given = [k for k in PARENT_KEYS if k in entry]
    if len(given) != 1:
        report.error(where, f"{path}: genau eine Verknüpfung angeben: column (Spalte mit der ID des "
                     "übergeordneten Gebiets), prefix (Anzahl der ersten Zeichen der ID) oder contained: true "
                     "(nach Lage).")
        return None
    if "column" in given:
        column = _text(entry, "column", where, path, report)
        return Link(column=column) if column else None
    if "prefix" in given:
        prefix = entry["prefix"]
        if isinstance(prefix, bool) or not isinstance(prefix, int) or prefix < 1:
            report.error(where, f"{path}: prefix muss eine positive ganze Zahl sein.", value=str(prefix))
            return None
        return Link(prefix=prefix)
    if entry["contained"] is not True:
        report.error(where, f"{path}: contained muss true sein.", value=str(entry["contained"]))
        return None
    return Link(contained=True)


def _file(entry, number: int, keys: list, plurals: list, where: str, report: Report) -> AreaFile | None:
    path = f"areas.files[{number}]"
    if not isinstance(entry, dict):
        report.error(where, f"{path}: erwartet wird {{file: …, level: …, id: …, name: …}}.", value=str(entry))
        return None
    errors = len(report.errors)
    unknown_keys(entry, FILE_KEYS, f"in {path}", report, where)
    file, key, id_column, name_column = (_text(entry, k, where, path, report) for k in REQUIRED_FILE_KEYS)
    crs, layer, encoding = (_text(entry, k, where, path, report, required=False) for k in ("crs", "layer", "encoding"))
    if key == CITY_KEY:
        report.error(where, f"{path}: die Gesamtstadt („{CITY_KEY}“) braucht keine Datei; ihre Fläche ist die "
                     "Vereinigung ihrer Gebiete.")
    elif key is not None and key not in keys:
        report.error(where, f"{path}: Ebene „{key}“ ist nicht unter levels definiert; dort stehen "
                     f"{culprits([str(k) for k in keys])}.")
    if crs is not None:
        known_crs(crs, report, where, f"{path}: ")
    if encoding is not None:
        encoding = encoding_name(encoding, report, where, f"{path}: ")
    grouped = entry.get("grouped", False)
    if not isinstance(grouped, bool):
        report.error(where, f"{path}: grouped muss true oder false sein.", value=str(grouped))
    link = _link(entry["parent"], f"{path}.parent", where, report) if "parent" in entry else None
    if len(report.errors) > errors:
        return None
    level = keys.index(key)
    return AreaFile(Source(file, layer=layer, crs=crs, encoding=encoding), level, key, plurals[level], id_column,
                    name_column, link, grouped is True)


def _city(section: dict, city: str | None, where: str, report: Report) -> tuple[str | None, str | None]:
    given = section.get("city")
    if given is None:
        if not city:
            report.error(where, "areas.city fehlt und die Zuordnung nennt keine Stadt (city:).",
                         fix="areas: city: {id: …, name: …} angeben, oder city: mit dem Namen der Stadt.")
        return DEFAULT_CITY_ID, city
    if not isinstance(given, dict):
        report.error(where, "areas.city: erwartet wird {id: …, name: …}.", value=str(given))
        return None, None
    unknown_keys(given, CITY_KEYS, "in areas.city", report, where)
    return (_text(given, "id", where, "areas.city", report),
            _text(given, "name", where, "areas.city", report, required=city is None) or city)


def parse_areas(section: dict, levels: list[dict], report: Report, where: str = MAPPING,
                city: str | None = None) -> AreasSection | None:
    """The ``areas`` section of a mapping, checked; None when the report has errors for it.

    ``levels`` is the mapping's list of levels below the city, coarse to fine; ``city`` the mapping's city
    name, used when the section names no city area of its own (its id is then ``DEFAULT_CITY_ID``)."""
    errors = len(report.errors)
    if not isinstance(section, dict):
        report.error(where, "areas: erwartet wird ein Abschnitt mit files: (und optional city:).",
                     value=str(section))
        return None
    unknown_keys(section, SECTION_KEYS, "in areas", report, where)
    level_frame = _levels(levels, where, report)
    city_id, city_name = _city(section, city, where, report)
    entries = section.get("files")
    if not isinstance(entries, list) or not entries:
        report.error(where, "areas.files: die Geodateien fehlen, je Ebene eine: "
                     "- {file: …, level: …, id: …, name: …}.")
        return None
    if level_frame is None:
        return None
    keys = list(level_frame["key"])
    plurals = list(level_frame["label_plural"])
    files = [f for f in (_file(e, n, keys, plurals, where, report) for n, e in enumerate(entries, start=1)) if f]
    by_level = {}
    for spec in files:
        if spec.level in by_level:
            report.error(where, f"areas.files: für die Ebene „{spec.key}“ sind mehrere Dateien angegeben "
                         f"({by_level[spec.level].source.file}, {spec.source.file}).")
        by_level[spec.level] = spec
    if len(report.errors) > errors:
        return None
    missing = [keys[level] for level in range(1, len(keys)) if level not in by_level]
    if missing:
        report.error(where, f"areas.files: für die Ebene{'n' if len(missing) > 1 else ''} {culprits(missing)} "
                     "fehlt eine Datei.",
                     fix="Je Ebene eine Datei angeben; eine Ebene ohne eigene Flächen kann aus der Datei der "
                     "feineren Ebene gelesen werden (dieselbe Datei, grouped: true).")
    ordered = [by_level[level] for level in sorted(by_level)]
    for spec in ordered:
        path = f"areas.files (Ebene „{spec.key}“)"
        coarsest, finest = spec.level == 1, spec.level == len(keys) - 1
        if coarsest and spec.parent is not None:
            report.error(where, f"{path}: die gröbste Ebene gehört direkt zur Gesamtstadt; parent: streichen.")
        if not coarsest and spec.parent is None and not missing:
            report.error(where, f"{path}: parent fehlt: wie findet jedes Gebiet sein übergeordnetes "
                         f"(„{keys[spec.level - 1]}“)?", fix="parent: {column: …}, {prefix: …} oder "
                         "{contained: true} angeben.")
        if finest and spec.grouped:
            report.error(where, f"{path}: die feinste Ebene braucht Flächen; grouped: streichen.")
        if spec.parent is not None and spec.parent.contained and not missing and (
                spec.grouped or by_level[spec.level - 1].grouped):
            report.error(where, f"{path}: contained braucht Flächen auf beiden Ebenen; eine davon ist grouped.",
                         fix="Mit column oder prefix verknüpfen.")
    if len(report.errors) > errors:
        return None
    return AreasSection(level_frame, tuple(ordered), city_id, city_name)


# --- one file -------------------------------------------------------------------------------------------------

def _rows(mask: pd.Series, values: pd.Series | None = None,
          numbers: pd.Series | None = None) -> list[tuple[int, str | None]]:
    """(feature number, value) for the report: ``numbers`` of the rows, else their position, the first being 1."""
    hits = np.flatnonzero(mask.to_numpy())
    return [(int(numbers.iloc[i]) if numbers is not None else int(i) + 1,
             None if values is None else str(values.iloc[i])) for i in hits]


def _as_text(values: pd.Series, file: str, column: str, what: str, report: Report) -> pd.Series | None:
    """Ids as text as written; numbers as their digits, with a note that leading zeros were lost already."""
    if pd.api.types.is_bool_dtype(values):
        report.error(file, f"Die Spalte enthält Wahrheitswerte statt {what}.", column=column)
        return None
    if pd.api.types.is_numeric_dtype(values):
        whole = values.isna() | (values % 1 == 0)
        if not whole.all():
            report.many(ERROR, file, f"{what} mit Nachkommastellen", _rows(~whole, values), column=column,
                        fix="IDs als Text oder ganze Zahlen speichern.")
            return None
        text = values.astype("Int64").astype(str).where(values.notna(), None)
        report.note(file, f"{what} sind in der Datei Zahlen und werden als Text geführt, z. B. "
                    f"„{text.dropna().iloc[0] if text.notna().any() else ''}“; führende Nullen hat die Datei "
                    "nicht.", column=column, fix="Schreiben die Tabellen „0100“, wo die Geodatei 100 hat: die "
                    "Spalte in der Geodatei als Text speichern.")
    else:
        text = values.map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip())
    blank = text.isna() | (text == "")
    if blank.any():
        report.many(ERROR, file, f"{what} fehlen", _rows(blank), column=column, fix="Jedem Gebiet eine ID geben.")
        return None
    return text.astype(object)


def _names(frame: gpd.GeoDataFrame, spec: AreaFile, ids: pd.Series, report: Report) -> pd.Series:
    names = frame[spec.name].map(lambda v: None if pd.isna(v) else str(v).strip())
    blank = names.isna() | (names == "")
    if blank.any():
        report.many(WARNING, spec.source.file, "Gebiete ohne Namen; angezeigt wird die ID", _rows(blank, ids),
                    column=spec.name)
    garbled = names.fillna("").str.contains(MISREAD)
    if garbled.any():
        report.many(WARNING, spec.source.file, "Namen mit Zeichen, die nach falscher Zeichenkodierung aussehen",
                    _rows(garbled, names), column=spec.name,
                    fix="In der Zuordnung encoding: angeben (cp1252 für Windows-Shapefiles ohne .cpg, sonst utf-8).")
    return names.where(~blank, ids).astype(object)


def _shapes_ok(frame: gpd.GeoDataFrame, spec: AreaFile, ids: pd.Series, report: Report) -> bool:
    geoms = frame.geometry.values
    absent = pd.Series(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if absent.any():
        report.many(ERROR, spec.source.file, "Gebiete ohne Fläche (Geometrie leer)", _rows(absent, ids),
                    fix="Fläche nachtragen oder das Gebiet aus der Datei entfernen.")
    kinds = pd.Series([g.geom_type if g is not None else "" for g in geoms])
    wrong = ~absent & ~kinds.isin(list(POLYGONAL))
    if wrong.any():
        found = culprits(sorted(kinds[wrong].unique()))
        report.many(ERROR, spec.source.file, f"Keine Flächen (Polygon oder MultiPolygon), sondern {found}",
                    _rows(wrong, ids), fix="Die Gebietsflächen exportieren, nicht Punkte oder Grenzlinien.")
    return not (absent.any() or wrong.any())


def _metric(polygons: gpd.GeoSeries) -> gpd.GeoSeries:
    minx, _, maxx, _ = polygons.total_bounds
    return polygons.to_crs(geo.metric_crs((minx + maxx) / 2))


def _note_invalid(metric: gpd.GeoSeries, names: pd.Series, file: str, report: Report) -> None:
    """One note per invalid polygon: why GEOS refuses it and how much area the build's repair changes."""
    invalid = ~shapely.is_valid(metric.values)
    if not invalid.any():
        return
    repaired, _ = make_polygonal(metric.values[invalid])
    change = shapely.area(repaired) - shapely.area(metric.values[invalid])
    reasons = shapely.is_valid_reason(metric.values[invalid])
    for row, name, reason, m2 in zip(np.flatnonzero(invalid), names[invalid], reasons, change):
        report.note(file, f"Fläche von „{name}“ ist ungültig ({reason}); der Aufbau repariert sie (make_valid), "
                    f"die Fläche ändert sich um {square_metres(abs(m2))}.", row=int(row) + 1)


@dataclass(frozen=True)
class _Level:
    spec: AreaFile
    ids: pd.Series               # text, positional like the file
    names: pd.Series
    parents: pd.Series | None    # the parent column as text, for links by column
    polygons: gpd.GeoSeries | None  # WGS84, indexed by id; None for a grouped level
    numbers: pd.Series           # each area's feature number in the file (a grouped level's first)

    def rows(self, mask: pd.Series, values: pd.Series) -> list[tuple[int, str | None]]:
        return _rows(mask, values, self.numbers)


def _read_level(spec: AreaFile, base_dir: Path, report: Report) -> _Level | None:
    file = spec.source.file
    columns = [spec.id, spec.name] + ([spec.parent.column] if spec.parent and spec.parent.column else [])
    path = inside(base_dir, file, report)
    frame = None if path is None else read_geofile(path, spec.source, columns, report)
    if frame is None:
        return None
    frame = frame.reset_index(drop=True)
    ids = _as_text(frame[spec.id], file, spec.id, "IDs", report)
    parents = None
    if spec.parent is not None and spec.parent.column:
        parents = _as_text(frame[spec.parent.column], file, spec.parent.column, "IDs der übergeordneten Gebiete",
                           report)
        if parents is None:
            return None
    if ids is None:
        return None
    names = _names(frame, spec, ids, report)
    if spec.grouped:
        return _grouped(spec, ids, names, parents, report)
    doubled = ids.duplicated(keep=False)
    if doubled.any():
        report.many(ERROR, file, "IDs mehrfach vergeben", _rows(doubled, ids), column=spec.id,
                    fix="Jede ID darf nur einmal vorkommen; mehrteilige Gebiete als ein MultiPolygon speichern.")
    if not _shapes_ok(frame, spec, ids, report) or doubled.any():
        return None
    polygons = gpd.GeoSeries(frame.geometry.values, index=ids.values, crs=frame.crs)
    return _Level(spec, ids, names, parents, polygons, pd.Series(np.arange(1, len(frame) + 1)))


def _grouped(spec: AreaFile, ids: pd.Series, names: pd.Series, parents: pd.Series | None,
             report: Report) -> _Level | None:
    """A level read from a finer level's file: each id once, with one name and one parent throughout."""
    table = pd.DataFrame({"id": ids, "name": names, "parent": parents, "row": np.arange(1, len(ids) + 1)})
    for column, label in [("name", "Namen"), ("parent", "übergeordnete Gebiete")]:
        varying = table.groupby("id")[column].nunique(dropna=False)
        varying = varying[varying > 1].index
        if len(varying):
            report.error(spec.source.file, f"Ebene „{spec.label_plural}“: dieselbe ID mit verschiedenen {label}: "
                         f"{culprits(list(varying))}.", column=spec.id)
            return None
    first = table.drop_duplicates("id").reset_index(drop=True)
    return _Level(spec, first["id"], first["name"], None if parents is None else first["parent"], None,
                  first["row"])


# --- the tree -------------------------------------------------------------------------------------------------

def _shares(children: gpd.GeoSeries, parents: gpd.GeoSeries) -> pd.DataFrame:
    """Each child's best parent by area and the share of the child inside it (0 where none touches it)."""
    metric = _metric(children)
    child, parent = make_polygonal(metric.values)[0], make_polygonal(parents.to_crs(metric.crs).values)[0]
    left, right = shapely.STRtree(parent).query(child, predicate="intersects")
    overlap = shapely.area(shapely.intersection(child[left], parent[right]))
    pairs = pd.DataFrame({"child": left, "parent": right, "m2": overlap}).sort_values("m2", ascending=False)
    best = pairs.drop_duplicates("child").set_index("child").reindex(range(len(child)))
    total = shapely.area(child)
    return pd.DataFrame({
        "parent": [None if np.isnan(p) else parents.index[int(p)] for p in best["parent"]],
        "share": best["m2"].fillna(0.0).to_numpy() / np.where(total > 0, total, 1.0),
    }, index=children.index)


def _percent(share: float) -> str:
    return f"{fmt.number(100 * share, 0)} %"


def _link_level(level: _Level, above: _Level, report: Report) -> pd.Series | None:
    """The parent id of each area of ``level``, or None (with errors) when some cannot be found."""
    spec, file = level.spec, level.spec.source.file
    link = spec.parent
    label = above.spec.label_plural
    if link.contained:
        shares = _shares(level.polygons, above.polygons)
        lost = pd.Series(shares["share"].to_numpy() < CONTAINED_SHARE)
        if lost.any():
            described = pd.Series([f"{n} (höchstens {_percent(s)} in einem Gebiet)"
                                   for n, s in zip(level.names, shares["share"])])
            report.many(ERROR, file, f"Gebiete, die in keinem Gebiet der Ebene „{label}“ zur Hälfte liegen",
                        level.rows(lost, described), fix="Die Flächen beider Ebenen prüfen (gleiches "
                        "Gebiet, gleicher Stand?) oder mit parent: {column: …} verknüpfen.")
            return None
        _note_outside(level, shares, above, report)
        return pd.Series(shares["parent"].to_numpy(), dtype=object)
    parents = level.parents if link.column else level.ids.str[:link.prefix]
    column = link.column or spec.id
    if link.prefix:
        short = (level.ids.str.len() <= link.prefix).reset_index(drop=True)
        if short.any():
            report.many(ERROR, file, f"IDs nicht länger als die {link.prefix} Zeichen des übergeordneten Gebiets",
                        level.rows(short, level.ids), column=column)
            return None
    unknown = ~parents.isin(set(above.ids)).reset_index(drop=True)
    if unknown.any():
        unpadded = {i.lstrip("0") for i in above.ids}
        zeros = parents[unknown.to_numpy()].str.lstrip("0").isin(unpadded).any()
        report.many(ERROR, file, f"Übergeordnetes Gebiet (Ebene „{label}“) nicht in {above.spec.source.file}",
                    level.rows(unknown, parents), column=column,
                    fix=f"Dort gibt es {culprits(sorted(above.ids))}."
                    + (" Die IDs unterscheiden sich nur in führenden Nullen: eine der Dateien speichert sie als "
                       "Zahl; die Spalte dort als Text speichern." if zeros else ""))
        return None
    if level.polygons is not None and above.polygons is not None:
        _check_nesting(level, parents, above, report)
    return parents.reset_index(drop=True).astype(object)


def _note_outside(level: _Level, shares: pd.DataFrame, above: _Level, report: Report) -> None:
    partly = pd.Series(shares["share"].to_numpy() < NESTED_SHARE)
    if partly.any():
        names = dict(zip(above.ids, above.names))
        described = pd.Series([f"{n}: {_percent(s)} in {names[p]}"
                               for n, s, p in zip(level.names, shares["share"], shares["parent"])])
        report.many(NOTE, level.spec.source.file, f"Gebiete, die nur zum Teil in ihrem Gebiet der Ebene "
                    f"„{above.spec.label_plural}“ liegen", level.rows(partly, described))


def _check_nesting(level: _Level, parents: pd.Series, above: _Level, report: Report) -> None:
    """A parent id that contradicts the map (a typo naming the neighbour) is a warning: the id wins."""
    child = _metric(level.polygons)
    parent = above.polygons.reindex(parents.to_numpy()).to_crs(child.crs)
    inside = shapely.area(shapely.intersection(make_polygonal(child.values)[0], make_polygonal(parent.values)[0]))
    share = pd.Series(inside / np.maximum(shapely.area(child.values), 1e-9))
    outside = share < CONTAINED_SHARE
    if outside.any():
        described = pd.Series([f"{n} → {p}: {_percent(s)}" for n, p, s in zip(level.names, parents, share)])
        report.many(WARNING, level.spec.source.file, f"Gebiete, die überwiegend außerhalb ihres übergeordneten "
                    f"Gebiets (Ebene „{above.spec.label_plural}“) liegen", level.rows(outside, described),
                    fix="Die ID des übergeordneten Gebiets prüfen; es gilt die ID, nicht die Lage.")


def _coverage_note(level: _Level, report: Report) -> None:
    """Overlaps and enclosed gaps of the finest level with their size, largest first. The build closes narrow
    small ones and refuses wide overlaps (``coverage``); this says beforehand where they are."""
    metric = make_polygonal(_metric(level.polygons).values)[0]
    names = level.names.to_numpy()
    tree = shapely.STRtree(metric)
    left, right = tree.query(metric, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    overlap = shapely.area(shapely.intersection(metric[left], metric[right]))
    found = overlap > MIN_M2
    file, plural = level.spec.source.file, level.spec.label_plural
    fix = ("Schmale, kleine Überlappungen und Lücken gleicht der Aufbau aus (siehe Daten & Methodik); größere "
           "Lücken bleiben als echte Lücken, breite Überlappungen lehnt er ab.")
    if found.any():
        order = np.argsort(-overlap[found])
        pairs = [f"{names[a]} und {names[b]} ({square_metres(m2)})"
                 for a, b, m2 in zip(left[found][order], right[found][order], overlap[found][order])]
        report.note(file, f"{fmt.counted(int(found.sum()), 'Überlappung', 'Überlappungen')} zwischen Gebieten der "
                    f"Ebene „{plural}“ (vor der Reparatur), zusammen {square_metres(float(overlap[found].sum()))}: "
                    f"{culprits(pairs, separator='; ')}", fix=fix)
    union = shapely.union_all(metric)
    holes = [shapely.Polygon(part.interiors[i]) for part in shapely.get_parts(union)
             for i in range(len(part.interiors))] if union.geom_type in POLYGONAL else []
    holes = sorted((h for h in holes if h.area > MIN_M2), key=lambda h: -h.area)
    if holes:
        described = [f"bei {', '.join(names[tree.query(h, predicate='intersects')][:3])} ({square_metres(h.area)})"
                     for h in holes[:5]]
        report.note(file, f"{fmt.counted(len(holes), 'Lücke', 'Lücken')} zwischen Gebieten der Ebene „{plural}“ "
                    "(vor der Reparatur), zusammen "
                    f"{square_metres(sum(h.area for h in holes))}: "
                    f"{culprits(described, total=len(holes), separator='; ')}", fix=fix)


def _nothing() -> tuple[pd.DataFrame, pd.DataFrame, gpd.GeoSeries]:
    return (pd.DataFrame(columns=LEVEL_COLUMNS), no_rows(AREA_COLUMNS),
            gpd.GeoSeries([], index=pd.Index([], dtype=object), crs=geo.WGS84))


def read_areas(section: AreasSection, base_dir: Path,
               report: Report) -> tuple[pd.DataFrame, pd.DataFrame, gpd.GeoSeries]:
    """Levels, areas (the city first) and the finest polygons in WGS84, indexed by area_id, as ``Dataset``
    takes them; empty frames when the report has errors. Every file is read, even after one failed, so that the
    report lists all problems at once."""
    errors = len(report.errors)
    levels = [_read_level(spec, Path(base_dir), report) for spec in section.files]
    rows = [pd.DataFrame({"area_id": [section.city_id], "name": [section.city_name], "level": [0],
                          "parent_id": [None]})]
    for below, (above, level) in enumerate(zip([None, *levels], levels), start=1):
        if level is None:
            continue
        if above is None and below > 1:
            continue  # the level above failed; its error is in the report
        parents = (pd.Series([section.city_id] * len(level.ids), dtype=object) if above is None
                   else _link_level(level, above, report))
        if parents is None:
            continue
        if above is not None:
            childless = ~above.ids.isin(set(parents)).reset_index(drop=True)
            if childless.any():
                report.many(ERROR, above.spec.source.file, "Gebiete ohne Teilgebiete der Ebene "
                            f"„{level.spec.label_plural}“ (aus {level.spec.source.file})",
                            above.rows(childless, above.ids),
                            fix="Ein Gebiet ohne Teilgebiete hätte keine Fläche und keine Werte: die Verknüpfung "
                            "prüfen oder es aus der Datei entfernen.")
        rows.append(pd.DataFrame({"area_id": level.ids.to_numpy(), "name": level.names.to_numpy(),
                                  "level": level.spec.level, "parent_id": parents.to_numpy()}))
    if len(report.errors) > errors or any(level is None for level in levels):
        return _nothing()
    areas = pd.concat(rows, ignore_index=True)
    repeated = areas[areas["area_id"].duplicated(keep=False)]
    if len(repeated):
        named = [f"{r.area_id} (Ebene {r.level})" for r in repeated.itertuples()]
        report.error(section.files[0].source.file, f"IDs kommen auf mehreren Ebenen vor (oder als ID der "
                     f"Gesamtstadt): {culprits(named)}.", fix="IDs müssen über alle Ebenen eindeutig sein.")
        return _nothing()
    finest = levels[-1]
    _note_invalid(_metric(finest.polygons), finest.names, finest.spec.source.file, report)
    _coverage_note(finest, report)
    areas["level"] = areas["level"].astype(int)
    return section.levels.copy(), areas[AREA_COLUMNS], finest.polygons
