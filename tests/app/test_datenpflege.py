"""Datenpflege: nothing that writes without the role; with it, the whole import from upload to the new store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sozialdash import roles
from sozialdash.store import current_store
from sozialdash.ui import importer
from tests import flensburg_upload
from tests.app.conftest import shown

PAGE = "pages/8_Datenpflege.py"
PASSWORD = "Sozialraum 2026!"
REFERENCE = roles.hash_password(PASSWORD, iterations=roles.MIN_ITERATIONS)


def _text(at) -> str:
    return shown(" ".join(e.value for e in [*at.markdown, *at.caption, *at.error, *at.warning, *at.info,
                                            *at.success]))


@pytest.fixture
def no_hash(monkeypatch):
    monkeypatch.delenv(importer.ENV_HASH, raising=False)


@pytest.fixture
def with_hash(monkeypatch):
    monkeypatch.setenv(importer.ENV_HASH, REFERENCE)


def test_without_a_hash_the_page_says_how_to_set_one_and_offers_nothing(open_page, no_hash):
    at = open_page(PAGE)
    assert not at.exception
    text = _text(at)
    assert "noch kein Passwort eingerichtet" in text
    assert "python -m sozialdash passwort" in text and "secrets.toml" in text and importer.ENV_HASH in text
    assert not at.get("file_uploader") and not at.text_input and not at.text_area
    assert not [b for b in at.button if b.label in ("Prüfen", "Importieren")]


def test_a_hash_in_secrets_asks_for_the_password(open_page, no_hash):
    at = open_page(PAGE)
    at.secrets[importer.SECRET_HASH] = REFERENCE
    at.run()
    assert [t.label for t in at.text_input] == ["Passwort der Datenpflege"]
    assert at.text_input[0].proto.type == at.text_input[0].proto.PASSWORD
    assert not at.get("file_uploader")


def test_a_malformed_hash_lets_nobody_in(open_page, monkeypatch):
    monkeypatch.setenv(importer.ENV_HASH, "geheim")
    at = open_page(PAGE)
    assert "Passwort-Hash ist ungültig" in _text(at)
    assert not at.text_input and not at.get("file_uploader")


def sign_in(open_page, password: str):
    at = open_page(PAGE)
    at.text_input[0].input(password)
    [button] = [b for b in at.get("button") if b.proto.label == "Anmelden"]
    return button.click().run()


def test_a_wrong_password_gets_an_error_and_nothing_to_upload(open_page, with_hash):
    at = sign_in(open_page, "falsch")
    assert not at.exception
    assert ["Das Passwort ist falsch (Versuch 1)."] == [e.value for e in at.error]
    assert not at.get("file_uploader")
    assert "falsch" not in _text(at).replace("Das Passwort ist falsch", "")


def test_the_right_password_shows_the_upload(open_page, with_hash):
    at = sign_in(open_page, PASSWORD)
    assert not at.exception and not at.error
    assert [u.proto.label for u in at.get("file_uploader")] == ["Zuordnung hochladen (YAML)",
                                                                "Dateien der Stadt hochladen (mehrere möglich)"]
    assert [s.value for s in at.subheader] == ["1. Zuordnung", "2. Dateien", "3. Prüfen und importieren"]
    importieren = [b for b in at.button if b.label == "Importieren"]
    assert importieren and importieren[0].disabled


def test_the_example_fills_the_mapping(open_page, with_hash):
    at = sign_in(open_page, PASSWORD)
    [example] = [b for b in at.button if b.label == "Beispiel Flensburg einsetzen"]
    at = example.click().run()
    assert at.text_area[0].value.startswith("# Flensburg's Sozialatlas")


def _upload(at):
    mapping, data = at.get("file_uploader")
    mapping.set_value(("flensburg.yaml", flensburg_upload.mapping_text().encode(), "application/x-yaml"))
    data.set_value([(path.name, path.read_bytes(), "application/octet-stream") for path in flensburg_upload.files()])
    return at.run()


def _button(at, label):
    [button] = [b for b in at.button if b.label == label]
    return button


def test_check_then_import_flensburg_into_a_new_store(open_page, with_hash, monkeypatch, demo_db, tmp_path):
    db = tmp_path / "store.duckdb"
    shutil.copyfile(demo_db, db)
    monkeypatch.setenv("SOZIALDASH_DB", str(db))
    at = _upload(sign_in(open_page, PASSWORD))
    assert not at.exception
    previews = [shown(e.label) for e in at.expander]
    assert any("tab_1_einwohner_in_stadtteilen_2011_bis_2021.csv" in label and "nach der Zuordnung" in label
               for label in previews)
    assert _button(at, "Importieren").disabled
    at = _button(at, "Prüfen").click().run()
    assert not at.exception
    assert "Prüfung ohne Fehler" in _text(at)
    assert not _button(at, "Importieren").disabled
    assert current_store(db).meta["is_demo"]
    at = _button(at, "Importieren").click().run()
    assert not at.exception, at.exception
    meta = current_store(db).meta
    assert meta["name"] == "Flensburg, Sozialatlas 2022" and not meta["is_demo"]
    text = _text(at)
    assert "Flensburg, Sozialatlas 2022" in text and meta["build_id"] in text and "CC0-1.0" in text


def test_an_edited_mapping_must_be_checked_again(open_page, with_hash, monkeypatch, demo_db, tmp_path):
    db = tmp_path / "store.duckdb"
    shutil.copyfile(demo_db, db)
    monkeypatch.setenv("SOZIALDASH_DB", str(db))
    at = _button(_upload(sign_in(open_page, PASSWORD)), "Prüfen").click().run()
    assert not _button(at, "Importieren").disabled
    at.text_area[0].input(at.text_area[0].value.replace("reference_year: 2021", "reference_year: 2020")).run()
    assert _button(at, "Importieren").disabled
    assert "seit der letzten Prüfung geändert" in _text(at)


def test_errors_block_the_import_and_name_the_file(open_page, with_hash, monkeypatch, demo_db, tmp_path):
    db = tmp_path / "store.duckdb"
    shutil.copyfile(demo_db, db)
    before = db.read_bytes()
    monkeypatch.setenv("SOZIALDASH_DB", str(db))
    at = _upload(sign_in(open_page, PASSWORD))
    broken = at.text_area[0].value.replace("area: {column: id, pad: 2, prefix: STGT}",
                                           "area: {column: gibtsnicht, pad: 2, prefix: STGT}")
    at = _button(at.text_area[0].input(broken).run(), "Prüfen").click().run()
    assert not at.exception
    assert _button(at, "Importieren").disabled
    assert "Die Datenbank ist unverändert" in _text(at)
    [errors] = [e for e in at.expander if e.label.startswith("Fehler")]
    assert "tab_4_altenquotient" in shown(errors.markdown[0].value)
    assert db.read_bytes() == before


def test_ten_thousand_unjoined_rows_draw_a_few_lines():
    from streamlit.testing.v1 import AppTest

    def script():
        from sozialdash.ingest.report import Report
        from sozialdash.ui.importer import report_view

        report = Report()
        for row in range(2, 10_002):
            report.error("werte.csv", "Gebiet unbekannt", row=row, column="Stadtteil", value=f"X{row}")
        report.warning("<b>böse</b>*.csv", "[Link](https://example.org)")
        report_view(report)

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception
    [errors, warnings] = at.expander
    assert errors.label == "Fehler: 10.000 in 1 Datei" and errors.proto.expanded and not warnings.proto.expanded
    [listed] = errors.markdown
    assert "10.000-mal" in listed.value and "… und 9.995 weitere" in listed.value
    assert listed.value.count("Zeile:") == 5
    assert "\\<b\\>" in warnings.markdown[0].value and "\\[Link\\]" in warnings.markdown[0].value


def test_a_mapping_path_outside_the_folder_is_never_read(open_page, with_hash):
    at = _upload(sign_in(open_page, PASSWORD))
    hostile = at.text_area[0].value.replace('file: "sozialatlas/tab_4_altenquotient_2011_bis_2021.csv"',
                                            'file: "../../../etc/tab_4_altenquotient_2011_bis_2021.csv"')
    at = at.text_area[0].input(hostile).run()
    assert not at.exception
    assert any("Pfade außerhalb des Datenordners" in shown(e.value) and "../../../etc/tab_4" in shown(e.value)
               for e in at.error)
    assert _button(at, "Prüfen").disabled and _button(at, "Importieren").disabled


def test_upload_names_lose_their_folders(open_page, with_hash):
    at = sign_in(open_page, PASSWORD)
    at.get("file_uploader")[1].set_value([("C:\\Daten\\tab.csv", b"a;b\n1;2\n", "text/csv"),
                                          ("x..csv", b"a\n1\n", "text/csv")])
    at.run()
    assert not at.exception
    assert [shown(e.label) for e in at.expander] == ["tab.csv · nicht in der Zuordnung, mit Standardeinstellungen "
                                                     "gelesen"]
    assert any("Dateinamen abgelehnt" in e.value and "x..csv" in shown(e.value) for e in at.error)
    assert list(at.expander[0].dataframe[0].value.columns) == ["a", "b"]


def test_signing_out_removes_the_uploads(open_page, with_hash):
    at = sign_in(open_page, PASSWORD)
    at.get("file_uploader")[1].set_value([("tab.csv", b"a;b\n1;2\n", "text/csv")])
    at.run()
    folder = Path(at.session_state[importer.K_FOLDER].name)
    assert (folder / "uploads" / "tab.csv").is_file()
    [sign_out] = [b for b in at.sidebar.button if b.label == "Abmelden"]
    at = sign_out.click().run()
    assert not folder.exists()
    assert [t.label for t in at.text_input] == ["Passwort der Datenpflege"] and not at.get("file_uploader")
