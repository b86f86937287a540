"""Small-number suppression for published counts.

Primary suppression hides disclosive small counts and, for shares of persons,
small complements; secondary (complementary) suppression hides further cells
so that a hidden count cannot be recovered by subtracting the visible siblings
from their parent's total. What is still recoverable from everything published
together is for the audit (``audit.py``) to find and close.
"""

import numpy as np
import pandas as pd

DEFAULT_THRESHOLD = 2
"""Counts from 1 up to this value identify too few people to publish."""


def primary(numerator, source_suppressed, threshold=DEFAULT_THRESHOLD):
    """Flag cells that must not be shown on their own.

    A zero reveals nothing about an individual, and a missing numerator has
    nothing to reveal, so neither is suppressed unless the data source
    already withheld the cell.

    Parameters
    ----------
    numerator : array_like
        Counts; NaN for missing.
    source_suppressed : array_like
        True where the supplier already withheld the value; missing flags
        count as False.
    threshold : int
        Largest count that is still disclosive.

    Returns
    -------
    numpy.ndarray of bool
    """
    counts = np.asarray(numerator, dtype=float)
    withheld = pd.array(source_suppressed, dtype="boolean").fillna(False).to_numpy(dtype=bool)
    return ((counts >= 1) & (counts <= threshold)) | withheld


def complement(numerator, denominator, protected, threshold=DEFAULT_THRESHOLD):
    """Flag shares whose complement is disclosive, where the complement is protected.

    A share of persons names the few left out as surely as the few counted: "65 von 66 geimpft" tells
    that one child is not vaccinated. So where ``denominator - numerator`` lies in 1..``threshold`` the cell
    is as secret as a small numerator; a complement of zero, like a zero count, is not.

    Parameters
    ----------
    numerator, denominator : array_like
        Counts; NaN for missing (no complement, nothing flagged).
    protected : array_like of bool
        True for shares whose complement counts persons (``protect_complement`` of the indicator).
    threshold : int
        Largest count that is still disclosive.

    Returns
    -------
    numpy.ndarray of bool
    """
    rest = np.asarray(denominator, dtype=float) - np.asarray(numerator, dtype=float)
    return np.asarray(protected, dtype=bool) & (rest >= 1) & (rest <= threshold)


def apply_secondary(frame, threshold=DEFAULT_THRESHOLD, weight=None):
    """Add secondary suppressions until no hidden value can be derived by subtraction from its own parent.

    This is the quick first pass; the audit (``audit.protect``) then solves for every hidden count from all that
    is published and adds what this pass cannot see. Two leaks are closed, repeatedly, because closing one can
    open the next one a level higher:

    * a sibling set (same ``group`` and ``parent_id``) whose hidden children could be recovered as a group gets
      one more partner: the visible sibling of least ``numerator × weight``, which costs little information
      (ties by ``area_id``, missing numerators last, so the result never depends on row order). That is the
      case with exactly one hidden child, and also when the hidden children together still add up to a
      disclosive count (1 to ``threshold``) under a published parent: its total minus the visible siblings
      would publish that small count. ``weight`` (secret, per row) keeps the choice from being a rule an
      attacker can invert: "always the smallest sibling" tells that the partner is below every visible one;
    * a parent with a single child equals that child, so a hidden only child hides its parent as well.

    Top-level rows (``parent_id`` missing) have no published total above them and are never siblings of one
    another.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``group`` (hashable, e.g. quantity and year), ``area_id``, ``parent_id``, ``numerator`` and
        ``reason`` (missing, or the reason a cell is already suppressed). ``(group, area_id)`` must be unique.
    threshold : int
        Largest count that is still disclosive.
    weight : array_like, optional
        Positive factors aligned with ``frame``'s rows; none: the smallest sibling.

    Returns
    -------
    pandas.Series of object
        Aligned with ``frame.index``: existing reasons unchanged,
        'secondary' for newly hidden cells, None for visible cells.
    """
    n_rows = len(frame)
    group_code = pd.factorize(frame["group"])[0].astype(np.int64)
    ids = pd.concat([frame["area_id"], frame["parent_id"]], ignore_index=True)
    id_code = pd.factorize(ids, sort=True)[0].astype(np.int64)
    area_code, parent_code = id_code[:n_rows], id_code[n_rows:]
    if (area_code < 0).any() or (group_code < 0).any():
        raise ValueError("group and area_id must not be missing")
    n_ids = int(id_code.max()) + 1 if n_rows else 1

    row_key = pd.Index(group_code * n_ids + area_code)
    if row_key.has_duplicates:
        raise ValueError("(group, area_id) must be unique")

    child_rows = np.flatnonzero(parent_code >= 0)
    set_key = group_code[child_rows] * n_ids + parent_code[child_rows]
    set_of_child, set_keys = pd.factorize(set_key)
    set_size = np.bincount(set_of_child, minlength=len(set_keys))
    parent_row_of_set = row_key.get_indexer(set_keys)

    numerator = pd.to_numeric(frame["numerator"]).to_numpy(dtype=float, na_value=np.nan)
    child_num = numerator[child_rows]
    factor = np.ones(n_rows) if weight is None else np.asarray(weight, dtype=float)
    preference = np.lexsort(
        (area_code[child_rows], np.nan_to_num(child_num) * factor[child_rows], np.isnan(child_num), set_of_child)
    )
    ranked_rows = child_rows[preference]
    ranked_sets = set_of_child[preference]

    reason = frame["reason"].to_numpy(dtype=object, na_value=None)
    hidden = pd.notna(reason)
    added = np.zeros(n_rows, dtype=bool)
    counts = np.nan_to_num(child_num)
    while True:
        hidden_children = np.bincount(
            set_of_child, weights=hidden[child_rows], minlength=len(set_keys)
        )
        newly = _parents_of_hidden_only_children(
            hidden, hidden_children, set_size, parent_row_of_set
        )
        if newly.size == 0:
            parent_shown = (parent_row_of_set >= 0) & ~hidden[np.maximum(parent_row_of_set, 0)]
            hidden_total = np.bincount(set_of_child, weights=hidden[child_rows] * counts, minlength=len(set_keys))
            small_total = (hidden_total >= 1) & (hidden_total <= threshold)
            recoverable = (hidden_children == 1) | (parent_shown & small_total)
            newly = _partners_for_recoverable(
                hidden, recoverable & (hidden_children < set_size), ranked_rows, ranked_sets
            )
        if newly.size == 0:
            break
        hidden[newly] = True
        added[newly] = True

    result = reason.copy()
    result[added] = "secondary"
    return pd.Series(result, index=frame.index, dtype=object, name="reason")


def _parents_of_hidden_only_children(hidden, hidden_children, set_size, parent_row_of_set):
    """Rows of visible parents whose single child is hidden: forced, so tried first."""
    parents = parent_row_of_set[(set_size == 1) & (hidden_children == 1)]
    parents = parents[parents >= 0]
    return parents[~hidden[parents]]


def _partners_for_recoverable(hidden, recoverable, ranked_rows, ranked_sets):
    """First visible row, in preference order, of every set whose hidden children could be recovered."""
    open_rows = recoverable[ranked_sets] & ~hidden[ranked_rows]
    _, first = np.unique(ranked_sets[open_rows], return_index=True)
    return ranked_rows[open_rows][first]
