"""What an import found, entry by entry, in German: where (file, row, column), what (the value), why it matters
and how to fix it. One report collects every reader's findings, so a statistician sees all problems at once
instead of fixing one file per run.

The checks every reader makes on what the mapping names (unknown keys, an encoding, a file outside the mapping's
folder) are here too, so each says the same thing in every section."""

from __future__ import annotations

import codecs
import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sozialdash.culprits import culprits

ERROR, WARNING, NOTE = "Fehler", "Warnung", "Hinweis"
MAPPING = "Zuordnung"
"""The file name findings carry for what the mapping itself says (a key missing, a value of the wrong kind)."""


@dataclass(frozen=True)
class Finding:
    level: str                # ERROR blocks the import; WARNING and NOTE do not
    file: str                 # the file's name as the mapping gives it
    message: str              # what is wrong, in German
    row: int | None = None    # the row as a spreadsheet numbers it (header = 1), None for the whole file
    column: str | None = None
    value: str | None = None  # the offending cell as written
    fix: str | None = None    # how to fix it, in German

    def text(self) -> str:
        where = [self.file] + ([f"Zeile {self.row}"] if self.row is not None else []) + (
            [f"Spalte „{self.column}“"] if self.column else [])
        said = f"{self.level}: {', '.join(where)}: {self.message}"
        if self.value is not None:
            said += f" ({self.value!r})"
        return said + (f" – {self.fix}" if self.fix else "")


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    def add(self, level: str, file: str, message: str, **where) -> None:
        self.findings.append(Finding(level, file, message, **where))

    def error(self, file: str, message: str, **where) -> None:
        self.add(ERROR, file, message, **where)

    def warning(self, file: str, message: str, **where) -> None:
        self.add(WARNING, file, message, **where)

    def note(self, file: str, message: str, **where) -> None:
        self.add(NOTE, file, message, **where)

    def many(self, level: str, file: str, message: str, rows: list[tuple[int, str | None]], column: str | None = None,
             fix: str | None = None) -> None:
        """One finding for many rows with the same problem: the first few named, the count said."""
        if rows:
            named = [f"Zeile {r}" + (f" ({v!r})" if v is not None else "") for r, v in rows]
            self.add(level, file, f"{message}: {culprits(named, separator='; ')}", column=column, fix=fix)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def lines(self) -> list[str]:
        order = {ERROR: 0, WARNING: 1, NOTE: 2}
        return [f.text() for f in sorted(self.findings, key=lambda f: order[f.level])]


class ImportFailed(ValueError):
    """The import found errors; ``report`` holds every finding. The store is untouched."""

    def __init__(self, report: Report):
        super().__init__(f"Import abgebrochen: {len(report.errors)} Fehler")
        self.report = report


def suggestion(word: str, options: Iterable[str]) -> str | None:
    """ "Gemeint ist wohl „…“." for the option closest to a misspelt name (case ignored), or None."""
    folded = {str(option).casefold(): option for option in options}
    close = difflib.get_close_matches(str(word).casefold(), list(folded), n=1)
    return f"Gemeint ist wohl „{folded[close[0]]}“." if close else None


def inside(base_dir: Path, file: str, report: Report) -> Path | None:
    """The file a mapping names, relative to the mapping's folder; None after the error that it lies outside
    (a mapping from elsewhere must not make the import read ``../../etc/passwd``)."""
    base = Path(base_dir).resolve()
    path = (base / file).resolve()
    if path.is_relative_to(base):
        return path
    report.error(file, "Die Datei liegt außerhalb des Ordners der Zuordnung; gelesen werden nur Dateien darin.",
                 fix="Die Datei in den Ordner der Zuordnung legen und ohne „..“ oder absoluten Pfad nennen.")
    return None


def encoding_name(given: object, report: Report, where: str, at: str = "") -> str | None:
    """The codec's own name for the encoding a mapping names ("latin-1" is "iso8859-1", which GDAL knows too), or
    None after the error that Python knows no such encoding. ``at`` goes before the message ("areas.files[2]: ")."""
    try:
        return codecs.lookup(str(given)).name
    except LookupError:
        report.error(where, f"{at}Unbekannte Kodierung „{given}“.", fix="z. B. utf-8, cp1252 (Windows) oder iso-8859-1")
        return None


def unknown_keys(given: dict, known: tuple[str, ...], what: str, report: Report, where: str) -> bool:
    """Whether ``given`` has keys no reader knows; each is an error with the key probably meant (a typo in the
    mapping must not be silently ignored). ``what`` says where it stands ("in area")."""
    unknown = [k for k in given if k not in known]
    for key in unknown:
        report.error(where, f"Unbekannter Schlüssel „{key}“ {what}.",
                     fix=suggestion(key, known) or f"Erlaubt: {', '.join(known)}.")
    return bool(unknown)
