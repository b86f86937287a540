"""Flensburg's real Sozialatlas as a user would upload it on the Datenpflege page: examples/flensburg.yaml without
its Kita list (not in tests/data) and the files of tests/data/flensburg/sozialatlas."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOZIALATLAS = ROOT / "tests" / "data" / "flensburg" / "sozialatlas"


def mapping_text() -> str:
    text = (ROOT / "examples" / "flensburg.yaml").read_text(encoding="utf-8")
    head, found, _ = text.partition("\ninstitutions:")
    assert found, "examples/flensburg.yaml has no institutions section any more"
    return head + "\n"


def files() -> list[Path]:
    """The files the mapping reads (the GeoJSON copies of the zipped shapes are not needed)."""
    return sorted(p for p in SOZIALATLAS.iterdir() if p.suffix in {".csv", ".zip"})
