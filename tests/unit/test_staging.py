from pathlib import Path

import pytest

from sozialdash import staging


@pytest.mark.parametrize("sent, stored", [
    ("tab_1.csv", "tab_1.csv"), ("sozialatlas/tab_1.csv", "tab_1.csv"), ("C:\\Daten\\Gebiete.zip", "Gebiete.zip"),
    ("../../etc/passwd", "passwd"), ("  Stadt Flensburg.seite53.csv ", "Stadt Flensburg.seite53.csv"),
])
def test_only_the_bare_file_name_is_kept(sent, stored):
    assert staging.upload_name(sent) == stored


@pytest.mark.parametrize("sent", ["", "..", "a/..", "x..csv", ".env", "tab\x00.csv", "tab\n.csv", "/"])
def test_hostile_names_are_refused(sent):
    assert staging.upload_name(sent) is None


RAW = {"areas": {"files": [{"file": "geo/teile.zip"}, {"file": "geo/bezirke.zip"}]},
       "catalogue": {"indicators": [{"id": "a"}]},
       "values": [{"file": "tab/a.csv", "header_rows": 2}, {"file": "tab/a.csv"}, {"file": "../../x.csv"}],
       "institutions": {"file": "kitas.csv", "coordinates_from": {"file": "kitas.geojson"}}}


def test_every_named_file_is_found_once():
    assert staging.named_files(RAW) == ["geo/teile.zip", "geo/bezirke.zip", "tab/a.csv", "../../x.csv", "kitas.csv",
                                        "kitas.geojson"]


def test_the_section_that_reads_an_upload():
    assert staging.section_for(RAW, "a.csv") == {"file": "tab/a.csv", "header_rows": 2}
    assert staging.section_for(RAW, "kitas.geojson") == {"file": "kitas.geojson"}
    assert staging.section_for(RAW, "b.csv") is None and staging.section_for(None, "a.csv") is None


@pytest.mark.parametrize("name, leaves", [("tab/a.csv", False), ("../x.csv", True), ("/etc/passwd", True),
                                          ("C:\\x.csv", True), ("a/../../x", True), ("a\\..\\x", True)])
def test_paths_leaving_the_folder(name, leaves):
    assert staging.leaves_folder(name) is leaves


def test_which_upload_serves_which_named_file():
    found = staging.match(RAW, {"teile.zip", "a.csv", "x.csv", "extra.csv"})
    assert found.placed == {"geo/teile.zip": "teile.zip", "tab/a.csv": "a.csv"}
    assert found.missing == ["geo/bezirke.zip", "kitas.csv", "kitas.geojson"]
    assert found.refused == ["../../x.csv"]
    assert found.unused == ["extra.csv", "x.csv"]


def test_stage_lays_the_uploads_out_as_the_mapping_names_them(tmp_path: Path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    for name in ("teile.zip", "a.csv", "x.csv", "extra.csv"):
        (uploads / name).write_text(name)
    mapping, folder = staging.stage("name: x\n", RAW, uploads, tmp_path / "import")
    assert mapping.read_text() == "name: x\n"
    assert (folder / "geo" / "teile.zip").read_text() == "teile.zip"
    assert (folder / "tab" / "a.csv").read_text() == "a.csv"
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == ["a.csv", "teile.zip"]
    assert not (tmp_path / "x.csv").exists()
    staging.stage("name: y\n", {"values": [{"file": "a.csv"}]}, uploads, tmp_path / "import")
    assert not (folder / "tab").exists() and (folder / "a.csv").exists()


def test_the_fingerprint_changes_with_the_mapping_and_each_file():
    files = {"a.csv": staging.digest(b"1"), "b.csv": staging.digest(b"2")}
    same = staging.fingerprint("name: x", dict(reversed(files.items())))
    assert staging.fingerprint("name: x", files) == same
    assert staging.fingerprint("name: y", files) != same
    assert staging.fingerprint("name: x", {**files, "b.csv": staging.digest(b"3")}) != same
    assert staging.fingerprint("name: x", {"a.csv": files["a.csv"]}) != same
