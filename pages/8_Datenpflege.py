"""Datenpflege: import a city's files with a mapping; only for the role Datenpflege."""

import streamlit as st

from sozialdash.ui import importer
from sozialdash.ui.page import setup_page

setup_page("Datenpflege")
st.title("Datenpflege: Daten einer Stadt importieren")
if not importer.signed_in():
    st.stop()
importer.sign_out()
st.markdown(
    "Eine **Zuordnung** (YAML) sagt, welche Datei welche Gebiete, Kennzahlen und Werte enthält und wie sie zu lesen "
    "ist; docs/import.md erklärt jeden Schlüssel. Erst **Prüfen**: das liest alles und berichtet jede Zeile, die "
    "nicht passt, ohne etwas zu schreiben. Dann **Importieren**: das baut eine neue Datenbank und setzt sie als "
    "Ganzes ein; bei einem Fehler bleibt die alte unverändert.")

st.subheader("1. Zuordnung")
text, raw = importer.mapping_editor()

st.subheader("2. Dateien")
files = importer.data_files()
usable = importer.matched(files, raw)
importer.previews(files, raw)

st.subheader("3. Prüfen und importieren")
importer.check_and_import(text, raw, files, usable)
