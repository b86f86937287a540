"""Profil: the Datenblatt of one area (planned)."""

from sozialdash.ui.page import coming_soon, setup_page

setup_page("Profil")
coming_soon("Profil", "Hier entsteht das Datenblatt eines Gebiets.", [
    "alle Kennzahlen eines Sozialraums oder Stadtteils mit Zeitreihe und Vergleich zur Gesamtstadt",
    "ein Sozialindex nach dem Vorbild des Berliner Monitorings Soziale Stadtentwicklung",
    "Export als PDF und HTML für Sitzungsunterlagen",
])
