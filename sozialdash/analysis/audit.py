"""The attacker's audit: how far can a hidden count be narrowed down from everything published?

Statistical offices audit their own tables this way (tau-ARGUS): for every secret cell, the smallest and the
largest value that is consistent with what is printed. The attacker here knows every printed quantity cell and
these facts, each a linear row over quantity cells (``Σ coef · x = 0`` or ``≤ 0``):

* a parent is the sum of its children, on every level, for every quantity that aggregates;
* the declared relations hold in every area (the age groups add up to the Einwohner*innen);
* a share's numerator is at most its denominator;
* every count is a whole number of at least zero.

A cell hidden for being small (primary, source, complement) is protected when its range includes 0 and
threshold + 1: the attacker can neither tell it from zero nor from a count safe to publish. Where a range is
narrower, ``protect`` hides one more printed cell next to it and audits again, until every range passes.

The rows split into independent pieces (connected through hidden cells only; a printed cell is a constant), so
each piece is a small integer program, solved once and remembered until a suppression changes it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

from sozialdash.culprits import FIRST, culprits
from sozialdash.errors import DatasetError

CAP = 1e9
"""Upper bound of every unknown, so that no program is unbounded; a range reaching it has no upper end."""
TOLERANCE = 1e-6
TRIALS = 12
"""Candidate partners tried per failing piece and round, cheapest first."""


@dataclass(frozen=True)
class System:
    """What the attacker knows: ``matrix @ x`` (= or ≤) 0, one row per fact, one column per quantity cell."""

    matrix: sparse.csr_matrix
    equal: np.ndarray  # per row
    label: np.ndarray  # per row, for the refusal of a relation the data break

    @property
    def rows(self) -> int:
        return self.matrix.shape[0]


@dataclass(frozen=True)
class Targets:
    """Expressions that must stay uncertain, one row per target over the quantity cells: a small count is its
    cell, a small complement is denominator minus numerator."""

    matrix: sparse.csr_matrix


def combine(pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]], cells: int) -> System:
    """One system from pieces of entries (row within the piece, cell, coef) and per row (equal, label)."""
    offset, parts = 0, []
    for row, cell, coef, equal, label in pieces:
        parts.append((row + offset, cell, coef, equal, label))
        offset += len(equal)
    stacked = [np.concatenate([part[k] for part in parts]) if parts else np.zeros(0) for k in range(5)]
    matrix = sparse.csr_matrix((stacked[2].astype(float), (stacked[0].astype(np.int64), stacked[1].astype(np.int64))),
                               shape=(offset, cells))
    return System(matrix, stacked[3].astype(bool), stacked[4].astype(object))


def check_truth(system: System, value: np.ndarray) -> None:
    """The true values must satisfy every row; a declared relation the data break is refused by name."""
    residual = system.matrix @ value
    slack = TOLERANCE * (1 + abs(system.matrix) @ np.abs(value))
    broken = np.flatnonzero(np.where(system.equal, np.abs(residual) > slack, residual > slack))
    if len(broken):
        named = list(dict.fromkeys(system.label[broken]))
        raise DatasetError(f"Die Daten erfüllen erklärte Beziehungen nicht: "
                           f"{culprits(named[:FIRST], total=len(named), separator='; ')}.")


@dataclass(frozen=True)
class Audit:
    hidden: np.ndarray  # per cell, after the audit
    added: np.ndarray   # per cell: hidden by the audit
    low: np.ndarray     # per target: the attacker's range
    high: np.ndarray
    rounds: int
    programs: int       # integer programs solved
    seconds: float


def protect(system: System, value: np.ndarray, integral: np.ndarray, hidden: np.ndarray, printed,
            targets: Targets, cost: np.ndarray, threshold: int) -> Audit:
    """Hide cells until every target's range includes 0 and ``threshold + 1``.

    ``printed(hidden)`` says which cells a reader sees once ``hidden`` are secret (a cell nobody prints is
    unknown too, without being secret). A failing piece gets one partner per round: the printed cell of least
    ``cost`` in a row with the failing target, else in a row of its piece. The build is refused if a piece fails
    with nothing left to hide."""
    started = time.perf_counter()
    hidden = hidden.copy()
    added = np.zeros_like(hidden)
    by_cell = system.matrix.T.tocsr()
    solved: dict[tuple, dict[int, tuple[float, float]]] = {}
    rounds = 0
    while True:
        rounds += 1
        known = printed(hidden)
        low, high, piece, component = _ranges(system, by_cell, value, integral, known, targets, solved)
        failing = (low > TOLERANCE) | (high < threshold + 1 - TOLERANCE)
        if not failing.any():
            break
        for p in np.unique(piece[failing]):
            partner = _partner(system, by_cell, value, integral, known, targets, failing & (piece == p), component, p,
                               cost, threshold, solved)
            if partner < 0:
                raise DatasetError("Die Geheimhaltung lässt sich nicht herstellen: Ein geheimer Wert folgt aus den "
                                   "veröffentlichten, auch wenn alles Übrige geheim gehalten wird.")
            hidden[partner] = True
            added[partner] = True
    return Audit(hidden, added, low, high, rounds, 2 * sum(len(v) for v in solved.values()),
                 time.perf_counter() - started)


def _pieces(system: System, known: np.ndarray, targets: Targets) -> np.ndarray:
    """Connected pieces of unknown cells: two unknowns meet in a row, or in one target. Returns the piece of
    every cell (known cells are pieces of their own)."""
    n = len(known)
    links = sparse.vstack([system.matrix, targets.matrix]).tocsc()[:, np.flatnonzero(~known)]
    facts = links.shape[0]
    cells = np.flatnonzero(~known)
    coo = links.tocoo()
    graph = sparse.coo_matrix((np.ones(len(coo.row)), (coo.row, facts + cells[coo.col])), shape=(facts + n,
                                                                                                   facts + n))
    return connected_components(graph, directed=False)[1][facts:]


def _ranges(system, by_cell, value, integral, known, targets, solved):
    """Per target: the attacker's minimum and maximum, and the piece it lies in (-1: nothing unknown)."""
    component = _pieces(system, known, targets)
    t = targets.matrix.tocoo()
    unknown_entry = ~known[t.col]
    constant = np.bincount(t.row, weights=np.where(unknown_entry, 0.0, t.data * value[t.col]),
                           minlength=targets.matrix.shape[0])
    piece = np.full(targets.matrix.shape[0], -1)
    piece[t.row[unknown_entry]] = component[t.col[unknown_entry]]
    low, high = constant.copy(), constant.copy()
    unknown = np.flatnonzero(~known)
    by_component = pd.Series(unknown).groupby(component[unknown]).agg(list)
    for p in np.unique(piece[piece >= 0]):
        cells = np.array(by_component[p])
        key = tuple(cells)
        mine = np.flatnonzero(piece == p)
        if key not in solved or not set(mine) <= set(solved[key]):
            solved.setdefault(key, {}).update(_solve(system, by_cell, value, integral, known, cells, targets, mine))
        for target in mine:
            lo, hi = solved[key][target]
            low[target] += lo
            high[target] += hi
    return low, high, piece, component


def _solve(system, by_cell, value, integral, known, cells, targets, mine) -> dict[int, tuple[float, float]]:
    """Minimum and maximum of each target's unknown part over one piece, as integer programs."""
    touching = np.unique(by_cell[cells].indices)
    rows = system.matrix[touching]
    fixed = np.where(known, value, 0.0)
    rhs = -(rows @ fixed)
    a = rows[:, cells]
    equal = system.equal[touching]
    constraints = LinearConstraint(a, np.where(equal, rhs, -np.inf), rhs) if len(touching) else ()
    bounds = Bounds(np.zeros(len(cells)), np.full(len(cells), CAP))
    kinds = integral[cells].astype(int)
    objectives = targets.matrix[mine][:, cells].toarray()
    result = {}
    for target, c in zip(mine, objectives):
        extremes = []
        for sign in (1, -1):
            solution = milp(sign * c, integrality=kinds, bounds=bounds, constraints=constraints)
            if solution.status != 0:
                raise DatasetError(f"Die Prüfung der Geheimhaltung ist gescheitert ({solution.message}).")
            extremes.append(sign * solution.fun)
        result[int(target)] = (extremes[0], extremes[1] if extremes[1] < CAP / 10 else np.inf)
    return result


def _partner(system, by_cell, value, integral, known, targets, failing, component, piece, cost, threshold,
             solved) -> int:
    """The printed cell to hide for a failing piece, or -1 if none is left.

    Candidates are the printed cells of the failing targets and of the rows around the piece. Up to ``TRIALS``
    of them, cheapest first, are tried on the piece's own program: the
    first that makes every failing target pass is taken, else the one that widens their ranges most (a zero
    next to a small count can be hidden without any gain, and would only cost information)."""
    failing_targets = np.flatnonzero(failing)
    failing_cells = np.unique(targets.matrix[failing_targets].indices)
    piece_cells = np.flatnonzero((component == piece) & ~known)
    cells = np.union1d(failing_cells, piece_cells)
    found = np.union1d(cells, system.matrix[np.unique(by_cell[cells].indices)].indices)
    found = found[known[found]]
    seen = [int(c) for c in found[np.argsort(cost[found], kind="stable")]]
    if not seen:
        return -1
    best, best_gain = seen[0], -np.inf
    for candidate in seen[:TRIALS]:
        trial = known.copy()
        trial[candidate] = False
        low, high = _ranges_of(system, by_cell, value, integral, trial, targets, failing_targets, solved)
        gain = np.minimum(high, threshold + 1) - np.maximum(low, 0)
        if np.all((low <= TOLERANCE) & (high >= threshold + 1 - TOLERANCE)):
            return candidate
        if gain.sum() > best_gain + TOLERANCE:
            best, best_gain = candidate, gain.sum()
    return best


def _ranges_of(system, by_cell, value, integral, known, targets, chosen, solved):
    """The ranges of the ``chosen`` targets alone, over the piece their unknown cells reach."""
    t = targets.matrix[chosen]
    constant = t @ np.where(known, value, 0.0)
    cells = _closure(system, by_cell, known, np.unique(t.indices[~known[t.indices]]))
    low, high = constant.copy(), constant.copy()
    if len(cells):
        key = tuple(cells)
        missing = [c for c in chosen if c not in solved.get(key, {})]
        if missing:
            solved.setdefault(key, {}).update(_solve(system, by_cell, value, integral, known, cells, targets,
                                                     np.array(missing)))
        for k, c in enumerate(chosen):
            low[k] += solved[key][int(c)][0]
            high[k] += solved[key][int(c)][1]
    return low, high


def _closure(system, by_cell, known, seeds) -> np.ndarray:
    """The unknown cells reachable from ``seeds`` through rows: one piece, sorted."""
    reached = set(int(c) for c in seeds)
    frontier = np.array(sorted(reached), dtype=np.int64)
    while len(frontier):
        rows = np.unique(by_cell[frontier].indices)
        there = np.unique(system.matrix[rows].indices)
        fresh = [int(c) for c in there[~known[there]] if int(c) not in reached]
        reached.update(fresh)
        frontier = np.array(fresh, dtype=np.int64)
    return np.array(sorted(reached), dtype=np.int64)
