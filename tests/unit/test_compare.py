import numpy as np
import pytest

from sozialdash.analysis.compare import JUDGEMENTS, judge
from sozialdash.glossary import JUDGEMENT as JUDGEMENT_LABELS


@pytest.mark.parametrize(
    ("comparator", "polarity", "expected"),
    [
        (0.5, "higher_is_better", "better"),
        (0.5, "higher_is_worse", "worse"),
        (0.5, "neutral", "higher"),
        (3.0, "higher_is_better", "worse"),
        (3.0, "higher_is_worse", "better"),
        (3.0, "neutral", "lower"),
    ],
)
def test_interval_clear_of_comparator_is_judged_by_polarity(comparator, polarity, expected):
    assert judge([1.0], [2.0], comparator, polarity)[0] == expected


@pytest.mark.parametrize("comparator", [1.0, 1.5, 2.0])
@pytest.mark.parametrize("polarity", ["higher_is_better", "higher_is_worse", "neutral"])
def test_interval_containing_comparator_is_similar_boundaries_included(comparator, polarity):
    assert judge([1.0], [2.0], comparator, polarity)[0] == "similar"


@pytest.mark.parametrize(
    ("low", "high", "comparator"),
    [(np.nan, 2.0, 5.0), (1.0, np.nan, 5.0), (1.0, 2.0, np.nan)],
)
def test_missing_input_is_not_comparable(low, high, comparator):
    assert judge([low], [high], [comparator], "higher_is_better")[0] == "not_comparable"


def test_scalar_comparator_applies_to_every_area():
    result = judge([0.0, 4.0, 9.0], [2.0, 6.0, 11.0], 5.0, "neutral")
    assert result.tolist() == ["lower", "similar", "higher"]


def test_unknown_polarity_is_rejected():
    with pytest.raises(ValueError):
        judge([1.0], [2.0], 0.0, "lower_is_better")


def test_every_judgement_in_the_legend_has_a_label():
    assert set(JUDGEMENTS) <= set(JUDGEMENT_LABELS)
