"""Print what importing a city costs (time and memory per stage), next to building the demo; asserts nothing.

    .venv/bin/python -m bench.import [--cases demo,flensburg,synthetic] [--daten DIR] [--areas 10000]
                                     [--tracemalloc] [--keep]

Each case runs in a fresh Python process, so its peak resident memory is its own: the demo built to a temporary
file (``build.build_demo``: what building alone costs, the baseline), Flensburg's real files
(``examples/flensburg.yaml``, files from ``--daten``, default tests/data/flensburg; without the Kita list there,
the mapping's institutions are left out), and a synthetic city of ``--areas`` Quartiere on three levels written to
a temporary folder as the city would send it (GeoJSON per level, a wide CSV, a catalogue table, a mapping), both
imported through the CLI's code path ``ingest.run.run``. Stages are the time between the import's own progress
messages; ``--tracemalloc`` runs every case a second time under tracemalloc and adds each stage's peak of Python
allocations (tracemalloc slows the run several times, so its times are not printed). bench/README.md says more.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import shapely
import yaml

ROOT = Path(__file__).resolve().parent.parent
CASES = ("demo", "flensburg", "synthetic")
BUILD_FROM = 0.7        # ingest.run.run hands build_store's progress on from this fraction
CELL_M = 500.0          # the synthetic Quartier: a 500 m square, its edges split every 25 m (80 vertices)
SEGMENT_M = 25.0
YEARS = tuple(range(2016, 2026))
INDICATORS = (  # id, Name, Werttyp, Polarität, what a Quartier of p people has
    ("einwohner", "Einwohner*innen", "Anzahl", "neutral", lambda p, r: p),
    ("einwohner_u18", "Unter 18-Jährige", "Anzahl", "neutral",
     lambda p, r: np.round(p * r.uniform(0.12, 0.22, len(p)))),
    ("sgb2_anzahl", "SGB-II-Berechtigte", "Anzahl", "höher ist schlechter",
     lambda p, r: np.round(p * r.uniform(0.02, 0.25, len(p)))),
    ("arbeitslose", "Arbeitslose", "Anzahl", "höher ist schlechter",
     lambda p, r: np.round(p * r.uniform(0.01, 0.09, len(p)))),
    ("beschaeftigungsquote", "Beschäftigungsquote", "Anteil", "höher ist besser",
     lambda p, r: np.round(r.uniform(45, 75, len(p)), 1)),
)


# --- the synthetic city ---------------------------------------------------------------------------------------

def _grid_ids(side: int) -> tuple[list[str], list[str], list[str], np.ndarray, np.ndarray]:
    """Quartier ids on a side × side grid: Bezirk "B01" (blocks of side/5), Stadtteil "B0107" (blocks of 5 × 5
    cells within it, numbered per Bezirk), Quartier "B010712" (cell within its Stadtteil); and each cell's column
    and row."""
    col, row = np.meshgrid(np.arange(side), np.arange(side))
    col, row = col.ravel(), row.ravel()
    per_bezirk = math.ceil(side / 5)
    bezirk = (row // per_bezirk) * 5 + col // per_bezirk + 1
    within = per_bezirk // 5 or 1
    stadtteil = ((row % per_bezirk) // 5) * within + (col % per_bezirk) // 5 + 1
    quartier = (row % 5) * 5 + col % 5 + 1
    b = [f"B{v:02d}" for v in bezirk]
    s = [f"{x}{v:02d}" for x, v in zip(b, stadtteil)]
    q = [f"{x}{v:02d}" for x, v in zip(s, quartier)]
    return b, s, q, col, row


def _feature_collection(ids: list[str], shapes: list, crs: str) -> str:
    features = [{"type": "Feature", "properties": {"id": i, "name": f"Gebiet {i}"},
                 "geometry": shapely.geometry.mapping(g)} for i, g in zip(ids, shapes)]
    return json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": crs}},
                       "features": features})


def write_synthetic(folder: Path, areas: int, seed: int) -> Path:
    """The synthetic city's files and mapping in ``folder``; returns the mapping's path."""
    rng = np.random.default_rng(seed)
    side = max(5, round(math.sqrt(areas) / 5) * 5)
    bezirke, stadtteile, quartiere, col, row = _grid_ids(side)
    x0, y0 = 430_000.0, 5_700_000.0
    cells = shapely.segmentize(shapely.box(x0 + col * CELL_M, y0 + row * CELL_M, x0 + (col + 1) * CELL_M,
                                           y0 + (row + 1) * CELL_M), SEGMENT_M)
    crs = "urn:ogc:def:crs:EPSG::25832"
    for name, ids in (("bezirke", bezirke), ("stadtteile", stadtteile)):
        order = sorted(set(ids))
        members = {key: [] for key in order}
        for key, cell in zip(ids, cells):
            members[key].append(cell)
        shapes = [shapely.coverage_union_all(members[key]) for key in order]
        (folder / f"{name}.geojson").write_text(_feature_collection(order, shapes, crs), encoding="utf-8")
    (folder / "quartiere.geojson").write_text(_feature_collection(quartiere, list(cells), crs), encoding="utf-8")
    people = np.round(rng.lognormal(np.log(1400), 0.6, len(quartiere))).clip(40, 20_000)
    header = ["Quartier"] + [f"{ind[0]}_{year}" for ind in INDICATORS for year in YEARS]
    columns = []
    for _id, _name, _kind, _polarity, draw in INDICATORS:
        for year in YEARS:
            drift = people * (1 + 0.01 * (year - YEARS[0]))
            values = draw(np.round(drift), rng)
            columns.append([f"{v:.1f}".replace(".", ",") if _kind == "Anteil" else f"{v:.0f}" for v in values])
    lines = [";".join(header)] + [";".join([q, *(c[i] for c in columns)]) for i, q in enumerate(quartiere)]
    (folder / "werte.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    catalogue = ["id;Name;Thema;Werttyp;Polarität"] + [f"{i};{n};Soziales;{k};{p}" for i, n, k, p, _ in INDICATORS]
    (folder / "katalog.csv").write_text("\n".join(catalogue) + "\n", encoding="utf-8")
    mapping = {
        "name": f"Synthetische Stadt, {len(quartiere)} Quartiere", "city": "Synthetika", "source": "bench/import.py",
        "reference_year": YEARS[-1], "population_indicator": "einwohner",
        "levels": [{"key": "bezirk", "label": "Bezirk", "label_plural": "Bezirke"},
                   {"key": "stadtteil", "label": "Stadtteil", "label_plural": "Stadtteile"},
                   {"key": "quartier", "label": "Quartier", "label_plural": "Quartiere"}],
        "areas": {"files": [
            {"file": "bezirke.geojson", "level": "bezirk", "id": "id", "name": "name"},
            {"file": "stadtteile.geojson", "level": "stadtteil", "id": "id", "name": "name", "parent": {"prefix": 3}},
            {"file": "quartiere.geojson", "level": "quartier", "id": "id", "name": "name", "parent": {"prefix": 5}}]},
        "catalogue": {"file": "katalog.csv", "defaults": {"Quelle": "bench", "Stichtag": "31.12."}},
        "values": [{"file": "werte.csv", "level": "quartier", "area": {"column": "Quartier"},
                    "columns": [{"match": "(?P<indicator>[a-z0-9_]+?)_(?P<year>\\d{4})"}]}],
    }
    path = folder / "synthetisch.yaml"
    path.write_text(yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def flensburg_mapping(folder: Path, daten: Path) -> tuple[Path, bool]:
    """examples/flensburg.yaml, without its institutions when ``daten`` lacks the Kita list; and whether it has
    them."""
    from sozialdash.ingest.mapping import load_yaml

    mapping = load_yaml((ROOT / "examples" / "flensburg.yaml").read_text(encoding="utf-8"))  # on: stays a key
    kitas = (daten / mapping["institutions"]["file"]).is_file()
    if not kitas:
        del mapping["institutions"]
    path = folder / "flensburg.yaml"
    path.write_text(yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path, kitas


# --- one case, in its own process -----------------------------------------------------------------------------

class Marks:
    """The progress callback as (seconds since start, stage, tracemalloc peak since the last mark or None)."""

    def __init__(self, trace: bool):
        self.trace, self.start, self.marks = trace, time.perf_counter(), []

    def __call__(self, fraction: float, text: str) -> None:
        peak = None
        if self.trace:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.reset_peak()
        self.marks.append((time.perf_counter() - self.start, fraction, text, peak))


def run_case(case: str, daten: Path, areas: int, seed: int, trace: bool, keep: bool) -> dict:
    from sozialdash.build import build_demo
    from sozialdash.ingest.run import run

    folder = Path(tempfile.mkdtemp(prefix=f"sozialdash-bench-import-{case}-"))
    out = folder / "store.duckdb"
    facts: dict = {"case": case}
    if case == "synthetic":
        started = time.perf_counter()
        mapping = write_synthetic(folder, areas, seed)
        facts["generated_s"] = time.perf_counter() - started
        facts["input_bytes"] = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
        data = folder
    elif case == "flensburg":
        mapping, facts["institutions"] = flensburg_mapping(folder, daten)
        data = daten
    if trace:
        tracemalloc.start()
    marks = Marks(trace)
    if case == "demo":
        build_demo(out, progress=lambda f, text: marks(BUILD_FROM + (1 - BUILD_FROM) * f, text))
        errors = []
    else:
        outcome = run(mapping, out=out, progress=marks, folder=data)
        errors = [f.text() for f in outcome.report.errors]
        facts["warnings"] = [f.text()[:160] for f in outcome.report if f.level == "Warnung"][:5]
        facts["findings"] = {level: sum(f.level == level for f in outcome.report)
                             for level in ("Fehler", "Warnung", "Hinweis")}
        if outcome.dataset is not None:
            facts["areas"] = len(outcome.dataset.areas)
            facts["value_rows"] = len(outcome.dataset.values)
            facts["institution_rows"] = len(outcome.dataset.institutions)
    marks(1.0, "fertig")
    if trace:
        tracemalloc.stop()
    facts.update(marks=marks.marks, errors=errors[:5],
                 peak_rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                 store_bytes=out.stat().st_size if out.exists() else None)
    if keep:
        facts["folder"] = str(folder)
    else:
        for path in sorted(folder.iterdir(), reverse=True):
            path.unlink()
        folder.rmdir()
    return facts


# --- the report -----------------------------------------------------------------------------------------------

def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _megabytes(value: float) -> str:
    return f"{value / 2**20:.0f} MB"


def _stages(marks: list) -> list[tuple[str, float, float | None, bool]]:
    """(stage, seconds, tracemalloc peak, is a build stage) between one progress message and the next."""
    return [(text, later[0] - at, later[3], fraction >= BUILD_FROM)
            for (at, fraction, text, _), later in zip(marks, marks[1:])]


def _summary(facts: dict) -> dict[str, str]:
    stages = _stages(facts["marks"])
    read = sum(s for _, s, _, build in stages if not build)
    build = sum(seconds for _, seconds, _, is_build in stages if is_build)
    return {"read (ingest)": "–" if facts["case"] == "demo" else _seconds(read),
            "build (build_store)": _seconds(build), "total": _seconds(read + build),
            "peak RSS": _megabytes(facts["peak_rss"]),
            "store file": _megabytes(facts["store_bytes"]) if facts["store_bytes"] else "–"}


def _child(case: str, args, trace: bool) -> dict:
    command = [sys.executable, "-m", "bench.import", "--child", case, "--daten", str(args.daten), "--areas",
               str(args.areas), "--seed", str(args.seed)] + (["--tracemalloc"] if trace else []) + (
               ["--keep"] if args.keep else [])
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{case} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_report(results: dict[str, dict], traced: dict[str, dict]) -> None:
    names = list(results)
    rows = {name: _summary(facts) for name, facts in results.items()}
    labels = {"demo": "demo (baseline)", "flensburg": "Flensburg", "synthetic": "synthetic"}
    width = 22
    print("\n" + "".ljust(22) + "".join(labels[n].rjust(width) for n in names))
    for key in rows[names[0]]:
        print(key.ljust(22) + "".join(rows[n][key].rjust(width) for n in names))
    for name, facts in results.items():
        print(f"\n{labels[name]}:")
        if facts.get("generated_s") is not None:
            print(f"  files written in {_seconds(facts['generated_s'])} ({_megabytes(facts['input_bytes'])} input)")
        if "areas" in facts:
            print(f"  {facts['areas']} areas, {facts['value_rows']} value rows, {facts['institution_rows']} "
                  f"institutions; findings {facts['findings']}")
        if facts.get("folder"):
            print(f"  kept: {facts['folder']}")
        if name == "flensburg" and not facts.get("institutions"):
            print("  (no Kita list in --daten: imported without institutions)")
        for line in facts["errors"] + facts.get("warnings", []):
            print(f"  {line}")
        peaks = {text: peak for text, _, peak, _ in _stages(traced[name]["marks"])} if name in traced else {}
        for text, seconds, _, build in _stages(facts["marks"]):
            peak = f"   tracemalloc peak {_megabytes(peaks[text])}" if peaks.get(text) is not None else ""
            print(f"  {'build' if build else 'read '}  {text[:44]:<44} {_seconds(seconds):>10}{peak}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.import", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, from {', '.join(CASES)}")
    parser.add_argument("--daten", type=Path, default=ROOT / "tests" / "data" / "flensburg",
                        help="Flensburg's files (default: tests/data/flensburg)")
    parser.add_argument("--areas", type=int, default=10_000, help="Quartiere of the synthetic city (default 10000)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--tracemalloc", action="store_true", help="also each stage's peak of Python allocations")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders (files and store)")
    parser.add_argument("--child", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.daten = args.daten.resolve()
    if args.child:
        print(json.dumps(run_case(args.child, args.daten, args.areas, args.seed, args.tracemalloc, args.keep)))
        return
    names = [n.strip() for n in args.cases.split(",") if n.strip()]
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)}; choose from {', '.join(CASES)}")
    print(f"sozialdash import bench: Python {sys.version.split()[0]}, shapely {shapely.__version__}; "
          f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} cores")
    results = {name: _child(name, args, trace=False) for name in names}
    traced = {name: _child(name, args, trace=True) for name in names} if args.tracemalloc else {}
    print_report(results, traced)
    print(f"\nload average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
