"""The demo with one indicator whose counts are tracers: every Stadtteil's numerator and denominator is a number
that appears nowhere else, so that a hidden cell's true counts, had they reached the browser, could be found in
what it received without mistaking some other number for them."""

from __future__ import annotations

import dataclasses

import numpy as np

from sozialdash.dataset import Dataset

TRACED = "ohne_abschluss"
YEAR = 2025


def traced_dataset(demo: Dataset) -> Dataset:
    """``demo`` with Schulabgänger*innen ohne Abschluss redrawn in ``YEAR``: denominators 97,331, 98,344, … (a step
    of 1,013), numerators 40,009, 41,018, … (a step of 1,009), and 1 or 2 in every seventh Stadtteil, so that
    primary and secondary suppression have cells to hide. No cohort is that large: the numbers are chosen to be
    found, not to be believed."""
    values = demo.values.copy()
    rows = np.flatnonzero(((values["indicator_id"] == TRACED) & (values["year"] == YEAR)).to_numpy())
    k = np.arange(len(rows))
    denominator = 97_331 + 1_013 * k
    numerator = np.where(k % 7 == 3, 1 + k % 2, 40_009 + 1_009 * k)
    values.loc[values.index[rows], "denominator"] = denominator.astype(float)
    values.loc[values.index[rows], "numerator"] = numerator.astype(float)
    values.loc[values.index[rows], "value"] = numerator / denominator * 100
    return dataclasses.replace(demo, values=values)
