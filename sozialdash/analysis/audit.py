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
each piece is a small integer program, solved once and remembered until a suppression changes it. Only whether a
range reaches 0 and threshold + 1 matters, so maxima are capped there; that lets one program over all pieces
settle most cells at once (``_solve``). The audit is exact at every size: nothing is cut per subtree.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
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
    low: np.ndarray     # per target: the attacker's minimum
    high: np.ndarray    # per target: the attacker's maximum, capped at threshold + 1
    rounds: int
    programs: int       # ranges computed (each a minimum and a maximum)
    seconds: float


def protect(system: System, value: np.ndarray, integral: np.ndarray, hidden: np.ndarray, printed,
            targets: Targets, cost: np.ndarray, threshold: int) -> Audit:
    """Hide cells until every target's range includes 0 and ``threshold + 1``.

    ``printed(hidden)`` says which cells a reader sees once ``hidden`` are secret (a cell nobody prints is
    unknown too, without being secret). Every failing piece gets one partner per round (``_partners``); after
    the first round only the pieces the new partners reach are solved again. The build is refused if a piece
    fails with nothing left to hide."""
    started = time.perf_counter()
    hidden = hidden.copy()
    added = np.zeros_like(hidden)
    graph = _Graph(system, targets)
    solved: dict[tuple, dict[int, tuple[float, float]]] = {}
    known = printed(hidden)
    low, high, piece, cells_of = _ranges(graph, value, integral, known, solved, threshold)
    rounds = 1
    while True:
        failing = (low > TOLERANCE) | (high < threshold + 1 - TOLERANCE)
        if not failing.any():
            break
        partners = _partners(graph, value, integral, known, failing, piece, cells_of, cost, threshold, solved)
        hidden[partners] = True
        added[partners] = True
        now = printed(hidden)
        changed = np.flatnonzero(known & ~now)
        known = now
        _update(graph, value, integral, known, solved, threshold, changed, low, high, piece, cells_of)
        rounds += 1
    return Audit(hidden, added, low, high, rounds, sum(len(v) for v in solved.values()),
                 time.perf_counter() - started)


class _Graph:
    """The system and the targets with the lookups the audit walks: facts (rows and targets) per cell, targets
    per cell."""

    def __init__(self, system: System, targets: Targets):
        self.system = system
        self.targets = targets
        self.by_cell = system.matrix.T.tocsr()
        self.links = sparse.vstack([system.matrix, targets.matrix]).tocsr()
        self.links_by_cell = self.links.T.tocsr()
        self.targets_by_cell = targets.matrix.T.tocsr()

    def closure(self, known: np.ndarray, seeds) -> np.ndarray:
        """The unknown cells reachable from ``seeds`` through rows and targets: one piece, sorted. Pieces are small
        next to the city, so the walk keeps what it has seen, not a mask of every cell."""
        frontier = np.unique(np.asarray(seeds, dtype=np.int64))
        frontier = frontier[~known[frontier]]
        seen = set(frontier.tolist())
        parts = [frontier]
        while len(frontier):
            facts = np.unique(self.links_by_cell[frontier].indices)
            there = np.unique(self.links[facts].indices)
            frontier = np.array([c for c in there[~known[there]].tolist() if c not in seen], dtype=np.int64)
            seen.update(frontier.tolist())
            parts.append(frontier)
        return np.sort(np.concatenate(parts))


def _pieces(graph: _Graph, known: np.ndarray) -> np.ndarray:
    """Connected pieces of unknown cells: two unknowns meet in a row, or in one target. Returns the piece of
    every cell (known cells are pieces of their own)."""
    n = len(known)
    cells = np.flatnonzero(~known)
    coo = graph.links.tocsc()[:, cells].tocoo()
    facts = graph.links.shape[0]
    links = sparse.coo_matrix((np.ones(len(coo.row)), (coo.row, facts + cells[coo.col])),
                              shape=(facts + n, facts + n))
    return connected_components(links, directed=False)[1][facts:]


def _ranges(graph, value, integral, known, solved, threshold):
    """Per target: the attacker's minimum and maximum (capped at ``threshold + 1``) and its piece (-1: nothing
    unknown, the value is printed); and the cells of every piece."""
    component = _pieces(graph, known)
    t = graph.targets.matrix.tocoo()
    unknown_entry = ~known[t.col]
    low = graph.targets.matrix @ np.where(known, value, 0.0)
    high = np.minimum(low, threshold + 1)
    piece = np.full(graph.targets.matrix.shape[0], -1)
    piece[t.row[unknown_entry]] = component[t.col[unknown_entry]]
    unknown = np.flatnonzero(~known)
    order = np.argsort(component[unknown], kind="stable")
    labels, starts = np.unique(component[unknown][order], return_index=True)
    cells_of = dict(zip(labels.tolist(), np.split(unknown[order], starts[1:])))
    _solve_pieces(graph, value, integral, known, solved, threshold, piece, cells_of, np.unique(piece[piece >= 0]),
                  low, high)
    return low, high, piece, cells_of


def _update(graph, value, integral, known, solved, threshold, changed, low, high, piece, cells_of) -> None:
    """After ``changed`` cells became unknown: the pieces they join, and the ranges of the targets in them."""
    fresh = []
    covered = np.zeros(len(known), bool)
    for cell in changed:
        if covered[cell]:
            continue
        cells = graph.closure(known, [cell])
        covered[cells] = True
        label = max(cells_of, default=-1) + 1
        cells_of[label] = cells
        piece[np.unique(graph.targets_by_cell[cells].indices)] = label
        fresh.append(label)
    _solve_pieces(graph, value, integral, known, solved, threshold, piece, cells_of, np.array(fresh), low, high)


def _solve_pieces(graph, value, integral, known, solved, threshold, piece, cells_of, labels, low, high) -> None:
    """Solve the targets of the pieces ``labels`` and write their ranges into ``low`` and ``high``."""
    asked = np.flatnonzero(np.isin(piece, labels))
    asked = asked[np.argsort(piece[asked], kind="stable")]
    found, starts = np.unique(piece[asked], return_index=True)
    in_piece = dict(zip(found.tolist(), (part.tolist() for part in np.split(asked, starts[1:]))))
    work = []
    for label in labels:
        cells = cells_of[int(label)]
        key = tuple(cells.tolist())
        mine = in_piece.get(int(label), [])
        work.append((key, cells, [t for t in mine if t not in solved.get(key, {})], mine))
    _solve(graph, value, integral, known, [(key, cells, pending) for key, cells, pending, _ in work], solved,
           threshold)
    for key, _, _, mine in work:
        for target in mine:
            low[target], high[target] = solved[key][target]


def _solve(graph, value, integral, known, work, solved, threshold) -> None:
    """Each target's minimum and its maximum capped at ``threshold + 1``, per block, into
    ``solved[key][target]``; ``work`` lists (key, cells, targets): the unknown cells of a piece (``key`` is their
    tuple) and the targets to solve over them.

    Every target is non-negative (a count, or a denominator minus its numerator), so one program settles many:
    where the minimum of the sum of the open targets leaves one at 0, its minimum is 0; where the maximum of the
    sum of the capped targets leaves one at the cap, it reaches the cap. That is repeated over the targets still
    open while it settles any; the rest (mostly those that do fail) get a program each, one target per block at
    a time, all blocks in one program (their sum is optimal only where every block is)."""
    cap = threshold + 1
    fixed = np.where(known, value, 0.0)
    for key, _, _ in work:
        solved.setdefault(key, {})
    cells_of = {key: cells for key, cells, pending in work if pending}
    result = {(key, int(t)): [None, None] for key, _, pending in work for t in pending}
    for side, limit, settled in [(0, None, lambda v: v <= TOLERANCE), (1, cap, lambda v: v >= cap - TOLERANCE)]:
        open_ = [pair for pair, found in result.items() if found[side] is None]
        while open_:
            blocks, order = _blocks_of(open_, cells_of)
            done = settled(_program(graph, integral, fixed, blocks, limit))
            for pair in [pair for pair, settles in zip(order, done) if settles]:
                result[pair][side] = 0.0 if side == 0 else float(cap)
            open_ = [pair for pair in open_ if result[pair][side] is None]
            if not done.any():
                break
        queue: dict[tuple, list[int]] = {}
        for key, t in open_:
            queue.setdefault(key, []).append(t)
        while queue:
            batch = [(key, ts.pop(0)) for key, ts in queue.items()]
            queue = {key: ts for key, ts in queue.items() if ts}
            values = _program(graph, integral, fixed, [(cells_of[key], np.array([t])) for key, t in batch], limit)
            for (key, t), v in zip(batch, values):
                result[(key, t)][side] = float(v)
    for (key, t), (lo, hi) in result.items():
        solved[key][t] = (lo, hi)


def _blocks_of(pairs, cells_of):
    """(key, target) pairs as blocks (cells, targets), one per key, and the pairs in the blocks' order."""
    by_key: dict[tuple, list[int]] = {}
    for key, t in pairs:
        by_key.setdefault(key, []).append(t)
    blocks = [(cells_of[key], np.array(ts, dtype=np.int64)) for key, ts in by_key.items()]
    return blocks, [(key, t) for key, ts in by_key.items() for t in ts]


def _program(graph, integral, fixed, blocks, cap) -> np.ndarray:
    """One integer program of independent blocks (cells, targets): every block's own copy of its unknown cells
    and the rows around them, the other cells in those rows at their printed values (``fixed``). Returns each
    block's targets' values at the minimum of their sum (``cap`` None), or at the maximum of the sum of their
    copies capped at ``cap``."""
    a, lower, upper, part, constant, kind = _blocks(graph, integral, fixed, blocks)
    m, k = a.shape[1], part.shape[0]
    rows = [LinearConstraint(a, lower, upper)] if a.shape[0] else []
    if cap is None:
        x = _milp(np.asarray(part.sum(axis=0)).ravel(), kind, Bounds(np.zeros(m), np.full(m, CAP)), rows)
        return constant + part @ x
    # y ≤ constant + part · x and y ≤ cap; maximise the sum of y
    padded = [LinearConstraint(sparse.hstack([a, sparse.csr_matrix((a.shape[0], k))]), lower, upper)] if rows else []
    x = _milp(np.concatenate([np.zeros(m), -np.ones(k)]), np.concatenate([kind, np.zeros(k, int)]),
              Bounds(np.concatenate([np.zeros(m), np.full(k, -CAP)]),
                     np.concatenate([np.full(m, CAP), np.full(k, float(cap))])),
              [LinearConstraint(sparse.hstack([-part, sparse.identity(k)]).tocsr(), -np.inf, constant), *padded])
    return x[m:]


def _blocks(graph, integral, fixed, blocks):
    """The block-diagonal program's parts, built at once for all blocks: each block's cells get columns of their
    own, each row around them a row per block, each of its targets an objective row per block."""
    sizes = np.array([len(cells) for cells, _ in blocks])
    cell = np.concatenate([cells for cells, _ in blocks]).astype(np.int64)
    block = np.repeat(np.arange(len(blocks)), sizes)
    column = np.arange(len(cell))
    kind = integral[cell].astype(int)

    def spread(by_cell):
        """(block, fact, column, coef) for every fact (row or target) of every block's cells."""
        counts = np.diff(by_cell.indptr)[cell]
        starts = np.repeat(by_cell.indptr[cell], counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        at = starts + offsets
        return np.repeat(block, counts), by_cell.indices[at], np.repeat(column, counts), by_cell.data[at]

    row_block, row, row_column, coef = spread(graph.by_cell)
    pairs, row_id = np.unique(row_block * graph.system.rows + row, return_inverse=True)
    fact = pairs % graph.system.rows
    a = sparse.csr_matrix((coef, (row_id, row_column)), shape=(len(pairs), len(cell)))
    inside = np.bincount(row_id, weights=coef * fixed[cell[row_column]], minlength=len(pairs))
    rhs = -(graph.system.matrix @ fixed)[fact] + inside
    lower = np.where(graph.system.equal[fact], rhs, -np.inf)

    n_targets = graph.targets.matrix.shape[0]
    wanted = np.concatenate([b * n_targets + np.asarray(chosen, dtype=np.int64)
                             for b, (_, chosen) in enumerate(blocks)])
    t_block, target, t_column, t_coef = spread(graph.targets_by_cell)
    order = np.argsort(wanted, kind="stable")
    wanted_sorted = wanted[order]
    position = np.minimum(np.searchsorted(wanted_sorted, t_block * n_targets + target), len(wanted) - 1)
    mine = wanted_sorted[position] == t_block * n_targets + target
    objective_row = order[position[mine]]
    part = sparse.csr_matrix((t_coef[mine], (objective_row, t_column[mine])), shape=(len(wanted), len(cell)))
    inside = np.bincount(objective_row, weights=t_coef[mine] * fixed[cell[t_column[mine]]], minlength=len(wanted))
    constant = (graph.targets.matrix @ fixed)[wanted % n_targets] - inside
    return a, lower, rhs, part, constant, kind


def _milp(c, integrality, bounds, constraints) -> np.ndarray:
    solution = milp(c, integrality=integrality, bounds=bounds, constraints=constraints,
                    options={"mip_rel_gap": 0.0})
    if solution.status != 0:
        raise DatasetError(f"Die Prüfung der Geheimhaltung ist gescheitert ({solution.message}).")
    return solution.x


def _partners(graph, value, integral, known, failing, piece, cells_of, cost, threshold, solved) -> np.ndarray:
    """One printed cell to hide for every failing piece.

    A piece's candidates are the printed cells of its failing targets and of the rows around it. The ``TRIALS``
    cheapest are tried, all pieces' trials together in one program (each trial a block of its own): the
    cheapest that makes every failing target of its piece pass is taken, else the one that widens their ranges
    most (a zero next to a small count can be hidden without any gain, and would only cost information)."""
    targets, system = graph.targets, graph.system
    chosen = {int(p): np.flatnonzero(failing & (piece == p)) for p in np.unique(piece[failing])}
    trials = []
    for p, mine in chosen.items():
        cells = np.union1d(np.unique(targets.matrix[mine].indices),
                           cells_of[p] if p >= 0 else np.zeros(0, dtype=np.int64))
        found = np.union1d(cells, system.matrix[np.unique(graph.by_cell[cells].indices)].indices)
        found = found[known[found]]
        if not len(found):
            raise DatasetError("Die Geheimhaltung lässt sich nicht herstellen: Ein geheimer Wert folgt aus den "
                               "veröffentlichten, auch wenn alles Übrige geheim gehalten wird.")
        for candidate in found[np.argsort(cost[found], kind="stable")][:TRIALS]:
            trial_known = known.copy()
            trial_known[candidate] = False
            trials.append((p, int(candidate), graph.closure(trial_known, np.unique(targets.matrix[mine].indices))))
    work = [(tuple(cells.tolist()), cells,
             [int(t) for t in chosen[p] if int(t) not in solved.get(tuple(cells.tolist()), {})])
            for p, _, cells in trials]
    _solve(graph, value, integral, known, work, solved, threshold)
    best: dict[int, tuple[int, float]] = {}
    for p, candidate, cells in trials:
        key = tuple(cells.tolist())
        low = np.array([solved[key][int(t)][0] for t in chosen[p]])
        high = np.array([solved[key][int(t)][1] for t in chosen[p]])
        passes = np.all((low <= TOLERANCE) & (high >= threshold + 1 - TOLERANCE))
        gain = np.inf if passes else float((np.minimum(high, threshold + 1) - np.maximum(low, 0)).sum())
        if p not in best or gain > best[p][1] + TOLERANCE:
            best[p] = (candidate, gain)
    return np.array([c for c, _ in best.values()], dtype=np.int64)
