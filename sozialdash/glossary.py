"""German words for the codes the store uses, in one place for every page, table and export.

A secret cell is only ever "geheim" ("."), whatever rule hid it: naming the rule ("kleine Fallzahl") tells an
attacker which hidden counts are small and lets them be solved from the published sums (DESIGN.md, Statistics).
"""

from sozialdash import fmt
from sozialdash.analysis.intervals import WITH_INTERVAL

POLARITY = {
    "higher_is_better": "höher ist besser",
    "higher_is_worse": "höher ist schlechter",
    "neutral": "keine Wertung",
}
VALUE_TYPE = {
    "proportion": "Anteil",
    "rate": "Rate",
    "ratio": "Verhältniszahl",
    "mean": "Durchschnitt",
    "count": "Anzahl",
}
AGGREGATION = {
    "sum": "Summe der Teilgebiete",
    "ratio_of_sums": "Summe der Zähler / Summe der Nenner",
    "none": "nicht aggregierbar (wie geliefert)",
}
SECRET = "geheim"
SECRET_LABEL = f"{SECRET} ({fmt.SUPPRESSED})"
MISSING_REASON = {  # codes from analysis.gaps.why_missing
    "published_only": "veröffentlichter Wert, nicht aus Teilgebieten berechenbar",
    "children_missing": "Teilgebiete ohne Wert",
    "not_delivered": "von der Quelle nicht geliefert",
}
INTERVAL_METHOD = {
    "proportion": "Wilson-Score-Intervall (95 %)",
    "rate": "Byar-Näherung, unter 10 Fällen exakt nach Poisson (95 %)",
    **{value_type: fmt.NO_INTERVAL for value_type in VALUE_TYPE if value_type not in WITH_INTERVAL},
}
JUDGEMENT = {
    "better": "besser",
    "similar": "ähnlich",
    "worse": "schlechter",
    "higher": "höher",
    "lower": "niedriger",
    "not_comparable": fmt.NOT_COMPARABLE,
    "suppressed": SECRET,
    "missing": fmt.MISSING,
}


TREND = {  # codes from analysis.trend.judgement
    "getting_worse": "verschlechtert sich",
    "getting_better": "verbessert sich",
    "increasing": "steigt",
    "decreasing": "sinkt",
    "no_change": "kein Trend",   # short enough for the Profil's table at 1280 px; the glossary says what it means
    "not_computable": "nicht berechenbar",
}
RED_RED = "signifikant schlechter und sich verschlechternd"

# The Begleitbroschüre's Glossar: terms a dialogue meets, explained for people who are not statisticians.
TERMS = {
    "Anteil (Quote)": "Wie viele von hundert Menschen einer Gruppe etwas betrifft, in Prozent. Der Zähler sind "
                      "die Betroffenen, der Nenner alle in der Gruppe.",
    "Rate je 1.000": "Wie viele Fälle auf 1.000 Menschen einer Gruppe kommen, etwa Hilfen zur Erziehung je 1.000 "
                     "junge Menschen.",
    "SGB-II-Quote": "Der Anteil der Menschen unter 65 Jahren, die Bürgergeld (Grundsicherung für Arbeitsuchende "
                    "nach dem Zweiten Buch Sozialgesetzbuch) beziehen, an allen Menschen unter 65.",
    "Bedarfsgemeinschaft": "Die Menschen in einem Haushalt, die zusammen Leistungen nach dem SGB II bekommen, etwa "
                           "Eltern mit ihren Kindern. Ihr Einkommen wird gemeinsam angerechnet.",
    "Transferleistungen": "Geld vom Staat zum Lebensunterhalt, das nicht aus eigener Arbeit stammt: Bürgergeld, "
                          "Sozialhilfe, Grundsicherung im Alter, Wohngeld.",
    "Kinderarmut": "Hier: der Anteil der Kinder unter 15 Jahren, die in einer Bedarfsgemeinschaft leben.",
    "Konfidenzintervall (Vertrauensbereich)": "Der Bereich, in dem der wahre Wert mit 95 % Sicherheit liegt. In "
        "kleinen Gebieten ist er breit: wenige Fälle mehr oder weniger verschieben den Anteil stark.",
    "signifikant": "Ein Unterschied, der sich nicht durch Zufall erklären lässt: Der Vertrauensbereich des "
                   "Gebiets enthält den Wert der Gesamtstadt nicht.",
    "Trend": "Ob ein Wert über die letzten fünf Jahre gleichmäßig steigt oder sinkt, geprüft mit dem "
             "Chi-Quadrat-Test auf Trend. „Kein Trend“ heißt: keine signifikante Veränderung. Mit weniger als fünf "
             "Jahren wird kein Trend angegeben („nicht berechenbar“).",
    "Geheimhaltung": f"Kleine Fallzahlen werden nicht gezeigt ({fmt.SUPPRESSED}), damit niemand erkennbar wird; "
                     "dazu auch Werte, aus denen man sie zurückrechnen könnte.",
    "Sozialraum": "Ein Teil der Stadt, für den die Sozialplanung Daten zusammenfasst und Angebote plant; er besteht "
                  "aus mehreren Stadtteilen.",
    "Statusindex": "Fasst mehrere Indikatoren der sozialen Lage (etwa Arbeitslosigkeit, Transferbezug, "
                   "Kinderarmut) zu einem Wert zusammen, im Vergleich mit allen Gebieten der Stadt.",
    "Dynamikindex": "Wie sich diese Indikatoren in den letzten Jahren verändert haben, ebenfalls im Vergleich mit "
                    "allen Gebieten.",
}

COMPARATOR = {"judgement_city": "ggü. Gesamtstadt", "judgement_parent": "ggü. übergeordnetem Gebiet"}


def judgement_text(code: str) -> str:
    return JUDGEMENT.get(code, code)


def missing_text(reason: str | None) -> str:
    """'keine Daten' with the reason in brackets, the one wording for a gap with a known cause."""
    return f"{fmt.MISSING} ({MISSING_REASON[reason]})" if reason else fmt.MISSING


QUADRANT = {  # codes from analysis.supply.quadrants: need against supply, the city's values as the cross
    "high_need_low_supply": "hoher Bedarf, geringe Versorgung",
    "high_need_high_supply": "hoher Bedarf, gute Versorgung",
    "low_need_low_supply": "geringer Bedarf, geringe Versorgung",
    "low_need_high_supply": "geringer Bedarf, gute Versorgung",
}

SUPPLY_METHOD = (  # the Versorgung tab and Daten & Methodik
    "**Methode.** Angebot: Einrichtungen der gewählten Kategorien (nach ihrer Hauptkategorie) und ihre Plätze, "
    "gezählt in dem Gebiet, in dem ihre Adresse liegt, je 1.000 Menschen der Zielgruppe (veröffentlichte Zahl; "
    "ist sie geheim, steht „.“ und es gibt keinen Wert je 1.000). Plätze je 1.000 nur, wo jede Einrichtung des "
    "Gebiets eine Platzzahl hat. Die Quadranten vergleichen jedes Gebiet mit der Gesamtstadt (das Kreuz): hoher "
    "Bedarf heißt ungünstiger als die Stadt, geringe Versorgung weniger je 1.000 als die Stadt. "
    "**Erreichbarkeit:** der Anteil der Zielgruppe, der höchstens die gewählte Entfernung (Luftlinie) von einem "
    "Angebot entfernt wohnt; genähert aus den kleinsten Gebieten, deren Zielgruppe gleichmäßig über ihre Fläche "
    "verteilt angenommen wird (ist die Zahl eines kleinsten Gebiets geheim, wird der Rest der übergeordneten Zahl "
    "nach Fläche verteilt). **Grenzen:** Einrichtungen versorgen auch Menschen jenseits der Gebietsgrenzen, "
    "Luftlinie ist nicht Wegstrecke, und eine Einrichtung ohne Platzzahl sagt nichts über ihre Größe."
)
DISTANCE_METHOD = (
    "**Entfernungen** im Sozialnavigator sind Luftlinien auf dem Erdellipsoid (WGS84), aus den Koordinaten der "
    "Einrichtungen; innerhalb einer Stadt weichen sie weniger als 0,01 % von der exakten geodätischen Entfernung "
    "ab. Der Mittelpunkt eines Gebiets ist sein Beschriftungspunkt, der immer im Gebiet liegt."
)
INDEX_METHOD = (  # the Sozialindex page and Daten & Methodik
    "**Sozialindex nach dem Monitoring Soziale Stadtentwicklung (Berlin).** Gebiete unter der Mindestbevölkerung "
    "(Standard 300) und Gebiete mit fehlendem oder geheimem Wert bleiben außen vor („ohne Zuordnung“). Jeder "
    "Status-Indikator (Wert im Jahr) und jeder Dynamik-Indikator (Veränderung über den Zeitraum, Standard zwei "
    "Jahre, in Prozentpunkten) wird über die übrigen Gebiete z-standardisiert: ungewichteter Mittelwert, "
    "Standardabweichung der Grundgesamtheit. Die z-Werte werden mit gleichen Gewichten addiert, jeder mit dem "
    "Vorzeichen, bei dem höher ungünstiger heißt, und die Summe wird noch einmal so standardisiert. Klassen nach "
    "festen Grenzen in Standardabweichungen: Status 1 hoch (unter −1), 2 mittel (−1 bis +1), 3 niedrig (über +1 "
    "bis +1,5), 4 sehr niedrig (über +1,5); Dynamik + positiv (unter −1), +/- stabil (−1 bis +1), − negativ "
    "(über +1). Ein Wert genau auf einer Grenze gehört zur milderen Klasse. Der Code nennt beides, etwa „2+/-“. "
    "Indikatoren, Gewichte, Grenzen, Zeitraum und Mindestbevölkerung lassen sich ändern; die Seite sagt dann, worin "
    "sie von den Regeln des MSS abweicht. Eine veröffentlichte Ausgabe lässt sich mit `python -m sozialdash "
    "sozialindex` aus ihrer Tabelle nachrechnen und Gebiet für Gebiet mit den amtlichen Klassen vergleichen."
)
