"""On a fresh machine the database does not exist yet: the first page view builds the demo."""

from streamlit.testing.v1 import AppTest

from sozialdash import config
from sozialdash.store import SCHEMA_VERSION, current_store


def test_first_start_builds_the_demo_database(tmp_path, monkeypatch):
    target = tmp_path / "fresh" / "sozialdash.duckdb"
    monkeypatch.setenv("SOZIALDASH_DB", str(target))
    at = AppTest.from_file(str(config.PROJECT_ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert target.exists()
    assert at.title[0].value == "Sozialbericht Musterstadt"
    assert current_store(target).meta["is_demo"]


def _outdated(tmp_path, is_demo: bool):
    import shutil

    import duckdb

    path = tmp_path / "old" / "sozialdash.duckdb"
    path.parent.mkdir()
    shutil.copy(current_store().path, path)
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE dataset SET schema_version = schema_version - 1, is_demo = $demo", {"demo": is_demo})
    return path


def test_an_outdated_demo_file_is_rebuilt(tmp_path, monkeypatch):
    target = _outdated(tmp_path, is_demo=True)
    monkeypatch.setenv("SOZIALDASH_DB", str(target))
    at = AppTest.from_file(str(config.PROJECT_ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert at.title[0].value == "Sozialbericht Musterstadt"
    assert current_store(target).meta["schema_version"] == SCHEMA_VERSION


def test_an_outdated_imported_file_is_kept_and_explained(tmp_path, monkeypatch):
    target = _outdated(tmp_path, is_demo=False)
    before = target.read_bytes()
    monkeypatch.setenv("SOZIALDASH_DB", str(target))
    at = AppTest.from_file(str(config.PROJECT_ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert "neu importieren" in at.error[0].value
    assert not at.title
    assert target.read_bytes() == before
