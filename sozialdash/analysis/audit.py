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
"""Upper bound of every unknown, so that no program is unbounded."""
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
    programs: int       # ranges computed (each a minimum and a maximum)
    seconds: float


def protect(system: System, value: np.ndarray, integral: np.ndarray, hidden: np.ndarray, printed,
            targets: Targets, cost: np.ndarray, threshold: int) -> Audit:
    """Hide cells until every target's range includes 0 and ``threshold + 1``.

    ``printed(hidden)`` says which cells a reader sees once ``hidden`` are secret (a cell nobody prints is
    unknown too, without being secret). Every failing piece gets one partner per round (``_partners``). The
    build is refused if a piece fails with nothing left to hide."""
    started = time.perf_counter()
    hidden = hidden.copy()
    added = np.zeros_like(hidden)
    by_cell = system.matrix.T.tocsr()
    solved: dict[tuple, dict[int, tuple[float, float]]] = {}
    rounds = 0
    while True:
        rounds += 1
        known = printed(hidden)
        low, high, piece, component = _ranges(system, by_cell, value, integral, known, targets, solved, threshold)
        failing = (low > TOLERANCE) | (high < threshold + 1 - TOLERANCE)
        if not failing.any():
            break
        partners = _partners(system, by_cell, value, integral, known, targets, failing, piece, component, cost,
                             threshold, solved)
        hidden[partners] = True
        added[partners] = True
    return Audit(hidden, added, low, high, rounds, sum(len(v) for v in solved.values()),
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


def _ranges(system, by_cell, value, integral, known, targets, solved, threshold):
    """Per target: the attacker's minimum and maximum (capped at ``threshold + 1``), and its piece (-1: nothing
    unknown, the value is printed)."""
    component = _pieces(system, known, targets)
    t = targets.matrix.tocoo()
    unknown_entry = ~known[t.col]
    low = targets.matrix @ np.where(known, value, 0.0)
    high = np.minimum(low, threshold + 1)
    piece = np.full(targets.matrix.shape[0], -1)
    piece[t.row[unknown_entry]] = component[t.col[unknown_entry]]
    unknown = np.flatnonzero(~known)
    by_component = pd.Series(unknown).groupby(component[unknown]).agg(list)
    work, owners = [], []
    for p in np.unique(piece[piece >= 0]):
        cells = np.array(by_component[p])
        key = tuple(cells)
        mine = [int(t) for t in np.flatnonzero(piece == p)]
        work.append((key, cells, [t for t in mine if t not in solved.get(key, {})]))
        owners.append(mine)
    _solve(system, by_cell, value, integral, known, targets, work, solved, threshold)
    for (key, _, _), mine in zip(work, owners):
        for target in mine:
            low[target], high[target] = solved[key][target]
    return low, high, piece, component


def _solve(system, by_cell, value, integral, known, targets, work, solved, threshold) -> None:
    """Each target's minimum and its maximum capped at ``threshold + 1``, per piece, into
    ``solved[key][target]``; ``work`` lists (key, cells, targets) of pieces that share no row.

    Every target is non-negative (a count, or a denominator minus its numerator), so one program settles most:
    where the minimum of the sum of all targets leaves a target at 0, its minimum is 0; where the maximum of
    the sum of the capped targets leaves one at the cap, it can reach the cap. The others get a program each, one
    target per piece at a time, all pieces in one program (their sum is optimal only where every piece is).
    Solved to a zero gap, so that no piece stops short of its own optimum."""
    cap = threshold + 1
    for key, _, _ in work:
        solved.setdefault(key, {})
    work = [(key, cells, pending) for key, cells, pending in work if pending]
    if not work:
        return
    cells = np.concatenate([c for _, c, _ in work])
    chosen = np.concatenate([pending for _, _, pending in work]).astype(np.int64)
    keys = [key for key, _, pending in work for _ in pending]
    low = _program(system, by_cell, value, integral, known, targets, cells, chosen, None)
    high = _program(system, by_cell, value, integral, known, targets, cells, chosen, cap)
    open_low = [(key, int(t)) for key, t, lo in zip(keys, chosen, low) if lo > TOLERANCE]
    open_high = [(key, int(t)) for key, t, hi in zip(keys, chosen, high) if hi < cap - TOLERANCE]
    result = {(key, int(t)): [max(lo, 0.0) if lo <= TOLERANCE else None, cap if hi >= cap - TOLERANCE else None]
              for key, t, lo, hi in zip(keys, chosen, low, high)}
    cells_of = {key: cells for key, cells, _ in work}
    for side, pending, limit in [(0, open_low, None), (1, open_high, cap)]:
        queue: dict[tuple, list[int]] = {}
        for key, t in pending:
            queue.setdefault(key, []).append(t)
        while queue:
            batch = [(key, ts.pop(0)) for key, ts in queue.items()]
            queue = {key: ts for key, ts in queue.items() if ts}
            values = _program(system, by_cell, value, integral, known, targets,
                              np.concatenate([cells_of[key] for key, _ in batch]),
                              np.array([t for _, t in batch], dtype=np.int64), limit)
            for (key, t), v in zip(batch, values):
                result[(key, t)][side] = float(v)
    for (key, t), (lo, hi) in result.items():
        solved[key][t] = (lo, hi)


def _program(system, by_cell, value, integral, known, targets, cells, chosen, cap) -> np.ndarray:
    """The ``chosen`` targets' values at the minimum of their sum (``cap`` None) or at the maximum of the sum of
    their copies capped at ``cap``, over the unknown ``cells`` and the rows around them."""
    touching = np.unique(by_cell[cells].indices)
    rows = system.matrix[touching]
    fixed = np.where(known, value, 0.0)
    rhs = -(rows @ fixed)
    lower = np.where(system.equal[touching], rhs, -np.inf)
    a = rows[:, cells]
    objective = targets.matrix[chosen]
    constant = objective @ fixed
    part = objective[:, cells]
    m, k = len(cells), len(chosen)
    kinds = integral[cells].astype(int)
    if cap is None:
        x = _milp(np.asarray(part.sum(axis=0)).ravel(), kinds, Bounds(np.zeros(m), np.full(m, CAP)),
                  [LinearConstraint(a, lower, rhs)] if len(touching) else [])
        return constant + part @ x
    # y ≤ constant + part · x and y ≤ cap; maximise the sum of y
    capped = sparse.hstack([-part, sparse.identity(k)]).tocsr()
    rows_too = [LinearConstraint(sparse.hstack([a, sparse.csr_matrix((len(touching), k))]), lower, rhs)] if len(
        touching) else []
    x = _milp(np.concatenate([np.zeros(m), -np.ones(k)]), np.concatenate([kinds, np.zeros(k, int)]),
              Bounds(np.concatenate([np.zeros(m), np.full(k, -CAP)]),
                     np.concatenate([np.full(m, CAP), np.full(k, float(cap))])),
              [LinearConstraint(capped, -np.inf, constant), *rows_too])
    return x[m:]


def _milp(c, integrality, bounds, constraints) -> np.ndarray:
    solution = milp(c, integrality=integrality, bounds=bounds, constraints=constraints,
                    options={"mip_rel_gap": 0.0})
    if solution.status != 0:
        raise DatasetError(f"Die Prüfung der Geheimhaltung ist gescheitert ({solution.message}).")
    return solution.x


def _partners(system, by_cell, value, integral, known, targets, failing, piece, component, cost, threshold,
              solved) -> np.ndarray:
    """One printed cell to hide for every failing piece.

    A piece's candidates are the printed cells of its failing targets and of the rows around it. Up to ``TRIALS``
    of them, cheapest first, are tried on the piece's own program: the first that makes every failing target
    pass is taken, else the one that widens their ranges most (a zero next to a small count can be hidden
    without any gain, and would only cost information). The j-th trials of all pieces are solved together."""
    pieces = np.unique(piece[failing])
    chosen = {int(p): np.flatnonzero(failing & (piece == p)) for p in pieces}
    candidates = {}
    for p, mine in chosen.items():
        cells = np.union1d(np.unique(targets.matrix[mine].indices), np.flatnonzero((component == p) & ~known)
                           if p >= 0 else np.zeros(0, dtype=np.int64))
        found = np.union1d(cells, system.matrix[np.unique(by_cell[cells].indices)].indices)
        found = found[known[found]]
        if not len(found):
            raise DatasetError("Die Geheimhaltung lässt sich nicht herstellen: Ein geheimer Wert folgt aus den "
                               "veröffentlichten, auch wenn alles Übrige geheim gehalten wird.")
        candidates[p] = [int(c) for c in found[np.argsort(cost[found], kind="stable")][:TRIALS]]
    best = {p: (c[0], -np.inf) for p, c in candidates.items()}
    open_pieces = list(candidates)
    for j in range(TRIALS):
        trials = [(p, candidates[p][j]) for p in open_pieces if j < len(candidates[p])]
        if not trials:
            break
        passed = set()
        for batch in _disjoint(system, by_cell, known, targets, chosen, trials):
            trial_known = known.copy()
            trial_known[[c for _, c, _ in batch]] = False
            work = [(tuple(cells), cells, [int(t) for t in chosen[p] if int(t) not in solved.get(tuple(cells), {})])
                    for p, _, cells in batch]
            _solve(system, by_cell, value, integral, trial_known, targets, work, solved, threshold)
            for p, c, cells in batch:
                mine = chosen[p]
                printed_value = targets.matrix[mine] @ np.where(trial_known, value, 0.0)
                low = np.array([solved[tuple(cells)][int(t)][0] for t in mine]) if len(cells) else printed_value
                high = np.array([solved[tuple(cells)][int(t)][1] for t in mine]) if len(cells) else printed_value
                if np.all((low <= TOLERANCE) & (high >= threshold + 1 - TOLERANCE)):
                    best[p] = (c, np.inf)
                    passed.add(p)
                    continue
                gain = float((np.minimum(high, threshold + 1) - np.maximum(low, 0)).sum())
                if gain > best[p][1] + TOLERANCE:
                    best[p] = (c, gain)
        open_pieces = [p for p in open_pieces if p not in passed]
    return np.array([c for c, _ in best.values()], dtype=np.int64)


def _disjoint(system, by_cell, known, targets, chosen, trials):
    """The trials in batches whose pieces share no row, so that one program can hold a batch: each trial's
    candidate made unknown, the piece its failing targets then reach."""
    remaining = trials
    while remaining:
        trial_known = known.copy()
        trial_known[[c for _, c in remaining]] = False
        owner = {c: k for k, (_, c) in enumerate(remaining)}
        batch, later, taken = [], [], set()
        for k, (p, c) in enumerate(remaining):
            mine = targets.matrix[chosen[p]]
            cells = _closure(system, by_cell, trial_known, np.unique(mine.indices[~trial_known[mine.indices]]))
            others = {owner[int(x)] for x in cells if int(x) in owner} - {k}
            if others or taken & set(cells.tolist()):
                later.append((p, c))
                continue
            taken |= set(cells.tolist())
            batch.append((p, c, cells))
        if not batch:  # every trial meets another: take them one at a time
            p, c = later.pop(0)
            single = known.copy()
            single[c] = False
            mine = targets.matrix[chosen[p]]
            batch = [(p, c, _closure(system, by_cell, single, np.unique(mine.indices[~single[mine.indices]])))]
        yield batch
        remaining = later


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
