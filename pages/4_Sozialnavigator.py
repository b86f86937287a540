"""Sozialnavigator: the filterable map of social institutions (planned)."""

from sozialdash.ui.page import coming_soon, setup_page

setup_page("Sozialnavigator")
coming_soon("Sozialnavigator", "Hier entsteht die Karte der sozialen Einrichtungen.", [
    "Kitas, Familienzentren, Beratungsstellen, Jugendzentren, Seniorentreffs und mehr auf der Karte",
    "Filter nach Kategorie, Zielgruppe, Alter, Sprache, Barrierefreiheit und Träger",
    "Bedarf und Angebot je Gebiet nebeneinander, um Versorgungslücken zu erkennen",
])
