"""An official edition of an MSS-style index, recomputed from its published table: a statistician gives the file
with each area's inhabitants, status values and dynamics changes (and, to compare, the published classes), and
gets every area's z-values, indices and classes by ``analysis.sozialindex``, and each area where they differ.

Read as the edition publishes it, by the import's table reader (``ingest.tables``: CSV with ``;``, ``,`` or tab,
UTF-8 with or without BOM, UTF-16 or Windows-1252, or XLSX), German numbers (``numbers.german_number``), ids as
text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sozialdash import fmt
from sozialdash.analysis import sozialindex as si
from sozialdash.culprits import culprits
from sozialdash.ingest import tables
from sozialdash.ingest.report import Report
from sozialdash.numbers import NotANumber, german_number

STATUS_WORDS = {**{str(k): k for k in si.STATUS_CLASSES}, **{v: k for k, v in si.STATUS_CLASSES.items()}}
DYNAMICS_WORDS = {**{k: k for k in si.DYNAMICS_CLASSES}, **{v: k for k, v in si.DYNAMICS_CLASSES.items()},
                  "\u2212": "-", "–": "-", "+/\u2212": "+/-", "+/–": "+/-", "±": "+/-"}


class EditionError(ValueError):
    """The file cannot be read as the edition the options describe; the message is German and names the culprit."""


@dataclass(frozen=True)
class Edition:
    """The columns of the file that hold what the index needs."""

    id: str
    population: str
    status: tuple[str, ...]
    dynamics: tuple[str, ...]
    better_when_higher: tuple[str, ...] = ()
    official_status: str | None = None
    official_dynamics: str | None = None


def read_table(path: Path) -> pd.DataFrame:
    """Every cell as text, indexed by the row as a spreadsheet numbers it, read by ``ingest.tables`` (delimiter
    sniffed, encoding detected, size limited); its errors, if any, become one ``EditionError``."""
    path = Path(path)
    found = Report()
    table = tables.read_table(path, tables.TableSource(file=path.name), found)
    if table is None:
        raise EditionError("; ".join(f.text() for f in found.errors))
    return table


def _numbers(table: pd.DataFrame, column: str) -> pd.Series:
    out, bad = [], []
    for row, text in table[column].items():
        try:
            out.append(german_number(text))
        except NotANumber:
            out.append(None)
            bad.append(f"Zeile {row}: {text!r}")
    if bad:
        raise EditionError(f"Spalte „{column}“ enthält keine Zahl: {culprits(bad)}")
    return pd.Series(out, index=table.index, dtype=float)


def recompute(table: pd.DataFrame, edition: Edition, config: si.IndexConfig) -> pd.DataFrame:
    """The index of every row of ``table`` (indexed by the id column), with the published classes beside ours
    when the edition names them (``official_status``, ``official_dynamics``, None where the file has none)."""
    wanted = [edition.id, edition.population, *edition.status, *edition.dynamics,
              *[c for c in (edition.official_status, edition.official_dynamics) if c]]
    absent = [c for c in wanted if c not in table.columns]
    if absent:
        raise EditionError(f"Spalten fehlen: {culprits(absent)}; die Datei hat {culprits(list(table.columns))}")
    ids = table[edition.id].str.strip()
    twice = sorted(set(ids[ids.duplicated()]))
    if twice:
        raise EditionError(f"Gebiets-IDs doppelt: {culprits(twice)}")
    polarity = {c: "higher_is_better" if c in edition.better_when_higher else "higher_is_worse"
                for c in (*edition.status, *edition.dynamics)}
    frames = {part: pd.DataFrame({c: _numbers(table, c) for c in columns}).set_axis(ids)
              for part, columns in (("status", edition.status), ("dynamics", edition.dynamics))}
    result = si.sozialindex(frames["status"], frames["dynamics"], _numbers(table, edition.population).set_axis(ids),
                            polarity, config)
    table = table.set_axis(ids)
    if edition.official_status:
        result["official_status"] = _classes(table[edition.official_status], STATUS_WORDS, "Statusklasse")
    if edition.official_dynamics:
        result["official_dynamics"] = _classes(table[edition.official_dynamics], DYNAMICS_WORDS, "Dynamikklasse")
    return result


def _classes(texts: pd.Series, words: dict, what: str) -> pd.Series:
    cleaned = texts.str.strip()
    unknown = sorted(set(t for t in cleaned if t and t not in words))
    if unknown:
        raise EditionError(f"{what} unbekannt: {culprits(unknown)}; erwartet {culprits(list(words))}")
    return pd.Series([words.get(t) for t in cleaned], index=texts.index, dtype=object)   # None, not NaN


def differences(result: pd.DataFrame) -> pd.DataFrame:
    """The areas whose recomputed class differs from the published one (an area the edition leaves unclassified
    and we leave out agrees)."""
    differ = pd.Series(False, index=result.index)
    for ours, theirs in (("status_class", "official_status"), ("dynamics_class", "official_dynamics")):
        if theirs in result:
            differ |= np.array([a != b and not (a is None and b is None)
                                for a, b in zip(result[ours], result[theirs])], dtype=bool)
    return result[differ]


def report(result: pd.DataFrame) -> list[str]:
    """What the recomputation says, in German lines for the terminal."""
    kept = result["excluded"].isna()
    lines = [f"{fmt.number(len(result))} Gebiete, {fmt.number(int(kept.sum()))} im Index, "
             f"{fmt.number(int((~kept).sum()))} {si.UNASSIGNED}.", "Status × Dynamik:"]
    counts = si.matrix(result)
    lines += [f"  {s} {si.STATUS_CLASSES[s]:<12}" + "".join(f"{d:>5}: {counts.at[s, d]:<5}" for d in counts.columns)
              for s in counts.index]
    if "official_status" in result or "official_dynamics" in result:
        differ = differences(result)
        lines.append(f"Abweichungen von der amtlichen Ausgabe: {fmt.number(len(differ))} von "
                     f"{fmt.number(len(result))} Gebieten.")
        for area, row in differ.head(20).iterrows():
            lines.append(f"  {area}: berechnet {row['code'] or si.UNASSIGNED}, amtlich "
                         f"{row.get('official_status')}{row.get('official_dynamics') or ''}")
    return lines
