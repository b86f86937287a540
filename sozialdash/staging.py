"""An import's uploaded files, laid out where the mapping looks for them.

A browser sends a file's name, never its folder, and a name is written by whoever uploads: only the last part of
it is kept, and a name that still holds ``..``, a control character or nothing at all is refused. The mapping
names its files relative to its data folder (``sozialatlas/tab_1.csv``); for each name the mapping gives, the
upload with that file name is linked into a fresh folder at exactly that relative path, so the same mapping works
from the command line next year. A mapping path that would leave the folder (absolute, or with ``..``) is never
laid out: the import then reports that file as missing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from sozialdash.ingest.tables import CSV_SUFFIXES, XLSX_SUFFIXES

MAPPING_NAME = "zuordnung.yaml"
DATA_DIR = "dateien"
UPLOAD_TYPES = ("csv", "txt", "tsv", "xlsx", "xlsm", "geojson", "json", "gpkg", "zip")
TABLE_SUFFIXES = CSV_SUFFIXES | XLSX_SUFFIXES


def upload_name(name: str) -> str | None:
    """The file name to store an upload under, or None when the name is refused."""
    base = PureWindowsPath(str(name)).name  # splits at both / and \ (a browser on Windows may send either)
    base = PurePosixPath(base).name.strip()
    if not base or ".." in base or base.startswith(".") or any(unicodedata.category(c)[0] == "C" for c in base):
        return None
    return base


def named_files(raw: object) -> list[str]:
    """Every file the mapping names (the value of each ``file`` key, at any depth), in order, once each."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "file" and isinstance(value, str) and value.strip():
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(raw)
    return list(dict.fromkeys(found))


def section_for(raw: object, file_name: str) -> dict | None:
    """The mapping section (a dict with ``file``) that reads the upload called ``file_name``."""
    if isinstance(raw, dict):
        if isinstance(raw.get("file"), str) and upload_name(raw["file"]) == file_name:
            return raw
        children = raw.values()
    elif isinstance(raw, list):
        children = raw
    else:
        return None
    return next((found for child in children if (found := section_for(child, file_name)) is not None), None)


def leaves_folder(name: str) -> bool:
    """Whether a path the mapping gives points outside its data folder."""
    path = PurePosixPath(name.replace("\\", "/"))
    return path.is_absolute() or PureWindowsPath(name).drive != "" or ".." in path.parts


@dataclass(frozen=True)
class Match:
    placed: dict[str, str]   # mapping path -> the upload laid out there
    missing: list[str]       # files the mapping names that were not uploaded
    unused: list[str]        # uploads the mapping does not name
    refused: list[str]       # mapping paths that leave the folder


def match(raw: object, uploaded: set[str]) -> Match:
    """Which upload serves which file the mapping names, and what is left over on either side."""
    placed, missing, refused = {}, [], []
    for name in named_files(raw):
        base = upload_name(name)
        if leaves_folder(name):
            refused.append(name)
        elif base in uploaded:
            placed[name] = base
        else:
            missing.append(name)
    return Match(placed, missing, sorted(uploaded - set(placed.values())), refused)


def stage(mapping_text: str, raw: object, uploads: Path, into: Path) -> tuple[Path, Path]:
    """Write the mapping and lay out the uploads in ``uploads`` under ``into`` as the mapping names them; return
    the mapping file and the data folder to import from."""
    into.mkdir(parents=True, exist_ok=True)
    mapping = into / MAPPING_NAME
    mapping.write_text(mapping_text, encoding="utf-8")
    folder = into / DATA_DIR
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for name, base in match(raw, {path.name for path in uploads.iterdir() if path.is_file()}).placed.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(uploads / base, target)
        except OSError:
            shutil.copyfile(uploads / base, target)
    return mapping, folder


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(mapping_text: str, files: dict[str, str]) -> str:
    """One value for the mapping text and the uploads (name -> content digest): an import may only run on what
    the last dry run checked."""
    lines = [digest(mapping_text.encode("utf-8"))] + [f"{name}\t{files[name]}" for name in sorted(files)]
    return digest("\n".join(lines).encode("utf-8"))
