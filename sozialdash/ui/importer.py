"""The import page's Streamlit glue: the role Datenpflege, the uploads, the live preview, the dry run and the
import. The rules live elsewhere: the password check in sozialdash/roles.py, the upload layout in
sozialdash/staging.py, the report's grouping in sozialdash/views/findings.py, the import in sozialdash/ingest.

The password's reference comes from the environment variable ``SOZIALDASH_DATENPFLEGE_HASH`` or, without it, from
``datenpflege_hash`` in .streamlit/secrets.toml: environment variables win everywhere in sozialdash
(sozialdash/config.py), so a deployment can override a file someone left behind.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pandas as pd
import streamlit as st
import yaml

from sozialdash import config, fmt, roles, staging
from sozialdash.culprits import culprits
from sozialdash.ingest.mapping import load_yaml
from sozialdash.ingest.report import ERROR, NOTE, WARNING, Report
from sozialdash.ingest.run import run
from sozialdash.ingest.tables import MAX_BYTES, TableSource, read_table, table_source
from sozialdash.store import current_store
from sozialdash.ui.safe import md
from sozialdash.views import findings as fv

ENV_HASH = "SOZIALDASH_DATENPFLEGE_HASH"
SECRET_HASH = "datenpflege_hash"
EXAMPLE = config.PROJECT_ROOT / "examples" / "flensburg.yaml"
PREVIEW_ROWS = 8

# Session state of this page only.
K_ROLE = "datenpflege_role"
K_ATTEMPTS = "datenpflege_attempts"
K_FOLDER = "datenpflege_folder"
K_FILES = "datenpflege_files"          # stored name -> (upload's file id, content digest)
K_TEXT = "datenpflege_mapping_text"
K_MAPPING_UPLOAD = "datenpflege_mapping_upload"
K_MAPPING_ID = "datenpflege_mapping_id"  # the uploaded mapping last copied into the text area
K_CHECKED = "datenpflege_checked"      # (fingerprint, Report) of the last dry run
K_RESULT = "datenpflege_result"        # what the last import said

ICONS = {ERROR: ":material/error:", WARNING: ":material/warning:", NOTE: ":material/info:"}


# --- the role ---------------------------------------------------------------------------------------------------

def reference() -> str | None:
    """The configured hash line, or None when no one has set one."""
    value = os.environ.get(ENV_HASH)
    if not value:
        try:
            value = st.secrets.get(SECRET_HASH)
        except FileNotFoundError:  # no secrets.toml at all
            value = None
    return str(value).strip() if value else None


def signed_in() -> bool:
    """Show the sign-in (or how to set a password) until the role is held; True once it is. Nothing that writes
    is drawn before."""
    if st.session_state.get(K_ROLE):
        return True
    ref = reference()
    if ref is None:
        st.warning("Für die Datenpflege ist noch kein Passwort eingerichtet. Ohne Passwort kann hier niemand "
                   "Daten importieren; alle anderen Seiten bleiben offen.", icon=":material/lock:")
        st.markdown(
            "So richtet die Administration ein Passwort ein:\n\n"
            "1. Im Ordner der Anwendung `python -m sozialdash passwort` aufrufen und das Passwort zweimal eingeben.\n"
            "2. Die ausgegebene Zeile `datenpflege_hash = \"pbkdf2_sha256…\"` in `.streamlit/secrets.toml` "
            "eintragen (die Datei gehört nicht ins Git), oder den Wert als Umgebungsvariable "
            f"`{ENV_HASH}` setzen; die Umgebungsvariable geht vor.\n"
            "3. Die Anwendung neu starten.\n\n"
            "Gespeichert wird nur ein Hash (PBKDF2-HMAC-SHA256), nie das Passwort selbst. "
            "Ohne Oberfläche geht der Import auch auf der Kommandozeile: "
            "`python -m sozialdash import ZUORDNUNG.yaml --dry-run` (siehe docs/import.md und docs/datenpflege.md).")
        return False
    if roles.parse(ref) is None:
        st.error(f"Der eingerichtete Passwort-Hash ist ungültig: so kann sich niemand anmelden. Bitte mit "
                 f"`python -m sozialdash passwort` eine neue Zeile erzeugen und in `.streamlit/secrets.toml` oder "
                 f"`{ENV_HASH}` eintragen.", icon=":material/lock:")
        return False
    st.info("Importieren ändert die Daten aller Nutzenden. Dafür ist die Rolle **Datenpflege** nötig.",
            icon=":material/lock:")
    with st.form("datenpflege_login"):
        password = st.text_input("Passwort der Datenpflege", type="password")
        submitted = st.form_submit_button("Anmelden", type="primary")
    if submitted:
        if roles.verify(password, ref):
            st.session_state[K_ROLE] = True
            st.session_state.pop(K_ATTEMPTS, None)
            st.rerun()
        attempts = st.session_state.get(K_ATTEMPTS, 0) + 1
        st.session_state[K_ATTEMPTS] = attempts
        time.sleep(min(attempts, 5))  # every wrong guess waits longer
        st.error(f"Das Passwort ist falsch (Versuch {attempts}).", icon=":material/error:")
    return False


def sign_out() -> None:
    """In the sidebar, under the navigation: the page's own content starts with its first step."""
    with st.sidebar:
        st.caption("Angemeldet: Datenpflege")
        clicked = st.button("Abmelden", icon=":material/logout:")
    if clicked:
        folder = st.session_state.pop(K_FOLDER, None)
        if folder is not None:
            folder.cleanup()  # the uploads go with the role
        for key in (K_ROLE, K_CHECKED, K_RESULT, K_FILES):
            st.session_state.pop(key, None)
        st.rerun()


# --- the mapping ------------------------------------------------------------------------------------------------

def _use_example() -> None:
    st.session_state[K_TEXT] = EXAMPLE.read_text(encoding="utf-8")


def mapping_editor() -> tuple[str, object]:
    """The mapping's text (uploaded, from the example, or typed) and what it parses to (None when it does not)."""
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    uploaded = left.file_uploader("Zuordnung hochladen (YAML)", type=["yaml", "yml"], key=K_MAPPING_UPLOAD)
    right.button("Beispiel Flensburg einsetzen", on_click=_use_example, width="stretch",
                 help="Die Zuordnung, mit der die echten Flensburger Dateien importiert werden: ein Muster zum "
                      "Anpassen.")
    if uploaded is not None and st.session_state.get(K_MAPPING_ID) != uploaded.file_id:
        st.session_state[K_MAPPING_ID] = uploaded.file_id
        try:
            st.session_state[K_TEXT] = uploaded.getvalue().decode("utf-8-sig")
        except UnicodeDecodeError:
            st.error(f"Die Zuordnung {md(uploaded.name)} ist nicht UTF-8. Bitte als UTF-8 speichern.")
    text = st.text_area("Zuordnung (YAML): welche Datei was enthält", key=K_TEXT, height=320,
                        placeholder="name: …\ncity: …\nlevels: …\nareas: …\ncatalogue: …\nvalues: …",
                        help="Alle Schlüssel erklärt docs/import.md. Spaltennamen stehen in der Vorschau unten.")
    st.download_button("Zuordnung speichern", data=text.encode("utf-8"), file_name="zuordnung.yaml",
                       mime="application/x-yaml", icon=":material/download:", disabled=not text.strip(),
                       help="Für das nächste Jahr: mit neuen Dateien gleichen Aufbaus hier wieder hochladen "
                            "oder `python -m sozialdash import zuordnung.yaml` aufrufen.")
    try:
        raw = load_yaml(text) if text.strip() else None
    except yaml.YAMLError:
        raw = None  # "Prüfen" says where; the preview reads with defaults meanwhile
    return text, raw


# --- the uploads ------------------------------------------------------------------------------------------------

def _folder() -> Path:
    """This session's private folder; it goes when the session's state is dropped."""
    if K_FOLDER not in st.session_state:
        st.session_state[K_FOLDER] = tempfile.TemporaryDirectory(prefix="sozialdash-upload-")
    return Path(st.session_state[K_FOLDER].name)


def uploads_dir() -> Path:
    path = _folder() / "uploads"
    path.mkdir(exist_ok=True)
    return path


def data_files() -> dict[str, str]:
    """Take the uploaded data files into the session's folder, under their bare names; return name -> digest."""
    chosen = st.file_uploader("Dateien der Stadt hochladen (mehrere möglich)", type=list(staging.UPLOAD_TYPES),
                              accept_multiple_files=True, key="datenpflege_uploads",
                              help="Tabellen (CSV, XLSX), Gebiete (GeoJSON, GeoPackage, gezipptes Shapefile). "
                                   f"Höchstens {fmt.number(MAX_BYTES / 2**20, 0)} MB je Datei.")
    folder = uploads_dir()
    stored: dict[str, tuple[str, str]] = st.session_state.setdefault(K_FILES, {})
    refused, doubled, too_big, kept = [], [], [], set()
    for upload in chosen or []:
        name = staging.upload_name(upload.name)
        if name is None:
            refused.append(upload.name)
            continue
        if name in kept:
            doubled.append(name)
            continue
        if upload.size > MAX_BYTES:
            too_big.append(name)
            continue
        kept.add(name)
        if stored.get(name, (None,))[0] != upload.file_id:
            data = upload.getvalue()
            (folder / name).write_bytes(data)
            stored[name] = (upload.file_id, staging.digest(data))
    for name in set(stored) - kept:
        (folder / name).unlink(missing_ok=True)
        del stored[name]
    for problem, names in (("Dateinamen abgelehnt (Pfadangaben wie „..“ oder Steuerzeichen)", refused),
                           ("Zwei Dateien gleichen Namens, nur die erste zählt", doubled),
                           (f"Größer als {fmt.number(MAX_BYTES / 2**20, 0)} MB", too_big)):
        if names:
            st.error(f"{problem}: {md(culprits(names))}", icon=":material/error:")
    return {name: stored[name][1] for name in sorted(stored)}


@st.cache_data(max_entries=64, show_spinner=False)
def _preview(path: str, digest: str, source: TableSource) -> tuple[pd.DataFrame | None, list[str]]:
    report = Report()
    frame = read_table(Path(path), source, report)
    return (None if frame is None else frame.head(PREVIEW_ROWS)), [f.text() for f in report]


def previews(files: dict[str, str], raw: object) -> None:
    """The first rows of each uploaded table, read as the mapping says (or with defaults), with its column names:
    the words to write into the mapping."""
    tables = [name for name in files if Path(name).suffix.lower() in staging.TABLE_SUFFIXES]
    if not tables:
        return
    st.markdown("**Vorschau der Tabellen** – die ersten Zeilen, so gelesen, wie die Zuordnung es sagt:")
    for name in tables:
        section = staging.section_for(raw, name)
        notes = Report()
        source = table_source(section, notes, name) if section else None
        said = "nach der Zuordnung gelesen" if source else (
            "nicht in der Zuordnung, mit Standardeinstellungen gelesen" if section is None
            else "Leseangaben der Zuordnung fehlerhaft, mit Standardeinstellungen gelesen")
        source = source or TableSource(file=name)
        frame, lines = _preview(str(uploads_dir() / name), files[name], source)
        with st.expander(f"{md(name)} · {said}", icon=":material/table:"):
            for line in [f.text() for f in notes] + lines:
                st.caption(md(line))
            if frame is not None:
                st.caption("Spalten: " + ", ".join(f"„{md(column)}“" for column in frame.columns))
                st.dataframe(frame, width="stretch", height=38 + 35 * len(frame))


# --- dry run and import -----------------------------------------------------------------------------------------

def report_view(report: Report) -> None:
    """The report: errors, then warnings, then notes, each by file with counts; repeated messages folded. Errors
    are open, and warnings too when there is no error; notes start closed."""
    found = fv.counts(report.findings)
    st.markdown(" · ".join(f"{ICONS[level]} **{fmt.number(n)}** {fv.PLURAL[level]}" for level, n in found.items()))
    for level in fv.LEVELS:
        files = fv.by_file(report.findings, level)
        if not files:
            continue
        label = f"{fv.PLURAL[level]}: {fmt.number(found[level])} in {fmt.number(len(files))} " + (
            "Datei" if len(files) == 1 else "Dateien")
        with st.expander(label, icon=ICONS[level], expanded=level == ERROR or (level == WARNING and report.ok)):
            for entry in files:
                st.markdown(f"**{md(entry.file)}** ({fmt.number(entry.count)})\n\n" + "\n".join(_listed(entry)))


def _listed(entry: fv.FileFindings) -> list[str]:
    """One file's messages as a Markdown list, each with its first few places and how many more there are."""
    lines = []
    for message in entry.messages:
        lines.append(f"- {md(message.text)}" + (f" – **{fmt.number(message.count)}-mal**" if message.count > 1 else ""))
        fix = fv.shared_fix(message)
        for finding in message.first:
            where = " · ".join(f"{name}: {md(said)}" for name, said in fv.place(finding, fix=fix is None))
            if where:
                lines.append(f"    - {where}")
        if message.count > len(message.first):
            lines.append(f"    - … und {fmt.number(message.count - len(message.first))} weitere")
        if fix:
            lines.append(f"    - **Lösung:** {md(fix)}")
    if entry.hidden:
        lines.append(f"- … und {fmt.number(entry.hidden)} weitere Meldungen")
    return lines


def matched(files: dict[str, str], raw: object) -> bool:
    """Say which files the mapping names that are not uploaded, and the other way round; False when the mapping
    names a path outside its folder (nothing may be imported then)."""
    found = staging.match(raw, set(files))
    if found.refused:
        st.error(f"Pfade außerhalb des Datenordners werden nicht gelesen: {md(culprits(found.refused))}. Bitte in "
                 "der Zuordnung Pfade ohne „..“ und ohne Laufwerk angeben.", icon=":material/error:")
    if found.missing:
        st.warning(f"Die Zuordnung nennt {fmt.number(len(found.missing))} Dateien, die noch nicht hochgeladen sind: "
                   f"{md(culprits(found.missing))}", icon=":material/warning:")
    if found.unused:
        st.caption(f"Hochgeladen, aber in der Zuordnung nicht genannt: {md(culprits(found.unused))}")
    return not found.refused


def check_and_import(text: str, raw: object, files: dict[str, str], usable: bool) -> None:
    """"Prüfen" runs the import without writing; "Importieren" only for exactly what the last check passed, and
    only when ``usable`` (no mapping path outside the folder)."""
    fingerprint = staging.fingerprint(text, files)
    left, right = st.columns(2)
    check = left.button("Prüfen", icon=":material/fact_check:", width="stretch",
                        disabled=not (text.strip() and usable),  # a path outside the folder is not even read
                        help="Liest alles und berichtet, ohne etwas zu schreiben.")
    if check:
        mapping, folder = staging.stage(text, raw, uploads_dir(), _folder() / "import")
        with st.spinner("Prüfen …"):
            outcome = run(mapping, dry_run=True, folder=folder)
        st.session_state[K_CHECKED] = (fingerprint, outcome.report)
        st.session_state.pop(K_RESULT, None)
    checked = st.session_state.get(K_CHECKED)
    current = checked is not None and checked[0] == fingerprint
    ready = current and checked[1].ok and usable
    go = right.button("Importieren", icon=":material/upload:", type="primary", width="stretch", disabled=not ready,
                      help="Baut eine neue Datenbank und setzt sie ein." if ready else
                      "Erst „Prüfen“: Importieren geht nach einer Prüfung ohne Fehler, für genau diese Zuordnung "
                      "und diese Dateien.")
    if go and ready:
        mapping, folder = staging.stage(text, raw, uploads_dir(), _folder() / "import")
        bar = st.progress(0.0, text="Import beginnt …")
        outcome = run(mapping, out=config.db_path(), folder=folder,
                      progress=lambda fraction, said: bar.progress(min(max(fraction, 0.0), 1.0), text=f"{said} …"))
        bar.empty()
        st.session_state[K_RESULT] = outcome.report if outcome.build_id is None else outcome.build_id
        st.session_state.pop(K_CHECKED, None)
        if outcome.build_id is not None:
            st.rerun()  # the sidebar and the demo notice above were drawn from the old store
        checked, current = None, False
    result = st.session_state.get(K_RESULT)
    if isinstance(result, str):
        loaded()
    elif isinstance(result, Report):
        st.error("Der Import ist fehlgeschlagen. Die Datenbank ist unverändert.", icon=":material/error:")
        report_view(result)
    elif current:
        if checked[1].ok:
            st.success("Prüfung ohne Fehler: jetzt kann importiert werden.", icon=":material/check_circle:")
        else:
            st.error(f"Die Prüfung hat {fmt.number(len(checked[1].errors))} Fehler gefunden: so wird nichts "
                     "importiert. Die Datenbank ist unverändert.", icon=":material/error:")
        report_view(checked[1])
    elif checked is not None:
        st.info("Zuordnung oder Dateien haben sich seit der letzten Prüfung geändert: bitte erneut prüfen.",
                icon=":material/info:")


def loaded() -> None:
    """Which dataset the app now reads, from the new store's own metadata."""
    meta = current_store(config.db_path()).meta
    st.success(f"Importiert. Alle Seiten zeigen jetzt **{md(meta['name'])}**.", icon=":material/check_circle:")
    st.markdown("\n".join(f"- {label}: {md(value) if value else fmt.MISSING}" for label, value in (
        ("Stadt", meta["city"]), ("Quelle", meta["source"]), ("Lizenz", meta["licence"]),
        ("Berichtsjahr", meta["reference_year"]), ("Build", meta["build_id"]))))
