"""Command line: ``python -m sozialdash build-demo [--out PATH]``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sozialdash import config
from sozialdash.analysis.suppress import DEFAULT_THRESHOLD
from sozialdash.build import DatasetError, build_demo, protection_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sozialdash", description="sozialdash: Datenbank bauen")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("build-demo", help="Demodaten (Musterstadt) erzeugen und als Datenbank einsetzen")
    demo.add_argument("--out", type=Path, default=None, help=f"Zieldatei (Standard: {config.db_path()})")
    demo.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD,
                      help="Fallzahlen von 1 bis zu dieser Zahl werden geheim gehalten (Standard: %(default)s)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        build_id = build_demo(args.out, threshold=args.threshold,
                              progress=lambda fraction, text: print(f"{fraction:4.0%} {text}"))
    except DatasetError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 1
    out = args.out or config.db_path()
    print(f"Build {build_id} nach {out} geschrieben ({time.perf_counter() - started:.1f} s)")
    for line in protection_report(out):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
