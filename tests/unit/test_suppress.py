import numpy as np
import pandas as pd
import pytest

from sozialdash.analysis.suppress import apply_secondary, complement, primary


def make_frame(rows, group="g"):
    """Rows of (area_id, parent_id, numerator, reason) for one indicator-year."""
    frame = pd.DataFrame(rows, columns=["area_id", "parent_id", "numerator", "reason"])
    frame.insert(0, "group", [group] * len(frame))
    return frame


def city_with(*children, city_reason=None):
    """A city of 100 and its districts, given as (area_id, numerator, reason)."""
    return make_frame([("city", None, 100, city_reason)] + [(area, "city", n, r) for area, n, r in children])


def reasons(frame):
    return dict(zip(frame["area_id"], apply_secondary(frame)))


@pytest.mark.parametrize(
    ("numerator", "source", "expected"),
    [
        (0, False, False),
        (1, False, True),
        (2, False, True),
        (3, False, False),
        (np.nan, False, False),
        (np.nan, True, True),
        (50, True, True),
    ],
)
def test_primary_flags_small_counts_and_source_suppression(numerator, source, expected):
    assert primary([numerator], [source])[0] == expected


def test_primary_threshold_is_configurable():
    assert primary([3, 4], [False, False], threshold=3).tolist() == [True, False]


def test_primary_treats_missing_source_flag_as_not_suppressed():
    assert primary([10, 10], [None, True]).tolist() == [False, True]


@pytest.mark.parametrize(
    ("numerator", "denominator", "threshold", "expected"),
    [
        (65, 66, 2, True),     # "65 von 66" names the one left out
        (64, 66, 2, True),
        (63, 66, 2, False),
        (66, 66, 2, False),    # a complement of zero, like a zero count, reveals no one
        (61, 66, 5, True),
        (0, 3, 5, True),       # "0 von 3": three left out, disclosive at threshold 5
        (3, 3, 5, False),      # nothing left out (the numerator 3 is the primary rule's business)
        (np.nan, 66, 2, False),
        (65, np.nan, 2, False),
    ],
)
def test_complement_flags_small_complements(numerator, denominator, threshold, expected):
    assert complement([numerator], [denominator], [True], threshold)[0] == expected


def test_complement_only_where_protected():
    assert complement([65, 65], [66, 66], [True, False]).tolist() == [True, False]


def test_secret_weights_decide_between_siblings():
    """Not always the smallest: a secret factor per row scales each numerator, so a reader of the rule cannot tell
    that the partner lies below every visible sibling."""
    frame = city_with(("a", 2, "primary"), ("b", 20, None), ("c", 30, None))
    assert reasons(frame)["b"] == "secondary"
    weighted = dict(zip(frame["area_id"], apply_secondary(frame, weight=[1.0, 1.0, 3.0, 1.0])))
    assert (weighted["b"], weighted["c"]) == (None, "secondary")


def test_single_suppressed_child_gets_a_partner():
    frame = city_with(("a", 2, "primary"), ("b", 30, None), ("c", 68, None))
    assert reasons(frame) == {"city": None, "a": "primary", "b": "secondary", "c": None}


def test_two_suppressed_children_need_no_partner():
    frame = city_with(("a", 2, "primary"), ("b", 1, "primary"), ("c", 97, None))
    assert reasons(frame) == {"city": None, "a": "primary", "b": "primary", "c": None}


@pytest.mark.parametrize(
    ("numerators", "partner"),
    [((10, 20, 30), ["b"]), ((30, 10, 20), ["c"]), ((20, 30, 10), ["d"]),
     # a zero partner leaves the pair at 1 case, recoverable from the city total: the next smallest goes too
     ((0, 5, 5), ["b", "c"])],
)
def test_partner_is_the_smallest_visible_sibling(numerators, partner):
    siblings = [(area, n, None) for area, n in zip("bcd", numerators)]
    result = reasons(city_with(("a", 1, "primary"), *siblings))
    assert [area for area, reason in result.items() if reason == "secondary"] == partner


def test_hidden_group_adding_up_to_a_small_count_gets_another_partner():
    frame = city_with(("a", 1, "primary"), ("b", 1, "primary"), ("c", 40, None), ("d", 50, None))
    assert reasons(frame) == {"city": None, "a": "primary", "b": "primary", "c": "secondary", "d": None}


def test_small_hidden_group_under_a_hidden_parent_needs_no_partner():
    frame = city_with(("a", 1, "primary"), ("b", 1, "primary"), ("c", 40, None), city_reason="primary")
    assert reasons(frame)["c"] is None


def test_partner_tie_is_broken_by_area_id():
    frame = city_with(("a", 2, "primary"), ("c", 30, None), ("b", 30, None))
    assert reasons(frame)["b"] == "secondary"


def test_missing_numerator_is_the_last_choice_as_partner():
    frame = city_with(("a", 2, "primary"), ("b", np.nan, None), ("c", 50, None))
    assert reasons(frame)["c"] == "secondary"


def test_existing_reasons_are_kept():
    frame = city_with(("a", 40, "source"), ("b", 30, None), ("c", 30, None))
    assert reasons(frame)["a"] == "source"


def test_only_child_propagates_suppression_up_the_chain():
    frame = make_frame(
        [
            ("city", None, 100, None),
            ("d1", "city", 2, None),
            ("q1", "d1", 2, "primary"),
            ("d2", "city", 98, None),
            ("q2", "d2", 50, None),
            ("q3", "d2", 48, None),
        ]
    )
    assert reasons(frame) == {
        "city": None,
        "d1": "secondary",
        "q1": "primary",
        "d2": "secondary",
        "q2": None,
        "q3": None,
    }


def test_top_level_areas_are_not_siblings():
    frame = make_frame([("city", None, 2, "primary"), ("county", None, 90, None)])
    assert reasons(frame) == {"city": "primary", "county": None}


def test_groups_are_suppressed_independently():
    rows = [("city", None, 100, None), ("a", "city", 2, "primary"), ("b", "city", 98, None)]
    visible = [(area, parent, n, None) for area, parent, n, _ in rows]
    frame = pd.concat([make_frame(rows, ("x", 2020)), make_frame(visible, ("x", 2021))], ignore_index=True)
    result = apply_secondary(frame)
    assert result[frame["group"] == ("x", 2021)].isna().all()


def test_result_is_aligned_with_frame_index_and_independent_of_row_order():
    frame = city_with(("a", 2, "primary"), ("b", 30, None), ("c", 30, None))
    shuffled = frame.sample(frac=1, random_state=3).set_axis([40, 10, 30, 20])
    result = apply_secondary(shuffled)
    assert result.index.tolist() == [40, 10, 30, 20]
    assert dict(zip(shuffled["area_id"], result)) == reasons(frame)


def test_duplicate_area_in_group_is_rejected():
    frame = city_with(("a", 2, None), ("a", 3, None))
    with pytest.raises(ValueError):
        apply_secondary(frame)


def random_hierarchy(seed, n_groups=5):
    """City, 8 districts, 40 quarters (the first four are only children), random small counts."""
    rng = np.random.default_rng(seed)
    parents = [None] + ["c"] * 8 + ["d0", "d1", "d2", "d3"] + [f"d{i}" for i in rng.integers(4, 8, 36)]
    ids = ["c"] + [f"d{i}" for i in range(8)] + [f"q{i}" for i in range(40)]
    frames = []
    for group in range(n_groups):
        numerator = rng.poisson(4, len(ids)).astype(float)
        numerator[rng.random(len(ids)) < 0.05] = np.nan
        reason = np.where(primary(numerator, rng.random(len(ids)) < 0.05), "primary", None)
        columns = {"area_id": ids, "parent_id": parents, "numerator": numerator, "reason": reason}
        frames.append(pd.DataFrame({"group": group, **columns}))
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_random_data_never_leaves_exactly_one_suppressed_sibling(seed):
    frame = random_hierarchy(seed)
    frame["hidden"] = apply_secondary(frame).notna()
    children = frame[frame["parent_id"].notna()]
    per_set = children.groupby(["group", "parent_id"])["hidden"].agg(["sum", "size"])
    assert not ((per_set["sum"] == 1) & (per_set["size"] >= 2)).any()


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_random_data_never_leaves_a_suppressed_only_child_under_a_visible_parent(seed):
    frame = random_hierarchy(seed)
    frame["hidden"] = apply_secondary(frame).notna()
    children = frame[frame["parent_id"].notna()]
    per_set = children.groupby(["group", "parent_id"])["hidden"].agg(["sum", "size"])
    only_hidden = per_set[(per_set["size"] == 1) & (per_set["sum"] == 1)].index
    hidden_by_area = frame.set_index(["group", "area_id"])["hidden"]
    assert len(only_hidden) > 0
    assert hidden_by_area.reindex(only_hidden).all()
