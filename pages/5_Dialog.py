"""Dialog: the mode for Expert*innendialoge (planned)."""

from sozialdash.ui.page import coming_soon, setup_page

setup_page("Dialog")
coming_soon("Dialog", "Hier entsteht der Modus für Expert*innendialoge im Sozialraum.", [
    "Präsentation der Daten eines Sozialraums auf dem Beamer",
    "Erfassen von Beobachtungen, Versorgungslücken und Handlungsempfehlungen, ohne dass etwas verloren geht",
    "Strategiepapier je Sozialraum als DOCX",
])
