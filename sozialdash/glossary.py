"""German words for the codes the store uses, in one place for every page, table and export."""

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
SUPPRESSION = {
    "primary": "geheim (kleine Fallzahl)",
    "secondary": "geheim (Schutz vor Rückrechnung)",
    "source": "von der Quelle geheim gehalten",
}
INTERVAL_METHOD = {
    "proportion": "Wilson-Score-Intervall (95 %)",
    "rate": "Byar-Näherung, unter 10 Fällen exakt nach Poisson (95 %)",
    "ratio": "kein Intervall",
    "mean": "kein Intervall",
    "count": "kein Intervall",
}
JUDGEMENT = {
    "better": "besser",
    "similar": "ähnlich",
    "worse": "schlechter",
    "higher": "höher",
    "lower": "niedriger",
    "not_comparable": "nicht vergleichbar",
    "suppressed": "geheim",
    "missing": "keine Daten",
}


def judgement_text(code: str) -> str:
    return JUDGEMENT.get(code, code)
