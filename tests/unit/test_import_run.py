"""A whole import from the mapping file: Flensburg's real files with examples/flensburg.yaml, the dry run that
writes nothing, and a broken import that leaves the store byte for byte as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sozialdash.__main__ import main
from sozialdash.ingest.run import run
from sozialdash.store import Store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "flensburg.yaml"
IN_REPO = ROOT / "tests" / "data" / "flensburg"          # the Sozialatlas files, without the Kita list
SHARED = ROOT.parent / "shared" / "data" / "flensburg"    # everything, where this machine has it


def without_institutions(tmp_path: Path) -> Path:
    """The example minus its Kitas, whose list the repository does not carry (its licence is not stated)."""
    mapping = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    del mapping["institutions"]
    path = tmp_path / "flensburg.yaml"
    path.write_text(yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_flensburg_imports_from_its_real_files(tmp_path):
    out = tmp_path / "flensburg.duckdb"
    outcome = run(without_institutions(tmp_path), out=out, folder=IN_REPO)
    assert outcome.report.ok, outcome.report.lines()[:5]
    assert outcome.build_id is not None
    store = Store(out)
    areas = store.run("areas")
    assert sorted(areas["level"].value_counts().to_dict().items()) == [(0, 1), (1, 13), (2, 41)]
    assert "01 Altstadt" in set(areas["name"]) and store.meta["name"] == "Flensburg, Sozialatlas 2022"
    quote = store.run("level_values", indicator="sgb2_anteil", year=2021, level=1).set_index("area_id")
    assert len(quote) == 13 and quote["value"].notna().all()
    said = outcome.report.lines()
    # every quirk of SOURCE.md the import can see is named: the five OCR cells corrected in the mapping, the
    # header with five years over four values, invalid district polygons, the city total unlike its parts
    assert sum("laut Zuordnung korrigiert" in line for line in said) == 5
    assert any("Kopfzeile (Kennzahl, 2018, 2019, 2020, 2012, 2021)" in line for line in said)
    assert sum("ist ungültig" in line for line in said) == 2
    assert any("weicht von der Summe der 13 Teilgebiete ab" in line for line in said)


@pytest.mark.skipif(not (SHARED / "kitas" / "kitas_in_flensburg.csv").exists(),
                    reason=f"the shared Flensburg folder with the Kita list is not here ({SHARED})")
def test_the_example_with_its_kitas_imports_with_one_command(tmp_path, capsys):
    out = tmp_path / "flensburg.duckdb"
    assert main(["import", str(EXAMPLE), "--out", str(out)]) == 0
    assert "geschrieben" in capsys.readouterr().out
    institutions = Store(out).run("institution_list")
    assert len(institutions) == 70


def test_a_dry_run_reports_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "nie.duckdb"
    assert main(["import", str(without_institutions(tmp_path)), "--dry-run", "--daten", str(IN_REPO),
                 "--out", str(out)]) == 0
    assert "Probelauf: keine Fehler, nichts geschrieben." in capsys.readouterr().out
    assert not out.exists()


def test_a_broken_import_leaves_the_store_byte_for_byte(tmp_path, capsys, demo_db):
    store = tmp_path / "laufend.duckdb"
    store.write_bytes(demo_db.read_bytes())
    before = store.read_bytes()
    mapping = yaml.safe_load(without_institutions(tmp_path).read_text(encoding="utf-8"))
    mapping["values"][0]["area"]["template"] = "XX{:02d}"     # no area has such an id
    broken = tmp_path / "kaputt.yaml"
    broken.write_text(yaml.safe_dump(mapping, allow_unicode=True), encoding="utf-8")
    assert main(["import", str(broken), "--daten", str(IN_REPO), "--out", str(store)]) == 1
    printed = capsys.readouterr()
    assert "Import abgebrochen" in printed.err and "die Datenbank ist unverändert" in printed.err
    assert ("tab_1_einwohner_in_stadtteilen_2011_bis_2021.csv, Zeile 2, Spalte „id“: Zeile keinem Gebiet zugeordnet "
            "(kein Gebiet „XX01“)") in printed.out
    assert store.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["flensburg.yaml", "kaputt.yaml", "laufend.duckdb"])


def _stage(tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the Flensburg files and its mapping, to break one file of."""
    import shutil
    data = tmp_path / "daten"
    shutil.copytree(IN_REPO, data)
    return without_institutions(tmp_path), data


def _zip_with(path: Path, members: dict[str, bytes]) -> None:
    import zipfile
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)


STADTTEILE = "sozialatlas/flensburg_stadtteile.zip"
BEZIRKE = "sozialatlas/flensburg_stadtbezirke.zip"
SGB2 = "sozialatlas/tab18_Anzahl_der_Regelleistungsberechtigten_nach_SGBII - Tabellenblatt1.csv"
TAB1 = "sozialatlas/tab_1_einwohner_in_stadtteilen_2011_bis_2021.csv"


def _truncated_geojson(data: Path, mapping: dict) -> None:
    text = (data / "sozialatlas" / "flensburg_stadtteile.geojson").read_text(encoding="utf-8")
    (data / "sozialatlas" / "flensburg_stadtteile.geojson").write_text(text[: len(text) // 2], encoding="utf-8")
    mapping["areas"]["files"][0]["file"] = "sozialatlas/flensburg_stadtteile.geojson"


def _wrong_crs(data: Path, mapping: dict) -> None:
    """The districts' shapefile without its .prj, and the mapping names a CRS in degrees for metres."""
    import zipfile
    with zipfile.ZipFile(data / BEZIRKE) as archive:
        kept = {n: archive.read(n) for n in archive.namelist() if not n.lower().endswith(".prj")}
    _zip_with(data / BEZIRKE, kept)
    mapping["areas"]["files"][1]["crs"] = "EPSG:4326"


def _zip_traversal(data: Path, mapping: dict) -> None:
    import zipfile
    with zipfile.ZipFile(data / STADTTEILE) as archive:
        members = {("../" + n if n.lower().endswith(".shp") else n): archive.read(n) for n in archive.namelist()}
    _zip_with(data / STADTTEILE, members)


def _wrong_encoding(data: Path, mapping: dict) -> None:
    """Windows-1252 bytes in a file the mapping says is UTF-8."""
    (data / TAB1).write_bytes((data / TAB1).read_text(encoding="utf-8").encode("cp1252"))
    mapping["values"][0]["encoding"] = "utf-8"


def _zip_bomb(data: Path, mapping: dict) -> None:
    _zip_with(data / STADTTEILE, {"Stadtteile.shp": b"\0" * 60_000_000})


BROKEN = {
    "empty file": (lambda data, m: (data / SGB2).write_bytes(b""), "leer"),
    "only a header": (lambda data, m: (data / SGB2).write_text(
        (data / SGB2).read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8"), "nur"),
    "wrong encoding": (_wrong_encoding, "UTF-8"),
    "unknown ids": (lambda data, m: m["values"][0]["area"].update(template="XX{:02d}"), "kein Gebiet „XX01“"),
    "duplicate rows": (lambda data, m: m["values"].append(dict(m["values"][0])), "steht mehrfach"),
    "truncated GeoJSON": (_truncated_geojson, "bricht"),
    "wrong CRS": (_wrong_crs, "EPSG:4326"),
    "path traversal in a ZIP": (_zip_traversal, ".."),
    "ZIP bomb": (_zip_bomb, "entpackt"),
    "a file outside the folder": (lambda data, m: m["values"][0].update(file="../../../etc/passwd"), "außerhalb"),
    "formula-looking cells": (lambda data, m: (data / SGB2).write_text(
        (data / SGB2).read_text(encoding="utf-8").replace('"15,8"', '"=HYPERLINK(""http://x"")"', 1),
        encoding="utf-8"), "Keine Zahl (Wert für sgb2_anteil, 2018). ('=HYPERLINK"),
}


@pytest.mark.parametrize("break_it, said", BROKEN.values(), ids=BROKEN.keys())
def test_each_broken_file_is_named_in_german_and_the_store_stays_byte_for_byte(tmp_path, demo_db, break_it, said):
    mapping_path, data = _stage(tmp_path)
    mapping = yaml.safe_load(mapping_path.read_text(encoding="utf-8"))
    break_it(data, mapping)
    mapping_path.write_text(yaml.safe_dump(mapping, allow_unicode=True), encoding="utf-8")
    store = tmp_path / "laufend.duckdb"
    store.write_bytes(demo_db.read_bytes())
    before = store.read_bytes()
    outcome = run(mapping_path, out=store, folder=data)
    errors = [f.text() for f in outcome.report.errors]
    assert errors and outcome.build_id is None
    assert any(said in line for line in errors), errors[:3]
    assert store.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("laufend") and p != store]
