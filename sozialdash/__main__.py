"""Command line: ``python -m sozialdash build-demo [--out PATH]`` builds the demo store; ``python -m sozialdash
sozialindex TABLE.csv --id … --einwohner … --status … --dynamik …`` recomputes an index edition from its table;
``python -m sozialdash import MAPPING.yaml [--dry-run] [--out PATH]`` imports a city's files; ``python -m sozialdash
passwort`` makes the reference line for the role Datenpflege."""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from pathlib import Path

from sozialdash import config, edition, roles
from sozialdash.analysis import sozialindex as si
from sozialdash.analysis.suppress import DEFAULT_THRESHOLD
from sozialdash.build import DatasetError, build_demo, protection_report
from sozialdash.ingest.run import run as run_import

DIFFERENT = 3   # the exit code when the recomputed classes differ from the published ones


def _written(build_id: str, out: Path | None, took: str = "") -> None:
    """Where a new store went and what its build kept secret, after the demo build and an import alike."""
    out = out or config.db_path()
    print(f"Build {build_id} nach {out} geschrieben{took}")
    for line in protection_report(out):
        print(line)


def _columns(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _index_parser(commands) -> None:
    index = commands.add_parser(
        "sozialindex", help="Sozialindex nach dem MSS aus einer Tabelle nachrechnen, z. B. eine amtliche Ausgabe",
        description="Rechnet Status- und Dynamikindex je Gebiet aus einer CSV-Tabelle (Werte wie veröffentlicht, "
                    "deutsche Zahlen) und vergleicht mit den amtlichen Klassen, wenn Spalten dafür genannt sind.")
    index.add_argument("datei", type=Path, help="CSV mit einer Zeile je Gebiet")
    index.add_argument("--id", required=True, help="Spalte der Gebiets-ID")
    index.add_argument("--einwohner", required=True, help="Spalte der Einwohnerzahl")
    index.add_argument("--status", required=True, type=_columns, help="Spalten der Status-Indikatoren, mit Komma")
    index.add_argument("--dynamik", required=True, type=_columns,
                       help="Spalten der Dynamik-Indikatoren (Veränderung in Prozentpunkten), mit Komma")
    index.add_argument("--hoeher-besser", type=_columns, default=(),
                       help="Spalten, bei denen ein höherer Wert günstiger ist (sonst: höher ist ungünstiger)")
    index.add_argument("--amtlich-status", help="Spalte der veröffentlichten Statusklasse (1–4 oder Wort)")
    index.add_argument("--amtlich-dynamik", help="Spalte der veröffentlichten Dynamikklasse (+, +/-, - oder Wort)")
    index.add_argument("--mindestens", type=int, default=si.IndexConfig.min_population,
                       help="Mindestbevölkerung (Standard: %(default)s)")
    index.add_argument("--grenzen-status", default=si.thresholds_param(si.MSS_THRESHOLDS["status"]),
                       help="Klassengrenzen Status in Standardabweichungen, als --grenzen-status=-1,1,1.5 "
                            "(Standard: %(default)s)")
    index.add_argument("--grenzen-dynamik", default=si.thresholds_param(si.MSS_THRESHOLDS["dynamics"]),
                       help="Klassengrenzen Dynamik (Standard: %(default)s)")
    index.add_argument("--out", type=Path, help="Ergebnis je Gebiet als CSV (Semikolon, Dezimalkomma)")


def _run_index(args) -> int:
    try:
        bounds = {part: si.parse_thresholds(text) for part, text in
                  (("status", args.grenzen_status), ("dynamics", args.grenzen_dynamik))}
    except ValueError as error:
        print(f"Fehler: Klassengrenzen sind keine Zahlen ({error})", file=sys.stderr)
        return 1
    problems = [p for p in (si.threshold_problem(part, b) for part, b in bounds.items()) if p]
    if problems:
        print("Fehler: " + "; ".join(problems), file=sys.stderr)
        return 1
    columns = edition.Edition(args.id, args.einwohner, args.status, args.dynamik, args.hoeher_besser,
                              args.amtlich_status, args.amtlich_dynamik)
    chosen = si.IndexConfig(columns.status, columns.dynamics, min_population=args.mindestens,
                            status_thresholds=bounds["status"], dynamics_thresholds=bounds["dynamics"])
    try:
        result = edition.recompute(edition.read_table(args.datei), columns, chosen)
    except (OSError, edition.EditionError) as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 1
    for line in edition.report(result):
        print(line)
    if args.out:
        result.to_csv(args.out, sep=";", decimal=",", index_label=args.id, encoding="utf-8-sig")
        print(f"Ergebnis nach {args.out} geschrieben")
    return DIFFERENT if len(edition.differences(result)) else 0


def _import_parser(commands) -> None:
    parser = commands.add_parser("import", help="Daten einer Stadt nach einer Zuordnungsdatei (YAML) importieren",
                                 description="Liest Gebiete, Kennzahlen, Werte und Einrichtungen, wie die Zuordnung "
                                             "es sagt (docs/import.md), prüft alles und baut eine neue Datenbank.")
    parser.add_argument("zuordnung", type=Path, help="die Zuordnungsdatei (YAML)")
    parser.add_argument("--dry-run", action="store_true", help="nur prüfen und berichten, nichts schreiben")
    parser.add_argument("--out", type=Path, default=None, help=f"Zieldatei (Standard: {config.db_path()})")
    parser.add_argument("--daten", type=Path, default=None, help="Ordner der Dateien (Standard: „folder“ der Zuordnung)")


def _run_import(args) -> int:
    outcome = run_import(args.zuordnung, out=args.out, dry_run=args.dry_run, folder=args.daten,
                         progress=lambda fraction, text: print(f"{fraction:4.0%} {text}"))
    for line in outcome.report.lines():
        print(line)
    if not outcome.report.ok:
        print(f"Import abgebrochen: {len(outcome.report.errors)} Fehler; die Datenbank ist unverändert.",
              file=sys.stderr)
        return 1
    if outcome.build_id is None:
        print("Probelauf: keine Fehler, nichts geschrieben.")
        return 0
    _written(outcome.build_id, args.out)
    return 0


def _password_parser(commands) -> None:
    commands.add_parser("passwort", help="Passwort für die Rolle Datenpflege festlegen (Zeile für secrets.toml)",
                        description="Fragt das Passwort zweimal ab und gibt die Zeile für .streamlit/secrets.toml "
                                    "aus; gespeichert wird nur ein Hash (PBKDF2-HMAC-SHA256), nie das Passwort.")


def _run_password(_args) -> int:
    password = getpass.getpass("Passwort für die Datenpflege: ")
    if len(password) < 10:
        print("Fehler: Das Passwort braucht mindestens 10 Zeichen.", file=sys.stderr)
        return 1
    if getpass.getpass("Noch einmal: ") != password:
        print("Fehler: Die beiden Eingaben sind verschieden.", file=sys.stderr)
        return 1
    reference = roles.hash_password(password)
    print("In .streamlit/secrets.toml eintragen:")
    print(f'datenpflege_hash = "{reference}"')
    print(f"oder als Umgebungsvariable (sie geht vor): SOZIALDASH_DATENPFLEGE_HASH='{reference}'")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sozialdash", description="sozialdash: Datenbank bauen, Sozialindex nachrechnen")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("build-demo", help="Demodaten (Musterstadt) erzeugen und als Datenbank einsetzen")
    demo.add_argument("--out", type=Path, default=None, help=f"Zieldatei (Standard: {config.db_path()})")
    demo.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD,
                      help="Fallzahlen von 1 bis zu dieser Zahl werden geheim gehalten (Standard: %(default)s)")
    _index_parser(commands)
    _import_parser(commands)
    _password_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "sozialindex":
        return _run_index(args)
    if args.command == "import":
        return _run_import(args)
    if args.command == "passwort":
        return _run_password(args)
    started = time.perf_counter()
    try:
        build_id = build_demo(args.out, threshold=args.threshold,
                              progress=lambda fraction, text: print(f"{fraction:4.0%} {text}"))
    except DatasetError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 1
    _written(build_id, args.out, f" ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
