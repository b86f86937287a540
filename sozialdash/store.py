"""The one door to the analytics store: read-only, named queries, and a new build noticed on the next call.

DuckDB caches a database instance per path inside a process, so ``duckdb.connect(path, read_only=True)`` keeps
handing out the old data after a new file has been renamed into place. Each build therefore gets its own
in-memory instance that ATTACHes the file read-only; the registry swaps to a fresh instance as soon as the file's
identity (inode, size, mtime) changes and lets the old one go once nobody holds it any more.
"""

from __future__ import annotations

import functools
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely

from sozialdash import config


SCHEMA_VERSION = 4
"""Raised whenever queries/schema.sql changes incompatibly; a file built with another version is refused."""


class StoreMissing(FileNotFoundError):
    """The analytics file does not exist (yet): the app then builds the demo."""


class StoreOutdated(RuntimeError):
    """The file was built by another version of sozialdash; demo files are rebuilt, imported ones re-imported."""

    def __init__(self, path: Path, is_demo: bool):
        super().__init__(f"{path} wurde mit einer anderen Version von sozialdash erstellt.")
        self.is_demo = is_demo


@dataclass(frozen=True)
class FileIdentity:
    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileIdentity:
        try:
            st = os.stat(path)
        except FileNotFoundError as missing:
            raise StoreMissing(str(path)) from missing
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


@functools.cache
def query_text(name: str) -> str:
    """SQL of ``queries/<name>.sql``; names are identifiers, never paths, so no file outside queries/ is read."""
    if not name.isidentifier():
        raise ValueError(f"invalid query name: {name!r}")
    return (config.QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


class Store:
    """One build of the analytics file, opened read-only; one DuckDB cursor per thread."""

    def __init__(self, path: Path):
        self.path = path
        self.identity = FileIdentity.of(path)
        self._connection = duckdb.connect()
        self._connection.execute("ATTACH $path AS store (READ_ONLY)", {"path": str(path)})
        self._local = threading.local()
        self.meta = self.run("dataset_meta").iloc[0].to_dict()
        if self.meta.get("schema_version") != SCHEMA_VERSION:
            self.close()
            raise StoreOutdated(path, bool(self.meta.get("is_demo")))
        self.build_id: str = self.meta["build_id"]

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._connection.cursor()
            cursor.execute("USE store")
            self._local.cursor = cursor
        return cursor

    def run(self, name: str, **params) -> pd.DataFrame:
        """Run the named query with bound parameters only; DuckDB rejects missing and surplus parameters."""
        return self._cursor().execute(query_text(name), params).df()

    def close(self) -> None:
        self._connection.close()


_lock = threading.Lock()
_current: Store | None = None


def current_store(path: Path | None = None) -> Store:
    """The store for the file as it is now on disk, reopened when a new build has been swapped in."""
    global _current
    path = Path(path) if path is not None else config.db_path()
    identity = FileIdentity.of(path)
    with _lock:
        if _current is None or _current.path != path or _current.identity != identity:
            _current = Store(path)
        return _current


def from_wkb(blobs) -> np.ndarray:
    """Geometry columns of the store as shapely objects: DuckDB hands BLOBs to pandas as ``bytearray``; shapely
    wants ``bytes``. Here, not in ``geo``, so that pages read shapes without importing geopandas and pyproj."""
    return shapely.from_wkb([bytes(b) for b in blobs])
