"""On a fresh machine the database does not exist yet: the first page view builds the demo."""

from streamlit.testing.v1 import AppTest

from sozialdash import config
from sozialdash.store import current_store


def test_first_start_builds_the_demo_database(tmp_path, monkeypatch):
    target = tmp_path / "fresh" / "sozialdash.duckdb"
    monkeypatch.setenv("SOZIALDASH_DB", str(target))
    at = AppTest.from_file(str(config.PROJECT_ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert target.exists()
    assert at.title[0].value == "Sozialbericht Musterstadt"
    assert current_store(target).meta["is_demo"]
