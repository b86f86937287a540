"""Übersicht cards and the Daten & Methodik notes, as pure functions of query results."""

import numpy as np
import pandas as pd
import pytest

from sozialdash import fmt
from sozialdash.ui.methodology import method_notes_text
from sozialdash.ui.overview import headline_cards
from sozialdash.ui.page import demo_notice

HEADLINE = {"short_name": "SGB-II-Quote", "unit": "%", "decimals": 1, "value_type": "proportion",
            "polarity": "higher_is_worse", "aggregation": "ratio_of_sums", "value": 12.0, "suppression": None,
            "previous_value": 11.0, "previous_year": 2024}


def cards_for(*rows):
    return headline_cards(pd.DataFrame([{**HEADLINE, **row} for row in rows]))


def test_a_card_with_a_value_shows_its_change():
    card, = cards_for({})
    assert (card.value, card.delta, card.delta_color) == ("12,0\u00a0%", "+1,0\u00a0%-Punkte zu 2024", "inverse")


@pytest.mark.parametrize("aggregation, reason", [
    ("none", "veröffentlichter Wert, nicht aus Teilgebieten berechenbar"),
    ("ratio_of_sums", "Teilgebiete ohne Wert"),
])
def test_a_card_without_city_value_says_keine_daten_why_and_the_last_value(aggregation, reason):
    card, = cards_for({"value": np.nan, "aggregation": aggregation})
    assert card.value == fmt.MISSING and card.delta is None
    assert card.note == f"{reason} · zuletzt 2024: 11,0\u00a0%"
    assert card.delta_color == "off" and card.arrow == "off"


def test_no_card_is_dropped_and_none_uses_a_dash():
    cards = cards_for({}, {"value": np.nan, "previous_value": np.nan, "previous_year": np.nan},
                      {"value": np.nan, "suppression": "primary", "previous_value": np.nan},
                      {"previous_value": np.nan, "previous_year": np.nan})
    assert [c.value for c in cards] == ["12,0\u00a0%", fmt.MISSING, fmt.SUPPRESSED, "12,0\u00a0%"]
    assert cards[1].note == "Teilgebiete ohne Wert"
    assert cards[2].note == "geheim"
    assert cards[3].delta is None and cards[3].note is None
    assert not any(word in c.value + (c.delta or "") + (c.note or "") for c in cards for word in ("–", "nan"))


LEVELS = pd.DataFrame({"level": [0, 1, 2], "label": ["Stadt", "Stadtteil", "statistischer Bezirk"],
                       "label_plural": ["Stadt", "Stadtteile", "statistische Bezirke"]})


def catalogue(*rows):
    base = {"aggregation": "none", "has_numerators": False, "value_type": "proportion"}
    return pd.DataFrame([{**base, "name": f"Indikator {i}", **row} for i, row in enumerate(rows)])


def test_notes_for_published_shares_claim_no_intervals_and_no_aggregation():
    notes = method_notes_text(LEVELS, catalogue({}, {"value_type": "count"}), 2)
    assert "2 Indikatoren sind von der Quelle veröffentlichte Werte" in notes
    assert "*Indikator 0*, *Indikator 1*" in notes
    assert "Wilson" not in notes and "Summe der Zähler" not in notes and "Sozialr" not in notes
    assert "Kein Anteil und keine Rate dieses Datensatzes hat Zähler und Nenner" in notes


def test_notes_name_this_datasets_levels_and_count_what_has_intervals():
    notes = method_notes_text(LEVELS, catalogue(
        {"aggregation": "ratio_of_sums", "has_numerators": True},
        {"aggregation": "sum", "has_numerators": True, "value_type": "count"},
        {"name": "Wohndauer", "value_type": "mean"}), 3)
    assert "2 Indikatoren liegen mit Zählern und Nennern für die feinste Ebene (statistische Bezirke) vor" in notes
    assert "Werte für Stadtteile und die Gesamtstadt werden daraus gebildet" in notes
    assert "Anteile nach Wilson, nur wo Zähler und Nenner vorliegen (1 Indikator)" in notes
    assert "1 Indikator ist ein von der Quelle veröffentlichter Wert" in notes and "*Wohndauer*" in notes
    assert "Fallzahlen von 1 bis 3" in notes
    assert "nur 1 bis 3 Personen nicht mitgezählt sind (etwa „65 von 66“)" in notes  # the complement rule
    assert "kleine Fallzahl" not in notes


def test_many_published_indicators_are_counted_not_all_listed():
    notes = method_notes_text(LEVELS, catalogue(*[{} for _ in range(8)]), 2)
    assert "8 Indikatoren sind" in notes and "*Indikator 4* (und 3 weitere)" in notes
    assert "*Indikator 5*" not in notes


def test_demo_notice_names_the_dataset_not_musterstadt():
    notice = demo_notice({"name": "Teststadt (5 Ebenen)", "city": "Teststadt"})
    assert "Teststadt (5 Ebenen)" in notice and "alle Zahlen für Teststadt sind erfunden" in notice
    assert "Musterstadt" not in notice
