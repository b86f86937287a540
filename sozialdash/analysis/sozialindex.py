"""A status and dynamics index by the method of Berlin's Monitoring Soziale Stadtentwicklung (MSS).

The MSS, as published for each edition:

1. Areas below a minimum population (300 inhabitants) and areas with a missing value are left out of the
   computation and shown as "ohne Zuordnung".
2. Each status indicator (a share in one year) and each dynamics indicator (its change in percentage points over
   the period, two years in the MSS) is z-standardised over the included areas, with the unweighted mean and the
   population standard deviation (ddof = 0).
3. The z-values of the status indicators are summed with equal weights, each with the sign that makes a higher
   value worse (from the indicator's polarity); so are the dynamics indicators'.
4. Each sum is standardised again the same way: the status index and the dynamics index, mean 0 and SD 1 over the
   included areas.
5. Classes by fixed thresholds in standard deviations. Status: 1 hoch (index < −1), 2 mittel (−1 … +1),
   3 niedrig (over +1 up to +1.5), 4 sehr niedrig (over +1.5). Dynamics: + positiv (< −1), +/- stabil (−1 … +1),
   − negativ (over +1). An index exactly on a threshold belongs to the milder class (−1 and +1 are mittel and
   stabil, +1.5 is niedrig), as the published intervals read. The combined code is the status class and the
   dynamics sign, e.g. "2+/-". The thresholds are part of the configuration (``IndexConfig``), so a city can
   choose its own; ``departures`` then says so, and ``class_bounds`` words the intervals they make.

Everything here is plain arrays and frames, so an official edition's indicator values can be fed in and its classes
compared area by area.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from sozialdash.culprits import culprits

STATUS_CLASSES = {1: "hoch", 2: "mittel", 3: "niedrig", 4: "sehr niedrig"}
DYNAMICS_CLASSES = {"+": "positiv", "+/-": "stabil", "-": "negativ"}
UNASSIGNED = "ohne Zuordnung"
EXCLUDED_SMALL, EXCLUDED_MISSING = "small", "missing"
SIGN = {"higher_is_worse": 1.0, "higher_is_better": -1.0}


@dataclass(frozen=True)
class IndexConfig:
    """What the index is computed from. The defaults are the MSS's rules; the indicators are the city's."""

    status: tuple[str, ...]
    dynamics: tuple[str, ...]
    weights: Mapping[str, float] = field(default_factory=dict)   # by indicator id; missing ones weigh 1
    period_years: int = 2
    min_population: int = 300
    status_thresholds: tuple[float, float, float] = (-1.0, 1.0, 1.5)
    dynamics_thresholds: tuple[float, float] = (-1.0, 1.0)

    def departures(self) -> list[str]:
        """How this configuration differs from the MSS's rules, in German; empty when it follows them."""
        mss = IndexConfig(self.status, self.dynamics)
        said = []
        if any(float(w) != 1.0 for w in self.weights.values()):
            said.append("ungleiche Gewichte")
        if self.period_years != mss.period_years:
            said.append(f"Zeitraum {self.period_years} statt {mss.period_years} Jahre")
        if self.min_population != mss.min_population:
            said.append(f"Mindestbevölkerung {self.min_population} statt {mss.min_population}")
        for part, label in PARTS.items():
            mine, theirs = getattr(self, f"{part}_thresholds"), getattr(mss, f"{part}_thresholds")
            if tuple(mine) != tuple(theirs):
                said.append(f"Klassengrenzen {label} {bounds_text(mine)} statt {bounds_text(theirs)}")
        return said


PARTS = {"status": "Status", "dynamics": "Dynamik"}
MSS_THRESHOLDS = {"status": IndexConfig.status_thresholds, "dynamics": IndexConfig.dynamics_thresholds}
BOUNDS = (-5.0, 5.0)
"""How far a threshold may lie, in standard deviations: beyond ±5 no class would hold an area in practice."""


def bound_text(value: float) -> str:
    """'−1', '+1,5', '0': a threshold in standard deviations as the method text writes it (true minus sign)."""
    text = f"{abs(value):.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return text if value == 0 else ("+" if value > 0 else "\u2212") + text


def bounds_text(thresholds: Sequence[float]) -> str:
    """'−1 | +1 | +1,5'."""
    return " | ".join(bound_text(t) for t in thresholds)


def threshold_problem(part: str, thresholds: Sequence[float]) -> str | None:
    """Why these thresholds cannot classify, in German naming the offending values, or None when they can: they
    must be as many as the part has (three for status, two for dynamics), within ``BOUNDS`` and strictly
    ascending (a threshold equal to the one below would leave a class empty by definition)."""
    label, wanted = PARTS[part], len(MSS_THRESHOLDS[part])
    values = [float(t) for t in thresholds]
    if len(values) != wanted:
        return f"Klassengrenzen {label}: {wanted} Werte nötig, {len(values)} angegeben"
    outside = [v for v in values if not BOUNDS[0] <= v <= BOUNDS[1]]   # NaN fails too
    if outside:
        named = [bound_text(v) if not math.isnan(v) else "kein Wert" for v in outside]
        return (f"Klassengrenzen {label}: {culprits(named)} außerhalb von {bound_text(BOUNDS[0])} bis "
                f"{bound_text(BOUNDS[1])}")
    unordered = [f"auf {bound_text(a)} folgt {bound_text(b)}" for a, b in zip(values, values[1:]) if b <= a]
    if unordered:
        return f"Klassengrenzen {label} nicht aufsteigend: {culprits(unordered)}"
    return None


def parse_thresholds(text: str) -> tuple[float, ...]:
    """'-1,1,1.5' (as a link carries them: a comma between values, a point in them) -> (-1.0, 1.0, 1.5); raises
    ValueError on anything else."""
    return tuple(float(part) for part in text.split(","))


def thresholds_param(thresholds: Sequence[float]) -> str:
    """The link's spelling of ``parse_thresholds``'s input: '-1,1,1.5'."""
    return ",".join(f"{float(t):g}" for t in thresholds)


def class_bounds(config: IndexConfig) -> dict[str, dict[object, str]]:
    """Each class's interval in words, from the configuration's thresholds: status {1: 'unter −1',
    2: '−1 bis +1', 3: 'über +1 bis +1,5', 4: 'über +1,5'}, dynamics likewise; a value on a threshold belongs
    to the milder class, as the intervals read."""
    def intervals(thresholds: Sequence[float], classes) -> dict[object, str]:
        t = [bound_text(v) for v in thresholds]
        words = [f"unter {t[0]}", f"{t[0]} bis {t[1]}", *[f"über {a} bis {b}" for a, b in zip(t[1:], t[2:])],
                 f"über {t[-1]}"]
        return dict(zip(classes, words))
    return {"status": intervals(config.status_thresholds, STATUS_CLASSES),
            "dynamics": intervals(config.dynamics_thresholds, DYNAMICS_CLASSES)}


def standardise(values: np.ndarray) -> np.ndarray:
    """z-values with the unweighted mean and the population SD (ddof = 0); all zero when every value is equal
    (there is nothing to tell apart)."""
    values = np.asarray(values, dtype=float)
    spread = values.std(ddof=0) if len(values) else 0.0
    return np.zeros_like(values) if spread == 0 else (values - values.mean()) / spread


def status_class(index: np.ndarray, thresholds: Sequence[float] = (-1.0, 1.0, 1.5)) -> np.ndarray:
    """1 to 4 (hoch … sehr niedrig); a value on a threshold falls into the milder class."""
    low, middle, high = thresholds
    index = np.asarray(index, dtype=float)
    return np.select([index < low, index <= middle, index <= high], [1, 2, 3], 4)


def dynamics_class(index: np.ndarray, thresholds: Sequence[float] = (-1.0, 1.0)) -> np.ndarray:
    """'+', '+/-' or '-'; a value on a threshold is stabil."""
    low, high = thresholds
    index = np.asarray(index, dtype=float)
    return np.select([index < low, index <= high], ["+", "+/-"], "-").astype(object)


def _weighted_sum(z: pd.DataFrame, weights: Mapping[str, float]) -> np.ndarray:
    return sum(z[column].to_numpy() * float(weights.get(column, 1.0)) for column in z.columns)


def sozialindex(status: pd.DataFrame, dynamics: pd.DataFrame, population: pd.Series,
                polarity: Mapping[str, str], config: IndexConfig) -> pd.DataFrame:
    """The index for every area: ``status`` (area × status indicator, the values of the year), ``dynamics``
    (area × dynamics indicator, the change over the period in percentage points), ``population`` by area,
    ``polarity`` by indicator ('higher_is_worse' or 'higher_is_better').

    Returns one row per area (the union of the inputs' areas): ``excluded`` (None, 'small' or 'missing'), the
    signed z-value of each indicator (``z_status_<id>``, ``z_dynamics_<id>``), ``status_sum``, ``status_index``,
    ``status_class`` (1–4), ``dynamics_sum``, ``dynamics_index``, ``dynamics_class`` ('+', '+/-', '-') and
    ``code`` ("2+/-"); the figures are NaN and the classes None for excluded areas."""
    areas = status.index.union(dynamics.index).union(population.index)
    status = status.reindex(areas)[list(config.status)]
    dynamics = dynamics.reindex(areas)[list(config.dynamics)]
    people = pd.to_numeric(population.reindex(areas), errors="coerce")
    unknown = [i for i in (*config.status, *config.dynamics) if polarity.get(i) not in SIGN]
    if unknown:
        raise ValueError(f"indicators without a direction (polarity) cannot enter the index: {unknown}")
    small = ~(people >= config.min_population)
    missing = status.isna().any(axis=1) | dynamics.isna().any(axis=1)
    excluded = pd.Series(np.where(small, EXCLUDED_SMALL, np.where(missing, EXCLUDED_MISSING, None)), index=areas,
                         dtype=object)
    kept = excluded.isna().to_numpy()
    result = pd.DataFrame({"excluded": excluded}, index=areas)
    for part, frame, thresholds, classify in [
        ("status", status, config.status_thresholds, status_class),
        ("dynamics", dynamics, config.dynamics_thresholds, dynamics_class),
    ]:
        z = pd.DataFrame({column: np.full(len(areas), np.nan) for column in frame.columns}, index=areas)
        for column in frame.columns:
            z.loc[kept, column] = SIGN[polarity[column]] * standardise(frame.loc[kept, column].to_numpy())
        total = np.full(len(areas), np.nan)
        total[kept] = _weighted_sum(z.loc[kept], config.weights)
        index = np.full(len(areas), np.nan)
        index[kept] = standardise(total[kept])
        classes = np.full(len(areas), None, dtype=object)
        classes[kept] = classify(index[kept], thresholds)
        for column in frame.columns:
            result[f"z_{part}_{column}"] = z[column]
        result[f"{part}_sum"], result[f"{part}_index"] = total, index
        result[f"{part}_class"] = pd.Series(classes, index=areas, dtype=object)  # None, not NaN, where excluded
    result["code"] = pd.Series([f"{s}{d}" if s is not None else None
                                for s, d in zip(result["status_class"], result["dynamics_class"])], index=areas,
                               dtype=object)
    return result


def matrix(index: pd.DataFrame) -> pd.DataFrame:
    """The 4 × 3 matrix: how many areas have each status class (rows) and dynamics class (columns)."""
    kept = index[index["excluded"].isna()]
    counts = pd.crosstab(kept["status_class"], kept["dynamics_class"])
    return counts.reindex(index=list(STATUS_CLASSES), columns=list(DYNAMICS_CLASSES), fill_value=0)


def sensitivity(status: pd.DataFrame, dynamics: pd.DataFrame, population: pd.Series,
                polarity: Mapping[str, str], config: IndexConfig) -> pd.Series:
    """For each indicator, how many areas change their combined code when it alone is left out (a part with a
    single indicator cannot lose it, so it is not tried)."""
    base = sozialindex(status, dynamics, population, polarity, config)["code"]
    changed = {}
    for part in ("status", "dynamics"):
        chosen = getattr(config, part)
        if len(chosen) < 2:
            continue
        for indicator in chosen:
            fewer = replace(config, **{part: tuple(i for i in chosen if i != indicator)})
            other = sozialindex(status, dynamics, population, polarity, fewer)["code"]
            changed[indicator] = int((other.fillna("") != base.fillna("")).sum())
    return pd.Series(changed, dtype=int)
