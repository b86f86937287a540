"""Indicator values from a city's tables, as a mapping section says: which file, which column names the area and
how it joins, which columns hold which indicator and year, which markers mean missing or secret.

Two layouts cover the tables a Sozialbericht has:

- ``wide``: one row per area (or per indicator, with ``indicator_column``), one column per indicator and/or year,
  e.g. ``Anzahl_2018 … Anteil_in_%_2021``; each column is claimed by the first rule in ``columns`` whose regular
  expression matches its whole name, the year taken from the rule, a ``(?P<year>…)`` group, or the section.
- ``long``: one row per area, indicator and year, with columns for the year, the value and optionally numerator
  and denominator.

``read_values`` reads one section and reports each cell it cannot use (file, row, column, the text); rows keep
where they came from (``SOURCE_COLUMNS``), so ``finish_values``, run once over every section, can name both
cells of a duplicate, compare a published parent total with its children, and find years an indicator skips.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sozialdash import fmt
from sozialdash.analysis.aggregate import compute_value
from sozialdash.build import value_problems
from sozialdash.culprits import culprits
from sozialdash.dataset import VALUE_COLUMNS, no_rows
from sozialdash.ingest.report import NOTE, Report, inside, suggestion, unknown_keys
from sozialdash.ingest.tables import RENAMED, TABLE_KEYS, TableSource, read_table, table_source
from sozialdash.ingest.words import name_key, normalised
from sozialdash.numbers import MISSING, SECRET, NotANumber, german_number, is_secret

FORMATS = ("wide", "long")
JOINS = ("id", "name", "prefix")
PARTS = ("value", "numerator", "denominator")
PART_WORDS = {"value": "Wert", "numerator": "Zähler", "denominator": "Nenner"}
VALUES_KEYS = (*TABLE_KEYS, "level", "area", "format", "columns", "indicator", "indicator_column", "indicators",
               "year", "long", "missing", "secret", "corrections")
AREA_KEYS = ("column", "join", "template", "pad", "prefix", "aliases", "id")
COLUMN_KEYS = ("match", "indicator", "year", "part")
LONG_KEYS = ("year", *PARTS)
SOURCE_COLUMNS = ["file", "row", "column"]
"""Where each value row came from: the file as the mapping names it, the row, the value's column."""
TOTAL_WORDS = frozenset({"gesamt", "insgesamt", "summe", "gesamtstadt", "stadt gesamt", "stadt insgesamt",
                         "stadt", "gesamtsumme", "total"})
"""What the row of a city total says in the area column (folded); the city's own name is one too."""
_TEMPLATE = re.compile(r"^[^{}]*\{(:0?\d{0,2}d)?\}[^{}]*$")


@dataclass(frozen=True)
class AreaJoin:
    """How a row's area is found. ``column`` holds it, or ``id`` names one area for every row (a table of city
    totals). The cell becomes an id by ``pad`` (zero-pad digits), then ``prefix`` (put before), or by
    ``template`` (``"STGT{:02d}"``: the cell's whole number formatted in), and is then matched exactly (``id``),
    as the start of exactly one id (``prefix``), or a name is compared folded (``name``: case, umlauts, ß/ss,
    ``Str.``/``Straße``, ``St.``/``Sankt``, underscores, and a numbering like "01 " ignored). ``aliases`` map a
    cell's text to an area id before anything else (a total row, a misspelt name)."""

    column: str | None = None
    join: str = "id"
    template: str | None = None
    pad: int | None = None
    prefix: str = ""
    aliases: dict[str, str] = field(default_factory=dict)
    id: str | None = None


@dataclass(frozen=True)
class ColumnRule:
    """Wide format: the columns whose whole name ``pattern`` matches hold ``part`` of ``indicator`` (None: the
    pattern's ``indicator`` group, or the row's from ``indicator_column``) for ``year`` (None: the pattern's
    ``year`` group, or the section's)."""

    pattern: re.Pattern
    indicator: str | None = None
    year: int | None = None
    part: str = "value"


@dataclass(frozen=True)
class Correction:
    """One cell as the mapping corrects it: a known typo in a published table, fixed (or marked missing with
    ".") in the mapping, so the source file stays as published and the fix stays visible."""

    row: int
    column: str
    value: str


@dataclass(frozen=True)
class ValuesSection:
    table: TableSource
    area: AreaJoin
    level: str | int | None = None                  # the level (key, label or number) the area column names
    format: str = "wide"
    columns: tuple[ColumnRule, ...] = ()             # wide
    long: dict[str, str] = field(default_factory=dict)  # long: year/value/numerator/denominator -> column
    indicator: str | None = None                     # every value is of this indicator
    indicator_column: str | None = None              # ... or the row's indicator is named in this column
    indicators: dict[str, str] = field(default_factory=dict)  # that column's texts -> indicator ids
    year: int | None = None                          # the year where neither rule nor column gives one
    missing: frozenset[str] = MISSING
    secret: frozenset[str] = SECRET
    corrections: tuple[Correction, ...] = ()         # cells the city corrects without editing its source file


def _year(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2200 else None


def parse_values(section: dict, report: Report, where: str) -> ValuesSection | None:
    """One ``values`` entry of a mapping, checked; None (with every problem reported) when it cannot be used.
    ``where`` names the entry in messages (e.g. "Zuordnung, values Nr. 2")."""
    if not isinstance(section, dict):
        report.error(where, f"Erwartet wird ein Abschnitt mit Schlüsseln (file, area, columns …), nicht "
                            f"{type(section).__name__}.")
        return None
    bad = unknown_keys({k: v for k, v in section.items() if k not in RENAMED}, VALUES_KEYS, "im Abschnitt values",
                        report, where)  # table_source names the renamed ones
    table = table_source(section, report, where)
    area = _parse_area(section.get("area"), report, where)
    form = section.get("format", "wide")
    if form not in FORMATS:
        report.error(where, f"„format“ muss wide oder long sein, nicht {form!r}.")
        bad = True
    year = section.get("year")
    if year is not None and _year(year) is None:
        report.error(where, f"„year“ muss eine Jahreszahl sein, nicht {year!r}.")
        bad = True
    indicator, indicator_column = section.get("indicator"), section.get("indicator_column")
    if indicator is not None and indicator_column is not None:
        report.error(where, "Entweder „indicator“ (ein Indikator für alle Werte) oder „indicator_column“ (die "
                            "Spalte, die den Indikator jeder Zeile nennt), nicht beides.")
        bad = True
    for key, value in (("indicator", indicator), ("indicator_column", indicator_column)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            report.error(where, f"„{key}“ muss ein Text sein, nicht {value!r}.")
            bad = True
    indicators = section.get("indicators", {})
    if not isinstance(indicators, dict) or not all(isinstance(v, str) for v in indicators.values()):
        report.error(where, "„indicators“ muss Texte der Indikatorspalte auf Indikator-IDs abbilden "
                            "(„Anzahl der Einwohner*innen“: einwohner).")
        bad, indicators = True, {}
    if indicators and indicator_column is None:
        report.error(where, "„indicators“ ohne „indicator_column“: welche Spalte nennt die Indikatoren?")
        bad = True
    own = {}
    for key in ("missing", "secret"):
        given = section.get(key, [])
        if not isinstance(given, list):
            report.error(where, f"„{key}“ muss eine Liste sein, z. B. {key}: ['.', '-'].")
            bad, given = True, []
        own[key] = frozenset(str(m).strip() for m in given)
    both = sorted(own["missing"] & own["secret"])
    if both:
        report.error(where, f"Zeichen sowohl fehlend als auch geheim: {culprits(both)}.")
        bad = True
    # the file's own markers win: "x" is missing by default, secret where the file says so
    markers = {"missing": (MISSING - own["secret"]) | own["missing"],
               "secret": (SECRET - own["missing"]) | own["secret"]}
    columns, long = (), {}
    if form == "wide":
        columns = _parse_columns(section.get("columns"), indicator or indicator_column, year, report, where)
        bad = bad or columns is None
        if section.get("long") is not None:
            report.error(where, "„long“ gehört nur zu format: long.")
            bad = True
    elif form == "long":
        long = _parse_long(section.get("long"), year, report, where)
        bad = bad or long is None
        if not (indicator or indicator_column):
            report.error(where, "Im Langformat fehlt „indicator_column“ (die Spalte mit dem Indikator) oder "
                                "„indicator“ (ein Indikator für die ganze Datei).")
            bad = True
        if section.get("columns") is not None:
            report.error(where, "„columns“ gehört nur zu format: wide; im Langformat sagt „long“, welche Spalte "
                                "was enthält.")
            bad = True
    corrections = _parse_corrections(section.get("corrections", []), report, where)
    bad = bad or corrections is None
    level = section.get("level")
    if level is not None and not isinstance(level, str | int):
        report.error(where, f"„level“ muss der Schlüssel einer Ebene sein (z. B. stadtteil), nicht {level!r}.")
        bad = True
    if bad or table is None or area is None:
        return None
    return ValuesSection(table=table, area=area, level=level, format=form, columns=columns or (), long=long or {},
                         indicator=indicator, indicator_column=indicator_column,
                         indicators={str(k).strip(): v for k, v in indicators.items()}, year=year,
                         missing=markers["missing"], secret=markers["secret"], corrections=corrections)


def _parse_area(area: object, report: Report, where: str) -> AreaJoin | None:
    if not isinstance(area, dict):
        report.error(where, "„area“ fehlt: welche Spalte nennt das Gebiet, und wie wird es zugeordnet?",
                     fix="z. B. area: {column: Stadtteil_ID, join: id, template: 'STGT{:02d}'}")
        return None
    if unknown_keys(area, AREA_KEYS, "in area", report, where):
        return None
    errors = len(report.errors)
    if (area.get("column") is None) == (area.get("id") is None):
        report.error(where, "„area“ braucht genau eins: „column“ (die Spalte mit dem Gebiet) oder „id“ (ein "
                            "Gebiet für alle Zeilen, etwa die Gesamtstadt).")
    join = area.get("join", "id")
    if join not in JOINS:
        report.error(where, f"„join“ muss id, name oder prefix sein, nicht {join!r}.")
    template = area.get("template")
    if template is not None and (not isinstance(template, str) or not _TEMPLATE.match(template)):
        report.error(where, f"„template“ {template!r} ist keine Vorlage mit genau einer Stelle {{}} oder "
                            "{:02d}.", fix="z. B. template: 'STGT{:02d}' macht aus 1 STGT01")
    pad = area.get("pad")
    if pad is not None and (not isinstance(pad, int) or isinstance(pad, bool) or not 1 <= pad <= 20):
        report.error(where, f"„pad“ muss die Stellenzahl sein (1 bis 20), nicht {pad!r}.")
    if template is not None and (pad is not None or area.get("prefix")):
        report.error(where, "„template“ ersetzt „pad“ und „prefix“; bitte nur eins davon.")
    if join == "name" and (template is not None or pad is not None or area.get("prefix")):
        report.error(where, "„template“, „pad“ und „prefix“ gelten für IDs, nicht für join: name.")
    aliases = area.get("aliases", {})
    if not isinstance(aliases, dict):
        report.error(where, "„aliases“ muss Texte der Gebietsspalte auf Gebiets-IDs abbilden („Stadt gesamt“: '0').")
        aliases = {}
    if len(report.errors) > errors:
        return None
    text = (lambda v: None if v is None else str(v).strip())
    return AreaJoin(column=text(area.get("column")), join=join, template=template, pad=pad,
                    prefix=str(area.get("prefix") or ""), aliases={str(k).strip(): str(v).strip()
                                                                   for k, v in aliases.items()},
                    id=text(area.get("id")))


def _parse_columns(rules: object, row_indicator: str | None, year: int | None, report: Report, where: str
                   ) -> tuple[ColumnRule, ...] | None:
    if not isinstance(rules, list) or not rules:
        report.error(where, "„columns“ fehlt: welche Spalten enthalten welche Indikatoren und Jahre?",
                     fix="z. B. columns: [{match: 'Anzahl_(?P<year>\\d{4})', indicator: sgb2_anzahl}]")
        return None
    parsed, ok = [], True
    for number, rule in enumerate(rules, start=1):
        here = f"{where}, columns Nr. {number}"
        if not isinstance(rule, dict) or "match" not in rule:
            report.error(here, "Jede Spaltenregel braucht „match“ (ein regulärer Ausdruck für den Spaltennamen).")
            ok = False
            continue
        if unknown_keys(rule, COLUMN_KEYS, "in der Spaltenregel", report, here):
            ok = False
            continue
        try:
            pattern = re.compile(str(rule["match"]))
        except re.error as error:
            report.error(here, f"„match“ ist kein gültiger regulärer Ausdruck: {error}.", value=str(rule["match"]))
            ok = False
            continue
        part = rule.get("part", "value")
        rule_year = rule.get("year")
        problems = []
        if part not in PARTS:
            problems.append(f"„part“ muss value, numerator oder denominator sein, nicht {part!r}")
        if rule_year is not None and _year(rule_year) is None:
            problems.append(f"„year“ muss eine Jahreszahl sein, nicht {rule_year!r}")
        if rule_year is None and "year" not in pattern.groupindex and year is None:
            problems.append("das Jahr fehlt: „year“ angeben oder im Ausdruck (?P<year>\\d{4}) verwenden")
        if rule.get("indicator") is None and row_indicator is None and "indicator" not in pattern.groupindex:
            problems.append("„indicator“ fehlt (oder im Ausdruck (?P<indicator>…), oder im Abschnitt "
                            "„indicator_column“)")
        for problem in problems:
            report.error(here, problem[0].upper() + problem[1:] + ".", value=str(rule["match"]))
        ok = ok and not problems
        parsed.append(ColumnRule(pattern=pattern, indicator=rule.get("indicator"), year=rule_year, part=part))
    return tuple(parsed) if ok else None


def _parse_long(long: object, year: int | None, report: Report, where: str) -> dict[str, str] | None:
    if not isinstance(long, dict) or not ("value" in long or "numerator" in long):
        report.error(where, "Im Langformat sagt „long“, welche Spalte was enthält; „value“ (oder „numerator“) "
                            "fehlt.",
                     fix="z. B. long: {year: Jahr, value: Wert, numerator: Zähler, denominator: Nenner}")
        return None
    if unknown_keys(long, LONG_KEYS, "in long", report, where):
        return None
    if "year" not in long and year is None:
        report.error(where, "Im Langformat fehlt das Jahr: long: {year: Spalte} oder year: 2021 für alle Zeilen.")
        return None
    return {key: str(column).strip() for key, column in long.items()}


def _parse_corrections(given: object, report: Report, where: str) -> tuple[Correction, ...] | None:
    fix = "z. B. corrections: [{row: 7, column: '2011', value: '.'}] (Zeile wie in der Tabellenkalkulation)"
    if not isinstance(given, list) or not all(isinstance(c, dict) for c in given):
        report.error(where, "„corrections“ muss eine Liste von Zellen sein.", fix=fix)
        return None
    parsed = []
    for correction in given:
        row, column, value = correction.get("row"), correction.get("column"), correction.get("value")
        if (set(correction) != {"row", "column", "value"} or not isinstance(row, int) or isinstance(row, bool)
                or row < 1 or column is None or value is None):
            report.error(where, f"Eine Korrektur braucht genau row (ab 1), column und value: {correction!r}.",
                         fix=fix)
            return None
        parsed.append(Correction(row=row, column=str(column), value=str(value).strip()))
    return tuple(parsed)


def _corrected(frame: pd.DataFrame, section: ValuesSection, report: Report) -> pd.DataFrame:
    """The table with the mapping's corrections, each noted with what the file said; one that names no cell of
    the table is an error (a correction that silently does nothing would hide the typo it was meant to fix)."""
    name = section.table.file
    frame = frame.copy()
    for fix in section.corrections:
        if fix.row not in frame.index or fix.column not in frame.columns:
            report.error(name, "Die Korrektur trifft keine Zelle der Tabelle.", row=fix.row, column=fix.column,
                         value=fix.value)
            continue
        report.note(name, f"Zelle laut Zuordnung korrigiert zu {fix.value!r}.", row=fix.row, column=fix.column,
                    value=frame.at[fix.row, fix.column])
        frame.at[fix.row, fix.column] = fix.value
    return frame


# --- reading ------------------------------------------------------------------------------------------------------

def _empty() -> pd.DataFrame:
    return no_rows([*VALUE_COLUMNS, *SOURCE_COLUMNS])


def read_values(section: ValuesSection, base_dir: Path, areas: pd.DataFrame, indicators: pd.DataFrame,
                report: Report, *, levels: pd.DataFrame) -> pd.DataFrame:
    """The value rows of one section (``VALUE_COLUMNS`` plus ``SOURCE_COLUMNS``); every cell that cannot be
    used is reported and left out. ``areas`` and ``levels`` are the import's (``dataset.AREA_COLUMNS``,
    ``LEVEL_COLUMNS``), ``indicators`` its catalogue."""
    name = section.table.file
    path = inside(base_dir, name, report)
    if path is None:
        return _empty()
    frame = read_table(path, section.table, report)
    if frame is None:
        return _empty()
    frame = _corrected(frame, section, report)
    level = _level(section.level, levels, name, report)
    needed = [c for c in (section.area.column, section.indicator_column, *section.long.values()) if c]
    absent = [c for c in needed if c not in frame.columns]
    for column in absent:
        report.error(name, f"Die Spalte „{column}“ gibt es nicht; die Datei hat {culprits(list(frame.columns))}.",
                     fix=suggestion(column, list(frame.columns)))
    if absent or level is False:
        return _empty()
    area_ids = _join_areas(frame, section, areas, level, report)
    row_indicators = _row_indicators(frame, section, report)
    cells = _wide_cells(frame, section, report) if section.format == "wide" else _long_cells(frame, section,
                                                                                              report)
    if cells.empty:
        report.warning(name, "Aus dieser Tabelle wurden keine Werte gelesen.")
        return _empty()
    cells["area_id"] = cells["row"].map(area_ids)
    if row_indicators is not None:
        cells["indicator_id"] = cells["indicator_id"].fillna(cells["row"].map(row_indicators))
    cells = cells[cells["area_id"].notna() & cells["indicator_id"].notna()]
    cells = _known_indicators(cells, indicators, name, report)
    if cells.empty:
        return _empty()
    rows = _numbers(cells, section, name, report)
    rows = _complete(rows, indicators, name, report)
    return _checked(rows, indicators, report)


def _level(level: str | int | None, levels: pd.DataFrame, name: str, report: Report) -> int | None | bool:
    """The level number the mapping means (its key, label or number); False when there is none such."""
    if level is None:
        return None
    for column in ("key", "label", "level"):
        hit = levels[levels[column].astype(str).str.casefold() == str(level).strip().casefold()]
        if len(hit):
            return int(hit["level"].iloc[0])
    report.error(name, f"Die Ebene „{level}“ gibt es nicht; bekannt sind {culprits(list(levels['key']))}.")
    return False


class _Lookup:
    """Areas indexed once for the cells that name them: ids, ids in order (for their starts), names by key with
    and without their numbering (the key with it first, so "1 Nord" and "2 Nord" stay apart)."""

    def __init__(self, areas: pd.DataFrame):
        self.areas = areas
        self.ids = set(areas["area_id"])
        self.ordered = sorted(self.ids)

    @functools.cached_property
    def names(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """Built only when a name is looked up: folding 10,000 names is not free."""
        names: dict[str, list[str]] = {}
        bare: dict[str, list[str]] = {}
        for area_id, area_name in zip(self.areas["area_id"], self.areas["name"]):
            names.setdefault(name_key(area_name), []).append(area_id)
            bare.setdefault(normalised(area_name), []).append(area_id)
        return names, bare

    def find(self, text: str, join: AreaJoin) -> list[str]:
        if join.join == "name":
            names, bare = self.names
            return names.get(name_key(text)) or bare.get(normalised(text), [])
        wanted = _id_text(text, join)
        if wanted is None:
            return []
        if join.join == "id":
            return [wanted] if wanted in self.ids else []
        start = bisect.bisect_left(self.ordered, wanted)
        return list(itertools.takewhile(lambda area_id: area_id.startswith(wanted), self.ordered[start:]))


def _id_text(text: str, join: AreaJoin) -> str | None:
    if join.template is not None:
        try:
            # "{:02d}" formats the number the cell says; "{}" takes the cell as written, leading zeros kept
            return join.template.format(int(text) if "d}" in join.template else text)
        except ValueError:
            return None
    if join.pad and text.isdigit():
        text = text.zfill(join.pad)
    return join.prefix + text


def _join_areas(frame: pd.DataFrame, section: ValuesSection, areas: pd.DataFrame, level: int | None,
                report: Report) -> pd.Series:
    """The area id of each row (by the row number); rows that join no area are reported one by one and left
    out. A row that names an area of another level than the mapping's (a city total among Stadtteile) joins it,
    with a note."""
    name, join = section.table.file, section.area
    known = set(areas["area_id"].astype(str))
    if join.id is not None:
        if join.id not in known:
            report.error(name, f"Das Gebiet „{join.id}“ (area: id) gibt es nicht.")
            return pd.Series(dtype=object)
        return pd.Series(join.id, index=frame.index, dtype=object)
    for text, area_id in join.aliases.items():
        if area_id not in known:
            report.error(name, f"„aliases“ ordnet „{text}“ dem Gebiet „{area_id}“ zu, das es nicht gibt.")
    areas = areas.assign(area_id=areas["area_id"].astype(str))
    wanted = areas if level is None else areas[areas["level"] == level]
    city = areas.loc[areas["level"] == areas["level"].min()]
    here, everywhere = _Lookup(wanted), _Lookup(areas)
    totals = {normalised(word): list(city["area_id"])
              for word in [*TOTAL_WORDS, *city["name"], *[f"{n} gesamt" for n in city["name"]]]}
    found, elsewhere, unjoined = {}, [], []
    for row, text in frame[join.column].items():
        if text in join.aliases:
            found[row] = join.aliases[text]
            continue
        if not text:
            unjoined.append((row, text, "die Gebietsspalte ist leer"))
            continue
        hits = here.find(text, join)
        if not hits:
            hits = everywhere.find(text, join) or totals.get(normalised(text), [])
            if len(hits) == 1:
                elsewhere.append((row, text))
        if len(hits) == 1:
            found[row] = hits[0]
        elif hits:
            unjoined.append((row, text, f"mehrdeutig: {culprits(sorted(hits))}"))
        else:
            tried = _id_text(text, join) if join.join != "name" else None
            unjoined.append((row, text, f"kein Gebiet „{tried}“" if tried and tried != text else "kein solches Gebiet"))
    for row, text, why in unjoined:
        report.error(name, f"Zeile keinem Gebiet zugeordnet ({why}).", row=row, column=join.column, value=text,
                     fix="ID oder Namen prüfen, oder mit area: aliases zuordnen.")
    if elsewhere:
        names = areas.set_index("area_id")["name"]
        report.many(NOTE, name, "Zeilen für Gebiete einer anderen Ebene (als veröffentlichte Werte gelesen)",
                    [(row, f"{text} → {names[found[row]]}") for row, text in elsewhere], column=join.column)
    return pd.Series(found, dtype=object)


def _row_indicators(frame: pd.DataFrame, section: ValuesSection, report: Report) -> pd.Series | None:
    """The indicator each row names in ``indicator_column`` (through ``indicators``, else its text as an id);
    rows naming none the mapping wants are left out with a note: a summary table has many more."""
    column = section.indicator_column
    if column is None:
        return None
    name = section.table.file
    folded = {name_key(text): indicator for text, indicator in section.indicators.items()}
    chosen, skipped, used = {}, [], set()
    for row, text in frame[column].items():
        indicator = section.indicators.get(text) or folded.get(name_key(text))
        if indicator is None and not section.indicators:
            indicator = text or None
        if indicator is None:
            skipped.append((row, text))
        else:
            chosen[row] = indicator
            used.add(indicator)
    unused = [text for text, indicator in section.indicators.items() if indicator not in used]
    if unused:
        report.warning(name, f"„indicators“ nennt Texte, die in der Spalte „{column}“ nicht vorkommen: "
                             f"{culprits(unused)}.", column=column, fix="Schreibweise in der Datei prüfen.")
    if skipped:
        report.many(NOTE, name, "Zeilen ohne zugeordneten Indikator, übergangen", skipped, column=column)
    return pd.Series(chosen, dtype=object)


def _wide_cells(frame: pd.DataFrame, section: ValuesSection, report: Report) -> pd.DataFrame:
    """One row per (table row, claimed column): its indicator (None: the row's), year, part and text."""
    name = section.table.file
    pieces, unclaimed = [], []
    own = {section.area.column, section.indicator_column}
    for column in frame.columns:
        if column in own:   # the area's or the indicator's column holds no values, whatever a rule matches
            continue
        rule = next((r for r in section.columns if r.pattern.fullmatch(column)), None)
        if rule is None:
            unclaimed.append(column)
            continue
        matched = rule.pattern.fullmatch(column)
        year = rule.year or (int(matched["year"]) if "year" in rule.pattern.groupindex and matched["year"]
                             else section.year)
        if _year(year) is None:
            report.error(name, f"Spalte „{column}“: kein Jahr ({matched['year']!r}).", column=column)
            continue
        indicator = rule.indicator or (matched["indicator"] if "indicator" in rule.pattern.groupindex else None)
        pieces.append(pd.DataFrame({"row": frame.index, "indicator_id": indicator or section.indicator,
                                    "year": year, "part": rule.part, "column": column, "text": frame[column].values}))
    if unclaimed:
        report.note(name, f"Spalten ohne Regel in columns, nicht gelesen: {culprits(unclaimed, limit=10)}.")
    for rule in section.columns:
        if not any(rule.pattern.fullmatch(c) for c in frame.columns):
            report.warning(name, f"Die Spaltenregel „{rule.pattern.pattern}“ trifft keine Spalte; die Datei hat "
                                 f"{culprits(list(frame.columns), limit=10)}.", fix="Der Ausdruck muss den ganzen "
                                 "Spaltennamen treffen (Groß- und Kleinschreibung zählt).")
    columns = ["row", "indicator_id", "year", "part", "column", "text"]
    return pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame(columns=columns)


def _long_cells(frame: pd.DataFrame, section: ValuesSection, report: Report) -> pd.DataFrame:
    name = section.table.file
    if "year" in section.long:
        texts = frame[section.long["year"]]
        years = pd.to_numeric(texts.str.strip(), errors="coerce")
        bad = years.isna() | ~years.between(1900, 2200) | (years % 1 != 0)
        for row, text in texts[bad].items():
            report.error(name, "Keine Jahreszahl.", row=row, column=section.long["year"], value=text)
        years = years[~bad].astype(int)
    else:
        years = pd.Series(section.year, index=frame.index)
    pieces = [pd.DataFrame({"row": years.index, "indicator_id": section.indicator, "year": years.values,
                            "part": part, "column": section.long[part],
                            "text": frame.loc[years.index, section.long[part]].values})
              for part in PARTS if part in section.long]
    return pd.concat(pieces, ignore_index=True)


def _known_indicators(cells: pd.DataFrame, indicators: pd.DataFrame, name: str, report: Report) -> pd.DataFrame:
    known = set(indicators["indicator_id"])
    unknown = cells[~cells["indicator_id"].isin(known)]
    for indicator, group in unknown.groupby("indicator_id"):
        report.error(name, f"Den Indikator „{indicator}“ gibt es im Katalog nicht.",
                     row=int(group["row"].iloc[0]), column=str(group["column"].iloc[0]),
                     fix=suggestion(indicator, sorted(known)) or "Im Katalog ergänzen.")
    return cells[cells["indicator_id"].isin(known)]


def _numbers(cells: pd.DataFrame, section: ValuesSection, name: str, report: Report) -> pd.DataFrame:
    """Each cell's number (None for a missing or secret marker); text that is neither is reported, never read
    as a gap. Parts of one row, indicator and year become one value row."""
    numbers, unreadable = {}, set()
    for text in cells["text"].unique():   # a table repeats its texts: each is read once
        try:
            numbers[text] = german_number(text, missing=section.missing, secret=section.secret)
        except NotANumber:
            unreadable.add(text)
    bad = cells["text"].isin(unreadable)
    for cell in cells[bad].itertuples():
        report.error(name, f"Keine Zahl ({PART_WORDS[cell.part]} für {cell.indicator_id}, {cell.year}).",
                     row=int(cell.row), column=cell.column, value=cell.text,
                     fix="Tippfehler korrigieren; steht das Zeichen für fehlend oder geheim, es unter missing "
                         "oder secret nennen.")
    cells = cells[~bad]
    secret = {text for text in numbers if is_secret(text, section.secret)}
    cells = cells.assign(number=cells["text"].map(numbers).astype(float), secret=cells["text"].isin(secret),
                         order=cells["part"].map({part: i for i, part in enumerate(PARTS)}))
    key = ["row", "area_id", "indicator_id", "year"]
    grouped = cells.sort_values("order").groupby(key, sort=False)
    rows = cells.groupby([*key, "part"], sort=False)["number"].first().unstack("part")
    rows = rows.reindex(columns=list(PARTS)).join(grouped["secret"].any().rename("source_suppressed"))
    rows = rows.join(grouped["column"].first()).reset_index()
    return rows.assign(file=name, year=rows["year"].astype(int), row=rows["row"].astype(int))


def _complete(rows: pd.DataFrame, indicators: pd.DataFrame, name: str, report: Report) -> pd.DataFrame:
    """Value, numerator and denominator as the build wants them: a value computed from the parts where the file
    gives only those, a count's numerator its value; an aggregating share without its parts is refused (the
    build could not derive its parents)."""
    meta = indicators.set_index("indicator_id")
    kind = rows["indicator_id"].map(meta["value_type"])
    aggregating = rows["indicator_id"].map(meta["aggregation"]) != "none"
    computed = compute_value(rows["numerator"], rows["denominator"], kind, rows["indicator_id"].map(meta["multiplier"]))
    rows["value"] = rows["value"].fillna(computed)
    counts = aggregating & (kind == "count")
    rows.loc[counts, "numerator"] = rows.loc[counts, "numerator"].fillna(rows.loc[counts, "value"])
    partless = aggregating & (kind != "count") & rows["value"].notna() & (
        rows["numerator"].isna() | rows["denominator"].isna())
    for indicator, group in rows[partless].groupby("indicator_id"):
        report.error(name, f"{indicator} wird aus Zählern und Nennern berechnet (aggregation "
                           f"{meta.at[indicator, 'aggregation']}), die Datei gibt für {fmt.number(len(group))} Werte "
                           "keine.", row=int(group["row"].iloc[0]), column=group["column"].iloc[0],
                     fix="Die Spalten mit Zähler und Nenner zuordnen (part: numerator / denominator) oder den "
                         "Indikator im Katalog als veröffentlichten Wert führen (aggregation: none).")
    return rows[~partless]


def _checked(rows: pd.DataFrame, indicators: pd.DataFrame, report: Report) -> pd.DataFrame:
    """The build's checks (``build.value_problems``), each offending cell reported where it stands; those rows
    are left out so that the findings, not the first refusal of the build, say what to fix."""
    bad = pd.Series(False, index=rows.index)
    # each row once, the most specific rule first: a share computed from a numerator above its denominator is
    # above the whole as well, but the numerator is what to fix
    for problem in reversed(value_problems(rows, indicators) if len(rows) else []):
        for row in rows[problem.rows & ~bad].itertuples():
            part = problem.column or "numerator"
            number = getattr(row, part)
            said = f"{problem.message}: {row.indicator_id}, {row.year}"
            if problem.column is None:
                said += f" (Zähler {fmt.number(row.numerator, 0)}, Nenner {fmt.number(row.denominator, 0)})"
            report.error(row.file, said + ".", row=int(row.row), column=row.column,
                         value=None if number != number else _as_written(number))
        bad |= problem.rows
    return rows.loc[~bad, [*VALUE_COLUMNS, *SOURCE_COLUMNS]].reset_index(drop=True)


def _as_written(number: float) -> str:
    return f"{number:.15g}".replace(".", ",")


# --- across sections ----------------------------------------------------------------------------------------------

def finish_values(frames: list[pd.DataFrame], areas: pd.DataFrame, indicators: pd.DataFrame, report: Report
                  ) -> pd.DataFrame:
    """Every section's rows as the ``Dataset`` takes them (``VALUE_COLUMNS``), after the checks that need them
    all: the same area, indicator and year twice (an error naming both cells), a published parent total beside
    its children (the total is kept; a mismatch with their sum is a warning; an aggregating indicator's parent
    rows are left to the build), and the years an indicator skips (a warning)."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return no_rows(VALUE_COLUMNS)
    rows = pd.concat(frames, ignore_index=True)
    rows["area_id"] = rows["area_id"].astype(str)
    key = ["indicator_id", "area_id", "year"]
    doubled = rows[rows.duplicated(key, keep=False)]
    for (indicator, area, year), group in doubled.groupby(key, sort=False):
        cells = [f"{r.file}, Zeile {r.row}, Spalte „{r.column}“" for r in group.itertuples()]
        first = group.iloc[0]
        report.error(first["file"], f"{indicator}, Gebiet {area}, {year} steht mehrfach: {'; '.join(cells)}.",
                     row=int(first["row"]), column=first["column"], fix="Einen der Werte entfernen.")
    rows = rows.drop_duplicates(key, keep="first")
    rows = _parents(rows, areas, indicators, report)
    _gaps(rows, report)
    return rows[VALUE_COLUMNS].reset_index(drop=True).astype(
        {"year": int, "value": float, "numerator": float, "denominator": float, "source_suppressed": bool})


def _parents(rows: pd.DataFrame, areas: pd.DataFrame, indicators: pd.DataFrame, report: Report) -> pd.DataFrame:
    """A parent's published total against its children's: counts by their sum, shares with parts by the ratio
    of sums. Published shares without parts cannot be summed, so they are not compared."""
    meta = indicators.set_index("indicator_id")
    parent_of = areas.assign(area_id=areas["area_id"].astype(str)).set_index("area_id")["parent_id"]
    children_of = parent_of.dropna().astype(str).groupby(parent_of.dropna().astype(str)).size()
    kind = rows["indicator_id"].map(meta["value_type"])
    child = rows.assign(parent_id=rows["area_id"].map(parent_of).astype(object))
    child = child[child["parent_id"].notna()]
    compared = child[(kind[child.index] == "count") | child["numerator"].notna()]
    totals = compared.groupby(["indicator_id", "parent_id", "year"]).agg(
        value=("value", lambda v: v.sum(min_count=len(v))), numerator=("numerator", "sum"),
        denominator=("denominator", "sum"), children=("area_id", "size")).reset_index()
    merged = rows.merge(totals.rename(columns={"parent_id": "area_id"}), on=["indicator_id", "area_id", "year"],
                        suffixes=("", "_children"))
    merged = merged[merged["children"] == merged["area_id"].map(children_of)]
    for row in merged.itertuples():
        value_type, multiplier = meta.at[row.indicator_id, "value_type"], meta.at[row.indicator_id, "multiplier"]
        if value_type == "count":
            theirs = row.value_children
        elif row.denominator_children > 0:
            theirs = row.numerator_children / row.denominator_children * multiplier
        else:
            continue
        if theirs != theirs or row.value != row.value:
            continue
        decimals = int(meta.at[row.indicator_id, "decimals"])
        if round(row.value, decimals) != round(theirs, decimals):
            report.warning(row.file, f"{row.indicator_id} {row.year}: die veröffentlichte Summe "
                                     f"{fmt.number(row.value, decimals)} weicht von der Summe der "
                                     f"{row.children} Teilgebiete ab ({fmt.number(theirs, decimals)}, Differenz "
                                     f"{fmt.number(row.value - theirs, decimals)}); verwendet wird die "
                                     "veröffentlichte.", row=int(row.row), column=row.column)
    aggregating = rows["indicator_id"].map(meta["aggregation"]) != "none"
    finest = areas["level"].max()
    coarse = aggregating & rows["area_id"].map(areas.assign(area_id=areas["area_id"].astype(str))
                                               .set_index("area_id")["level"]).ne(finest)
    if coarse.any():
        report.many(NOTE, rows.loc[coarse, "file"].iloc[0],
                    "Werte gröberer Gebiete für Indikatoren, die aus der feinsten Ebene berechnet werden: "
                    "verglichen, dann der Berechnung überlassen",
                    [(int(r.row), f"{r.indicator_id}, {r.area_id}, {r.year}") for r in rows[coarse].itertuples()])
    return rows[~coarse]


def _gaps(rows: pd.DataFrame, report: Report) -> None:
    """Years inside an indicator's span with no value for any area: a series with a hole looks continuous on a
    chart, so the planner should know."""
    given = rows[rows["value"].notna() | rows["source_suppressed"]]
    for indicator, group in given.groupby("indicator_id"):
        years = set(group["year"])
        missing = sorted(set(range(min(years), max(years) + 1)) - years)
        if missing:
            spans = _spans(missing)
            report.warning(group["file"].iloc[0], f"{indicator}: Werte für {min(years)} bis {max(years)}, "
                                                  f"aber keine für {', '.join(spans)}.",
                           fix="Fehlen die Jahre in der Quelle, ist nichts zu tun; sonst die Spalten zuordnen.")


def _spans(years: list[int]) -> list[str]:
    spans, start = [], years[0]
    for previous, year in zip(years, [*years[1:], None]):
        if year != previous + 1:
            spans.append(str(start) if start == previous else f"{start}–{previous}")
            start = year
    return spans
