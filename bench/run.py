"""Print how the store and the Karte cope with synthetic cities of three sizes; asserts nothing.

    .venv/bin/python -m bench.run [--scales small,medium,large] [--seed 2025] [--repeat 5] [--profile] [--keep]
                                  [--no-defects]

Per scale: time to generate the dataset, the geometry step on the clean city and on the same city with injected
defects (what was repaired, holes in the coarser areas), the time to build the store (with the build's own
phases), the file size, every named query in queries/ (except schema.sql) with realistic parameters, the
Versorgung maths (supply per area, quadrants, coverage within 300 m and 1 km), the Sozialnavigator's work per
filter change (the directory, finding, the map's points and the list's first page), and for the
Karte at the finest level the bytes sent to the browser (the shapes once a visit, the view data per change) and the
server time of a cold call and of a warm rerun, next to the naive way (full geometry, no caching) with the ratios. bench/README.md says what each
figure means.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import gc
import io
import json
import logging
import os
import pstats
import re
import resource
import shutil
import statistics
import struct
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import duckdb
import numpy as np
import pandas as pd
import shapely
import streamlit as st
import streamlit.logger

# Streamlit's caches work outside a running app but log "No runtime found" (and ScriptRunContext) warnings,
# once per cached function when it is decorated and again when it is first called: silence them before the app's
# modules are imported.
streamlit.logger.set_log_level(logging.ERROR)
warnings.filterwarnings("ignore", module="streamlit")

from bench.coverage import holes  # noqa: E402
from bench.synthetic import SCALES, Defects, Scale, inject_defects, scale_dataset  # noqa: E402
from sozialdash import config  # noqa: E402
from sozialdash.analysis import finder, supply  # noqa: E402
from sozialdash.build import build_store, protection_report  # noqa: E402
from sozialdash.coverage import square_metres  # noqa: E402
from sozialdash.geo import build_level_geometry  # noqa: E402
from sozialdash.store import from_wkb  # noqa: E402
from sozialdash.store import current_store  # noqa: E402
from sozialdash.ui import karte, navigator  # noqa: E402
from sozialdash.views import maps  # noqa: E402

MAP_INDICATOR = "sgb2_quote"
SUPPLY_CATEGORY = "Kita"    # the Versorgung view's example: Kitas per 1,000 children under 6
SEARCH_TEXT = "jugend"      # bench/load.py's Sozialnavigator walk: a word, a category, 1 km around an institution
RADIUS_M = 1000
NEED_INDICATOR = "kinderarmut"
REACH_M = (300, 1000)
SERIES_INDICATORS = ["sgb2_quote", "kinderarmut", "arbeitslosigkeit"]
COMPARED_AREAS = 5          # the Vergleich page allows up to 8
MAP_SETTINGS = {"mode": "value", "scheme": "quantiles", "k": 5, "labels": True}  # the Karte's defaults
WARM_RERUNS = 5
MAX_MESSAGE_BYTES = 200 * 1_000_000  # Streamlit's default server.maxMessageSize (megabytes of 10^6 bytes)


def _seconds(value: float) -> str:
    return f"{value * 1000:8.1f} ms" if value < 10 else f"{value:8.1f} s "


def _bytes(value: float) -> str:
    if value < 1024:
        return f"{value:7.0f} B "
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            break
    return f"{value:7.1f} {unit}"


def _timed(function: Callable, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def _load() -> str:
    """1, 5 and 15 minute load averages: above the core count, other work competed with the bench."""
    return " ".join(f"{v:.2f}" for v in os.getloadavg()) + f" on {os.cpu_count()} cores"


def _peak_rss() -> str:
    return _bytes(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


class BuildPhases:
    """build_store's progress callback, turned into the time spent between one message and the next."""

    def __init__(self):
        self.marks: list[tuple[float, str]] = []

    def __call__(self, _fraction: float, text: str) -> None:
        self.marks.append((time.perf_counter(), text))

    def durations(self) -> list[tuple[str, float]]:
        return [(text, later - at) for (at, text), (later, _) in zip(self.marks, self.marks[1:])]


# --- queries --------------------------------------------------------------------------------------------------

def query_names() -> list[str]:
    return sorted(p.stem for p in config.QUERIES_DIR.glob("*.sql") if p.stem != "schema")


def query_parameters(name: str) -> list[str]:
    """The ``$parameters`` a query binds, read from its SQL (comment lines left out)."""
    sql = "\n".join(line for line in (config.QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8").splitlines()
                    if not line.lstrip().startswith("--"))
    return sorted(set(re.findall(r"\$([A-Za-z_]\w*)", sql)))


def realistic_parameters(store) -> dict:
    """What a planner would ask: the newest year, the finest level, an area in the middle of the list.

    Queries with a ``$level`` are also run on every other level below the city (``levels``): the Karte offers them.
    """
    levels = store.run("area_levels")
    finest = int(levels["level"].max())
    areas = store.run("areas")
    finest_ids = areas.loc[areas["level"] == finest, "area_id"].tolist()
    middle = len(finest_ids) // 2
    return {
        "area": finest_ids[middle],
        "areas": finest_ids[middle: middle + COMPARED_AREAS],
        "year": int(store.meta["reference_year"]),
        "indicator": MAP_INDICATOR,
        "indicators": SERIES_INDICATORS,
        "level": finest,
        "levels": [int(lv) for lv in levels["level"] if lv > 0] or [finest],
    }


def _describe(params: dict) -> str:
    def short(value):
        if isinstance(value, list):
            return f"[{len(value)}]"
        return str(value)
    return ", ".join(f"{k}={short(v)}" for k, v in params.items()) or "-"


def bench_queries(store, repeat: int) -> None:
    values = realistic_parameters(store)
    print(f"  named queries (store.run, uncached; first call, then median of up to {repeat} more):")
    print(f"    {'query':<22} {'parameters':<44} {'rows':>8} {'first':>11} {'median':>11}")
    for name in query_names():
        wanted = query_parameters(name)
        unknown = [p for p in wanted if p not in values]
        if unknown:
            print(f"    {name:<22} skipped: no realistic value for ${', $'.join(unknown)}")
            continue
        for level in values["levels"] if "level" in wanted else [values["level"]]:
            params = {p: level if p == "level" else values[p] for p in wanted}
            frame, first = _timed(store.run, name, **params)
            runs = []
            budget = time.perf_counter() + 5.0
            while len(runs) < repeat and time.perf_counter() < budget:
                runs.append(_timed(store.run, name, **params)[1])
            median = statistics.median(runs) if runs else first
            print(f"    {name:<22} {_describe(params):<44} {len(frame):>8} {_seconds(first):>11} "
                  f"{_seconds(median):>11}", flush=True)


# --- Versorgung -----------------------------------------------------------------------------------------------

def _median_of(function: Callable, *args) -> tuple[object, float]:
    result, first = _timed(function, *args)
    runs = [_timed(function, *args)[1] for _ in range(WARM_RERUNS)]
    return result, statistics.median(runs) if runs else first


def bench_supply(store) -> None:
    """The Versorgung view's maths at the finest level: what a filter change costs once the store's frames are
    read (the page caches them per build), and coverage with the finest shapes already in metres."""
    params = realistic_parameters(store)
    level, year = params["level"], params["year"]
    target = supply.shared_target(store.run("supply_targets"), [SUPPLY_CATEGORY])
    if target is None:
        print(f"  Versorgung: no supply target for {SUPPLY_CATEGORY}")
        return
    areas, institutions = store.run("areas"), store.run("supply_institutions")
    population = store.run("target_population", indicator=target["population_indicator"], year=year)
    chosen = institutions[institutions["category"] == SUPPLY_CATEGORY]
    print(f"  Versorgung, level {level}: {SUPPLY_CATEGORY} ({len(chosen):,} of {len(institutions):,} institutions) "
          f"per 1,000 {target['label']}, need {NEED_INDICATOR} {year}:")
    rows, by_area = _median_of(supply.supply_by_area, areas, institutions, population, level, [SUPPLY_CATEGORY])
    city, by_city = _median_of(supply.supply_by_area, areas, institutions, population, 0, [SUPPLY_CATEGORY])
    every = list(institutions["category"].unique())
    _, by_area_all = _median_of(supply.supply_by_area, areas, institutions, population, level, every)
    need = store.run("level_values", indicator=NEED_INDICATOR, year=year, level=level)["value"]
    city_need = store.run("city_value", indicator=NEED_INDICATOR, year=year)["value"].iloc[0]
    _, quadrant = _median_of(supply.quadrants, need, rows["places_per_1000"], city_need,
                             city["places_per_1000"].iloc[0])
    print(f"    {'supply_by_area, ' + f'{len(rows):,} areas (median of {WARM_RERUNS})':<48} {_seconds(by_area):>11}")
    print(f"    {'supply_by_area, the city':<48} {_seconds(by_city):>11}")
    print(f"    {f'supply_by_area, all {len(institutions):,} institutions':<48} {_seconds(by_area_all):>11}")
    print(f"    {'quadrants':<48} {_seconds(quadrant):>11}")
    shapes = store.run("area_shapes_full", level=int(areas["level"].max()))
    polygons = from_wkb(shapes["full_wkb"])
    crs = supply.local_crs(polygons)
    metric, projected = _timed(supply.to_metric, polygons, crs)
    finest = pd.Series(metric, index=shapes["area_id"].to_numpy())
    offers, points = _timed(supply.to_metric, shapely.points(chosen["lon"], chosen["lat"]), crs)
    print(f"    {f'finest shapes to metres, {len(polygons):,} (once a build)':<48} {_seconds(projected):>11}")
    print(f"    {f'offers to metres, {len(chosen):,}':<48} {_seconds(points):>11}")
    for reach in REACH_M:
        result, seconds = _timed(supply.coverage, areas, population, finest, offers, reach, level)
        share = result["covered_share"].dropna()
        print(f"    {f'coverage within {reach:,} m (once)':<48} {_seconds(seconds):>11}   median share "
              f"{share.median():.1f} %", flush=True)


# --- Sozialnavigator ------------------------------------------------------------------------------------------

def bench_navigator(store) -> None:
    """What a Sozialnavigator filter change costs in process, the steps the page takes: finding (on the directory
    made once a build), the map of what was found (its points, or counts per cell above maps.AGGREGATE_ABOVE), and
    the list's first page. The JSON lengths are what the map sends per change; the list's table comes on top."""
    institutions, areas = store.run("institution_list"), store.run("areas")
    built, seconds = _timed(finder.directory, institutions, areas)
    first = built.frame.iloc[0]
    print(f"  Sozialnavigator, {len(built.frame):,} institutions: finder.directory {_seconds(seconds).strip()} "
          f"(once a build); per change, median of {WARM_RERUNS} warm calls:")
    print(f"    {'filter':<34} {'found':>8} {'find':>11} {'map':>11} {'points JSON':>12} {'view JSON':>12} "
          f"{'list page':>11}")
    cases = [("none (the page's first view)", finder.Filters()),
             (f"text {SEARCH_TEXT!r}", finder.Filters(text=SEARCH_TEXT)),
             (f"category {SUPPLY_CATEGORY}", finder.Filters(categories=(SUPPLY_CATEGORY,))),
             (f"radius {RADIUS_M:,} m of {first['institution_id']}",
              finder.Filters(centre=(float(first["lon"]), float(first["lat"])), radius_m=RADIUS_M))]
    _clear_caches()
    navigator.directory(store)  # the page's own, cached once a build like the store's frames
    for label, filters in cases:
        found, find = _median_of(finder.find, built, filters)
        where = (navigator.Centre(f"e:{first['institution_id']}", str(first["name"]), *filters.centre)
                 if filters.centre else None)
        choice = navigator.NavigatorChoice(filters, where, filters.radius_m)
        drawn, drawing = _median_of(navigator.navigator_map, store, choice, found, None, None)
        _, listing = _median_of(navigator.result_rows, store, found, slice(0, navigator.PAGE_ROWS))
        points = len(json.dumps(drawn.data["points"]).encode("utf-8"))
        view = len(json.dumps(drawn.data).encode("utf-8"))
        kind = " (cells)" if drawn.aggregated else ""
        print(f"    {label:<34} {len(found.rows):>8,} {_seconds(find):>11} {_seconds(drawing):>11} "
              f"{_bytes(points):>12} {_bytes(view):>12} {_seconds(listing):>11}{kind}", flush=True)
    _clear_caches()


# --- Karte ----------------------------------------------------------------------------------------------------

def _vertices(blobs) -> int:
    return int(shapely.get_num_coordinates(from_wkb(blobs)).sum())


def _clear_caches() -> None:
    """The Karte keeps query results in cache_data and converted shapes in cache_resource: both start empty."""
    st.cache_data.clear()
    st.cache_resource.clear()


def bench_karte(store) -> None:
    params = realistic_parameters(store)
    level = params["level"]
    catalogue = store.run("indicator_catalogue").set_index("indicator_id", drop=False)
    ind = catalogue.loc[MAP_INDICATOR]
    years = store.run("indicator_years", indicator=MAP_INDICATOR)["year"].astype(int)
    year, compared = params["year"], int(years.min())
    args = (store, ind, year, level, MAP_SETTINGS["mode"], compared, MAP_SETTINGS["scheme"], MAP_SETTINGS["k"],
            MAP_SETTINGS["labels"])
    print(f"  Karte, finest level {level}: {MAP_INDICATOR} {year}, "
          + ", ".join(f"{k}={v}" for k, v in MAP_SETTINGS.items()) + f", compared year {compared}")

    display_blobs = store.run("area_shapes", level=level)["display_wkb"]
    full_blobs = store.run("area_shapes_full", level=level)["full_wkb"]
    display_vertices, full_vertices = _vertices(display_blobs), _vertices(full_blobs)
    print(f"    vertices at this level: display {display_vertices:,}, full {full_vertices:,} "
          f"({full_vertices / max(display_vertices, 1):.1f}x)")

    # Optimised: the app's own map_view, cold (caches empty) and warm (the same view rerun).
    _clear_caches()
    gc.collect()
    view, cold = _timed(karte.map_view, *args)
    warm_runs = []
    for _ in range(WARM_RERUNS):
        view, seconds = _timed(karte.map_view, *args)
        warm_runs.append(seconds)
    warm = statistics.median(warm_runs)
    per_view = len(json.dumps(view.map).encode("utf-8"))
    shapes_sent = sum(len(payload) for payload in view.shapes.values())
    parts = _parts(view.shapes[view.map["shapes"]])

    # Naive: the same map_view with the geometry taken from full_wkb every time and nothing cached.
    spent = {"fetch full_wkb": 0.0, "WKB -> bytes": 0.0}

    def full_shapes(_store, build_id, shape_level):
        frame, seconds = _timed(_store.run, "area_shapes_full", level=shape_level)
        spent["fetch full_wkb"] += seconds
        key = f"{build_id}:{shape_level}"
        payload, seconds = _timed(maps.shape_payload, key, frame.rename(columns={"full_wkb": "display_wkb"}))
        spent["WKB -> bytes"] += seconds
        return key, payload, frame["area_id"]

    del view
    gc.collect()
    _clear_caches()
    with mock.patch.object(karte, "shapes", full_shapes):
        naive_view, naive = _timed(karte.map_view, *args)
    naive_shapes = sum(len(payload) for payload in naive_view.shapes.values())
    naive_parts = _parts(naive_view.shapes[naive_view.map["shapes"]])
    del naive_view
    gc.collect()
    _clear_caches()

    print(f"    {'':<40} {'optimised':>12} {'naive':>12} {'naive/opt':>10}")
    print(f"    {'polygon parts on the map':<40} {parts:>12,} {naive_parts:>12,}")
    print(f"    {'shapes to the browser (once a visit)':<40} {_bytes(shapes_sent):>12} {_bytes(naive_shapes):>12} "
          f"{naive_shapes / shapes_sent:>9.1f}x")
    print(f"    {'view data to the browser (per change)':<40} {_bytes(per_view):>12}")
    print(f"    {'map_view, cold (caches empty)':<40} {_seconds(cold):>12} {_seconds(naive):>12}")
    print(f"    {f'map_view, warm rerun (median of {WARM_RERUNS})':<40} {_seconds(warm):>12} {_seconds(naive):>12} "
          f"{naive / warm:>9.1f}x")
    print("    naive map_view includes: " + ", ".join(f"{k} {_seconds(v).strip()}" for k, v in spent.items()))
    print(f"    (fastest warm rerun: map_view {_seconds(min(warm_runs)).strip()})")
    for label, size in (("optimised", shapes_sent), ("naive", naive_shapes)):
        if size > MAX_MESSAGE_BYTES:
            print(f"    note: the {label} shapes are larger than Streamlit's default server.maxMessageSize "
                  f"({MAX_MESSAGE_BYTES // 1_000_000} MB); the app would refuse to send them")


def _deck_gl_version() -> str:
    """The deck.gl the map's browser module is built with (frontend/map/package.json)."""
    manifest = json.loads((config.PROJECT_ROOT / "frontend" / "map" / "package.json").read_text("utf-8"))
    return manifest["devDependencies"]["@deck.gl/core"]


def _parts(payload: bytes) -> int:
    """Polygon parts in a shapes payload, read from its JSON header."""
    (length,) = struct.unpack_from("<I", payload)
    return json.loads(payload[4:4 + length])["parts"]


def print_profile(profiler: cProfile.Profile, top: int = 30) -> None:
    """The calls in sozialdash and shapely that took longest, inclusive of what they call."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"sozialdash/|shapely/", top)
    lines = out.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    print("  build_store profile (cProfile adds overhead; cumulative seconds per call site):")
    for line in lines[start:]:
        if line.strip():
            print("    " + line.replace(str(Path(sys.prefix)), "<venv>").replace(str(config.PROJECT_ROOT) + "/", ""))


# --- geometry -------------------------------------------------------------------------------------------------

def bench_geometry(dataset, defects: bool, seed: int) -> None:
    """The build's geometry step on the clean synthetic city and, with ``defects``, on the same city with
    ``Defects.typical`` injected: time, what the repair did, and holes in the coarser areas."""
    areas = dataset.areas
    cities = [("clean", dataset.polygons)]
    if defects:
        counts = Defects.typical(len(dataset.polygons))
        cities.append(("defective", inject_defects(dataset.polygons, np.random.default_rng(seed), counts)))
        print("  geometry: defects injected per kind: " + ", ".join(
            f"{k} {v:,}" for k, v in dataclasses.asdict(counts).items()))
    else:
        print("  geometry:")
    coarse = areas.loc[areas["level"] < areas["level"].max(), "area_id"]
    for label, polygons in cities:
        geometry, seconds = _timed(build_level_geometry, polygons, areas)
        r = geometry.repair
        before = holes(_unrepaired_unions(polygons, areas))
        print(f"    {label:<10} build_level_geometry {_seconds(seconds).strip()}; overlaps {r.overlaps:,} "
              f"({square_metres(r.overlap_m2)}), gaps closed {r.gaps:,} ({square_metres(r.gap_m2)}), kept "
              f"{r.kept_gaps:,}, slivers {r.slivers:,}, made valid {r.made_valid:,}; clean coverage after: "
              f"{'yes' if r.coverage else 'NO'}")
        print(f"    {'':<10} holes in the {len(coarse):,} coarser areas: union of the input polygons {before:,}, "
              f"repaired full {holes(geometry.full[coarse].values):,}, "
              f"display {holes(geometry.display[coarse].values):,}")
        print(f"    {'':<10} note: {geometry.simplification_note}", flush=True)


def _unrepaired_unions(polygons, areas) -> list:
    """Coarser areas as plain unions of the unrepaired finest polygons: the holes the input itself implies."""
    geometry = dict(zip(polygons.index, shapely.make_valid(polygons.values)))
    result = []
    for level in sorted(areas["level"].unique(), reverse=True)[1:]:
        for area_id in areas.loc[areas["level"] == level, "area_id"]:
            geometry[area_id] = shapely.union_all([geometry[c] for c in areas.loc[areas["parent_id"] == area_id,
                                                                                   "area_id"]])
            result.append(geometry[area_id])
    return result


# --- one scale ------------------------------------------------------------------------------------------------

def bench_scale(scale: Scale, seed: int, repeat: int, keep: bool, profile: bool = False,
                defects: bool = True) -> None:
    print(f"\n=== {scale.name}: {scale.areas:,} areas, {scale.institutions:,} institutions (seed {seed}) ===",
          flush=True)
    dataset, generated = _timed(scale_dataset, scale, seed)
    counts = dataset.areas["level"].value_counts().sort_index()
    labels = dataset.levels.set_index("level")["label_plural"]
    print(f"  dataset generated in {_seconds(generated).strip()}: "
          + " > ".join(f"{counts[lv]:,} {labels[lv]}" for lv in counts.index)
          + f"; {len(dataset.values):,} value rows; {len(dataset.institutions):,} institutions; "
          f"{int(shapely.get_num_coordinates(dataset.polygons.values).sum()):,} vertices in the finest polygons")
    bench_geometry(dataset, defects, seed)
    directory = Path(tempfile.mkdtemp(prefix=f"sozialdash-bench-{scale.name}-"))
    path = directory / "bench.duckdb"
    try:
        build(dataset, path, profile)
        del dataset  # the large one holds about 1 GB that the map measurements can use
        gc.collect()
        measure(path, repeat)
    finally:
        if keep:
            print(f"  kept: {directory / 'bench.duckdb'}")
        else:
            shutil.rmtree(directory, ignore_errors=True)


def build(dataset, path: Path, profile: bool) -> None:
    phases = BuildPhases()
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    _, built = _timed(build_store, dataset, path, progress=phases)
    if profiler:
        profiler.disable()
    print(f"  build_store: {_seconds(built).strip()}")
    for text, seconds in phases.durations():
        print(f"    {text:<66} {_seconds(seconds):>11}")
    print(f"  file size: {_bytes(path.stat().st_size).strip()} ({path.stat().st_size:,} bytes)", flush=True)
    for line in protection_report(path):
        print(f"  {line}", flush=True)
    if profiler:
        print_profile(profiler)


def measure(path: Path, repeat: int) -> None:
    store, opened = _timed(current_store, path)
    try:
        print(f"  store opened in {_seconds(opened).strip()}; build id {store.build_id}")
        bench_queries(store, repeat)
        bench_supply(store)
        bench_navigator(store)
        bench_karte(store)
    finally:
        store.close()
    print(f"  peak memory of the process so far: {_peak_rss().strip()}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default=",".join(SCALES),
                        help=f"comma-separated, from {', '.join(SCALES)} (default: all)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=5, help="warm repetitions per query (default 5)")
    parser.add_argument("--profile", action="store_true",
                        help="profile build_store (cProfile; slower) and print its most expensive calls")
    parser.add_argument("--keep", action="store_true", help="keep the built store files and print their paths")
    parser.add_argument("--defects", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure the geometry step on the city with injected defects (default: on)")
    args = parser.parse_args(argv)
    names = [s.strip() for s in args.scales.split(",") if s.strip()]
    unknown = [n for n in names if n not in SCALES]
    if unknown:
        parser.error(f"unknown scale(s): {', '.join(unknown)}; choose from {', '.join(SCALES)}")
    print(f"sozialdash bench: Python {sys.version.split()[0]}, DuckDB {duckdb.__version__}, "
          f"shapely {shapely.__version__}, pandas {pd.__version__}, numpy {np.__version__}, "
          f"deck.gl {_deck_gl_version()}, streamlit {st.__version__}")
    print(f"load average before: {_load()}")
    started = time.perf_counter()
    for name in names:
        scale_started = time.perf_counter()
        bench_scale(SCALES[name], args.seed, args.repeat, args.keep, args.profile, args.defects)
        print(f"  total for {name}: {_seconds(time.perf_counter() - scale_started).strip()}", flush=True)
    print(f"\nall scales: {_seconds(time.perf_counter() - started).strip()}; load average after: {_load()}")


if __name__ == "__main__":
    main()
