"""An attacker who solves for hidden counts, written apart from the build's own audit (sozialdash.analysis.audit).

It reads what any reader has: the visible rows (numerator and denominator of every cell not marked secret), the
area tree, and the published catalogue and relations (which indicators share a count, which counts add up). It
knows that parents are sums of their children, that a share's numerator is at most its denominator, and that
counts are whole and non-negative. For every cell that is secret for being small it computes, by integer
programming over the whole year at once, the smallest and largest value consistent with all of that.

The truth comes from the raw values, aggregated here on their own (sums of the finest level), so that a mistake
in the build's aggregation or quantity bookkeeping cannot hide itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

CAP = 1e7


def _named(indicators: pd.DataFrame) -> pd.DataFrame:
    ids = indicators["indicator_id"]
    num = indicators["numerator_quantity"].where(indicators["numerator_quantity"].notna(), ids + ":zaehler")
    den = indicators["denominator_quantity"].where(indicators["denominator_quantity"].notna(), ids + ":nenner")
    return indicators.assign(numerator_quantity=num,
                             denominator_quantity=den.where(indicators["value_type"] != "count", None))


def truth(values: pd.DataFrame, areas: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """(quantity, area_id, year) → value on every level, and which cells the source withheld."""
    named = _named(indicators).set_index("indicator_id")
    parent = areas.set_index("area_id")["parent_id"]
    n_children = areas.groupby("parent_id").size()
    depth = areas.set_index("area_id")["level"]
    rows = []
    for indicator_id, raw in values.groupby("indicator_id"):
        meta = named.loc[indicator_id]
        for role, quantity in [("numerator", meta["numerator_quantity"]), ("denominator", meta["denominator_quantity"])]:
            if quantity is None or pd.isna(quantity):
                continue
            level = raw[["area_id", "year", role]].dropna().rename(columns={role: "value"})
            level = level.assign(source=raw.loc[level.index, "source_suppressed"].fillna(False).astype(bool)
                                 & (role == "numerator"))
            found = [level]
            if meta["aggregation"] != "none":
                current = level
                for _ in range(int(depth.max())):
                    up = current.assign(area_id=current["area_id"].map(parent)).dropna(subset=["area_id"])
                    sums = up.groupby(["area_id", "year"]).agg(value=("value", "sum"), n=("value", "size"))
                    sums = sums[sums["n"] == sums.index.get_level_values(0).map(n_children)].reset_index()
                    current = sums.assign(source=False)[["area_id", "year", "value", "source"]]
                    if current.empty:
                        break
                    found.append(current)
            rows.append(pd.concat(found).assign(quantity=quantity, aggregating=meta["aggregation"] != "none"))
    cells = pd.concat(rows, ignore_index=True)
    mean_numerators = set(_named(indicators).query("value_type == 'mean'")["numerator_quantity"])
    counted = set(_named(indicators).query("value_type != 'mean'")["numerator_quantity"]) | set(
        _named(indicators)["denominator_quantity"].dropna())
    cells["count"] = ~cells["quantity"].isin(mean_numerators - counted)
    cells = cells.groupby(["quantity", "area_id", "year"], as_index=False).agg(
        value=("value", "first"), source=("source", "max"), aggregating=("aggregating", "min"), count=("count", "first"))
    return cells


def printed(published: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """(quantity, area_id, year) → the value a reader sees, from the visible rows."""
    named = _named(indicators).set_index("indicator_id")
    shown = published[published["suppression"].isna()]
    parts = []
    for role, quantity in [("numerator", "numerator_quantity"), ("denominator", "denominator_quantity")]:
        part = shown[["indicator_id", "area_id", "year", role]].dropna().rename(columns={role: "value"})
        parts.append(part.assign(quantity=part["indicator_id"].map(named[quantity])).dropna(subset=["quantity"]))
    return pd.concat(parts).drop_duplicates(["quantity", "area_id", "year"])[["quantity", "area_id", "year", "value"]]


def attack(published: pd.DataFrame, values: pd.DataFrame, areas: pd.DataFrame, indicators: pd.DataFrame,
           relations: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """One row per cell secret for being small: what it is, its true value, and the attacker's low and high."""
    cells = truth(values, areas, indicators)
    seen = printed(published, indicators)
    key = ["quantity", "area_id", "year"]
    cells = cells.merge(seen.rename(columns={"value": "printed"}), on=key, how="left")
    wrong = cells["printed"].notna() & (cells["printed"] != cells["value"])
    assert not wrong.any(), f"printed values differ from the truth:\n{cells[wrong].head()}"
    named = _named(indicators).set_index("indicator_id")
    children_of = areas.groupby("parent_id")["area_id"].agg(list).to_dict()
    results = []
    for year, year_cells in cells.groupby("year"):
        year_cells = year_cells.reset_index(drop=True)
        at = {(q, a): i for i, (q, a) in enumerate(zip(year_cells["quantity"], year_cells["area_id"]))}
        rows, equal = [], []
        for (q, a), i in at.items():
            children = [at.get((q, c)) for c in children_of.get(a, [])]
            if children and all(c is not None for c in children) and year_cells.at[i, "aggregating"]:
                rows.append({i: 1.0, **{c: -1.0 for c in children}})
                equal.append(True)
        for _, rel in relations.groupby("relation_id"):
            total, parts, kind = rel["total"].iloc[0], list(rel["part"]), rel["kind"].iloc[0]
            for a in areas["area_id"]:
                ids = [at.get((total, a))] + [at.get((p, a)) for p in parts]
                if all(i is not None for i in ids):
                    sign = 1.0 if kind == "at_most" else -1.0
                    rows.append({ids[0]: -sign, **{i: sign for i in ids[1:]}})
                    equal.append(kind == "equal")
        targets = []
        for indicator_id, meta in named.iterrows():
            if meta["value_type"] != "proportion":
                continue
            for a in areas["area_id"]:
                num, den = at.get((meta["numerator_quantity"], a)), at.get((meta["denominator_quantity"], a))
                if num is None or den is None:
                    continue
                rows.append({num: 1.0, den: -1.0})
                equal.append(False)
                rest = year_cells.at[den, "value"] - year_cells.at[num, "value"]
                if meta["protect_complement"] and 1 <= rest <= threshold:
                    targets.append(("complement", f"{indicator_id} in {a}", {den: 1.0, num: -1.0}, rest))
        small = year_cells["count"] & (year_cells["value"].between(1, threshold) | year_cells["source"])
        for i in np.flatnonzero(small.to_numpy()):
            kind = "source" if year_cells.at[i, "source"] else "small"
            targets.append((kind, f"{year_cells.at[i, 'quantity']} in {year_cells.at[i, 'area_id']}", {i: 1.0},
                            year_cells.at[i, "value"]))
        n = len(year_cells)
        matrix = sparse.csr_matrix(
            ([v for r in rows for v in r.values()],
             ([k for k, r in enumerate(rows) for _ in r], [c for r in rows for c in r])), shape=(len(rows), n))
        fixed = year_cells["printed"].notna().to_numpy()
        low_bound = np.where(fixed, year_cells["printed"].fillna(0), 0.0)
        high_bound = np.where(fixed, year_cells["printed"].fillna(0), CAP)
        constraint = LinearConstraint(matrix, np.where(equal, 0.0, -np.inf), np.zeros(len(rows)))
        integrality = year_cells["count"].to_numpy().astype(int)
        for kind, label, expression, true_value in targets:
            c = np.zeros(n)
            for i, coef in expression.items():
                c[i] = coef
            extremes = []
            for sign in (1, -1):
                solution = milp(sign * c, integrality=integrality, bounds=Bounds(low_bound, high_bound),
                                constraints=constraint)
                assert solution.status == 0, solution.message
                extremes.append(sign * solution.fun)
            results.append({"year": year, "kind": kind, "cell": label, "true": true_value,
                            "low": extremes[0], "high": extremes[1]})
    return pd.DataFrame(results, columns=["year", "kind", "cell", "true", "low", "high"])


def exposed(ranges: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Cells whose range does not include both 0 and threshold + 1."""
    return ranges[(ranges["low"] > 1e-6) | (ranges["high"] < threshold + 1 - 1e-6)]
