"""Why a value is missing: one rule, one wording, the same for the city caption and every table."""

import pandas as pd
import pytest

from sozialdash import fmt
from sozialdash.analysis.gaps import CHILDREN_MISSING, NOT_DELIVERED, PUBLISHED_ONLY, why_missing
from sozialdash.glossary import MISSING_REASON, missing_text
from sozialdash.views.tables import city_text


@pytest.mark.parametrize("aggregation, has_children, reason", [
    ("none", True, PUBLISHED_ONLY),
    ("sum", True, CHILDREN_MISSING),
    ("ratio_of_sums", True, CHILDREN_MISSING),
    ("none", False, NOT_DELIVERED),
    ("ratio_of_sums", False, NOT_DELIVERED),
])
def test_why_missing(aggregation, has_children, reason):
    assert why_missing(aggregation, has_children) == reason


def test_every_reason_has_words():
    for reason in (PUBLISHED_ONLY, CHILDREN_MISSING, NOT_DELIVERED):
        assert missing_text(reason).startswith(f"{fmt.MISSING} (") and missing_text(reason).endswith(")")
    assert MISSING_REASON[PUBLISHED_ONLY] == "veröffentlichter Wert, nicht aus Teilgebieten berechenbar"
    assert MISSING_REASON[CHILDREN_MISSING] == "Teilgebiete ohne Wert"
    assert missing_text(None) == fmt.MISSING


@pytest.mark.parametrize("aggregation, expected", [
    ("none", "keine Daten (veröffentlichter Wert, nicht aus Teilgebieten berechenbar)"),
    ("ratio_of_sums", "keine Daten (Teilgebiete ohne Wert)"),
])
def test_city_text_says_why_the_city_has_no_value(aggregation, expected):
    ind = pd.Series({"decimals": 1, "unit": "%", "aggregation": aggregation})
    assert city_text(None, ind) == expected
    assert city_text(float("nan"), ind) == expected
    assert city_text(12.34, ind) == "12,3\u00a0%"
    assert city_text(None, ind, secret=True) == fmt.SUPPRESSED
