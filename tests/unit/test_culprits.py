"""culprits(): the first five offenders by name, the rest counted."""

import pytest

from sozialdash.culprits import culprits


@pytest.mark.parametrize(("items", "expected"), [
    (["a"], "a"),
    (["a", "b", "c", "d", "e"], "a, b, c, d, e"),
    ([f"g{i}" for i in range(46)], "g0, g1, g2, g3, g4 (und 41 weitere)"),
    ([101, 102], "101, 102"),
])
def test_names_the_first_five_and_counts_the_rest(items, expected):
    assert culprits(items) == expected


def test_total_counts_what_was_not_described():
    assert culprits(["x; 1", "y; 2"], total=42, separator=" | ") == "x; 1 | y; 2 (und 40 weitere)"


def test_a_caption_may_name_fewer():
    assert culprits(list("ABCDEF"), limit=4) == "A, B, C, D (und 2 weitere)"
