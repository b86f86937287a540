"""Indicator values for the demo's Stadtteile, driven by one spatially smooth deprivation factor.

Planners recognise a fake at once when indicators are drawn independently (DEMO-CALIBRATION.md): here one latent
score per Stadtteil, smoothed over neighbours and with one sharp estate-next-to-villas contrast, moves every
indicator; shares are logit-normal, counts are binomial or Poisson draws from real denominators, years move a
little around a city-wide trend with two crisis years, and a few Stadtteile drift apart.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.special import expit, logit

from sozialdash.demo.catalogue import DERIVED_NUMERATORS, FIRST_YEAR, LAST_YEAR, SPECS, Spec

YEARS = np.arange(FIRST_YEAR, LAST_YEAR + 1)
CRISIS = {2020: 1.0, 2021: 0.6, 2022: 0.25, 2023: 0.55, 2024: 0.35, 2025: 0.25}


def deprivation(polygons: gpd.GeoSeries, rng: np.random.Generator) -> np.ndarray:
    """One standardised score per Stadtteil: a smooth gradient, neighbour-averaged noise and one sharp contrast."""
    centres = np.column_stack([polygons.centroid.x, polygons.centroid.y])
    centre = centres.mean(axis=0)
    direction = rng.normal(size=2)
    direction /= np.linalg.norm(direction)
    gradient = (centres - centre) @ direction / 3_000
    inner = np.exp(-np.hypot(*(centres - centre).T) / 2_500)
    raw = gradient + 0.8 * inner + rng.normal(0, 0.6, len(centres))
    neighbours = [np.flatnonzero(polygons.touches(p).values) for p in polygons.values]
    smooth = np.array([0.55 * raw[i] + 0.45 * raw[n].mean() for i, n in enumerate(neighbours)])
    estate = int(np.argmax(smooth))
    villas = min(neighbours[estate], key=lambda n: smooth[n])
    smooth[estate] += 1.2
    smooth[villas] -= 1.8
    return (smooth - smooth.mean()) / smooth.std()


def population(polygons: gpd.GeoSeries, d: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Population groups per (Stadtteil, year), arrays of shape (areas, years): the demo's denominators.

    Children are spread evenly over their 18 years and the 18- to 64-year-olds over their 47; each group is
    rounded once and the 10- to under-21-year-olds are what the under-21s leave, so the groups catalogue.RELATIONS
    declares add up exactly."""
    n = len(polygons)
    centres = np.column_stack([polygons.centroid.x, polygons.centroid.y])
    r = np.hypot(*(centres - centres.mean(axis=0)).T)
    density = 5_200 * np.exp(-r / 2_600) + 250 + 900 * np.clip(d, 0, None)
    base = polygons.area.values / 1e6 * density
    outermost = np.argsort(-r)[:2]
    base[outermost] = [620, 1_350]  # villages at the edge: the counts that suppression has to catch
    growth = rng.normal(0.003, 0.006, n)
    t = YEARS - FIRST_YEAR
    pop = np.rint(base[:, None] * (1 + growth[:, None]) ** t[None, :])
    older = rng.normal(0, 1, n) + 0.6 * (r / r.max())
    share_u18 = expit(logit(0.165) + 0.22 * d - 0.18 * older + rng.normal(0, 0.05, n))
    share_65 = expit(logit(0.21) - 0.22 * d + 0.3 * older + rng.normal(0, 0.05, n))
    ageing = 1 + 0.004 * t[None, :]
    p0_17 = np.rint(pop * share_u18[:, None] / ageing)
    p65plus = np.rint(pop * share_65[:, None] * ageing)
    p18_64 = pop - p0_17 - p65plus
    hh_size = np.clip(1.95 + 0.12 * d - 0.06 * older + rng.normal(0, 0.05, n), 1.4, 2.6)
    households = np.rint(pop / hh_size[:, None])
    voters_share = expit(logit(0.88) - 0.6 * d)
    p0_5, p6_9, p0_20 = np.rint(p0_17 * 6 / 18), np.rint(p0_17 * 4 / 18), np.rint(p0_17 + p18_64 * 3 / 47)
    return {
        "pop": pop, "p0_17": p0_17, "p65plus": p65plus, "p18_64": p18_64,
        "p80plus": np.rint(p65plus * np.clip(0.32 + 0.05 * older, 0.2, 0.45)[:, None]),
        "p0_2": np.rint(p0_17 * 3 / 18), "p0_14": np.rint(p0_17 * 15 / 18), "p0_64": p0_17 + p18_64,
        "p0_5": p0_5, "p6_9": p6_9, "p10_20": p0_20 - p0_5 - p6_9, "p0_20": p0_20, "p15_24": np.rint(p0_17 * 3 / 18 + p18_64 * 7 / 47),
        "p15_64": np.rint(p0_17 * 3 / 18 + p18_64), "women15_44": np.rint(0.5 * (p0_17 * 3 / 18 + p18_64 * 27 / 47)),
        "households": households, "dwellings": np.rint(households * 1.04), "taxpayers": np.rint(pop * 0.52),
        "grade4": np.rint(p0_17 / 18), "entrants": np.rint(p0_17 / 18 * 0.97), "leavers": np.rint(p0_17 / 18 * 0.93),
        "voters": np.rint((pop - p0_17) * voters_share[:, None]),
    }


def _years_of(spec: Spec) -> np.ndarray:
    years = np.array(spec.years) if spec.years else YEARS
    return np.isin(YEARS, years) & (YEARS >= spec.first_year)


def _linear(spec: Spec, d_t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The indicator's predictor per (area, year): deprivation, an area effect, trend, crisis years and noise."""
    t = YEARS - FIRST_YEAR
    crisis = np.array([CRISIS.get(int(y), 0.0) for y in YEARS])
    area_effect = rng.normal(0, spec.noise, (len(d_t), 1))
    return spec.slope * d_t + area_effect + spec.trend * t + spec.crisis * crisis + rng.normal(0, 0.03, d_t.shape)


def _draw(spec: Spec, denominator: np.ndarray, d_t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    linear = _linear(spec, d_t, rng)
    if spec.value_type == "proportion":
        return rng.binomial(denominator.astype(np.int64), expit(logit(spec.base) + linear)).astype(float)
    if spec.value_type == "rate":
        return rng.poisson(denominator * spec.base / spec.multiplier * np.exp(linear)).astype(float)
    if spec.value_type == "mean":
        return np.round(denominator * spec.base * np.exp(linear))
    raise ValueError(f"the demo cannot draw {spec.value_type} indicator {spec.indicator_id}")


def _draw_cohort(specs: list[Spec], denominator: np.ndarray, d_t: np.ndarray,
                 rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Numerators of a cohort's categories that exclude each other, so that they never add up to more than the
    cohort: one multinomial draw per (area, year) over the categories and "anything else". Each category's
    log-odds against "anything else" move like a single share's logit, and equal ``base`` at the median."""
    rest = 1 - sum(spec.base for spec in specs)
    odds = np.stack([np.exp(np.log(spec.base / rest) + _linear(spec, d_t, rng)) for spec in specs], axis=-1)
    shares = odds / (1 + odds.sum(axis=-1, keepdims=True))
    pvals = np.concatenate([shares, 1 - shares.sum(axis=-1, keepdims=True)], axis=-1)
    counts = rng.multinomial(denominator.astype(np.int64), pvals)
    return {spec.indicator_id: counts[..., k].astype(float) for k, spec in enumerate(specs)}


def generate_values(
    polygons: gpd.GeoSeries, d: np.ndarray, groups: dict[str, np.ndarray], rng: np.random.Generator
) -> pd.DataFrame:
    """Finest-level rows (indicator, area, year) with numerator and denominator, in catalogue order."""
    drift = rng.normal(0, 0.01, len(d))
    drift[rng.choice(len(d), 3, replace=False)] = [0.06, -0.05, 0.045]  # areas that diverge from the city
    d_t = d[:, None] + drift[:, None] * (YEARS - FIRST_YEAR)[None, :]
    numerators: dict[str, np.ndarray] = {}
    cohort_draws: dict[str, np.ndarray] = {}
    frames = []
    for spec in SPECS:
        if spec.denominator.startswith("num:"):
            denominator = numerators[spec.denominator[4:]]
        else:
            denominator = groups[spec.denominator]
        if spec.indicator_id in DERIVED_NUMERATORS:
            numerator = groups[DERIVED_NUMERATORS[spec.indicator_id]]
        elif spec.cohort:
            if spec.indicator_id not in cohort_draws:
                members = [other for other in SPECS if other.cohort == spec.cohort]
                cohort_draws.update(_draw_cohort(members, denominator, d_t, rng))
            numerator = cohort_draws[spec.indicator_id]
        else:
            numerator = _draw(spec, denominator, d_t, rng)
        numerators[spec.indicator_id] = numerator
        if spec.value_type == "count":
            denominator = np.full_like(numerator, np.nan)
            value = numerator
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                value = numerator / denominator * spec.multiplier
        present = np.broadcast_to(_years_of(spec), numerator.shape)
        area_ix, year_ix = np.nonzero(present)
        num = numerator[area_ix, year_ix]
        frames.append(pd.DataFrame({
            "indicator_id": spec.indicator_id,
            "area_id": polygons.index.values[area_ix],
            "year": YEARS[year_ix],
            "value": value[area_ix, year_ix],
            "numerator": num,
            "denominator": denominator[area_ix, year_ix],
            "source_suppressed": (num > 0) & (num < spec.source_suppresses_below),
        }))
    return pd.concat(frames, ignore_index=True)
