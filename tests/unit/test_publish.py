"""publish_values: every level with interval, suppression and judgement, decided once at build time."""

import numpy as np
import pandas as pd
import pytest

from sozialdash.analysis.publish import NUMBERS, PUBLISHED_COLUMNS, publish
from sozialdash.dataset import VALUE_COLUMNS

# Stadt 0 > Sozialräume R1 (d11, d12, d13) and R2 (d21, d22).
AREAS = pd.DataFrame(
    [("0", "Stadt", 0, None), ("R1", "Nord", 1, "0"), ("R2", "Süd", 1, "0"),
     ("d11", "Altstadt", 2, "R1"), ("d12", "Hafen", 2, "R1"), ("d13", "Heide", 2, "R1"),
     ("d21", "Berg", 2, "R2"), ("d22", "Tal", 2, "R2")],
    columns=["area_id", "name", "level", "parent_id"],
)
INDICATORS = pd.DataFrame(
    [("armut", "proportion", "higher_is_worse", 100.0, "ratio_of_sums"),
     ("gymnasium", "proportion", "higher_is_better", 100.0, "ratio_of_sums"),
     ("anteil", "proportion", "neutral", 100.0, "ratio_of_sums"),
     ("klein", "proportion", "higher_is_worse", 100.0, "ratio_of_sums"),
     ("selten", "proportion", "higher_is_worse", 100.0, "ratio_of_sums"),
     ("quotient", "ratio", "higher_is_worse", 100.0, "ratio_of_sums"),
     ("einkommen", "mean", "higher_is_better", 1.0, "ratio_of_sums"),
     ("hze", "rate", "higher_is_worse", 1000.0, "ratio_of_sums")],
    columns=["indicator_id", "value_type", "polarity", "multiplier", "aggregation"],
).assign(numerator_quantity=None, denominator_quantity=None,
         protect_complement=lambda f: f["value_type"] == "proportion")
DISTRICTS = ["d11", "d12", "d13", "d21", "d22"]
# City: 800 / 5000 = 16 %. d11 (30 %) lies far above, d12 (5 %) far below, d13 (15 %) within noise of it.
CONTRASTS = {"d11": (300, 1000), "d12": (50, 1000), "d13": (150, 1000), "d21": (150, 1000), "d22": (150, 1000)}
NUMBERS_BY_INDICATOR = {
    "armut": CONTRASTS,
    "gymnasium": CONTRASTS,
    "anteil": CONTRASTS,
    "hze": CONTRASTS,
    "quotient": CONTRASTS,
    # d11 has 2 cases (primary); d13 is its cheapest sibling (secondary). In R2, d21 has 1 case, so d22 follows.
    "klein": {"d11": (2, 100), "d12": (10, 100), "d13": (5, 100), "d21": (1, 50), "d22": (30, 100)},
    # R1 adds up to 2 cases and is hidden itself, which forces its sibling R2 to be hidden too.
    "selten": {"d11": (1, 1000), "d12": (1, 1000), "d13": (0, 1000), "d21": (40, 1000), "d22": (60, 1000)},
    # A mean over 2 taxpayers (d11) identifies them; a mean of 2 m² over 500 people (d12) identifies nobody.
    "einkommen": {"d11": (70_000, 2), "d12": (2, 500), "d13": (9_000_000, 300), "d21": (12_000_000, 400),
                  "d22": (15_000_000, 500)},
}


def publish_values(values, areas, indicators, threshold=2, relations=None):
    return publish(values, areas, indicators, relations, threshold).rows


def raw_values(numbers=NUMBERS_BY_INDICATOR, source_suppressed=()):
    rows = [(indicator_id, area_id, num, den)
            for indicator_id, by_area in numbers.items() for area_id, (num, den) in by_area.items()]
    frame = pd.DataFrame(rows, columns=["indicator_id", "area_id", "numerator", "denominator"])
    frame = frame.astype({"numerator": float, "denominator": float})
    multiplier = frame["indicator_id"].map(INDICATORS.set_index("indicator_id")["multiplier"])
    frame["value"] = frame["numerator"] / frame["denominator"] * multiplier
    frame["year"] = 2025
    frame["source_suppressed"] = [(i, a) in source_suppressed for i, a in zip(frame["indicator_id"], frame["area_id"])]
    return frame[VALUE_COLUMNS]


@pytest.fixture(scope="module")
def published():
    return publish_values(raw_values(), AREAS, INDICATORS).set_index(["indicator_id", "area_id"])


def test_columns_and_one_row_per_indicator_and_area(published):
    assert list(published.reset_index().columns) == PUBLISHED_COLUMNS
    assert published.index.is_unique
    assert len(published) == len(NUMBERS_BY_INDICATOR) * len(AREAS)


def test_city_value_is_aggregated_and_has_an_interval(published):
    city = published.loc[("armut", "0")]
    assert city["value"] == pytest.approx(16.0)
    assert (city["numerator"], city["denominator"]) == (800, 5000)
    assert city["ci_low"] < 16.0 < city["ci_high"]
    assert city["judgement_city"] == "not_comparable"


@pytest.mark.parametrize(
    ("indicator_id", "area_id", "judgement"),
    [
        ("armut", "d11", "worse"),       # 30 % vs 16 %, higher is worse
        ("armut", "d12", "better"),
        ("armut", "d13", "similar"),
        ("gymnasium", "d11", "better"),  # same numbers, higher is better
        ("gymnasium", "d12", "worse"),
        ("anteil", "d11", "higher"),     # neutral: no value judgement
        ("anteil", "d12", "lower"),
        ("anteil", "d13", "similar"),
        ("hze", "d11", "worse"),         # rates are judged as well
        ("hze", "d12", "better"),
    ],
)
def test_judgement_against_the_city(published, indicator_id, area_id, judgement):
    assert published.loc[(indicator_id, area_id), "judgement_city"] == judgement


def test_judgement_against_the_parent(published):
    # R1 = 500 / 3000 = 16.7 %: d11 is worse than its Sozialraum, d12 better, d13 similar.
    judgements = published.loc["armut"].loc[["d11", "d12", "d13"], "judgement_parent"].to_list()
    assert judgements == ["worse", "better", "similar"]


@pytest.mark.parametrize("indicator_id", ["quotient", "einkommen"])
def test_ratios_and_means_are_not_comparable(published, indicator_id):
    visible = published.loc[indicator_id]
    visible = visible[visible["suppression"].isna()]
    assert visible["ci_low"].isna().all()
    assert set(visible["judgement_city"]) == {"not_comparable"}
    assert set(visible["judgement_parent"]) == {"not_comparable"}
    assert visible["value"].notna().all()


def test_primary_suppression_hides_every_number(published):
    cell = published.loc[("klein", "d11")]
    assert cell["suppression"] == "primary"
    assert cell[NUMBERS].isna().all()
    assert (cell["judgement_city"], cell["judgement_parent"]) == ("suppressed", "suppressed")


def test_count_of_one_is_suppressed(published):
    assert published.loc[("klein", "d21"), "suppression"] == "primary"


@pytest.mark.parametrize(("area_id", "siblings"), [("d11", ["d12", "d13"]), ("d21", ["d22"])])
def test_a_lone_suppressed_sibling_gets_a_secondary_partner(published, area_id, siblings):
    """Otherwise the hidden count would be the parent's total minus the visible siblings."""
    klein = published.loc["klein"]
    assert klein.loc[area_id, "suppression"] == "primary"
    partners = klein.loc[siblings]
    partners = partners[partners["suppression"].notna()]
    assert len(partners) == 1
    assert partners["suppression"].iloc[0] in {"secondary", "audit"}
    assert partners[NUMBERS].isna().all().all()
    assert partners["judgement_city"].iloc[0] == "suppressed"


def test_secondary_suppression_hides_no_more_than_needed(published):
    """One partner per Sozialraum; the cities' and Sozialräume's totals stay."""
    klein = published.loc["klein"]
    hidden = set(klein[klein["suppression"].notna()].index)
    assert len(hidden & {"d12", "d13"}) == 1
    assert hidden - {"d12", "d13"} == {"d11", "d21", "d22"}
    shown = ({"d12", "d13"} - hidden).pop()
    assert klein.loc[shown, "value"] == pytest.approx(NUMBERS_BY_INDICATOR["klein"][shown][0])


def lone_hidden_children(published: pd.DataFrame) -> pd.Series:
    """Visible parents with exactly one hidden child: parent minus the visible children would give it."""
    frame = published.reset_index()
    frame["parent_id"] = frame["area_id"].map(AREAS.set_index("area_id")["parent_id"])
    shown = set(zip(frame.loc[frame["suppression"].isna(), "indicator_id"],
                    frame.loc[frame["suppression"].isna(), "area_id"]))
    hidden = frame[frame["parent_id"].notna()].groupby(["indicator_id", "parent_id"])["suppression"].count()
    return hidden[(hidden == 1) & np.array([key in shown for key in hidden.index], dtype=bool)]


def test_no_visible_parent_has_exactly_one_hidden_child(published):
    lone = lone_hidden_children(published)
    assert lone.empty, lone


def test_hidden_parent_hides_its_sibling_and_a_child_of_the_sibling(published):
    """R1 adds up to 2 and is hidden, so R2 is hidden too; but the city's 102 minus R2's visible Stadtteile would
    still give R1 = 2, so the audit hides one of them as well, and the city keeps its total."""
    selten = published.loc["selten"]
    assert selten.loc["R1", "suppression"] == "primary"
    assert selten.loc["R2", "suppression"] == "secondary"
    assert pd.isna(selten.loc["0", "suppression"])
    assert selten.loc[["d21", "d22"], "suppression"].notna().sum() == 1
    shown = selten.loc[["d21", "d22"]].dropna(subset=["numerator"])
    assert set(shown["judgement_parent"]) == {"not_comparable"}  # no judgement against a hidden comparator
    assert set(shown["judgement_city"]) <= {"better", "similar", "worse"}


def test_zero_is_not_suppressed(published):
    assert pd.isna(published.loc[("selten", "d13"), "suppression"])
    assert published.loc[("selten", "d13"), "value"] == 0


def test_mean_over_two_people_is_suppressed(published):
    """For means the disclosure count is the denominator, not the (large) numerator."""
    cell = published.loc[("einkommen", "d11")]
    assert cell["suppression"] == "primary"
    assert cell[NUMBERS].isna().all()


def test_mean_with_small_numerator_and_large_denominator_is_shown():
    """2 m² over 500 people identifies nobody: a mean's numerator is an amount, not a count of anybody."""
    incomes = {**NUMBERS_BY_INDICATOR["einkommen"], "d11": (8_000_000, 250)}
    published = publish_values(raw_values({"einkommen": incomes}), AREAS, INDICATORS).set_index("area_id")
    assert published["suppression"].isna().all()
    assert published.loc["d12", "value"] == pytest.approx(2 / 500)


def test_source_suppression_is_kept_and_blanks_the_numbers():
    values = raw_values({"armut": CONTRASTS}, source_suppressed={("armut", "d12")})
    published = publish_values(values, AREAS, INDICATORS).set_index("area_id")
    assert published.loc["d12", "suppression"] == "source"
    assert published.loc["d12", NUMBERS].isna().all()
    assert published.loc["d12", "judgement_city"] == "suppressed"
    assert published["suppression"].notna().sum() == 2  # d12 and one sibling


@pytest.mark.parametrize(("threshold", "hidden"), [(0, False), (1, False), (2, True), (5, True)])
def test_threshold_is_configurable(threshold, hidden):
    published = publish_values(raw_values(), AREAS, INDICATORS, threshold=threshold)
    cell = published[(published["indicator_id"] == "klein") & (published["area_id"] == "d11")].iloc[0]
    assert pd.notna(cell["suppression"]) == hidden


def test_no_suppressed_cell_keeps_a_number(published):
    hidden = published[published["suppression"].notna()]
    assert len(hidden) > 0
    assert hidden[NUMBERS].isna().all().all()
    assert set(hidden["judgement_city"]) == set(hidden["judgement_parent"]) == {"suppressed"}


def test_visible_proportions_have_an_interval_around_their_value(published):
    shares = published.loc[["armut", "anteil", "klein"]]
    visible = shares[shares["suppression"].isna()]
    assert (visible["ci_low"] <= visible["value"]).all()
    assert (visible["value"] <= visible["ci_high"]).all()
    assert np.isfinite(visible[["ci_low", "ci_high"]]).all().all()


def test_suppression_carries_over_to_an_indicator_whose_denominator_it_is():
    """'Langzeit' counts per 'klein' case: where a 'klein' numerator is hidden, its use as denominator must go too."""
    indicators = pd.concat([INDICATORS, pd.DataFrame([{
        "indicator_id": "langzeit", "value_type": "proportion", "polarity": "higher_is_worse", "multiplier": 100.0,
        "aggregation": "ratio_of_sums", "numerator_quantity": None, "denominator_quantity": "faelle",
        "protect_complement": True}])], ignore_index=True)
    indicators.loc[indicators["indicator_id"] == "klein", "numerator_quantity"] = "faelle"
    klein = NUMBERS_BY_INDICATOR["klein"]
    numbers = {"klein": klein, "langzeit": {a: (min(n, 1), n) for a, (n, _) in klein.items()}}
    published = publish_values(raw_values(numbers), AREAS, indicators).set_index(["indicator_id", "area_id"])
    hidden_klein = published.loc["klein"].index[published.loc["klein", "suppression"].notna()]
    assert len(hidden_klein) >= 2
    for area_id in hidden_klein:
        assert published.loc[("langzeit", area_id), "suppression"] is not None
        assert pd.isna(published.loc[("langzeit", area_id), "denominator"])
    shown = published.loc["langzeit"].dropna(subset=["denominator"])
    visible_klein = published.loc["klein"].dropna(subset=["numerator"])["numerator"]
    assert (shown["denominator"] == visible_klein.reindex(shown.index)).all()


# --- Complements: "65 von 66" names the one left out ----------------------------------------------------------

# Masern-Impfschutz: d11 65 von 66 leaves one child unvaccinated; d21 3 von 3 is a small count at threshold 5;
# d22 45 von 50 leaves five out, and so does its Sozialraum R2 (48 von 53).
VACCINATED = {"d11": (65, 66), "d12": (90, 100), "d13": (80, 100), "d21": (3, 3), "d22": (45, 50)}
COMPLEMENT_INDICATORS = pd.DataFrame(
    [("impf", "proportion", "higher_is_better", 100.0, "ratio_of_sums", None, None, True),
     ("ungeschuetzt", "proportion", "higher_is_better", 100.0, "ratio_of_sums", None, None, False)],
    columns=["indicator_id", "value_type", "polarity", "multiplier", "aggregation", "numerator_quantity",
             "denominator_quantity", "protect_complement"],
)


def complement_reasons(threshold):
    values = raw_values({"impf": VACCINATED, "ungeschuetzt": VACCINATED})
    published = publish_values(values, AREAS, COMPLEMENT_INDICATORS, threshold=threshold)
    return published, {key: (None if pd.isna(reason) else reason) for key, reason in
                       zip(zip(published["indicator_id"], published["area_id"]), published["suppression"])}


@pytest.mark.parametrize(("threshold", "secret"), [
    (5, {"d11": "complement", "d21": "primary", "d22": "complement", "R2": "complement"}),
    # 3 von 3 and a complement of 5 are safe at threshold 2; 65 von 66 is not.
    (2, {"d11": "complement"}),
])
def test_small_complements_are_secret_and_get_partners(threshold, secret):
    _, reasons = complement_reasons(threshold)
    impf = {area: reason for (indicator_id, area), reason in reasons.items() if indicator_id == "impf"}
    assert {area: impf[area] for area in secret} == secret
    partners = {area for area, reason in impf.items() if reason in {"secondary", "audit"}}
    assert partners & {"d12", "d13"}, "65 von 66 needs a partner among its siblings"
    assert impf["0"] is None


@pytest.mark.parametrize("threshold", [2, 5])
def test_an_indicator_without_complement_protection_keeps_65_von_66(threshold):
    published, reasons = complement_reasons(threshold)
    assert reasons[("ungeschuetzt", "d11")] is None
    cell = published[(published["indicator_id"] == "ungeschuetzt") & (published["area_id"] == "d11")].iloc[0]
    assert (cell["numerator"], cell["denominator"]) == (65, 66)
    unprotected = {reason for (indicator_id, _), reason in reasons.items() if indicator_id == "ungeschuetzt"}
    assert "complement" not in unprotected


@pytest.mark.parametrize("threshold", [2, 5])
def test_complement_hidden_cells_leave_no_lone_hidden_child_and_no_small_visible_complement(threshold):
    published, _ = complement_reasons(threshold)
    frame = published.assign(parent_id=published["area_id"].map(AREAS.set_index("area_id")["parent_id"]))
    lone = lone_hidden_children(published.set_index(["indicator_id", "area_id"]))
    assert lone.empty, lone
    shown = frame[(frame["indicator_id"] == "impf") & frame["suppression"].isna()]
    assert not (shown["denominator"] - shown["numerator"]).between(1, threshold).any()
    assert frame.loc[frame["suppression"].notna(), NUMBERS].isna().all().all()
