"""Counts as the attacker sees them: quantities, not indicators.

A published cell shows its numerator and its denominator. The same count often stands in several indicators
(children under 18 are the numerator of Anteil unter 18 and the denominator of Inobhutnahmen), and counts are
linked by what everybody knows (the age groups add up to the Einwohner*innen). Suppressing an indicator cell
protects nothing if the same count is printed by another indicator, or follows from the others. So suppression
decides on quantity cells (quantity, area, year): a secret quantity cell hides every indicator cell that would
print it, and the audit solves for the hidden quantity cells from everything printed.

Which indicators share a quantity and which quantities add up is metadata: the catalogue's
``numerator_quantity`` and ``denominator_quantity`` (empty: a quantity of the indicator's own) and the dataset's
``relations``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sozialdash.analysis.audit import System, combine
from sozialdash.culprits import FIRST, culprits
from sozialdash.errors import DatasetError

RELATION_KINDS = {"equal": "=", "at_most": "≥"}
"""``equal``: the total is the sum of its parts (age groups of the Einwohner*innen); ``at_most``: the parts add up
to no more than the total (4th-graders changing to a Gymnasium or a Gesamtschule)."""


def with_quantities(indicators: pd.DataFrame) -> pd.DataFrame:
    """The catalogue with every numerator and denominator named: an indicator that declares none has quantities
    of its own (``<id>:zaehler``, ``<id>:nenner``); a count has no denominator."""
    ids = indicators["indicator_id"]
    numerator = indicators["numerator_quantity"].where(indicators["numerator_quantity"].notna(), ids + ":zaehler")
    denominator = indicators["denominator_quantity"].where(indicators["denominator_quantity"].notna(),
                                                           ids + ":nenner")
    return indicators.assign(numerator_quantity=numerator,
                             denominator_quantity=denominator.where(indicators["value_type"] != "count", None))


def amounts(indicators: pd.DataFrame) -> set[str]:
    """Quantities that are sums of money or space, not counts of anybody: those only ever used as a mean's
    numerator (the incomes of the taxpayers counted in its denominator). Every other quantity counts people,
    households or cases, is a whole number and is secret when small."""
    named = with_quantities(indicators)
    counted = set(named.loc[named["value_type"] != "mean", "numerator_quantity"]) | set(
        named["denominator_quantity"].dropna())
    return set(named.loc[named["value_type"] == "mean", "numerator_quantity"]) - counted


@dataclass(frozen=True)
class QuantityCells:
    """One row per quantity cell, and for every indicator cell the quantity cells it prints.

    ``cells`` has the columns quantity, area_id, year, value, count (a whole number of anybody) and aggregating
    (its parents are sums of its children); ``numerator_cell`` and ``denominator_cell`` give, per row of the
    indicator frame, the position in ``cells`` (-1: nothing printed)."""

    cells: pd.DataFrame
    numerator_cell: np.ndarray
    denominator_cell: np.ndarray


def quantity_cells(frame: pd.DataFrame, indicators: pd.DataFrame) -> QuantityCells:
    """Quantity cells of the indicator cells in ``frame`` (every level, as published). Two indicators that declare
    the same quantity must give it the same value in every area and year; otherwise the declaration is wrong and
    the build is refused, naming the cells."""
    named = with_quantities(indicators).set_index("indicator_id")
    counts_nothing = amounts(indicators)
    parts = []
    for column, quantity in [("numerator", "numerator_quantity"), ("denominator", "denominator_quantity")]:
        parts.append(pd.DataFrame({
            "row": np.arange(len(frame)), "role": column,
            "indicator_id": frame["indicator_id"].to_numpy(),
            "quantity": frame["indicator_id"].map(named[quantity]).to_numpy(),
            "area_id": frame["area_id"].to_numpy(), "year": frame["year"].to_numpy(),
            "value": pd.to_numeric(frame[column]).to_numpy(dtype=float, na_value=np.nan),
        }))
    uses = pd.concat(parts, ignore_index=True)
    uses = uses[uses["quantity"].notna() & uses["value"].notna()].reset_index(drop=True)
    codes = [pd.factorize(uses[column]) for column in ("quantity", "area_id", "year")]
    key = codes[0][0].astype(np.int64)
    for code, labels in codes[1:]:
        key = key * len(labels) + code
    _, first, cell_of_use = np.unique(key, return_index=True, return_inverse=True)
    value = uses["value"].to_numpy()
    conflicting = np.unique(cell_of_use[value != value[first][cell_of_use]])
    if len(conflicting):
        raise DatasetError(_conflict_message(uses, uses.iloc[first[conflicting]]))
    cells = uses.iloc[first][["quantity", "area_id", "year", "value"]].reset_index(drop=True)
    aggregates = named["aggregation"] != "none"
    not_summed = set(named.loc[~aggregates, "numerator_quantity"]) | set(named.loc[~aggregates,
                                                                                  "denominator_quantity"].dropna())
    cells["count"] = ~cells["quantity"].isin(counts_nothing)
    cells["aggregating"] = ~cells["quantity"].isin(not_summed)
    numerator_cell = np.full(len(frame), -1)
    denominator_cell = np.full(len(frame), -1)
    for role, target in [("numerator", numerator_cell), ("denominator", denominator_cell)]:
        mine = (uses["role"] == role).to_numpy()
        target[uses["row"].to_numpy()[mine]] = cell_of_use[mine]
    return QuantityCells(cells, numerator_cell, denominator_cell)


def _conflict_message(uses: pd.DataFrame, conflicting: pd.DataFrame) -> str:
    """``conflicting``: one use of each quantity cell whose uses disagree."""
    named = []
    for quantity, area_id, year in conflicting[["quantity", "area_id", "year"]].head(FIRST).itertuples(index=False):
        rows = uses[(uses["quantity"] == quantity) & (uses["area_id"] == area_id) & (uses["year"] == year)]
        values = ", ".join(f"{row.indicator_id} ({'Zähler' if row.role == 'numerator' else 'Nenner'}) "
                           f"{row.value:.15g}" for row in rows.drop_duplicates(["indicator_id", "role"]).itertuples())
        named.append(f"{quantity}, Gebiet {area_id}, {year}: {values}")
    return ("Dieselbe Zählgröße hat in mehreren Indikatoren verschiedene Werte; entweder ist die Angabe "
            "numerator_quantity/denominator_quantity falsch, oder die Quellen zählen verschieden: "
            f"{culprits(named, total=len(conflicting), separator='; ')}.")


def check_relations(relations: pd.DataFrame, indicators: pd.DataFrame) -> None:
    """Refuse relations that name unknown quantities, an unknown kind, or a total without parts."""
    if relations.empty:
        return
    known = set(with_quantities(indicators)[["numerator_quantity", "denominator_quantity"]].stack())
    unknown = sorted((set(relations["total"]) | set(relations["part"])) - known)
    if unknown:
        raise DatasetError(f"Beziehungen nennen Zählgrößen, die kein Indikator als Zähler oder Nenner hat: "
                           f"{culprits(unknown)}.")
    bad_kind = sorted(set(relations["kind"]) - set(RELATION_KINDS))
    if bad_kind:
        raise DatasetError(f"Unbekannte Art von Beziehung: {culprits(bad_kind)} (erlaubt: "
                           f"{', '.join(RELATION_KINDS)}).")
    per_relation = relations.groupby("relation_id")
    mixed = [str(r) for r, rows in per_relation if rows["total"].nunique() > 1 or rows["kind"].nunique() > 1]
    own = sorted(relations.loc[relations["total"] == relations["part"], "relation_id"].astype(str).unique())
    if mixed or own:
        raise DatasetError("Jede Beziehung braucht genau eine Summe, eine Art und Teile, die nicht die Summe selbst "
                           f"sind: {culprits(mixed + own)}.")


def describe(relations: pd.DataFrame) -> list[str]:
    """Each relation as people write it: 'pop = p0_17 + p18_64 + p65plus'."""
    return [f"{rows['total'].iloc[0]} {RELATION_KINDS[rows['kind'].iloc[0]]} {' + '.join(rows['part'])}"
            for _, rows in relations.groupby("relation_id", sort=False)]


def facts(quantities: QuantityCells, frame: pd.DataFrame, areas: pd.DataFrame, relations: pd.DataFrame,
          value_types: pd.Series) -> System:
    """Everything an attacker knows besides the printed cells, as rows over the quantity cells: parents are the
    sums of their children, the declared relations, numerators at most their denominators."""
    cells = quantities.cells
    position = _Positions(cells)
    return combine([_sums(cells, position, areas), *_relations(cells, position, relations),
                    _shares(quantities, frame, value_types)], len(cells))


class _Positions:
    """Where a (quantity, area, year) lies in the cells, by integer keys (-1: no such cell)."""

    def __init__(self, cells: pd.DataFrame):
        self.labels = [pd.Index(cells[column].unique()) for column in ("quantity", "area_id", "year")]
        key = self._key([cells[column].to_numpy() for column in ("quantity", "area_id", "year")])
        self.order = np.argsort(key, kind="stable")
        self.sorted = key[self.order]

    def _key(self, columns) -> np.ndarray:
        key = np.zeros(len(columns[0]), dtype=np.int64)
        for labels, column in zip(self.labels, columns):
            code = labels.get_indexer(column)
            key = np.where((key < 0) | (code < 0), -1, key * len(labels) + code)
        return key

    def __call__(self, quantity, area_id, year) -> np.ndarray:
        key = self._key([np.asarray(quantity, dtype=object), np.asarray(area_id, dtype=object), np.asarray(year)])
        if not len(self.sorted):
            return np.full(len(key), -1)
        at = np.minimum(np.searchsorted(self.sorted, key), len(self.sorted) - 1)
        return np.where((key >= 0) & (self.sorted[at] == key), self.order[at], -1)


def _sums(cells: pd.DataFrame, position: _Positions, areas: pd.DataFrame):
    """One row per parent cell whose children all have the quantity: parent − Σ children = 0."""
    parent_of = areas.set_index("area_id")["parent_id"]
    child_count = areas.groupby("parent_id").size()
    children = np.flatnonzero(cells["aggregating"].to_numpy() & cells["area_id"].map(parent_of).notna().to_numpy())
    parent = position(cells["quantity"].to_numpy()[children],
                 cells["area_id"].map(parent_of).to_numpy()[children], cells["year"].to_numpy()[children])
    children, parent = children[parent >= 0], parent[parent >= 0]
    found = np.bincount(parent, minlength=len(cells))
    expected = cells["area_id"].map(child_count).fillna(0).to_numpy()
    complete = np.flatnonzero((found > 0) & (found == expected))
    row_of = np.full(len(cells), -1)
    row_of[complete] = np.arange(len(complete))
    kept = row_of[parent] >= 0
    row = np.concatenate([np.arange(len(complete)), row_of[parent[kept]]])
    cell = np.concatenate([complete, children[kept]])
    coef = np.concatenate([np.ones(len(complete)), -np.ones(kept.sum())])
    label = (cells["quantity"].to_numpy()[complete].astype(str) + " als Summe der Teilgebiete von "
             + cells["area_id"].to_numpy()[complete].astype(str) + ", "
             + cells["year"].to_numpy()[complete].astype(str))
    return row, cell, coef, np.ones(len(complete), bool), label


def _relations(cells: pd.DataFrame, position: _Positions, relations: pd.DataFrame):
    """Per declared relation, one row per area and year where the total and every part exist."""
    pieces = []
    places = cells[["area_id", "year"]].drop_duplicates()
    area_ids, years = places["area_id"].to_numpy(), places["year"].to_numpy()
    for (_, rows), text in zip(relations.groupby("relation_id", sort=False), describe(relations)):
        total = position(np.full(len(places), rows["total"].iloc[0], dtype=object), area_ids, years)
        parts = [position(np.full(len(places), part, dtype=object), area_ids, years) for part in rows["part"]]
        present = (total >= 0) & np.all([p >= 0 for p in parts], axis=0)
        n = int(present.sum())
        sign = -1.0 if rows["kind"].iloc[0] == "equal" else 1.0
        row = np.tile(np.arange(n), len(parts) + 1)
        cell = np.concatenate([total[present], *[p[present] for p in parts]])
        coef = np.concatenate([np.full(n, -sign), np.full(n * len(parts), sign)])
        label = np.array([f"{text} in Gebiet {a}, {y}" for a, y in zip(area_ids[present], years[present])],
                         dtype=object)
        pieces.append((row, cell, coef, np.full(n, rows["kind"].iloc[0] == "equal"), label))
    return pieces


def _shares(quantities: QuantityCells, frame: pd.DataFrame, value_types: pd.Series):
    """numerator − denominator ≤ 0 for every share, once per pair of cells."""
    proportion = (frame["indicator_id"].map(value_types) == "proportion").to_numpy()
    pairs = np.unique(np.column_stack([quantities.numerator_cell, quantities.denominator_cell])[
        proportion & (quantities.numerator_cell >= 0) & (quantities.denominator_cell >= 0)], axis=0).reshape(-1, 2)
    n = len(pairs)
    row = np.tile(np.arange(n), 2)
    return (row, pairs.T.reshape(-1), np.concatenate([np.ones(n), -np.ones(n)]), np.zeros(n, bool),
            np.full(n, "Zähler höchstens Nenner", dtype=object))
