"""The demo's indicator catalogue: metadata as a Sozialbericht states it, plus how the generator draws each one.

``base`` is the city median (share 0..1 for proportions, per ``multiplier`` for rates), ``slope`` the effect of
one SD of deprivation (logit scale for shares, log scale for rates), ``trend`` the yearly city-wide drift on the
same scale and ``crisis`` the jump in the crisis years 2020 and 2023. ``denominator`` names a population group
or ``"num:<indicator>"``, the numerator of another indicator. Shares with the same ``cohort`` are categories of one
denominator that exclude each other (a 4th-grader changes to one school): they are drawn jointly, so together they
never exceed the whole.
"""

from __future__ import annotations

from dataclasses import dataclass

TOPICS = [
    ("bevoelkerung", "Bevölkerung"),
    ("haushalte", "Haushalte und Familien"),
    ("existenzsicherung", "Existenzsicherung"),
    ("arbeit", "Arbeit und Einkommen"),
    ("bildung", "Bildung"),
    ("gesundheit", "Gesundheit"),
    ("wohnen", "Wohnen"),
    ("teilhabe", "Teilhabe und Hilfen"),
]
FIRST_YEAR, LAST_YEAR = 2015, 2025
ELECTION_YEARS = (2015, 2017, 2020, 2021, 2025)

SOURCES = {
    "melde": "Einwohnermelderegister Musterstadt (fiktiv)",
    "ba": "Statistik der Bundesagentur für Arbeit (fiktiv)",
    "sozialamt": "Fachbereich Soziales Musterstadt (fiktiv)",
    "schule": "Schulverwaltung Musterstadt (fiktiv)",
    "gesundheitsamt": "Gesundheitsamt, Schuleingangsuntersuchung (fiktiv)",
    "jugendamt": "Jugendamt Musterstadt (fiktiv)",
    "wahl": "Wahlamt Musterstadt (fiktiv)",
    "wohnen": "Amt für Wohnen und Stadtentwicklung (fiktiv)",
    "finanz": "Lohn- und Einkommensteuerstatistik (fiktiv)",
}
# Indicators whose numerator is a population group rather than a draw.
DERIVED_NUMERATORS = {
    "einwohner": "pop", "anteil_u18": "p0_17", "anteil_u6": "p0_5", "anteil_6_9": "p6_9", "anteil_10_20": "p10_20",
    "anteil_65plus": "p65plus", "anteil_80plus": "p80plus",
    "jugendquotient": "p0_17", "altenquotient": "p65plus", "haushaltsgroesse": "pop",
}
# What a Statistikstelle knows adds up (analysis.quantities): (relation, total, parts, kind). The age groups are
# built to add up exactly; the younger groups lie within the under-18s, the old within the 65+; the groups the
# institutions serve (under 6, 6 to under 10, 10 to under 21) make up the under-21s.
RELATIONS = [
    ("alter", "pop", ("p0_17", "p18_64", "p65plus"), "equal"),
    ("unter_65", "p0_64", ("p0_17", "p18_64"), "equal"),
    ("unter_21", "p0_20", ("p0_5", "p6_9", "p10_20"), "equal"),
    ("unter_15", "p0_17", ("p0_14",), "at_most"),
    ("unter_10", "p0_14", ("p0_5", "p6_9"), "at_most"),
    ("unter_3", "p0_17", ("p0_2",), "at_most"),
    ("unter_3_von_6", "p0_5", ("p0_2",), "at_most"),
    ("hochaltrige", "p65plus", ("p80plus",), "at_most"),
    ("uebergaenge", "grade4", ("uebergang_gym", "uebergang_gesamt"), "at_most"),
]

# Which people each institution category serves (Dataset.supply_targets): the category, the indicator whose
# numerator counts them, and their German name. demo.institutions draws these categories from the same groups.
SUPPLY_TARGETS = [
    ("Kita", "anteil_u6", "Kinder unter 6 Jahren"),
    ("Familienzentrum", "anteil_u6", "Kinder unter 6 Jahren"),
    ("Grundschule", "anteil_6_9", "Kinder von 6 bis unter 10 Jahren"),
    ("Offener Ganztag", "anteil_6_9", "Kinder von 6 bis unter 10 Jahren"),
    ("Jugendzentrum", "anteil_10_20", "Junge Menschen von 10 bis unter 21 Jahren"),
    ("Seniorentreff", "anteil_65plus", "Menschen ab 65 Jahren"),
    ("Pflegeberatung", "anteil_65plus", "Menschen ab 65 Jahren"),
]


@dataclass(frozen=True)
class Spec:
    indicator_id: str
    name: str
    short_name: str
    topic_id: str
    value_type: str
    polarity: str
    unit: str
    decimals: int
    denominator: str
    base: float = 0.0
    slope: float = 0.0
    noise: float = 0.15
    trend: float = 0.0
    crisis: float = 0.0
    definition: str = ""
    numerator_definition: str | None = None
    denominator_definition: str | None = None
    source: str = "melde"
    reference_date: str = "31.12."
    first_year: int = FIRST_YEAR
    years: tuple[int, ...] | None = None
    headline: bool = False
    source_suppresses_below: int = 0  # the source itself blanks counts below this (as the BA does with "*")
    of_persons: bool = True  # numerator and denominator count persons (not households or dwellings)
    cohort: str | None = None  # shares of one denominator whose categories exclude each other, drawn jointly

    @property
    def protect_complement(self) -> bool:
        """A share of persons names the few it leaves out ("65 von 66"), so its small complements are secret."""
        return self.value_type == "proportion" and self.of_persons

    @property
    def numerator_quantity(self) -> str:
        """The population group it counts, or its own count (which other indicators may use as denominator)."""
        return DERIVED_NUMERATORS.get(self.indicator_id, self.indicator_id)

    @property
    def denominator_quantity(self) -> str | None:
        if self.value_type == "count":
            return None
        if self.denominator.startswith("num:"):
            return DERIVED_NUMERATORS.get(self.denominator[4:], self.denominator[4:])
        return self.denominator

    @property
    def multiplier(self) -> float:
        return {"proportion": 100.0, "rate": 1000.0, "ratio": 100.0, "mean": 1.0, "count": 1.0}[self.value_type]

    @property
    def aggregation(self) -> str:
        return "sum" if self.value_type == "count" else "ratio_of_sums"


def _share(indicator_id, name, short, topic, polarity, denominator, base, slope, definition, num, den, **kw):
    return Spec(indicator_id, name, short, topic, "proportion", polarity, "%", 1, denominator, base, slope,
                definition=definition, numerator_definition=num, denominator_definition=den, **kw)


def _rate(indicator_id, name, short, topic, polarity, denominator, base, slope, definition, num, den, **kw):
    return Spec(indicator_id, name, short, topic, "rate", polarity, "je 1.000", 1, denominator, base, slope,
                definition=definition, numerator_definition=num, denominator_definition=den, **kw)


W, B, N = "higher_is_worse", "higher_is_better", "neutral"

SPECS: list[Spec] = [
    # Bevölkerung: derived from the population model, not drawn with base/slope.
    Spec("einwohner", "Einwohner*innen mit Hauptwohnsitz", "Einwohner*innen", "bevoelkerung", "count", N, "",
         0, "pop", definition="Einwohner*innen mit Hauptwohnsitz am 31.12.", numerator_definition="Einwohner*innen",
         headline=True),
    _share("anteil_u18", "Anteil der unter 18-Jährigen", "Unter 18-Jährige", "bevoelkerung", N, "pop", 0, 0,
           "Anteil der Einwohner*innen unter 18 Jahren an allen Einwohner*innen.", "Einwohner*innen unter 18 Jahren",
           "Einwohner*innen"),
    _share("anteil_u6", "Anteil der unter 6-Jährigen", "Unter 6-Jährige", "bevoelkerung", N, "pop", 0, 0,
           "Anteil der Einwohner*innen unter 6 Jahren an allen Einwohner*innen.", "Einwohner*innen unter 6 Jahren",
           "Einwohner*innen"),
    _share("anteil_6_9", "Anteil der 6- bis unter 10-Jährigen", "6- bis unter 10-Jährige", "bevoelkerung", N, "pop",
           0, 0, "Anteil der Einwohner*innen von 6 bis unter 10 Jahren an allen Einwohner*innen.",
           "Einwohner*innen von 6 bis unter 10 Jahren", "Einwohner*innen"),
    _share("anteil_10_20", "Anteil der 10- bis unter 21-Jährigen", "10- bis unter 21-Jährige", "bevoelkerung", N,
           "pop", 0, 0, "Anteil der Einwohner*innen von 10 bis unter 21 Jahren an allen Einwohner*innen.",
           "Einwohner*innen von 10 bis unter 21 Jahren", "Einwohner*innen"),
    _share("anteil_65plus", "Anteil der 65-Jährigen und Älteren", "65-Jährige und Ältere", "bevoelkerung", N, "pop",
           0, 0, "Anteil der Einwohner*innen ab 65 Jahren an allen Einwohner*innen.", "Einwohner*innen ab 65 Jahren",
           "Einwohner*innen"),
    _share("anteil_80plus", "Anteil der Hochaltrigen (80+)", "Hochaltrige (80+)", "bevoelkerung", N, "pop", 0, 0,
           "Anteil der Einwohner*innen ab 80 Jahren an allen Einwohner*innen.", "Einwohner*innen ab 80 Jahren",
           "Einwohner*innen"),
    Spec("jugendquotient", "Jugendquotient", "Jugendquotient", "bevoelkerung", "ratio", N, "je 100", 1, "p18_64",
         definition="Unter 18-Jährige je 100 Personen im Alter von 18 bis unter 65 Jahren.",
         numerator_definition="Einwohner*innen unter 18 Jahren",
         denominator_definition="Einwohner*innen von 18 bis unter 65 Jahren"),
    Spec("altenquotient", "Altenquotient", "Altenquotient", "bevoelkerung", "ratio", N, "je 100", 1, "p18_64",
         definition="65-Jährige und Ältere je 100 Personen im Alter von 18 bis unter 65 Jahren.",
         numerator_definition="Einwohner*innen ab 65 Jahren",
         denominator_definition="Einwohner*innen von 18 bis unter 65 Jahren"),
    _share("auslaender", "Anteil nichtdeutscher Einwohner*innen", "Nichtdeutsche", "bevoelkerung", N, "pop", 0.12,
           0.75, "Anteil der Einwohner*innen ohne deutsche Staatsangehörigkeit.",
           "Einwohner*innen ohne deutsche Staatsangehörigkeit", "Einwohner*innen", trend=0.035, crisis=0.04),
    _share("migration_u18", "Unter 18-Jährige mit Migrationshintergrund", "U18 mit Migrationshintergrund",
           "bevoelkerung", N, "p0_17", 0.40, 0.85, "Anteil der unter 18-Jährigen mit eigener oder familiärer "
           "Zuwanderungsgeschichte.", "Unter 18-Jährige mit Migrationshintergrund", "Einwohner*innen unter 18 Jahren",
           trend=0.03),
    _rate("geburten", "Allgemeine Geburtenrate", "Geburtenrate", "bevoelkerung", N, "women15_44", 48.0, 0.12,
          "Lebendgeborene je 1.000 Frauen im Alter von 15 bis unter 45 Jahren.", "Lebendgeborene",
          "Frauen von 15 bis unter 45 Jahren"),
    # Haushalte
    _share("einpersonen_hh", "Anteil der Einpersonenhaushalte", "Einpersonenhaushalte", "haushalte", N, "households",
           0.47, 0.05, "Anteil der Haushalte mit einer Person an allen Haushalten.", "Einpersonenhaushalte",
           "Haushalte", trend=0.01, of_persons=False),
    _share("hh_mit_kindern", "Anteil der Haushalte mit Kindern", "Haushalte mit Kindern", "haushalte", N,
           "households", 0.18, 0.18, "Anteil der Haushalte mit mindestens einem Kind unter 18 Jahren.",
           "Haushalte mit Kindern unter 18 Jahren", "Haushalte", of_persons=False),
    _share("alleinerziehende", "Alleinerziehende", "Alleinerziehende", "haushalte", W, "num:hh_mit_kindern", 0.25,
           0.35, "Anteil der Haushalte von Alleinerziehenden an allen Haushalten mit Kindern.",
           "Haushalte Alleinerziehender", "Haushalte mit Kindern unter 18 Jahren", headline=True, of_persons=False),
    Spec("haushaltsgroesse", "Durchschnittliche Haushaltsgröße", "Haushaltsgröße", "haushalte", "mean", N,
         "Personen", 2, "households", definition="Einwohner*innen in Privathaushalten je Haushalt.",
         numerator_definition="Einwohner*innen in Privathaushalten", denominator_definition="Haushalte"),
    # Existenzsicherung
    _share("sgb2_quote", "SGB-II-Quote", "SGB-II-Quote", "existenzsicherung", W, "p0_64", 0.085, 0.85,
           "Anteil der Leistungsberechtigten nach dem SGB II (Grundsicherung für Arbeitsuchende) an den "
           "Einwohner*innen unter 65 Jahren.", "Leistungsberechtigte nach SGB II", "Einwohner*innen unter 65 Jahren",
           source="ba", trend=-0.025, crisis=0.05, headline=True),
    _share("kinderarmut", "Kinderarmut (unter 15-Jährige im SGB-II-Bezug)", "Kinderarmut U15", "existenzsicherung",
           W, "p0_14", 0.16, 0.95, "Anteil der nicht erwerbsfähigen Leistungsberechtigten unter 15 Jahren nach SGB II "
           "an allen Einwohner*innen unter 15 Jahren.", "Nicht erwerbsfähige Leistungsberechtigte unter 15 Jahren",
           "Einwohner*innen unter 15 Jahren", source="ba", trend=-0.02, crisis=0.06, headline=True),
    _share("altersarmut", "Grundsicherung im Alter", "Grundsicherung im Alter", "existenzsicherung", W, "p65plus",
           0.035, 0.7, "Anteil der Empfänger*innen von Grundsicherung im Alter (SGB XII, 4. Kapitel) an den "
           "Einwohner*innen ab 65 Jahren.", "Empfänger*innen von Grundsicherung im Alter",
           "Einwohner*innen ab 65 Jahren", source="sozialamt", trend=0.03, headline=True),
    _share("wohngeld", "Haushalte mit Wohngeld", "Wohngeld", "existenzsicherung", W, "households", 0.02, 0.55,
           "Anteil der Haushalte mit Wohngeldbezug an allen Haushalten.", "Wohngeldhaushalte", "Haushalte",
           source="sozialamt", trend=0.02, crisis=0.25, of_persons=False),
    _share("langzeitbezug", "Langzeitleistungsbeziehende", "Langzeitleistungsbezug", "existenzsicherung", W,
           "num:sgb2_quote", 0.62, 0.2, "Anteil der erwerbsfähigen Leistungsberechtigten, die in den letzten 24 "
           "Monaten mindestens 21 Monate hilfebedürftig waren, an allen Leistungsberechtigten nach SGB II.",
           "Langzeitleistungsbeziehende", "Leistungsberechtigte nach SGB II", source="ba", first_year=2016),
    # Arbeit
    _share("arbeitslosigkeit", "Arbeitslosenanteil", "Arbeitslose", "arbeit", W, "p15_64", 0.055, 0.75,
           "Anteil der Arbeitslosen (SGB II und III) an den Einwohner*innen von 15 bis unter 65 Jahren.",
           "Arbeitslose", "Einwohner*innen von 15 bis unter 65 Jahren", source="ba", trend=-0.03, crisis=0.12,
           headline=True),
    _share("jugendarbeitslosigkeit", "Jugendarbeitslosigkeit", "Arbeitslose unter 25", "arbeit", W, "p15_24", 0.045,
           0.7, "Anteil der Arbeitslosen unter 25 Jahren an den Einwohner*innen von 15 bis unter 25 Jahren.",
           "Arbeitslose unter 25 Jahren", "Einwohner*innen von 15 bis unter 25 Jahren", source="ba", trend=-0.02,
           crisis=0.15, source_suppresses_below=3),
    _share("langzeitarbeitslose", "Anteil Langzeitarbeitsloser", "Langzeitarbeitslose", "arbeit", W,
           "num:arbeitslosigkeit", 0.38, 0.25, "Anteil der Arbeitslosen, die ein Jahr und länger arbeitslos sind, "
           "an allen Arbeitslosen.", "Langzeitarbeitslose", "Arbeitslose", source="ba", crisis=0.1),
    _share("beschaeftigung", "Beschäftigungsquote", "Beschäftigungsquote", "arbeit", B, "p15_64", 0.58, -0.35,
           "Anteil der sozialversicherungspflichtig Beschäftigten am Wohnort an den Einwohner*innen von 15 bis "
           "unter 65 Jahren.", "Sozialversicherungspflichtig Beschäftigte (Wohnort)",
           "Einwohner*innen von 15 bis unter 65 Jahren", source="ba", reference_date="30.06.", trend=0.02,
           crisis=-0.04),
    Spec("einkommen", "Durchschnittliche Einkünfte je Steuerpflichtigen", "Einkünfte je Steuerpflichtigen", "arbeit",
         "mean", B, "EUR", 0, "taxpayers", 36_000, -0.3, noise=0.08, trend=0.025, crisis=-0.01,
         definition="Gesamtbetrag der Einkünfte je unbeschränkt Steuerpflichtigen.",
         numerator_definition="Gesamtbetrag der Einkünfte (EUR)", denominator_definition="Steuerpflichtige",
         source="finanz"),
    # Bildung
    _share("kita_u3", "Betreuungsquote unter 3-Jährige", "Betreuungsquote U3", "bildung", B, "p0_2", 0.33, -0.35,
           "Anteil der Kinder unter 3 Jahren in Kindertagesbetreuung (Kita und Kindertagespflege).",
           "Betreute Kinder unter 3 Jahren", "Kinder unter 3 Jahren", source="jugendamt", reference_date="01.03.",
           trend=0.04),
    _share("uebergang_gym", "Übergangsquote auf das Gymnasium", "Übergang Gymnasium", "bildung", B, "grade4", 0.42,
           -0.8, "Anteil der Schüler*innen der 4. Klasse, die auf ein Gymnasium wechseln.",
           "Übergänge auf ein Gymnasium", "Schüler*innen der 4. Klasse (Wohnort)", source="schule",
           reference_date="Schuljahr", headline=True, cohort="grade4_destination"),
    _share("uebergang_gesamt", "Übergangsquote auf die Gesamtschule", "Übergang Gesamtschule", "bildung", N,
           "grade4", 0.33, 0.35, "Anteil der Schüler*innen der 4. Klasse, die auf eine Gesamtschule wechseln.",
           "Übergänge auf eine Gesamtschule", "Schüler*innen der 4. Klasse (Wohnort)", source="schule",
           reference_date="Schuljahr", cohort="grade4_destination"),
    _share("ohne_abschluss", "Schulabgänger*innen ohne Abschluss", "Ohne Schulabschluss", "bildung", W, "leavers",
           0.06, 0.6, "Anteil der Schulabgänger*innen ohne Hauptschulabschluss an allen Schulabgänger*innen "
           "(Wohnort).", "Schulabgänger*innen ohne Abschluss", "Schulabgänger*innen", source="schule",
           reference_date="Schuljahr"),
    _share("sprachfoerderung", "Sprachförderbedarf bei der Einschulung", "Sprachförderbedarf", "bildung", W,
           "entrants", 0.20, 0.8, "Anteil der untersuchten Kinder mit Förderbedarf in der Sprachentwicklung bei der "
           "Schuleingangsuntersuchung.", "Kinder mit Sprachförderbedarf", "Untersuchte Schulanfänger*innen",
           source="gesundheitsamt", reference_date="Schuljahr", trend=0.015, crisis=0.08),
    # Gesundheit
    _share("uebergewicht", "Übergewicht bei der Einschulung", "Übergewicht Einschulung", "gesundheit", W, "entrants",
           0.11, 0.45, "Anteil der untersuchten Kinder mit Übergewicht oder Adipositas (BMI über P90).",
           "Kinder mit Übergewicht", "Untersuchte Schulanfänger*innen", source="gesundheitsamt",
           reference_date="Schuljahr", trend=0.01),
    _share("impfschutz", "Vollständiger Masern-Impfschutz bei der Einschulung", "Masern-Impfschutz", "gesundheit", B,
           "entrants", 0.93, -0.3, "Anteil der untersuchten Kinder mit zwei dokumentierten Masernimpfungen.",
           "Kinder mit vollständigem Masern-Impfschutz", "Untersuchte Schulanfänger*innen",
           source="gesundheitsamt", reference_date="Schuljahr", trend=0.03),
    _share("karies", "Behandlungsbedürftige Karies bei der Einschulung", "Karies Einschulung", "gesundheit", W,
           "entrants", 0.15, 0.55, "Anteil der untersuchten Kinder mit behandlungsbedürftiger Karies.",
           "Kinder mit behandlungsbedürftiger Karies", "Untersuchte Schulanfänger*innen",
           source="gesundheitsamt", reference_date="Schuljahr", first_year=2017),
    # A share, not a rate: every person counted is one of the Einwohner*innen ab 65 Jahren (Wilson interval).
    _share("pflege", "Pflegebedürftige", "Pflegebedürftige", "gesundheit", N, "p65plus", 0.15, 0.15,
           "Anteil der Leistungsempfänger*innen der Pflegeversicherung ab 65 Jahren an den Einwohner*innen ab 65 "
           "Jahren.", "Pflegebedürftige ab 65 Jahren", "Einwohner*innen ab 65 Jahren", source="sozialamt",
           trend=0.02),
    # Wohnen
    _share("sozialwohnungen", "Anteil öffentlich geförderter Wohnungen", "Sozialwohnungen", "wohnen", N, "dwellings",
           0.06, 0.9, "Anteil der mietpreis- und belegungsgebundenen Wohnungen am Wohnungsbestand.",
           "Geförderte Mietwohnungen", "Wohnungen", source="wohnen", trend=-0.03, of_persons=False),
    Spec("wohnflaeche", "Wohnfläche je Einwohner*in", "Wohnfläche", "wohnen", "mean", B, "m²", 1, "pop", 44.0, -0.12,
         noise=0.06, trend=0.004, definition="Wohnfläche in Wohngebäuden je Einwohner*in.",
         numerator_definition="Wohnfläche (m²)", denominator_definition="Einwohner*innen", source="wohnen"),
    _share("wohndauer", "Wohndauer von fünf Jahren und mehr", "Wohndauer 5+ Jahre", "wohnen", B, "pop", 0.62, -0.3,
           "Anteil der Einwohner*innen, die seit mindestens fünf Jahren an derselben Adresse wohnen.",
           "Einwohner*innen mit Wohndauer von 5 Jahren und mehr", "Einwohner*innen"),
    _rate("zuzuege", "Zuzüge über die Stadtteilgrenze", "Zuzüge", "wohnen", N, "pop", 85.0, 0.2,
          "Zuzüge in den Stadtteil (von außerhalb und aus anderen Stadtteilen) je 1.000 Einwohner*innen.",
          "Zuzüge", "Einwohner*innen", crisis=0.1),
    # Teilhabe
    _share("wahlbeteiligung", "Wahlbeteiligung", "Wahlbeteiligung", "teilhabe", B, "voters", 0.58, -0.55,
           "Anteil der Wählenden an den Wahlberechtigten bei der jeweils letzten Kommunal- oder Bundestagswahl.",
           "Wählende", "Wahlberechtigte", source="wahl", reference_date="Wahltag", years=ELECTION_YEARS,
           headline=True),
    _rate("hze", "Hilfen zur Erziehung", "Hilfen zur Erziehung", "teilhabe", W, "p0_20", 28.0, 0.75,
          "Laufende Hilfen zur Erziehung (§§ 27–35 SGB VIII) je 1.000 Einwohner*innen unter 21 Jahren.",
          "Laufende Hilfen zur Erziehung", "Einwohner*innen unter 21 Jahren", source="jugendamt", trend=0.015),
    _rate("inobhutnahmen", "Inobhutnahmen", "Inobhutnahmen", "teilhabe", W, "p0_17", 2.5, 0.8,
          "Vorläufige Schutzmaßnahmen (§ 42 SGB VIII) je 1.000 Einwohner*innen unter 18 Jahren.",
          "Inobhutnahmen", "Einwohner*innen unter 18 Jahren", source="jugendamt", noise=0.25, crisis=0.2),
    _share("sportverein", "Kinder und Jugendliche im Sportverein", "Sportvereinsmitglieder U18", "teilhabe", B,
           "p0_17", 0.45, -0.6, "Anteil der Mitglieder in Sportvereinen an den Einwohner*innen unter 18 Jahren.",
           "Mitglieder unter 18 Jahren in Sportvereinen", "Einwohner*innen unter 18 Jahren", source="sozialamt",
           crisis=-0.25),
]
