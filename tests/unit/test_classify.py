import mapclassify
import numpy as np
import pytest

from sozialdash.analysis import classify as classify_module
from sozialdash.analysis.classify import SCHEME_LABELS, classify, std_mean_multiples

SCHEMES = sorted(SCHEME_LABELS)


def test_quantiles_known_bins():
    result, classes = classify(np.arange(1, 11), "quantiles", 5)
    assert result.bins == pytest.approx((2.8, 4.6, 6.4, 8.2, 10.0))
    assert classes.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_equal_interval_known_bins():
    result, _ = classify(np.arange(7), "equal_interval", 3)
    assert result.bins == pytest.approx((2.0, 4.0, 6.0))
    assert result.counts == (3, 2, 2)


def test_fisher_jenks_finds_obvious_clusters():
    result, _ = classify([1, 2, 3, 10, 11, 12, 20, 21, 22], "fisher_jenks", 3)
    assert result.bins == pytest.approx((3.0, 12.0, 22.0))


@pytest.mark.parametrize(("k", "used"), [(1, 3), (3, 3), (7, 7), (10, 7)])
def test_k_is_clamped_to_three_to_seven(k, used):
    assert classify(np.arange(20), "equal_interval", k)[0].k == used


@pytest.mark.parametrize("scheme", SCHEMES)
def test_k_is_capped_at_distinct_values(scheme):
    assert classify([1, 1, 2, 2, 3, 3, 4], scheme, 5)[0].k <= 4


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize(
    ("values", "bins", "counts"),
    [([5, 5, 5], (5.0,), (3,)), ([1, 2, 2], (1.0, 2.0), (1, 2))],
)
def test_one_or_two_distinct_values_get_one_class_each(scheme, values, bins, counts):
    result, _ = classify(values, scheme, 5)
    assert (result.bins, result.counts, result.k) == (bins, counts, len(bins))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_nothing_to_classify_gives_empty_classification(scheme):
    result, classes = classify([np.nan, np.nan], scheme, 5)
    assert (result.bins, result.counts, result.k) == ((), (), 0)
    assert classes.tolist() == [-1, -1]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_missing_values_are_left_out(scheme):
    values = np.array([np.nan, 3, 9, 10, np.nan, 11, 17, 25, 40])
    result, classes = classify(values, scheme, 4)
    assert (classes == -1).tolist() == np.isnan(values).tolist()
    assert sum(result.counts) == 7
    assert result.lower == 3


@pytest.mark.filterwarnings("ignore:Not enough unique values")
def test_reports_k_actually_used_when_quantiles_collapse():
    result, _ = classify([1, 1, 1, 1, 1, 1, 2, 3], "quantiles", 3)
    assert (result.k, result.bins, result.counts) == (2, (1.0, 3.0), (6, 2))


def test_empty_classes_are_merged_upwards():
    result, classes = classify([0, 0.1, 0.2, 10], "equal_interval", 3)
    assert result.bins == pytest.approx((10 / 3, 10.0))
    assert classes.tolist() == [0, 0, 0, 1]


@pytest.mark.parametrize(
    ("k", "multiples"),
    [(3, [-1, 1]), (4, [-1, 0, 1]), (5, [-2, -1, 1, 2]), (6, [-2, -1, 0, 1, 2]), (7, [-3, -2, -1, 1, 2, 3])],
)
def test_std_mean_multiples_give_k_classes(k, multiples):
    assert std_mean_multiples(k).tolist() == multiples


# [3, 9, 10, 11, 17]: mean 10, sample standard deviation 5.
@pytest.mark.parametrize(
    ("k", "city_value", "bins"),
    [
        (4, 12.0, (7.0, 12.0, 17.0)),
        (4, None, (5.0, 10.0, 15.0, 17.0)),
        (5, 10.0, (5.0, 15.0, 17.0)),  # bounds 0 and 20 lie outside the data
    ],
)
def test_std_mean_bounds_lie_around_city_value(k, city_value, bins):
    result, _ = classify([3, 9, 10, 11, 17], "std_mean", k, city_value)
    assert result.bins == pytest.approx(bins)


def test_fisher_jenks_optimises_a_sample_above_the_exact_limit(monkeypatch):
    seen = []
    exact = classify_module.natural_breaks

    def recording(x, k):
        seen.append(len(x))
        return exact(x, k)

    monkeypatch.setattr(classify_module, "natural_breaks", recording)
    values = np.random.default_rng(0).lognormal(3, 1, classify_module.FISHER_JENKS_EXACT_LIMIT + 1)
    classify(values, "fisher_jenks", 5)
    assert seen == [classify_module.FISHER_JENKS_SAMPLE_SIZE]


# --- the schemes as mapclassify defines them (mapclassify is a test dependency only) ----------------------

def samples():
    rng = np.random.default_rng(7)
    for n in (12, 40, 150, 400):
        yield rng.lognormal(2, 0.8, n).round(1)  # rounded like published values: ties happen
        yield rng.normal(30, 9, n)


def within_class_deviation(x, bins):
    classes = np.searchsorted(bins, x, side="left")
    return sum(((x[classes == c] - x[classes == c].mean()) ** 2).sum() for c in np.unique(classes))


@pytest.mark.parametrize("k", [3, 5, 7])
def test_quantiles_and_equal_intervals_are_mapclassifys(k):
    for y in samples():
        assert classify_module._quantile_bins(y, k, None) == pytest.approx(mapclassify.Quantiles(y, k=k).bins)
        assert classify_module._equal_interval_bins(y, k, None) == pytest.approx(
            mapclassify.EqualInterval(y, k=k).bins)


@pytest.mark.parametrize("k", [3, 5, 7])
def test_std_mean_bounds_are_mapclassifys_user_defined(k):
    for y in samples():
        ours = classify(y, "std_mean", k, city_value=float(np.median(y)))[0]
        bounds = np.median(y) + std_mean_multiples(k) * np.std(y, ddof=1)
        theirs = mapclassify.UserDefined(y, np.sort(bounds))
        top = y.max()
        expected = [b for b, c in zip(theirs.bins, theirs.counts) if c > 0 and b <= top]
        if expected[-1] < top:
            expected.append(top)
        assert ours.bins == pytest.approx(tuple(expected))


@pytest.mark.parametrize("k", [3, 4, 5, 7])
def test_natural_breaks_are_as_good_as_mapclassifys_fisher_jenks(k):
    """The optimum may have ties, so the deviation that both reach is compared, and the bins where they agree."""
    agree = 0
    for y in samples():
        x = np.sort(y)
        ours = classify_module.natural_breaks(x, k)
        theirs = np.asarray(mapclassify.FisherJenks(x, k=k).bins)
        assert within_class_deviation(x, ours) == pytest.approx(within_class_deviation(x, theirs), rel=1e-9)
        agree += np.allclose(ours, theirs)
    assert agree >= 6


@pytest.fixture
def small_sample_limits(monkeypatch):
    monkeypatch.setattr(classify_module, "FISHER_JENKS_EXACT_LIMIT", 100)
    monkeypatch.setattr(classify_module, "FISHER_JENKS_SAMPLE_SIZE", 50)


@pytest.mark.usefixtures("small_sample_limits")
def test_sampled_fisher_jenks_is_deterministic_and_order_independent():
    values = np.random.default_rng(1).lognormal(3, 1, 500)
    first = classify(values, "fisher_jenks", 5)[0]
    again = classify(values, "fisher_jenks", 5)[0]
    shuffled = classify(np.random.default_rng(2).permutation(values), "fisher_jenks", 5)[0]
    assert first == again == shuffled


@pytest.mark.usefixtures("small_sample_limits")
def test_sampled_fisher_jenks_still_classifies_every_value():
    values = np.random.default_rng(1).lognormal(3, 1, 500)
    result, classes = classify(values, "fisher_jenks", 5)
    assert sum(result.counts) == 500 and (classes >= 0).all()
    assert result.bins[-1] == values.max()


def test_unknown_scheme_is_rejected():
    with pytest.raises(ValueError):
        classify([1, 2, 3], "head_tail", 3)
