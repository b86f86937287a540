"""From raw values to publishable rows: every level, interval, suppression and judgement, decided once at build.

Pages only read the result. Suppressed cells leave here with their flag and without their numbers, so nothing
downstream (map, table, tooltip, CSV, export) can ever show them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from sozialdash.analysis import audit, compare, intervals, suppress
from sozialdash.analysis.aggregate import aggregate_upwards
from sozialdash.analysis.quantities import QuantityCells, facts, quantity_cells
from sozialdash.dataset import NO_RELATIONS

PUBLISHED_COLUMNS = [
    "indicator_id", "area_id", "year", "value", "numerator", "denominator", "ci_low", "ci_high", "suppression",
    "judgement_city", "judgement_parent",
]
NUMBERS = ["value", "numerator", "denominator", "ci_low", "ci_high"]


def _intervals(frame: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    low = np.full(len(frame), np.nan)
    high = np.full(len(frame), np.nan)
    for indicator_id, rows in frame.groupby("indicator_id", sort=False).indices.items():
        ind = meta.loc[indicator_id]
        low[rows], high[rows] = intervals.interval(
            ind["value_type"], frame["numerator"].values[rows], frame["denominator"].values[rows], ind["multiplier"]
        )
    return frame.assign(ci_low=low, ci_high=high)


def protects_complement(frame: pd.DataFrame, meta: pd.DataFrame) -> np.ndarray:
    """Rows of shares whose complement counts persons (``protect_complement``): there "65 von 66" would name
    the one left out, so denominator minus numerator is as secret as a small numerator."""
    types = frame["indicator_id"].map(meta["value_type"])
    protected = frame["indicator_id"].map(meta["protect_complement"]).fillna(False).astype(bool)
    return ((types == "proportion") & protected).to_numpy()


REASONS = ["source", "primary", "complement", "secondary", "audit"]
"""Why a cell is secret, strongest first; internal only (tests and the build report), never shown."""


@dataclass(frozen=True)
class Protection:
    """The build report's figures: secret indicator cells per reason, and the audit."""

    hidden_per_reason: dict[str, int]
    quantity_cells_per_reason: dict[str, int]
    targets: int
    rounds: int
    programs: int
    audit_seconds: float


def _secret_weights(cells: pd.DataFrame) -> np.ndarray:
    """Factors between 1 and 4 that scale the cost of hiding a cell, drawn from a seed only the full data give:
    the same data build the same store, but nobody without the hidden counts can tell why a partner was chosen."""
    seed = hashlib.sha256(np.ascontiguousarray(cells["value"].to_numpy(dtype=float)).tobytes()).digest()
    rng = np.random.default_rng(int.from_bytes(seed[:8], "little"))
    return np.exp(rng.uniform(0.0, np.log(4.0), len(cells)))


def _printed(frame_hidden: np.ndarray, quantities: QuantityCells):
    """``printed(hidden)``: the quantity cells some visible indicator cell prints."""
    num, den = quantities.numerator_cell, quantities.denominator_cell

    def printed(hidden: np.ndarray) -> np.ndarray:
        secret = np.append(hidden, False)  # position -1, "prints no count", is never secret
        visible = ~frame_hidden & ~secret[num] & ~secret[den]
        result = np.zeros(len(hidden), bool)
        result[num[visible & (num >= 0)]] = True
        result[den[visible & (den >= 0)]] = True
        return result & ~hidden

    return printed


def _cost(cells: pd.DataFrame, quantities: QuantityCells, areas: pd.DataFrame) -> np.ndarray:
    """What hiding a quantity cell costs readers: its size, the indicator cells that print it, and the areas
    judged against it (hiding the city's total leaves every area without its comparison)."""
    num, den = quantities.numerator_cell, quantities.denominator_cell
    uses = np.bincount(np.concatenate([num[num >= 0], den[den >= 0]]), minlength=len(cells))
    judged_against = areas.groupby("parent_id").size()
    city = areas.loc[areas["level"] == 0, "area_id"].iloc[0]
    judged_against[city] = len(areas)
    compared = cells["area_id"].map(judged_against).fillna(0).to_numpy()
    return (1 + cells["value"].to_numpy(dtype=float)) * (1 + uses) * (1 + compared)


def _first_reasons(frame: pd.DataFrame, meta: pd.DataFrame, quantities: QuantityCells,
                   threshold: int) -> tuple[np.ndarray, np.ndarray]:
    """Per quantity cell, why it is secret before any partner: primary (a count of 1 to ``threshold``), source
    (the supplier withheld it), complement (the numerator of a share of persons leaving 1 to ``threshold`` out);
    and the indicator rows with such a small complement."""
    cells = quantities.cells
    value = cells["value"].to_numpy(dtype=float)
    reason = np.full(len(cells), None, dtype=object)
    reason[cells["count"].to_numpy() & suppress.primary(value, np.zeros(len(cells), bool), threshold)] = "primary"
    num, den = quantities.numerator_cell, quantities.denominator_cell
    source = frame["source_suppressed"].fillna(False).astype(bool).to_numpy()
    reason[num[source & (num >= 0)]] = "source"
    small_rest = suppress.complement(frame["numerator"], frame["denominator"], protects_complement(frame, meta),
                                     threshold) & (num >= 0) & (den >= 0)
    rest_cells = num[small_rest]
    reason[rest_cells[pd.isna(reason[rest_cells])]] = "complement"
    return reason, small_rest


def _targets(reason: np.ndarray, small_rest: np.ndarray, quantities: QuantityCells) -> audit.Targets:
    """What the audit must keep uncertain: every cell secret for being small, and every small complement
    (denominator minus numerator)."""
    small = np.flatnonzero(np.isin(reason, ["primary", "source"]))
    rest = np.flatnonzero(small_rest)
    num, den = quantities.numerator_cell[rest], quantities.denominator_cell[rest]
    n_small, n_rest = len(small), len(rest)
    rows = np.concatenate([np.arange(n_small), n_small + np.arange(n_rest), n_small + np.arange(n_rest)])
    return audit.Targets(sparse.csr_matrix(
        (np.concatenate([np.ones(n_small), np.ones(n_rest), -np.ones(n_rest)]),
         (rows, np.concatenate([small, den, num]))), shape=(n_small + n_rest, len(reason))))


def _row_reasons(reason: np.ndarray, quantities: QuantityCells, source: np.ndarray) -> np.ndarray:
    """Per indicator row, the strongest reason among the quantity cells it prints (None: visible)."""
    rank = {r: k for k, r in enumerate(REASONS)}
    strongest = np.full(len(source), len(REASONS))
    for cell in (quantities.numerator_cell, quantities.denominator_cell):
        has = cell >= 0
        strongest[has] = np.minimum(strongest[has], [rank.get(r, len(REASONS)) for r in reason[cell[has]]])
    strongest[source] = rank["source"]
    return np.array(REASONS + [None], dtype=object)[strongest]


def _suppression(frame: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame, relations: pd.DataFrame,
                 threshold: int) -> tuple[np.ndarray, Protection]:
    """Decide on quantity cells, then hide every indicator cell that prints a secret one: the first reasons, the
    quick secondary pass on each quantity's area tree, then the audit over everything together
    (``audit.protect``), which adds suppressions until no small cell can be told from 0 or from
    ``threshold + 1``."""
    meta = indicators.set_index("indicator_id")
    quantities = quantity_cells(frame, indicators)
    cells = quantities.cells
    value = cells["value"].to_numpy(dtype=float)
    reason, small_rest = _first_reasons(frame, meta, quantities, threshold)
    weight = _secret_weights(cells)
    parent_of = areas.set_index("area_id")["parent_id"]
    reason = np.array(suppress.apply_secondary(pd.DataFrame({
        "group": cells["quantity"] + "|" + cells["year"].astype(str),
        "area_id": cells["area_id"], "parent_id": cells["area_id"].map(parent_of),
        "numerator": value, "reason": reason,
    }), threshold, weight), dtype=object)

    system = facts(quantities, frame, areas, relations, meta["value_type"])
    audit.check_truth(system, value)
    targets = _targets(reason, small_rest, quantities)
    source = frame["source_suppressed"].fillna(False).astype(bool).to_numpy()
    result = audit.protect(system, value, cells["count"].to_numpy(), pd.notna(reason), _printed(source, quantities),
                           targets, _cost(cells, quantities, areas) * weight, threshold)
    reason[result.added] = "audit"

    row_reason = _row_reasons(reason, quantities, source)
    return row_reason, Protection(
        hidden_per_reason={r: int((row_reason == r).sum()) for r in REASONS},
        quantity_cells_per_reason={r: int((reason == r).sum()) for r in REASONS},
        targets=targets.matrix.shape[0], rounds=result.rounds, programs=result.programs,
        audit_seconds=result.seconds)


def _judgements(frame: pd.DataFrame, meta: pd.DataFrame, parent_of: pd.Series, city_id: str) -> pd.DataFrame:
    value_at = frame.set_index(["indicator_id", "area_id", "year"])["value"]
    city_key = pd.MultiIndex.from_arrays([frame["indicator_id"], np.full(len(frame), city_id), frame["year"]])
    parent_key = pd.MultiIndex.from_arrays([frame["indicator_id"], frame["area_id"].map(parent_of), frame["year"]])
    city_value = value_at.reindex(city_key).to_numpy()
    parent_value = value_at.reindex(parent_key).to_numpy()
    against_city = np.full(len(frame), "not_comparable", dtype=object)
    against_parent = against_city.copy()
    for indicator_id, rows in frame.groupby("indicator_id", sort=False).indices.items():
        polarity = meta.loc[indicator_id, "polarity"]
        low, high = frame["ci_low"].values[rows], frame["ci_high"].values[rows]
        against_city[rows] = compare.judge(low, high, city_value[rows], polarity)
        against_parent[rows] = compare.judge(low, high, parent_value[rows], polarity)
    is_city = (frame["area_id"] == city_id).to_numpy()
    against_city[is_city] = "not_comparable"
    return frame.assign(judgement_city=against_city, judgement_parent=against_parent)


@dataclass(frozen=True)
class Publication:
    rows: pd.DataFrame  # for the ``indicator_values`` table
    protection: Protection


def publish(values: pd.DataFrame, areas: pd.DataFrame, indicators: pd.DataFrame,
            relations: pd.DataFrame | None = None, threshold: int = suppress.DEFAULT_THRESHOLD) -> Publication:
    """Rows for the ``indicator_values`` table, on every level, and what their suppression did."""
    meta = indicators.set_index("indicator_id")
    parent_of = areas.set_index("area_id")["parent_id"]
    city_id = areas.loc[areas["level"] == 0, "area_id"].iloc[0]
    frame = aggregate_upwards(values, areas, indicators).reset_index(drop=True)
    frame = _intervals(frame, meta)
    reason, protection = _suppression(frame, indicators, areas, NO_RELATIONS if relations is None else relations,
                                      threshold)
    frame["suppression"] = reason
    hidden = frame["suppression"].notna().to_numpy()
    # Blank first, judge second: a hidden comparator then leaves its areas "not comparable" by itself.
    frame.loc[hidden, NUMBERS] = np.nan
    frame = _judgements(frame, meta, parent_of, city_id)
    frame.loc[hidden, ["judgement_city", "judgement_parent"]] = "suppressed"
    return Publication(frame[PUBLISHED_COLUMNS], protection)
