"""Reading a geodata file a city sent (GeoJSON, GeoPackage, Shapefile, zipped Shapefile) without trusting it.

A file from outside may be empty, cut off, something else under a geodata name, far too large, or a ZIP built to
fill the disk or to write outside its folder. Each of these becomes one German error in the report and ``None``
here, never an exception: sizes are checked before anything is parsed, a ZIP's members are checked by name and
declared size before one byte is unpacked, and only the members needed are unpacked, under names of our own,
into a private temporary folder that is removed afterwards.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pyogrio
import pyproj
import shapely

from sozialdash import fmt, geo
from sozialdash.culprits import culprits
from sozialdash.ingest.report import Report

MAX_FILE_BYTES = 100 * 2**20        # one file, packed or unpacked: Berlin's 542 Planungsräume take about 20 MB
MAX_UNPACKED_BYTES = 500 * 2**20    # all members of a ZIP together, as the ZIP declares them
MAX_RATIO = 1000                    # unpacked per packed byte of one member: shapefiles pack about 3 to 50 times
CHUNK = 2**20

GEOJSON = {".geojson", ".json"}
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
READABLE = {".shp", ".gpkg", *GEOJSON}
FORMATS = "GeoJSON (.geojson), GeoPackage (.gpkg), Shapefile (.shp mit .shx, .dbf, .prj) oder ZIP mit Shapefile"


@dataclass(frozen=True)
class Source:
    """Where a file is and how to read it: as the mapping names it, the layer, the CRS for a file without one."""

    file: str
    layer: str | None = None
    crs: str | None = None
    encoding: str | None = None


def known_crs(given: str, report: Report, where: str, at: str = "") -> pyproj.CRS | None:
    """The CRS a mapping names, or None after the error that pyproj does not know it. ``at`` goes before the
    message ("areas.files[2]: ")."""
    try:
        return pyproj.CRS.from_user_input(given)
    except pyproj.exceptions.CRSError:
        report.error(where, f"{at}Unbekanntes Koordinatensystem „{given}“.",
                     fix="Als EPSG-Code angeben, z. B. EPSG:25832 (ETRS89 / UTM 32N) oder EPSG:4326 (Grad).")
        return None


def _megabytes(size: float) -> str:
    return f"{fmt.number(size / 2**20, 1)} MB"


def _sized(path: Path, source: Source, report: Report) -> bool:
    if not path.is_file():
        near = sorted(p.name for p in path.parent.glob("*") if p.suffix.lower() in READABLE | {".zip"}) \
            if path.parent.is_dir() else []
        report.error(source.file, "Datei nicht gefunden", value=str(path),
                     fix=f"Vorhandene Geodateien im Ordner: {culprits(near, limit=10)}" if near
                     else "Pfad in der Zuordnung prüfen (relativ zum Ordner der Zuordnung).")
        return False
    size = path.stat().st_size
    if size == 0:
        report.error(source.file, "Die Datei ist leer (0 Bytes).", fix="Datei erneut exportieren oder hochladen.")
        return False
    if size > MAX_FILE_BYTES:
        report.error(source.file, f"Die Datei ist zu groß ({_megabytes(size)}, höchstens "
                     f"{_megabytes(MAX_FILE_BYTES)}); sie wird nicht gelesen.",
                     fix="Nur die benötigten Spalten exportieren oder die Flächen vereinfachen (etwa auf 1 m).")
        return False
    return True


def _unsafe_name(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":")


def _zip_members(archive: zipfile.ZipFile, source: Source, report: Report) -> list[zipfile.ZipInfo] | None:
    """The members, if the ZIP can be unpacked safely: no path outside its folder, no bomb, no password."""
    members = [m for m in archive.infolist() if not m.is_dir()]
    unsafe = [m.filename for m in members if _unsafe_name(m.filename)]
    if unsafe:
        report.error(source.file, "Die ZIP-Datei enthält Pfade außerhalb ihres Ordners und wird nicht entpackt: "
                     f"{culprits(unsafe)}.", fix="ZIP-Datei neu packen, nur mit den Dateien selbst.")
        return None
    total = sum(m.file_size for m in members)
    swollen = [m.filename for m in members
               if m.file_size > MAX_FILE_BYTES or m.file_size > MAX_RATIO * max(m.compress_size, 1)]
    if total > MAX_UNPACKED_BYTES or swollen:
        report.error(source.file, f"Die ZIP-Datei würde entpackt {_megabytes(total)} ergeben"
                     + (f" ({culprits(swollen)} unverhältnismäßig groß)" if swollen else "")
                     + f"; erlaubt sind {_megabytes(MAX_UNPACKED_BYTES)} insgesamt und "
                     f"{_megabytes(MAX_FILE_BYTES)} je Datei. Sie wird nicht entpackt.",
                     fix="Nur die Geodatei selbst packen.")
        return None
    locked = [m.filename for m in members if m.flag_bits & 0x1]
    if locked:
        report.error(source.file, f"Die ZIP-Datei ist verschlüsselt: {culprits(locked)}.",
                     fix="Ohne Passwort packen.")
        return None
    return members


def _pick(members: list[zipfile.ZipInfo], source: Source, report: Report) -> list[zipfile.ZipInfo] | None:
    """The members of the one geodata file in the ZIP (a shapefile's .shp with its companions)."""
    visible = [m for m in members if not PurePosixPath(m.filename).name.startswith(".")
               and "__MACOSX" not in m.filename]
    candidates = [m for m in visible if PurePosixPath(m.filename).suffix.lower() in READABLE]
    if source.layer is not None:
        chosen = [m for m in candidates if PurePosixPath(m.filename).stem == source.layer]
    else:
        chosen = candidates
    names = sorted(m.filename for m in candidates)
    if len(chosen) != 1:
        if not candidates:
            found = culprits([m.filename for m in visible]) or "nichts"
            report.error(source.file, f"Die ZIP-Datei enthält keine Geodatei ({FORMATS}); gefunden: {found}.")
        elif source.layer is not None:
            report.error(source.file, f"Die ZIP-Datei enthält keine Geodatei namens „{source.layer}“; "
                         f"vorhanden: {culprits(names)}.", fix="layer: in der Zuordnung anpassen.")
        else:
            report.error(source.file, f"Die ZIP-Datei enthält mehrere Geodateien: {culprits(names)}.",
                         fix="In der Zuordnung mit layer: den Dateinamen ohne Endung angeben.")
        return None
    main = PurePosixPath(chosen[0].filename)
    if main.suffix.lower() != ".shp":
        return chosen
    stem = str(main.with_suffix("")).lower()  # Windows tools mix "Gebiete.SHP" and "gebiete.dbf"
    parts = [m for m in visible if str(PurePosixPath(m.filename).with_suffix("")).lower() == stem
             and PurePosixPath(m.filename).suffix.lower() in SHAPEFILE_PARTS]
    missing = sorted(set(SHAPEFILE_PARTS[:3]) - {PurePosixPath(m.filename).suffix.lower() for m in parts})
    if missing:
        report.error(source.file, f"Zum Shapefile {main.name} fehlen in der ZIP-Datei: {', '.join(missing)}.",
                     fix="Alle Teile des Shapefiles (.shp, .shx, .dbf, .prj) gemeinsam packen.")
        return None
    return parts


def _unpack(path: Path, folder: Path, source: Source, report: Report) -> Path | None:
    """The chosen file unpacked into ``folder`` under a name of our own; None (and an error) if it cannot be."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = _zip_members(archive, source, report)
            chosen = _pick(members, source, report) if members is not None else None
            if chosen is None:
                return None
            for member in chosen:  # zipfile stops at the declared size and checks the CRC: a lie is an error
                target = folder / f"layer{PurePosixPath(member.filename).suffix.lower()}"
                with archive.open(member) as packed, open(target, "wb") as unpacked:
                    shutil.copyfileobj(packed, unpacked, CHUNK)
            suffixes = {PurePosixPath(m.filename).suffix.lower() for m in chosen}
            return folder / ("layer.shp" if ".shp" in suffixes else f"layer{suffixes.pop()}")
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as problem:
        report.error(source.file, "Die ZIP-Datei ist beschädigt oder keine ZIP-Datei.", value=str(problem),
                     fix="Datei erneut packen oder hochladen.")
        return None


def _geojson_ok(path: Path, source: Source, report: Report) -> bool:
    """A German reason for the GeoJSON that is not one: JSON's own parser says where it breaks off."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = raw[:problem.start].count(b"\n") + 1
        byte = raw[problem.start:problem.start + 1]
        report.error(source.file, f"Die GeoJSON-Datei ist nicht in UTF-8 gespeichert (Zeile {line}: Byte "
                     f"0x{byte.hex().upper()}, in Windows-1252 „{byte.decode('cp1252', 'replace')}“).",
                     fix="Als UTF-8 speichern (GeoJSON ist immer UTF-8) oder als GeoPackage exportieren.")
        return False
    try:
        document = json.loads(text)
    except json.JSONDecodeError as problem:
        if not text.lstrip().startswith(("{", "[")):
            report.error(source.file, "Keine GeoJSON-Datei: sie beginnt nicht mit „{“.",
                         value=text.lstrip()[:40], fix=f"Eine Datei im Format {FORMATS} wählen.")
        elif problem.pos >= len(text.rstrip()) or problem.msg.startswith("Unterminated string"):
            report.error(source.file, "Die GeoJSON-Datei bricht mitten ab (unvollständig übertragen oder "
                         f"gespeichert, Zeile {problem.lineno}).", fix="Datei erneut exportieren oder hochladen.")
        else:
            report.error(source.file, f"Die GeoJSON-Datei ist kein gültiges JSON (Zeile {problem.lineno}, Spalte "
                         f"{problem.colno}: {problem.msg}).", fix="Datei erneut exportieren.")
        return False
    if not isinstance(document, dict) or document.get("type") not in ("FeatureCollection", "Feature"):
        kind = document.get("type") if isinstance(document, dict) else type(document).__name__
        report.error(source.file, "Keine GeoJSON-Datei: es fehlt eine FeatureCollection.", value=str(kind),
                     fix="Als GeoJSON-FeatureCollection exportieren.")
        return False
    return True


def _layer(path: Path, source: Source, report: Report) -> str | None | bool:
    """A GeoPackage's layer: the one named, or the only one; False (and an error) if that is not clear."""
    if path.suffix.lower() != ".gpkg":
        return None
    layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    if source.layer is not None:
        if source.layer in layers:
            return source.layer
        report.error(source.file, f"Die GeoPackage-Datei hat keine Ebene „{source.layer}“; vorhanden: "
                     f"{culprits(layers, limit=10)}.", fix="layer: in der Zuordnung anpassen.")
        return False
    if len(layers) == 1:
        return layers[0]
    report.error(source.file, f"Die GeoPackage-Datei hat {len(layers)} Ebenen: {culprits(layers, limit=10)}.",
                 fix="In der Zuordnung mit layer: eine davon wählen.")
    return False


def _with_crs(frame: gpd.GeoDataFrame, source: Source, report: Report) -> gpd.GeoDataFrame | None:
    """The frame in WGS84. A file without a CRS needs the mapping's ``crs``; one with a CRS keeps its own."""
    if frame.crs is None:
        if source.crs is None:
            report.error(source.file, "Die Datei nennt kein Koordinatensystem (beim Shapefile fehlt die .prj-Datei).",
                         fix="In der Zuordnung crs: angeben, z. B. crs: EPSG:25832 (ETRS89 / UTM 32N).")
            return None
        frame = frame.set_crs(source.crs)
    elif source.crs is not None and pyproj.CRS.from_user_input(source.crs) != frame.crs:
        report.warning(source.file, f"Die Zuordnung nennt das Koordinatensystem {source.crs}, die Datei "
                       f"{frame.crs.to_string()}; es gilt das der Datei.", fix="crs: aus der Zuordnung streichen.")
    try:
        wgs84 = frame.to_crs(geo.WGS84)
    except pyproj.exceptions.ProjError:
        report.error(source.file, f"Das Koordinatensystem der Datei lässt sich nicht nach WGS84 umrechnen "
                     f"(ein lokales System ohne Bezug zur Erde?): {frame.crs.name}.",
                     fix="Die Datei in EPSG:25832 oder EPSG:4326 exportieren.")
        return None
    present = ~(shapely.is_missing(wgs84.geometry.values) | shapely.is_empty(wgs84.geometry.values))
    if present.any():
        bounds = wgs84.geometry[present].total_bounds
        if not np.isfinite(bounds).all() or bounds[0] < -180 or bounds[2] > 180 or bounds[1] < -90 \
                or bounds[3] > 90:
            raw = frame.geometry[present].total_bounds
            report.error(source.file, f"Die Koordinaten passen nicht zum Koordinatensystem "
                         f"{frame.crs.to_string()} (x von {fmt.number(raw[0])} bis {fmt.number(raw[2])}, y von "
                         f"{fmt.number(raw[1])} bis {fmt.number(raw[3])}).",
                         fix="Das richtige Koordinatensystem mit crs: angeben oder die .prj-Datei korrigieren.")
            return None
    return wgs84


def _read(path: Path, source: Source, columns: list[str] | None, report: Report) -> gpd.GeoDataFrame | None:
    suffix = path.suffix.lower()
    if suffix not in READABLE:
        report.error(source.file, f"Dateiformat „{path.suffix}“ wird nicht unterstützt; möglich sind {FORMATS}.")
        return None
    if suffix in GEOJSON and not _geojson_ok(path, source, report):
        return None
    try:
        layer = _layer(path, source, report)
        if layer is False:
            return None
        info = pyogrio.read_info(path, layer=layer, encoding=source.encoding)
        if info["features"] == 0:
            report.error(source.file, "Die Datei enthält keine Objekte (nur den Rahmen, ohne Flächen).",
                         fix="Datei erneut exportieren; beim GeoPackage die richtige Ebene wählen (layer:).")
            return None
        fields = [str(f) for f in info["fields"]]
        missing = [c for c in columns or () if c not in fields]
        if missing:
            report.error(source.file, f"Spalte fehlt: {', '.join(missing)}; die Datei hat die Spalten "
                         f"{culprits(fields, limit=30) or '(keine)'}.",
                         fix="Spaltennamen in der Zuordnung anpassen (Groß- und Kleinschreibung zählt; Shapefiles "
                         "kürzen Namen auf 10 Zeichen).")
            return None
        wanted = None if columns is None else list(dict.fromkeys(columns))
        return pyogrio.read_dataframe(path, layer=layer, columns=wanted, encoding=source.encoding)
    except (RuntimeError, UnicodeDecodeError, ValueError) as problem:  # GDAL's errors are RuntimeErrors
        report.error(source.file, "Die Datei kann nicht als Geodatei gelesen werden.", value=str(problem)[:200],
                     fix=f"Eine Datei im Format {FORMATS} wählen oder erneut exportieren.")
        return None


def read_geofile(path: Path, source: Source, columns: list[str] | None, report: Report) -> gpd.GeoDataFrame | None:
    """``columns`` (None: all) and the geometry of the file at ``path``, in WGS84; None when the report has an
    error for it.

    The geometry is as the file has it (perhaps empty, invalid, or not a polygon): what is acceptable depends on
    the reader."""
    if not _sized(path, source, report):
        return None
    if path.suffix.lower() != ".zip":
        frame = _read(path, source, columns, report)
    else:
        with tempfile.TemporaryDirectory(prefix="sozialdash-zip-") as folder:
            unpacked = _unpack(path, Path(folder), source, report)
            frame = _read(unpacked, source, columns, report) if unpacked is not None else None
    return _with_crs(frame, source, report) if frame is not None else None
