"""How long a map takes as a PNG (``views.images.map_png``) at each level of a store; prints, asserts nothing.

    .venv/bin/python -m bench.images STORE [STORE ...] [--repeat 3]

Per level: areas, display vertices, the time to read and decode the shapes, the median time to draw the PNG
at the Karte's download size (fills from the value ramp, names, the level above outlined, a legend, title and
source line; as ``ui.karte.png`` draws it) and the PNG's size.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import shapely

from sozialdash.store import current_store, from_wkb
from sozialdash.views import images
from sozialdash.views.colors import ramp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stores", nargs="+")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'store':<28} {'level':>5} {'areas':>7} {'vertices':>9} {'read s':>7} {'draw s':>7} {'PNG KB':>7}")
    for path in args.stores:
        store = current_store(path)
        for level in [int(lv) for lv in store.run("area_levels")["level"] if lv > 0]:
            started = time.perf_counter()
            frame = store.run("area_shapes", level=level)
            geometries = from_wkb(frame["display_wkb"])
            parents = from_wkb(store.run("area_shapes", level=level - 1)["display_wkb"]) if level > 1 else None
            read = time.perf_counter() - started
            colours = ramp(5, "higher_is_worse")
            fills = [colours[i] for i in np.random.default_rng(level).integers(0, 5, len(geometries))]
            times, png = [], b""
            for _ in range(args.repeat):
                started = time.perf_counter()
                png = images.map_png(geometries, fills, names=frame["name"].tolist(),
                                     label_points=shapely.points(frame["label_lon"], frame["label_lat"]),
                                     parents=parents, legend=[(c, f"Klasse {i + 1}") for i, c in enumerate(colours)],
                                     title="Bench", note="Quelle: bench")
                times.append(time.perf_counter() - started)
            vertices = int(shapely.get_num_coordinates(geometries).sum())
            print(f"{path[-28:]:<28} {level:>5} {len(geometries):>7} {vertices:>9} {read:>7.3f} "
                  f"{statistics.median(times):>7.3f} {len(png) / 1024:>7.0f}")


if __name__ == "__main__":
    main()
